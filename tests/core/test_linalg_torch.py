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
