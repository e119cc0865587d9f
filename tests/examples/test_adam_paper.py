"""experiments/adam_paper.py on tiny budgets: the plumbing of the Adam-paper reproduction, in seconds."""

from __future__ import annotations

import csv
import importlib.util
import math
import os
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

EXPERIMENT = Path(__file__).resolve().parents[2] / "experiments" / "adam_paper.py"
TINY = ["--dataset", "digits", "--epochs", "2", "--limit-train", "300", "--no-progress"]


@pytest.fixture(scope="module")
def paper() -> ModuleType:
    spec = importlib.util.spec_from_file_location("experiment_adam_paper", EXPERIMENT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_figure1_tiny_run_writes_results_and_adam_cost_falls(paper: ModuleType, tmp_path: Path) -> None:
    result = paper.main(["--figure", "1", *TINY, "--no-plot", "--out", str(tmp_path)])
    assert list(result.runs) == ["adam", "nesterov", "adagrad"]
    for run in result.runs.values():
        assert run.decay and len(run.eval_cost) == 2 and all(math.isfinite(c) for c in run.eval_cost)
    adam = result.runs["adam"]
    assert adam.eval_cost[1] < adam.eval_cost[0] < math.log(10)  # below the cost of a uniform guess, and falling
    assert result.lrs == paper.DEFAULT_LRS[1]

    rows = _rows(tmp_path / "results" / "paper_fig1.csv")
    assert len(rows) == 3 * 2
    assert {r["optimizer"] for r in rows} == {"adam", "nesterov", "adagrad"}
    first_adam = next(r for r in rows if r["optimizer"] == "adam" and r["epoch"] == "1")
    assert float(first_adam["eval_cost"]) == pytest.approx(adam.eval_cost[0], rel=1e-4)
    table = (tmp_path / "results" / "paper_fig1.md").read_text()
    assert f"| Adam | {paper.DEFAULT_LRS[1]['adam']:g} |" in table
    verdicts = [line for line in table.splitlines() if line.startswith(("- AGREES: ", "- DISAGREES: "))]
    assert len(verdicts) == 3 and [str(c) for c in result.checks] == [v[2:] for v in verdicts]
    assert not (tmp_path / "img").exists()


def test_figure2_tiny_run_with_plot(paper: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = paper.main(["--figure", "2", *TINY, "--lr", "adam=0.001", "--out", str(tmp_path)])
    assert list(result.runs) == ["adam", "adagrad", "rmsprop", "nesterov", "adadelta"]
    adam = result.runs["adam"]
    assert adam.lr == 0.001 and not adam.decay
    assert adam.minibatch_cost[1] < adam.minibatch_cost[0]
    assert len(result.checks) == 4 and all("Adam converges faster than" in c.claim for c in result.checks)
    png = tmp_path / "img" / "paper_fig2.png"
    assert png.is_file() and 10_000 < png.stat().st_size < 200_000
    assert "overridden by --lr for Adam" in (tmp_path / "results" / "paper_fig2.md").read_text()


def test_search_picks_each_optimizers_best_step_size(paper: ModuleType, tmp_path: Path) -> None:
    result = paper.main(["--figure", "1", *TINY, "--search", "--search-epochs", "1", "--no-plot",
                         "--out", str(tmp_path)])
    rows = _rows(tmp_path / "results" / "paper_fig1_search.csv")
    assert len(rows) == sum(len(grid) for grid in paper.SEARCH_GRIDS[1].values())
    for name, lr in result.lrs.items():
        mine = [r for r in rows if r["optimizer"] == name]
        best = min(mine, key=lambda r: float(r["final_eval_cost"]) if r["diverged"] == "False" else math.inf)
        assert float(best["lr"]) == pytest.approx(lr)
        assert result.runs[name].lr == lr


def test_same_start_same_batches_same_masks(paper: ModuleType) -> None:
    """Two runs of one optimizer give identical curves: the initial weights, batch order and dropout are fixed."""
    x, y = paper.load_data("digits", 200, progress=False)
    paper.tg.manual_seed(0)
    model = paper.build_model(2, x.shape[1])
    start = model.state_dict()
    runs = [paper.train(2, "adam", 1e-3, model, start, x, y, x, y, 2, seed=3, progress=False, decay=False)
            for _ in range(2)]
    assert runs[0].minibatch_cost == runs[1].minibatch_cost and runs[0].eval_cost == runs[1].eval_cost
    other = paper.train(2, "adam", 1e-3, model, start, x, y, x, y, 2, seed=4, progress=False, decay=False)
    assert other.minibatch_cost != runs[0].minibatch_cost


def test_inverse_sqrt_schedule_is_stepped_per_minibatch(paper: ModuleType) -> None:
    assert [paper.inverse_sqrt(t) for t in (0, 3, 99)] == [1.0, 0.5, 0.1]


def _run(paper: ModuleType, name: str, curve: list[float]) -> object:
    return paper.Run(name, 0.1, False, minibatch_cost=list(curve), eval_cost=list(curve),
                     seconds=[1.0] * len(curve))


def test_claim_checks_agree_and_disagree(paper: ModuleType) -> None:
    runs = {"adam": _run(paper, "adam", [0.5, 0.30]), "nesterov": _run(paper, "nesterov", [0.6, 0.31]),
            "adagrad": _run(paper, "adagrad", [0.7, 0.40])}
    assert [c.agrees for c in paper.check_claims(1, runs)] == [True, True, True]
    runs["nesterov"] = _run(paper, "nesterov", [0.6, 0.45])  # 33% above Adam, and above AdaGrad
    assert [c.agrees for c in paper.check_claims(1, runs)] == [False, True, False]
    runs["adagrad"] = _run(paper, "adagrad", [0.4, 0.305])  # within 5% of Adam: not "faster"
    assert paper.check_claims(1, runs)[1].agrees is False

    names = paper.FIGURE_OPTIMIZERS[2]
    runs2 = {n: _run(paper, n, [1.0, 0.5]) for n in names}
    runs2["adam"] = _run(paper, "adam", [0.9, 0.1])
    runs2["rmsprop"] = _run(paper, "rmsprop", [0.8, float("nan")])  # diverged: Adam is faster
    assert all(c.agrees for c in paper.check_claims(2, runs2))
    runs2["adadelta"] = _run(paper, "adadelta", [0.5, 0.05])
    assert [c.agrees for c in paper.check_claims(2, runs2)] == [True, True, True, False]


def test_a_subset_of_optimizers_checks_only_their_claims(paper: ModuleType, tmp_path: Path) -> None:
    result = paper.main(["--figure", "2", *TINY, "--optimizers", "adagrad,adam", "--no-plot", "--out", str(tmp_path)])
    assert list(result.runs) == ["adagrad", "adam"] and list(result.lrs) == ["adagrad", "adam"]
    assert [c.claim for c in result.checks] == ["Adam converges faster than AdaGrad"]
    assert len(_rows(tmp_path / "results" / "paper_fig2.csv")) == 2 * 2


def test_bad_arguments(paper: ModuleType) -> None:
    with pytest.raises(SystemExit):
        paper.main(["--figure", "1", *TINY, "--optimizers", "adam,rmsprop"])
    with pytest.raises(SystemExit):
        paper.main(["--figure", "2", *TINY, "--constant-lr", "adam"])
    with pytest.raises(SystemExit):
        paper.main(["--figure", "1", *TINY, "--lr", "rmsprop=0.1"])
    with pytest.raises(SystemExit):
        paper.main(["--figure", "3"])
    assert paper.parse_lr_overrides(["SGDNesterov=0.5", "adam=0.01"], 1) == {"nesterov": 0.5, "adam": 0.01}


@pytest.mark.skipif(not os.environ.get("TINYGRAD_ADAM_DATA"), reason="TINYGRAD_ADAM_DATA is not set (no MNIST)")
def test_mnist_figure2_tiny(paper: ModuleType, tmp_path: Path) -> None:
    result = paper.main(["--figure", "2", "--epochs", "2", "--limit-train", "256", "--no-progress", "--no-plot",
                         "--out", str(tmp_path)])
    adam = result.runs["adam"]
    assert np.isfinite(adam.eval_cost).all() and adam.minibatch_cost[1] < adam.minibatch_cost[0]
    assert "256 mnist training images" in (tmp_path / "results" / "paper_fig2.md").read_text()
