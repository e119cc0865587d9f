"""examples/mnist.py end to end: real MNIST (through TINYGRAD_ADAM_DATA) on small subsets, and digits offline."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.data import DatasetNotFoundError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "mnist.py"
needs_mnist = pytest.mark.skipif(not os.environ.get("TINYGRAD_ADAM_DATA"),
                                 reason="set TINYGRAD_ADAM_DATA to the folder holding mnist/")


@pytest.fixture(scope="module")
def mnist_example():
    sys.path.insert(0, str(EXAMPLE.parent))  # as `python examples/mnist.py` does, so that it finds common.py
    try:
        spec = importlib.util.spec_from_file_location("mnist_example", EXAMPLE)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXAMPLE.parent))
    return module


@needs_mnist
def test_mlp_on_a_few_thousand_images_reaches_90_percent(mnist_example) -> None:
    result = mnist_example.main(["--model", "mlp", "--epochs", "3", "--limit-train", "5000",
                                 "--limit-test", "1000", "--no-progress"])
    assert result["accuracy"] >= 0.90
    assert result["history"]["train_loss"][1] < result["history"]["train_loss"][0]


@needs_mnist
def test_cnn_loss_falls_on_a_small_subset(mnist_example) -> None:
    result = mnist_example.main(["--epochs", "2", "--limit-train", "512", "--limit-test", "200",
                                 "--batch-size", "32", "--schedule", "constant", "--no-progress"])
    first, second = result["history"]["train_loss"]
    assert second < 0.8 * first
    assert first < np.log(10) + 0.1  # starts near chance level, not diverging


def test_resume_after_a_crash_continues_the_same_run(mnist_example, tmp_path: Path, monkeypatch) -> None:
    args = ["--dataset", "digits", "--model", "mlp", "--epochs", "3", "--no-progress", "--limit-train", "600"]
    straight = mnist_example.main(args)

    checkpoint = tmp_path / "run.npz"
    real_epoch = mnist_example.train_one_epoch

    def crash_in_epoch_3(*a, **kw):
        if a[6] == 3:
            raise RuntimeError("crash")
        return real_epoch(*a, **kw)

    monkeypatch.setattr(mnist_example, "train_one_epoch", crash_in_epoch_3)
    with pytest.raises(RuntimeError):
        mnist_example.main([*args, "--save", str(checkpoint)])
    monkeypatch.setattr(mnist_example, "train_one_epoch", real_epoch)
    saved = tg.load(checkpoint)
    assert (saved["epoch"], saved["step"]) == (2, 0)

    resumed = mnist_example.main([*args, "--resume", str(checkpoint)])
    assert resumed["history"]["train_loss"] == straight["history"]["train_loss"]
    for (name, a), (_, b) in zip(straight["model"].state_dict().items(), resumed["model"].state_dict().items(),
                                 strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_a_non_finite_loss_stops_the_run_and_keeps_the_last_checkpoint(mnist_example, tmp_path: Path, monkeypatch,
                                                                       capsys) -> None:
    checkpoint = tmp_path / "run.npz"
    real_cross_entropy = mnist_example.F.cross_entropy
    calls = [0]

    def nan_at_call_14(*a, **kw):  # 10 steps per epoch: step 4 of epoch 2
        calls[0] += 1
        loss = real_cross_entropy(*a, **kw)
        return loss * float("nan") if calls[0] == 14 else loss

    monkeypatch.setattr(mnist_example, "F", SimpleNamespace(cross_entropy=nan_at_call_14))
    with pytest.raises(SystemExit) as info:
        mnist_example.main(["--dataset", "digits", "--model", "mlp", "--epochs", "3", "--no-progress",
                            "--limit-train", "600", "--save", str(checkpoint)])
    assert info.value.code == 1
    message = capsys.readouterr().err.strip()
    assert message == ("error: the loss became nan in epoch 2 at step 4: lower the learning rate (--lr) or find "
                       "the op with tinygrad_adam.autograd.detect_anomaly()")
    saved = tg.load(checkpoint)  # the end of epoch 1, untouched
    assert (saved["epoch"], saved["step"]) == (1, 0)
    assert all(np.isfinite(v).all() for v in saved["model"].values())


def test_digits_run_offline_with_cnn_and_plot(mnist_example, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "curves.png"
    result = mnist_example.main(["--dataset", "digits", "--epochs", "2", "--no-progress", "--plot", str(plot)])
    assert result["accuracy"] > 0.8
    assert plot.stat().st_size > 10_000 and plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_missing_data_gives_one_clear_message(mnist_example, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TINYGRAD_ADAM_MNIST_MIRROR", "http://127.0.0.1:9/")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DatasetNotFoundError) as info:
        mnist_example.main(["--data-dir", str(tmp_path / "empty"), "--no-progress"])
    assert "--dataset digits" in str(info.value)
