"""Where a training step of examples/benchmark_models.py spends its time, op by op: the forward and backward
of every Op subclass are timed (wall clock) over a few steps, and the step itself with and without timing.

    python experiments/op_times.py --model gpt --steps 10
    python experiments/op_times.py --model gpt --medium-products-threaded   # the products' earlier threading

--medium-products-threaded alternates the step, one step each, between the package's setting (products of
2.6·10**5 to 16·2**20 multiply-adds on one BLAS thread, _platform/products.py) and OpenBLAS's own threading of
them, and prints the paired ratio: the A/B behind docs/performance.md's "Medium products on one thread".
"""

from __future__ import annotations

import argparse
import collections
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import tinygrad_adam as lib  # before NumPy's BLAS is used: the package's malloc and OpenBLAS settings
from tinygrad_adam._platform import threads
from tinygrad_adam.core.engine import Op

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import benchmark_models  # noqa: E402


def all_ops(cls: type = Op) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | all_ops(sub)
    return found


def time_ops(totals: dict[str, float], counts: collections.Counter) -> None:
    """Wrap the forward and backward that each Op subclass defines so that their calls add to `totals`."""
    for cls in all_ops():
        for kind in ("forward", "backward"):
            method = cls.__dict__.get(kind)
            if not isinstance(method, staticmethod | classmethod):
                continue

            def timed(*args: Any, _function: Any = method.__func__, _key: str = f"{cls.__name__}.{kind}",
                      **kwargs: Any) -> Any:
                start = time.perf_counter()
                try:
                    return _function(*args, **kwargs)
                finally:
                    totals[_key] += time.perf_counter() - start
                    counts[_key] += 1

            setattr(cls, kind, type(method)(timed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=benchmark_models.MODELS, default="gpt")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--medium-products-threaded", action="store_true")
    args = parser.parse_args()
    lib.manual_seed(0)
    step = benchmark_models.BUILDERS[args.model](lib)
    inputs = benchmark_models.batches(lib, args.model, np.random.default_rng(0))
    threads.blas_threads()  # read before any change
    for i in range(3):
        step(*inputs[i % len(inputs)])
    if args.medium_products_threaded:
        steps: dict[bool, list[float]] = {False: [], True: []}
        blas = threads.blas_threads()
        for i in range(2 * args.steps):
            threaded = bool(i % 2)
            threads._blas_threads = 1 if threaded else blas  # 1: products.matmul leaves OpenBLAS's threads alone
            start = time.perf_counter()
            step(*inputs[i % len(inputs)])
            steps[threaded].append(time.perf_counter() - start)
        threads._blas_threads = blas
        ratios = [a / b for a, b in zip(steps[True], steps[False], strict=True)]
        print(f"{args.model}: medium products on one thread {statistics.median(steps[False]) * 1e3:.1f} ms, "
              f"threaded {statistics.median(steps[True]) * 1e3:.1f} ms a step; threaded / one thread, paired: "
              f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})")
        return
    totals: dict[str, float] = collections.defaultdict(float)
    counts: collections.Counter = collections.Counter()
    time_ops(totals, counts)
    start = time.perf_counter()
    for i in range(args.steps):
        step(*inputs[i % len(inputs)])
    per_step = (time.perf_counter() - start) / args.steps
    print(f"{args.model}: {per_step * 1e3:.1f} ms a step (timed), {sum(totals.values()) / args.steps * 1e3:.1f} ms "
          "of it in ops' forward and backward")
    for key, total in sorted(totals.items(), key=lambda item: -item[1])[:25]:
        print(f"  {key:36s} {total / args.steps * 1e3:7.2f} ms  {counts[key] // args.steps:4d} calls")


if __name__ == "__main__":
    main()
