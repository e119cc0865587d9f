"""Dropout as one multiplication by a scaled random mask: zero with probability p, scale the rest by 1/(1-p).

The mask is PyTorch's CPU one where PyTorch draws it itself: `bernoulli_(1 - p)` on the generator (a 53-bit
uniform < 1 - p per element), then divided by 1 - p in the input's dtype. On Intel CPUs PyTorch's
builds with MKL draw that Bernoulli mask from MKL's own stream instead, which this does not reproduce.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core import random
from ...core.tensor import Tensor


def dropout(x: Tensor, p: float, training: bool, generator: Any) -> Tensor:
    """x times the mask (x itself when not training or p == 0); p was checked by the caller."""
    if not training or p == 0:
        return x
    keep = random.bernoulli(1 - p, x.shape, generator)
    if p == 1:
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:
        mask = keep.astype(x.dtype) / np.asarray(1 - p, dtype=x.dtype)
    return x * Tensor(mask)
