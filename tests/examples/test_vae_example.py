"""examples/vae.py end to end on a tiny fake MNIST: it trains, its loss falls, and it draws its pictures."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from tinygrad_adam.data.idx import write_idx
from tinygrad_adam.data.mnist import FILES

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import vae  # noqa: E402


@pytest.fixture
def fake_mnist(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    for split, count in (("train", 256), ("test", 64)):
        labels = rng.integers(0, 10, count).astype(np.uint8)
        images = np.zeros((count, 28, 28), dtype=np.uint8)
        for i, label in enumerate(labels):  # a bar whose position is the label: something to learn
            images[i, 4:24, 2 + 2 * label:6 + 2 * label] = 255
        image_file, label_file = FILES[split]
        write_idx(tmp_path / image_file, images)
        write_idx(tmp_path / label_file, labels)
    return tmp_path


def test_vae_trains_and_draws(fake_mnist: Path, tmp_path: Path) -> None:
    pytest.importorskip("PIL")
    out = tmp_path / "results"
    history = vae.main(["--data-dir", str(fake_mnist), "--out", str(out), "--epochs", "3", "--latent", "2",
                        "--batch-size", "32", "--no-progress"])
    assert history["test"][-1] < history["test"][0] < 544  # below the loss of predicting 0.5 everywhere
    names = {p.name for p in out.iterdir()}
    assert {"reconstruction_3.png", "sample_3.png", "latent_manifold.png"} <= names
    from PIL import Image

    with Image.open(out / "reconstruction_3.png") as png:
        assert png.size == (8 * 30 + 2, 2 * 30 + 2)  # 8 inputs above their 8 reconstructions, 2-pixel padding
    with Image.open(out / "latent_manifold.png") as png:
        assert png.size == (20 * 28, 20 * 28)
