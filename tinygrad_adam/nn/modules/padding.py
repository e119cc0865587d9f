"""The padding layers: Zero, Constant, Reflection, Replication and Circular padding of the last 1, 2 or 3 dims
(F.pad with a mode). Each family is one class; its 1-D, 2-D and 3-D layers differ only in `dims`."""

from __future__ import annotations

from collections.abc import Sequence

from ...core.tensor import Tensor
from .. import functional as F
from ..module import Module


class _PadNd(Module):
    """Padding of the last `dims` dims: padding is one int or 2·dims ints, the last dim's (left, right) first."""

    mode = "constant"
    dims = 2
    value: float | None = None  # the constant layers set their fill value; the other modes take none

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


class _ConstantPadNd(_PadNd):
    def __init__(self, padding: int | Sequence[int], value: float):
        super().__init__(padding)
        self.value = value

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: int | Sequence[int]):
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ReflectionPadNd(_PadNd):
    mode = "reflect"


class _ReplicationPadNd(_PadNd):
    mode = "replicate"


class _CircularPadNd(_PadNd):
    mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        if input.ndim not in (self.dims + 1, self.dims + 2):  # PyTorch's CircularPad layers check, as F.pad does not
            raise ValueError(f"expected {self.dims + 1}D or {self.dims + 2}D input (got {input.ndim}D input)")
        return super().forward(input)


def _layers(family: type[_PadNd], name: str) -> tuple[type, ...]:
    """The 1-D, 2-D and 3-D layers of a padding family, e.g. ReflectionPad1d, ReflectionPad2d, ReflectionPad3d."""
    return tuple(type(f"{name}{d}d", (family,), {"dims": d, "__module__": __name__, "__qualname__": f"{name}{d}d"})
                 for d in (1, 2, 3))


ConstantPad1d, ConstantPad2d, ConstantPad3d = _layers(_ConstantPadNd, "ConstantPad")
ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = _layers(_ReflectionPadNd, "ReflectionPad")
ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = _layers(_ReplicationPadNd, "ReplicationPad")
CircularPad1d, CircularPad2d, CircularPad3d = _layers(_CircularPadNd, "CircularPad")
ZeroPad1d, ZeroPad2d, ZeroPad3d = (
    type(f"ZeroPad{d}d", (_ZeroPadNd, constant), {"__module__": __name__, "__qualname__": f"ZeroPad{d}d"})
    for d, constant in ((1, ConstantPad1d), (2, ConstantPad2d), (3, ConstantPad3d)))
