"""torch.distributions.ExponentialFamily: the base of Normal and Bernoulli (for isinstance and subclasses)."""

from __future__ import annotations

from ..core.tensor import Tensor
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """A distribution of density exp(<t(x), θ> - F(θ) + k(x)).

    PyTorch derives a subclass's entropy and KL from the log normalizer F by a second-order gradient;
    this package has no higher-order gradients, so a subclass that does not write its own entropy raises
    NotImplementedError (Normal and Bernoulli write theirs).
    """

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        raise NotImplementedError("ExponentialFamily.entropy from the log normalizer needs second-order gradients, "
                                  "which tinygrad_adam does not have: write the subclass's entropy")
