"""MaxPool2d and AvgPool2d: their arguments are checked here, once; forward applies the fused op."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import IntPair, pair, pool_arguments, single, triple
from ..module import Module
from .arguments import ShowsArguments, layers


class _MaxPoolNd(ShowsArguments):
    """Max over kernel_size windows; stride defaults to kernel_size; padding is -inf."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding,
                         dilation=dilation, return_indices=return_indices, ceil_mode=ceil_mode)

    def forward(self, input: Tensor) -> Any:
        return self.function(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                             self.return_indices)  # by position, as PyTorch's, with no dict of arguments per call

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd, function=F.max_pool1d):
    """Max over kernel_size windows of (N, C, L); stride defaults to kernel_size; padding is -inf."""


class MaxPool2d(_MaxPoolNd, function=F.max_pool2d):
    """Max over kernel_size windows of (N, C, H, W); stride defaults to kernel_size; padding is -inf."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 dilation: IntPair = 1, return_indices: bool = False, ceil_mode: bool = False):
        pool_arguments("MaxPool2d", kernel_size, stride, padding)
        pair(dilation, "dilation", "MaxPool2d")
        super().__init__(kernel_size, stride, padding, dilation, return_indices, ceil_mode)


class MaxPool3d(_MaxPoolNd, function=F.max_pool3d):
    """Max over kernel_size windows of (N, C, D, H, W); stride defaults to kernel_size; padding is -inf."""


class AvgPool2d(Module):
    """Mean over kernel_size windows; zero padding counts in the mean unless count_include_pad=False."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None):
        super().__init__()
        pool_arguments("AvgPool2d", kernel_size, stride, padding)
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride not in (None, ()) else kernel_size
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, divisor_override

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                            self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _AdaptiveAvgPoolNd(ShowsArguments):
    def __init__(self, output_size: Any):
        super().__init__(output_size=output_size)


class _AdaptiveMaxPoolNd(ShowsArguments):
    def __init__(self, output_size: Any, return_indices: bool = False):
        super().__init__(output_size=output_size, return_indices=return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d = layers(
    __name__, _AdaptiveAvgPoolNd, AdaptiveAvgPool1d=F.adaptive_avg_pool1d, AdaptiveAvgPool2d=F.adaptive_avg_pool2d,
    AdaptiveAvgPool3d=F.adaptive_avg_pool3d)
AdaptiveMaxPool1d, AdaptiveMaxPool2d, AdaptiveMaxPool3d = layers(
    __name__, _AdaptiveMaxPoolNd, AdaptiveMaxPool1d=F.adaptive_max_pool1d, AdaptiveMaxPool2d=F.adaptive_max_pool2d,
    AdaptiveMaxPool3d=F.adaptive_max_pool3d)


class AvgPool1d(Module):
    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: int | Sequence[int] = 0, ceil_mode: bool = False, count_include_pad: bool = True):
        super().__init__()
        self.kernel_size = (single(kernel_size, "kernel_size", "AvgPool1d"),)
        self.stride = self.kernel_size if stride is None or stride == () else \
            (single(stride, "stride", "AvgPool1d"),)
        self.padding = (single(padding, "padding", "AvgPool1d", 0),)
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, input: Tensor) -> Tensor:
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool2d(Module):
    """The inverse of MaxPool2d(return_indices=True): values back at their indices, zeros elsewhere."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0):
        super().__init__()
        self.kernel_size = pair(kernel_size, "kernel_size", "MaxUnpool2d")
        self.stride = self.kernel_size if stride is None else pair(stride, "stride", "MaxUnpool2d")
        self.padding = pair(padding, "padding", "MaxUnpool2d", minimum=0)

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return F.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _LPPoolNd(ShowsArguments):
    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False):
        super().__init__(norm_type=norm_type, kernel_size=kernel_size, stride=stride, ceil_mode=ceil_mode)


LPPool1d, LPPool2d, LPPool3d = layers(__name__, _LPPoolNd, LPPool1d=F.lp_pool1d, LPPool2d=F.lp_pool2d,
                                      LPPool3d=F.lp_pool3d)


class MaxUnpool1d(Module):
    """The inverse of MaxPool1d(return_indices=True): values back at their indices, zeros elsewhere."""

    def __init__(self, kernel_size: int | tuple[int], stride: int | tuple[int] | None = None,
                 padding: int | tuple[int] = 0):
        super().__init__()
        self.kernel_size = (single(kernel_size, "kernel_size", "MaxUnpool1d"),)
        self.stride = self.kernel_size if stride is None else (single(stride, "stride", "MaxUnpool1d"),)
        self.padding = (single(padding, "padding", "MaxUnpool1d", 0),)

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return F.max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"




class AvgPool3d(ShowsArguments, function=F.avg_pool3d):
    """Mean over kernel_size windows of (N, C, D, H, W); zero padding counts unless count_include_pad=False."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None):
        super().__init__(kernel_size=kernel_size, stride=kernel_size if stride is None else stride, padding=padding,
                         ceil_mode=ceil_mode, count_include_pad=count_include_pad, divisor_override=divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool3d(Module):
    """The inverse of MaxPool3d(return_indices=True): values back at their indices, zeros elsewhere."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0):
        super().__init__()
        self.kernel_size = triple(kernel_size, "kernel_size", "MaxUnpool3d")
        self.stride = self.kernel_size if stride is None else triple(stride, "stride", "MaxUnpool3d")
        self.padding = triple(padding, "padding", "MaxUnpool3d", 0)

    def forward(self, input: Tensor, indices: Tensor, output_size: Sequence[int] | None = None) -> Tensor:
        return F.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
