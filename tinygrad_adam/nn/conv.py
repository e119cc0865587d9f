"""2-D convolution as one differentiable op: im2col (a strided window view) and one matrix product.

Forward: the padded input is viewed as windows with `as_strided` (no copy), the
windows are copied once into a C-contiguous column matrix `cols` of shape
(C·kH·kW + 1, oH·oW·N) whose last row is ones (it carries the bias), and
`out = w2 @ cols` is one GEMM. Backward: the weight and bias gradients are one
GEMM (`g2 @ cols.T`); the input gradient is one GEMM for all columns
(`w2.T @ g2`) and col2im, a Python loop over the kH·kW kernel positions only,
each adding one strided slice into the padded input gradient.

Memory layout is chosen for BLAS and for NumPy's copies, not by the user: arrays
are (N, C, H, W) as PyTorch's, but the ones this op makes are views of
(C, H, W, N) arrays ("batch last"). Then every copy above moves runs of oW·N
contiguous numbers, every GEMM is a single BLAS call on contiguous operands
(many small multi-threaded GEMMs slow down 10x or more when another process
competes for the cores; one large GEMM does not), and ReLU and pooling keep
the layout, so the next convolution finds its input batch last with no copy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..engine import Context, Function


def conv_output_size(size: int, kernel: int, stride: int, padding: int, dilation: int = 1) -> int:
    """Output length along one axis; `padding` is the total added on both sides. Floor division, as PyTorch."""
    return (size + padding - dilation * (kernel - 1) - 1) // stride + 1


def is_batch_last(x: np.ndarray) -> bool:
    """True when an (N, C, H, W) array is laid out in memory as (C, H, W, N) (or has N == 1)."""
    return x.shape[0] == 1 or x.strides[0] == x.itemsize


def pad_batch_last(x: np.ndarray, padding: tuple[int, int, int, int] = (0, 0, 0, 0),
                   value: float = 0.0) -> np.ndarray:
    """A (padded) copy of an (N, C, H, W) array, laid out batch last; padding is (top, bottom, left, right)."""
    top, bottom, left, right = padding
    n, c, h, w = x.shape
    shape = (c, h + top + bottom, w + left + right, n)
    out = (np.full(shape, value, dtype=x.dtype) if any(padding) else np.empty(shape, dtype=x.dtype))
    out = out.transpose(3, 0, 1, 2)
    if is_batch_last(x):
        out[:, :, top:top + h, left:left + w] = x
    else:  # a transposing copy, 8 samples at a time: NumPy's one-shot copy reads one number per cache line
        for s in range(0, n, 8):
            out[s:s + 8, :, top:top + h, left:left + w] = x[s:s + 8]
    return out


def batch_last(x: np.ndarray) -> np.ndarray:
    """x itself if it is laid out batch last, else a batch-last copy."""
    return x if is_batch_last(x) else pad_batch_last(x)


def window(i: int, j: int, stride: tuple[int, int], dilation: tuple[int, int],
           out_hw: tuple[int, int]) -> tuple[slice, slice]:
    """The (rows, columns) slice of the padded input that kernel position (i, j) sees for every output pixel."""
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    return slice(i * dh, i * dh + sh * (oh - 1) + 1, sh), slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)


def im2col(xp: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int],
           out_hw: tuple[int, int], ones_row: bool = False) -> np.ndarray:
    """The C-contiguous (C·kH·kW, oH·oW·N) column matrix of a padded (N, C, H, W) input: one view, one copy.

    With `ones_row` a last row of ones is appended, so that a bias is one more
    column of the weight matrix.
    """
    n, c = xp.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = xp.strides
    view = as_strided(xp, (c, kh, kw, oh, ow, n), (s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n),
                      writeable=False)
    k = c * kh * kw
    cols = np.empty((k + int(ones_row), oh * ow * n), dtype=xp.dtype)
    np.copyto(cols[:k].reshape(view.shape), view)
    cols[k:] = 1
    return cols


def col2im(dcols: np.ndarray, ctx: Context) -> np.ndarray:
    """Sum the column gradients back into the input gradient: a loop over the kH·kW kernel positions,
    each adding one strided slice of the padded (C, H, W, N) gradient."""
    (n, c, h, w), (_, _, kh, kw), (hp, wp), out_hw = ctx.shapes
    top, _, left, _ = ctx.padding
    blocks = dcols.reshape(c, kh, kw, *out_hw, n)
    dxp = np.zeros((c, hp, wp, n), dtype=dcols.dtype)
    for i in range(kh):
        for j in range(kw):
            rows, columns = window(i, j, ctx.stride, ctx.dilation, out_hw)
            dxp[:, rows, columns, :] += blocks[:, i, j]
    return dxp[:, top:top + h, left:left + w, :].transpose(3, 0, 1, 2)


class Conv2dFunction(Function):
    """conv2d(x, weight[, bias]) for x (N, C, H, W) and weight (O, C, kH, kW), by im2col and one GEMM.

    `padding` is (top, bottom, left, right); `stride` and `dilation` are pairs.
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray, stride: tuple[int, int],
                padding: tuple[int, int, int, int], dilation: tuple[int, int]) -> np.ndarray:
        n, _, h, w = x.shape
        o, _, kh, kw = weight.shape
        top, bottom, left, right = padding
        oh = conv_output_size(h, kh, stride[0], top + bottom, dilation[0])
        ow = conv_output_size(w, kw, stride[1], left + right, dilation[1])
        xp = pad_batch_last(x, padding) if any(padding) else batch_last(x)
        cols = im2col(xp, (kh, kw), stride, dilation, (oh, ow), ones_row=bool(bias))
        w2 = weight.reshape(o, -1)
        if bias:
            w2 = np.concatenate([w2, bias[0].reshape(o, 1).astype(w2.dtype, copy=False)], axis=1)
        out = w2 @ cols  # (O, oH·oW·N): the one GEMM, bias included
        ctx.save_for_backward(cols, w2)
        ctx.shapes = (x.shape, weight.shape, xp.shape[2:], (oh, ow))
        ctx.stride, ctx.padding, ctx.dilation, ctx.has_bias = stride, padding, dilation, bool(bias)
        return out.reshape(o, oh, ow, n).transpose(3, 0, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        cols, w2 = ctx.saved_tensors
        o, c, kh, kw = w_shape = ctx.shapes[1]
        k = c * kh * kw
        g2 = batch_last(grad).transpose(1, 2, 3, 0).reshape(o, -1)  # (O, oH·oW·N); a view for our own layout
        grad_x = grad_w = grad_b = None
        if ctx.needs_input_grad[0]:
            grad_x = col2im(w2[:, :k].T @ g2, ctx)  # all column gradients in one GEMM, then col2im
        if any(ctx.needs_input_grad[1:]):
            grad_w2 = g2 @ cols.T  # (O, C·kH·kW [+ 1]): the weight (and bias) gradient's one GEMM
            grad_w = grad_w2[:, :k].reshape(w_shape)
            grad_b = grad_w2[:, k] if ctx.has_bias else None
        return (grad_x, grad_w, grad_b) if ctx.has_bias else (grad_x, grad_w)
