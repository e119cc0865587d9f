"""Max and average pooling over 2-D windows, as a loop over the kH·kW window positions.

Window position (i, j) of every output pixel at once is one strided slice of the
input, so pooling reduces kH·kW slices elementwise (np.maximum / np.add), which
is much faster than reducing a window view over its two small trailing axes
(docs/performance.md).

Non-overlapping windows (stride == kernel, no padding) are the (N, C, H/kH, kH,
W/kW, kW) reshape of the input: the slices are disjoint, no padded copy is made
and backward writes each slice once. Otherwise the input is padded (with -inf
for max, 0 for average) and backward adds overlapping slices.

Max-pool ties: the gradient goes to exactly one element per window, the first
maximum in row-major order within the window, as PyTorch does: positions are
visited in that order and each takes the windows whose maximum it holds and no
earlier position held (byte masks: no float temporaries per position).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..._platform import threads
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import Pair, unbatched
from .layout import conv_output_size, pad_batch_last, same_layout, window


def pool_output_size(hw: Pair, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair = (1, 1)) -> Pair:
    return (conv_output_size(hw[0], kernel[0], stride[0], 2 * padding[0], dilation[0]),
            conv_output_size(hw[1], kernel[1], stride[1], 2 * padding[1], dilation[1]))


def _fill_value(dtype: np.dtype) -> float | int:
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


class _Windows:
    """The kH·kW window-position slices of an input (window position (i, j) at (i·dH, j·dW)), and where their
    gradients go."""

    def __init__(self, x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, pad_value: float | int,
                 dilation: Pair = (1, 1)):
        self.kernel, self.stride, self.padding, self.dilation = kernel, stride, padding, dilation
        self.input_shape = x.shape
        self.out_hw = pool_output_size(x.shape[2:], kernel, stride, padding, dilation)
        self.disjoint = stride == kernel and padding == (0, 0) and dilation == (1, 1)
        ph, pw = padding
        self.source = pad_batch_last(x, (ph, ph, pw, pw), pad_value) if any(padding) else x

    def _split(self, a: np.ndarray) -> np.ndarray:
        """The (N, C, oH, kH, oW, kW) view of the part of `a` that the windows cover (never a copy)."""
        (oh, ow), (kh, kw) = self.out_hw, self.kernel
        return a[:, :, :oh * kh, :ow * kw].reshape(a.shape[0], a.shape[1], oh, kh, ow, kw)

    def slices(self, a: np.ndarray) -> Iterator[np.ndarray]:
        """For each kernel position in row-major order, the (N, C, oH, oW) view of `a` it covers."""
        kh, kw = self.kernel
        split = self._split(a) if self.disjoint else None
        for i in range(kh):
            for j in range(kw):
                if split is not None:
                    yield split[:, :, :, i, :, j]
                else:
                    yield a[(slice(None), slice(None)) + window(i, j, self.stride, self.dilation, self.out_hw)]

    def gradient_buffer(self, like: np.ndarray) -> np.ndarray:
        """An array shaped and laid out like the (padded) input, to scatter gradients into: zeros, unless
        the windows are disjoint and cover it all, so that every element will be written once."""
        (oh, ow), (kh, kw) = self.out_hw, self.kernel
        if self.disjoint and self.source.shape[2:] == (oh * kh, ow * kw):
            return np.empty_like(self.source, dtype=like.dtype)
        return np.zeros_like(self.source, dtype=like.dtype)

    def crop(self, grad_source: np.ndarray) -> np.ndarray:
        (ph, pw), (h, w) = self.padding, self.input_shape[2:]
        return grad_source[:, :, ph:ph + h, pw:pw + w]


class MaxPool2dOp(Op):
    """Max over kH×kW windows (dilated: every dH-th row, dW-th column) of an (N, C, H, W) input."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair,
                dilation: Pair = (1, 1)) -> np.ndarray:
        windows = _Windows(x, kernel, stride, padding, _fill_value(x.dtype), dilation)
        first, *rest = windows.slices(windows.source)
        out = np.empty_like(first, order="K")

        def reduce(lo: int, hi: int) -> None:  # channels [lo, hi)
            part = out[:, lo:hi]
            if not rest:
                np.copyto(part, first[:, lo:hi])
                return
            np.maximum(first[:, lo:hi], rest[0][:, lo:hi], out=part)
            for s in rest[1:]:
                np.maximum(part, s[:, lo:hi], out=part)

        threads.run_split(reduce, out.shape[1], x.nbytes)
        ctx.windows = windows
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (out,) = ctx.saved_tensors
        windows: _Windows = ctx.windows
        grad = same_layout(grad, out)
        grad_source = windows.gradient_buffer(grad)
        sources, targets = list(windows.slices(windows.source)), list(windows.slices(grad_source))

        def route(lo: int, hi: int) -> None:  # channels [lo, hi): disjoint parts of grad_source
            part = grad[:, lo:hi]
            masks = _first_maxima((s[:, lo:hi] for s in sources), out[:, lo:hi])
            for target, first_max in zip(targets, masks, strict=True):
                if windows.disjoint:
                    np.multiply(part, first_max, out=target[:, lo:hi])
                else:
                    target[:, lo:hi] += part * first_max

        threads.run_split(route, out.shape[1], grad_source.nbytes)
        return windows.crop(grad_source)


