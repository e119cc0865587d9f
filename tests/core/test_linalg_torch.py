"""torch.linalg against torch where the fuzzer found a difference (experiments/fuzz_ops.py): the SVD family
refuses NaN and inf (LAPACK's SVD may never return on them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

SVD_FAMILY: dict[str, Callable[[Any, Any], Any]] = {
    "linalg.svd": lambda lib, a: lib.linalg.svd(a),
    "linalg.svdvals": lambda lib, a: lib.linalg.svdvals(a),
    "linalg.pinv": lambda lib, a: lib.linalg.pinv(a),
    "linalg.matrix_rank": lambda lib, a: lib.linalg.matrix_rank(a),
    "linalg.matrix_norm 2": lambda lib, a: lib.linalg.matrix_norm(a, 2),
    "linalg.matrix_norm nuc": lambda lib, a: lib.linalg.matrix_norm(a, "nuc"),
    "svd": lambda lib, a: lib.svd(a),
}


def _bad(value: float) -> np.ndarray:
    return np.array([[[1.0, 2.0, 0.5], [value, 3.0, 1.0]], [[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]])


@pytest.mark.parametrize("name", sorted(SVD_FAMILY))
def test_svd_family_refuses_nan_as_torch(name: str) -> None:
    with pytest.raises(RuntimeError):
        SVD_FAMILY[name](torch, torch.tensor(_bad(np.nan)))
    with pytest.raises(RuntimeError, match="non-finite"):
        SVD_FAMILY[name](tg, tg.tensor(_bad(np.nan)))


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
@pytest.mark.parametrize("name", ["linalg.svdvals", "linalg.matrix_rank", "linalg.matrix_norm 2",
                                  "linalg.matrix_norm nuc"])
def test_singular_values_of_a_matrix_with_an_infinity_are_nan_as_torch(name: str, bad: float) -> None:
    """(U, Vh and pinv there are LAPACK's leftovers in PyTorch, NaN here: docs/pytorch.md.)"""
    ours, theirs = SVD_FAMILY[name](tg, tg.tensor(_bad(bad))), SVD_FAMILY[name](torch, torch.tensor(_bad(bad)))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, equal_nan=True)
    assert str(ours.dtype) == str(theirs.dtype)


PRODUCT_SUMS: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]] = {
    "addmm": ((2, 2), (2, 3), (3, 2)),
    "addmv": ((2,), (2, 3), (3,)),
    "addr": ((2, 3), (2,), (3,)),
    "baddbmm": ((1, 2, 2), (1, 2, 3), (1, 3, 2)),
    "addbmm": ((2, 2), (1, 2, 3), (1, 3, 2)),
}


@pytest.mark.parametrize("self_dtype", ["float32", "int64"])
@pytest.mark.parametrize("name", sorted(PRODUCT_SUMS))
def test_product_sums_want_self_in_the_product_dtype_as_torch(name: str, self_dtype: str) -> None:
    """addmm, addmv, baddbmm and addbmm refuse a self of another dtype than the product's; addr promotes."""
    shapes = PRODUCT_SUMS[name]
    arrays = [np.ones(shapes[0], self_dtype), np.ones(shapes[1]), np.ones(shapes[2])]
    try:
        theirs = getattr(torch, name)(*(torch.tensor(a) for a in arrays))
    except RuntimeError:
        with pytest.raises(RuntimeError, match="same dtype"):
            getattr(tg, name)(*(tg.tensor(a) for a in arrays))
        return
    ours = getattr(tg, name)(*(tg.tensor(a) for a in arrays))
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("shapes", [((2, 3, 0), (0, 5)), ((0, 3, 4), (4, 5)), ((2, 3, 4), (4, 0)), ((2, 3, 4), (4, 5))])
def test_stack_times_matrix_equals_torch(shapes: tuple) -> None:
    """x @ W with a 3-D x is one 2-D product here, empty sizes included (a reshape to -1 could not infer them)."""
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(shape) for shape in shapes]
    results = []
    for lib in (tg, torch):
        a, b = (lib.tensor(x, requires_grad=True) for x in arrays)
        out = a @ b
        (out * out).sum().backward()
        results.append((out.detach().numpy(), a.grad.numpy(), b.grad.numpy()))
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
