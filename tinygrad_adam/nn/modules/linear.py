"""Linear and Identity: the affine map y = x @ weight.T + bias, and the map that changes nothing."""

from __future__ import annotations

import math
from typing import Any

from ...core.creation import empty
from ...core.tensor import Tensor
from .. import functional as F
from .. import init
from .._checks import check_device, fan_in_and_fan_out, float_dtype
from ..module import Module, Parameter


def init_weight_and_bias(weight: Parameter, bias: Parameter | None) -> None:
    """PyTorch's default for Linear and Conv2d: kaiming_uniform_(a=√5) on the weight and
    U(-1/√fan_in, 1/√fan_in) on the bias."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(bias, -bound, bound)


class Identity(Module):
    """Returns its input; any constructor arguments are ignored, as in PyTorch."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        return input


class Linear(Module):
    """y = x @ weight.T + bias, weight of shape (out_features, in_features)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None):
        super().__init__()
        check_device(device, "Linear")
        self.in_features, self.out_features = in_features, out_features
        dtype = float_dtype(dtype)
        self.weight = Parameter(empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init_weight_and_bias(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class NonDynamicallyQuantizableLinear(Linear):
    """A Linear under the name PyTorch gives MultiheadAttention's out_proj (so print(model) reads the same)."""


class Bilinear(Module):
    """y_o = x1 · weight[o] · x2 + bias_o, weight (out_features, in1_features, in2_features), both initialised
    U(-1/√in1_features, 1/√in1_features)."""

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "Bilinear")
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        dtype = float_dtype(dtype)
        self.weight = Parameter(empty((out_features, in1_features, in2_features), dtype=dtype))
        self.bias = Parameter(empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        if self.in1_features <= 0:
            raise ValueError(f"in1_features must be > 0, but got (in1_features={self.in1_features})")
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class LazyLinear(Linear):
    """A Linear whose in_features is read from its first input; then it becomes a Linear (as in PyTorch)."""

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None):
        Module.__init__(self)
        check_device(device, "LazyLinear")
        self.in_features, self.out_features = 0, out_features
        self._dtype = float_dtype(dtype)
        self.weight = Parameter(empty((out_features, 0), dtype=self._dtype))
        self.bias = Parameter(empty(0, dtype=self._dtype)) if bias else None

    def reset_parameters(self) -> None:
        if self.in_features:
            super().reset_parameters()

    def forward(self, input: Tensor) -> Tensor:
        self.in_features = int(input.shape[-1])
        self.weight = Parameter(empty((self.out_features, self.in_features), dtype=self._dtype))
        if self.bias is not None:
            self.bias = Parameter(empty(self.out_features, dtype=self._dtype))
        super().reset_parameters()
        del self._dtype
        self.__class__ = Linear
        return Linear.forward(self, input)
