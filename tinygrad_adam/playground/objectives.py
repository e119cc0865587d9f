"""Classic test functions for optimisers, with their known minima and plotting bounds.

Each function takes a point whose coordinates lie along the first axis: shape (d,) for one point,
(d, H, W) for a grid of points (then it returns an (H, W) array of values). It works on Tensors,
so autograd differentiates it, and on plain NumPy arrays for fast evaluation. The one-dimensional
`cubic` is elementwise instead: its point is the coordinate itself.

Every function is also wrapped in an `Objective`, which adds the known minima, the bounds to plot,
a standard start point and the analytic gradient (used in the tests to cross-check autograd):

    >>> from tinygrad_adam.playground.objectives import OBJECTIVES, get
    >>> f = get("rosenbrock")
    >>> f.minima, f.min_value, f.bounds
    >>> f.value([1.0, 1.0])          # NumPy, float64, no graph
    >>> f.gradient(np.array([0.0, 0.0]))
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..core.grad_mode import no_grad
from ..core.ops import Cos
from ..core.tensor import Tensor

__all__ = [
    "OBJECTIVES", "NoisyQuadratic", "Objective", "ackley", "beale", "booth", "bowl", "cubic", "get",
    "himmelblau", "noisy_quadratic", "rastrigin", "rosenbrock",
]


def _cos(x: Any) -> Any:
    return Cos.apply(x) if isinstance(x, Tensor) else np.cos(x)


def _exp(x: Any) -> Any:
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def _sqrt(x: Any) -> Any:
    return x.sqrt() if isinstance(x, Tensor) else np.sqrt(x)


# ----- the functions (Tensor or ndarray in, same out) -------------------------------------------
def bowl(x: Any) -> Any:
    """The bowl Σ x_i² (x² + y² in 2-D): convex, minimum 0 at the origin."""
    return (x ** 2).sum(axis=0)


def cubic(x: Any) -> Any:
    """x³ − 2x² + 2, elementwise: a local minimum 22/27 at x = 4/3, a local maximum 2 at x = 0."""
    return x ** 3 - 2 * x ** 2 + 2


def rosenbrock(x: Any, a: float = 1.0, b: float = 100.0) -> Any:
    """Σ b·(x_{i+1} − x_i²)² + (a − x_i)²: a curved, flat-bottomed valley; minimum 0 at (a, a², ...)."""
    head, tail = x[:-1], x[1:]
    return (b * (tail - head ** 2) ** 2 + (a - head) ** 2).sum(axis=0)


def beale(x: Any) -> Any:
    """(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: minimum 0 at (3, 0.5), sharp ridges."""
    u, v = x[0], x[1]
    return (1.5 - u + u * v) ** 2 + (2.25 - u + u * v ** 2) ** 2 + (2.625 - u + u * v ** 3) ** 2


def himmelblau(x: Any) -> Any:
    """(x² + y − 11)² + (x + y² − 7)²: four minima of value 0, one of them at (3, 2)."""
    u, v = x[0], x[1]
    return (u ** 2 + v - 11) ** 2 + (u + v ** 2 - 7) ** 2


def booth(x: Any) -> Any:
    """(x + 2y − 7)² + (2x + y − 5)²: a tilted convex quadratic, minimum 0 at (1, 3)."""
    u, v = x[0], x[1]
    return (u + 2 * v - 7) ** 2 + (2 * u + v - 5) ** 2


def rastrigin(x: Any, A: float = 10.0) -> Any:  # noqa: N803 - the usual name
    """A·d + Σ (x_i² − A·cos(2π·x_i)): a bowl covered in local minima; global minimum 0 at the origin."""
    return A * x.shape[0] + (x ** 2 - A * _cos(2 * math.pi * x)).sum(axis=0)


def ackley(x: Any, a: float = 20.0, b: float = 0.2, c: float = 2 * math.pi) -> Any:
    """−a·exp(−b·√(mean x_i²)) − exp(mean cos(c·x_i)) + a + e: nearly flat outside, a funnel at 0.

    Not differentiable at the minimum itself (a cone tip: autograd gives NaN there, the analytic
    gradient the subgradient 0); gradient steps practically never land on it exactly.
    """
    radius = _sqrt((x ** 2).mean(axis=0))
    return -a * _exp(-b * radius) - _exp(_cos(c * x).mean(axis=0)) + a + math.e


# ----- analytic gradients (NumPy, for the tests and for minimize(grad=...)) ---------------------
def _bowl_grad(x: np.ndarray) -> np.ndarray:
    return 2 * x


def _cubic_grad(x: np.ndarray) -> np.ndarray:
    return 3 * x ** 2 - 4 * x


def _rosenbrock_grad(x: np.ndarray, a: float = 1.0, b: float = 100.0) -> np.ndarray:
    head, tail = x[:-1], x[1:]
    g = np.zeros_like(x, dtype=np.result_type(x, np.float64))
    g[:-1] += -4 * b * head * (tail - head ** 2) - 2 * (a - head)
    g[1:] += 2 * b * (tail - head ** 2)
    return g


def _beale_grad(x: np.ndarray) -> np.ndarray:
    u, v = x[0], x[1]
    t1, t2, t3 = 1.5 - u + u * v, 2.25 - u + u * v ** 2, 2.625 - u + u * v ** 3
    du = 2 * t1 * (v - 1) + 2 * t2 * (v ** 2 - 1) + 2 * t3 * (v ** 3 - 1)
    dv = 2 * t1 * u + 4 * t2 * u * v + 6 * t3 * u * v ** 2
    return np.stack([du, dv])


def _himmelblau_grad(x: np.ndarray) -> np.ndarray:
    u, v = x[0], x[1]
    p, q = u ** 2 + v - 11, u + v ** 2 - 7
    return np.stack([4 * u * p + 2 * q, 2 * p + 4 * v * q])


def _booth_grad(x: np.ndarray) -> np.ndarray:
    u, v = x[0], x[1]
    p, q = u + 2 * v - 7, 2 * u + v - 5
    return np.stack([2 * p + 4 * q, 4 * p + 2 * q])


def _rastrigin_grad(x: np.ndarray, A: float = 10.0) -> np.ndarray:  # noqa: N803
    return 2 * x + 2 * math.pi * A * np.sin(2 * math.pi * x)


def _ackley_grad(x: np.ndarray, a: float = 20.0, b: float = 0.2, c: float = 2 * math.pi) -> np.ndarray:
    d = x.shape[0]
    radius = np.sqrt(np.mean(x ** 2, axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):  # at the tip (radius 0) take the subgradient 0
        g_radius = np.where(radius > 0, a * b * np.exp(-b * radius) * x / (d * radius), 0.0)
    g_cos = np.exp(np.mean(np.cos(c * x), axis=0)) * c * np.sin(c * x) / d
    return g_radius + g_cos


# ----- Objective: a function with what is known about it --------------------------------------
@dataclass(frozen=True)
class Objective:
    """A test function with its minima, plotting bounds, standard start and analytic gradient.

    `minima` has one row per known minimiser (for the cubic: its local minimum, the function being
    unbounded below), `min_value` is the function's value there, `bounds` is (d, 2) [low, high]
    per coordinate for plots. Calling the objective evaluates `fn` (on Tensors: differentiable).
    """

    name: str
    fn: Callable[[Any], Any]
    minima: np.ndarray
    min_value: float
    bounds: np.ndarray
    start: np.ndarray
    grad_fn: Callable[[np.ndarray], np.ndarray] | None = None
    formula: str = ""
    clean_fn: Callable[[Any], Any] | None = field(default=None, repr=False)

    @property
    def dim(self) -> int:
        return self.bounds.shape[0]

    def __call__(self, x: Any) -> Any:
        return self.fn(x)

    def value(self, x: Any) -> Any:
        """fn at x (a point or a grid) in float64 NumPy, without noise and without recording a graph."""
        fn = self.clean_fn or self.fn
        with no_grad():
            out = fn(np.asarray(x.array if isinstance(x, Tensor) else x, dtype=np.float64))
        return float(out) if np.ndim(out) == 0 else np.asarray(out)

    def gradient(self, x: Any) -> np.ndarray:
        """The analytic gradient at x (float64)."""
        if self.grad_fn is None:
            raise NotImplementedError(f"{self.name}: no analytic gradient; use autograd")
        return np.asarray(self.grad_fn(np.asarray(x, dtype=np.float64)))

    def distance_to_minimum(self, x: Any) -> float:
        """Euclidean distance from x to the nearest known minimiser."""
        diff = self.minima - np.asarray(x, dtype=np.float64)
        return float(np.min(np.sqrt(np.sum(diff.reshape(len(self.minima), -1) ** 2, axis=1))))


class NoisyQuadratic:
    """½·Σ s_i·x_i² + σ·ξᵀx with ξ ~ N(0, I) drawn afresh at every call: a stochastic objective.

    Each evaluation is an unbiased sample of the quadratic ½·Σ s_i·x_i² (E[ξ] = 0), and its gradient
    s·x + σ·ξ a noisy gradient of constant variance σ², like a minibatch loss. The noise comes from
    the object's own generator (`seed`), so runs repeat.
    """

    def __init__(self, scales: Sequence[float] = (1.0, 10.0), noise: float = 1.0, seed: int | None = 0):
        self.scales = np.asarray(scales, dtype=np.float64)
        self.noise = float(noise)
        self.rng = np.random.default_rng(seed)

    def _scales_for(self, x: Any) -> np.ndarray:
        return self.scales.reshape((-1,) + (1,) * (len(x.shape) - 1))

    def expected(self, x: Any) -> Any:
        """The noise-free quadratic ½·Σ s_i·x_i²."""
        return (0.5 * self._scales_for(x) * x ** 2).sum(axis=0)

    def __call__(self, x: Any) -> Any:
        xi = self.rng.standard_normal(x.shape[:1]).reshape((-1,) + (1,) * (len(x.shape) - 1))
        return self.expected(x) + (self.noise * xi * x).sum(axis=0)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        """A sample of the gradient s·x + σ·ξ (drawing ξ as a call would)."""
        xi = self.rng.standard_normal(x.shape[:1]).reshape((-1,) + (1,) * (x.ndim - 1))
        return self._scales_for(x) * x + self.noise * xi


def noisy_quadratic(scales: Sequence[float] = (1.0, 10.0), noise: float = 1.0, seed: int | None = 0) -> Objective:
    """An Objective around a fresh `NoisyQuadratic` (its own noise generator, seeded with `seed`)."""
    q = NoisyQuadratic(scales, noise, seed)
    d = len(q.scales)
    return Objective(
        name="noisy_quadratic", fn=q, minima=np.zeros((1, d)), min_value=0.0,
        bounds=np.array([[-3.0, 3.0]] * d), start=np.array([-2.5, 2.0] + [1.0] * (d - 2))[:d],
        grad_fn=q.gradient, formula="½·Σ s_i·x_i² + σ·ξᵀx, ξ ~ N(0, I) per call", clean_fn=q.expected,
    )


_HIMMELBLAU_MINIMA = [(3.0, 2.0), (-2.805118086952745, 3.131312518250573),
                      (-3.779310253377747, -3.283185991286170), (3.584428340330492, -1.848126526964404)]

OBJECTIVES: dict[str, Objective] = {
    "bowl": Objective("bowl", bowl, np.zeros((1, 2)), 0.0, np.array([[-1.0, 1.0], [-1.0, 1.0]]),
                      np.array([-0.8, 0.6]), _bowl_grad, "x² + y²"),
    "cubic": Objective("cubic", cubic, np.array([4 / 3]), 22 / 27, np.array([[-1.0, 2.5]]), np.array(0.001),
                       _cubic_grad, "x³ − 2x² + 2"),
    "rosenbrock": Objective("rosenbrock", rosenbrock, np.ones((1, 2)), 0.0, np.array([[-2.0, 2.0], [-1.0, 3.0]]),
                            np.array([-1.2, 1.0]), _rosenbrock_grad, "(1 − x)² + 100·(y − x²)²"),
    "beale": Objective("beale", beale, np.array([[3.0, 0.5]]), 0.0, np.array([[-4.5, 4.5], [-4.5, 4.5]]),
                       np.array([1.0, 1.5]), _beale_grad, "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"),
    "himmelblau": Objective("himmelblau", himmelblau, np.array(_HIMMELBLAU_MINIMA), 0.0,
                            np.array([[-5.0, 5.0], [-5.0, 5.0]]), np.array([-0.5, -0.5]), _himmelblau_grad,
                            "(x² + y − 11)² + (x + y² − 7)²"),
    "booth": Objective("booth", booth, np.array([[1.0, 3.0]]), 0.0, np.array([[-10.0, 10.0], [-10.0, 10.0]]),
                       np.array([-7.0, -6.0]), _booth_grad, "(x + 2y − 7)² + (2x + y − 5)²"),
    "rastrigin": Objective("rastrigin", rastrigin, np.zeros((1, 2)), 0.0, np.array([[-5.12, 5.12], [-5.12, 5.12]]),
                           np.array([2.3, -1.6]), _rastrigin_grad, "20 + Σ (x_i² − 10·cos(2π·x_i))"),
    "ackley": Objective("ackley", ackley, np.zeros((1, 2)), 0.0, np.array([[-5.0, 5.0], [-5.0, 5.0]]),
                        np.array([2.5, -1.7]), _ackley_grad,
                        "−20·exp(−0.2·√(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + 20 + e"),
    "noisy_quadratic": noisy_quadratic(),
}


def get(name: str) -> Objective:
    """The Objective called `name` (one of OBJECTIVES); "noisy_quadratic" comes with a fresh generator (seed 0)."""
    if name.lower() == "noisy_quadratic":
        return noisy_quadratic()
    try:
        return OBJECTIVES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown objective {name!r}; choose one of {', '.join(OBJECTIVES)}") from None
