"""Activation layers: ReLU, LeakyReLU, Tanh, Sigmoid, Softmax, LogSoftmax, GELU, SiLU, ELU and the rest of
PyTorch's (Mish, SELU, CELU, GLU, RReLU, the shrinks, Hardsigmoid, Hardswish, Threshold, Softmax2d, ...).

`inplace=True` is accepted by ReLU, LeakyReLU, ELU, Hardtanh and SiLU, as PyTorch code passes it, and gives the
same values in a new Tensor; Mish, SELU, CELU, Threshold, RReLU, Hardsigmoid and Hardswish write into their input.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_device, float_dtype, to_tensor
from ..module import Module, Parameter
from .arguments import ShowsArguments


class ReLU(ShowsArguments):
    """max(x, 0)."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.relu(x)


class LeakyReLU(ShowsArguments):
    """x where x > 0, else negative_slope · x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)


class Tanh(ShowsArguments):
    """(exp(x) - exp(-x)) / (exp(x) + exp(-x))."""

    function = staticmethod(F.tanh)


class Sigmoid(ShowsArguments):
    """1 / (1 + exp(-x))."""

    function = staticmethod(F.sigmoid)


class Softmax(ShowsArguments):
    """exp(x) / sum(exp(x)) along dim."""

    function = staticmethod(F.softmax)

    def __init__(self, dim: int | None = None):
        super().__init__(dim=dim)


class LogSoftmax(Softmax):
    function = staticmethod(F.log_softmax)


class ELU(ShowsArguments):
    """x where x > 0, else alpha · (exp(x) - 1)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.elu(input, self.alpha)


class Softplus(ShowsArguments):
    """log(1 + exp(beta · x)) / beta, and x itself where beta · x > threshold."""

    function = staticmethod(F.softplus)

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__(beta=beta, threshold=threshold)


class PReLU(Module):
    """x where x > 0, else a·x with a learned a: one for all channels, or one per channel (num_parameters)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "PReLU")
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(np.full(num_parameters, init, dtype=float_dtype(dtype)))

    def reset_parameters(self) -> None:
        self.weight.array[...] = self.init

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Hardtanh(Module):
    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):
        super().__init__()
        if max_val <= min_val:
            raise AssertionError(f"max_val ({max_val}) must be greater than min_val ({min_val})")  # PyTorch's assert
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    def __init__(self, inplace: bool = False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LogSigmoid(ShowsArguments):
    function = staticmethod(F.logsigmoid)


class Softmin(Softmax):
    function = staticmethod(F.softmin)


class GELU(ShowsArguments):
    """x · Φ(x); approximate="tanh" uses the tanh formula."""

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return F.gelu(x, approximate=self.approximate)


class SiLU(ReLU):
    """x · sigmoid(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return F.silu(x)


class Mish(ShowsArguments):
    """x · tanh(softplus(x))."""

    function = staticmethod(F.mish)

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


class SELU(Mish):
    """scale · elu(x, alpha) with the self-normalising constants."""

    function = staticmethod(F.selu)


class CELU(ShowsArguments):
    """x where x > 0, else alpha · (exp(x / alpha) - 1)."""

    function = staticmethod(F.celu)

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__(alpha=alpha, inplace=inplace)


class Threshold(ShowsArguments):
    """x where x > threshold, else value."""

    function = staticmethod(F.threshold)

    def __init__(self, threshold: float, value: float, inplace: bool = False):
        super().__init__(threshold=threshold, value=value, inplace=inplace)


class GLU(ShowsArguments):
    """a · sigmoid(b), a and b the two halves of the input along dim."""

    function = staticmethod(F.glu)

    def __init__(self, dim: int = -1):
        super().__init__(dim=dim)


class RReLU(ShowsArguments):
    """leaky_relu with a random slope in [lower, upper] per element in training, their mean in evaluation."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False):
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)


class Hardsigmoid(ShowsArguments):
    """relu6(x + 3) / 6."""

    function = staticmethod(F.hardsigmoid)

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)

    def extra_repr(self) -> str:
        return ""  # PyTorch prints Hardsigmoid() and Hardswish(), in place or not


class Hardswish(Hardsigmoid):
    """x · relu6(x + 3) / 6."""

    function = staticmethod(F.hardswish)


class Softshrink(ShowsArguments):
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""

    function = staticmethod(F.softshrink)

    def __init__(self, lambd: float = 0.5):
        super().__init__(lambd=lambd)

    def extra_repr(self) -> str:
        return str(self.lambd)


class Hardshrink(Softshrink):
    """x where |x| > lambd, else 0."""

    function = staticmethod(F.hardshrink)


class Softsign(ShowsArguments):
    """x / (1 + |x|)."""

    function = staticmethod(F.softsign)


class Tanhshrink(ShowsArguments):
    """x - tanh(x)."""

    function = staticmethod(F.tanhshrink)


class Softmax2d(Module):
    """Softmax over the channels (dim -3) of (N, C, H, W) or (C, H, W)."""

    def forward(self, input: Tensor) -> Tensor:
        x = to_tensor(input)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input to be 3D or 4D, got {x.ndim}D instead")
        return F.softmax(x, -3)
