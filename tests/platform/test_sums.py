"""_platform/sums.py: the gemv sums equal NumPy's sums (to rounding), and fall back where they must."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_adam._platform import sums

SHAPES = [(2048, 64), (3, 5, 7), (1, 1), (4, 1), (1, 9), (5, sums.MAX_ROW + 1)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_sums_match_numpy(shape: tuple[int, ...], dtype: type) -> None:
    a = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    tolerance = 1e-5 if dtype == np.float32 else 1e-12
    for keepdims in (False, True):
        got = sums.sum_last_axis(a, keepdims=keepdims)
        assert got.shape == a.sum(axis=-1, keepdims=keepdims).shape and got.dtype == dtype
        np.testing.assert_allclose(got, a.sum(axis=-1, keepdims=keepdims), rtol=tolerance, atol=tolerance)
    for axes in range(1, a.ndim + 1):
        got = sums.sum_leading_axes(a, axes)
        want = a.sum(axis=tuple(range(axes)))
        assert got.shape == want.shape and got.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance)
    for axis in range(-a.ndim, a.ndim):
        np.testing.assert_allclose(sums.sum_keepdims(a, axis), a.sum(axis=axis, keepdims=True), rtol=tolerance,
                                   atol=tolerance)


@pytest.mark.parametrize("a", [
    np.arange(12, dtype=np.int64).reshape(3, 4),  # integers: NumPy's exact sum
    np.arange(12, dtype=np.float16).reshape(3, 4),  # no BLAS for half precision
    np.arange(24, dtype=np.float32).reshape(4, 6)[:, ::2],  # not contiguous
    np.zeros((0, 3), dtype=np.float32),
    np.zeros((3, 0), dtype=np.float32),
], ids=["int64", "float16", "strided", "no-rows", "empty-rows"])
def test_other_arrays_take_numpys_sum(a: np.ndarray) -> None:
    np.testing.assert_array_equal(sums.sum_last_axis(a, keepdims=True), a.sum(axis=-1, keepdims=True))
    np.testing.assert_array_equal(sums.sum_leading_axes(a), a.sum(axis=0))
    assert sums.sum_last_axis(a).dtype == a.sum(axis=-1).dtype


def test_column_sums_are_as_accurate_as_numpys() -> None:
    """Down 2**20 rows NumPy adds row after row; gemv's error is no larger (against float64 sums)."""
    a = np.random.default_rng(0).random((1 << 20, 8)).astype(np.float32)
    exact = a.astype(np.float64).sum(axis=0)
    assert np.abs(sums.sum_leading_axes(a) - exact).max() <= np.abs(a.sum(axis=0) - exact).max()


def test_gemv_is_taken_for_short_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    a = np.ones((8, 4), dtype=np.float32)
    calls = []
    real = sums._ones

    def counting(length: int, dtype: np.dtype) -> np.ndarray:
        calls.append(length)
        return real(length, dtype)

    monkeypatch.setattr(sums, "_ones", counting)
    sums.sum_last_axis(a)
    sums.sum_leading_axes(a)
    assert calls == [4, 8]
