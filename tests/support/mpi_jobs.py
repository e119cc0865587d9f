"""Small jobs that tests/test_distributed.py starts with and without mpiexec: `python mpi_jobs.py JOB [ARGS]`.

train OUT STEPS: a tiny CNN on synthetic 8x8 images, global batch 16 split over the ranks, Adam;
    writes OUT.rank{r}.npz with the parameters, the buffer after construction and the allreduce count.
raise / exit / kill: rank 1 fails (exception, sys.exit with a message, SIGKILL) while rank 0 waits.
init: init_process_group() and print the world.
"""

from __future__ import annotations

import os
import signal
import sys

import numpy as np

import tinygrad_adam as tg
import tinygrad_adam.distributed as dist
from tinygrad_adam import nn, optim
from tinygrad_adam.nn import functional as F

GLOBAL_BATCH = 16


class TinyCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.head = nn.Linear(4 * 3 * 3, 3)
        self.register_buffer("marker", np.full(2, float(dist.get_rank() + 1), dtype=np.float32))

    def forward(self, x: tg.Tensor) -> tg.Tensor:
        return self.head(self.features(x))


def train(out: str, steps: int) -> None:
    rank, world = dist.get_rank(), dist.get_world_size()
    tg.manual_seed(100 + rank)  # a different initialisation on every rank: DDP must broadcast rank 0's
    model = nn.parallel.DistributedDataParallel(TinyCNN())
    marker_after_init = model.module.marker.numpy().copy()
    optimizer = optim.Adam(model.parameters(), lr=1e-2)
    calls = [0]
    all_reduce = dist.all_reduce

    def counting_all_reduce(*args, **kwargs):
        calls[0] += 1
        return all_reduce(*args, **kwargs)

    dist.all_reduce = counting_all_reduce
    data = np.random.default_rng(0)
    images = data.normal(size=(steps * GLOBAL_BATCH, 1, 8, 8)).astype(np.float32)
    labels = data.integers(0, 3, size=steps * GLOBAL_BATCH)
    local = GLOBAL_BATCH // world
    for step in range(steps):
        rows = slice(step * GLOBAL_BATCH + rank * local, step * GLOBAL_BATCH + (rank + 1) * local)
        loss = F.cross_entropy(model(tg.Tensor(images[rows])), labels[rows])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    params = {name: p.detach().numpy() for name, p in model.module.named_parameters()}
    np.savez(f"{out}.rank{rank}.npz", marker_after_init=marker_after_init, allreduce_calls=calls[0],
             world=world, **params)


def main() -> None:
    job = sys.argv[1]
    dist.init_process_group("mpi")
    rank = dist.get_rank()
    if job == "train":
        train(sys.argv[2], int(sys.argv[3]))
    elif job == "init":
        print(f"rank {rank} of {dist.get_world_size()}")
    elif job == "threads":
        from threadpoolctl import threadpool_info

        from tinygrad_adam._platform import threads as _threads

        blas = sorted({pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"})
        sys.stdout.write(f"rank {rank}: cores {_threads.usable_cores()} blas {blas} passes {_threads.THREADS}\n")
        sys.stdout.flush()
    elif job in ("raise", "exit", "kill"):
        if rank == 1 and job == "raise":
            raise FileNotFoundError("rank 1 cannot find its data")
        if rank == 1 and job == "exit":
            raise SystemExit("rank 1: MNIST files not found")
        if rank == 1 and job == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        dist.all_reduce(np.ones(4, dtype=np.float32))  # rank 0 waits here for a partner that is gone
        print("rank 0 got past the allreduce", flush=True)
    dist.destroy_process_group()


if __name__ == "__main__":
    main()
