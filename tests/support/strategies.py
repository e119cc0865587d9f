"""hypothesis strategies for tensor shapes and broadcast-compatible pairs (minitorch style)."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from tinygrad_adam import Tensor

small_dims = st.integers(min_value=1, max_value=4)


@st.composite
def shapes(draw: st.DrawFn, min_dims: int = 1, max_dims: int = 3) -> tuple[int, ...]:
    return tuple(draw(st.lists(small_dims, min_size=min_dims, max_size=max_dims)))


@st.composite
def broadcast_pairs(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that broadcast together, often of different ranks and with size-1 axes."""
    full = draw(shapes(min_dims=1, max_dims=3))
    def derived() -> tuple[int, ...]:
        drop = draw(st.integers(0, len(full) - 1))
        kept = full[drop:]
        return tuple(1 if draw(st.booleans()) else n for n in kept)
    return (full, derived()) if draw(st.booleans()) else (derived(), full)


def leaf(shape: tuple[int, ...], seed: int, low: float = -2.0, high: float = 2.0,
         away_from: float | None = None) -> Tensor:
    """A float64 leaf requiring grad; `away_from` keeps values at least 0.1 from a kink."""
    values = np.random.default_rng(seed).uniform(low, high, shape)
    if away_from is not None:
        close = np.abs(values - away_from) < 0.1
        values[close] += 0.2 * np.sign(values[close] - away_from + 1e-12)
    return Tensor(values, requires_grad=True)


def positive_leaf(shape: tuple[int, ...], seed: int) -> Tensor:
    return leaf(shape, seed, low=0.5, high=2.0)


def distinct_leaf(shape: tuple[int, ...], seed: int) -> Tensor:
    """Values spaced at least 0.1 apart, so max/min have no ties within eps."""
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape)) if shape else 1
    values = rng.permutation(size) * 0.1 - 0.05 * size
    return Tensor(values.reshape(shape).astype(np.float64), requires_grad=True)
