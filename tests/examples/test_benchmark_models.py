"""examples/benchmark_models.py's two steps run in tinygrad_adam, with PyTorch's API, and learn."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import tinygrad_adam as tg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "examples"))
import benchmark_models  # noqa: E402


def test_vae_and_dcgan_steps() -> None:
    tg.manual_seed(0)
    rng = np.random.default_rng(0)
    vae_step = benchmark_models.build_vae(tg)
    x = tg.tensor(rng.random((16, 1, 28, 28), dtype=np.float32))
    losses = [vae_step(x) for _ in range(4)]
    assert all(np.isfinite(losses)) and losses[-1] < losses[0]
    gan_step = benchmark_models.build_dcgan(tg)
    real = tg.tensor(rng.uniform(-1, 1, (4, 1, 28, 28)).astype(np.float32))
    noise = tg.tensor(rng.standard_normal((4, 64), dtype=np.float32))
    assert np.isfinite(gan_step(real, noise)) and np.isfinite(gan_step(real, noise))
