"""Elementwise ops: arithmetic, functions of one value, comparisons that select. Each forward sits beside its backward.

A backward may return a gradient of the output's (broadcast) shape: the engine reduces it to the
input's shape (`engine.unbroadcast`).
"""

from __future__ import annotations

import functools

import numpy as np

from ..._platform import threads
from ..engine import Context, Op


# ----- arithmetic --------------------------------------------------------------------------------
class Add(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, grad


class Sub(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a - b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Op):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)


class Div(Op):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        return (grad / b if ctx.needs_input_grad[0] else None,
                -grad * a / (b * b) if ctx.needs_input_grad[1] else None)


def _div_floor(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """PyTorch's floating floor division, (a - fmod(a, b)) / b corrected by one and rounded: an infinite a gives
    NaN, and a quotient of 0 keeps the sign of a / b."""
    mod = np.fmod(a, b)
    div = (a - mod) / b
    div = np.where((mod != 0) & ((b < 0) != (mod < 0)), div - 1, div)
    floor = np.floor(div)
    floor = np.where(div - floor > 0.5, floor + 1, floor)
    quotient = a / b
    return np.where(b == 0, quotient, np.where(div != 0, floor, np.copysign(0, quotient))).astype(quotient.dtype)


class RoundedDiv(Op):
    """a / b rounded toward -inf ('floor') or 0 ('trunc'); a step function, so its gradient is zero."""

    saves_values = False

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray, mode: str) -> np.ndarray:
        if a.dtype.kind in "iu":
            if mode == "floor":
                return np.floor_divide(a, b)
            quotient = np.abs(a) // np.abs(b)
            return np.where((a < 0) != (b < 0), -quotient, quotient).astype(a.dtype)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return _div_floor(a, b) if mode == "floor" else np.trunc(a / b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        zero = np.zeros_like(grad)
        return zero, zero


class Neg(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        return -a

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return -grad


class PowScalar(Op):
    """x ** c for a constant exponent c."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, exponent: float) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        return x ** np.asarray(exponent, dtype=x.dtype) if x.dtype.kind == "f" else x ** exponent

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:  # d/dx x**0 = 0 everywhere, 0 at x = 0 included
            return np.zeros_like(grad)
        return grad * c * x ** np.asarray(c - 1, dtype=x.dtype)


class Pow(Op):
    """a ** b with both sides tensors; d/db needs a > 0."""

    saves_output = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.dtype.kind in "iu" and np.any(b < 0):  # as PyTorch: 1 ** -n = 1, (-1) ** -n = +-1, else 0
            with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
                out = np.trunc(np.power(a.astype(np.float64), b))
            out = np.where(np.isfinite(out), out, 0).astype(a.dtype)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):  # 0 ** -1 is inf, as in PyTorch, without a warning
                out = a ** b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        """As PyTorch: no gradient to a where b = 0, and none to b where a = 0 and b >= 0."""
        a, b, out = ctx.saved_tensors
        zero = np.zeros((), dtype=grad.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_a = np.where(b == 0, zero, grad * b * a ** (b - 1)) if ctx.needs_input_grad[0] else None
            grad_b = np.where((a == 0) & (b >= 0), zero, grad * out * np.log(a)) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class Clone(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad


class Cast(Clone):
    """A copy in another dtype; the engine gives the gradient back its input's dtype."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        return x.astype(dtype)


# ----- elementwise -------------------------------------------------------------------------------
class UnaryOp(Op):
    """y = value(x) with dy/dx = slope(x, y): a one-input op whose backward is grad times its slope."""

    @staticmethod
    def value(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def slope(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:  # type: ignore[override]
        y = cls.value(x)
        ctx.save_for_backward(x, y)
        return y

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> np.ndarray:  # type: ignore[override]
        x, y = ctx.saved_tensors
        return grad * cls.slope(x, y)


class Exp(UnaryOp):
    saves_output = True

    value = staticmethod(np.exp)
    slope = staticmethod(lambda x, y: y)


class Log1p(UnaryOp):
    """log(1 + x), exact for small x."""

    node_name = "Log1PBackward0"
    value = staticmethod(np.log1p)
    slope = staticmethod(lambda x, y: 1 / (1 + x))


class Log2(UnaryOp):
    value = staticmethod(np.log2)
    slope = staticmethod(lambda x, y: 1 / (x * np.log(2.0)))


class Log10(UnaryOp):
    value = staticmethod(np.log10)
    slope = staticmethod(lambda x, y: 1 / (x * np.log(10.0)))


class Log(Op):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Sin(UnaryOp):
    value = staticmethod(np.sin)
    slope = staticmethod(lambda x, y: np.cos(x))


class Cos(UnaryOp):
    value = staticmethod(np.cos)
    slope = staticmethod(lambda x, y: -np.sin(x))


class Abs(UnaryOp):
    """|x|, with gradient sign(x) (0 at x = 0 and at NaN, as in PyTorch)."""

    value = staticmethod(np.abs)
    slope = staticmethod(lambda x, y: (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype))


class Tanh(UnaryOp):
    saves_output = True

    value = staticmethod(np.tanh)
    slope = staticmethod(lambda x, y: 1 - y * y)


class Sigmoid(Op):
    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = 0.5 * (1 + np.tanh(0.5 * x))  # equal to 1 / (1 + e^-x), without overflow
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class ReLU(Op):
    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.empty_like(x)
        threads.run_elementwise(_maximum_with_zero, (x,), out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors  # the gradient passes where out is not <= 0: a NaN passes it, as in PyTorch
        if grad.shape != out.shape:
            return grad * np.logical_not(out <= 0)
        result = np.empty_like(out, dtype=np.result_type(grad, out))
        threads.run_elementwise(lambda g, o, r: np.multiply(g, np.logical_not(o <= 0), out=r), (grad, out), result)
        return result


ZERO_BLOCK = 1 << 16
"""Elements per block of zeros that ReLU's forward compares against (256 KB of float32: stays in cache)."""


@functools.cache
def _zeros(dtype: np.dtype) -> np.ndarray:
    zeros = np.zeros(ZERO_BLOCK, dtype=dtype)
    zeros.flags.writeable = False
    return zeros


def _maximum_with_zero(x: np.ndarray, out: np.ndarray) -> None:
    """out = max(x, 0). Against blocks of an array of zeros rather than the scalar 0: NumPy's
    maximum against a scalar skips its SIMD loop and ran about 2x slower."""
    flat_x, flat_out = threads.memory_order_flat(x), threads.memory_order_flat(out)
    if flat_x is None or flat_out is None or x.strides != out.strides:
        np.maximum(x, x.dtype.type(0), out=out)
        return
    zeros = _zeros(x.dtype)
    for start in range(0, flat_x.size, ZERO_BLOCK):
        stop = min(start + ZERO_BLOCK, flat_x.size)
        np.maximum(flat_x[start:stop], zeros[:stop - start], out=flat_out[start:stop])


class LeakyReLU(Op):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
        positive = x > 0
        ctx.save_for_backward(positive)
        ctx.negative_slope = negative_slope
        return np.where(positive, x, x * np.asarray(negative_slope, dtype=x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (positive,) = ctx.saved_tensors
        return np.where(positive, grad, grad * np.asarray(ctx.negative_slope, dtype=grad.dtype))


class Clip(Op):
    """Clamp to [low, high]; the gradient passes where low <= x <= high (as torch.clamp)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, low: float | None = None, high: float | None = None) -> np.ndarray:
        inside = np.ones(x.shape, dtype=bool)
        if low is not None:
            inside &= x >= low
        if high is not None:
            inside &= x <= high
        ctx.save_for_backward(inside)
        return np.clip(x, low, high)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (inside,) = ctx.saved_tensors
        return grad * inside


class Maximum(Op):
    """Elementwise max (or, with largest=False, min) of two tensors; at ties each side gets half the gradient."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray, largest: bool = True) -> np.ndarray:
        ctx.save_for_backward(a, b)
        ctx.largest = largest
        return np.maximum(a, b) if largest else np.minimum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved_tensors
        share_a = ((a > b) if ctx.largest else (a < b)) + 0.5 * (a == b)
        return grad * share_a, grad * (1 - share_a)


class Where(Op):
    """x where condition, else y. Filling with a scalar (masked_fill, tril) and the gradients copy the array and
    overwrite the other places: np.where's three-way loop takes twice as long (docs/performance.md)."""

    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, condition: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(condition)
        if y.ndim == 0 and y.dtype == x.dtype and np.broadcast_shapes(condition.shape, x.shape) == x.shape:
            return _overwritten(x, y, ~condition)
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), dtype=grad.dtype)
        return (_overwritten(grad, zero, ~condition) if ctx.needs_input_grad[0] else None,
                _overwritten(grad, zero, condition) if ctx.needs_input_grad[1] else None)


def _overwritten(a: np.ndarray, value: np.ndarray, where: np.ndarray) -> np.ndarray:
    """A copy of `a` with `value` where `where` (broadcast to a's shape) is True."""
    out = a.copy(order="K")
    np.copyto(out, value, where=where)
    return out


# ----- more elementwise math ---------------------------------------------------------------------
def _special(name: str) -> np.ufunc:
    """scipy.special's ufunc `name` (scipy comes with scikit-learn), imported on first use."""
    from scipy import special
    return getattr(special, name)


class Tan(UnaryOp):
    saves_output = True
    value = staticmethod(np.tan)
    slope = staticmethod(lambda x, y: 1 + y * y)


class Sinh(UnaryOp):
    value = staticmethod(np.sinh)
    slope = staticmethod(lambda x, y: np.cosh(x))


class Cosh(UnaryOp):
    value = staticmethod(np.cosh)
    slope = staticmethod(lambda x, y: np.sinh(x))


class Asin(UnaryOp):
    value = staticmethod(np.arcsin)
    slope = staticmethod(lambda x, y: 1 / np.sqrt(1 - x * x))


class Acos(UnaryOp):
    value = staticmethod(np.arccos)
    slope = staticmethod(lambda x, y: -1 / np.sqrt(1 - x * x))


class Atan(UnaryOp):
    value = staticmethod(np.arctan)
    slope = staticmethod(lambda x, y: 1 / (1 + x * x))


class Asinh(UnaryOp):
    value = staticmethod(np.arcsinh)
    slope = staticmethod(lambda x, y: 1 / np.sqrt(x * x + 1))


class Acosh(UnaryOp):
    value = staticmethod(np.arccosh)
    slope = staticmethod(lambda x, y: 1 / np.sqrt(x * x - 1))


class Atanh(UnaryOp):
    value = staticmethod(np.arctanh)
    slope = staticmethod(lambda x, y: 1 / (1 - x * x))


class Erf(UnaryOp):
    value = staticmethod(lambda x: _special("erf")(x))
    slope = staticmethod(lambda x, y: 2 / np.sqrt(np.pi) * np.exp(-x * x))


class Erfc(UnaryOp):
    value = staticmethod(lambda x: _special("erfc")(x))
    slope = staticmethod(lambda x, y: -2 / np.sqrt(np.pi) * np.exp(-x * x))


class Erfinv(UnaryOp):
    saves_output = True
    value = staticmethod(lambda x: _special("erfinv")(x))
    slope = staticmethod(lambda x, y: np.sqrt(np.pi) / 2 * np.exp(y * y))


class Expm1(UnaryOp):
    saves_output = True
    value = staticmethod(np.expm1)
    slope = staticmethod(lambda x, y: y + 1)


class Exp2(UnaryOp):
    saves_output = True
    value = staticmethod(np.exp2)
    slope = staticmethod(lambda x, y: y * np.log(2.0))


class Rsqrt(UnaryOp):
    saves_output = True
    value = staticmethod(lambda x: 1 / np.sqrt(x))
    slope = staticmethod(lambda x, y: -0.5 * y * y * y)


class Reciprocal(UnaryOp):
    saves_output = True
    value = staticmethod(lambda x: 1 / x)
    slope = staticmethod(lambda x, y: -y * y)


class Sinc(UnaryOp):
    """sin(pi x) / (pi x), 1 at 0 (where its slope is 0)."""

    value = staticmethod(np.sinc)
    slope = staticmethod(lambda x, y: np.where(x == 0, 0, (np.cos(np.pi * x) - y) / np.where(x == 0, 1, x)))


class Frac(UnaryOp):
    value = staticmethod(lambda x: x - np.trunc(x))
    slope = staticmethod(lambda x, y: np.ones_like(x))


class Logit(Op):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given (gradient 0 outside; NaN outside
    [0, 1] without eps, as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, eps: float | None = None) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.eps = eps
        if eps is not None:
            low, high = np.asarray(eps, x.dtype), np.asarray(1 - eps, x.dtype)
            x = np.where(x < low, low, np.where(x > high, high, x))  # PyTorch's order when eps > 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = grad / (x * (1 - x))
        low, high, outside = (0, 1, np.nan) if ctx.eps is None else (ctx.eps, 1 - ctx.eps, 0)
        return np.where((x < low) | (x > high), np.asarray(outside, grad.dtype), slope)


class Step(Op):
    """A function that is constant between jumps (ceil, floor, round, trunc, sign): its gradient is zero."""

    saves_values = False

    @staticmethod
    def value(x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray) -> np.ndarray:  # type: ignore[override]
        return cls.value(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.zeros_like(grad)


class Ceil(Step):
    value = staticmethod(np.ceil)


class Floor(Step):
    value = staticmethod(np.floor)


class Trunc(Step):
    value = staticmethod(np.trunc)


class Sign(Step):
    """-1, 0 or 1; 0 for NaN, as PyTorch."""

    value = staticmethod(lambda x: (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype))


class Round(Step):
    """Half to even, as PyTorch; `decimals` digits after the point."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, decimals: int = 0) -> np.ndarray:  # type: ignore[override]
        return np.round(x, decimals)


class Atan2(Op):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.arctan2(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved_tensors
        scale = grad / (a * a + b * b)
        return scale * b, -scale * a


class Hypot(Op):
    saves_output = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.hypot(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b, out = ctx.saved_tensors
        scale = grad / out
        return scale * a, scale * b


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where((x == 0) & ~np.isnan(y), np.zeros((), x.dtype), x * np.log(y))


class Xlogy(Op):
    """x * log(y), 0 where x = 0 (unless y is NaN)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x, y)
        return _xlogy(x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        x, y = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            zero = np.zeros((), grad.dtype)
            return (np.where((x == 0) & (y <= 0), zero, _xlogy(grad, y)) if ctx.needs_input_grad[0] else None,
                    grad * x / y if ctx.needs_input_grad[1] else None)


class Logaddexp(Op):
    """log(e^a + e^b) without overflow."""

    combine = staticmethod(np.logaddexp)
    power = staticmethod(np.exp)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # type: ignore[override]
        ctx.save_for_backward(a, b)
        return cls.combine(a, b)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[override]
        a, b = ctx.saved_tensors
        with np.errstate(over="ignore"):
            return grad / (1 + cls.power(b - a)), grad / (1 + cls.power(a - b))


class Logaddexp2(Logaddexp):
    """log2(2^a + 2^b) without overflow."""

    combine = staticmethod(np.logaddexp2)
    power = staticmethod(np.exp2)


class Remainder(Op):
    """a - floor(a / b) * b (the sign of b, as Python's %); the gradient to b is -floor(a / b)."""

    node_name = "RemainderBackward1"
    value = staticmethod(np.remainder)
    rounding = staticmethod(np.floor)

    @classmethod
    def forward(cls, ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:  # type: ignore[override]
        ctx.save_for_backward(a, b)
        with np.errstate(divide="ignore", invalid="ignore"):
            return cls.value(a, b)

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:  # type: ignore[override]
        a, b = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad, -grad * cls.rounding(a / b) if ctx.needs_input_grad[1] else None


class Fmod(Remainder):
    """a - trunc(a / b) * b (the sign of a, as C's fmod)."""

    node_name = "FmodBackward1"
    value = staticmethod(np.fmod)
    rounding = staticmethod(np.trunc)


class NumberRemainder(Remainder):
    """number % tensor: PyTorch records it but has no derivative for it."""

    node_name = "NotImplemented"

    @classmethod
    def backward(cls, ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:  # type: ignore[override]
        raise RuntimeError("derivative for aten::remainder is not implemented")


class FloorDivide(RoundedDiv):
    """a // b (torch.floor_divide): PyTorch records it but has no derivative for it."""

    node_name = "NotImplemented"

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise RuntimeError("derivative for aten::floor_divide is not implemented")


class Copysign(Op):
    """|a| with the sign of b; b gets a zero gradient."""

    saves_output = True

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = np.copysign(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, out = ctx.saved_tensors
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(a == 0, np.zeros((), grad.dtype), grad * (out / a)), np.zeros_like(grad)


def _polygamma(n: int, x: np.ndarray) -> np.ndarray:
    """The n-th derivative of digamma (digamma itself for n = 0), in x's dtype."""
    value = _special("psi")(x) if n == 0 else _special("polygamma")(n, x)
    return np.asarray(value).astype(x.dtype, copy=False)


class Polygamma(Op):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, n: int) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.n = n
        return _polygamma(n, x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * _polygamma(ctx.n + 1, x)


def _lgamma(x: np.ndarray) -> np.ndarray:
    y = np.asarray(_special("gammaln")(x)).astype(x.dtype, copy=False)
    return np.where(np.isneginf(x), np.inf, y).astype(x.dtype, copy=False)  # PyTorch's (and C's) lgamma(-inf)


class Lgamma(UnaryOp):
    """log |Gamma(x)|."""

    value = staticmethod(_lgamma)
    slope = staticmethod(lambda x, y: _polygamma(0, x))


class I0(UnaryOp):
    """The modified Bessel function of the first kind, order 0."""

    value = staticmethod(lambda x: np.asarray(_special("i0")(x)).astype(x.dtype, copy=False))
    slope = staticmethod(lambda x, y: np.asarray(_special("i1")(x)).astype(x.dtype, copy=False))
