"""Primitive differentiable ops. Each forward sits beside its backward.

Every backward may return a gradient of the output's (broadcast) shape: the
engine reduces it to the input's shape (see `engine.unbroadcast`).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from . import _threads
from .engine import Context, Function


def _normalize_axis(axis: int | tuple[int, ...] | None, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    return tuple(int(a) % ndim if ndim else 0 for a in axes)


def _expand_reduced(grad: np.ndarray, axis: Any, keepdims: bool, shape: tuple[int, ...]) -> np.ndarray:
    """Give a reduction's output gradient back the reduced axes so it broadcasts to `shape`."""
    if not keepdims and shape:
        grad = np.expand_dims(grad, _normalize_axis(axis, len(shape)))
    return grad


# ----- arithmetic --------------------------------------------------------------------------------
class Add(Function):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a + b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return grad, grad


class Sub(Function):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return a - b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        return grad, -grad if ctx.needs_input_grad[1] else None


class Mul(Function):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        return (grad * b if ctx.needs_input_grad[0] else None,
                grad * a if ctx.needs_input_grad[1] else None)


class Div(Function):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return a / b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        return (grad / b if ctx.needs_input_grad[0] else None,
                -grad * a / (b * b) if ctx.needs_input_grad[1] else None)


class Neg(Function):
    @staticmethod
    def forward(ctx: Context, a: np.ndarray) -> np.ndarray:
        return -a

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return -grad


class PowScalar(Function):
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
        return grad * c * x ** np.asarray(c - 1, dtype=x.dtype)


class Pow(Function):
    """a ** b with both sides tensors; d/db needs a > 0."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = a ** b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b, out = ctx.saved_tensors
        grad_a = grad * b * a ** (b - 1) if ctx.needs_input_grad[0] else None
        grad_b = grad * out * np.log(a) if ctx.needs_input_grad[1] else None
        return grad_a, grad_b


class MatMul(Function):
    """np.matmul semantics: 1-D operands are promoted and the added axis removed again."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul needs operands with at least one dimension")
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a, b = ctx.saved_tensors
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = grad
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2 if b.ndim > 1 else 0)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_a = g2 @ np.swapaxes(b2, -1, -2)
            if a.ndim == 1:
                grad_a = grad_a[..., 0, :]
        if ctx.needs_input_grad[1]:
            grad_b = np.swapaxes(a2, -1, -2) @ g2
            if b.ndim == 1:
                grad_b = grad_b[..., 0]
        return grad_a, grad_b


