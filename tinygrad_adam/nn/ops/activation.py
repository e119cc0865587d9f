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


class EluOp(Op):
    """PyTorch's elu kernel: scale·x where x >= 0, alpha·scale·expm1(input_scale·x) where x < 0; the gradient
    takes the exponential side at x = 0 (alpha = NaN gives 0 there forward and NaN backward, as in PyTorch).
    celu is alpha, 1, 1/alpha; selu its two constants. The coefficients are rounded to x's dtype, as PyTorch's."""

    node_name = "EluBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, alpha: float, scale: float, input_scale: float) -> np.ndarray:
        kind = x.dtype.type
        negcoef, poscoef, negiptcoef = kind(alpha) * kind(scale), kind(scale), kind(input_scale)
        ctx.save_for_backward(x)
        ctx.coefficients = negcoef, poscoef, negiptcoef
        with np.errstate(over="ignore", invalid="ignore"):
            return np.where(x < 0, np.expm1(x * negiptcoef) * negcoef, x * poscoef)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        negcoef, poscoef, negiptcoef = ctx.coefficients
        with np.errstate(over="ignore", invalid="ignore"):
            return np.where(x <= 0, grad * negiptcoef * negcoef * np.exp(x * negiptcoef), grad * poscoef)


def elu(x: Tensor, alpha: float, scale: float = 1.0, input_scale: float = 1.0) -> Tensor:
    return EluOp.apply(x, alpha=alpha, scale=scale, input_scale=input_scale)


class SoftplusOp(Op):
    """PyTorch's softplus kernel: x where beta·x > threshold, else log1p(exp(beta·x)) / beta (a NaN threshold
    picks the logarithm everywhere); gradient z / (z + 1), z = exp(beta·x), finite at beta = 0."""

    node_name = "SoftplusBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
        kind = x.dtype.type
        beta_, threshold_ = kind(beta), kind(threshold)
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta_, threshold_
        bx = x * beta_
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return np.where(bx > threshold_, x, np.log1p(np.exp(bx)) / beta_)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        bx = x * ctx.beta
        with np.errstate(over="ignore", invalid="ignore"):
            z = np.exp(bx)
            return np.where(bx > ctx.threshold, grad, grad * z / (z + 1))


def softplus(x: Tensor, beta: float, threshold: float) -> Tensor:
    return SoftplusOp.apply(x, beta=beta, threshold=threshold)
