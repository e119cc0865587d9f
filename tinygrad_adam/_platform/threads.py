"""Memory-bound NumPy passes split across a few threads.

NumPy releases the GIL inside large copies and ufunc loops, so one pass over a large
array split into disjoint chunks runs on several cores at once. The fused ops use this
for the passes around their matrix products (im2col, col2im, pooling, ReLU), which
otherwise run on one core while BLAS uses them all, and _products.py for the pieces of
products it cuts to the size BLAS runs on one core. Every chunk computes exactly what
the one-thread pass computes on its part, so the results are bit-identical.

This only pays when the cores are free: after each matrix product, OpenBLAS's worker
threads spin for about 0.1 s waiting for the next one, and a spinning worker takes the core
from the pass. So, when it is imported before NumPy, this module sets OPENBLAS_THREAD_TIMEOUT
(the workers then sleep at once); passes are split only when that setting is in effect.

TINYGRAD_ADAM_THREADS sets the thread count (default: the cores this process may use, at
most MAX_THREADS, or 1 when OpenBLAS's workers spin); 1 runs every pass on the calling thread
and leaves OpenBLAS's settings alone.

Processes that share a machine (the ranks of an MPI job) each take their share of its cores
with `share_cores`, which sets BLAS's threads at run time through threadpoolctl and the passes'
THREADS to match. Only the thread timeout must be an environment variable: OpenBLAS reads it
once, when NumPy loads it, and has no call that changes it afterwards.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

MAX_THREADS = 4
MIN_BYTES = 4 << 20
"""A pass over fewer bytes than this runs on one thread: handing it over would cost more than it saves."""


BLAS_THREAD_TIMEOUT = 4
"""OpenBLAS's minimum: its workers spin for 2**4 cycles after a call, then sleep until the next."""

if "numpy" not in sys.modules and os.environ.get("TINYGRAD_ADAM_THREADS", "").strip() != "1":
    os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", str(BLAS_THREAD_TIMEOUT))  # read when NumPy loads OpenBLAS


def blas_workers_sleep() -> bool:
    """Whether OpenBLAS's idle workers sleep rather than spin (OPENBLAS_THREAD_TIMEOUT of at most 12)."""
    try:
        return int(os.environ.get("OPENBLAS_THREAD_TIMEOUT", "")) <= 12
    except ValueError:
        return False


def usable_cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _default_threads() -> int:
    setting = os.environ.get("TINYGRAD_ADAM_THREADS", "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            raise ValueError(f"TINYGRAD_ADAM_THREADS must be a positive integer, got {setting!r}") from None
    if not blas_workers_sleep():
        return 1
    return max(1, min(MAX_THREADS, usable_cores()))


THREADS = _default_threads()
BLAS_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


_blas_threads: int | None = None


def blas_threads() -> int:
    """The threads BLAS runs a large product on (threadpoolctl's reading, taken once NumPy has loaded BLAS)."""
    global _blas_threads
    if _blas_threads is None:
        from threadpoolctl import threadpool_info

        _blas_threads = max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"),
                            default=1)
    return _blas_threads


_controller: Any = None
_one_thread_blocks = 0  # blocks of blas_on_one_thread entered and not yet left, in any thread
_one_thread_lock = threading.Lock()
_one_thread_limiter: Any = None
_openblas_setters: list[Callable[[int], object]] | None = None


def _set_openblas_threads() -> list[Callable[[int], object]]:
    """The openblas_set_num_threads of each OpenBLAS loaded (NumPy's, SciPy's), found once: a call takes well
    under a microsecond. Empty for another BLAS, which threadpoolctl then sets."""
    global _openblas_setters
    if _openblas_setters is None:
        from threadpoolctl import threadpool_info

        _openblas_setters = []
        for pool in threadpool_info():
            if pool["internal_api"] == "openblas":
                library = ctypes.CDLL(pool["filepath"])
                names = [f"{prefix}openblas_set_num_threads{suffix}" for prefix in ("", "scipy_")
                         for suffix in ("", "64_")]
                _openblas_setters += [getattr(library, name) for name in names if hasattr(library, name)][:1]
    return _openblas_setters


class _OneBlasThread:
    """The block of blas_on_one_thread; the setting is the process's, counted across threads."""

    def __enter__(self) -> None:
        global _controller, _one_thread_blocks, _one_thread_limiter
        with _one_thread_lock:
            if _one_thread_blocks == 0:
                blas_threads()  # read before it is changed: __exit__ restores it
                setters = _set_openblas_threads()
                for set_threads in setters:
                    set_threads(1)
                if not setters:
                    if _controller is None:
                        from threadpoolctl import ThreadpoolController

                        _controller = ThreadpoolController()
                    _one_thread_limiter = _controller.limit(limits=1, user_api="blas")
            _one_thread_blocks += 1

    def __exit__(self, *exc: object) -> None:
        global _one_thread_blocks
        with _one_thread_lock:
            _one_thread_blocks -= 1
            if _one_thread_blocks == 0:
                for set_threads in _set_openblas_threads():
                    set_threads(blas_threads())
                if _one_thread_limiter is not None:
                    _one_thread_limiter.restore_original_limits()


_ONE_BLAS_THREAD = _OneBlasThread()


