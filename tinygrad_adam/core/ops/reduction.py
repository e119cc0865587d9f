"""Reductions (sum, mean, max, var) and the softmax family, which reduce along a dim."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._platform.sums import sum_keepdims
from ..engine import Context, Op
from ..graph_nodes import renamed


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



def _saved_and_squeezed(ctx: Context, x: np.ndarray, out: np.ndarray, axis: Any, keepdims: bool) -> np.ndarray:
    """Save x and the result with kept dims for backward; return the result as the caller asked for it."""
    ctx.save_for_backward(x, out)
    ctx.axis, ctx.keepdims = axis, keepdims
    return out if keepdims else np.squeeze(out, axis=axis)


# ----- reductions --------------------------------------------------------------------------------
class Sum(Op):
    saves_values = False

    reduce = staticmethod(np.sum)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        ctx.shape, ctx.axis, ctx.keepdims = x.shape, axis, keepdims
        return cls.reduce(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.broadcast_to(_expand_reduced(grad, ctx.axis, ctx.keepdims, ctx.shape), ctx.shape)


class Mean(Sum):
    """The sum's forward with np.mean, and its backward with the gradient shared among the `count` inputs."""

    reduce = staticmethod(np.mean)

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):  # the mean of nothing is nan, without a warning
            return super().forward(ctx, x, axis, keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        count = int(np.prod([ctx.shape[a] for a in _normalize_axis(ctx.axis, len(ctx.shape))]))
        return Sum.backward(ctx, grad / max(count, 1))


class Max(Op):
    """Maximum (or, with largest=False, minimum) over axes; tied extremes share the gradient equally (with
    nan_ties, a NaN result's NaNs share it, as PyTorch's max() of all entries; amax gives NaN everywhere)."""

    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False,
                largest: bool = True, nan_ties: bool = False) -> np.ndarray:
        ctx.nan_ties = nan_ties
        out = (np.max if largest else np.min)(x, axis=axis, keepdims=True)
        return _saved_and_squeezed(ctx, x, out, axis, keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        mask = x == out
        if ctx.nan_ties:
            mask |= np.isnan(x) & np.isnan(out)
        share = mask / mask.sum(axis=ctx.axis, keepdims=True)
        return share * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)


