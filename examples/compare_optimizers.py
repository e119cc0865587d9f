"""Ten optimizers on one test function, from the same start: a table, their paths, their curves.

SGD, momentum, Nesterov, AdaGrad, RMSProp, AdaDelta, Adam, AdaMax, AMSGrad and AdamW run for the
same number of steps from the same point. The table gives each one's learning rate, the final gap
f(x) − f(x*), the distance to the nearest minimiser and the first step at which the gap fell below
--tol ("-" if never; "diverged" if the values overflowed). --plot draws all paths on one contour
plot and the gap against the step.

The default learning rate of each optimizer on each function is the best of a sweep over
{1e-4, 3e-4, ..., 1, 3} at 500 steps (smallest final gap), as `--sweep` recomputes; pass
`--lr adam=0.05` to override one. Momentum and Nesterov use momentum 0.9; AdamW its default
weight decay 0.01, which pulls towards the origin and so away from a minimum elsewhere.

    python examples/compare_optimizers.py --function rosenbrock
    python examples/compare_optimizers.py --function beale --plot docs/img
    python examples/compare_optimizers.py --function himmelblau --sweep
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tinygrad_adam.cli import run_cli
from tinygrad_adam.extras import require
from tinygrad_adam.optim import LABELS
from tinygrad_adam.playground import OBJECTIVES, MinimizeResult, Objective, get, minimize

#: The optimizers compared, by their names in tinygrad_adam.optim.OPTIMIZERS.
COMPARED = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamax", "amsgrad", "adamw")
SWEEP_LRS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)

#: Learning rates by function and optimizer: the results of --sweep (500 steps from each default start).
DEFAULT_LRS: dict[str, dict[str, float]] = {
    "bowl": {"sgd": 0.3, "momentum": 0.01, "nesterov": 0.3, "adagrad": 1.0, "rmsprop": 0.03, "adadelta": 1.0,
             "adam": 0.3, "adamax": 0.3, "amsgrad": 0.1, "adamw": 3.0},
    "rosenbrock": {"sgd": 0.003, "momentum": 0.003, "nesterov": 0.001, "adagrad": 1.0, "rmsprop": 0.03,
                   "adadelta": 1.0, "adam": 1.0, "adamax": 1.0, "amsgrad": 1.0, "adamw": 0.3},
    "beale": {"sgd": 0.03, "momentum": 0.003, "nesterov": 0.003, "adagrad": 1.0, "rmsprop": 0.03, "adadelta": 3.0,
              "adam": 0.3, "adamax": 1.0, "amsgrad": 0.3, "adamw": 0.3},
    "himmelblau": {"sgd": 0.01, "momentum": 0.01, "nesterov": 0.001, "adagrad": 1.0, "rmsprop": 0.03,
                   "adadelta": 1.0, "adam": 1.0, "adamax": 0.1, "amsgrad": 1.0, "adamw": 1.0},
    "booth": {"sgd": 0.1, "momentum": 0.01, "nesterov": 0.03, "adagrad": 3.0, "rmsprop": 0.1, "adadelta": 3.0,
              "adam": 3.0, "adamax": 3.0, "amsgrad": 3.0, "adamw": 3.0},
    "rastrigin": {"sgd": 0.0003, "momentum": 0.0003, "nesterov": 0.0001, "adagrad": 1.0, "rmsprop": 0.1,
                  "adadelta": 0.3, "adam": 0.003, "adamax": 0.03, "amsgrad": 0.003, "adamw": 0.3},
    "ackley": {"sgd": 0.1, "momentum": 0.03, "nesterov": 0.0001, "adagrad": 1.0, "rmsprop": 0.1, "adadelta": 0.3,
               "adam": 0.003, "adamax": 3.0, "amsgrad": 0.003, "adamw": 1.0},
    "noisy_quadratic": {"sgd": 0.01, "momentum": 0.001, "nesterov": 0.001, "adagrad": 0.1, "rmsprop": 0.01,
                        "adadelta": 3.0, "adam": 0.01, "adamax": 1.0, "amsgrad": 0.01, "adamw": 0.01},
}
FUNCTIONS = [name for name, objective in OBJECTIVES.items() if objective.dim == 2]


@dataclass
class Row:
    """One optimizer's run: its result and the numbers of the table (gaps are f − f*, noise-free)."""

    optimizer: str
    lr: float
    result: MinimizeResult
    gaps: np.ndarray
    final_gap: float
    distance: float
    steps_to_tol: int | None

    @property
    def diverged(self) -> bool:
        return not math.isfinite(self.final_gap)


def run_one(function: str, optimizer: str, lr: float, steps: int, start: np.ndarray, tol: float) -> Row:
    """Minimise `function` with one optimizer; overflow (a too large lr) is recorded, not raised."""
    objective = get(function)  # a fresh one: the noisy quadratic restarts its noise for every optimizer
    with np.errstate(all="ignore"):
        result = minimize(objective, start, optimizer, steps=steps, lr=lr)
        gaps = objective.value(result.path.T) - objective.min_value  # noise-free, one per point on the path
        distance = objective.distance_to_minimum(result.x)
    below = np.flatnonzero(gaps < tol)
    return Row(optimizer, lr, result, gaps, float(gaps[-1]), distance, int(below[0]) if below.size else None)


