"""Unfold: sliding local blocks of a batched image as columns (F.unfold, im2col)."""

from __future__ import annotations

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import IntPair, pair
from ..module import Module


class Unfold(Module):
    """The sliding blocks of (N, C, H, W) as columns (N, C·kH·kW, L) (see functional.unfold)."""

    def __init__(self, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1):
        super().__init__()
        for name, value, minimum in (("kernel_size", kernel_size, 1), ("dilation", dilation, 1),
                                     ("padding", padding, 0), ("stride", stride, 1)):
            pair(value, name, "Unfold", minimum)
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
                f"stride={self.stride}")


class Fold(Unfold):
    """Columns (N, C·kH·kW, L) summed back into (N, C, H, W) of output_size (see functional.fold)."""

    def __init__(self, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0,
                 stride: IntPair = 1):
        super().__init__(kernel_size, dilation, padding, stride)
        pair(output_size, "output_size", "Fold")
        self.output_size = output_size

    def forward(self, input: Tensor) -> Tensor:
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}, " + super().extra_repr()
