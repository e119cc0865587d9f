"""tinygrad_adam: a small deep-learning framework on NumPy, centred on a readable Adam.

    from tinygrad_adam import Tensor, nn, optim
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

PyTorch's top-level names are here too, so `import tinygrad_adam as torch` runs CPU programs
written for PyTorch (see docs/pytorch.md).
"""

from . import _threads  # isort: skip  # noqa: F401  (first: sets OpenBLAS up before NumPy loads it)
from . import autograd, data, nn, optim, utils
from ._malloc import keep_freed_memory
from .creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
)
from .device import accelerator, backends, cuda, device, get_default_device, set_default_device
from .dtypes import (
    bool,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    short,
    uint8,
)
from .engine import (
    Context,
    Function,
    Tensor,
    concatenate,
    default_rng,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    manual_seed,
    maximum,
    minimum,
    no_grad,
    set_grad_enabled,
    stack,
    unbroadcast,
    where,
)
from .functions import (
    abs,
    all,
    allclose,
    any,
    argmax,
    argmin,
    cat,
    clamp,
    clip,
    concat,
    cos,
    eq,
    equal,
    exp,
    flatten,
    is_tensor,
    isfinite,
    isnan,
    log,
    log_softmax,
    matmul,
    max,
    mean,
    min,
    mm,
    ne,
    norm,
    numel,
    permute,
    pow,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
)
from .gradcheck import GradcheckError, gradcheck, numerical_grad, numerical_jacobian
from .serialization import CheckpointError, load, save

keep_freed_memory()  # see _malloc.py: reuse freed step memory instead of faulting it back in (glibc only)

__all__ = [
    "CheckpointError", "Context", "Function", "GradcheckError", "Tensor", "abs", "accelerator", "all", "allclose",
    "any", "arange", "argmax", "argmin", "as_tensor", "autograd", "backends", "bool", "cat", "clamp", "clip",
    "concat", "concatenate", "cos", "cuda", "data", "default_rng", "device", "double", "dtype", "empty",
    "empty_like", "enable_grad", "eq", "equal", "exp", "eye", "flatten", "float", "float16", "float32", "float64",
    "from_numpy", "full", "full_like", "get_default_device", "get_default_dtype", "gradcheck", "half",
    "inference_mode", "int", "int8", "int16", "int32", "int64", "is_grad_enabled", "is_tensor", "isfinite", "isnan",
    "keep_freed_memory", "linspace", "load", "log", "log_softmax", "long", "manual_seed", "matmul", "max",
    "maximum", "mean", "min", "minimum", "mm", "ne", "nn", "no_grad", "norm", "numel", "numerical_grad",
    "numerical_jacobian", "ones", "ones_like", "optim", "permute", "pow", "rand", "rand_like", "randint", "randn",
    "randn_like", "randperm", "relu", "reshape", "save", "set_default_device", "set_grad_enabled", "short",
    "sigmoid", "sin", "softmax",
    "sqrt", "squeeze", "stack", "std", "sum", "tanh", "tensor", "transpose", "uint8", "unbroadcast", "unsqueeze",
    "utils", "var", "where", "zeros", "zeros_like",
]
__version__ = "0.1.0"
