"""The embedding lookup as one op: forward weight[indices], backward a scatter-add of the rows' gradients.

The padding row (padding_idx) gets no gradient; with scale_grad_by_freq each row's gradient is divided
by how often its index occurs in the batch, as PyTorch does.
"""

from __future__ import annotations

import numpy as np

from ...core.engine import Context, Op
from ...core.tensor import Tensor


class EmbeddingOp(Op):
    """embedding(weight (num_embeddings, embedding_dim), indices (*)) -> (*, embedding_dim)."""

    node_name = "EmbeddingBackward0"

    @staticmethod
    def forward(ctx: Context, weight: np.ndarray, indices: np.ndarray, padding_idx: int | None,
                scale_grad_by_freq: bool) -> np.ndarray:
        ctx.indices, ctx.weight_shape, ctx.weight_dtype = indices, weight.shape, weight.dtype
        ctx.padding_idx, ctx.scale_grad_by_freq = padding_idx, scale_grad_by_freq
        return weight[indices]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        flat = ctx.indices.reshape(-1)
        rows = grad.reshape(flat.size, ctx.weight_shape[1])
        if ctx.scale_grad_by_freq:
            rows = rows / np.bincount(flat, minlength=ctx.weight_shape[0])[flat, None].astype(rows.dtype)
        full = np.zeros(ctx.weight_shape, dtype=ctx.weight_dtype)
        np.add.at(full, flat, rows)
        if ctx.padding_idx is not None:
            full[ctx.padding_idx] = 0
        return full


def embedding(indices: Tensor, weight: Tensor, padding_idx: int | None, scale_grad_by_freq: bool, op: str) -> Tensor:
    """EmbeddingOp after checking that the indices are integers inside the table."""
    array = indices.array if isinstance(indices, Tensor) else np.asarray(indices)
    if array.dtype.kind not in "iu":
        raise RuntimeError(f"{op}: Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got {array.dtype} instead")
    if array.size and (array.min() < 0 or array.max() >= weight.shape[0]):
        raise IndexError(f"{op}: index out of range in self: indices must lie in [0, {weight.shape[0]}), got "
                         f"values from {array.min()} to {array.max()}")
    return EmbeddingOp.apply(weight, array, padding_idx=padding_idx, scale_grad_by_freq=scale_grad_by_freq)
