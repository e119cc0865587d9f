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


def kaiming_uniform_(tensor: T, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator: Any = None) -> T:
    """U(-bound, bound) with bound = gain·√(3 / fan) (He et al., 2015); `a` is the leaky_relu slope."""
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        return tensor  # an empty tensor: nothing to fill
    bound = math.sqrt(3.0) * calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: T, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator: Any = None) -> T:
    """N(0, std²) with std = gain / √fan."""
    fan = _calculate_correct_fan(tensor, mode)
    if fan == 0:
        return tensor
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), generator)