def _first_maxima(slices: Iterator[np.ndarray], out: np.ndarray) -> Iterator[np.ndarray]:
    """Per window position, in row-major order, a boolean mask of the windows whose first maximum sits there.

    Masks are bytes, not floats: each position costs one comparison and two byte-wide passes. The last
    position takes every window not yet taken, so it is never compared.
    """
    *compared, _ = slices
    taken = scratch = None
    for source in compared:
        if taken is None:
            taken = np.equal(source, out)
            yield taken
            scratch = np.empty_like(taken)
            continue
        here = np.greater(np.equal(source, out, out=scratch), taken, out=scratch)  # equal and not taken before
        yield here
        np.logical_or(taken, here, out=taken)
    yield np.ones_like(out, dtype=bool) if taken is None else np.logical_not(taken, out=taken)


class AvgPool2dOp(Op):
    """Mean over kH×kW windows; zero padding counts in the divisor unless count_include_pad is False."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair,
                count_include_pad: bool = True) -> np.ndarray:
        windows = _Windows(x, kernel, stride, padding, 0)
        first, *rest = windows.slices(windows.source)
        out = first.astype(np.result_type(x.dtype, np.float32), copy=True)
        for s in rest:
            out += s
        divisor: np.ndarray | float = float(kernel[0] * kernel[1])
        if not count_include_pad and any(padding):  # count only the real elements in each window
            ones = _Windows(np.ones((1, 1) + x.shape[2:], dtype=out.dtype), kernel, stride, padding, 0)
            divisor = sum(ones.slices(ones.source))
        out /= divisor
        ctx.windows, ctx.divisor = windows, divisor
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        windows: _Windows = ctx.windows
        share = grad / ctx.divisor
        grad_source = windows.gradient_buffer(share)
        if windows.disjoint:
            windows._split(grad_source)[...] = share[:, :, :, None, :, None]
        else:
            for target in windows.slices(grad_source):
                target += share
        return windows.crop(grad_source)


def _check_input(op: str, x: Tensor, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair = (1, 1)) -> None:
    if x.ndim != 4:
        raise RuntimeError(f"{op}: expected a 3-D or 4-D input ((C, H, W) or (N, C, H, W)), got shape "
                           f"{tuple(x.shape)}")
    oh, ow = pool_output_size(x.shape[2:], kernel, stride, padding, dilation)
    if oh < 1 or ow < 1:
        raise RuntimeError(f"{op}: kernel size {kernel} is larger than the padded input "
                         f"{(x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1])} (input shape {tuple(x.shape)})")


def max_pool2d(x: Tensor, kernel: Pair, stride: Pair, padding: Pair, op: str, dilation: Pair = (1, 1)) -> Tensor:
    """MaxPool2dOp on x (N, C, H, W) or (C, H, W); the pairs were checked by the caller."""
    if x.ndim == 3:
        return unbatched(max_pool2d, x, kernel, stride, padding, op, dilation)
    _check_input(op, x, kernel, stride, padding, dilation)
    return MaxPool2dOp.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=dilation)


def avg_pool2d(x: Tensor, kernel: Pair, stride: Pair, padding: Pair, count_include_pad: bool, op: str) -> Tensor:
    """AvgPool2dOp on x (N, C, H, W) or (C, H, W); the pairs were checked by the caller."""
    if x.ndim == 3:
        return unbatched(avg_pool2d, x, kernel, stride, padding, count_include_pad, op)
    _check_input(op, x, kernel, stride, padding)
    return AvgPool2dOp.apply(x, kernel=kernel, stride=stride, padding=padding,
                                   count_include_pad=count_include_pad)
