"""Samplers: which indices a DataLoader visits, and in which order (PyTorch's names and rules).

Random order comes from PyTorch's algorithms on a ``tinygrad_adam.Generator``: the one passed as `generator`,
else the default generator (seeded by ``tinygrad_adam.manual_seed``), read when an epoch starts, with the
draws PyTorch makes, so that a seeded program visits PyTorch's order.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Iterator, Sized
from typing import Any, Generic, TypeVar

import numpy as np

__all__ = [
    "BatchSampler", "RandomSampler", "Sampler", "SequentialSampler", "SubsetRandomSampler",
    "WeightedRandomSampler", "resolve_generator",
]

T_co = TypeVar("T_co", covariant=True)


def resolve_generator(generator: Any) -> Any:
    """`generator` itself (a Generator, or a numpy.random.Generator), or the default generator when None."""
    from ...core import random

    return random.stream(generator)


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")
    try:
        value = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value!r}") from None
    if value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value}")
    return value


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` over indices (and ``__len__`` where known)."""

    def __init__(self, data_source: Sized | None = None) -> None:
        pass

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A fresh random permutation every epoch (or `num_samples` draws with replacement).

    As in PyTorch, without a `generator` each epoch seeds a new Generator from the default one, and the
    order is ``randperm(n)`` (or ``randint`` in blocks of 32 with replacement) on it.
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Any = None) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if num_samples is not None:
            _positive_int("num_samples", num_samples)

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        from ...core import random

        n = len(self.data_source)
        generator = self.generator
        if generator is None:
            generator = random.Generator().manual_seed(int(random.random_full((), np.int64)))
        if self.replacement:
            blocks, rest = divmod(self.num_samples, 32)  # makemore asks for 1e10 samples: never list the blocks
            for block in range(blocks + 1):
                yield from random.randint((32 if block < blocks else rest,), 0, n, np.int64, generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from random.randperm(n, np.int64, generator).tolist()
            yield from random.randperm(n, np.int64, generator).tolist()[: self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a fresh random order every epoch."""

    def __init__(self, indices: Iterable[int], generator: Any = None) -> None:
        self.indices = list(indices)
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        from ...core import random

        order = random.randperm(len(self.indices), np.int64, self.generator)
        return iter([self.indices[i] for i in order.tolist()])

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """`num_samples` indices drawn with probability proportional to `weights`."""

    def __init__(self, weights: Iterable[float], num_samples: int, replacement: bool = True,
                 generator: Any = None) -> None:
        self.num_samples = _positive_int("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        self.weights = np.asarray(list(weights), dtype=np.float64)
        if self.weights.ndim != 1 or (self.weights < 0).any() or not np.isfinite(self.weights).all():
            raise ValueError("weights must be a sequence of finite non-negative numbers")
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        from ...core import random

        order = random.multinomial(self.weights, self.num_samples, self.replacement, self.generator)
        return iter(order.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Group another sampler's indices into lists of `batch_size` (the last one shorter unless `drop_last`)."""

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool) -> None:
        self.batch_size = _positive_int("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        return self._batches(iter(self.sampler))  # the sampler's epoch starts now, not at the first next()

    def _batches(self, indices: Iterator[int]) -> Iterator[list[int]]:
        while batch := list(itertools.islice(indices, self.batch_size)):
            if len(batch) < self.batch_size and self.drop_last:
                return
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
