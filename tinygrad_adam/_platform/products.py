"""Matrix products cut into pieces that BLAS runs on one core, the pieces shared out between threads.

OpenBLAS multiplies a product of up to about 10**6 multiply-adds with its small-matrix kernels
on the calling core, and hands a larger one to its worker threads, which sleep between calls
(see threads.py) and take tens of microseconds to wake. Two kinds of product pay for that
wake-up again and again or split badly between workers:

- a stack of many small products (NumPy's matmul calls BLAS once per matrix), and
- a product with a long inner dimension and a small result (the weight gradient of a
  convolution: all the threads would share a few dozen output rows).

A product of medium size (`matmul`: from THREADED_PRODUCT up to MIN_SPLIT_PRODUCT multiply-adds, the
GPT lecture model's) runs on the calling thread. Multi-threaded, OpenBLAS's threads wait for each other; while another
process had the second core, such a product took 10-100 ms instead of 0.1-0.3 ms, and on a free
machine the GPT step ran no faster with them (docs/performance.md).

Here a product of the two kinds above is cut into pieces under SMALL_PRODUCT, by shape alone, so the result does
not depend on the number of threads. The threads of threads.run_split take the pieces only when BLAS
itself runs on one thread: two threads calling a multi-threaded OpenBLAS at once wait on each other
(a CNN step four times slower, docs/performance.md), so otherwise the calling thread takes them all.
docs/performance.md has the measurements.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

import numpy as np

from . import threads
from .threads import MIN_BYTES

SMALL_PRODUCT = 1_000_000
"""Multiply-adds of the largest product OpenBLAS's small-matrix kernels take (M·N·K <= 10**6)."""
THREADED_PRODUCT = 4 * 65536
"""OpenBLAS hands a product of more multiply-adds than this to its threads (its GEMM_MULTITHREAD_THRESHOLD
times SMP_THRESHOLD_MIN)."""
MIN_SPLIT_PRODUCT = 16 << 20
"""A product with fewer multiply-adds than this in all is one NumPy call: cutting it would cost more."""
MIN_ROWS = 8
"""Row blocks thinner than this are not worth a call each: the stack is one NumPy call."""
MIN_DEPTH = 256
"""Blocks of the inner dimension shorter than this would make the partial sums outweigh the product."""


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b; for 2-D a and b on one BLAS thread from THREADED_PRODUCT up to MIN_SPLIT_PRODUCT multiply-adds."""
    if (a.ndim == 2 == b.ndim and THREADED_PRODUCT < a.shape[0] * a.shape[1] * b.shape[1] < MIN_SPLIT_PRODUCT
            and threads.blas_threads() > 1):
        with threads.blas_on_one_thread():
            return a @ b
    return a @ b


def stacked_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for stacks (F, M, K) and (F, K, N): each product in blocks of rows, the stack shared out."""
    out = np.empty(a.shape[:-1] + b.shape[-1:], dtype=np.result_type(a, b))
    rows, depth, columns = a.shape[-2:] + b.shape[-1:]
    block = min(rows, SMALL_PRODUCT // max(1, depth * columns))
    if block < MIN_ROWS or out.size * depth < MIN_SPLIT_PRODUCT:
        return np.matmul(a, b, out=out)

    def multiply(lo: int, hi: int) -> None:
        for r in range(0, rows, block):
            np.matmul(a[lo:hi, r:r + block], b[lo:hi], out=out[lo:hi, r:r + block])

    _share(multiply, len(out))
    return out


def long_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b for (M, K) and (K, N) with K long: the products of blocks of K, summed."""
    (rows, depth), columns = a.shape, b.shape[1]
    block = SMALL_PRODUCT // max(1, rows * columns)
    if block < MIN_DEPTH or rows * depth * columns < MIN_SPLIT_PRODUCT:
        return a @ b
    starts = range(0, depth, block)
    parts = np.empty((len(starts), rows, columns), dtype=np.result_type(a, b))

    def multiply(lo: int, hi: int) -> None:
        for i in range(lo, hi):
            np.matmul(a[:, starts[i]:starts[i] + block], b[starts[i]:starts[i] + block], out=parts[i])

    _share(multiply, len(parts))
    return parts.sum(axis=0)


def small_products_on_one_thread(multiply_adds: int) -> AbstractContextManager[None]:
    """A block that loops over products of `multiply_adds` each (an RNN's time steps): under
    MIN_SPLIT_PRODUCT, BLAS runs them on the calling thread. Otherwise OpenBLAS would wake its workers
    for each product and wait for them, which costs more than they save (docs/performance.md)."""
    if multiply_adds >= MIN_SPLIT_PRODUCT or threads.blas_threads() == 1:
        return nullcontext()
    return threads.blas_on_one_thread()


def _share(multiply: Callable[[int, int], None], pieces: int) -> None:
    if threads.blas_threads() > 1:
        multiply(0, pieces)
    else:
        threads.run_split(multiply, pieces, MIN_BYTES)
