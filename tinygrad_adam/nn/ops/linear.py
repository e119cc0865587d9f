"""The affine map of a Linear layer as one op: forward x @ W.T + b, backward three GEMMs / sums."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._platform.products import matmul
from ..._platform.sums import sum_leading_axes
from ...core.engine import Context, Op
from ...core.ops.linalg import rows_matmul
from ...core.tensor import Tensor
from .._checks import check_dtypes


class LinearOp(Op):
    """linear(x (..., in), weight (out, in)[, bias (out,)]) -> (..., out)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray) -> np.ndarray:
        out = rows_matmul(x, weight.T) if x.ndim > 2 else matmul(x, weight.T)
        if bias:
            out += bias[0]
        ctx.save_for_backward(x, weight)
        ctx.has_bias = bool(bias)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        x, weight = ctx.saved_tensors
        rows = math.prod(x.shape[:-1])
        grad_2d = grad.reshape(rows, weight.shape[0])
        grad_x = matmul(grad_2d, weight).reshape(x.shape) if ctx.needs_input_grad[0] else None  # 2-D: one BLAS call
        grad_w = matmul(grad_2d.T, x.reshape(rows, weight.shape[1])) if ctx.needs_input_grad[1] else None
        if not ctx.has_bias:
            return grad_x, grad_w
        return grad_x, grad_w, sum_leading_axes(grad_2d) if ctx.needs_input_grad[2] else None


def linear(x: Tensor, weight: Tensor, bias: Tensor | None, op: str) -> Tensor:
    """LinearOp on x (..., in_features), after checking x against the weight."""
    out_features, in_features = weight.shape
    if x.ndim == 0 or x.shape[-1] != in_features:
        rows, cols = (int(np.prod(x.shape[:-1])), x.shape[-1]) if x.ndim else (1, 1)
        raise RuntimeError(f"{op}: mat1 and mat2 shapes cannot be multiplied ({rows}x{cols} and "
                           f"{in_features}x{out_features})")
    check_dtypes(op, x, weight, bias)
    return LinearOp.apply(x, weight, *(() if bias is None else (bias,)))
