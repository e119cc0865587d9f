"""scikit-learn's bundled 8x8 digits, shaped like MNIST so the same pipeline runs fully offline."""

from __future__ import annotations

import numpy as np

__all__ = ["load_digits_split"]


def load_digits_split(test_size: float = 0.25, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return (X_train, y_train, X_test, y_test) from sklearn's digits (1797 images, no download needed).

    Images are uint8 (N, 8, 8) on MNIST's 0..255 scale (the original 0..16 values times 16, clipped to
    255), so `normalize_images` applies unchanged; labels are uint8 0..9. The split is stratified by
    label and deterministic for a given seed.
    """
    if not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size must be a fraction in (0, 1), got {test_size}")
    from sklearn.datasets import load_digits  # lazy: importing scikit-learn takes a moment
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = np.clip(digits.images * 16, 0, 255).astype(np.uint8)
    labels = digits.target.astype(np.uint8)
    X_train, X_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_size, random_state=seed, stratify=labels
    )
    return X_train, y_train, X_test, y_test
