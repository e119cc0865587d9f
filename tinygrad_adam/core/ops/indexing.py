"""Indexing: t[index] and t[index] = value."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Context, Op


def _is_basic_index(index: Any) -> bool:
    """Slices, ints, None and Ellipsis select without repeats; arrays and lists may repeat."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, slice | int | np.integer | type(None) | type(Ellipsis)) for i in parts)


class GetItem(Op):
    """x[index] for slices, integer arrays and boolean masks; repeated indices add up."""
    saves_values = False


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


class SetItem(Op):
    """A copy of x with x[index] = value: the gradient skips the overwritten elements of x and reaches value."""
    saves_values = False


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
