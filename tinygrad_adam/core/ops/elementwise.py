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
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.floor if mode == "floor" else np.trunc)(a / b)

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


class Cast(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        ctx.input_dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad.astype(ctx.input_dtype)


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
    """|x|, with gradient sign(x) (0 at x = 0, as in PyTorch)."""

    value = staticmethod(np.abs)
    slope = staticmethod(lambda x, y: np.sign(x))


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
        (out,) = ctx.saved_tensors
        if grad.shape != out.shape:
            return grad * (out > 0)
        result = np.empty_like(out, dtype=np.result_type(grad, out))
        threads.run_elementwise(lambda g, o, r: np.multiply(g, o > 0, out=r), (grad, out), result)
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
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, condition: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(condition)
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), dtype=grad.dtype)
        return np.where(condition, grad, zero), np.where(condition, zero, grad)
