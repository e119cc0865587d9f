"""Activation layers: ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, LogSoftmax, GELU, SiLU, ELU and the rest of
PyTorch's (Mish, SELU, CELU, GLU, RReLU, the shrinks, Hardsigmoid, Hardswish, Threshold, Softmax2d, ...).

A layer made with `inplace=True` writes its result into its input and returns it, as PyTorch's.
"""

from __future__ import annotations

import warnings
from typing import Any

from ...core.creation import full
from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_device, float_dtype, to_tensor
from ..module import Module, Parameter
from .arguments import ShowsArguments, layers


class _InPlace(ShowsArguments):
    """A layer whose one option is `inplace`."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


class _AlongDim(ShowsArguments):
    def __init__(self, dim: int | None = None):
        super().__init__(dim=dim)


class _Exponential(ShowsArguments):
    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__(alpha=alpha, inplace=inplace)


class _Shrink(ShowsArguments):
    def __init__(self, lambd: float = 0.5):
        super().__init__(lambd=lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class _Hard(_InPlace):
    def extra_repr(self) -> str:
        return ""  # PyTorch prints Hardsigmoid() and Hardswish(), in place or not


Tanh, Sigmoid, LogSigmoid, Softsign, Tanhshrink = layers(
    __name__, ShowsArguments, Tanh=F.tanh, Sigmoid=F.sigmoid, LogSigmoid=F.logsigmoid, Softsign=F.softsign,
    Tanhshrink=F.tanhshrink)
ReLU, SiLU, Mish, SELU = layers(__name__, _InPlace, ReLU=F.relu, SiLU=F.silu, Mish=F.mish, SELU=F.selu)
Hardsigmoid, Hardswish = layers(__name__, _Hard, Hardsigmoid=F.hardsigmoid, Hardswish=F.hardswish)
Softmax, LogSoftmax, Softmin = layers(__name__, _AlongDim, Softmax=F.softmax, LogSoftmax=F.log_softmax,
                                      Softmin=F.softmin)
ELU, CELU = layers(__name__, _Exponential, ELU=F.elu, CELU=F.celu)
Softshrink, Hardshrink = layers(__name__, _Shrink, Softshrink=F.softshrink, Hardshrink=F.hardshrink)


class LeakyReLU(ShowsArguments, function=F.leaky_relu):
    """x where x > 0, else negative_slope · x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__(negative_slope=negative_slope, inplace=inplace)


class Softplus(ShowsArguments, function=F.softplus):
    """log(1 + exp(beta · x)) / beta, and x itself where beta · x > threshold."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__(beta=beta, threshold=threshold)


class PReLU(Module):
    """x where x > 0, else a·x with a learned a: one for all channels, or one per channel (num_parameters)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "PReLU")
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(full(num_parameters, init, dtype=float_dtype(dtype)))

    def reset_parameters(self) -> None:
        self.weight.array[...] = self.init

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Hardtanh(ShowsArguments, function=F.hardtanh):
    """x clamped to [min_val, max_val]."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None):
        for old, new in (("min_value", "min_val"), ("max_value", "max_val")):
            if locals()[old] is not None:
                warnings.warn(f"keyword argument `{old}` is deprecated and renamed to `{new}`", FutureWarning,
                              stacklevel=2)
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")  # PyTorch's assert
        super().__init__(min_val=min_val, max_val=max_val, inplace=inplace)


class ReLU6(Hardtanh, function=F.relu6):
    """min(max(x, 0), 6)."""

    def __init__(self, inplace: bool = False):
        super().__init__(0.0, 6.0, inplace)


class GELU(ShowsArguments, function=F.gelu):
    """x · Φ(x); approximate="tanh" uses the tanh formula."""

    def __init__(self, approximate: str = "none"):
        super().__init__(approximate=approximate)


class Threshold(ShowsArguments, function=F.threshold):
    """x where x > threshold, else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False):
        super().__init__(threshold=threshold, value=value, inplace=inplace)


class GLU(ShowsArguments, function=F.glu):
    """a · sigmoid(b), a and b the two halves of the input along dim."""

    def __init__(self, dim: int = -1):
        super().__init__(dim=dim)


class RReLU(ShowsArguments, function=F.rrelu):
    """leaky_relu with a random slope in [lower, upper] per element in training, their mean in evaluation."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False):
        super().__init__(lower=lower, upper=upper, inplace=inplace)

    def forward(self, input: Tensor) -> Tensor:
        return self.function(input, self.lower, self.upper, self.training, self.inplace)


class Softmax2d(Module):
    """Softmax over the channels (dim -3) of (N, C, H, W) or (C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        x = to_tensor(input)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {x.ndim}D instead")
        return F.softmax(x, -3)
