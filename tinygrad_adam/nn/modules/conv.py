"""Conv2d: 2-D convolution (cross-correlation) with PyTorch's arguments, initialisation and repr."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import (
    IntPair,
    check_device,
    check_output_padding,
    conv_padding,
    float_dtype,
    pair,
    single,
    to_tensor,
)
from ..module import Module, Parameter
from ..ops.conv_transpose import conv_transpose2d, transposed_output_size
from .linear import init_weight_and_bias


class _ConvNd(Module):
    """What every convolution layer shares: a weight of `weight_shape`, an optional bias, PyTorch's init."""

    def _make_parameters(self, weight_shape: tuple[int, ...], out_channels: int, bias: bool, dtype: Any) -> None:
        dtype = float_dtype(dtype)
        self.weight = Parameter(np.empty(weight_shape, dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init_weight_and_bias(self.weight, self.bias)


class Conv2d(_ConvNd):
    """2-D convolution (cross-correlation), weight of shape (out_channels, in_channels, kH, kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair, stride: IntPair = 1,
                 padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        _check_padding_mode(padding_mode)
        if not isinstance(groups, int) or groups <= 0 or in_channels % groups or out_channels % groups:
            raise ValueError(f"Conv2d: groups must be a positive integer dividing in_channels ({in_channels}) and "
                             f"out_channels ({out_channels}), got {groups!r}")
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
        self._make_parameters((out_channels, in_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, x: Tensor) -> Tensor:
        if self.padding_mode == "zeros":
            return F.conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        return F.conv2d(_mode_padded(self, to_tensor(x)), self.weight, self.bias, self.stride, 0, self.dilation,
                        self.groups)

    def extra_repr(self) -> str:
        return _conv_repr(self, 2)


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _check_padding_mode(padding_mode: str) -> None:
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {list(_PADDING_MODES)}, but got padding_mode='{padding_mode}'")


def _mode_padded(m: Module, x: Tensor) -> Tensor:
    """x padded by the layer's padding_mode (reflect, replicate, circular), as PyTorch pads before its convolution:
    each dim's padding on both sides ("same": the odd one at the end), the last dim first."""
    sides: list[int] = []
    for k, d, p in reversed(list(zip(m.kernel_size, m.dilation, m.padding if isinstance(m.padding, tuple)
                                     else (m.padding,) * len(m.kernel_size), strict=True))):
        total = d * (k - 1) if p == "same" else 0 if p == "valid" else 2 * p
        sides += [total // 2, total - total // 2]
    return F.pad(x, sides, mode=m.padding_mode)


def _conv_repr(m: Module, dims: int) -> str:
    text = f"{m.in_channels}, {m.out_channels}, kernel_size={m.kernel_size}, stride={m.stride}"
    if m.padding != (0,) * dims:
        text += f", padding={m.padding}"
    if m.dilation != (1,) * dims:
        text += f", dilation={m.dilation}"
    if getattr(m, "output_padding", (0,) * dims) != (0,) * dims:
        text += f", output_padding={m.output_padding}"
    if m.groups != 1:
        text += f", groups={m.groups}"
    if m.bias is None:
        text += ", bias=False"
    if m.padding_mode != "zeros":
        text += f", padding_mode={m.padding_mode}"
    return text


def _check_channels(op: str, in_channels: int, out_channels: int, groups: int) -> None:
    if not isinstance(groups, int) or groups <= 0:
        raise ValueError("groups must be a positive integer")
    if in_channels % groups:
        raise ValueError("in_channels must be divisible by groups")
    if out_channels % groups:
        raise ValueError("out_channels must be divisible by groups")


class Conv1d(_ConvNd):
    """1-D convolution (cross-correlation) of (N, C, L), weight of shape (out_channels, in_channels / groups, k)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int],
                 stride: int | tuple[int] = 1,
                 padding: int | tuple[int] | str = 0, dilation: int | tuple[int] = 1, groups: int = 1,
                 bias: bool = True, padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "Conv1d")
        _check_channels("Conv1d", in_channels, out_channels, groups)
        _check_padding_mode(padding_mode)
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, groups, \
            padding_mode
        self.kernel_size = (single(kernel_size, "kernel_size", "Conv1d"),)
        self.stride = (single(stride, "stride", "Conv1d"),)
        self.dilation = (single(dilation, "dilation", "Conv1d"),)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"Invalid padding string {padding!r}, should be one of ('valid', 'same')")
            if padding == "same" and self.stride != (1,):
                raise ValueError("padding='same' is not supported for strided convolutions")
            self.padding: Any = padding
        else:
            self.padding = (single(padding, "padding", "Conv1d", 0),)
        self._make_parameters((out_channels, in_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, input: Tensor) -> Tensor:
        x = to_tensor(input)
        if self.padding_mode == "zeros":
            return F.conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        return F.conv1d(_mode_padded(self, x), self.weight, self.bias, self.stride, 0, self.dilation, self.groups)

    def extra_repr(self) -> str:
        return _conv_repr(self, 1)


class ConvTranspose2d(_ConvNd):
    """2-D transposed convolution, weight of shape (in_channels, out_channels / groups, kH, kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair, stride: IntPair = 1,
                 padding: IntPair = 0, output_padding: IntPair = 0, groups: int = 1, bias: bool = True,
                 dilation: IntPair = 1, padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        check_device(device, "ConvTranspose2d")
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        _check_channels("ConvTranspose2d", in_channels, out_channels, groups)
        op = "ConvTranspose2d"
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, groups, \
            padding_mode
        self.kernel_size = pair(kernel_size, "kernel_size", op)
        self.stride, self.dilation = pair(stride, "stride", op), pair(dilation, "dilation", op)
        self.padding = pair(padding, "padding", op, 0)
        self.output_padding = pair(output_padding, "output_padding", op, 0)
        check_output_padding(self.output_padding, self.stride, self.dilation)
        self._make_parameters((in_channels, out_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def _output_padding(self, x: Tensor, output_size: Any) -> tuple[int, int]:
        if output_size is None:
            return self.output_padding
        size = [int(s) for s in output_size][-2:]
        result = []
        for i in range(2):
            smallest = transposed_output_size(x.shape[-2 + i], self.kernel_size[i], self.stride[i], self.padding[i],
                                              0, self.dilation[i])
            if not smallest <= size[i] < smallest + self.stride[i]:
                raise ValueError(f"requested an output size of {size}, but valid sizes range from {smallest} to "
                                 f"{smallest + self.stride[i] - 1} (for an input of {list(x.shape[-2:])})")
            result.append(size[i] - smallest)
        return result[0], result[1]

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        x = to_tensor(input)
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding,
                                self._output_padding(x, output_size), self.dilation, self.groups,
                                "ConvTranspose2d")

    def extra_repr(self) -> str:
        return _conv_repr(self, 2)
