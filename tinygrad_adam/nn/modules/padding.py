"""The 2-D padding layers: ZeroPad2d, ConstantPad2d, ReflectionPad2d, ReplicationPad2d (F.pad with a mode)."""

from __future__ import annotations

from collections.abc import Sequence

from ...core.tensor import Tensor
from .. import functional as F
from ..module import Module


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
        return F.pad(input, self.padding, mode=self.mode)

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
        return F.pad(input, self.padding, value=self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"
