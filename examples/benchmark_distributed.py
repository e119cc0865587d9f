"""Time data-parallel training steps of examples/mnist.py's CNN: one process against N MPI ranks.

    python examples/benchmark_distributed.py --compare          # the table in docs/distributed.md
    mpiexec -n 2 python -m mpi4py examples/benchmark_distributed.py   # each rank takes its share of the cores

One run (a single process or an mpiexec job) trains the CNN on random images at a global batch
(default 64, split evenly over the ranks) and prints one JSON line from rank 0: steps per second,
the time of a step, the time spent inside the gradient allreduce (including waiting for the
slower rank) and a bare allreduce of the same gradients after a barrier. --compare alternates
three set-ups over several rounds, each in fresh processes, and prints the medians:
one process with 2 BLAS threads, one process with 1, and 2 ranks with 1 thread each.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from common import build_model, train_step
from threadpoolctl import threadpool_info

import tinygrad_adam as tg
import tinygrad_adam.distributed as dist
from tinygrad_adam import nn, optim
from tinygrad_adam.cli import check_at_least, run_cli
from tinygrad_adam.extras import install_hint

EPOCH_IMAGES = 60_000
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def one_run(batch_size: int, warmup: int, steps: int) -> dict[str, float] | None:
    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()
    if batch_size % world:
        raise SystemExit(f"--batch-size {batch_size} does not split evenly over {world} ranks")
    tg.manual_seed(0)
    model = nn.parallel.DistributedDataParallel(build_model("cnn"))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    local = batch_size // world
    rng = np.random.default_rng(rank)
    images = rng.normal(size=(local, 1, 28, 28)).astype(np.float32)
    labels = rng.integers(0, 10, size=local)
    reduce_seconds = [0.0]
    all_reduce = dist.all_reduce

    def timed_all_reduce(*args, **kwargs):
        start = time.perf_counter()
        result = all_reduce(*args, **kwargs)
        reduce_seconds[0] += time.perf_counter() - start
        return result

    dist.all_reduce = timed_all_reduce
    for step in range(warmup + steps):
        if step == warmup:
            dist.barrier()
            reduce_seconds[0] = 0.0
            start = time.perf_counter()
        train_step(model, optimizer, images, labels)
    dist.barrier()
    seconds = time.perf_counter() - start
    dist.all_reduce = all_reduce
    flat = np.concatenate([p.grad.numpy().ravel() for p in model.parameters()])
    dist.barrier()
    bare_start = time.perf_counter()
    for _ in range(100):
        dist.all_reduce(flat, dist.ReduceOp.AVG)
    bare = (time.perf_counter() - bare_start) / 100
    if rank != 0:
        return None
    step_ms = 1000 * seconds / steps
    blas_threads = max((pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"), default=0)
    return {"ranks": world, "threads": blas_threads,
            "batch_size": batch_size, "gradient_floats": int(flat.size),
            "steps_per_s": steps / seconds, "step_ms": step_ms,
            "epoch_s": EPOCH_IMAGES / batch_size * seconds / steps,
            "allreduce_in_step_ms": 1000 * reduce_seconds[0] / steps, "bare_allreduce_ms": 1000 * bare}


def mpiexec() -> str:
    beside = Path(sys.executable).with_name("mpiexec")
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        raise SystemExit(f"no mpiexec beside this Python or on PATH: {install_hint('distributed')}")
    return found


def compare(args: argparse.Namespace) -> None:
    me = [str(Path(__file__).resolve()), "--batch-size", str(args.batch_size), "--warmup", str(args.warmup),
          "--steps", str(args.steps)]
    setups = {"1 process, 2 threads": (2, [sys.executable, *me]),
              "1 process, 1 thread": (1, [sys.executable, *me]),
              "2 ranks, 1 thread each": (1, [mpiexec(), "-n", "2", sys.executable, "-m", "mpi4py", *me])}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in setups}
    for _ in range(args.rounds):
        for name, (threads, command) in setups.items():
            env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, str(threads))}
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True, timeout=600).stdout
            results[name].append(json.loads(out.strip().splitlines()[-1]))
    print(f"global batch {args.batch_size}, {args.steps} timed steps, median of {args.rounds} alternating rounds")
    print(f"{'set-up':<24} {'steps/s':>8} {'ms/step':>8} {'epoch s':>8} {'allreduce ms':>13} {'bare ms':>8}")
    for name, runs in results.items():
        med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(f"{name:<24} {med['steps_per_s']:8.1f} {med['step_ms']:8.1f} {med['epoch_s']:8.1f} "
              f"{med['allreduce_in_step_ms']:13.2f} {med['bare_allreduce_ms']:8.3f}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batch-size", type=int, default=64, help="global batch, split over the ranks (default 64)")
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--steps", type=int, default=40)
    p.add_argument("--compare", action="store_true", help="alternate 1 process (2 or 1 threads) and 2 ranks")
    p.add_argument("--rounds", type=int, default=5, help="rounds for --compare (default 5)")
    args = p.parse_args()
    check_at_least(args, 1, "batch_size", "steps", "rounds")
    check_at_least(args, 0, "warmup")
    if args.compare:
        compare(args)
        return
    result = one_run(args.batch_size, args.warmup, args.steps)
    if result is not None:
        print(json.dumps(result))


if __name__ == "__main__":
    run_cli(main)
