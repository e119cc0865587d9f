"""Map-style and iterable datasets with PyTorch's names, and the batch protocol that makes loading fast.

The batch protocol (tinygrad_adam's own; PyTorch has none): a dataset may define
``__getbatch__(indices: list[int])`` returning the batch that ``default_collate([dataset[i] for i in indices])``
would return, NumPy arrays allowed in place of Tensors. DataLoader then fetches a whole batch with one
fancy-indexing call instead of one ``__getitem__`` per sample. It is used only with the default collate_fn;
with a custom collate_fn the samples are fetched one by one (or through PyTorch's ``__getitems__``).
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar

import numpy as np

from ...core import random
from ...core.tensor import Tensor
from .collate import default_collate

__all__ = [
    "ConcatDataset", "Dataset", "IterableDataset", "Subset", "TensorDataset", "fetch_batch", "random_split",
]

T_co = TypeVar("T_co", covariant=True)


class Dataset(Generic[T_co]):
    """A map-style dataset: subclasses define ``__getitem__(index)`` and usually ``__len__``."""

    def __getitem__(self, index: int) -> T_co:
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__")

    def __add__(self, other: Dataset[T_co]) -> ConcatDataset[T_co]:
        return ConcatDataset([self, other])


class IterableDataset(Dataset[T_co]):
    """A dataset that is a stream: subclasses define ``__iter__``. DataLoader batches it in order."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError(f"{type(self).__name__} must implement __iter__")


def fetch_batch(dataset: Any, indices: Sequence[int]) -> Any:
    """The collated batch of `dataset` at `indices`: one ``__getbatch__`` call if it has one, else item by item."""
    getbatch = getattr(dataset, "__getbatch__", None)
    if getbatch is not None:
        return getbatch(indices)
    getitems = getattr(dataset, "__getitems__", None)
    return default_collate(getitems(indices) if getitems is not None else [dataset[i] for i in indices])


def _array(x: Any) -> np.ndarray:
    return x.array if isinstance(x, Tensor) else x


class TensorDataset(Dataset[tuple[Any, ...]]):
    """Samples are the rows of equally long Tensors or NumPy arrays: ``dataset[i] == (t[i] for t in tensors)``.

    NumPy arrays are accepted as well as Tensors (PyTorch accepts Tensors only); a batch is one fancy-indexing
    call per array (the batch protocol), so batching an epoch costs a few NumPy copies, not a Python loop.
    """

    def __init__(self, *tensors: Tensor | np.ndarray) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        for t in tensors:
            if not isinstance(t, Tensor | np.ndarray):
                raise TypeError(f"TensorDataset: expected Tensors or NumPy arrays, got {type(t).__name__}")
            if t.ndim == 0:
                raise ValueError("TensorDataset: a 0-dimensional tensor has no samples to index")
        sizes = [t.shape[0] for t in tensors]
        if any(n != sizes[0] for n in sizes):
            raise ValueError(f"Size mismatch between tensors: first dimensions are {sizes}")
        self.tensors = tensors

    def __getitem__(self, index: int) -> tuple[Any, ...]:
        return tuple(t[index] for t in self.tensors)

    def __getbatch__(self, indices: Sequence[int]) -> list[np.ndarray]:
        index = np.asarray(indices, dtype=np.intp)
        return [_array(t)[index] for t in self.tensors]

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset[T_co]):
    """The samples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset: Dataset[T_co], indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        self._index = np.asarray(indices, dtype=np.intp).reshape(-1)

    def __getitem__(self, idx: int | list[int]) -> Any:
        if isinstance(idx, list):
            return self.dataset[[int(self._index[i]) for i in idx]]
        return self.dataset[int(self._index[idx])]

    def __getbatch__(self, indices: Sequence[int]) -> Any:
        return fetch_batch(self.dataset, self._index[np.asarray(indices, dtype=np.intp)].tolist())

    def __len__(self) -> int:
        return len(self.indices)


class ConcatDataset(Dataset[T_co]):
    """The samples of several datasets one after another."""

    def __init__(self, datasets: Iterable[Dataset[T_co]]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TypeError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = list(np.cumsum([len(d) for d in self.datasets]).tolist())

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx: int) -> T_co:
        if idx < 0:
            if -idx > len(self):
                raise ValueError("absolute value of index should not exceed dataset length")
            idx = len(self) + idx
        which = bisect.bisect_right(self.cumulative_sizes, idx)
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][idx - start]


def random_split(
    dataset: Dataset[T_co],
    lengths: Sequence[int | float],
    generator: Any = random.default_generator,
) -> list[Subset[T_co]]:
    """Split `dataset` into non-overlapping random Subsets of the given lengths, as torch.utils.data does.

    `lengths` are sample counts summing to ``len(dataset)``, or fractions summing to 1: each split then gets
    ``floor(fraction * len(dataset))`` and the samples left over go one each to the splits in turn, from the
    first. The order is PyTorch's ``randperm(len(dataset), generator=generator)``; by default on the default
    generator, which ``tinygrad_adam.manual_seed`` seeds.
    """
    n = len(dataset)  # type: ignore[arg-type]
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        counts = []
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
            counts.append(int(math.floor(n * frac)))
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
        lengths = counts
    if any(isinstance(x, float) and not float(x).is_integer() for x in lengths) or any(x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative counts or fractions summing to 1, got {lengths}")
    lengths = [int(x) for x in lengths]
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    order = random.randperm(n, np.int64, generator).tolist()
    splits, offset = [], 0
    for length in lengths:
        splits.append(Subset(dataset, order[offset : offset + length]))
        offset += length
    return splits
