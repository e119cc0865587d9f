"""Conv2d: 2-D convolution (cross-correlation) with PyTorch's arguments, initialisation and repr."""

from __future__ import annotations

from typing import Any

from ...core.creation import empty
from ...core.tensor import Tensor
from .. import functional as F
from .._checks import (
    IntPair,
    check_device,
    check_output_padding,
    conv_padding,
    float_dtype,
    pair,
    same_sides,
    single,
    string_padding,
    to_tensor,
    triple,
)
from ..module import Module, Parameter
from ..ops.conv_transpose import transposed_output_size
from .linear import init_weight_and_bias


class _ConvNd(Module):
    """What every convolution layer shares: a weight of `weight_shape`, an optional bias, PyTorch's init."""

    def _make_parameters(self, weight_shape: tuple[int, ...], out_channels: int, bias: bool, dtype: Any) -> None:
        dtype = float_dtype(dtype)
        self.weight = Parameter(empty(weight_shape, dtype=dtype))
        self.bias = Parameter(empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init_weight_and_bias(self.weight, self.bias)

    def _padded_forward(self, input: Tensor, function: Any) -> Tensor:
        """function(input, weight, ...) after padding by padding_mode (zeros: the function's own padding)."""
        x = to_tensor(input)
        if self.padding_mode == "zeros":
            return function(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)
        if self.padding == "same":
            sides = [side for pair_ in reversed(same_sides(self.dilation, self.kernel_size)) for side in pair_]
        else:
            pads = (0,) * len(self.kernel_size) if self.padding == "valid" else self.padding
            sides = [p for p in reversed(pads) for _ in range(2)]
        x = F.pad(x, sides, mode=self.padding_mode)
        return function(x, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)


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
        self.kernel_size = pair(_no_negative(kernel_size, 2), "kernel_size", "Conv2d")
        self.stride = pair(stride, "stride", "Conv2d")
        self.padding = conv_padding(padding, self.stride, "Conv2d")
        self.dilation = pair(dilation, "dilation", "Conv2d")
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError("in_channels and out_channels must be divisible by groups" if groups >= 1 else
                             "groups must be a positive integer")
        self.groups, self.padding_mode = groups, padding_mode
        self._make_parameters((out_channels, in_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return self._padded_forward(input, F.conv2d)

    def extra_repr(self) -> str:
        return _conv_repr(self, 2)


_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _no_negative(kernel_size: Any, dims: int) -> Any:
    """A negative kernel size is PyTorch's RuntimeError from making the weight (a size of 0, which PyTorch
    refuses only when called, is refused by the constructor's own check)."""
    sizes = tuple(kernel_size) if isinstance(kernel_size, tuple | list) else (kernel_size,) * dims
    if any(isinstance(k, int) and k < 0 for k in sizes):
        raise RuntimeError(f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}")
    return kernel_size


def _check_padding_mode(padding_mode: str) -> None:
    if padding_mode not in _PADDING_MODES:
        raise ValueError(f"padding_mode must be one of {list(_PADDING_MODES)}, but got padding_mode='{padding_mode}'")


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
        self.kernel_size = (single(_no_negative(kernel_size, 1), "kernel_size", "Conv1d"),)
        self.stride = (single(stride, "stride", "Conv1d"),)
        self.dilation = (single(dilation, "dilation", "Conv1d"),)
        self.padding: Any = string_padding(padding, self.stride) if isinstance(padding, str) else \
            (single(padding, "padding", "Conv1d", 0),)
        self._make_parameters((out_channels, in_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return self._padded_forward(input, F.conv1d)

    def extra_repr(self) -> str:
        return _conv_repr(self, 1)


def _transposed_output_padding(m: Any, x: Tensor, output_size: Any, dims: int) -> tuple[int, ...]:
    """The output_padding that makes a transposed convolution's output `output_size` (m's own without one), as
    PyTorch's _ConvTransposeNd._output_padding (before any check of the input)."""
    if output_size is None:
        return m.output_padding
    non_spatial = 2 if x.ndim == dims + 2 else 1
    size = [int(s) for s in output_size]
    if len(size) == non_spatial + dims:
        size = size[non_spatial:]
    if len(size) != dims:
        raise ValueError(f"ConvTranspose{dims}D: for {x.ndim}D input, output_size must have {dims} or "
                         f"{non_spatial + dims} elements (got {len(size)})")
    smallest = [transposed_output_size(x.shape[d + non_spatial], m.kernel_size[d], m.stride[d], m.padding[d], 0,
                                       m.dilation[d]) for d in range(dims)]
    largest = [n + stride - 1 for n, stride in zip(smallest, m.stride, strict=True)]
    if any(not low <= n <= high for n, low, high in zip(size, smallest, largest, strict=True)):
        raise ValueError(f"requested an output size of {size}, but valid sizes range from {smallest} to {largest} "
                         f"(for an input of {x.shape[2:]})")
    return tuple(n - low for n, low in zip(size, smallest, strict=True))


class Conv3d(_ConvNd):
    """3-D convolution (cross-correlation) of (N, C, D, H, W), weight (out, in / groups, kD, kH, kW)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None):
        super().__init__()
        op = "Conv3d"
        check_device(device, op)
        _check_channels(op, in_channels, out_channels, groups)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"padding_mode must be one of {list(_PADDING_MODES)}, "
                             f"but got padding_mode='{padding_mode}'")
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, groups, \
            padding_mode
        self.kernel_size = triple(_no_negative(kernel_size, 3), "kernel_size", op)
        self.stride, self.dilation = triple(stride, "stride", op), triple(dilation, "dilation", op)
        self.padding: Any = string_padding(padding, self.stride) if isinstance(padding, str) else \
            triple(padding, "padding", op, 0)
        self._make_parameters((out_channels, in_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, input: Tensor) -> Tensor:
        return self._padded_forward(input, F.conv3d)

    def extra_repr(self) -> str:
        return _conv_repr(self, 3)


class _ConvTransposeNd(_ConvNd):
    """What ConvTranspose1d and ConvTranspose3d share: PyTorch's checks, arguments as tuples of `dims` ints,
    and a forward through nn.functional's `functional` (looked up when called, as PyTorch's layers call F) with
    the output_padding that an output_size asks for."""

    dims: int
    functional: str

    def _setup(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any, padding: Any,
               output_padding: Any, groups: int, bias: bool, dilation: Any, padding_mode: str, device: Any,
               dtype: Any) -> None:
        op = type(self).__name__
        check_device(device, op)
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {op}')
        _check_channels(op, in_channels, out_channels, groups)
        self.in_channels, self.out_channels, self.groups, self.padding_mode = in_channels, out_channels, groups, \
            padding_mode

        def ints(value: Any, name: str, minimum: int = 1) -> tuple[int, ...]:
            return (single(value, name, op, minimum),) if self.dims == 1 else \
                pair(value, name, op, minimum) if self.dims == 2 else triple(value, name, op, minimum)

        self.kernel_size, self.stride, self.dilation = ints(_no_negative(kernel_size, self.dims), "kernel_size"), \
            ints(stride, "stride"), ints(dilation, "dilation")
        self.padding, self.output_padding = ints(padding, "padding", 0), ints(output_padding, "output_padding", 0)
        check_output_padding(self.output_padding, self.stride, self.dilation)
        self._make_parameters((in_channels, out_channels // groups) + self.kernel_size, out_channels, bias, dtype)

    def forward(self, input: Tensor, output_size: Any = None) -> Tensor:
        x = to_tensor(input)
        return getattr(F, self.functional)(x, self.weight, self.bias, self.stride, self.padding,
                                           _transposed_output_padding(self, x, output_size, self.dims), self.groups,
                                           self.dilation)

    def extra_repr(self) -> str:
        return _conv_repr(self, self.dims)


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution of (N, C, L), weight of shape (in_channels, out_channels / groups, k)."""

    dims, functional = 1, "conv_transpose1d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | tuple[int],
                 stride: int | tuple[int] = 1, padding: int | tuple[int] = 0, output_padding: int | tuple[int] = 0,
                 groups: int = 1, bias: bool = True, dilation: int | tuple[int] = 1, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None):
        super().__init__()
        self._setup(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                    padding_mode, device, dtype)


class ConvTranspose3d(_ConvTransposeNd):
    """3-D transposed convolution of (N, C, D, H, W), weight of shape (in_channels, out_channels / groups, kD, kH,
    kW)."""

    dims, functional = 3, "conv_transpose3d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        self._setup(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                    padding_mode, device, dtype)


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution, weight of shape (in_channels, out_channels / groups, kH, kW)."""

    dims, functional = 2, "conv_transpose2d"

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair, stride: IntPair = 1,
                 padding: IntPair = 0, output_padding: IntPair = 0, groups: int = 1, bias: bool = True,
                 dilation: IntPair = 1, padding_mode: str = "zeros", device: Any = None, dtype: Any = None):
        super().__init__()
        self._setup(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                    padding_mode, device, dtype)