def compare(function: str, optimizers: Sequence[str], steps: int, lrs: dict[str, float], start: np.ndarray,
            tol: float) -> list[Row]:
    return [run_one(function, name, lrs[name], steps, start, tol) for name in optimizers]


def sweep(function: str, optimizers: Sequence[str], steps: int, start: np.ndarray,
          grid: Sequence[float] = SWEEP_LRS) -> dict[str, float]:
    """The lr of `grid` with the smallest final gap, per optimizer (ties go to the smaller lr)."""
    best = {}
    for name in optimizers:
        gaps = [run_one(function, name, lr, steps, start, 0.0).final_gap for lr in grid]
        gaps = [g if math.isfinite(g) else math.inf for g in gaps]
        best[name] = grid[int(np.argmin(gaps))]
        print(f"{LABELS[name]:9s} best lr {best[name]:<7g} " +
              " ".join(f"{lr:g}:{g:.1e}" for lr, g in zip(grid, gaps, strict=True)))
    return best


def format_table(rows: Sequence[Row], objective: Objective, tol: float) -> str:
    lines = [f"{'optimizer':10s} {'lr':>7s} {'final f − f*':>13s} {'|x − x*|':>10s} {f'steps to {tol:g}':>14s}",
             "-" * 58]
    for row in rows:
        if row.diverged:
            final, distance, reached = "diverged", "-", "-"
        else:
            final, distance = f"{row.final_gap:.3e}", f"{row.distance:.2e}"
            reached = "-" if row.steps_to_tol is None else str(row.steps_to_tol)
        lines.append(f"{LABELS[row.optimizer]:10s} {row.lr:7g} {final:>13s} {distance:>10s} "
                     f"{reached:>14s}")
    return "\n".join(lines)


def plot(rows: Sequence[Row], objective: Objective, folder: str) -> list[str]:
    from tinygrad_adam.playground.plot import plot_contour, plot_values, save_figure

    steps = rows[0].result.steps
    ok = [r for r in rows if not r.diverged]
    paths = {f"{LABELS[r.optimizer]} ({r.lr:g})": r.result.path for r in ok}
    start = tuple(np.round(rows[0].result.path[0], 3).tolist())
    contour = plot_contour(objective, paths=paths, cmap="Greys", alpha=0.6, levels=30,
                           title=f"{objective.name}: {steps} steps from {start}")
    curves = plot_values({LABELS[r.optimizer]: r.gaps for r in ok},
                         title=f"{objective.name}: f(x_t) − f(x*)")
    return [str(save_figure(contour, f"{folder}/compare_{objective.name}_paths.png")),
            str(save_figure(curves, f"{folder}/compare_{objective.name}_values.png"))]


def _parse_lrs(items: Sequence[str]) -> dict[str, float]:
    lrs = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in COMPARED or not value:
            raise SystemExit(f"--lr takes NAME=VALUE with NAME one of {', '.join(COMPARED)}; got {item!r}")
        lrs[name] = float(value)
    return lrs


def main(argv: Sequence[str] | None = None) -> list[Row]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--function", choices=FUNCTIONS, default="rosenbrock")
    parser.add_argument("--optimizers", default=",".join(COMPARED), help="comma-separated names")
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--tol", type=float, default=1e-3, help="report the first step with f − f* below this")
    parser.add_argument("--start", help="start point 'x,y' (default: the function's standard start)")
    parser.add_argument("--lr", action="append", default=[], metavar="NAME=VALUE", help="override one lr")
    parser.add_argument("--sweep", action="store_true", help="find the best lr of each optimizer, then compare")
    parser.add_argument("--plot", metavar="DIR", help="write compare_<function>_{paths,values}.png into DIR")
    args = parser.parse_args(argv)
    if args.plot:
        require("plot", "--plot")

    objective = get(args.function)
    optimizers = [name.strip().lower() for name in args.optimizers.split(",") if name.strip()]
    unknown = [name for name in optimizers if name not in COMPARED]
    if unknown:
        parser.error(f"unknown optimizers {unknown}; choose from {', '.join(COMPARED)}")
    start = objective.start if args.start is None else np.array([float(v) for v in args.start.split(",")])
    if start.shape != objective.start.shape:
        parser.error(f"--start needs {objective.dim} coordinates")
    lrs = dict(DEFAULT_LRS[args.function])
    if args.sweep:
        lrs.update(sweep(args.function, optimizers, args.steps, start))
    lrs.update(_parse_lrs(args.lr))

    rows = compare(args.function, optimizers, args.steps, lrs, start, args.tol)
    print(f"{objective.name}: f = {objective.formula}; start {tuple(start.tolist())}; {args.steps} steps; "
          f"minimum f* = {objective.min_value:g}")
    print(format_table(rows, objective, args.tol))
    if args.plot:
        for name in plot(rows, objective, args.plot):
            print(f"wrote {name}")
    return rows


if __name__ == "__main__":
    run_cli(main)
