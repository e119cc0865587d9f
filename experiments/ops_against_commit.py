"""Time the GPT lecture model's layer norm, causal softmax and masked_fill ops (forward and backward on its
shapes, float32) against the same ops at another commit, alternated in one process, CPU time on one thread.

    OPENBLAS_NUM_THREADS=1 python experiments/ops_against_commit.py 9b3c76e

The other commit's op files are read with `git show` and loaded as modules beside today's (their imports
resolve to today's package), so only the op's own code differs between the two columns.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np

import tinygrad_adam  # noqa: F401  (before NumPy's BLAS is used: the package's settings)
from tinygrad_adam.core.ops import elementwise, reduction
from tinygrad_adam.nn.ops import normalization

ROOT = Path(__file__).resolve().parents[1]


def module_at(commit: str, module: ModuleType, folder: Path) -> ModuleType:
    """`module` as it was at `commit`, loaded in its package under another name."""
    relative = Path(module.__file__).resolve().relative_to(ROOT).as_posix()
    source = subprocess.run(["git", "show", f"{commit}:{relative}"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    path = folder / Path(relative).name
    path.write_text(source)
    package = module.__name__.rpartition(".")[0]
    spec = importlib.util.spec_from_file_location(f"{package}._at_{commit}_{path.stem}", path)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loaded
    spec.loader.exec_module(loaded)
    return loaded


class Context:
    needs_input_grad = (True, True, True)

    def save_for_backward(self, *arrays: np.ndarray) -> None:
        self.saved_tensors = arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit")
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x, grad = (rng.standard_normal((32, 64, 64)).astype(np.float32) for _ in range(2))
    weight, bias = (rng.standard_normal(64).astype(np.float32) for _ in range(2))
    keep, minus_inf = np.tri(64, 64, dtype=bool), np.array(-np.inf, np.float32)
    scores = np.where(keep, x, minus_inf)

    def layer_norm(m: ModuleType) -> None:
        ctx = Context()
        m.LayerNormOp.forward(ctx, x, weight, bias, dims=1, has_weight=True, has_bias=True, eps=1e-5)
        m.LayerNormOp.backward(ctx, grad)

    def softmax(m: ModuleType) -> None:
        ctx = Context()
        m.Softmax.forward(ctx, scores, -1)
        m.Softmax.backward(ctx, grad)

    def masked_fill(m: ModuleType) -> None:
        ctx = Context()
        m.Where.forward(ctx, x, minus_inf, keep)
        m.Where.backward(ctx, grad)

    cases: list[tuple[str, Callable[[ModuleType], None], ModuleType]] = [
        ("layer norm, 2048 rows of 64", layer_norm, normalization),
        ("softmax of causal (32, 64, 64) scores", softmax, reduction),
        ("masked_fill of (32, 64, 64)", masked_fill, elementwise)]
    with tempfile.TemporaryDirectory() as folder:
        for name, run, module in cases:
            versions = (module_at(args.commit, module, Path(folder)), module)
            times: list[list[float]] = [[], []]
            for r in range(args.rounds):
                for k in (0, 1) if r % 2 == 0 else (1, 0):
                    start = time.process_time()
                    for _ in range(20):
                        run(versions[k])
                    times[k].append((time.process_time() - start) / 20)
            then, now = (statistics.median(t) * 1e6 for t in times)
            print(f"{name}, forward and backward: {args.commit} {then:.0f} us, now {now:.0f} us ({now / then:.2f}x)")


if __name__ == "__main__":
    main()
