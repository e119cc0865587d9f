"""MaxPool2d and AvgPool2d: their arguments are checked here, once; forward applies the fused op."""

from __future__ import annotations

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import IntPair, check_unsupported, pool_arguments
from ..module import Module


class MaxPool2d(Module):
    """Max over kernel_size windows; stride defaults to kernel_size; padding is -inf."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 dilation: IntPair = 1, return_indices: bool = False, ceil_mode: bool = False):
        super().__init__()
        check_unsupported("MaxPool2d", dilation=(dilation, 1))
        pool_arguments("MaxPool2d", kernel_size, stride, padding)
        self.kernel_size, self.padding, self.dilation = kernel_size, padding, dilation
        self.stride = stride if stride not in (None, ()) else kernel_size
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def forward(self, x: Tensor) -> Tensor:
        return F.max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """Mean over kernel_size windows; zero padding counts in the mean unless count_include_pad=False."""

    def __init__(self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None):
        super().__init__()
        pool_arguments("AvgPool2d", kernel_size, stride, padding)
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride not in (None, ()) else kernel_size
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                            self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
