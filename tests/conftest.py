"""Fixtures shared by several test files; tests/support/ (strategies, MPI jobs) becomes importable as `support`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def real_mnist() -> Path:
    """The real MNIST folder, found only through TINYGRAD_ADAM_DATA (as .ci/run sets it); skip without it."""
    root = os.environ.get("TINYGRAD_ADAM_DATA")
    if not root:
        pytest.skip("set TINYGRAD_ADAM_DATA to a folder holding mnist/ to run the real-data tests")
    return Path(root) / "mnist"


@pytest.fixture
def matmul_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The operand shapes of every np.matmul call made while the test runs."""
    import numpy as np

    seen: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    matmul = np.matmul

    def recording(a: np.ndarray, b: np.ndarray, **kwargs: object) -> object:
        seen.append((a.shape, b.shape))
        return matmul(a, b, **kwargs)

    monkeypatch.setattr(np, "matmul", recording)
    return seen
