"""Adam on the cubic f(x) = x³ − 2x² + 2, from x = 0.001 to the local minimum x = 4/3.

f has a local maximum at x = 0 (value 2) and a local minimum at x = 4/3 (value 22/27); it is
unbounded below for x → −∞. Started just right of the maximum, where the slope is tiny
(f'(0.001) ≈ −0.004), Adam still moves at full speed: its step is about lr·m̂/√v̂, and
m̂/√v̂ ≈ ±1 for a gradient of constant sign, whatever its size. It overshoots 4/3, turns back
and settles.

    python examples/cubic.py                 # 100 steps, lr 0.05, eps 1e-7
    python examples/cubic.py --plot docs/img # cubic.png: the function with the path, x against the step
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from tinygrad_adam.cli import run_cli
from tinygrad_adam.extras import require
from tinygrad_adam.playground import MinimizeResult, get, minimize


def run(steps: int = 100, lr: float = 0.05, eps: float = 1e-7, x0: float = 0.001, optimizer: str = "adam",
        every: int = 10) -> MinimizeResult:
    cubic = get("cubic")
    result = minimize(cubic, x0, optimizer, steps=steps, lr=lr, eps=eps)
    for i in range(0, steps + 1, every) if every else ():
        print(f"step {i:4d}: x = {result.path[i]:.6f}  f(x) = {result.values[i]:.6f}")
    x_min = float(cubic.minima[0])
    print(f"final after {steps} steps: x = {result.x:.6f}  f(x) = {result.value:.7f}")
    print(f"local minimum:      x = 4/3 = {x_min:.6f}  f = 22/27 = {cubic.min_value:.7f}")
    peak = int(np.argmax(result.path))
    print(f"largest x on the way: {result.path[peak]:.6f} at step {peak}")
    if peak < steps:
        trough = peak + int(np.argmin(result.path[peak:]))
        print(f"smallest x after it:  {result.path[trough]:.6f} at step {trough}")
    return result


def plot(result: MinimizeResult, folder: str) -> str:
    from tinygrad_adam.playground.plot import plot_function_1d, save_figure, subplots

    cubic = get("cubic")
    fig, (left, right) = subplots(1, 2, figsize=(11.0, 4.2))
    plot_function_1d(cubic, path=result.path, ax=left, bounds=[-0.6, 2.3],
                     title=f"Adam on x³ − 2x² + 2 from x = {result.path[0]:g}")
    right.plot(np.arange(len(result.path)), result.path, ".-", markersize=3, label="x_t")
    right.axhline(float(cubic.minima[0]), color="red", linestyle="--", linewidth=1, label="x* = 4/3")
    right.set_xlabel("step")
    right.set_ylabel("x")
    right.set_title(f"x after each step (final {result.x:.4f})")
    right.legend(loc="lower right")
    right.grid(True, alpha=0.3)
    return str(save_figure(fig, f"{folder}/cubic.png"))


def main(argv: Sequence[str] | None = None) -> MinimizeResult:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--eps", type=float, default=1e-7)
    parser.add_argument("--x0", type=float, default=0.001, help="start point")
    parser.add_argument("--optimizer", default="adam", help="any name from tinygrad_adam.optim.OPTIMIZERS")
    parser.add_argument("--every", type=int, default=10, help="print every N steps (0: only the end)")
    parser.add_argument("--plot", metavar="DIR", help="write cubic.png into DIR")
    args = parser.parse_args(argv)
    if args.plot:
        require("plot", "--plot")
    result = run(args.steps, args.lr, args.eps, args.x0, args.optimizer, args.every)
    if args.plot:
        print(f"wrote {plot(result, args.plot)}")
    return result


if __name__ == "__main__":
    run_cli(main)
