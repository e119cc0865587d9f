"""Batch normalisation as one differentiable op, for inputs (N, C) or (N, C, *spatial).

    y = (x - mean) / sqrt(var + eps) * weight + bias,   statistics per channel (axis 1)

In training the mean and (biased) variance come from the batch, and the
running statistics are updated in place with the unbiased variance, as PyTorch:
running = (1 - momentum) * running + momentum * batch_statistic. Otherwise the
running statistics are used and the op is an affine map of x.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import check_dtypes, check_kernel_dtype


class BatchNormOp(Op):
    """batch_norm(x[, weight][, bias]); `has_weight` / `has_bias` tell which Tensors follow x."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, *affine: np.ndarray, has_weight: bool, has_bias: bool,
                running_mean: np.ndarray | None, running_var: np.ndarray | None, training: bool,
                momentum: float, eps: float) -> np.ndarray:
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, -1) + (1,) * (x.ndim - 2)
        weight = affine[0] if has_weight else None
        bias = affine[-1] if has_bias else None
        if training:
            mean = x.mean(axis=axes)
            centered = x - mean.reshape(shape)
            var = np.mean(centered * centered, axis=axes)
            count = x.size // x.shape[1]
            if running_mean is not None:
                running_mean *= 1 - momentum
                running_mean += momentum * mean
            if running_var is not None:
                running_var *= 1 - momentum
                running_var += momentum * count / (count - 1) * var
        else:
            centered = x - running_mean.reshape(shape)
            var = running_var
        invstd = (1 / np.sqrt(var + eps)).astype(x.dtype, copy=False)
        x_hat = centered * invstd.reshape(shape)
        out = x_hat
        if weight is not None:
            out = out * weight.reshape(shape)
        if bias is not None:
            out = out + bias.reshape(shape)
        ctx.save_for_backward(x_hat, invstd, weight)
        ctx.axes, ctx.shape, ctx.training, ctx.has_bias = axes, shape, training, has_bias
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        x_hat, invstd, weight = ctx.saved_tensors
        axes, shape = ctx.axes, ctx.shape
        sum_grad = grad.sum(axis=axes)
        sum_grad_x_hat = (grad * x_hat).sum(axis=axes)
        scale = invstd if weight is None else invstd * weight
        grad_x = None
        if ctx.needs_input_grad[0]:
            if ctx.training:  # the batch statistics depend on x too
                count = x_hat.size // x_hat.shape[1]
                grad_x = (grad - (sum_grad / count).reshape(shape)
                          - x_hat * (sum_grad_x_hat / count).reshape(shape)) * scale.reshape(shape)
            else:
                grad_x = grad * scale.reshape(shape)
        grads: list[Any] = [grad_x]
        if weight is not None:
            grads.append(sum_grad_x_hat)
        if ctx.has_bias:
            grads.append(sum_grad)
        return tuple(grads)


def batch_norm(x: Tensor, running_mean: np.ndarray | None, running_var: np.ndarray | None,
               weight: Tensor | None, bias: Tensor | None, training: bool, momentum: float, eps: float,
               op: str) -> Tensor:
    """BatchNormOp on x (N, C, *), whose statistics and parameters the caller matched to C."""
    if x.numel() == 0:  # nothing to normalise, and no statistics to update: PyTorch's x·weight[0] + bias[0]
        out = x.clone()
        if weight is not None:
            out = out * weight[0]
        return out if bias is None else out + bias[0]
    if training and x.numel() // max(x.shape[1], 1) == 1:
        raise ValueError(f"{op}: expected more than 1 value per channel when training, got input shape "
                         f"{tuple(x.shape)}")
    check_kernel_dtype("batch_norm", x)
    check_dtypes(op, x, weight, bias)
    params = tuple(p for p in (weight, bias) if p is not None)
    return BatchNormOp.apply(x, *params, has_weight=weight is not None, has_bias=bias is not None,
                                   running_mean=running_mean, running_var=running_var, training=training,
                                   momentum=momentum, eps=eps)
