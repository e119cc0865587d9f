"""tinygrad_adam: a small deep-learning framework on NumPy, centred on a readable Adam."""

from .tensor import Tensor, concatenate, default_rng, manual_seed, maximum, minimum, stack, where  # isort: skip
from .function import Context, Function, enable_grad, is_grad_enabled, no_grad, unbroadcast
from .gradcheck import GradcheckError, gradcheck, numerical_grad, numerical_jacobian

__all__ = [
    "Context", "Function", "GradcheckError", "Tensor", "concatenate", "default_rng", "enable_grad",
    "gradcheck", "is_grad_enabled", "manual_seed", "maximum", "minimum", "no_grad", "numerical_grad",
    "numerical_jacobian", "stack", "unbroadcast", "where",
]
__version__ = "0.1.0"