class MaxAlongDim(Op):
    """max over one dim, as torch.max(x, dim): the values and their first indices; the gradient goes to those."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, keepdim: bool = False, largest: bool = True) -> np.ndarray:
        indices = np.expand_dims((np.argmax if largest else np.argmin)(x, axis=dim), dim)
        ctx.shape, ctx.dim, ctx.keepdim, ctx.indices = x.shape, dim, keepdim, indices
        out = np.take_along_axis(x, indices, axis=dim)
        return out if keepdim else np.squeeze(out, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=grad.dtype)
        np.put_along_axis(full, ctx.indices, grad if ctx.keepdim else np.expand_dims(grad, ctx.dim), axis=ctx.dim)
        return full


class Var(Op):
    """The variance over axes, dividing by N - ddof; with `root`, the standard deviation (torch.std).

    A float32 input is reduced in float64 and rounded once, as PyTorch's CPU kernel accumulates in double:
    the values are PyTorch's, bit for bit. The backward is PyTorch's, in the input's dtype; a standard
    deviation of 0 passes no gradient (PyTorch's std_backward).
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False, ddof: float = 0,
                root: bool = False) -> np.ndarray:
        centered = x - np.mean(x, axis=axis, keepdims=True)
        count = int(np.prod([x.shape[a] for a in _normalize_axis(axis, x.ndim)]))
        # N <= correction divides by 0 (inf or nan), as PyTorch does; its backward divides by N - correction
        ctx.axis, ctx.keepdims, ctx.divisor, ctx.root = axis, keepdims, x.dtype.type(count - ddof), root
        ctx.whole = axis is None or x.ndim == 0
        wide = centered
        if x.dtype != np.float64:
            wide = x.astype(np.float64)
            wide -= np.mean(wide, axis=axis, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.sum(wide * wide, axis=axis, keepdims=keepdims) / np.float64(max(count - ddof, 0))
            out = np.asarray(np.sqrt(out) if root else out).astype(x.dtype, copy=False)
        ctx.save_for_backward(centered, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        centered, out = ctx.saved_tensors
        if ctx.root:
            with np.errstate(divide="ignore", invalid="ignore"):
                grad = np.where(out == 0, np.zeros((), grad.dtype), grad / (2 * out))
        grad = _expand_reduced(grad, ctx.axis, ctx.keepdims, centered.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            if ctx.whole and ctx.divisor <= 0:  # PyTorch's var_backward: inf, NaN where x is the mean
                return grad * np.where(centered == 0, np.nan, np.inf).astype(grad.dtype)
            return grad * (2 / ctx.divisor) * centered


Std = renamed(Var, "StdBackward0", "Std")


class Norm2(Op):
    """The 2-norm over axes; its gradient x / norm is 0 where the norm is 0, as in PyTorch."""

    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        out = np.sqrt(np.sum(x * x, axis=axis, keepdims=True))
        return _saved_and_squeezed(ctx, x, out, axis, keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(out == 0, np.zeros((), x.dtype), x / out)
        return share * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)



class PNorm(Op):
    """(Σ|x|^p)^(1/p) over axes for p other than 0, 1, 2 and ±inf, with PyTorch's values and gradient: a
    reduction of one element is |x| (for a NaN p too), and the backward is PyTorch's norm_backward, which
    gives 0 where x or the norm is 0 instead of 0·inf."""

    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, p: float = 2.0, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        a = np.abs(x)
        ctx.p = p
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if x.size and a.size == np.sum(a, axis=axis, keepdims=True).size:
                out = a.copy()
            else:
                out = np.asarray(np.sum(a ** p, axis=axis, keepdims=True) ** (1 / p), dtype=x.dtype)
        return _saved_and_squeezed(ctx, x, out, axis, keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        p, grad = ctx.p, _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p < 1:
                scaled = np.where(x == 0, np.zeros((), x.dtype), np.sign(x) * np.abs(x) ** (p - 1))
                return scaled * grad * out ** (1 - p)
            scaled = np.sign(x) * np.abs(x) ** (p - 1) if p < 2 else x * np.abs(x) ** (p - 2)
            return scaled * np.where(out == 0, np.zeros((), x.dtype), grad / out ** (p - 1))


class CountNonzero(Op):
    """The 0-"norm", the number of nonzero entries over axes; no gradient (None), as PyTorch's."""

    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        return np.asarray(np.sum(x != 0, axis=axis, keepdims=keepdims), dtype=x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> None:
        return None


# ----- softmax family (stable: shifted by the maximum) -------------------------------------------
class Softmax(Op):
    saves_output = True

    @classmethod
    def forward(cls, ctx: Context, x: np.ndarray, axis: int = -1) -> np.ndarray:
        out = x - np.max(x, axis=axis, keepdims=True) if x.size else x.copy()
        cls.normalize(out, axis)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def normalize(shifted: np.ndarray, axis: int) -> None:
        """x - max(x) into softmax(x), in place."""
        np.exp(shifted, out=shifted)
        shifted /= sum_keepdims(shifted, axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        result = grad * out
        np.subtract(grad, sum_keepdims(result, ctx.axis), out=result)
        result *= out
        return result


class LogSoftmax(Softmax):
    """Softmax's forward with the log taken inside the normalization (no log of a tiny quotient)."""

    @staticmethod
    def normalize(shifted: np.ndarray, axis: int) -> None:
        shifted -= np.log(sum_keepdims(np.exp(shifted), axis))

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        return grad - np.exp(out) * sum_keepdims(grad, ctx.axis)


class LogSumExp(Op):
    saves_output = True

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
        m = np.where(np.isfinite(m), m, np.zeros((), x.dtype))  # all -inf, or nothing: log(0) = -inf
        with np.errstate(divide="ignore"):
            out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
        return _saved_and_squeezed(ctx, x, out, axis, keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        return np.exp(x - out) * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)


class Cumsum(Op):
    """Running sums along `axis`; each input reaches every later output, so the gradient is the reversed running sum."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: int) -> np.ndarray:
        ctx.axis = axis
        return np.cumsum(x, axis=axis, dtype=x.dtype) if x.ndim else x.copy()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        if grad.ndim == 0:
            return grad
        return np.flip(np.cumsum(np.flip(grad, ctx.axis), axis=ctx.axis), ctx.axis)


def _products_of_the_others(x: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """For each element, the product of the other elements of its slice over `axes` (exact with zeros)."""
    if x.size == 0:
        return np.zeros_like(x)
    ends = tuple(range(-len(axes), 0))
    moved = np.moveaxis(x, axes, ends)
    flat = moved.reshape(moved.shape[:moved.ndim - len(axes)] + (-1,))
    ones = np.ones_like(flat[..., :1])
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], -1), -1), -1)
    return np.moveaxis((before * after).reshape(moved.shape), ends, axes)


class Prod(Op):
    """The product over axes; each input's gradient is the product of the others (zeros included)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
        ctx.save_for_backward(x)
        ctx.axis, ctx.keepdims = axis, keepdims
        return np.prod(x, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        others = _products_of_the_others(x, _normalize_axis(ctx.axis, x.ndim))
        return others * _expand_reduced(grad, ctx.axis, ctx.keepdims, x.shape)


class Cumprod(Op):
    """Running products along `axis`. The backward is PyTorch's cumprod_backward: with no zero input,
    reversed-cumsum(out * grad) / x; else, per slice, that formula before the first zero z, at z the product
    x_0..x_(z-1) times the sum over k from z to the next zero of grad_k * x_(z+1)..x_k, and 0 after z (so NaN
    and inf spread as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, axis: int) -> np.ndarray:
        ctx.axis = axis
        out = np.cumprod(x, axis=axis, dtype=x.dtype) if x.ndim else x.copy()
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        x, out = ctx.saved_tensors
        axis = ctx.axis
        if x.ndim == 0 or x.shape[axis] <= 1:
            return grad

        def reversed_cumsum(a: np.ndarray) -> np.ndarray:
            return np.flip(np.cumsum(np.flip(a, axis), axis), axis)

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if (x != 0).all():
                return reversed_cumsum(out * grad) / x
            zeros = x == 0
            seen = np.cumsum(zeros, axis)
            before, first = seen == 0, zeros & (seen == 1)
            result = np.where(before, reversed_cumsum(np.where(before, out * grad, 0)) / x, 0)
            prefix = np.prod(np.where(before, x, 1), axis, keepdims=True)  # x_0..x_(z-1)
            after = np.cumprod(np.where(before | first, 1, x), axis)  # x_(z+1)..x_k
            through_next = (seen == 1) | (zeros & (seen == 2))  # from the first zero to the next one
            at_first = prefix * reversed_cumsum(np.where(through_next, grad * after, 0))
            return np.where(first, at_first, result).astype(grad.dtype, copy=False)
