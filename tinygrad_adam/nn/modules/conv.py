"""Conv2d: 2-D convolution (cross-correlation) with PyTorch's arguments, initialisation and repr."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import (
    IntPair,
    check_device,
    check_unsupported,
    conv_padding,
    float_dtype,
    pair,
)
from ..module import Module, Parameter
from .linear import init_weight_and_bias


class Conv2d(Module):
    """2-D convolution (cross-correlation), weight of shape (out_channels, in_channels, kH, kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair, stride: IntPair = 1,
                 padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        check_unsupported("Conv2d", padding_mode=(padding_mode, "zeros"))
        check_device(device, "Conv2d")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size = pair(kernel_size, "kernel_size", "Conv2d")
        self.stride = pair(stride, "stride", "Conv2d")
        self.padding = conv_padding(padding, self.stride, "Conv2d")
        self.dilation = pair(dilation, "dilation", "Conv2d")
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError("in_channels and out_channels must be divisible by groups" if groups >= 1 else
                             "groups must be a positive integer")
        self.groups, self.padding_mode = groups, padding_mode
        dtype = float_dtype(dtype)
        self.weight = Parameter(np.empty((out_channels, in_channels // groups) + self.kernel_size, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init_weight_and_bias(self.weight, self.bias)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)

    def extra_repr(self) -> str:
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text
