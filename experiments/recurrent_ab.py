"""CPU time of examples/benchmark_models.py's LSTM training step with nn/ops/recurrent.py as it is now and
as it was at a git revision, side by side in one process, rotated step by step with PyTorch's step:

    OPENBLAS_NUM_THREADS=1 python experiments/recurrent_ab.py 57bc1e3 [steps]

Everything but the recurrent op is this tree's. Rotating the three within one process cancels most of the
drift of a shared machine, which moves separate processes by up to 2x. PyTorch runs on one thread; its step
takes less CPU time here than in a process of its own (docs/performance.md), so compare its figure with
`examples/benchmark_models.py --one-thread`, and the two versions of the op with each other.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np

import tinygrad_adam as tg
import tinygrad_adam.nn.modules.rnn as rnn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "examples"))
from benchmark_models import batches, build_lstm  # noqa: E402


def op_at(revision: str) -> types.ModuleType:
    """nn/ops/recurrent.py as it was at `revision`, as a module of the package (its relative imports work)."""
    source = subprocess.run(["git", "show", f"{revision}:tinygrad_adam/nn/ops/recurrent.py"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    module = types.ModuleType("tinygrad_adam.nn.ops.recurrent_at_revision")
    module.__package__ = "tinygrad_adam.nn.ops"
    exec(compile(source, f"{revision}:recurrent.py", "exec"), module.__dict__)
    return module


def main(revision: str, steps: int = 60) -> None:
    import torch

    torch.set_num_threads(1)
    ops = {revision: op_at(revision).recurrent_layer, "now": rnn.recurrent_layer}
    tg.manual_seed(0)
    torch.manual_seed(0)
    train = {"torch": build_lstm(torch), **{name: build_lstm(tg) for name in ops}}
    inputs = {"torch": batches(torch, "lstm", np.random.default_rng(0))}
    inputs.update(dict.fromkeys(ops, batches(tg, "lstm", np.random.default_rng(0))))
    seconds: dict[str, list[float]] = {name: [] for name in train}

    def step(name: str, i: int) -> float:
        if name in ops:
            rnn.recurrent_layer = ops[name]
        start = time.process_time()
        train[name](*inputs[name][i % 4])
        return time.process_time() - start

    names = list(train)
    for i in range(3 + steps):
        order = names[i % 3:] + names[:i % 3]
        for name in order if i % 2 else order[::-1]:
            elapsed = step(name, i)
            if i >= 3:
                seconds[name].append(elapsed)
    medians = {name: statistics.median(s) * 1e3 for name, s in seconds.items()}
    print(f"CPU ms per step, median of {steps}: " + ", ".join(f"{n} {m:.1f}" for n, m in medians.items()))
    print(f"now / {revision}: {medians['now'] / medians[revision]:.2f}")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:]))
