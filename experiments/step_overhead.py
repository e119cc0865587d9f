"""Python overhead of a layer call and CPU time of one training step, to compare two trees of the package.

    PYTHONPATH=<tree> OPENBLAS_NUM_THREADS=1 TINYGRAD_ADAM_THREADS=1 python experiments/step_overhead.py

prints the Python and C calls one forward makes (tiny inputs under no_grad: the count is the overhead,
not the arithmetic) and the process CPU time of one CNN and one MLP training step at batch 64 (mean of 20
after 3 warm-up steps; CPU time does not count the time other processes take the cores). Run it on both
trees in alternation, several rounds, and compare medians (docs/performance.md).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import tinygrad_adam as tg
from tinygrad_adam import nn, optim
from tinygrad_adam.nn import functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
from common import build_model  # noqa: E402


def calls(run: Callable[[], object]) -> int:
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        count += event in ("call", "c_call")

    run()
    sys.setprofile(profile)
    run()
    sys.setprofile(None)
    return count


def step_ms(model_name: str) -> float:
    model = build_model(model_name)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(0)
    x, y = tg.tensor(rng.random((64, 1, 28, 28), dtype=np.float32)), tg.tensor(rng.integers(0, 10, 64))

    def step() -> None:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()

    for _ in range(3):
        step()
    start = time.process_time()
    for _ in range(20):
        step()
    return (time.process_time() - start) / 20 * 1e3


def main() -> None:
    rng = np.random.default_rng(0)
    image = tg.tensor(rng.random((2, 3, 8, 8), dtype=np.float32))
    rows, logits = tg.tensor(rng.random((2, 16), dtype=np.float32)), tg.tensor(rng.random((4, 10), dtype=np.float32))
    labels = tg.tensor([1, 2, 3, 4])
    layers = {"Conv2d(3, 4, 3)": (nn.Conv2d(3, 4, 3), (image,)), "MaxPool2d(2)": (nn.MaxPool2d(2), (image,)),
              "Linear(16, 4)": (nn.Linear(16, 4), (rows,)),
              "CrossEntropyLoss()": (nn.CrossEntropyLoss(), (logits, labels))}
    with tg.no_grad():
        for name, (layer, args) in layers.items():
            print(f"{name}: {calls(lambda layer=layer, args=args: layer(*args))} calls per forward")
    for model_name in ("cnn", "mlp"):
        print(f"{model_name} step: {step_ms(model_name):.2f} ms CPU time")


if __name__ == "__main__":
    main()
