"""Unfold and Fold: sliding local blocks of a batched image as columns (F.unfold, im2col) and back (F.fold)."""

from __future__ import annotations

from .. import functional as F
from .._checks import IntPair, pair
from .arguments import ShowsArguments


def _check_window(layer: str, kernel_size: IntPair, dilation: IntPair, padding: IntPair, stride: IntPair) -> None:
    for name, value, minimum in (("kernel_size", kernel_size, 1), ("dilation", dilation, 1),
                                 ("padding", padding, 0), ("stride", stride, 1)):
        pair(value, name, layer, minimum)


class Unfold(ShowsArguments, function=F.unfold):
    """The sliding blocks of (N, C, H, W) as columns (N, C·kH·kW, L) (see functional.unfold)."""

    def __init__(self, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0, stride: IntPair = 1):
        _check_window("Unfold", kernel_size, dilation, padding, stride)
        super().__init__(kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride)


class Fold(ShowsArguments, function=F.fold):
    """Columns (N, C·kH·kW, L) summed back into (N, C, H, W) of output_size (see functional.fold)."""

    def __init__(self, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0,
                 stride: IntPair = 1):
        _check_window("Fold", kernel_size, dilation, padding, stride)
        pair(output_size, "output_size", "Fold")
        super().__init__(output_size=output_size, kernel_size=kernel_size, dilation=dilation, padding=padding,
                         stride=stride)
