"""Weight initialisation, in place, with PyTorch's names, signatures and fan computations.

Every function fills a Tensor (or Parameter, or NumPy array) in place and
returns it. Random draws come from the default generator (seed it with `tinygrad_adam.manual_seed`)
unless a `generator` is passed, with PyTorch's algorithms: after the same seed the values are PyTorch's,
so `manual_seed(0); nn.Linear(3, 4)` holds the weights PyTorch's would.

For a weight of shape (out, in, *kernel): fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from ..core import random as _random
from ..core.tensor import Tensor
from ._checks import fan_in_and_fan_out as _calculate_fan_in_and_fan_out  # PyTorch's (private) name

T = TypeVar("T", Tensor, np.ndarray)


def _array(tensor: Tensor | np.ndarray) -> np.ndarray:
    return tensor.array if isinstance(tensor, Tensor) else tensor


def _fill(tensor: T, values: Any) -> T:
    array = _array(tensor)
    array[...] = values
    return tensor


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity (PyTorch's table): relu √2, tanh 5/3, leaky_relu √(2/(1+a²)), ..."""
    linear_fns = {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                  "conv_transpose3d"}
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, int | float) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unsupported nonlinearity {nonlinearity!r}")


def _calculate_correct_fan(tensor: Tensor | np.ndarray, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode {mode!r} not supported, please use one of 'fan_in', 'fan_out'")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def uniform_(tensor: T, a: float = 0.0, b: float = 1.0, generator: Any = None) -> T:
    """Fill with samples of U(a, b)."""
    array = _array(tensor)
    return _fill(tensor, _random.uniform(array.shape, a, b, array.dtype, generator))


def normal_(tensor: T, mean: float = 0.0, std: float = 1.0, generator: Any = None) -> T:
    """Fill with samples of N(mean, std²)."""
    array = _array(tensor)
    return _fill(tensor, _random.normal(array.shape, mean, std, array.dtype, generator))


def constant_(tensor: T, val: float) -> T:
    return _fill(tensor, val)


def zeros_(tensor: T) -> T:
    return _fill(tensor, 0)


def ones_(tensor: T) -> T:
    return _fill(tensor, 1)


def xavier_uniform_(tensor: T, gain: float = 1.0, generator: Any = None) -> T:
    """U(-a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot & Bengio, 2010)."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: T, gain: float = 1.0, generator: Any = None) -> T:
    """N(0, std²) with std = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def kaiming_uniform_(tensor: T, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Any = None) -> T:
    """U(-bound, bound) with bound = gain·√(3 / fan) (He et al., 2015); `a` is the leaky_relu slope."""
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        return tensor  # an empty tensor: nothing to fill
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: T, a: float = 0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Any = None) -> T:
    """N(0, std²) with std = gain / √fan."""
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        return tensor
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), generator)


def trunc_normal_(tensor: T, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0,
                  generator: Any = None) -> T:
    """N(mean, std²) cut to [a, b], drawn as PyTorch 2.13 draws it: when [a, b] holds more than 30% of the mass,
    normal draws with the values outside redrawn until none is; otherwise uniforms on [a, b] accepted with
    probability pdf(x) / pdf(mode), the rejected ones redrawn."""
    array = _array(tensor)
    shape, dtype = array.shape, array.dtype

    def cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values "
                      "may be incorrect.", stacklevel=2)
    if cdf((b - mean) / std) - cdf((a - mean) / std) > 0.3:
        low, high = dtype.type(a), dtype.type(b)
        result = _random.normal(shape, mean, std, dtype, generator)
        while (outside := (result < low) | (result > high)).any():
            result = np.where(outside, _random.normal(shape, mean, std, dtype, generator), result)
        return _fill(tensor, result)
    mode = max(a, min(mean, b))
    log_peak = dtype.type(-0.5 * ((mode - mean) / std) ** 2)

    def log_ratio(x: np.ndarray) -> np.ndarray:  # log(pdf(x) / pdf(mode)), in the tensor's dtype
        return np.square((x - dtype.type(mean)) / dtype.type(std)) * dtype.type(-0.5) - log_peak

    def rejected(x: np.ndarray) -> np.ndarray:
        return np.log(_random.uniform(shape, 0.0, 1.0, dtype, generator)) > log_ratio(x)

    result = _random.uniform(shape, a, b, dtype, generator)
    pending = rejected(result)
    while pending.any():
        candidates = _random.uniform(shape, a, b, dtype, generator)
        result = np.where(pending, candidates, result)
        pending = np.where(pending, rejected(candidates), pending)
    return _fill(tensor, result)


