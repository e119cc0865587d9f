"""PyTorch's tensor constructors: tensor, zeros, ones, full, rand, randn, randint, arange, linspace, eye, ...

Floating-point results have the default dtype (float32 unless torch.set_default_dtype changed it) unless a
dtype is given, integer ones int64, as in PyTorch.
Random ones draw from the default generator (`manual_seed`) or from `generator=` (a `Generator`), with
PyTorch's algorithms (core/random.py), so that they give PyTorch's numbers for the same seed.
`device` is accepted for the CPU only (see device.py).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import checks, dtypes
from . import random as _random
from .device import check_device
from .dtypes import to_numpy_dtype
from .out import with_out
from .tensor import Tensor, _to_array


def _finish(array: np.ndarray, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    if device is not None:
        check_device(device)
    if dtype is not None:
        array = array.astype(to_numpy_dtype(dtype), copy=False)
    return Tensor._make(array, False).requires_grad_(requires_grad)


def _dtype_or_default(dtype: Any) -> np.dtype:
    return dtypes.default_float if dtype is None else np.dtype(to_numpy_dtype(dtype))


def _size(op: str, size: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int, ...]:
    """The shape of a creation function, given as f(2, 3), f((2, 3)) or f(size=(2, 3)), checked."""
    if "size" in kwargs:
        size = (kwargs.pop("size"),)
    if kwargs:
        raise TypeError(f"{op}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return checks.shape_arg(op, size, allow_empty=False)


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor holding a copy of `data` (Python floats take the default dtype, ints int64)."""
    if device is not None:
        check_device(device)
    if isinstance(data, list | tuple) and any(isinstance(d, Tensor) for d in data):
        data = [d.array if isinstance(d, Tensor) else d for d in data]
    try:
        array = _to_array(data, dtype)
    except ValueError as e:  # ragged lists
        raise ValueError(f"expected a rectangular sequence of numbers: {str(e).split(';')[0]}") from None
    return Tensor._make(array, False).requires_grad_(requires_grad)


def as_tensor(data: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """`data` as a tensor, sharing memory with a NumPy array or Tensor when no conversion is needed."""
    if isinstance(data, Tensor):
        return data if dtype is None else data.astype(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or to_numpy_dtype(dtype) == data.dtype):
        return _finish(data, None, device, False)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing `ndarray`'s memory (changes to one show in the other)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return Tensor._make(ndarray, False) if ndarray.dtype.kind in "biuf" else Tensor(ndarray)


@with_out(factory=True)
def zeros(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          **kwargs: Any) -> Tensor:
    return _finish(np.zeros(_size("zeros", size, kwargs), dtype=_dtype_or_default(dtype)), None, device, requires_grad)


@with_out(factory=True)
def ones(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
         **kwargs: Any) -> Tensor:
    return _finish(np.ones(_size("ones", size, kwargs), dtype=_dtype_or_default(dtype)), None, device, requires_grad)


@with_out(factory=True)
def empty(*size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
          **kwargs: Any) -> Tensor:
    """Uninitialised values, as in PyTorch (here: whatever NumPy's empty gives)."""
    return _finish(np.empty(_size("empty", size, kwargs), dtype=_dtype_or_default(dtype)), None, device, requires_grad)


@with_out(factory=True)
def full(size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """`fill_value` everywhere; its type gives the dtype when none is given (a float: the default dtype)."""
    if not isinstance(fill_value, int | float | np.number) and not isinstance(fill_value, Tensor):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}")
    inferred = np.asarray(fill_value).dtype
    base = dtypes.default_float if inferred.kind == "f" else np.int64 if inferred.kind in "iu" else inferred
    if isinstance(fill_value, Tensor):
        return _finish(np.full(checks.shape_arg("full", (size,)), fill_value, dtype=base), dtype, device,
                       requires_grad)
    return _finish(_filled(checks.shape_arg("full", (size,)), fill_value, base if dtype is None else
                           to_numpy_dtype(dtype)), None, device, requires_grad)


def zeros_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.zeros_like(np.asarray(input)), dtype, device, requires_grad)


