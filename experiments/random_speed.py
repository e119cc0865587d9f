"""CPU time of this package's PyTorch streams beside NumPy's own generators (issue 23's speed goal).

    PYTHONPATH=. OPENBLAS_NUM_THREADS=1 TINYGRAD_ADAM_THREADS=1 python experiments/random_speed.py [rounds]

Each round times every case once, in the same order, alternating ours with NumPy's legacy RandomState (the
same MT19937 engine) and its default_rng (PCG64, ziggurat normals); each time is the process CPU time of one
call, so other processes on the machine count less. Prints the median of the rounds in milliseconds and
ours / NumPy's faster one. PYTHONPATH picks the tree of the package that is timed (without it, the
installed one).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

import tinygrad_adam as tg
from tinygrad_adam import nn

N = 10**6
legacy = np.random.RandomState(0)
pcg = np.random.default_rng(0)

CASES: dict[str, dict[str, Callable[[], object]]] = {
    "randn float32 10^6": {
        "ours": lambda: tg.randn(N),
        "RandomState": lambda: legacy.standard_normal(N).astype(np.float32),
        "default_rng": lambda: pcg.standard_normal(N, dtype=np.float32),
    },
    "randn float64 10^6": {
        "ours": lambda: tg.randn(N, dtype=tg.float64),
        "RandomState": lambda: legacy.standard_normal(N),
        "default_rng": lambda: pcg.standard_normal(N),
    },
    "rand float32 10^6": {
        "ours": lambda: tg.rand(N),
        "RandomState": lambda: legacy.random_sample(N).astype(np.float32),
        "default_rng": lambda: pcg.random(N, dtype=np.float32),
    },
    "randint(0, 10) 10^6": {
        "ours": lambda: tg.randint(0, 10, (N,)),
        "RandomState": lambda: legacy.randint(0, 10, N),
        "default_rng": lambda: pcg.integers(0, 10, N),
    },
    "randperm(60000)": {
        "ours": lambda: tg.randperm(60000),
        "RandomState": lambda: legacy.permutation(60000),
        "default_rng": lambda: pcg.permutation(60000),
    },
    "nn.Linear(784, 1000)": {  # kaiming_uniform_ weight and uniform_ bias, 785,000 float32 uniforms
        "ours": lambda: nn.Linear(784, 1000),
        "RandomState": lambda: (legacy.uniform(-1, 1, (1000, 784)).astype(np.float32),
                                legacy.uniform(-1, 1, 1000).astype(np.float32)),
        "default_rng": lambda: (pcg.random((1000, 784), dtype=np.float32), pcg.random(1000, dtype=np.float32)),
    },
}


def cpu_ms(run: Callable[[], object]) -> float:
    start = time.process_time()
    run()
    return (time.process_time() - start) * 1e3


def main(rounds: int = 21) -> None:
    tg.manual_seed(0)
    times = {(case, who): [] for case, runs in CASES.items() for who in runs}
    for runs in CASES.values():  # warm up
        for run in runs.values():
            run()
    for _ in range(rounds):
        for case, runs in CASES.items():
            for who, run in runs.items():
                times[case, who].append(cpu_ms(run))
    print(f"{'case':24s} {'ours':>8s} {'RandomState':>12s} {'default_rng':>12s}  ours/faster NumPy"
          f"   (median ms of {rounds})")
    for case, runs in CASES.items():
        medians = {who: statistics.median(times[case, who]) for who in runs}
        best = min(medians["RandomState"], medians["default_rng"])
        print(f"{case:24s} {medians['ours']:8.2f} {medians['RandomState']:12.2f} {medians['default_rng']:12.2f}"
              f"  {medians['ours'] / best:6.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
