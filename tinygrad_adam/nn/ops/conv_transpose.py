"""2-D transposed convolution as one differentiable op, by the im2col and col2im of conv.py.

A transposed convolution is the input gradient of a convolution, and its input
gradient is that convolution. With w2 the weight (C_in, C_out·kH·kW) of one group:

    forward:   cols = w2.T @ x2                 (one GEMM)   then col2im into the padded output
    backward:  cols = im2col(padded grad)                    then grad_x2 = w2 @ cols   (one GEMM)
               grad_w2 = x2 @ cols.T                         (one GEMM, the inner dimension H·W·N)

where x2 is the input laid out (C_in, H·W·N) batch last. The output's padded
size is (H - 1)·stride + dilation·(k - 1) + 1 + output_padding; `padding` is then
cropped from each side. Groups are a loop over the channel blocks.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

from ..._platform.products import long_matmul
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import Pair, check_dtypes, check_kernel_dtype, unbatched
from .conv import col2im, im2col
from .layout import batch_last, pad_batch_last


def transposed_output_size(size: int, kernel: int, stride: int, padding: int, output_padding: int,
                           dilation: int) -> int:
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + output_padding + 1


class ConvTranspose2dOp(Op):
    """conv_transpose2d(x (N, C_in, H, W), weight (C_in, C_out / groups, kH, kW)[, bias (C_out,)])."""

    node_name = "ConvolutionBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray, stride: Pair, padding: Pair,
                output_padding: Pair, dilation: Pair, groups: int) -> np.ndarray:
        n, c_in, h, w = x.shape
        _, c_out_group, kh, kw = weight.shape
        hp = (h - 1) * stride[0] + dilation[0] * (kh - 1) + 1 + output_padding[0]
        wp = (w - 1) * stride[1] + dilation[1] * (kw - 1) + 1 + output_padding[1]
        x2 = batch_last(x).transpose(1, 2, 3, 0).reshape(c_in, -1)  # (C_in, H·W·N)
        geometry = SimpleNamespace(shapes=(None, (None, None, kh, kw), None, (h, w)), stride=stride,
                                   dilation=dilation)
        dtype = np.result_type(x, weight)
        outp = np.zeros((c_out_group * groups, hp, wp, n), dtype=dtype)
        c_in_group = c_in // groups
        for g in range(groups):
            w2 = weight[g * c_in_group:(g + 1) * c_in_group].reshape(c_in_group, -1)
            cols = w2.T @ x2[g * c_in_group:(g + 1) * c_in_group]
            col2im(cols, outp[g * c_out_group:(g + 1) * c_out_group], geometry, (0, h))
        ph, pw = padding
        out = outp[:, ph:hp - ph, pw:wp - pw, :]
        if bias:
            out += bias[0].reshape(-1, 1, 1, 1).astype(dtype, copy=False)
        ctx.save_for_backward(x2, weight)
        ctx.shapes = (x.shape, (h, w))
        ctx.stride, ctx.padding, ctx.dilation, ctx.groups, ctx.has_bias = stride, padding, dilation, groups, bool(bias)
        ctx.padded = (hp, wp)
        return out.transpose(3, 0, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        x2, weight = ctx.saved_tensors
        x_shape, (h, w) = ctx.shapes
        c_in, groups = x_shape[1], ctx.groups
        _, c_out_group, kh, kw = weight.shape
        ph, pw = ctx.padding
        hp, wp = ctx.padded
        sides = (ph, hp - grad.shape[2] - ph, pw, wp - grad.shape[3] - pw)
        gp = pad_batch_last(grad, sides)  # the cropped border and output_padding get no gradient: zeros
        c_in_group = c_in // groups
        grad_x2 = np.empty_like(x2) if ctx.needs_input_grad[0] else None
        grad_w = np.empty_like(weight) if ctx.needs_input_grad[1] else None
        for g in range(groups):
            cols = im2col(gp[:, g * c_out_group:(g + 1) * c_out_group], (kh, kw), ctx.stride, ctx.dilation, (h, w))
            ins = slice(g * c_in_group, (g + 1) * c_in_group)
            if grad_x2 is not None:
                np.matmul(weight[ins].reshape(c_in_group, -1), cols, out=grad_x2[ins])
            if grad_w is not None:
                grad_w[ins] = long_matmul(cols, x2[ins].T).T.reshape(c_in_group, c_out_group, kh, kw)
        grad_x = None if grad_x2 is None else grad_x2.reshape(c_in, h, w, -1).transpose(3, 0, 1, 2)
        if not ctx.has_bias:
            return grad_x, grad_w
        grad_b = grad.sum(axis=(0, 2, 3)) if ctx.needs_input_grad[2] else None
        return grad_x, grad_w, grad_b


def conv_transpose2d(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Pair, padding: Pair,
                     output_padding: Pair, dilation: Pair, groups: int, op: str) -> Tensor:
    """ConvTranspose2dOp on x (N, C, H, W) or (C, H, W), after checking x against the weight."""

    if x.ndim == 3:
        return unbatched(conv_transpose2d, x, weight, bias, stride, padding, output_padding, dilation, groups, op)
    in_channels = weight.shape[0]
    if x.ndim != 4 or x.shape[1] != in_channels:
        raise RuntimeError(f"{op}: expected input with {in_channels} channels (N, {in_channels}, H, W), "
                           f"got shape {x.shape}")
    check_kernel_dtype("slow_conv_transpose2d_out_cpu", x, "bool uint8 int8 int16 int32")
    check_dtypes(op, x, weight, bias)
    size = [transposed_output_size(x.shape[2 + i], weight.shape[2 + i], stride[i], padding[i], output_padding[i],
                                   dilation[i]) for i in range(2)]
    if min(size) <= 0:
        raise RuntimeError(f"{op}: the output size {tuple(size)} is too small (input shape {x.shape}, "
                           f"padding {padding})")
    args = (x, weight) if bias is None else (x, weight, bias)
    return ConvTranspose2dOp.apply(*args, stride=stride, padding=padding, output_padding=output_padding,
                                         dilation=dilation, groups=groups)
