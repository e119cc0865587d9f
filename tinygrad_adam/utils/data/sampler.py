"""Samplers: which indices a DataLoader visits, and in which order (PyTorch's names and rules).

Random order comes from a ``numpy.random.Generator``: the one passed as `generator`, else the library's
generator (seeded by ``tinygrad_adam.manual_seed``), read when an epoch starts.
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


def resolve_generator(generator: Any) -> np.random.Generator:
    """`generator` itself, or the library's default generator when it is None."""
    if generator is None:
        import tinygrad_adam  # at call time, so that manual_seed's new generator is the one used

        return tinygrad_adam.default_rng()
    if not (hasattr(generator, "permutation") and hasattr(generator, "integers")):
        raise TypeError(f"generator must be a numpy.random.Generator or None, got {type(generator).__name__}")
    return generator


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

    The order is drawn when iteration starts, with ``generator.permutation``: a DataLoader built with
    ``generator=np.random.default_rng(s)`` visits exactly ``np.random.default_rng(s).permutation(n)``.
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: np.random.Generator | None = None) -> None:
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
        rng, n, count = resolve_generator(self.generator), len(self.data_source), self.num_samples
        if self.replacement:
            order = rng.integers(0, n, size=count)
        else:
            full, rest = divmod(count, n) if n else (0, 0)
            parts = [rng.permutation(n) for _ in range(full)] + ([rng.permutation(n)[:rest]] if rest else [])
            order = np.concatenate(parts) if parts else np.arange(0)
        return iter(order.tolist())

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices, in a fresh random order every epoch."""

    def __init__(self, indices: Iterable[int], generator: np.random.Generator | None = None) -> None:
        self.indices = list(indices)
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        order = resolve_generator(self.generator).permutation(len(self.indices))
        return iter([self.indices[i] for i in order.tolist()])

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """`num_samples` indices drawn with probability proportional to `weights`."""

    def __init__(self, weights: Iterable[float], num_samples: int, replacement: bool = True,
                 generator: np.random.Generator | None = None) -> None:
        self.num_samples = _positive_int("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        self.weights = np.asarray(list(weights), dtype=np.float64)
        if self.weights.ndim != 1 or (self.weights < 0).any() or not np.isfinite(self.weights).all():
            raise ValueError("weights must be a sequence of finite non-negative numbers")
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        p = self.weights / self.weights.sum()
        order = resolve_generator(self.generator).choice(len(p), self.num_samples, replace=self.replacement, p=p)
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
