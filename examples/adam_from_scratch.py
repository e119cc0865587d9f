"""Adam on the bowl x² + y², the classic from-scratch tutorial experiment, done with tinygrad_adam.

Jason Brownlee's tutorial "Code Adam Gradient Descent Optimization From Scratch" draws a start
point in [-1, 1]² with NumPy seed 1 and runs 60 Adam iterations with alpha 0.02, beta1 0.8,
beta2 0.999, printing the point and its value after every iteration. Here the loop is the one you
would write for a network (zero_grad, backward, step) with `tinygrad_adam.optim.Adam`, and it
prints the same trajectory, to the last bit of float64.

    python examples/adam_from_scratch.py                  # the 60 iterations
    python examples/adam_from_scratch.py --explain 3      # g, m, v, m̂, v̂ and the step for t = 1..3
    python examples/adam_from_scratch.py --plot docs/img  # surface, contour and path PNGs
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np

from tinygrad_adam import Tensor
from tinygrad_adam.cli import run_cli
from tinygrad_adam.extras import require
from tinygrad_adam.optim import Adam
from tinygrad_adam.playground import MinimizeResult, get

BOUNDS = np.asarray([[-1.0, 1.0], [-1.0, 1.0]])


def derivative(x: float, y: float) -> np.ndarray:
    """The tutorial's analytic gradient of x² + y²."""
    return np.asarray([x * 2.0, y * 2.0])


def start_point(bounds: np.ndarray = BOUNDS, seed: int = 1) -> np.ndarray:
    """The tutorial's start: uniform in the bounds, from NumPy's legacy global generator seeded with `seed`."""
    np.random.seed(seed)
    return bounds[:, 0] + np.random.rand(len(bounds)) * (bounds[:, 1] - bounds[:, 0])


def explain(t: int, x: Tensor, optimizer: Adam, before: np.ndarray, out: Callable[[str], None]) -> None:
    """Print the quantities of Algorithm 1 for the step just taken."""
    group, state = optimizer.param_groups[0], optimizer.state[x]
    (beta1, beta2), lr, eps = group["betas"], group["lr"], group["eps"]
    m, v = state["exp_avg"], state["exp_avg_sq"]
    bias_correction1, bias_correction2 = 1 - beta1 ** t, 1 - beta2 ** t
    m_hat, v_hat = m / bias_correction1, v / bias_correction2
    rows = [
        ("g", x.grad.array),
        (f"m = {beta1}·m + {1 - beta1:.3g}·g", m),
        (f"v = {beta2}·v + {1 - beta2:.3g}·g²", v),
        (f"m̂ = m / {bias_correction1:.6g}", m_hat),
        (f"v̂ = v / {bias_correction2:.6g}", v_hat),
        (f"step = −{lr}·m̂ / (√v̂ + {eps:g})", x.array - before),
    ]
    out(f"t = {t}: bias corrections 1 − β1^t = {bias_correction1:.6g}, 1 − β2^t = {bias_correction2:.6g}")
    for label, value in rows:
        width = sum(not unicodedata.combining(c) for c in label)  # m̂ is m + a combining hat
        out(f"    {label}{' ' * (30 - width)} = {value}")


def run(n_iter: int = 60, alpha: float = 0.02, beta1: float = 0.8, beta2: float = 0.999, eps: float = 1e-8,
        seed: int = 1, gradient: str = "autograd", explain_steps: int = 0,
        out: Callable[[str], None] = print) -> MinimizeResult:
    """Run the experiment, printing one tutorial-style line per iteration; returns the path."""
    bowl = get("bowl")
    x = Tensor(start_point(BOUNDS, seed), requires_grad=True)  # float64, as NumPy made it
    optimizer = Adam([x], lr=alpha, betas=(beta1, beta2), eps=eps)
    path, values = [x.array.copy()], [bowl.value(x.array)]
    for t in range(n_iter):
        optimizer.zero_grad()
        if gradient == "autograd":
            bowl(x).backward()
        else:
            x.grad = Tensor(derivative(x.array[0], x.array[1]))
        before = x.array.copy()
        optimizer.step()
        if t < explain_steps:
            explain(t + 1, x, optimizer, before, out)
        score = bowl.value(x.array)
        path.append(x.array.copy())
        values.append(score)
        out(">%d f(%s) = %.5f" % (t, x.array, score))  # noqa: UP031 - the tutorial's format
    out("Done!")
    out("f(%s) = %f" % (x.array, values[-1]))  # noqa: UP031
    return MinimizeResult(x=path[-1], value=np.float64(values[-1]), path=np.array(path), values=np.array(values))


def plot(result: MinimizeResult, folder: str) -> list[str]:
    """The tutorial's three figures: surface, contours, contours with the search path."""
    from tinygrad_adam.playground.plot import plot_contour, plot_surface, save_figure

    bowl = get("bowl")
    return [
        str(save_figure(plot_surface(bowl, title="f(x, y) = x² + y²"), f"{folder}/adam_bowl_surface.png")),
        str(save_figure(plot_contour(bowl, show_minima=False, title="x² + y²"), f"{folder}/adam_bowl_contour.png")),
        str(save_figure(plot_contour(bowl, paths=result.path, show_minima=False,
                                     title=f"Adam, {result.steps} steps from {np.round(result.path[0], 3)}"),
                        f"{folder}/adam_bowl_path.png")),
    ]


def main(argv: Sequence[str] | None = None) -> MinimizeResult:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--iterations", type=int, default=60, help="number of Adam steps")
    parser.add_argument("--alpha", type=float, default=0.02, help="step size α (lr)")
    parser.add_argument("--beta1", type=float, default=0.8, help="decay of the first moment")
    parser.add_argument("--beta2", type=float, default=0.999, help="decay of the second moment")
    parser.add_argument("--eps", type=float, default=1e-8, help="ε, added after the square root")
    parser.add_argument("--seed", type=int, default=1, help="NumPy seed for the start point")
    parser.add_argument("--gradient", choices=["autograd", "analytic"], default="autograd",
                        help="autograd, or the tutorial's derivative(x, y) = [2x, 2y]")
    parser.add_argument("--explain", type=int, nargs="?", const=3, default=0, metavar="N",
                        help="print g, m, v, m̂, v̂ and the step for the first N iterations (3 if N is omitted)")
    parser.add_argument("--plot", metavar="DIR", help="write adam_bowl_{surface,contour,path}.png into DIR")
    args = parser.parse_args(argv)
    if args.plot:
        require("plot", "--plot")
    result = run(args.iterations, args.alpha, args.beta1, args.beta2, args.eps, args.seed, args.gradient,
                 args.explain)
    if args.plot:
        for name in plot(result, args.plot):
            print(f"wrote {name}")
    return result


if __name__ == "__main__":
    run_cli(main)
