"""torch.distributions: probability distributions built from the Tensor's differentiable ops.

    from tinygrad_adam.distributions import Categorical, Normal, kl_divergence
    action = Categorical(logits=policy(state)).sample()

sample() draws with PyTorch's own calls (torch.normal, torch.bernoulli, torch.multinomial, torch.rand),
so after the same manual_seed the samples are PyTorch's; rsample() is differentiable with respect to the
parameters. Names, signatures, defaults, validation errors and repr are PyTorch 2.13's; what is here and
what is not: docs/pytorch.md.
"""

from . import constraints, kl  # noqa: F401 - torch.distributions.constraints and .kl
from .bernoulli import Bernoulli
from .categorical import Categorical
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .independent import Independent
from .kl import kl_divergence, register_kl
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .one_hot_categorical import OneHotCategorical, OneHotCategoricalStraightThrough
from .uniform import Uniform

__all__ = [
    "Bernoulli",
    "Categorical",
    "Distribution",
    "ExponentialFamily",
    "Independent",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "OneHotCategoricalStraightThrough",
    "Uniform",
    "kl_divergence",
    "register_kl",
]
