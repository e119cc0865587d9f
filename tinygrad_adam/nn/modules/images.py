"""Layers of image models: Upsample, AdaptiveAvgPool2d, AdaptiveMaxPool2d, AvgPool1d, MaxPool1d, Dropout2d,
Unflatten, Unfold, PixelShuffle and the 2-D padding layers; each checks its arguments here and forward calls
functional_layers.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ...engine import Tensor
from .. import functional_layers as FL
from .._utils import IntPair, check_dropout_probability, check_unsupported, pair, to_tensor
from ..module import Module


class Upsample(Module):
    """Resize by `size` or `scale_factor`: nearest, nearest-exact, linear or bilinear (see functional.interpolate)."""

    def __init__(self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None,
                 mode: str = "nearest", align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple | list):
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.mode, self.align_corners, self.recompute_scale_factor = mode, align_corners, recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return FL.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                              recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        info = f"scale_factor={self.scale_factor!r}" if self.scale_factor is not None else f"size={self.size!r}"
        return info + f", mode={self.mode!r}"


class AdaptiveAvgPool2d(Module):
    """Average over output_size windows that tile the input (PyTorch's window rule); None keeps that size."""

    def __init__(self, output_size: Any):
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return FL.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(AdaptiveAvgPool2d):
    def __init__(self, output_size: Any, return_indices: bool = False):
        check_unsupported("AdaptiveMaxPool2d", return_indices=(return_indices, False))
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor:
        return FL.adaptive_max_pool2d(input, self.output_size)


class AvgPool1d(Module):
    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, ceil_mode: bool = False, count_include_pad: bool = True):
        super().__init__()
        check_unsupported("AvgPool1d", ceil_mode=(ceil_mode, False))
        self.kernel_size = (FL.single(kernel_size, "kernel_size", "AvgPool1d"),)
        self.stride = self.kernel_size if stride is None or stride == () else \
            (FL.single(stride, "stride", "AvgPool1d"),)
        self.padding = (FL.single(padding, "padding", "AvgPool1d", 0),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return FL.avg_pool1d(input, self.kernel_size, self.stride, self.padding,
                             count_include_pad=self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool1d(Module):
    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1, return_indices: bool = False,
                 ceil_mode: bool = False):
        super().__init__()
        check_unsupported("MaxPool1d", dilation=(dilation, 1), return_indices=(return_indices, False),
                          ceil_mode=(ceil_mode, False))
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None and stride != () else kernel_size
        self.padding, self.dilation, self.return_indices, self.ceil_mode = padding, dilation, return_indices, ceil_mode

    def forward(self, input: Tensor) -> Tensor:
        return FL.max_pool1d(input, self.kernel_size, self.stride, self.padding)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class Dropout2d(Module):
    """In training, zero whole channels with probability p and scale the rest by 1/(1-p); identity in eval."""

    def __init__(self, p: float = 0.5, inplace: bool = False, generator: np.random.Generator | None = None):
        super().__init__()
        check_dropout_probability(p)
        self.p, self.inplace, self.generator = p, inplace, generator

    def forward(self, input: Tensor) -> Tensor:
        return FL.dropout2d(input, self.p, self.training, generator=self.generator)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Unflatten(Module):
    """Split dim `dim` into `unflattened_size` (the inverse of Flatten)."""

    def __init__(self, dim: int, unflattened_size: Sequence[int]):
        super().__init__()
        if not isinstance(unflattened_size, tuple | list) or not all(isinstance(s, int) for s in unflattened_size):
            raise TypeError(f"unflattened_size must be tuple of ints, but found type {type(unflattened_size).__name__}")
        self.dim, self.unflattened_size = dim, unflattened_size

    def forward(self, input: Tensor) -> Tensor:
        x = to_tensor(input)
        dim = self.dim % x.ndim
        return x.reshape(x.shape[:dim] + tuple(self.unflattened_size) + x.shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Unfold(Module):
    """The sliding blocks of (N, C, H, W) as columns (N, C·kH·kW, L) (see functional.unfold)."""

    def __init__(self, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1):
        super().__init__()
        for name, value, minimum in (("kernel_size", kernel_size, 1), ("dilation", dilation, 1),
                                     ("padding", padding, 0), ("stride", stride, 1)):
            pair(value, name, "Unfold", minimum)
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return FL.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class PixelShuffle(Module):
    """(N, C·r², H, W) to (N, C, H·r, W·r), r = upscale_factor (sub-pixel convolution's upsampling)."""

    def __init__(self, upscale_factor: int):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input: Tensor) -> Tensor:
        return FL.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class _Pad2d(Module):
    """Padding layers of (N, C, H, W) or (C, H, W): padding is one int or (left, right, top, bottom)."""

    mode = "constant"

    def __init__(self, padding: int | Sequence[int]):
        super().__init__()
        sides = (padding,) * 4 if isinstance(padding, int) else tuple(padding)
        if len(sides) != 4 or not all(isinstance(p, int) for p in sides):
            raise ValueError(f"{type(self).__name__}: padding must be an int or 4 ints, got {padding!r}")
        self.padding = sides

    def forward(self, input: Tensor) -> Tensor:
        return FL.pad(input, self.padding, mode=self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad2d(_Pad2d):
    pass


class ReflectionPad2d(_Pad2d):
    mode = "reflect"


class ReplicationPad2d(_Pad2d):
    mode = "replicate"


class ConstantPad2d(_Pad2d):
    def __init__(self, padding: int | Sequence[int], value: float):
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return FL.pad(input, self.padding, value=self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


__all__ = ["AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "AvgPool1d", "ConstantPad2d", "Dropout2d", "MaxPool1d",
           "PixelShuffle", "ReflectionPad2d", "ReplicationPad2d", "Unflatten", "Unfold", "Upsample", "ZeroPad2d"]
