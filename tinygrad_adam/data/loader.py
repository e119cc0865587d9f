"""Mini-batch iteration over NumPy arrays, and MNIST-style image normalisation."""

from __future__ import annotations

import operator
from collections.abc import Iterator

import numpy as np

__all__ = ["DataLoader", "normalize_images", "MNIST_MEAN", "MNIST_STD"]

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


class DataLoader:
    """Iterate over (X, y) in mini-batches of NumPy arrays.

    With shuffle=True every epoch (every ``iter()``) uses a fresh permutation drawn from the loader's own
    ``np.random.Generator`` seeded with `seed`: two passes give different orders, while two loaders built with
    the same seed yield identical sequences. Without shuffling, batches are views (slices) of X and y.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        batch_size: int,
        shuffle: bool = True,
        drop_last: bool = False,
        seed: int | None = None,
    ) -> None:
        self.X, self.y = np.asarray(X), np.asarray(y)
        if self.X.ndim == 0 or self.y.ndim == 0:
            raise ValueError("X and y must be arrays with a leading sample dimension, not scalars")
        if len(self.X) != len(self.y):
            raise ValueError(f"X and y must have the same length, got {len(self.X)} and {len(self.y)}")
        if isinstance(batch_size, bool):
            raise TypeError(f"batch_size must be a positive integer, got {batch_size!r}")
        try:
            batch_size = operator.index(batch_size)
        except TypeError:
            raise TypeError(f"batch_size must be a positive integer, got {batch_size!r}") from None
        if batch_size <= 0:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size}")
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = np.random.default_rng(seed)

    def __len__(self) -> int:
        """Number of batches per epoch."""
        n = len(self.X)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __iter__(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        # the permutation is drawn here, when iteration starts, not lazily at the first next()
        order = self.rng.permutation(len(self.X)) if self.shuffle else None
        return self._batches(order)

    def _batches(self, order: np.ndarray | None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for b in range(len(self)):
            start, stop = b * self.batch_size, (b + 1) * self.batch_size
            if order is None:
                yield self.X[start:stop], self.y[start:stop]
            else:
                index = order[start:stop]
                yield self.X[index], self.y[index]

    def __repr__(self) -> str:
        return (
            f"DataLoader(n={len(self.X)}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
            f"drop_last={self.drop_last}, batches={len(self)})"
        )


def normalize_images(images: np.ndarray, mean: float = MNIST_MEAN, std: float = MNIST_STD) -> np.ndarray:
    """Map 0..255 images to float32 ``(x / 255 - mean) / std`` shaped (N, 1, H, W).

    Accepts (N, H, W), which gets a channel axis, or (N, C, H, W), which is kept. The defaults are MNIST's
    training-set mean and standard deviation.
    """
    x = np.asarray(images)
    if x.ndim == 3:
        x = x[:, None]
    elif x.ndim != 4:
        raise ValueError(f"expected images shaped (N, H, W) or (N, C, H, W), got shape {x.shape}")
    if not std > 0:
        raise ValueError(f"std must be positive, got {std}")
    out = x.astype(np.float32) / np.float32(255.0)
    out -= np.float32(mean)
    out /= np.float32(std)
    return out