def ones_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.ones_like(np.asarray(input)), dtype, device, requires_grad)


def empty_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    return _finish(np.empty_like(np.asarray(input)), dtype, device, requires_grad)


def full_like(input: Tensor, fill_value: Any, *, dtype: Any = None, device: Any = None,
              requires_grad: bool = False) -> Tensor:
    if isinstance(fill_value, Tensor):
        return _finish(np.full_like(np.asarray(input), fill_value), dtype, device, requires_grad)
    array = np.asarray(input)
    return _finish(_filled(array.shape, fill_value, array.dtype if dtype is None else to_numpy_dtype(dtype)), None,
                   device, requires_grad)


def _filled(shape: tuple[int, ...], value: Any, dtype: Any) -> np.ndarray:
    """`value` (a number PyTorch's range check lets through) everywhere, converted to dtype as a C cast would."""
    checks.fits(value, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.full(shape, np.array(value).astype(dtype))


@with_out(factory=True)
def rand(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
         requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """Uniform samples from [0, 1), PyTorch's for the same generator state."""
    values = _random.uniform(_size("rand", size, kwargs), dtype=_dtype_or_default(dtype), generator=generator)
    return _finish(values, None, device, requires_grad)


@with_out(factory=True)
def randn(*size: Any, generator: Any = None, dtype: Any = None, device: Any = None,
          requires_grad: bool = False, **kwargs: Any) -> Tensor:
    """Standard normal samples, PyTorch's for the same generator state."""
    values = _random.normal(_size("randn", size, kwargs), dtype=_dtype_or_default(dtype), generator=generator)
    return _finish(values, None, device, requires_grad)


@with_out(factory=True)
def randint(low: int = 0, high: Any = None, size: Any = None, *, generator: Any = None,
            dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """Integers from [low, high) (int64), PyTorch's for the same generator state.

    randint(high, size) and randint(high, size=size) start at 0, as in PyTorch.
    """
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None:  # randint(high, size=size)
        low, high = 0, low
    if high is None or size is None:
        raise TypeError("randint(low=0, high, size): high and size are required")
    low, high = checks.integer("randint", "low", low), checks.integer("randint", "high", high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    np_dtype = np.dtype(np.int64) if dtype is None else np.dtype(to_numpy_dtype(dtype))
    values = _random.randint(checks.shape_arg("randint", (size,)), int(low), int(high), np_dtype, generator)
    return _finish(values, None, device, requires_grad)


@with_out(factory=True)
def randperm(n: int, *, generator: Any = None, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """A random permutation of range(n) (int64), PyTorch's for the same generator state."""
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    np_dtype = np.dtype(np.int64) if dtype is None else np.dtype(to_numpy_dtype(dtype))
    return _finish(_random.randperm(int(n), np_dtype, generator), None, device, requires_grad)


@with_out(factory=True)
def arange(start: float = 0, end: float | None = None, step: float = 1, *, dtype: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """[start, end) by step; int64 when all three are integers, else the default dtype."""
    if end is None:
        start, end = 0, start
    for name, value in (("start", start), ("end", end), ("step", step)):
        if not isinstance(value, int | float | np.number):
            raise TypeError(f"arange(): argument '{name}' must be Number, not {type(value).__name__}")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    integral = all(isinstance(v, int | np.integer) for v in (start, end, step))
    count = max(0, math.ceil((end - start) / step))
    result = np.dtype(np.int64) if integral and dtype is None else _dtype_or_default(dtype)
    if result.kind != "f":  # PyTorch truncates start and step to the integer type; the count is the double one
        if int(step) == 0:
            raise ValueError("step must be nonzero")
        values = int(start) + np.arange(count, dtype=np.int64) * int(step)
        return _finish(values.astype(result), None, device, requires_grad)
    return _finish(_arange_values(float(start), float(step), count, result), None, device, requires_grad)


def _arange_values(start: float, step: float, count: int, dtype: np.dtype) -> np.ndarray:
    """PyTorch's CPU arange kernel for floats (AVX2, one thread's chunk: all of it up to 32768 values): in
    blocks of two vectors (8 float32 or 4 float64 lanes each), a lane is base + lane * step with base =
    start + step * (block start) rounded to the dtype; the rest start + step * i. Both are multiply-adds in double
    that the build fuses (emulated in long double), rounded to the dtype."""
    lanes = 32 // dtype.itemsize
    accumulate = np.float32 if dtype.itemsize < 4 else np.float64  # at::acc_type on the CPU
    start, step = accumulate(start), np.longdouble(accumulate(step))
    index = np.arange(count)
    values = (step * index + np.longdouble(start)).astype(accumulate).astype(dtype)
    vectorized = count // (2 * lanes) * (2 * lanes)
    if vectorized:
        base = values[:vectorized:lanes].astype(np.longdouble)
        block = step * np.arange(lanes) + base[:, None]
        values[:vectorized] = block.astype(accumulate).astype(dtype).reshape(-1)
    return values


def _linspace_values(start: float, end: float, steps: int, dtype: np.dtype) -> np.ndarray:
    """PyTorch's CPU linspace kernel: start + step * i for the first half, end - step * (steps - 1 - i) for the
    rest. Float32/64: a multiply-add that the build fuses, emulated in long double (exact while the index has at
    most 11 bits: up to 4097 steps in float64). Integers: start and end truncated, the step in double, each value
    truncated. Float16: every operation rounded to half, as c10::Half's operators do."""
    if dtype.kind in "iub":
        first, last = np.float64(math.trunc(start)), np.float64(math.trunc(end))
    else:
        first, last = dtype.type(start), dtype.type(end)
    if steps == 1:
        return np.array([first]).astype(dtype)
    index = np.arange(steps)
    ahead = index < steps // 2
    if dtype == np.float16:
        step = (last - first) / np.float16(steps - 1)
        before, after = index.astype(np.float16), (steps - 1 - index).astype(np.float16)
        return np.where(ahead, first + step * before, last - step * after).astype(np.float16)
    step = np.longdouble((last - first) / first.dtype.type(steps - 1))
    values = np.where(ahead, np.longdouble(first) + step * index, np.longdouble(last) - step * (steps - 1 - index))
    return values.astype(first.dtype).astype(dtype)


@with_out(factory=True)
def linspace(start: float, end: float, steps: int, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """`steps` evenly spaced values from start to end, both included (the default dtype), PyTorch's values."""
    steps = checks.integer("linspace", "steps", steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return _finish(_linspace_values(start, end, steps, _dtype_or_default(dtype)), None, device, requires_grad)


@with_out(factory=True)
def logspace(start: float, end: float, steps: int, base: float = 10.0, *, dtype: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """base ** v for `steps` evenly spaced v from start to end (the default dtype)."""
    steps = checks.integer("logspace", "steps", steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    result = _dtype_or_default(dtype)
    # PyTorch's loop: start and end in the dtype, then in double (unfused) start + step * i for the first half,
    # end - step * (steps - 1 - i) for the rest, and std::pow(base, that)
    first, last = (result.type(start), result.type(end)) if result.kind == "f" else (math.trunc(start), math.trunc(end))
    index = np.arange(steps)
    step = float(result.type(last - first)) / (steps - 1) if steps > 1 else 0.0
    exponents = np.where(index < steps // 2, float(first) + step * index, float(last) - step * (steps - 1 - index))
    if steps == 1:
        exponents = np.array([float(start)])
    return _finish(np.power(float(base), exponents).astype(result), None, device, requires_grad)


def scalar_tensor(s: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """A 0-dim tensor holding `s`, in the default dtype unless `dtype` says otherwise (also for an int)."""
    return _finish(np.array(s, dtype=_dtype_or_default(dtype)), None, device, requires_grad)


@with_out(factory=True)
def eye(n: int, m: int | None = None, *, dtype: Any = None, device: Any = None,
        requires_grad: bool = False) -> Tensor:
    if n < 0 or m is not None and m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}" if n < 0 else
                           f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_dtype_or_default(dtype)), None, device, requires_grad)
