"""Time training steps of the examples' models, tinygrad_adam against PyTorch, each in its own process.

    python examples/benchmark.py                        # CNN and MLP at batch 16, 64, 256; PyTorch if installed
    python examples/benchmark.py --large                # also batch 512
    python examples/benchmark.py --frameworks tinygrad_adam --models cnn --batch-sizes 64
    python examples/benchmark.py --markdown             # tables ready for README / docs
    python examples/benchmark.py --json results.json    # every sample, for later analysis
    python examples/benchmark.py --one-thread           # CPU time, one thread each: robust on a busy machine

Why separate processes: in one process, one framework's malloc settings, threads and imports
change the other's timings (PyTorch's step has been seen moving from 19 to 31 ms with another
framework imported beside it). So every measurement is a fresh process that imports one
framework only; the processes are alternated over rounds (the order flips every round), so
drifts in machine speed hit both alike. Both frameworks start from the same initial weights
(written once to an .npz that every process loads) and see the same batches (drawn from one
seeded generator). A step is forward, cross-entropy, backward and an Adam update, as
examples/common.py's `train_step`; PyTorch's twin of the model is built by the same
`common.build_model` from torch.nn.

Reported per model and batch size: the median ms/step over every timed step of every round,
the spread of the per-round medians, the ratio tinygrad_adam / PyTorch with the range of the
per-round ratios (the two ran back to back in each round, so this range says how finely the run
resolves the comparison on a machine whose speed drifts), and the peak resident
memory (ru_maxrss) of each framework's processes. `--epoch-batch` also times one whole
60,000-image epoch of the CNN per framework and reports steps/s. The load average is printed:
wall-clock numbers taken while the machine is busy (load above ~1 on 2 cores) are not worth
keeping; `--one-thread` measures CPU time with one thread per framework instead, which other
load barely moves (it compares the work each framework does, not what a user waits).

PyTorch is an optional reference (`pip install torch`), never a dependency: without it only
tinygrad_adam is timed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
FRAMEWORKS = ("tinygrad_adam", "torch")
EPOCH_IMAGES = 60_000


# ----- one measurement, in a process of its own ---------------------------------------------------
def make_batches(count: int, batch: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The same float32 images and int64 labels for every process (one seeded generator)."""
    rng = np.random.default_rng(seed)
    return [(rng.standard_normal((batch, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, batch))
            for _ in range(count)]


def _step_function(framework: str, model_name: str, weights: dict[str, np.ndarray], lr: float) -> Any:
    """A function (images, labels) -> loss that runs one training step of `framework`."""
    sys.path.insert(0, str(HERE))
    if framework == "torch":
        os.environ["TINYGRAD_ADAM_NO_MALLOPT"] = "1"  # common.py imports tinygrad_adam: leave PyTorch's malloc alone
        import common
        import torch

        if os.environ.get("OMP_NUM_THREADS") == "1":
            torch.set_num_threads(1)
        net = common.build_model(model_name, nn=torch.nn)
        net.load_state_dict({k: torch.from_numpy(v) for k, v in weights.items()})
        opt = torch.optim.Adam(net.parameters(), lr=lr)
        loss_fn = torch.nn.CrossEntropyLoss()

        def torch_step(images: np.ndarray, labels: np.ndarray) -> float:
            loss = loss_fn(net(torch.from_numpy(images)), torch.from_numpy(labels))
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()

        return torch_step

    import common

    from tinygrad_adam import optim

    model = common.build_model(model_name)
    model.load_state_dict(weights)
    optimizer = optim.Adam(model.parameters(), lr=lr)
    return lambda images, labels: common.train_step(model, optimizer, images, labels)


def run_worker(args: argparse.Namespace) -> dict[str, Any]:
    """Warm up, then time `steps` training steps (or one whole epoch); report times, losses and peak memory."""
    with np.load(args.weights) as archive:
        weights = {k: archive[k] for k in archive.files}
    step = _step_function(args.framework, args.model, weights, args.lr)
    clock = time.process_time if args.one_thread else time.perf_counter
    result: dict[str, Any] = {"framework": args.framework, "model": args.model, "batch_size": args.batch_size}
    for images, labels in make_batches(args.warmup, args.batch_size, seed=1):
        step(images, labels)
    if args.epoch:
        images = np.random.default_rng(2).standard_normal((EPOCH_IMAGES, 1, 28, 28), dtype=np.float32)
        labels = np.random.default_rng(3).integers(0, 10, EPOCH_IMAGES)
        start = clock()
        for i in range(0, EPOCH_IMAGES, args.batch_size):
            step(images[i:i + args.batch_size], labels[i:i + args.batch_size])
        result["epoch_seconds"] = clock() - start
        result["epoch_steps"] = -(-EPOCH_IMAGES // args.batch_size)
    else:
        times, losses = [], []
        for images, labels in make_batches(args.steps, args.batch_size, seed=0):
            start = clock()
            losses.append(step(images, labels))
            times.append(clock() - start)
        result["seconds"], result["losses"] = times, losses
    result["peak_rss_mb"], result["pid"] = _peak_rss_mb(), os.getpid()
    return result


def _peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # not POSIX
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


# ----- the driver ---------------------------------------------------------------------------------
def initial_weights(model_name: str, path: Path, seed: int = 0) -> None:
    """tinygrad_adam's default initialisation of the model, saved for every process to load."""
    sys.path.insert(0, str(HERE))
    import common

    import tinygrad_adam as tg

    tg.manual_seed(seed)
    state = common.build_model(model_name).state_dict()
    np.savez(path, **{k: np.asarray(v) for k, v in state.items()})


def worker_env(one_thread: bool) -> dict[str, str]:
    """The environment of a timed worker process: OpenBLAS's thread timeout as `import tinygrad_adam` sets it
    when it comes before NumPy (tinygrad_adam/_platform/threads.py; a worker imports NumPy first, and PyTorch's
    step does not use NumPy's OpenBLAS, so both frameworks get it), and one thread everywhere if asked."""
    env = dict(os.environ)
    env.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")
    if one_thread:
        env.update({name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")})
    return env


def spawn(framework: str, model: str, batch: int, weights: Path, args: argparse.Namespace,
          epoch: bool = False) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", framework, "--models", model,
               "--batch-sizes", str(batch), "--weights", str(weights), "--steps", str(args.steps),
               "--warmup", str(args.warmup), "--lr", str(args.lr)] + (["--epoch"] if epoch else [])
    command += ["--one-thread"] * args.one_thread
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=worker_env(args.one_thread))
    if done.returncode != 0:
        raise SystemExit(f"benchmark worker {framework} {model} batch {batch} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def available_frameworks(requested: list[str]) -> list[str]:
    found = [f for f in requested if f != "torch" or importlib.util.find_spec("torch") is not None]
    if "torch" in requested and "torch" not in found:
        print("PyTorch is not installed: timing tinygrad_adam only (pip install torch for the comparison)")
    return found


def benchmark(args: argparse.Namespace) -> dict[str, Any]:
    frameworks = available_frameworks(args.frameworks)
    batch_sizes = sorted(set(args.batch_sizes + ([512] if args.large else [])))
    report: dict[str, Any] = {
        "machine": f"{platform.machine()}, {_cpu_count()} cores", "numpy": np.__version__,
        "python": platform.python_version(), "date": time.strftime("%Y-%m-%d %H:%M"),
        "load_average_before": _load_average(), "rounds": args.rounds, "steps_per_round": args.steps,
        "one_thread": args.one_thread,
        "results": [],
    }
    if "torch" in frameworks:
        report["torch"] = _torch_version()
    _print_header(report)
    with tempfile.TemporaryDirectory() as tmp:
        for model in args.models:
            weights = Path(tmp) / f"{model}.npz"
            initial_weights(model, weights)
            for batch in batch_sizes:
                samples: dict[str, list[list[float]]] = {f: [] for f in frameworks}
                peaks: dict[str, list[float]] = {f: [] for f in frameworks}
                samples_losses: dict[str, list[list[float]]] = {f: [] for f in frameworks}
                for r in range(args.rounds):
                    for f in frameworks if r % 2 == 0 else frameworks[::-1]:
                        out = spawn(f, model, batch, weights, args)
                        samples[f].append(out["seconds"])
                        samples_losses[f].append(out["losses"])
                        peaks[f].append(out["peak_rss_mb"] or 0.0)
                row: dict[str, Any] = {"model": model, "batch_size": batch}
                for f in frameworks:
                    per_round = [statistics.median(s) for s in samples[f]]
                    row[f] = {"median_ms": 1000 * statistics.median([t for s in samples[f] for t in s]),
                              "round_medians_ms": [1000 * m for m in per_round],
                              "peak_rss_mb": max(peaks[f]), "seconds": samples[f]}
                    row[f]["first_losses"] = samples_losses[f][0]
                if len(frameworks) == 2:
                    row["ratio"] = row["tinygrad_adam"]["median_ms"] / row["torch"]["median_ms"]
                    # each round ran the two back to back: their ratio cancels the machine's slow drifts,
                    # and the spread of these ratios is how finely one run resolves the comparison
                    ours, theirs = (row[f]["round_medians_ms"] for f in ("tinygrad_adam", "torch"))
                    row["round_ratios"] = [a / b for a, b in zip(ours, theirs, strict=True)]
                    # same weights, same batches: the two processes must compute the same losses
                    row["loss_gap"] = float(np.max(np.abs(np.subtract(*(row[f]["first_losses"] for f in frameworks)))))
                report["results"].append(row)
                _print_row(row, frameworks)
            if model == "cnn" and args.epoch_batch:
                report["epoch"] = {"batch_size": args.epoch_batch}
                for f in frameworks:
                    out = spawn(f, model, args.epoch_batch, weights, args, epoch=True)
                    report["epoch"][f] = {"seconds": out["epoch_seconds"],
                                          "steps_per_second": out["epoch_steps"] / out["epoch_seconds"],
                                          "peak_rss_mb": out["peak_rss_mb"]}
    report["load_average_after"] = _load_average()
    return report


def _print_row(row: dict[str, Any], frameworks: list[str]) -> None:
    cells = []
    for f in frameworks:
        r = row[f]
        spread = f"{min(r['round_medians_ms']):.1f}-{max(r['round_medians_ms']):.1f}"
        cells.append(f"{f} {r['median_ms']:8.2f} ms ({spread}) {r['peak_rss_mb']:6.0f} MB")
    ratio = (f"  ratio {row['ratio']:.2f}x (rounds {_ratio_range(row)}; loss gap {row['loss_gap']:.1e})"
             if "ratio" in row else "")
    print(f"{row['model']:<4} batch {row['batch_size']:>4}: " + "   ".join(cells) + ratio, flush=True)


def _ratio_range(row: dict[str, Any]) -> str:
    """The lowest and highest ratio of one round's medians (the two frameworks ran back to back)."""
    return f"{min(row['round_ratios']):.2f}-{max(row['round_ratios']):.2f}"


def print_markdown(report: dict[str, Any]) -> None:
    frameworks = [f for f in FRAMEWORKS if any(f in r for r in report["results"])]
    paired = len(frameworks) == 2
    print("\n| model | batch | " + " | ".join(f"{f} ms/step" for f in frameworks)
          + (" | ratio | per-round ratios" if paired else "") + " | "
          + " | ".join(f"{f} peak MB" for f in frameworks) + " |")
    print("| --- " * (2 + 2 * len(frameworks) + 2 * paired) + "|")
    for r in report["results"]:
        cells = [r["model"], str(r["batch_size"])] + [f"{r[f]['median_ms']:.1f}" for f in frameworks]
        if "ratio" in r:
            cells += [f"{r['ratio']:.2f}", _ratio_range(r)]
        cells += [f"{r[f]['peak_rss_mb']:.0f}" for f in frameworks]
        print("| " + " | ".join(cells) + " |")


def _print_header(report: dict[str, Any]) -> None:
    print(f"{report['machine']}, Python {report['python']}, NumPy {report['numpy']}"
          + (f", PyTorch {report['torch']}" if "torch" in report else "")
          + f"; load average {report['load_average_before']}", flush=True)
    clock = "CPU ms/step with one thread each" if report["one_thread"] else "wall-clock ms/step"
    print(f"{report['rounds']} alternated rounds of one fresh process per framework, "
          f"{report['steps_per_round']} timed steps each; median {clock} (spread of round medians), peak RSS")


def _print_epoch(report: dict[str, Any]) -> None:
    e = report.get("epoch")
    if e:
        parts = [f"{f} {e[f]['seconds']:.1f} s ({e[f]['steps_per_second']:.1f} steps/s)" for f in FRAMEWORKS if f in e]
        print(f"one whole 60,000-image CNN epoch at batch {e['batch_size']}: " + ", ".join(parts))


def _load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def _torch_version() -> str:
    done = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__, torch.get_num_threads())"],
                          capture_output=True, text=True, check=False)
    version, _, threads = done.stdout.strip().partition(" ")
    return f"{version} ({threads} threads)"


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", choices=["cnn", "mlp"], default=["cnn", "mlp"])
    p.add_argument("--batch-sizes", nargs="+", type=int, default=[16, 64, 256])
    p.add_argument("--large", action="store_true", help="also batch 512")
    p.add_argument("--frameworks", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS))
    p.add_argument("--rounds", type=int, default=5, help="alternated rounds, one process per framework each (5)")
    p.add_argument("--steps", type=int, default=20, help="timed steps per process (20)")
    p.add_argument("--warmup", type=int, default=5, help="untimed steps first in every process (5)")
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--epoch-batch", type=int, default=64, metavar="B",
                   help="time one whole CNN epoch at this batch size per framework (0: skip; default 64)")
    p.add_argument("--one-thread", action="store_true",
                   help="one thread per framework, timed in CPU time: compares the work done, nearly immune "
                        "to other load on the machine (not the wall time a user sees)")
    p.add_argument("--markdown", action="store_true", help="also print the results as Markdown tables")
    p.add_argument("--json", metavar="PATH", default=None, help="write every sample as JSON to PATH")
    p.add_argument("--worker", choices=FRAMEWORKS, default=None, help=argparse.SUPPRESS)
    p.add_argument("--weights", default=None, help=argparse.SUPPRESS)
    p.add_argument("--epoch", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    from tinygrad_adam.cli import check_at_least

    check_at_least(args, 1, "rounds", "steps")
    check_at_least(args, 0, "warmup", "epoch_batch")
    if min(args.batch_sizes) < 1:
        raise ValueError(f"--batch-sizes must be at least 1, got {min(args.batch_sizes)}")
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    if args.worker:
        args.framework, args.model, args.batch_size = args.worker, args.models[0], args.batch_sizes[0]
        result = run_worker(args)
        print(json.dumps(result))
        return result
    report = benchmark(args)
    _print_epoch(report)
    print(f"load average after: {report['load_average_after']}")
    if args.markdown:
        print_markdown(report)
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return report


if __name__ == "__main__":
    worker = sys.argv[sys.argv.index("--worker") + 1] if "--worker" in sys.argv[:-1] else None
    if worker == "torch":
        os.environ["TINYGRAD_ADAM_NO_MALLOPT"] = "1"  # before anything imports tinygrad_adam: PyTorch's malloc as is
    from tinygrad_adam.cli import run_cli

    run_cli(main)