def blas_on_one_thread() -> _OneBlasThread:
    """A block in which BLAS runs on one thread: the first block entered (in any thread) sets it, the last one
    left restores BLAS's count. With OpenBLAS about a microsecond to enter and leave (threadpoolctl's limit,
    for another BLAS, tens)."""
    return _ONE_BLAS_THREAD


def share_cores(processes: int) -> int:
    """Give this process its 1/`processes` share of the usable cores (at least one), for BLAS and for
    the passes, and return it: the ranks of one machine then never run more threads than it has cores.

    A BLAS thread count set in the environment (OMP_NUM_THREADS etc.) is kept, and so is
    TINYGRAD_ADAM_THREADS for the passes.
    """
    global THREADS
    cores = max(1, usable_cores() // max(1, processes))
    if not any(os.environ.get(name, "").strip() for name in BLAS_THREAD_VARIABLES):
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=cores)  # every BLAS and OpenMP runtime loaded, from now on
        global _blas_threads
        _blas_threads = cores
    if not os.environ.get("TINYGRAD_ADAM_THREADS", "").strip():
        THREADS = min(MAX_THREADS, cores) if blas_workers_sleep() else 1
    return cores


def set_num_threads(threads: int) -> None:
    """torch.set_num_threads: the threads of matrix products (BLAS) and of the split passes, from now on."""
    global THREADS, _blas_threads
    if not isinstance(threads, int) or threads < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=threads, user_api="blas")
    _blas_threads = threads
    THREADS = min(MAX_THREADS, threads) if blas_workers_sleep() else 1


def get_num_threads() -> int:
    """torch.get_num_threads: the threads a large matrix product runs on."""
    return blas_threads()


_pool: ThreadPoolExecutor | None = None


def _submit(task: Callable[[], object]) -> Future:
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=MAX_THREADS, thread_name_prefix="tinygrad_adam")
    return _pool.submit(task)


def chunks(length: int, nbytes: int) -> list[tuple[int, int]]:
    """[lo, hi) ranges splitting range(length) into one part per thread, or one range for a small pass."""
    parts = min(THREADS, length) if nbytes >= MIN_BYTES else 1
    if parts <= 1:
        return [(0, length)]
    edges = [length * p // parts for p in range(parts + 1)]
    return list(zip(edges[:-1], edges[1:], strict=True))


class _SharedParts:
    """Parts of one pass that the calling thread and the workers take one at a time until none is left.

    A worker is woken for each part, but waking one took 10-130 microseconds in a VM; the caller
    does not wait for it: when the caller is done with its part and the worker has not started,
    the caller takes the next part itself.
    """

    def __init__(self, fn: Callable[[int, int], object], parts: list[tuple[int, int]]):
        self.fn, self.todo, self.left = fn, iter(parts), len(parts)
        self.lock, self.done = threading.Lock(), threading.Event()
        self.error: BaseException | None = None

    def take(self) -> None:
        while True:
            with self.lock:
                part = next(self.todo, None)
            if part is None:
                return
            if self.error is None:  # after a failure the remaining parts are only counted off
                try:
                    self.fn(*part)
                except BaseException as error:  # re-raised in the calling thread by wait()
                    self.error = self.error or error
            with self.lock:
                self.left -= 1
                if self.left == 0:
                    self.done.set()

    def wait(self) -> None:
        """Until every part is done; a worker that never got a part is not waited for."""
        self.done.wait()
        if self.error is not None:
            raise self.error


def run_split(fn: Callable[[int, int], object], length: int, nbytes: int) -> None:
    """Call fn(lo, hi) for disjoint ranges covering range(length), in parallel when `nbytes` is large.

    `fn` must touch only its own part of the output. The calling thread takes parts too.
    """
    parts = chunks(length, nbytes)
    if len(parts) == 1:
        fn(*parts[0])
        return
    shared = _SharedParts(fn, parts)
    for _ in range(min(THREADS, len(parts)) - 1):
        _submit(shared.take)
    shared.take()
    shared.wait()


def memory_order_flat(a: np.ndarray) -> np.ndarray | None:
    """A 1-D view of `a`'s memory when `a` fills it densely in some order of its axes (C order,
    batch last, a transposed array...), else None. Elementwise loops over it run as one long run."""
    order = sorted(range(a.ndim), key=lambda i: -abs(a.strides[i]))
    dense = a.transpose(order)
    return dense.reshape(-1) if dense.flags.c_contiguous else None


def run_elementwise(fn: Callable[..., object], inputs: tuple[np.ndarray, ...], out: np.ndarray) -> None:
    """fn(*input_parts, out_part) over disjoint parts of arrays of one shape.

    When all the arrays are dense and laid out alike, the parts are equal 1-D runs of their memory;
    otherwise they are split along the axis with the largest stride of `out`.
    """
    if out.ndim == 0 or out.nbytes < MIN_BYTES or THREADS == 1:
        fn(*inputs, out)
        return
    if all(a.strides == out.strides for a in inputs):
        flats = [memory_order_flat(a) for a in (*inputs, out)]
        if all(f is not None for f in flats):
            run_split(lambda lo, hi: fn(*(f[lo:hi] for f in flats)), out.size, out.nbytes)
            return
    axis = max(range(out.ndim), key=lambda i: abs(out.strides[i]))

    def part(lo: int, hi: int) -> None:
        index = (slice(None),) * axis + (slice(lo, hi),)
        fn(*(a[index] for a in inputs), out[index])

    run_split(part, out.shape[axis], out.nbytes)
