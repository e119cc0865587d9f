"""tinygrad_adam: a small deep-learning framework on NumPy, centred on a readable Adam.

    from tinygrad_adam import Tensor, nn, optim
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)

PyTorch's top-level names are here too, so `import tinygrad_adam as torch` runs CPU programs
written for PyTorch (see docs/pytorch.md).
"""

import types as _types  # isort: skip

from ._platform import threads  # isort: skip  # noqa: F401  (first: sets OpenBLAS up before NumPy loads it)
from . import autograd, data, nn, optim, utils
from ._platform.malloc import keep_freed_memory
from .autograd.gradcheck import GradcheckError, gradcheck, numerical_grad, numerical_jacobian
from .core import random
from .core.creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    logspace,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    scalar_tensor,
    tensor,
    zeros,
    zeros_like,
)
from .core.device import accelerator, backends, cuda, device, get_default_device, set_default_device
from .core.dtypes import (
    bool,
    can_cast,
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
    promote_types,
    set_default_dtype,
    short,
    uint8,
)
from .core.engine import Context, Op, unbroadcast
from .core.grad_mode import enable_grad, inference_mode, is_grad_enabled, no_grad, set_grad_enabled
from .core.legacy import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .core.printing import set_printoptions
from .core.random import Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed, set_rng_state
from .core.random_ops import bernoulli, multinomial, normal, rand_like, randint_like, randn_like
from .core.tensor import Size, Tensor
from .core.toplevel import (
    abs,
    add,
    all,
    allclose,
    amax,
    amin,
    any,
    argmax,
    argmin,
    argsort,
    bmm,
    cat,
    chunk,
    clamp,
    clip,
    concat,
    concatenate,
    cos,
    cumsum,
    div,
    einsum,
    eq,
    equal,
    exp,
    flatten,
    flip,
    gather,
    histc,
    histogram,
    index_select,
    is_tensor,
    isfinite,
    isnan,
    log,
    log1p,
    log2,
    log10,
    log_softmax,
    logsumexp,
    masked_fill,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    mul,
    ne,
    norm,
    numel,
    permute,
    pow,
    relu,
    reshape,
    result_type,
    roll,
    scatter,
    scatter_add,
    sigmoid,
    sin,
    softmax,
    sort,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sub,
    sum,
    tanh,
    topk,
    transpose,
    tril,
    triu,
    unbind,
    unsqueeze,
    var,
    where,
)
from .serialization import CheckpointError, load, save

keep_freed_memory()  # see _platform/malloc.py: reuse freed step memory instead of faulting it back in (glibc only)

_PYTORCH_MODULES = ("autograd", "data", "distributed", "nn", "optim", "random", "serialization", "utils")
__all__ = sorted(
    name
    for name, value in globals().items()
    if not name.startswith("_")
    and name not in ("annotations", "threads")
    and (not isinstance(value, _types.ModuleType) or name in _PYTORCH_MODULES)
)
__version__ = "0.1.0"
