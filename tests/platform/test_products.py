"""Matrix products cut into pieces for BLAS's one-core kernels: the pieces, and results that do
not depend on the number of threads."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pytest

from tinygrad_adam._platform import products as _products
from tinygrad_adam._platform import threads as _threads


@pytest.fixture
def calls(matmul_calls: list, monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The operand shapes of every np.matmul call; MIN_SPLIT_PRODUCT lowered so that small tests cut."""
    monkeypatch.setattr(_products, "MIN_SPLIT_PRODUCT", 1)
    monkeypatch.setattr(_threads, "MIN_BYTES", 1)
    return matmul_calls


@pytest.mark.parametrize(("threads", "blas_threads", "stack_parts"), [
    (1, 1, [10]),
    (3, 1, [3, 3, 4]),  # BLAS on one thread: our threads share the stack
    (3, 2, [10]),  # a multi-threaded BLAS: the calling thread takes every piece (no two BLAS calls at once)
])
def test_stacked_products_are_made_in_row_blocks(calls: list, monkeypatch: pytest.MonkeyPatch, threads: int,
                                                 blas_threads: int, stack_parts: list[int]) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((10, 12, 5)).astype(np.float32), rng.standard_normal((10, 5, 7)).astype(np.float32)
    monkeypatch.setattr(_threads, "THREADS", threads)
    monkeypatch.setattr(_threads, "_blas_threads", blas_threads)
    monkeypatch.setattr(_products, "SMALL_PRODUCT", 8 * 5 * 7)  # blocks of 8 rows
    out = _products.stacked_matmul(a, b)
    np.testing.assert_array_equal(out, a @ b)
    assert sorted(calls) == sorted([((k, 8, 5), (k, 5, 7)) for k in stack_parts] +
                                   [((k, 4, 5), (k, 5, 7)) for k in stack_parts])
    calls.clear()
    monkeypatch.setattr(_products, "SMALL_PRODUCT", 7 * 5 * 7)  # blocks thinner than MIN_ROWS: one call
    np.testing.assert_array_equal(_products.stacked_matmul(a, b), a @ b)
    assert calls == [((10, 12, 5), (10, 5, 7))]


def test_long_products_sum_blocks_of_the_inner_dimension(calls: list, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((3, 100)), rng.standard_normal((100, 4)).T.copy().T  # b: a transposed view
    monkeypatch.setattr(_products, "SMALL_PRODUCT", 3 * 4 * 30)  # blocks of 30
    monkeypatch.setattr(_products, "MIN_DEPTH", 30)
    results = []
    monkeypatch.setattr(_threads, "_blas_threads", 1)
    for threads in (1, 2, 3):
        monkeypatch.setattr(_threads, "THREADS", threads)
        calls.clear()
        results.append(_products.long_matmul(a, b))
        assert sorted(calls) == sorted([((3, 30), (30, 4))] * 3 + [((3, 10), (10, 4))])
    np.testing.assert_allclose(results[0], a @ b, rtol=1e-12)
    assert all(np.array_equal(r, results[0]) for r in results)  # the same pieces, whatever the threads


def test_small_products_are_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((4, 50)), rng.standard_normal((50, 3))
    monkeypatch.setattr(_products, "SMALL_PRODUCT", 4 * 3 * 10)
    assert np.array_equal(_products.long_matmul(a, b), a @ b)  # under MIN_SPLIT_PRODUCT
    monkeypatch.setattr(_products, "MIN_SPLIT_PRODUCT", 1)
    assert np.array_equal(_products.long_matmul(a, b), a @ b)  # blocks of 10 < MIN_DEPTH
    s, t = rng.standard_normal((2, 4, 5)), rng.standard_normal((2, 5, 6))
    assert np.array_equal(_products.stacked_matmul(s, t), s @ t)


def test_a_loop_of_small_products_runs_blas_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    monkeypatch.setattr(_threads, "_blas_threads", 2)
    before = blas_threads()
    with _products.small_products_on_one_thread(_products.MIN_SPLIT_PRODUCT - 1):
        assert set(blas_threads()) == {1}
    assert blas_threads() == before
    with _products.small_products_on_one_thread(_products.MIN_SPLIT_PRODUCT):  # large enough to share out
        assert blas_threads() == before


def test_one_blas_thread_holds_until_the_last_block_is_left(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadpoolctl import threadpool_info

    def blas_threads() -> set[int]:
        return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}

    before = blas_threads()
    first, second = _threads.blas_on_one_thread(), _threads.blas_on_one_thread()
    first.__enter__()
    second.__enter__()  # as another thread's time loop would, overlapping the first
    first.__exit__(None, None, None)
    assert blas_threads() == {1}
    second.__exit__(None, None, None)
    assert blas_threads() == before


def test_medium_products_run_on_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    entered: list[tuple[int, ...]] = []
    real = _threads.blas_on_one_thread

    def recording() -> object:
        entered.append(shape)
        return real()

    monkeypatch.setattr(_threads, "_blas_threads", 2)
    monkeypatch.setattr(_threads, "blas_on_one_thread", recording)
    rng = np.random.default_rng(3)
    for shape in [(2048, 64, 16), (16, 2048, 64), (8, 8, 8), (4096, 4096, 2), (2, 2048, 2048), (16, 2048, 16)]:
        a, b = rng.standard_normal(shape[:2], dtype=np.float32), rng.standard_normal(shape[1:], dtype=np.float32)
        medium = _products.THREADED_PRODUCT < np.prod(shape) < _products.MIN_SPLIT_PRODUCT
        with real() if medium else nullcontext():  # OpenBLAS's float32 sums may differ in the last bit
            expected = a @ b                        # between one thread and two
        assert np.array_equal(_products.matmul(a, b), expected)
    assert entered == [(2048, 64, 16), (16, 2048, 64), (2, 2048, 2048), (16, 2048, 16)]
    stack, vector = rng.standard_normal((3, 64, 64)), rng.standard_normal(64)
    assert np.array_equal(_products.matmul(stack, stack), stack @ stack)  # NumPy's stacked matmul, unchanged
    assert np.array_equal(_products.matmul(stack[0], vector), stack[0] @ vector)
    assert len(entered) == 4
    monkeypatch.setattr(_threads, "_blas_threads", 1)  # BLAS already on one thread: nothing to set
    _products.matmul(*(rng.standard_normal(s) for s in [(2048, 64), (64, 16)]))
    assert len(entered) == 4
