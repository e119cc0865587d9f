"""2-D convolution as one differentiable op: im2col (a strided window view) and one matrix product.

Forward: the padded input is viewed as windows with `as_strided` (no copy), the
windows are copied once into a C-contiguous column matrix `cols` of shape
(C·kH·kW + 1, oH·oW·N) whose last row is ones (it carries the bias), and
`out = w2 @ cols` is one GEMM. Backward: the weight and bias gradients are one
GEMM (`cols @ g2.T`, transposed); the input gradient is one GEMM for all columns
(`w2.T @ g2`) and col2im, a Python loop over the kH·kW kernel positions only,
each adding one strided slice into the padded input gradient.

The arrays this op makes are laid out batch last (layout.py): one large GEMM
instead of one per sample, because many small multi-threaded GEMMs slow down
sharply when another process competes for the cores (docs/performance.md).
Only when the column matrix would outgrow the cache (COLUMN_BLOCK_BYTES, large
batches) is it built and multiplied in a few blocks of output rows, each block
multiplied while it is still in cache.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..._platform import threads
from ..._platform.products import long_matmul
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import Pair, Sides, check_dtypes, unbatched
from . import spectral_conv
from .layout import batch_last, conv_output_size, pad_batch_last, window

COLUMN_BLOCK_BYTES = 8 << 20
"""A column matrix larger than this is built, multiplied and summed back in blocks of output rows."""


def row_blocks(out_rows: int, bytes_per_row: int) -> list[tuple[int, int]]:
    """Split the output rows into as few nearly equal blocks as bring each column matrix near COLUMN_BLOCK_BYTES.

    At large batches one column matrix outgrows the cache: copying it and multiplying it then run
    at memory speed. A block is copied and multiplied while it is still in cache.
    """
    count = min(out_rows, max(1, -(-out_rows * bytes_per_row // COLUMN_BLOCK_BYTES)))
    size = -(-out_rows // count)
    return [(r, min(r + size, out_rows)) for r in range(0, out_rows, size)]


def im2col(xp: np.ndarray, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair,
           ones_row: bool = False, first_row: int = 0) -> np.ndarray:
    """The C-contiguous (C·kH·kW, oH·oW·N) column matrix of a padded (N, C, H, W) input: one view, one copy.

    With `ones_row` a last row of ones is appended, so that a bias is one more
    column of the weight matrix. `first_row` and out_hw[0] select a block of output rows.
    """
    n, c = xp.shape[:2]
    (kh, kw), (sh, sw), (dh, dw), (oh, ow) = kernel, stride, dilation, out_hw
    s_n, s_c, s_h, s_w = xp.strides
    view = as_strided(xp[:, :, first_row * sh:], (c, kh, kw, oh, ow, n),
                      (s_c, s_h * dh, s_w * dw, s_h * sh, s_w * sw, s_n), writeable=False)
    k = c * kh * kw
    cols = np.empty((k + int(ones_row), oh * ow * n), dtype=xp.dtype)
    target = cols[:k].reshape(view.shape)
    axis = 0 if c > 1 else 1  # split the copy by channels, or by kernel rows for one channel

    def copy(lo: int, hi: int) -> None:
        part = (slice(None),) * axis + (slice(lo, hi),)
        np.copyto(target[part], view[part])

    threads.run_split(copy, view.shape[axis], k * cols.shape[1] * cols.itemsize)
    cols[k:] = 1
    return cols


def col2im(dcols: np.ndarray, dxp: np.ndarray, ctx: Context, rows: tuple[int, int]) -> None:
    """Add the column gradients of output rows [rows) into the padded (C, H, W, N) input gradient `dxp`:
    a loop over the kH·kW kernel positions, each adding one strided slice."""
    c, _, _, n = dxp.shape
    _, (_, _, kh, kw), _, (_, ow) = ctx.shapes
    first, last = rows
    blocks = dcols.reshape(c, kh, kw, last - first, ow, n)
    below = dxp[:, first * ctx.stride[0]:]

    def add(lo: int, hi: int) -> None:  # channels [lo, hi): disjoint parts of dxp
        for i in range(kh):
            for j in range(kw):
                y, x = window(i, j, ctx.stride, ctx.dilation, (last - first, ow))
                below[lo:hi, y, x, :] += blocks[lo:hi, i, j]

    threads.run_split(add, c, dcols.nbytes)


class Conv2dOp(Op):
    """conv2d(x, weight[, bias]) for x (N, C, H, W) and weight (O, C, kH, kW), by im2col and one GEMM.

    `padding` is (top, bottom, left, right); `stride` and `dilation` are pairs.
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, weight: np.ndarray, *bias: np.ndarray, stride: Pair,
                padding: Sides, dilation: Pair) -> np.ndarray:
        n, _, h, w = x.shape
        o, _, kh, kw = weight.shape
        top, bottom, left, right = padding
        oh = conv_output_size(h, kh, stride[0], top + bottom, dilation[0])
        ow = conv_output_size(w, kw, stride[1], left + right, dilation[1])
        xp = pad_batch_last(x, padding) if any(padding) else batch_last(x)
        w2 = weight.reshape(o, -1)
        if bias:
            w2 = np.concatenate([w2, bias[0].reshape(o, 1).astype(w2.dtype, copy=False)], axis=1)
        blocks = row_blocks(oh, w2.shape[1] * ow * n * xp.itemsize)
        out = np.empty((o, oh * ow * n), dtype=np.result_type(w2, xp))
        cols = []  # one column matrix per block of output rows (usually one), kept only for backward
        for first, last in blocks:
            block = im2col(xp, (kh, kw), stride, dilation, (last - first, ow), bool(bias), first)
            np.matmul(w2, block, out=out[:, first * ow * n:last * ow * n])  # the GEMM, bias included
            if ctx.recording:
                cols.append(block)
        ctx.save_for_backward(cols, w2)
        ctx.blocks = blocks
        ctx.shapes = (x.shape, weight.shape, xp.shape[2:], (oh, ow))
        ctx.stride, ctx.padding, ctx.dilation, ctx.has_bias = stride, padding, dilation, bool(bias)
        return out.reshape(o, oh, ow, n).transpose(3, 0, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[Any, ...]:
        cols, w2 = ctx.saved_tensors
        (_, c, h, w), (o, _, kh, kw), (hp, wp), (_, ow) = ctx.shapes
        k = c * kh * kw
        n = grad.shape[0]
        g2 = batch_last(grad).transpose(1, 2, 3, 0).reshape(o, -1)  # (O, oH·oW·N); a view for our own layout
        dxp = np.zeros((c, hp, wp, n), dtype=g2.dtype) if ctx.needs_input_grad[0] else None
        grad_w2 = None
        for block_cols, (first, last) in zip(cols, ctx.blocks, strict=True):
            g_block = g2[:, first * ow * n:last * ow * n]
            if dxp is not None:  # all column gradients of the block in one GEMM, then col2im
                col2im(w2[:, :k].T @ g_block, dxp, ctx, (first, last))
            if any(ctx.needs_input_grad[1:]):  # (C·kH·kW [+ 1], O): the weight (and bias) gradient's GEMM
                part = long_matmul(block_cols, g_block.T)  # the inner dimension is oH·oW·N: long
                grad_w2 = part if grad_w2 is None else np.add(grad_w2, part, out=grad_w2)
        grad_x = grad_w = grad_b = None
        if dxp is not None:
            top, _, left, _ = ctx.padding
            grad_x = dxp[:, top:top + h, left:left + w, :].transpose(3, 0, 1, 2)
        if grad_w2 is not None:
            grad_w = np.ascontiguousarray(grad_w2[:k].T).reshape(ctx.shapes[1])
            grad_b = np.ascontiguousarray(grad_w2[k]) if ctx.has_bias else None
        return (grad_x, grad_w, grad_b) if ctx.has_bias else (grad_x, grad_w)


def conv2d(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Pair, padding: Sides, dilation: Pair,
           op: str) -> Tensor:
    """Conv2dOp on x (N, C, H, W) or (C, H, W), after checking x against the weight, or
    SpectralConv2dOp where that multiplies less; the other arguments were checked by the caller."""
    out_channels, in_channels, kh, kw = weight.shape
    if x.ndim == 3:
        return unbatched(conv2d, x, weight, bias, stride, padding, dilation, op)
    if x.ndim != 4:
        raise RuntimeError(f"{op}: expected a 3D (unbatched) or 4D (batched) input, but got input of size: "
                           f"{list(x.shape)}")
    if x.shape[1] != in_channels:
        raise RuntimeError(f"{op}: given groups=1, weight of size {list(weight.shape)}, expected input"
                           f"{list(x.shape)} to have {in_channels} channels, but got {x.shape[1]} channels instead")
    check_dtypes(op, x, weight, bias)
    padded = (x.shape[2] + padding[0] + padding[1], x.shape[3] + padding[2] + padding[3])
    span = (dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1)
    if span[0] > padded[0] or span[1] > padded[1]:
        raise RuntimeError(f"{op}: calculated padded input size per channel: ({padded[0]} x {padded[1]}). Kernel "
                           f"size: ({span[0]} x {span[1]}). Kernel size can't be greater than actual input size")
    args = (x, weight) if bias is None else (x, weight, bias)
    if stride == dilation == (1, 1) and spectral_conv.is_cheaper(x.shape[0], in_channels, out_channels, padded,
                                                                  (kh, kw)):
        return spectral_conv.SpectralConv2dOp.apply(*args, padding=padding)
    return Conv2dOp.apply(*args, stride=stride, padding=padding, dilation=dilation)
