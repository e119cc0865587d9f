"""Time full training steps (forward, backward, Adam step) of examples/mnist.py's models (common.py).

    python examples/benchmark.py                       # tinygrad_adam alone
    python examples/benchmark.py --compare-torch       # alternate with PyTorch in one run, print ratios
    python examples/benchmark.py --compare-torch --epoch   # also one full MNIST-sized epoch each
    python examples/benchmark.py --compare-torch --json

PyTorch is an optional reference (`pip install torch==2.13.0`), never a dependency. With
--compare-torch both frameworks start from the same weights, see the same batches, and are
timed in alternating rounds, so machine noise hits both alike; the ratio is of the medians.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from common import build_model, train_step

import tinygrad_adam as tg
from tinygrad_adam import optim
from tinygrad_adam.cli import check_at_least, run_cli

EPOCH_IMAGES = 60_000


def tinygrad_step(model: str, batch: int) -> Callable[[np.ndarray, np.ndarray], float]:
    net = build_model(model)
    opt = optim.Adam(net.parameters(), lr=1e-3)

    def step(x: np.ndarray, y: np.ndarray) -> float:
        return train_step(net, opt, x, y)

    step.weights = net.state_dict()  # type: ignore[attr-defined]
    return step


def torch_step(model: str, weights: dict[str, np.ndarray]) -> Callable[[np.ndarray, np.ndarray], float]:
    import torch

    net = build_model(model, nn=torch.nn)  # the same network in PyTorch, with the same weights
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(x: np.ndarray, y: np.ndarray) -> float:
        loss = loss_fn(net(torch.from_numpy(x)), torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def make_batches(count: int, batch: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((batch, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def time_steps(step: Callable, batches: list) -> list[float]:
    """Seconds per step for each batch."""
    times = []
    for x, y in batches:
        start = time.perf_counter()
        step(x, y)
        times.append(time.perf_counter() - start)
    return times


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def benchmark_model(model: str, batch: int, rounds: int, steps_per_round: int, warmup: int,
                    compare_torch: bool) -> dict[str, Any]:
    tg.manual_seed(0)
    ours = tinygrad_step(model, batch)
    contenders = {"tinygrad_adam": ours}
    if compare_torch:
        contenders["torch"] = torch_step(model, ours.weights)
    batches = make_batches(steps_per_round, batch)
    for step in contenders.values():
        time_steps(step, make_batches(warmup, batch, seed=1))
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):  # alternate, so drifts in machine speed hit both alike
        for name, step in contenders.items():
            times[name] += time_steps(step, batches)
    result: dict[str, Any] = {"model": model, "batch_size": batch, "steps_timed": rounds * steps_per_round}
    for name, samples in times.items():
        median = statistics.median(samples)
        result[name] = {
            "median_ms_per_step": 1000 * median,
            "steps_per_second": 1 / median,
            "seconds_per_epoch": median * np.ceil(EPOCH_IMAGES / batch),
        }
    if compare_torch:
        result["ratio"] = result["tinygrad_adam"]["median_ms_per_step"] / result["torch"]["median_ms_per_step"]
    return result


def full_epoch(compare_torch: bool, batch: int) -> dict[str, Any]:
    """One MNIST-sized epoch (60,000 images) of the CNN for each framework, back to back."""
    tg.manual_seed(0)
    ours = tinygrad_step("cnn", batch)
    contenders = {"tinygrad_adam": ours}
    if compare_torch:
        contenders["torch"] = torch_step("cnn", ours.weights)
    rng = np.random.default_rng(0)
    images = rng.standard_normal((EPOCH_IMAGES, 1, 28, 28), dtype=np.float32)
    labels = rng.integers(0, 10, EPOCH_IMAGES)
    result: dict[str, Any] = {}
    for name, step in contenders.items():
        start = time.perf_counter()
        for i in range(0, EPOCH_IMAGES, batch):
            step(images[i:i + batch], labels[i:i + batch])
        result[name] = {"epoch_seconds": time.perf_counter() - start}
    if compare_torch:
        result["ratio"] = result["tinygrad_adam"]["epoch_seconds"] / result["torch"]["epoch_seconds"]
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", choices=["cnn", "mlp"], default=["cnn", "mlp"])
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    p.add_argument("--steps", type=int, default=40, help="steps per round and framework (default 40)")
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--compare-torch", action="store_true", help="time PyTorch (CPU) too, in the same run")
    p.add_argument("--threads", type=int, default=None, help="torch threads (default: torch's own choice)")
    p.add_argument("--epoch", action="store_true", help="also time one full 60,000-image epoch of the CNN")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = p.parse_args(argv)
    check_at_least(args, 1, "batch_size", "rounds", "steps", "threads")
    check_at_least(args, 0, "warmup")

    if args.compare_torch:
        try:
            import torch
        except ImportError:
            raise SystemExit("--compare-torch needs PyTorch: pip install torch==2.13.0 (CPU build)") from None
        if args.threads:
            torch.set_num_threads(args.threads)
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, {_cpu_count()} cores",
        "numpy": np.__version__,
        "date": time.strftime("%Y-%m-%d"),
        "results": [benchmark_model(m, args.batch_size, args.rounds, args.steps, args.warmup, args.compare_torch)
                    for m in args.models],
    }
    if args.compare_torch:
        report["torch"] = torch.__version__
        report["torch_threads"] = torch.get_num_threads()
    if args.epoch:
        report["epoch"] = full_epoch(args.compare_torch, args.batch_size)
    report["peak_rss_mb"] = peak_rss_mb()
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report)
    return report


def _cpu_count() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _print_table(report: dict[str, Any]) -> None:
    print(f"{report['machine']}, NumPy {report['numpy']}"
          + (f", PyTorch {report['torch']} ({report['torch_threads']} threads)" if "torch" in report else ""))
    print(f"{'model':<6}{'framework':<15}{'ms/step':>10}{'steps/s':>10}{'s/epoch':>10}{'ratio':>8}")
    for r in report["results"]:
        for name in ("tinygrad_adam", "torch"):
            if name in r:
                row = r[name]
                ratio = f"{r['ratio']:.2f}x" if name == "tinygrad_adam" and "ratio" in r else ""
                print(f"{r['model']:<6}{name:<15}{row['median_ms_per_step']:>10.1f}{row['steps_per_second']:>10.1f}"
                      f"{row['seconds_per_epoch']:>10.1f}{ratio:>8}")
    if "epoch" in report:
        e = report["epoch"]
        line = ", ".join(f"{k} {v['epoch_seconds']:.1f} s" for k, v in e.items() if isinstance(v, dict))
        print(f"one full CNN epoch (60,000 images): {line}" + (f", ratio {e['ratio']:.2f}x" if "ratio" in e else ""))
    if report["peak_rss_mb"] is not None:
        print(f"peak resident memory of this process: {report['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    run_cli(main)
