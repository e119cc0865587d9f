"""PyTorch's legacy typed constructors: torch.FloatTensor, torch.LongTensor, ...

`torch.FloatTensor([1, 2])` is a float32 tensor, `torch.LongTensor(2, 3)` a (2, 3) int64 one, and
`isinstance(t, torch.FloatTensor)` asks for a float32 Tensor, as in PyTorch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks
from .dtypes import bool_, float16, float32, float64, int8, int16, int32, int64, legacy_type_name, uint8
from .dtypes import dtype as dtype_class
from .tensor import Tensor


class _LegacyType(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.array.dtype == cls.dtype.dtype  # type: ignore[attr-defined]

    def __call__(cls, *data: Any) -> Tensor:  # type: ignore[override]
        target = cls.dtype.dtype  # type: ignore[attr-defined]
        if len(data) == 1 and not isinstance(data[0], int | np.integer) or len(data) == 1 and \
                isinstance(data[0], bool):
            value = data[0]
            if isinstance(value, float | int):
                raise TypeError(f"new(): data must be a sequence (got {type(value).__name__})")
            source = np.asarray(value.array if isinstance(value, Tensor) else value)
            if target.kind in "iu" and source.dtype.kind == "f" and source.size and (
                    source.min() < np.iinfo(target).min or source.max() > np.iinfo(target).max):
                raise RuntimeError(f"value cannot be converted to type {target} without overflow")
            return Tensor._make(np.array(source, dtype=target), False)
        shape = checks.shape_arg(cls.__name__, data) if data else (0,)
        return Tensor._make(np.zeros(shape, dtype=target), False)

    def __repr__(cls) -> str:
        return f"<class '{legacy_type_name(cls.dtype)}'>"  # type: ignore[attr-defined]


def _legacy(d: dtype_class) -> type:
    name = legacy_type_name(d).removeprefix("torch.")
    return _LegacyType(name, (), {"dtype": d, "__doc__": f"torch.{name}: the legacy constructor of {d} tensors."})


FloatTensor = _legacy(float32)
DoubleTensor = _legacy(float64)
HalfTensor = _legacy(float16)
ByteTensor = _legacy(uint8)
CharTensor = _legacy(int8)
ShortTensor = _legacy(int16)
IntTensor = _legacy(int32)
LongTensor = _legacy(int64)
BoolTensor = _legacy(bool_)