def orthogonal_(tensor: T, gain: float = 1, generator: Any = None) -> T:
    """A (semi-)orthogonal matrix (Saxe et al., 2013) from the QR factorization of a normal draw, the signs
    fixed by R's diagonal, times `gain`; dims after the first are flattened."""
    array = _array(tensor)
    if array.ndim < 2:
        raise ValueError("Only tensors with 2 or more dimensions are supported")
    if array.size == 0:
        return tensor
    rows, cols = array.shape[0], array.size // array.shape[0]
    flattened = _random.normal((rows, cols), 0.0, 1.0, array.dtype, generator)
    if rows < cols:
        flattened = flattened.T
    q, r = np.linalg.qr(flattened)
    q = q * np.sign(np.diagonal(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, (q * gain).reshape(array.shape))


def eye_(tensor: T) -> T:
    """The identity matrix (ones on the diagonal of a 2-D tensor, also when it is not square)."""
    array = _array(tensor)
    if array.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    return _fill(tensor, np.eye(*array.shape, dtype=array.dtype))


def dirac_(tensor: T, groups: int = 1) -> T:
    """The identity of a convolution: in each of `groups`, output channel i copies input channel i at the
    kernel's centre (3-, 4- and 5-D weights)."""
    array = _array(tensor)
    if array.ndim not in (3, 4, 5):
        raise ValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    if array.shape[0] % groups != 0:
        raise ValueError("dim 0 must be divisible by groups")
    out_per_group = array.shape[0] // groups
    values = np.zeros(array.shape, dtype=array.dtype)
    centre = tuple(n // 2 for n in array.shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, array.shape[1])):
            values[(g * out_per_group + d, d) + centre] = 1
    return _fill(tensor, values)


def sparse_(tensor: T, sparsity: float, std: float = 0.01, generator: Any = None) -> T:
    """N(0, std²) with a fraction `sparsity` of each column set to zero (Martens, 2010); the rows to zero come
    from randperm on the default generator, as in PyTorch."""
    array = _array(tensor)
    if array.ndim != 2:
        raise ValueError("Only tensors with 2 dimensions are supported")
    rows, cols = array.shape
    zeros = int(math.ceil(sparsity * rows))
    values = _random.normal(array.shape, 0.0, std, array.dtype, generator)
    for col in range(cols):
        values[_random.randperm(rows)[:zeros], col] = 0
    return _fill(tensor, values)


def _deprecated(new: Callable[..., Any]) -> Callable[..., Any]:
    """nn.init.normal and the other names without "_": PyTorch's deprecated spellings, with its warning."""
    old = new.__name__[:-1]

    def function(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new.__name__}`.", FutureWarning,
                      stacklevel=2)
        return new(*args, **kwargs)
    function.__name__ = function.__qualname__ = old
    return function


uniform, normal, constant = _deprecated(uniform_), _deprecated(normal_), _deprecated(constant_)
xavier_uniform, xavier_normal = _deprecated(xavier_uniform_), _deprecated(xavier_normal_)
kaiming_uniform, kaiming_normal = _deprecated(kaiming_uniform_), _deprecated(kaiming_normal_)
eye, dirac, orthogonal, sparse = _deprecated(eye_), _deprecated(dirac_), _deprecated(orthogonal_), _deprecated(sparse_)
