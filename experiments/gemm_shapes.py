"""Time the GPT lecture model's matrix products (forward x @ W.T, input gradient g @ W, weight gradient g.T @ x)
with NumPy as tinygrad_adam runs them (the package imported first: its malloc and OpenBLAS settings) and, with
--torch, the same products in PyTorch. Median of 200 calls each, microseconds.

    python experiments/gemm_shapes.py --torch
    python experiments/gemm_shapes.py --grid     # M x K by K x N for M, N in 16..1024, K in 64, 2048

--grid times plain `a @ b` over a grid of shapes, with whatever BLAS threads the environment gives
(compare OPENBLAS_NUM_THREADS=1, and a machine whose other core is busy): median of 15 calls, each after an
unrelated 128 KB np.exp, as between the products of a training step.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import tinygrad_adam  # noqa: F401  (before NumPy: sets malloc's thresholds and OpenBLAS's thread timeout)

SHAPES = [(2048, 64, 16), (2048, 64, 256), (2048, 256, 64), (2048, 64, 64), (2048, 64, 65)]


def median_us(call: Callable[[], Any], calls: int = 200) -> float:
    for _ in range(5):
        call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def grid() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    between, scratch = rng.standard_normal(32768, dtype=np.float32), np.empty(32768, dtype=np.float32)
    for m in (16, 64, 256, 1024):
        for n in (16, 64, 256):
            for k in (64, 2048):
                a, b = rng.standard_normal((m, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32)
                times = []
                for _ in range(15):
                    np.exp(between, out=scratch)
                    start = time.perf_counter()
                    a @ b
                    times.append(time.perf_counter() - start)
                print(f"{m:5d}x{k:<5d} by {k:5d}x{n:<4d} ({m * n * k:>10,d} multiply-adds): "
                      f"{statistics.median(times) * 1e6:9.0f} us", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch", action="store_true", help="also time PyTorch's products")
    parser.add_argument("--grid", action="store_true", help="plain products over a grid of shapes")
    args = parser.parse_args()
    if args.grid:
        grid()
        return
    libraries: list[tuple[str, Any]] = [("numpy", None)]
    if args.torch:
        import torch

        libraries.append(("torch", torch))
    import numpy as np

    rng = np.random.default_rng(0)
    for rows, inner, outer in SHAPES:
        for name, torch in libraries:
            x, w, g = (rng.standard_normal(shape, dtype=np.float32) for shape in
                       ((rows, inner), (outer, inner), (rows, outer)))
            if torch is not None:
                x, w, g = (torch.from_numpy(a) for a in (x, w, g))
            forward, grad_x, grad_w = (median_us(lambda a=a, b=b: a @ b) for a, b in ((x, w.T), (g, w), (g.T, x)))
            print(f"{name:5} {rows}x{inner}->{outer}: forward {forward:.0f} us, input gradient {grad_x:.0f} us, "
                  f"weight gradient {grad_w:.0f} us")


if __name__ == "__main__":
    main()
