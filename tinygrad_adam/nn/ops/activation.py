"""GELU as one op, exact (with erf) or with PyTorch's tanh approximation; Hardsigmoid and Hardswish with
PyTorch's slopes.

    exact:  y = x · Φ(x),  Φ(x) = (1 + erf(x / √2)) / 2,          dy/dx = Φ(x) + x · φ(x),  φ the normal pdf
    tanh:   y = x · (1 + tanh(u)) / 2,  u = √(2/π) · (x + 0.044715 x³)
            dy/dx = (1 + t) / 2 + x · (1 - t²) / 2 · √(2/π) · (1 + 3 · 0.044715 x²),  t = tanh(u)
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf

from ...core.engine import Context, Op
from ...core.ops.elementwise import UnaryOp
from ...core.tensor import Tensor

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_CUBIC = 0.044715


class GELUOp(Op):
    node_name = "GeluBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, approximate: str) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.approximate = approximate
        if approximate == "tanh":
            return (0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + _CUBIC * x * x * x)))).astype(x.dtype, copy=False)
        return (0.5 * x * (1 + erf(x * (1 / math.sqrt(2))))).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = np.tanh(_SQRT_2_OVER_PI * (x + _CUBIC * x * x * x))
            slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (1 + 3 * _CUBIC * x * x)
        else:
            slope = 0.5 * (1 + erf(x * (1 / math.sqrt(2)))) + x * np.exp(-0.5 * x * x) * (1 / math.sqrt(2 * math.pi))
        return grad * slope.astype(x.dtype, copy=False)


def gelu(x: Tensor, approximate: str, op: str) -> Tensor:
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"{op}: approximate argument must be either none or tanh, got {approximate!r}")
    if x.array.dtype.kind != "f":
        raise RuntimeError(f"{op}: expected a floating-point input, got {x.dtype}")
    return GELUOp.apply(x, approximate=approximate)


class HardsigmoidOp(UnaryOp):
    """relu6(x + 3) / 6. Its slope inside (-3, 3) is 1/6 rounded to float32 in every dtype, as PyTorch's kernel."""

    node_name = "HardsigmoidBackward0"
    value = staticmethod(lambda x: np.clip(x + 3, 0, 6) / 6)
    slope = staticmethod(lambda x, y: ((x > -3) & (x < 3)) * np.float32(1 / 6))


def hardsigmoid(x: Tensor) -> Tensor:
    return HardsigmoidOp.apply(x)


class HardswishOp(UnaryOp):
    """x·relu6(x + 3) / 6, with the slope of PyTorch's scalar kernel: 0 up to -3, x/3 + 1/2 below 3, else 1 (so
    1 at NaN, where every comparison fails; its vectorized kernel gives NaN there, see docs/pytorch.md)."""

    node_name = "HardswishBackward0"
    value = staticmethod(lambda x: x * np.clip(x + 3, 0, 6) / 6)
    slope = staticmethod(lambda x, y: np.where(x <= -3, 0, np.where(x < 3, x / 3 + 0.5, 1)).astype(x.dtype))


def hardswish(x: Tensor) -> Tensor:
    return HardswishOp.apply(x)
