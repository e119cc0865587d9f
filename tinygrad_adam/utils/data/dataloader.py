"""DataLoader: PyTorch's signature, one process.

`num_workers`, `pin_memory`, `persistent_workers`, `prefetch_factor`, `timeout`, `worker_init_fn`,
`multiprocessing_context`, `pin_memory_device` and `in_order` are accepted (and validated as PyTorch
validates them) but loading always happens in the calling process, as with ``num_workers=0``: NumPy's
fancy indexing already fetches a whole batch in one call (see the batch protocol in dataset.py), so
worker processes would mostly add copying. `worker_init_fn` is therefore never called and
`get_worker_info()` returns None, as in PyTorch's main process.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .collate import default_collate, default_convert
from .dataset import Dataset, IterableDataset, fetch_batch
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info"]


def get_worker_info() -> None:
    """Information about the current loader worker: always None here, since there are no workers."""
    return None


class DataLoader:
    """Iterate over `dataset` in batches, collated into Tensors.

    Map-style datasets are visited in the sampler's order (shuffled with ``shuffle=True``, from `generator`
    or the library's generator seeded by ``tinygrad_adam.manual_seed``), grouped by `batch_sampler`. With
    the default collate_fn, a dataset that has ``__getbatch__`` (TensorDataset, vision.datasets.MNIST) is
    fetched a whole batch at a time. ``batch_size=None`` turns batching off: each sample is converted to
    Tensors as it is.
    """

    def __init__(
        self,
        dataset: Dataset[Any],
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler: Sampler[Any] | None = None,
        batch_sampler: Sampler[list[int]] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], None] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing. "
                             "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        if isinstance(dataset, IterableDataset):
            if shuffle not in (None, False):
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, "
                                 f"but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, "
                                 f"but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with drop_last")

        if sampler is None:
            if isinstance(dataset, IterableDataset):
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.generator = generator
        self.prefetch_factor = prefetch_factor
        self.persistent_workers = persistent_workers
        self.in_order = in_order
        self._default_collate = collate_fn is None or collate_fn is default_collate
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._initialized = True

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_initialized", False) and name in (
            "batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers"
        ):
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)  # type: ignore[arg-type]
            if self.batch_size is not None:
                n = n // self.batch_size if self.drop_last else -(-n // self.batch_size)
            return n
        return len(self.batch_sampler if self._auto_collation else self.sampler)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        from ...core import random

        if self.pin_memory and self.pin_memory_device:  # PyTorch's warnings when an iterator starts, on a CPU
            warnings.warn("pin_memory_device is deprecated, the current accelerator will be used as the device,"
                          f"ignore pin_memory_device='{self.pin_memory_device}'.", stacklevel=2)
        if self.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.", stacklevel=1)  # inside the library, as PyTorch's
        if isinstance(self.dataset, IterableDataset):
            random.random_full((), np.int64, self.generator)  # PyTorch's iterator draws its workers' base seed
            return self._iterable_batches(iter(self.dataset))
        # the sampler's epoch starts here, when iteration starts; its draws follow the base seed's, as in PyTorch
        indices = iter(self.batch_sampler if self._auto_collation else self.sampler)
        random.random_full((), np.int64, self.generator)
        return self._map_batches(indices)

    def _map_batches(self, indices: Iterator[Any]) -> Iterator[Any]:
        for index in indices:
            if not self._auto_collation:
                yield self.collate_fn(self.dataset[index])
            elif self._default_collate:
                yield default_convert(fetch_batch(self.dataset, index))
            else:
                getitems = getattr(self.dataset, "__getitems__", None)
                yield self.collate_fn(getitems(index) if getitems else [self.dataset[i] for i in index])

    def _iterable_batches(self, samples: Iterator[Any]) -> Iterator[Any]:
        if self.batch_size is None:
            for sample in samples:
                yield self.collate_fn(sample)
            return
        while batch := list(itertools.islice(samples, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield self.collate_fn(batch)

    def __repr__(self) -> str:
        return (f"DataLoader(dataset={type(self.dataset).__name__} of {_len_or_unknown(self.dataset)}, "
                f"batch_size={self.batch_size}, sampler={type(self.sampler).__name__}, "
                f"drop_last={self.drop_last}, batches={_len_or_unknown(self)})")


def _len_or_unknown(x: Any) -> str:
    try:
        return str(len(x))
    except TypeError:
        return "?"


class _InfiniteConstantSampler(Sampler[None]):
    """The sampler of an IterableDataset: the dataset decides the order."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None
