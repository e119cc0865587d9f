"""A short seeded run of experiments/fuzz_nn.py (the differential fuzzer of layers and optimizers against
PyTorch): valid cases only, every layer family and optimizer; a long run is the experiment's command line."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

torch = pytest.importorskip("torch")

FUZZER = Path(__file__).resolve().parents[2] / "experiments" / "fuzz_nn.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("experiment_fuzz_nn", FUZZER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_layers_match_torch_on_seeded_cases(fuzz: ModuleType) -> None:
    failures, checked = [], set()
    for seed in range(70):
        description, error = fuzz.one_module(seed, [], invalid=0.0)
        if error not in (None, "missing", "unsupported"):
            failures.append(f"seed {seed}: {description}: {error}")
        elif error is None:
            checked.add(description.split("(")[0])
    assert not failures, "\n".join(failures)
    assert len(checked) > 30  # the draw reaches most layers


def test_a_mutated_argument_is_refused_by_both_or_neither(fuzz: ModuleType) -> None:
    failures = []
    for seed in range(30):
        description, error = fuzz.one_module(10_000 + seed, ["Linear", "LSTM", "Embedding", "LayerNorm"], invalid=1.0)
        if error not in (None, "missing", "unsupported") and "error types differ" not in error:
            failures.append(f"seed {seed}: {description}: {error}")
    assert not failures, "\n".join(failures)


def test_optimizers_and_schedulers_match_torch(fuzz: ModuleType) -> None:
    failures = []
    for seed in range(16):
        try:
            fuzz.check_optimizer(seed, random.Random(seed), verbose=False)
        except AttributeError:  # an optimizer this package does not have (RAdam, ASGD, Rprop)
            continue
        except fuzz.Mismatch as e:
            failures.append(f"seed {seed}: {e}")
    assert not failures, "\n".join(failures)
