"""type_as, apply_ and nbytes (tensor_conveniences.py, to become Tensor methods) against torch 2.13."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.tensor_conveniences import apply_, nbytes, type_as

torch = pytest.importorskip("torch")


def test_type_as() -> None:
    x = tg.tensor([1.5, 2.5], requires_grad=True)
    y = type_as(x, tg.zeros(1, dtype=tg.float64))
    assert y.dtype == tg.float64 and str(y.dtype) == str(torch.ones(2).type_as(torch.zeros(1).double()).dtype)
    y.sum().backward()
    assert x.grad.dtype == tg.float32 and np.array_equal(x.grad.numpy(), [1.0, 1.0])
    assert type_as(x, x) is x
    assert type_as(tg.tensor([1.7, -2.2]), tg.tensor([1])).tolist() == torch.tensor([1.7, -2.2]).type_as(
        torch.tensor([1])).tolist()


def test_apply_and_nbytes() -> None:
    ours, theirs = tg.arange(6, dtype=tg.float32).reshape(2, 3), torch.arange(6, dtype=torch.float32).reshape(2, 3)
    assert apply_(ours, lambda v: v * v + 1) is ours
    theirs.apply_(lambda v: v * v + 1)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == tg.float32
    with pytest.raises(RuntimeError, match="requires grad"):
        apply_(tg.ones(2, requires_grad=True), abs)
    for shape, dtype, tdtype in (((3, 2), tg.float32, torch.float32), ((5,), tg.int64, torch.int64),
                                 ((), tg.float64, torch.float64)):
        assert nbytes(tg.zeros(*shape, dtype=dtype)) == torch.zeros(shape, dtype=tdtype).nbytes
