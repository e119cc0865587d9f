"""unfold (im2col as a layer): the (N, C·kH·kW, L) sliding blocks of an (N, C, H, W) input, and its gradient
(col2im), by the two functions of conv.py."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ...core.engine import Context, Op
from .._checks import Pair, Sides
from .conv import col2im, im2col
from .layout import conv_output_size, pad_batch_last


class UnfoldOp(Op):
    node_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, kernel: Pair, dilation: Pair, padding: Sides, stride: Pair
                ) -> np.ndarray:
        n, c, h, w = x.shape
        top, bottom, left, right = padding
        oh = conv_output_size(h, kernel[0], stride[0], top + bottom, dilation[0])
        ow = conv_output_size(w, kernel[1], stride[1], left + right, dilation[1])
        xp = pad_batch_last(x, padding)
        cols = im2col(xp, kernel, stride, dilation, (oh, ow))  # (C·kH·kW, oH·oW·N)
        ctx.geometry = SimpleNamespace(shapes=(None, (None, None) + kernel, None, (oh, ow)), stride=stride,
                                       dilation=dilation)
        ctx.shape, ctx.padded, ctx.padding = x.shape, xp.shape[2:], padding
        return cols.reshape(cols.shape[0], oh * ow, n).transpose(2, 0, 1)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        n, c, h, w = ctx.shape
        oh = ctx.geometry.shapes[3][0]
        dcols = np.ascontiguousarray(grad.transpose(1, 2, 0)).reshape(grad.shape[1], -1)
        dxp = np.zeros((c, *ctx.padded, n), dtype=grad.dtype)
        col2im(dcols, dxp, ctx.geometry, (0, oh))
        top, _, left, _ = ctx.padding
        return dxp[:, top:top + h, left:left + w, :].transpose(3, 0, 1, 2)
