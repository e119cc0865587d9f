"""MNIST-style image normalisation, and the project's one DataLoader (tinygrad_adam.utils.data's).

    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True, generator=rng)
"""

from __future__ import annotations

import numpy as np

from ..utils.data import DataLoader, TensorDataset

__all__ = ["DataLoader", "TensorDataset", "normalize_images", "MNIST_MEAN", "MNIST_STD"]

MNIST_MEAN = 0.1307
MNIST_STD = 0.3081


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
