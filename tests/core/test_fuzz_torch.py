"""A short seeded run of the differential fuzzer (experiments/fuzz_ops.py runs it long, over every entry):
random index tuples read and written, and random variations (dtypes, 0-dim, empty and broadcast shapes, NaN and
inf, non-contiguous views, out=) of the samples of the elementwise and reduction entries, each checked against
torch as the op table's runner checks a sample (where both raise, any exception types will do, as in the
fuzzer's default)."""

from __future__ import annotations

import pytest
from fuzz import case, entries

torch = pytest.importorskip("torch")

from test_optable_torch import Mismatch, check_sample  # noqa: E402 - it needs torch

ELEMENTWISE_AND_REDUCTIONS = (r"^(torch|Tensor)\.(abs|exp|log|sqrt|sin|tanh|sigmoid|add|sub|mul|div|maximum|minimum|"
                              r"eq|lt|ge|where|sum|mean|prod|amax|amin|max|min|argmax|cumsum|logsumexp|any|all)_?$")


def _disagreements(seed: int, count: int, pattern: str, indexing: float) -> list[str]:
    pool = entries(pattern)
    found = []
    for number in range(count):
        c = case(seed, number, pool, indexing, numbers=False)
        try:
            check_sample(c.entry, c.sample, error_types=False)
        except Mismatch as m:
            if not c.entry.differs_if(c.sample):
                found.append(f"case {number}: {c.entry.name}{c.sample!r} [{c.how}]: {str(m).splitlines()[0]}")
    return found


def test_random_indexing_agrees_with_torch() -> None:
    found = _disagreements(0, 300, r"^Tensor\.__(get|set)item__$", indexing=1.0)
    assert not found, "\n".join(found)


def test_variations_of_elementwise_and_reduction_samples_agree_with_torch() -> None:
    found = _disagreements(0, 300, ELEMENTWISE_AND_REDUCTIONS, indexing=0.0)
    assert not found, "\n".join(found)
