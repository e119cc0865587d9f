"""Process CPU time of one training step (20 steps after 3 warm-up steps), in ms; run from a checkout's root:

    PYTHONPATH=. OPENBLAS_NUM_THREADS=1 TINYGRAD_ADAM_THREADS=1 python experiments/steps_cpu.py [cnn|mlp]

CPU time rather than wall time, so that other processes on a shared machine count less.
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.getcwd(), "examples"))

import numpy as np  # noqa: E402
from common import build_model  # noqa: E402

import tinygrad_adam as tg  # noqa: E402
from tinygrad_adam import optim  # noqa: E402
from tinygrad_adam.nn import functional as F  # noqa: E402

model = build_model(sys.argv[1] if len(sys.argv) > 1 else "cnn")
opt = optim.Adam(model.parameters(), lr=1e-3)
rng = np.random.default_rng(0)
x = tg.tensor(rng.random((64, 1, 28, 28), dtype=np.float32))
y = tg.tensor(rng.integers(0, 10, 64))


def step() -> None:
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()


for _ in range(3):
    step()
start = time.process_time()
for _ in range(20):
    step()
print(f"{(time.process_time() - start) / 20 * 1e3:.2f}")
