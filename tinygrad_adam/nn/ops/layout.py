"""Batch-last memory layout and sliding-window geometry, shared by convolution and pooling.

Arrays are (N, C, H, W) as PyTorch's, but the ones the fused ops make are views
of (C, H, W, N) arrays ("batch last"). Then every copy the ops make moves runs
of oW·N contiguous numbers, every matrix product is a single BLAS call on
contiguous operands, and ReLU and pooling keep the layout, so the next
convolution finds its input batch last with no copy. docs/performance.md has
the measurements behind this choice.
"""

from __future__ import annotations

import numpy as np


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


def same_layout(a: np.ndarray, like: np.ndarray) -> np.ndarray:
    """`a` laid out in memory as `like` is (one copy if it is not), so elementwise loops run long."""
    if a.strides == like.strides:
        return a
    if is_batch_last(like):
        return batch_last(a)
    out = np.empty_like(like, dtype=a.dtype)
    out[...] = a
    return out


def window(i: int, j: int, stride: tuple[int, int], dilation: tuple[int, int],
           out_hw: tuple[int, int]) -> tuple[slice, slice]:
    """The (rows, columns) slice of the padded input that kernel position (i, j) sees for every output pixel."""
    (sh, sw), (dh, dw), (oh, ow) = stride, dilation, out_hw
    return slice(i * dh, i * dh + sh * (oh - 1) + 1, sh), slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
