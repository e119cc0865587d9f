"""Sums along short rows, and down the columns, of a float array as BLAS matrix-vector products.

NumPy sums a C-ordered (R, N) array along its last axis with one short inner loop per row, and down its
first axis by adding row after row. For the rows of layer norm, softmax and bias gradients (N = 64, R = 2048
in the GPT lecture's model) either takes 4-6x as long as BLAS's gemv with a vector of ones, which reads the
array once (docs/performance.md). Down the columns gemv is also the more accurate: NumPy's running sum per
column grows its rounding error with R. Integer and half-precision arrays, arrays that are not contiguous,
and rows longer than MAX_ROW (where NumPy's pairwise sum is more accurate and its per-row cost is paid back)
take np.sum.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

MAX_ROW = 1024
"""Rows longer than this are summed by NumPy."""


@lru_cache(maxsize=64)
def _ones(length: int, dtype: np.dtype) -> np.ndarray:
    ones = np.ones(length, dtype=dtype)
    ones.flags.writeable = False
    return ones


def _by_blas(a: np.ndarray) -> bool:
    return a.dtype in (np.float32, np.float64) and a.flags.c_contiguous and a.size > 0


def sum_last_axis(a: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """a.sum(axis=-1, keepdims=keepdims)."""
    if not (_by_blas(a) and a.ndim >= 1 and a.shape[-1] <= MAX_ROW):
        return a.sum(axis=-1, keepdims=keepdims)
    sums = a.reshape(-1, a.shape[-1]) @ _ones(a.shape[-1], a.dtype)
    return sums.reshape(a.shape[:-1] + (1,) * keepdims)


def sum_leading_axes(a: np.ndarray, axes: int = 1) -> np.ndarray:
    """a.sum(axis=tuple(range(axes))): the sum over the first `axes` axes."""
    if not (_by_blas(a) and 0 < axes <= a.ndim):
        return a.sum(axis=tuple(range(axes)))
    rows = int(np.prod(a.shape[:axes]))
    return (_ones(rows, a.dtype) @ a.reshape(rows, -1)).reshape(a.shape[axes:])


def sum_keepdims(a: np.ndarray, axis: int) -> np.ndarray:
    """a.sum(axis=axis, keepdims=True), by gemv when `axis` is the last."""
    if a.ndim and axis % a.ndim == a.ndim - 1:
        return sum_last_axis(a, keepdims=True)
    return a.sum(axis=axis, keepdims=True)
