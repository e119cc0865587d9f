"""Time the GPT lecture model's matrix products (forward x @ W.T, input gradient g @ W, weight gradient g.T @ x)
with NumPy as tinygrad_adam runs them (the package imported first: its malloc and OpenBLAS settings) and, with
--torch, the same products in PyTorch. Median of 200 calls each, microseconds.

    python experiments/gemm_shapes.py --torch
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--torch", action="store_true", help="also time PyTorch's products")
    args = parser.parse_args()
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
