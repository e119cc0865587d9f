"""DistributedSampler: each of `num_replicas` processes takes a disjoint share of every epoch (PyTorch's rules)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized
from typing import Any

import numpy as np

from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _process_group() -> tuple[int, int]:
    """(world size, rank) of tinygrad_adam.distributed's process group, or (1, 0) without one."""
    try:
        from ... import distributed as dist  # written separately; optional here
    except ImportError:
        return 1, 0
    if not dist.is_initialized():
        return 1, 0
    return dist.get_world_size(), dist.get_rank()


class DistributedSampler(Sampler[int]):
    """Rank `rank`'s indices of the epoch: every `num_replicas`-th of a permutation shared by all ranks.

    The permutation is PyTorch's ``randperm(n)`` on a Generator seeded with ``seed + epoch``, so every rank
    draws the same one, the one PyTorch's DistributedSampler draws;
    call ``set_epoch(epoch)`` before each epoch to reshuffle. Unless `drop_last`, the index list is padded by
    repeating its start until it divides evenly, so every rank gets ``ceil(len(dataset) / num_replicas)``
    indices; with `drop_last`, the tail that does not divide evenly is dropped instead. `num_replicas` and
    `rank` default to tinygrad_adam.distributed's world size and rank when a process group is initialised,
    else to 1 and 0.
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        if num_replicas is None or rank is None:
            world, own_rank = _process_group()
            num_replicas = world if num_replicas is None else num_replicas
            rank = own_rank if rank is None else rank
        if num_replicas < 1:
            raise ValueError(f"Invalid num_replicas {num_replicas}, num_replicas should be at least 1")
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset = dataset
        self.num_replicas = num_replicas
        self.rank = rank
        self.epoch = 0
        self.drop_last = drop_last
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas
        self.shuffle = shuffle
        self.seed = seed

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            from ...core import random

            indices = random.randperm(n, np.int64, random.Generator().manual_seed(self.seed + self.epoch))
        else:
            indices = np.arange(n)
        if not self.drop_last:
            padding = self.total_size - n
            if padding > 0:
                indices = np.concatenate([indices, np.resize(indices, padding)])  # np.resize repeats cyclically
        else:
            indices = indices[: self.total_size]
        assert len(indices) == self.total_size
        share = indices[self.rank : self.total_size : self.num_replicas]
        assert len(share) == self.num_samples
        return iter(share.tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use the permutation of this epoch (the same on every rank)."""
        self.epoch = epoch

    def __repr__(self) -> str:
        params: dict[str, Any] = {"num_replicas": self.num_replicas, "rank": self.rank, "shuffle": self.shuffle,
                                  "seed": self.seed, "drop_last": self.drop_last}
        return f"DistributedSampler({', '.join(f'{k}={v}' for k, v in params.items())})"
