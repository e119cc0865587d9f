"""examples/bench_example.py: separate processes per framework, same weights and batches, PyTorch optional."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "benchmark.py"
TINY = ["--models", "mlp", "--batch-sizes", "4", "--rounds", "2", "--steps", "3", "--warmup", "1", "--epoch-batch", "0"]


@pytest.fixture
def bench_example(monkeypatch: pytest.MonkeyPatch):
    # the worker processes import tinygrad_adam and examples/common.py like `python examples/bench_example.py` does
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    spec = importlib.util.spec_from_file_location("benchmark_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runs_without_torch_each_round_in_a_fresh_process(bench_example, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "torch" else real_find_spec(name, *a))
    pids = []
    real_spawn = bench_example.spawn

    def spawn(*args, **kwargs):
        out = real_spawn(*args, **kwargs)
        pids.append(out["pid"])
        return out

    monkeypatch.setattr(bench_example, "spawn", spawn)
    report = bench_example.main(TINY)
    assert "PyTorch is not installed" in capsys.readouterr().out
    (row,) = report["results"]
    assert "torch" not in row and "ratio" not in row
    mine = row["tinygrad_adam"]
    assert len(mine["seconds"]) == 2 and all(len(s) == 3 and min(s) > 0 for s in mine["seconds"])
    assert mine["median_ms"] > 0 and mine["peak_rss_mb"] > 10
    assert len(set(pids)) == 2 and os.getpid() not in pids  # one process per round, never this one


def test_both_frameworks_compute_the_same_losses_from_the_same_weights(bench_example) -> None:
    pytest.importorskip("torch")
    report = bench_example.main(TINY)
    (row,) = report["results"]
    assert row["ratio"] > 0
    ours, theirs = row["tinygrad_adam"]["round_medians_ms"], row["torch"]["round_medians_ms"]
    assert row["round_ratios"] == [a / b for a, b in zip(ours, theirs, strict=True)]  # paired by round
    assert row["loss_gap"] < 1e-4  # same initial weights (.npz) and batches in both processes
    assert len(row["torch"]["first_losses"]) == len(row["tinygrad_adam"]["first_losses"]) == 3
