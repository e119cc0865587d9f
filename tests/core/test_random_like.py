"""rand_like and randn_like: the input's shape and floating dtype, seeded by manual_seed."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg


def test_random_like_shapes_dtypes_and_seed() -> None:
    x = tg.zeros(3, 4, dtype=tg.float64)
    assert tg.randn_like(x).shape == (3, 4) and tg.randn_like(x).dtype == tg.float64
    assert tg.rand_like(tg.zeros(5)).dtype == tg.float32
    assert tg.randn_like(x, dtype=tg.float32).dtype == tg.float32
    u = tg.rand_like(tg.zeros(1000)).numpy()
    assert 0 <= u.min() and u.max() < 1 and 0.4 < u.mean() < 0.6
    tg.manual_seed(3)
    a = tg.randn_like(x).numpy()
    tg.manual_seed(3)
    np.testing.assert_array_equal(a, tg.randn_like(x).numpy())
    assert tg.randn_like(x, requires_grad=True).requires_grad
    with pytest.raises(RuntimeError, match="not implemented for"):  # PyTorch: "normal_kernel_cpu" not implemented
        tg.randn_like(tg.zeros(2, dtype=tg.int64))
