"""2-D convolution as one differentiable op: im2col (a strided window view) and one matrix product.

Forward: the padded input is viewed as windows with `as_strided` (no copy), the
windows are copied once into a column matrix `cols` of shape (N·oH·oW, C·kH·kW),
and `out = cols @ w2.T` is one GEMM. Backward: the weight gradient is one GEMM
(`g2.T @ cols`); the input gradient is col2im, a Python loop over the kH·kW
kernel positions only, each adding one strided slice into the padded gradient.

Memory layout is chosen for BLAS and for NumPy's copies, not by the user: the
output is (N, O, oH, oW) as a view of an (N, oH, oW, O) array ("channels last"),
which is what the GEMM writes. With many input channels the columns are ordered
(kH, kW, C) and gathered from a channels-last copy of the input, so each copied
run is C numbers long; with few channels (image inputs) they are ordered
(C, kH, kW) and gathered as (C·kH·kW, N·oH·oW), so each run is a row of pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..function import Context, Function

CHANNELS_LAST_MIN = 8  # from this many input channels on, gather columns from a channels-last input


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """Output length along one axis; `padding` is the total added on both sides. Floor division, as PyTorch."""
    return (size + padding - dilation * (kernel - 1) - 1) // stride + 1


def is_channels_last(x: np.ndarray) -> bool:
    """True when an (N, C, H, W) array is laid out in memory as (N, H, W, C)."""
    return x.strides[1] <= x.strides[3] or x.shape[1] == 1


def pad2d(x: np.ndarray, padding: tuple[int, int, int, int], channels_last: bool, value: float = 0.0) -> np.ndarray:
    """A padded copy of an (N, C, H, W) array; padding is (top, bottom, left, right)."""
    top, bottom, left, right = padding
    n, c, h, w = x.shape
    if channels_last:
        out = np.full((n, h + top + bottom, w + left + right, c), value, dtype=x.dtype).transpose(0, 3, 1, 2)
    else:
        out = np.full((n, c, h + top + bottom, w + left + right), value, dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = x
    return out


def window(i: int, j: int, stride: tuple[int, int], dilation: tuple[int, int],
           out_hw: tuple[int, int]) -> tuple[slice, slice]:
    """The (rows, columns) slice of the padded input that kernel position (i, j) sees for every output pixel."""
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    return slice(i * dh, i * dh + sh * (oh - 1) + 1, sh), slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)


def im2col(xp: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int],
           out_hw: tuple[int, int], channels_last: bool) -> np.ndarray:
    """The (N·oH·oW, C·kH·kW) column matrix of a padded input: one strided view, one copy.

    Its columns are ordered (kH, kW, C) and it is C-contiguous when `channels_last`;
    otherwise they are ordered (C, kH, kW) and it is the transpose of a C-contiguous array.
    Either way BLAS reads it without another copy.
    """
    n, c = xp.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = xp.strides
    if channels_last:
        view = as_strided(xp, (n, oh, ow, kh, kw, c), (s_n, s_h * sh, s_w * sw, s_h * dh, s_w * dw, s_c),
                          writeable=False)
        return np.ascontiguousarray(view).reshape(n * oh * ow, kh * kw * c)
    view = as_strided(xp, (c, kh, kw, n, oh, ow), (s_c, s_h * dh, s_w * dw, s_n, s_h * sh, s_w * sw),
                      writeable=False)
    return np.ascontiguousarray(view).reshape(c * kh * kw, n * oh * ow).T


class Conv2dFunction(Function):
    """conv2d(x, weight[, bias]) for x (N, C, H, W) and weight (O, C, kH, kW), by im2col and one GEMM.

    `padding` is (top, bottom, left, right); `stride` and `dilation` are pairs.
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray, stride: tuple[int, int],
                padding: tuple[int, int, int, int], dilation: tuple[int, int]) -> np.ndarray:
        n, c, h, w = x.shape
        o, _, kh, kw = weight.shape
        top, bottom, left, right = padding
        oh = conv_output_size(h, kh, stride[0], top + bottom, dilation[0])
        ow = conv_output_size(w, kw, stride[1], left + right, dilation[1])
        channels_last = c >= CHANNELS_LAST_MIN
        xp = x
        if any(padding) or (channels_last and not is_channels_last(x)):
            xp = pad2d(x, padding, channels_last)
        cols = im2col(xp, (kh, kw), stride, dilation, (oh, ow), channels_last)
        w2 = (weight.transpose(0, 2, 3, 1) if channels_last else weight).reshape(o, -1)
        out = cols @ w2.T  # (N·oH·oW, O): the one GEMM
        if bias:
            out += bias[0]
        ctx.save_for_backward(cols, w2)
        ctx.shapes = (x.shape, weight.shape, xp.shape[2:], (oh, ow))
        ctx.stride, ctx.padding, ctx.dilation, ctx.channels_last = stride, padding, dilation, channels_last
        ctx.has_bias = bool(bias)
        return out.reshape(n, oh, ow, o).transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        cols, w2 = ctx.saved_tensors
        x_shape, w_shape, _, (oh, ow) = ctx.shapes
        o, c, kh, kw = w_shape
        g2 = grad.transpose(0, 2, 3, 1).reshape(-1, o)  # no copy when grad is channels last, as ours are
        grad_x = grad_w = None
        if ctx.needs_input_grad[0]:
            grad_x = col2im(g2, w2, ctx)
        if ctx.needs_input_grad[1]:
            grad_w2 = g2.T @ cols  # (O, C·kH·kW): the weight gradient's one GEMM
            if ctx.channels_last:
                grad_w = np.ascontiguousarray(grad_w2.reshape(o, kh, kw, c).transpose(0, 3, 1, 2))
            else:
                grad_w = grad_w2.reshape(w_shape)
        if not ctx.has_bias:
            return grad_x, grad_w
        return grad_x, grad_w, g2.sum(axis=0) if ctx.needs_input_grad[2] else None


def col2im(g2: np.ndarray, w2: np.ndarray, ctx: Context) -> np.ndarray:
    """The input gradient: for each of the kH·kW kernel positions, add one strided slice.

    Channels last: the columns of kernel position (i, j) are g2 @ w2[:, (i, j, :)], an
    (N·oH·oW, C) GEMM each, added into a channels-last padded gradient. Otherwise all
    columns come from one GEMM, w2.T @ g2.T of shape (C·kH·kW, N·oH·oW).
    """
    (n, c, h, w), (_, _, kh, kw), (hp, wp), out_hw = ctx.shapes
    top, _, left, _ = ctx.padding
    dtype = g2.dtype
    if ctx.channels_last:
        dxp = np.zeros((n, hp, wp, c), dtype=dtype)
        w4 = w2.reshape(-1, kh, kw, c)
        part = np.empty((g2.shape[0], c), dtype=dtype)
        for i in range(kh):
            for j in range(kw):
                rows, columns = window(i, j, ctx.stride, ctx.dilation, out_hw)
                np.matmul(g2, w4[:, i, j, :], out=part)
                dxp[:, rows, columns, :] += part.reshape(n, *out_hw, c)
        return dxp[:, top:top + h, left:left + w, :].transpose(0, 3, 1, 2)
    dcols = (w2.T @ g2.T).reshape(c, kh, kw, n, *out_hw)
    dxp = np.zeros((n, c, hp, wp), dtype=dtype)
    for i in range(kh):
        for j in range(kw):
            rows, columns = window(i, j, ctx.stride, ctx.dilation, out_hw)
            dxp[:, :, rows, columns] += dcols[:, i, j].transpose(1, 0, 2, 3)
    return dxp[:, :, top:top + h, left:left + w]
