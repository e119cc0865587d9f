"""Movement ops: reshape, permute, expand, pad, concatenate, stack. Their backward moves the gradient back."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Context, Op


# ----- movement ----------------------------------------------------------------------------------
class Reshape(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        ctx.input_shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad.reshape(ctx.input_shape)


class Permute(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
        ctx.order = order
        return np.transpose(x, order)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.transpose(grad, np.argsort(ctx.order))


class Expand(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad  # the engine sums it back to the input's shape


class Pad(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, pad_width: Any, value: float = 0.0) -> np.ndarray:
        out = np.pad(x, pad_width, mode="constant", constant_values=value)
        widths = np.broadcast_to(np.asarray(pad_width, dtype=int), (x.ndim, 2))  # NumPy's rules
        ctx.window = tuple(slice(int(lo), int(lo) + n) for (lo, _), n in zip(widths, x.shape, strict=True))
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad[ctx.window]


class Concatenate(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        ctx.axis = axis
        ctx.boundaries = np.cumsum([a.shape[axis] for a in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> list[np.ndarray]:
        return np.split(grad, ctx.boundaries, axis=ctx.axis)


class Stack(Op):
    saves_values = False

    @staticmethod
    def forward(ctx: Context, *arrays: np.ndarray, axis: int = 0) -> np.ndarray:
        ctx.axis = axis
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> list[np.ndarray]:
        return list(np.moveaxis(grad, ctx.axis, 0))


class Flip(Op):
    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dims: tuple[int, ...]) -> np.ndarray:
        ctx.dims = dims
        return np.flip(x, dims).copy() if dims else x.copy()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return np.flip(grad, ctx.dims) if ctx.dims else grad


class Roll(Op):
    """np.roll: elements shifted along dims, wrapping around (all flattened when dims is None)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, shifts: tuple[int, ...], dims: tuple[int, ...] | None) -> np.ndarray:
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts[0] if dims is None else shifts, axis=dims)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        back = tuple(-s for s in ctx.shifts)
        return np.roll(grad, back[0] if ctx.dims is None else back, axis=ctx.dims)
