"""PyTorch's dtype names (`float32`, `long`, ...) and its type-promotion rules, over NumPy dtypes.

A `dtype` prints as PyTorch's (`torch.float32`), compares equal to the NumPy dtype it stands for
(`t.dtype == np.float32` and `t.dtype == torch.float32` both hold) and can be passed to any NumPy
function that takes a dtype (it has a `.dtype` attribute, which NumPy accepts).

Promotion follows `torch.result_type`: the operand of the higher category (bool < integer < float)
decides the kind; Python numbers and 0-dim tensors never widen a dimensioned tensor of their own
category (`float32 tensor * 2.0` stays float32, `float32 tensor * int64 tensor` is float32); an integer
tensor meeting a float number gives the default dtype.

The default dtype (float32 until `set_default_dtype` changes it) is what Python floats become and what every
float result made from nothing float (`zeros`, `int / int`, `exp` of an int tensor, layers' parameters) has.
Code reads it as `dtypes.default_float` (a NumPy dtype) or `get_default_dtype()`, never by importing the name,
which `set_default_dtype` rebinds.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy as np


class dtype:  # noqa: N801 - PyTorch's name
    """A tensor element type: PyTorch's name for one NumPy dtype."""

    __slots__ = ("dtype", "name")

    def __init__(self, numpy_dtype: Any, name: str):
        self.dtype = np.dtype(numpy_dtype)
        self.name = name

    @property
    def is_floating_point(self) -> builtins.bool:
        return self.dtype.kind == "f"

    @property
    def is_signed(self) -> builtins.bool:
        return self.dtype.kind in "fi"

    @property
    def kind(self) -> str:
        return self.dtype.kind

    @property
    def itemsize(self) -> builtins.int:
        return self.dtype.itemsize

    def __eq__(self, other: object) -> builtins.bool:
        if isinstance(other, dtype):
            return self.dtype == other.dtype
        try:
            return self.dtype == np.dtype(other)  # type: ignore[arg-type]
        except TypeError:
            return NotImplemented

    def __hash__(self) -> builtins.int:
        return hash(self.dtype)

    def __repr__(self) -> str:
        return f"torch.{self.name}"


float16 = dtype(np.float16, "float16")
float32 = dtype(np.float32, "float32")
float64 = dtype(np.float64, "float64")
uint8 = dtype(np.uint8, "uint8")
int8 = dtype(np.int8, "int8")
int16 = dtype(np.int16, "int16")
int32 = dtype(np.int32, "int32")
int64 = dtype(np.int64, "int64")
bool_ = dtype(np.bool_, "bool")

_BY_NUMPY: dict[np.dtype, dtype] = {
    d.dtype: d for d in (float16, float32, float64, uint8, int8, int16, int32, int64, bool_)
}
_PYTHON_TYPES: dict[type, dtype] = {builtins.float: float64, builtins.int: int64, builtins.bool: bool_}


def from_numpy_dtype(numpy_dtype: np.dtype) -> dtype:
    """The `dtype` object for a NumPy dtype (made on first use for dtypes PyTorch lacks a name for)."""
    found = _BY_NUMPY.get(numpy_dtype)
    if found is None:
        found = _BY_NUMPY[numpy_dtype] = dtype(numpy_dtype, np.dtype(numpy_dtype).name)
    return found


class unavailable_dtype:  # noqa: N801 - beside PyTorch's dtype
    """A PyTorch dtype that NumPy has no type for (bfloat16): programs may name it (nanoGPT's dtype table does),
    and anything that would make a tensor of it raises TypeError."""

    __slots__ = ("name",)
    is_floating_point = True

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


bfloat16 = unavailable_dtype("bfloat16")


def to_numpy_dtype(value: Any) -> np.dtype:
    """NumPy dtype for a `dtype`, a NumPy dtype or type, or a Python type (float means float64, as in PyTorch)."""
    if isinstance(value, dtype):
        return value.dtype
    if isinstance(value, unavailable_dtype):
        raise TypeError(f"torch.{value.name} is not supported: NumPy has no {value.name} type (use torch.float32)")
    if value in _PYTHON_TYPES:
        return _PYTHON_TYPES[value].dtype
    try:
        return np.dtype(value)
    except TypeError as e:
        raise TypeError(f"not a dtype: {value!r} (use e.g. torch.float32 or torch.long)") from e


_LEGACY_NAMES = {"float32": "FloatTensor", "float64": "DoubleTensor", "float16": "HalfTensor", "uint8": "ByteTensor",
                 "int8": "CharTensor", "int16": "ShortTensor", "int32": "IntTensor", "int64": "LongTensor",
                 "bool": "BoolTensor"}


def legacy_type_name(d: dtype) -> str:
    """PyTorch's Tensor.type() answer, e.g. 'torch.FloatTensor'."""
    return f"torch.{_LEGACY_NAMES.get(d.name, d.name)}"


