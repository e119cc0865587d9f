"""A short seeded run of experiments/fuzz_nn.py (the differential fuzzer of layers and optimizers against
PyTorch): valid cases only, every layer family and optimizer; a long run is the experiment's command line."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "experiments"))
import fuzz_nn  # noqa: E402


def test_layers_match_torch_on_seeded_cases() -> None:
    failures, checked = [], set()
    for seed in range(70):
        description, error = fuzz_nn.one_module(seed, [], invalid=0.0)
        if error not in (None, "missing", "unsupported"):
            failures.append(f"seed {seed}: {description}: {error}")
        elif error is None:
            checked.add(description.split("(")[0])
    assert not failures, "\n".join(failures)
    assert len(checked) > 30  # the draw reaches most layers


def test_a_mutated_argument_is_refused_by_both_or_neither() -> None:
    failures = []
    for seed in range(30):
        description, error = fuzz_nn.one_module(10_000 + seed, ["Linear", "LSTM", "Embedding", "LayerNorm"],
                                                invalid=1.0)
        if error not in (None, "missing", "unsupported") and "error types differ" not in error:
            failures.append(f"seed {seed}: {description}: {error}")
    assert not failures, "\n".join(failures)


def test_optimizers_and_schedulers_match_torch() -> None:
    failures = []
    for seed in range(16):
        try:
            fuzz_nn.check_optimizer(seed, random.Random(seed), verbose=False)
        except AttributeError:  # an optimizer this package does not have (RAdam, ASGD, Rprop)
            continue
        except fuzz_nn.Mismatch as e:
            failures.append(f"seed {seed}: {e}")
    assert not failures, "\n".join(failures)
