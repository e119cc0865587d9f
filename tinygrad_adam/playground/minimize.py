"""Minimise a Python function of a Tensor with any optimizer, recording the whole path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..core.grad_mode import no_grad
from ..core.tensor import Tensor
from ..optim import Optimizer, make_optimizer


@dataclass
class MinimizeResult:
    """The outcome of `minimize`: the final point and value, and every point and value on the way.

    path[0] is the start and path[i] the point after i steps; values[i] = fn(path[i]), so
    x == path[-1] and value == values[-1].
    """

    x: np.ndarray
    value: np.float64
    path: np.ndarray
    values: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.values) - 1


def _scalar(out: Any) -> float:
    array = np.asarray(out.array if isinstance(out, Tensor) else out)
    if array.size != 1:
        raise ValueError(f"minimize: fn must return a scalar, it returned shape {array.shape}")
    return float(array.reshape(()))


def minimize(fn: Callable[[Tensor], Any], x0: Any, optimizer: str | Callable[..., Optimizer] = "adam",
             steps: int = 100, grad: Callable[[np.ndarray], Any] | None = None, *,
             callback: Callable[[int, np.ndarray, float], None] | None = None, dtype: Any = np.float64,
             **hyperparameters: Any) -> MinimizeResult:
    """Run `steps` updates of `optimizer` on fn, starting from x0.

    fn takes a Tensor of x0's shape and returns a scalar (Tensor or number). The derivative comes
    from autograd, or from `grad(x: ndarray) -> ndarray` if given (fn is then only evaluated, under
    no_grad, for the recorded values). `optimizer` is a name from optim.OPTIMIZERS ("adam", "sgd",
    "momentum", ...) or an Optimizer class; `hyperparameters` go to it (lr=0.02, betas=(0.8, 0.999)).
    `callback(i, x, value)` is called after update i (0-based) with the new point and its value.
    The computation runs in `dtype` (float64 by default).

        >>> from tinygrad_adam.playground import bowl, minimize
        >>> r = minimize(bowl, [0.5, -0.3], "adam", steps=200, lr=0.05)
        >>> r.x, r.value, r.path.shape      # path holds the start and all 200 updated points
    """
    if not (isinstance(steps, int | np.integer) and steps >= 0):
        raise ValueError(f"minimize: steps must be a non-negative int, got {steps!r}")
    x = Tensor(np.array(x0, dtype=dtype), requires_grad=True)
    opt = make_optimizer(optimizer, [x], **hyperparameters)

    def evaluate(need_grad: bool) -> float:
        x.grad = None
        if grad is not None or not need_grad:
            with no_grad():
                value = _scalar(fn(x))
            if need_grad:
                g = np.array(grad(x.array.copy()), dtype=x.dtype)
                if g.shape != x.shape:
                    raise ValueError(f"minimize: grad returned shape {g.shape}, the point has shape {x.shape}")
                x.grad = Tensor(g)
            return value
        out = fn(x)
        value = _scalar(out)
        if isinstance(out, Tensor) and out.requires_grad:
            out.backward()
        if x.grad is None:  # fn does not depend on x
            x.grad = Tensor(np.zeros_like(x.array))
        return value

    path = np.empty((steps + 1, *x.shape), dtype=x.dtype)
    values = np.empty(steps + 1, dtype=np.float64)
    path[0] = x.array
    values[0] = evaluate(need_grad=steps > 0)
    for i in range(steps):
        opt.step()
        path[i + 1] = x.array
        values[i + 1] = evaluate(need_grad=i + 1 < steps)
        if callback is not None:
            callback(i, path[i + 1].copy(), float(values[i + 1]))
    return MinimizeResult(x=path[-1].copy(), value=np.float64(values[-1]), path=path, values=values)
