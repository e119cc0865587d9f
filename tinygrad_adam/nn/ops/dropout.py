"""Dropout as one multiplication by a scaled random mask: zero with probability p, scale the rest by 1/(1-p)."""

from __future__ import annotations

import numpy as np

from ...core.random import default_rng
from ...core.tensor import Tensor


def dropout(x: Tensor, p: float, training: bool, generator: np.random.Generator | None) -> Tensor:
    """x times the mask (x itself when not training or p == 0); p was checked by the caller."""
    if not training or p == 0:
        return x
    rng = generator if generator is not None else default_rng()
    if p == 1:
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:
        keep = rng.random(x.shape, dtype=np.float32) >= p
        mask = keep.astype(x.dtype) * np.asarray(1 / (1 - p), dtype=x.dtype)
    return x * Tensor(mask)
