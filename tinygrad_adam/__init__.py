"""tinygrad_adam: a small deep-learning framework on NumPy, centred on a readable Adam.

    from tinygrad_adam import Tensor, nn, optim
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
"""

from .engine import Tensor, concatenate, default_rng, manual_seed, maximum, minimum, stack, where  # isort: skip
from . import data, nn, optim, utils
from ._malloc import keep_freed_memory
from .engine import Context, Function, enable_grad, is_grad_enabled, no_grad, unbroadcast
from .gradcheck import GradcheckError, gradcheck, numerical_grad, numerical_jacobian
from .serialization import CheckpointError, load, save

keep_freed_memory()  # see _malloc.py: reuse freed step memory instead of faulting it back in (glibc only)

__all__ = [
    "CheckpointError", "Context", "Function", "GradcheckError", "Tensor", "concatenate", "data", "default_rng",
    "enable_grad", "gradcheck", "is_grad_enabled", "load", "manual_seed", "maximum", "minimum", "nn", "no_grad",
    "keep_freed_memory", "numerical_grad", "numerical_jacobian", "optim", "save", "stack", "unbroadcast", "where",
    "utils",
]
__version__ = "0.1.0"
