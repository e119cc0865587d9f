"""torch.linspace, arange and logspace give PyTorch's values bit for bit (the tutorials' x = linspace(-pi, pi, 2000)
feeds every printed loss): the kernels' half-from-each-end formula, fused multiply-adds and vector blocks."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

DTYPES = [None, "float32", "float64", "float16", "int64", "int32", "uint8"]


def _same(name: str, args: tuple, dtype: str | None) -> None:
    try:
        theirs = getattr(torch, name)(*args, dtype=None if dtype is None else getattr(torch, dtype)).numpy()
    except (RuntimeError, ValueError) as error:  # arange(0, 1, 0.1, dtype=int64): the step truncates to 0
        with pytest.raises(type(error), match=str(error)):
            getattr(tg, name)(*args, dtype=None if dtype is None else getattr(tg, dtype))
        return
    ours = getattr(tg, name)(*args, dtype=None if dtype is None else getattr(tg, dtype)).numpy()
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, (name, args, dtype)
    np.testing.assert_array_equal(ours, theirs, err_msg=f"{name}{args} {dtype}")


LINSPACE_ARGS = [(-math.pi, math.pi, 2000), (0.0, 2 * math.pi, 25), (0, 1, 7), (-3.7, 12.1, 1001), (1e-3, 5.5, 31),
                 (2, -7.5, 4097), (0, 255, 256), (0, 1, 1), (0, 1, 0), (-5, 5, 3)]


# negative values into uint8 are left out: C's cast of a negative double to uint8 is undefined (docs/pytorch.md)
@pytest.mark.parametrize("args, dtype", [(args, dtype) for args in LINSPACE_ARGS for dtype in DTYPES
                                         if not (dtype == "uint8" and min(args[:2]) < 0)])
def test_linspace_bit_for_bit(args: tuple, dtype: str | None) -> None:
    _same("linspace", args, dtype)


@pytest.mark.parametrize("dtype", [None, "float32", "float64", "float16", "int64"])
@pytest.mark.parametrize("args", [(0, 1, 0.1), (0, 5, 0.3), (-1, 1, 0.01), (0.5, 100.5), (0, 2 * math.pi, 0.001),
                                  (5,), (0, 10, 3), (-3, 7, 0.37), (0, -2, -0.3), (0, 1000, 0.5)])
def test_arange_bit_for_bit(args: tuple, dtype: str | None) -> None:
    _same("arange", args, dtype)


@pytest.mark.parametrize("dtype", [None, "float64", "float16", "int64"])
@pytest.mark.parametrize("args", [(0, 1, 10), (-2, 2, 50), (0, 3, 7, 2.0), (-5, 5, 1000), (0, 1, 1), (0, 1, 0),
                                  (0.3, 2.9, 17, 3.0), (2.5, 7, 1)])
def test_logspace_bit_for_bit(args: tuple, dtype: str | None) -> None:
    _same("logspace", args, dtype)