class Clone(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return x.copy()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad


class Cast(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dtype: np.dtype) -> np.ndarray:
        ctx.input_dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad.astype(ctx.input_dtype)


# ----- reductions --------------------------------------------------------------------------------
class Sum(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        ctx.shape, ctx.axis, ctx.keepdims = x.shape, axis, keepdims
        return np.sum(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.broadcast_to(_expand_reduced(grad, ctx.axis, ctx.keepdims, ctx.shape), ctx.shape)


class Mean(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        ctx.shape, ctx.axis, ctx.keepdims = x.shape, axis, keepdims
        return np.mean(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        count = int(np.prod([ctx.shape[a] for a in _normalize_axis(ctx.axis, len(ctx.shape))]))
        grad = _expand_reduced(grad, ctx.axis, ctx.keepdims, ctx.shape) / count
        return np.broadcast_to(grad, ctx.shape)


class Max(Function):
    """Maximum over axes; tied maxima share the gradient equally."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        out = np.max(x, axis=axis, keepdims=True)
        ctx.save_for_backward(x, out)
        ctx.axis, ctx.keepdims = axis, keepdims
        return out if keepdims else np.squeeze(out, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        mask = x == out
        share = mask / mask.sum(axis=ctx.axis, keepdims=True)
        return share * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)


class MaxAlongDim(Function):
    """max over one dim, as torch.max(x, dim): the values and their first indices; the gradient goes to those."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, keepdim: bool = False) -> np.ndarray:
        indices = np.expand_dims(np.argmax(x, axis=dim), dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.indices = x.shape, dim, keepdim, indices
        out = np.take_along_axis(x, indices, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=grad.dtype)
        np.put_along_axis(full, ctx.indices, grad if ctx.keepdim else np.expand_dims(grad, ctx.dim), axis=ctx.dim)
        return full


class Var(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False,
                ddof: int = 0) -> np.ndarray:
        centered = x - np.mean(x, axis=axis, keepdims=True)
        count = int(np.prod([x.shape[a] for a in _normalize_axis(axis, x.ndim)]))
        ctx.save_for_backward(centered)
        ctx.axis, ctx.keepdims, ctx.divisor = axis, keepdims, count - ddof
        return np.sum(centered * centered, axis=axis, keepdims=keepdims) / (count - ddof)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (centered,) = ctx.saved_tensors
        grad = _expand_reduced(grad, ctx.axis, ctx.keepdims, centered.shape)
        return grad * (2 / ctx.divisor) * centered


# ----- elementwise -------------------------------------------------------------------------------
class Exp(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.log(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Sin(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.cos(x)


class Cos(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return -grad * np.sin(x)


class Abs(Function):
    """|x|, with gradient sign(x) (0 at x = 0, as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.sign(x)


class Tanh(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = 0.5 * (1 + np.tanh(0.5 * x))  # equal to 1 / (1 + e^-x), without overflow
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class ReLU(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        out = np.empty_like(x)
        _threads.run_elementwise(_maximum_with_zero, (x,), out)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        if grad.shape != out.shape:
            return grad * (out > 0)
        result = np.empty_like(out, dtype=np.result_type(grad, out))
        _threads.run_elementwise(lambda g, o, r: np.multiply(g, o > 0, out=r), (grad, out), result)
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
    flat_x, flat_out = _threads.memory_order_flat(x), _threads.memory_order_flat(out)
    if flat_x is None or flat_out is None or x.strides != out.strides:
        np.maximum(x, x.dtype.type(0), out=out)
        return
    zeros = _zeros(x.dtype)
    for start in range(0, flat_x.size, ZERO_BLOCK):
        stop = min(start + ZERO_BLOCK, flat_x.size)
        np.maximum(flat_x[start:stop], zeros[:stop - start], out=flat_out[start:stop])


class LeakyReLU(Function):
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


class Clip(Function):
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


class Maximum(Function):
    """Elementwise max of two tensors; at ties each side gets half the gradient."""

    @staticmethod
    def forward(ctx: Context, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = ctx.saved_tensors
        share_a = (a > b) + 0.5 * (a == b)
        return grad * share_a, grad * (1 - share_a)


class Where(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, y: np.ndarray, condition: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(condition)
        return np.where(condition, x, y)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (condition,) = ctx.saved_tensors
        zero = np.zeros((), dtype=grad.dtype)
        return np.where(condition, grad, zero), np.where(condition, zero, grad)


# ----- softmax family (stable: shifted by the maximum) -------------------------------------------
class Softmax(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: int = -1) -> np.ndarray:
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        out = e / np.sum(e, axis=axis, keepdims=True)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return out * (grad - np.sum(grad * out, axis=ctx.axis, keepdims=True))


class LogSoftmax(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: int = -1) -> np.ndarray:
        shifted = x - np.max(x, axis=axis, keepdims=True)
        out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad - np.exp(out) * np.sum(grad, axis=ctx.axis, keepdims=True)


class LogSumExp(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        m = np.max(x, axis=axis, keepdims=True)
        out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
        ctx.save_for_backward(x, out)
        ctx.axis, ctx.keepdims = axis, keepdims
        return out if keepdims else np.squeeze(out, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        return np.exp(x - out) * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)


# ----- movement ----------------------------------------------------------------------------------
class Reshape(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.input_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(ctx.input_shape)


class Permute(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
        ctx.order = order
        return np.transpose(x, order)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.transpose(grad, np.argsort(ctx.order))


class Expand(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad  # the engine sums it back to the input's shape


class Pad(Function):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, pad_width: Any, value: float = 0.0) -> np.ndarray:
        out = np.pad(x, pad_width, mode="constant", constant_values=value)
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))  # NumPy's rules
        ctx.window = tuple(slice(int(lo), int(lo) + n) for (lo, _), n in zip(widths, x.shape, strict=True))
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad[ctx.window]


class Concatenate(Function):
    @staticmethod
    def forward(ctx: Context, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        ctx.axis = axis
        ctx.boundaries = np.cumsum([a.shape[axis] for a in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> list[np.ndarray]:
        return np.split(grad, ctx.boundaries, axis=ctx.axis)


class Stack(Function):
    @staticmethod
    def forward(ctx: Context, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        ctx.axis = axis
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> list[np.ndarray]:
        return list(np.moveaxis(grad, ctx.axis, 0))


def _is_basic_index(index: Any) -> bool:
    """Slices, ints, None and Ellipsis select without repeats; arrays and lists may repeat."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, slice | int | np.integer | type(None) | type(Ellipsis)) for i in parts)


class GetItem(Function):
    """x[index] for slices, integer arrays and boolean masks; repeated indices add up."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, index: Any) -> np.ndarray:
        ctx.shape, ctx.dtype, ctx.index = x.shape, x.dtype, index
        return x[index]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=ctx.dtype)
        if _is_basic_index(ctx.index):
            full[ctx.index] = grad
        else:
            np.add.at(full, ctx.index, grad)
        return full


class SetItem(Function):
    """A copy of x with x[index] = value: the gradient skips the overwritten elements of x and reaches value."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, value: np.ndarray, index: Any) -> np.ndarray:
        ctx.index = index
        out = x.copy()
        out[index] = value
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grad_x = grad.copy()
        grad_x[ctx.index] = 0
        return grad_x, grad[ctx.index]
