"""The resident memory of a training loop stays flat: nothing (graph, grads, optimizer state) piles up per step."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Measured in a fresh process: the MNIST CNN (examples/common.py) on random 28x28 images, batch 16, Adam.
LOOP = r"""
import os, sys
import numpy as np
sys.path.insert(0, os.path.join(sys.argv[1], "examples"))
from common import build_model, train_step
import tinygrad_adam as tg
from tinygrad_adam import optim

def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

tg.manual_seed(0)
model = build_model("cnn", 28)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
rng = np.random.default_rng(0)
images = rng.normal(size=(64, 1, 28, 28)).astype(np.float32)
labels = rng.integers(0, 10, size=64)
for step in range(1, 301):
    rows = rng.integers(0, 64, size=16)
    train_step(model, optimizer, images[rows], labels[rows])
    if step == 50:
        after_50 = rss_mb()
print(after_50, rss_mb())
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads the resident set size from /proc")
def test_rss_after_300_cnn_steps_equals_rss_after_50() -> None:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run([sys.executable, "-c", LOOP, str(ROOT)], capture_output=True, text=True, env=env,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    after_50, after_300 = map(float, result.stdout.split())
    assert after_300 - after_50 < 3.0, f"RSS grew from {after_50:.1f} MB to {after_300:.1f} MB over 250 steps"
