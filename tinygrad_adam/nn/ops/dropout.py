"""Dropout as one multiplication by a scaled random mask: zero with probability p, scale the rest by 1/(1-p).

The mask is PyTorch's CPU one where PyTorch draws it itself: `bernoulli_(1 - p)` on the generator (a 53-bit
uniform < 1 - p per element of the noise), then divided by 1 - p in the input's dtype. Feature dropout draws one
value per (sample, channel) of (N, C, *); alpha dropout keeps the mean and variance of SELU's outputs (kept values
times a, plus a shift), as PyTorch's `_dropout_impl`. On Intel CPUs PyTorch's
builds with MKL draw the Bernoulli mask from MKL's own stream instead, which this does not reproduce.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ...core import random
from ...core.tensor import Tensor

_SELU_ALPHA = 1.7580993408473766  # PyTorch's alpha for alpha dropout: SELU's scale · alpha


def dropout(x: Tensor, p: float, training: bool, generator: Any, per_leading: int = 0,
            alpha: bool = False) -> Tensor:
    """x times the mask (x itself when not training, p == 0 or x is empty); p was checked by the caller.

    per_leading 0 draws per element; 2 per (sample, channel) of (N, C, *) (feature dropout); 1 per channel of
    an unbatched (C, *), the same draws as its batch of one.
    """
    if not training or p == 0 or x.array.size == 0:
        return x
    dtype = x.array.dtype
    if p == 1:
        return x * Tensor(np.zeros((), dtype=dtype))
    if per_leading > x.ndim:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    noise_shape = x.shape[:per_leading] + (1,) * (x.ndim - per_leading) if per_leading else x.shape
    keep = random.bernoulli(1 - p, noise_shape, generator).astype(dtype)
    if not alpha:
        return x * Tensor(keep / np.asarray(1 - p, dtype=dtype))
    a = 1 / math.sqrt((_SELU_ALPHA * _SELU_ALPHA * p + 1) * (1 - p))
    shift = (keep - 1) * dtype.type(_SELU_ALPHA * a) + dtype.type(_SELU_ALPHA * a * p)
    return x * Tensor(keep * dtype.type(a)) + Tensor(shift)
