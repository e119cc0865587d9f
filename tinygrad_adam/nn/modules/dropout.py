"""Dropout layers: p is checked once, here; forward applies the functional dropout in training mode only."""

from __future__ import annotations

from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_dropout_probability
from .arguments import ShowsArguments, layers


class _DropoutNd(ShowsArguments):
    """`generator` (not in PyTorch) draws the mask from a generator of its own instead of the global one."""

    def __init__(self, p: float = 0.5, inplace: bool = False, generator: Any = None):
        check_dropout_probability(p)
        super().__init__(p=p, inplace=inplace, generator=generator)

    def forward(self, input: Tensor) -> Tensor:
        return self.function(input, self.p, self.training, self.inplace, self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


Dropout, Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout = layers(
    __name__, _DropoutNd, Dropout=F.dropout, Dropout1d=F.dropout1d, Dropout2d=F.dropout2d, Dropout3d=F.dropout3d,
    AlphaDropout=F.alpha_dropout, FeatureAlphaDropout=F.feature_alpha_dropout)
