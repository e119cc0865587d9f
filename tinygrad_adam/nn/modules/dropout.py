"""Dropout: p is checked once, here; forward applies the fused mask."""

from __future__ import annotations

from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_dropout_probability
from ..module import Module


class Dropout(Module):
    """In training, zero each element with probability p and scale the rest by 1/(1-p); identity in eval.

    `inplace=True` is accepted, as PyTorch code passes it, and gives the same values in a new Tensor.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, generator: Any = None):
        super().__init__()
        check_dropout_probability(p)
        self.p, self.inplace, self.generator = p, inplace, generator

    def forward(self, x: Tensor) -> Tensor:
        return F.dropout(x, self.p, self.training, generator=self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """In training, zero whole channels of (N, C, L) with probability p and scale the rest by 1/(1-p)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout1d(input, self.p, self.training, generator=self.generator)


class Dropout2d(Dropout):
    """In training, zero whole channels with probability p and scale the rest by 1/(1-p); identity in eval."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout2d(input, self.p, self.training, generator=self.generator)


class Dropout3d(Dropout):
    """In training, zero whole channels of (N, C, D, H, W) with probability p and scale the rest by 1/(1-p)."""

    def forward(self, input: Tensor) -> Tensor:
        return F.dropout3d(input, self.p, self.training, generator=self.generator)
