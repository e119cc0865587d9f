"""Tensor ops that sequence models use: triangular masks, masked_fill, one_hot.

Each is a composition of existing differentiable ops (`where`), so its gradient
comes for free; one_hot makes an integer tensor outside the graph, as in PyTorch.
These are PyTorch's functions with PyTorch's signatures; the Tensor methods of
the same names (`x.tril()`, `x.masked_fill(mask, v)`) call them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...engine import Tensor, where


def _triangle(name: str, input: Tensor, keep: np.ndarray) -> Tensor:
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions, got shape {input.shape}")
    zero = Tensor._make(np.zeros((), dtype=input.array.dtype), False)
    return where(keep, input, zero)


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims (elements with column - row <= diagonal); the rest 0."""
    rows, cols = input.shape[-2:] if input.ndim >= 2 else (0, 0)
    return _triangle("tril", input, np.tri(rows, cols, diagonal, dtype=bool))


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims (elements with column - row >= diagonal); the rest 0."""
    rows, cols = input.shape[-2:] if input.ndim >= 2 else (0, 0)
    return _triangle("triu", input, ~np.tri(rows, cols, diagonal - 1, dtype=bool))


def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:
    """input with `value` where the boolean `mask` (broadcast to input's shape) is True."""
    mask_array = np.asarray(mask.array if isinstance(mask, Tensor) else mask)
    if mask_array.dtype != np.bool_:
        raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with dtype {mask_array.dtype}")
    try:
        keep_shape = np.broadcast_shapes(mask_array.shape, input.shape) == input.shape
    except ValueError:
        keep_shape = False
    if not keep_shape:
        raise RuntimeError(f"masked_fill: the mask of shape {mask_array.shape} does not broadcast to the input's "
                           f"shape {input.shape}")
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"masked_fill only supports a 0-dimensional value tensor, but got tensor with "
                               f"{value.ndim} dimension(s).")
        value = value.astype(input.array.dtype)
    else:
        value = Tensor._make(np.asarray(value, dtype=input.array.dtype), False)
    return where(mask_array, value.expand(input.shape), input)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape (*tensor.shape, num_classes) with 1 at each index (num_classes -1: max + 1)."""
    indices = tensor.array if isinstance(tensor, Tensor) else np.asarray(tensor)
    if indices.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if indices.size and indices.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if not indices.size:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(indices.max()) + 1
    elif indices.size and indices.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((indices[..., None] == np.arange(num_classes)).astype(np.int64), False)
