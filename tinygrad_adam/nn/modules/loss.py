"""Loss layers: each is one nn.functional loss called with the options its constructor kept (ShowsArguments).

PyTorch's deprecated `size_average` and `reduce` are folded into `reduction` once, here; the functional loss
checks the options when it runs, as PyTorch's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import functional as F
from .._checks import legacy_reduction
from .arguments import ShowsArguments, layers
from .distance import PairwiseDistance


class _Loss(ShowsArguments):
    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"):
        super().__init__(reduction=legacy_reduction(size_average, reduce, reduction))

    def extra_repr(self) -> str:
        return ""  # PyTorch prints a loss without its options: CrossEntropyLoss()


class _WeightedLoss(_Loss):
    def __init__(self, weight: Any = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)  # a buffer, as in PyTorch: state_dict() holds it


L1Loss, MSELoss, SoftMarginLoss, MultiLabelMarginLoss = layers(
    __name__, _Loss, L1Loss=F.l1_loss, MSELoss=F.mse_loss, SoftMarginLoss=F.soft_margin_loss,
    MultiLabelMarginLoss=F.multilabel_margin_loss)
BCELoss, MultiLabelSoftMarginLoss = layers(__name__, _WeightedLoss, BCELoss=F.binary_cross_entropy,
                                           MultiLabelSoftMarginLoss=F.multilabel_soft_margin_loss)


class CrossEntropyLoss(_WeightedLoss, function=F.cross_entropy):
    """Cross-entropy from raw logits (N, C) and integer class targets (N,) or class probabilities."""

    def __init__(self, weight: Any = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing


class NLLLoss(_WeightedLoss, function=F.nll_loss):
    """Negative log-likelihood from log-probabilities (N, C) and integer class targets (N,)."""

    def __init__(self, weight: Any = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean"):
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index


class BCEWithLogitsLoss(_Loss, function=F.binary_cross_entropy_with_logits):
    """Sigmoid and binary cross-entropy in one stable op; pos_weight weighs the positive examples per class."""

    def __init__(self, weight: Any = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", pos_weight: Any = None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)


class SmoothL1Loss(_Loss, function=F.smooth_l1_loss):
    """0.5·d²/beta where |d| < beta, else |d| - 0.5·beta."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta


class HuberLoss(_Loss, function=F.huber_loss):
    """0.5·d² where |d| < delta, else delta·(|d| - 0.5·delta)."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta


class KLDivLoss(_Loss, function=F.kl_div):
    """target·(log target - input), input given as log-probabilities (and the target too with log_target)."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 log_target: bool = False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target


class _MarginLoss(_Loss):
    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


CosineEmbeddingLoss, MarginRankingLoss = layers(__name__, _MarginLoss, CosineEmbeddingLoss=F.cosine_embedding_loss,
                                              MarginRankingLoss=F.margin_ranking_loss)


class HingeEmbeddingLoss(_Loss, function=F.hinge_embedding_loss):
    """x for y = 1, max(0, margin - x) for y = -1."""

    def __init__(self, margin: float = 1.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin


class MultiMarginLoss(_WeightedLoss, function=F.multi_margin_loss):
    """Multi-class hinge loss: the mean over wrong classes i of max(0, margin - x[y] + x[i]) ** p."""

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean"):
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, got {weight.dim()}D instead")
        super().__init__(weight, size_average, reduce, reduction)
        self.p, self.margin = p, margin


class TripletMarginLoss(_Loss, function=F.triplet_margin_loss):
    """max(d(a, p) - d(a, n) + margin, 0) with the p-norm distance."""

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean"):
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap


class TripletMarginWithDistanceLoss(_Loss, function=F.triplet_margin_with_distance_loss):
    """triplet_margin_loss with any distance_function (a PairwiseDistance by default)."""

    def __init__(self, *, distance_function: Callable[..., Any] | None = None, margin: float = 1.0,
                 swap: bool = False, reduction: str = "mean"):
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             "instead")
        super().__init__(reduction=reduction)
        self.margin, self.swap = margin, swap
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()


class PoissonNLLLoss(_Loss, function=F.poisson_nll_loss):
    """exp(input) - target·input (log_input), or input - target·log(input + eps); Stirling's term with full."""

    def __init__(self, log_input: bool = True, full: bool = False, size_average: bool | None = None,
                 eps: float = 1e-8, reduce: bool | None = None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps


class GaussianNLLLoss(_Loss, function=F.gaussian_nll_loss):
    """0.5·(log(max(var, eps)) + (input - target)² / max(var, eps)), plus 0.5·log(2π) with full."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps


class CTCLoss(_Loss, function=F.ctc_loss):
    """The Connectionist Temporal Classification loss of log-probabilities (T, N, C) against unaligned targets."""

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity
