"""The library's default random generator, behind `manual_seed` and every function that draws numbers."""

from __future__ import annotations

import numpy as np

_default_rng = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator that `Tensor.randn`/`uniform` and the nn initialisers use by default."""
    global _default_rng
    _default_rng = np.random.default_rng(seed)
    return _default_rng


def default_rng() -> np.random.Generator:
    """The library's shared random generator (see `manual_seed`)."""
    return _default_rng