def from_legacy_type_name(name: str) -> dtype:
    """The dtype for 'torch.FloatTensor', 'torch.LongTensor', ... (Tensor.type's string form)."""
    for d in (float16, float32, float64, uint8, int8, int16, int32, int64, bool_):
        if name in (legacy_type_name(d), legacy_type_name(d).removeprefix("torch."), repr(d)):
            return d
    raise ValueError(f"invalid type: {name!r}")


default_float: np.dtype = float32.dtype
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}
_DEFAULT_FOR_CATEGORY = {0: np.dtype(np.bool_), 1: np.dtype(np.int64), 2: default_float}


def get_default_dtype() -> dtype:
    """The dtype of floating-point data given without a dtype: float32 unless `set_default_dtype` changed it."""
    return _BY_NUMPY[default_float]


def set_default_dtype(d: dtype, /) -> None:
    """Make `d` (float16, float32 or float64) the dtype of Python floats and of new float tensors, as
    torch.set_default_dtype does; anything else raises PyTorch's TypeError."""
    global default_float
    if not isinstance(d, dtype | np.dtype) and not (isinstance(d, type) and issubclass(d, np.generic)):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    chosen = np.dtype(d.dtype if isinstance(d, dtype) else d)
    if chosen not in (float16.dtype, float32.dtype, float64.dtype):
        raise TypeError("only floating-point types are supported as the default type")
    default_float = _DEFAULT_FOR_CATEGORY[2] = chosen


def _operand(x: Any) -> tuple[np.dtype, builtins.int, builtins.int]:
    """(dtype, category, priority): a dimensioned array counts most, a 0-dim array less, a number least."""
    if isinstance(x, np.ndarray):
        return x.dtype, _CATEGORY[x.dtype.kind], 2 if x.ndim else 1
    d = np.asarray(x).dtype
    return d, _CATEGORY[d.kind], 0


def result_type(a: Any, b: Any) -> np.dtype:
    """The dtype of `a op b` under PyTorch's rules, for arrays and Python/NumPy numbers."""
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.dtype == b.dtype:
        return a.dtype
    return common_dtype(a, b)


def common_dtype(*operands: Any) -> np.dtype:
    """The dtype of an op over all the operands under PyTorch's rules: the highest category (bool, integer,
    float) decides; within it dimensioned arrays count before 0-dim arrays, and those before numbers (which
    give the category's default dtype)."""
    described = [_operand(x) for x in operands]
    top = max((c, p) for _, c, p in described)
    if not top[1]:
        return _DEFAULT_FOR_CATEGORY[top[0]]
    chosen = [d for d, c, p in described if (c, p) == top]
    out = chosen[0]
    for d in chosen[1:]:
        out = np.promote_types(out, d)
    return out


def promote_types(type1: Any, type2: Any) -> dtype:
    """torch.promote_types: the smallest dtype both fit in; a float beats any integer, an integer beats bool
    (int64 with float16 is float16, where NumPy says float64)."""
    a, b = to_numpy_dtype(type1), to_numpy_dtype(type2)
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    return from_numpy_dtype(a if ca > cb else b if cb > ca else np.promote_types(a, b))


def can_cast(from_: Any, to: Any) -> builtins.bool:
    """torch.can_cast: False only from a float to an integer or bool, or from an integer to bool."""
    return _CATEGORY[to_numpy_dtype(from_).kind] <= _CATEGORY[to_numpy_dtype(to).kind]


class finfo:  # noqa: N801 - PyTorch's name
    """torch.finfo: the limits of a floating dtype (the default dtype when none is given)."""

    def __init__(self, type: Any = None):  # noqa: A002 - PyTorch's argument name
        d = default_float if type is None else np.dtype(to_numpy_dtype(type))
        if d.kind != "f":
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = np.finfo(d)
        self.bits, self.dtype = info.bits, d.name
        self.eps, self.max, self.min = builtins.float(info.eps), builtins.float(info.max), builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -info.precision

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, eps={self.eps:g}, "
                f"smallest_normal={self.smallest_normal:g}, tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:  # noqa: N801 - PyTorch's name
    """torch.iinfo: the limits of an integer dtype."""

    def __init__(self, type: Any):  # noqa: A002 - PyTorch's argument name
        d = np.dtype(to_numpy_dtype(type))
        if d.kind not in "iu":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(d)
        self.bits, self.max, self.min, self.dtype = info.bits, builtins.int(info.max), builtins.int(info.min), d.name

    def __repr__(self) -> str:
        return f"iinfo(min={builtins.float(self.min):g}, max={builtins.float(self.max):g}, dtype={self.dtype})"


# PyTorch's short names
half = float16
float = float32  # noqa: A001
double = float64
short = int16
int = int32  # noqa: A001
long = int64
bool = bool_  # noqa: A001
