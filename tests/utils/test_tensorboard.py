"""SummaryWriter writes event files that the tensorboard package's own reader reads back."""

from __future__ import annotations

import builtins
import sys
from pathlib import Path

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.utils.tensorboard import SummaryWriter


def _accumulator(folder: Path):  # noqa: ANN202 - the tensorboard package's EventAccumulator
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    acc = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0, "images": 0})
    acc.Reload()
    return acc


def test_scalars_histograms_and_images_read_back(tmp_path: Path) -> None:
    pytest.importorskip("tensorboardX")
    with SummaryWriter(log_dir=str(tmp_path)) as writer:
        assert writer.log_dir == str(tmp_path)
        for step in range(3):
            writer.add_scalar("loss/train", tg.tensor(1.0 / (step + 1)), step)
        writer.add_scalars("loss", {"train": 0.5, "val": tg.tensor(0.75)}, 7)
        writer.add_histogram("weights", tg.tensor(np.arange(100, dtype=np.float32)), 1)
        image = np.zeros((3, 4, 5), dtype=np.float32)
        image[0] = 1.0  # red
        writer.add_image("sample", tg.tensor(image), 2)
        writer.flush()
    acc = _accumulator(tmp_path)
    scalars = acc.Scalars("loss/train")
    assert [e.step for e in scalars] == [0, 1, 2]
    np.testing.assert_allclose([e.value for e in scalars], [1.0, 0.5, 1 / 3], rtol=1e-6)
    histogram = acc.Histograms("weights")[0]
    assert histogram.step == 1
    assert histogram.histogram_value.num == 100
    assert histogram.histogram_value.min == 0 and histogram.histogram_value.max == 99
    assert histogram.histogram_value.sum == pytest.approx(4950)
    images = acc.Images("sample")
    assert (images[0].step, images[0].width, images[0].height) == (2, 5, 4)
    assert images[0].encoded_image_string[:8] == b"\x89PNG\r\n\x1a\n"
    val = _accumulator(tmp_path / "loss_val")
    assert [(e.step, e.value) for e in val.Scalars("loss")] == [(7, 0.75)]


def test_add_graph_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("tensorboardX")
    with SummaryWriter(log_dir=str(tmp_path)) as writer, pytest.raises(NotImplementedError, match="add_graph"):
        writer.add_graph(tg.nn.Linear(2, 2))


def test_without_the_extra_the_error_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_tensorboardx(name: str, *args: object, **kwargs: object) -> object:
        if name == "tensorboardX":
            raise ImportError("No module named 'tensorboardX'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "tensorboardX", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_tensorboardx)
    with pytest.raises(ModuleNotFoundError, match=r'pip install -e "\.\[tensorboard\]"'):
        SummaryWriter()
