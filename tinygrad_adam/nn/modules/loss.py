"""Loss modules: their options are checked here, once; forward applies the fused loss."""

from __future__ import annotations

from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_label_smoothing, check_reduction
from ..module import Module


class CrossEntropyLoss(Module):
    """Cross-entropy from raw logits (N, C) and integer class targets (N,); see functional.cross_entropy."""

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0):
        super().__init__()
        check_reduction("CrossEntropyLoss", reduction)
        check_label_smoothing("CrossEntropyLoss", label_smoothing)
        self.weight, self.ignore_index = weight, ignore_index
        self.reduction, self.label_smoothing = reduction, label_smoothing

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.cross_entropy(input, target, self.weight, self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class NLLLoss(Module):
    """Negative log-likelihood from log-probabilities (N, C) and integer class targets (N,)."""

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__()
        check_reduction("NLLLoss", reduction)
        self.weight, self.ignore_index, self.reduction = weight, ignore_index, reduction

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.nll_loss(input, target, self.weight, self.ignore_index, reduction=self.reduction)


class MSELoss(Module):
    """Mean squared error (or its sum, or the elementwise squares with reduction="none")."""

    def __init__(self, reduction: str = "mean"):
        super().__init__()
        check_reduction("MSELoss", reduction)
        self.reduction = reduction

    def forward(self, input: Tensor, target: Any) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)
