"""The padding layers: Zero, Constant, Reflection, Replication and Circular padding of the last 1, 2 or 3 dims
(F.pad with a mode)."""

from __future__ import annotations

from collections.abc import Sequence

from ...core.tensor import Tensor
from .. import functional as F
from ..module import Module


class _Pad2d(Module):
    """Padding layers of (N, C, H, W) or (C, H, W): padding is one int or (left, right, top, bottom); the 1-D
    and 3-D layers set `dims` (padding: 2 or 6 ints, the last dim's pair first)."""

    mode = "constant"
    dims = 2
    value: float | None = None  # ConstantPad sets its fill value; the other modes take none

    def __init__(self, padding: int | Sequence[int]):
        super().__init__()
        sides = (padding,) * (2 * self.dims) if isinstance(padding, int) else tuple(padding)
        if len(sides) != 2 * self.dims or not all(isinstance(p, int) for p in sides):
            raise ValueError(f"{type(self).__name__}: padding must be an int or {2 * self.dims} ints, got {padding!r}")
        self.padding = sides

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, mode=self.mode, value=self.value)

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

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class CircularPad2d(_Pad2d):
    mode = "circular"


def _other_dims(base: type[_Pad2d], name: str, dims: int) -> type[_Pad2d]:
    """The 1-D or 3-D form of a 2-D padding layer: the same padding over the last `dims` dims."""
    return type(name, (base,), {"dims": dims, "__module__": __name__, "__qualname__": name})


ZeroPad1d, ZeroPad3d = _other_dims(ZeroPad2d, "ZeroPad1d", 1), _other_dims(ZeroPad2d, "ZeroPad3d", 3)
ConstantPad1d = _other_dims(ConstantPad2d, "ConstantPad1d", 1)
ConstantPad3d = _other_dims(ConstantPad2d, "ConstantPad3d", 3)
ReflectionPad1d = _other_dims(ReflectionPad2d, "ReflectionPad1d", 1)
ReplicationPad1d = _other_dims(ReplicationPad2d, "ReplicationPad1d", 1)
CircularPad1d = _other_dims(CircularPad2d, "CircularPad1d", 1)
