"""Layer normalisation as one op over the last dims of x (LayerNorm; GroupNorm reuses it without affine):

    y = (x - mean) / sqrt(var + eps) * weight + bias,   statistics over the normalized dims of each row

Backward, with x̂ the normalised input and N the row length:
    dx = invstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)),   dx̂ = dy · weight
    dweight = Σ_rows dy · x̂,   dbias = Σ_rows dy
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._platform.sums import sum_last_axis, sum_leading_axes
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import check_dtypes, check_kernel_dtype


class LayerNormOp(Op):
    """layer_norm(x[, weight][, bias]) over the last `dims` dims; `has_weight` / `has_bias` say what follows x."""

    node_name = "NativeLayerNormBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *affine: np.ndarray, dims: int, has_weight: bool, has_bias: bool,
                eps: float) -> np.ndarray:
        length = int(np.prod(x.shape[x.ndim - dims:], dtype=np.int64))
        rows = x.reshape(-1, length)
        centered = rows - sum_last_axis(rows, keepdims=True) / length
        var = sum_last_axis(np.square(centered), keepdims=True) / length
        invstd = (1 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = np.multiply(centered, invstd, out=centered)
        weight = affine[0].reshape(-1) if has_weight else None
        bias = affine[-1].reshape(-1) if has_bias else None
        if weight is None:  # x_hat is saved for backward: never written to
            out = x_hat if bias is None else x_hat + bias
        else:
            out = x_hat * weight
            if bias is not None:
                out += bias
        ctx.save_for_backward(x_hat, invstd, weight)
        ctx.shape, ctx.affine_shape, ctx.has_bias = x.shape, x.shape[x.ndim - dims:], has_bias
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        x_hat, invstd, weight = ctx.saved_tensors
        g = grad.reshape(x_hat.shape)
        length = x_hat.shape[1]
        g_x_hat = g * x_hat if ctx.needs_input_grad[0] or weight is not None else None
        grads: list[Any] = []
        if ctx.needs_input_grad[0]:
            # the row means of dx̂ = g·weight and of dx̂·x̂: products with the weight
            row_dot = sum_last_axis if weight is None else (lambda a: a @ weight)
            dx = g.copy() if weight is None else g * weight
            dx -= row_dot(g)[:, None] / length
            dx -= x_hat * (row_dot(g_x_hat)[:, None] / length)
            dx *= invstd
            grads.append(dx.reshape(ctx.shape))
        else:
            grads.append(None)
        if weight is not None:
            grads.append(sum_leading_axes(g_x_hat).reshape(ctx.affine_shape) if ctx.needs_input_grad[1] else None)
        if ctx.has_bias:
            grads.append(sum_leading_axes(g).reshape(ctx.affine_shape) if ctx.needs_input_grad[-1] else None)
        return tuple(grads)


def layer_norm(x: Tensor, normalized_shape: tuple[int, ...], weight: Tensor | None, bias: Tensor | None, eps: float,
               op: str) -> Tensor:
    """LayerNormOp after checking that x ends in normalized_shape and the parameters have that shape."""
    check_kernel_dtype("GroupNormKernelImpl" if op == "group_norm" else "LayerNormKernelImpl", x)
    dims = len(normalized_shape)
    if dims == 0 or x.ndim < dims or tuple(x.shape[x.ndim - dims:]) != tuple(normalized_shape):
        raise RuntimeError(f"{op}: given normalized_shape={list(normalized_shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, normalized_shape))}], but got input of size {list(x.shape)}")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != tuple(normalized_shape):
            raise RuntimeError(f"{op}: {name} has shape {tuple(p.shape)}, expected {tuple(normalized_shape)}")
    check_dtypes(op, x, weight, bias)
    affine = tuple(p for p in (weight, bias) if p is not None)
    return LayerNormOp.apply(x, *affine, dims=dims, has_weight=weight is not None,
                                   has_bias=bias is not None, eps=eps)
