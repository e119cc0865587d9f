"""The benchmark's sequence models, written once against PyTorch's API, give PyTorch's losses after the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import benchmark_models  # noqa: E402


@pytest.mark.parametrize("model", ["gpt", "lstm", "mlp"])
def test_the_same_seed_gives_pytorchs_losses(model: str) -> None:
    losses = []
    for lib in (tg, torch):
        lib.manual_seed(0)  # the same initial weights: both draw PyTorch's stream
        step = benchmark_models.BUILDERS[model](lib)
        inputs = benchmark_models.batches(lib, model, np.random.default_rng(0))
        losses.append([step(*inputs[i % len(inputs)]) for i in range(3)])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-4)
    assert losses[0][0] != losses[0][2]  # the steps change the weights
