"""PyTorch's random tensor functions beyond the constructors: *_like, normal, bernoulli, multinomial,
and the in-place fills random_, exponential_ and bernoulli_ (Tensor methods in PyTorch).

They draw with core/random.py's samplers, so after the same seed their values are PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..device import check_device
from ..dtypes import to_numpy_dtype
from ..engine import Tensor
from . import random

__all__ = [
    "bernoulli", "bernoulli_", "exponential_", "multinomial", "normal", "rand_like", "randint_like", "randn_like",
    "random_",
]


def _array(x: Any) -> np.ndarray:
    return x.array if isinstance(x, Tensor) else np.asarray(x)


def _new(values: np.ndarray, device: Any = None, requires_grad: bool = False) -> Tensor:
    if device is not None:
        check_device(device)
    return Tensor._make(values, False).requires_grad_(requires_grad)


def _like_dtype(input: Tensor, dtype: Any) -> np.dtype:
    return np.dtype(to_numpy_dtype(dtype)) if dtype is not None else _array(input).dtype


def rand_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
              generator: Any = None) -> Tensor:
    """rand with input's shape and dtype."""
    values = random.uniform(tuple(input.shape), dtype=_like_dtype(input, dtype), generator=generator)
    return _new(values, device, requires_grad)


def randn_like(input: Tensor, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
               generator: Any = None) -> Tensor:
    """randn with input's shape and dtype."""
    values = random.normal(tuple(input.shape), dtype=_like_dtype(input, dtype), generator=generator)
    return _new(values, device, requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False, generator: Any = None) -> Tensor:
    """randint with input's shape and dtype: randint_like(x, high) or randint_like(x, low, high)."""
    if high is None:
        low, high = 0, low
    values = random.randint(tuple(input.shape), low, high, _like_dtype(input, dtype), generator)
    return _new(values, device, requires_grad)


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *, generator: Any = None, dtype: Any = None,
           device: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples of N(mean, std²); mean and std may be tensors (broadcast together), as in torch.normal.

    PyTorch's order of operations: with a tensor std, N(0, 1) samples times std plus mean; with a
    tensor mean and a number std, N(0, std) samples plus mean.
    """
    mean_is_tensor, std_is_tensor = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not (mean_is_tensor or std_is_tensor):
        if size is None:
            raise TypeError("normal(mean, std, size): size is required when mean and std are numbers")
        shape = tuple(size) if isinstance(size, list | tuple) else (int(size),)
        np_dtype = np.dtype(np.float32) if dtype is None else np.dtype(to_numpy_dtype(dtype))
        return _new(random.normal(shape, float(mean), float(std), np_dtype, generator), device, requires_grad)
    m, s = _array(mean), _array(std)
    if std_is_tensor and (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    out_dtype = m.dtype if mean_is_tensor else s.dtype
    shape = np.broadcast_shapes(m.shape, s.shape)
    if std_is_tensor:
        values = random.normal(shape, 0.0, 1.0, out_dtype, generator)
        values = values * s.astype(out_dtype) + np.asarray(m, dtype=out_dtype)
    else:
        values = random.normal(shape, 0.0, float(std), out_dtype, generator) + m
    return _new(np.asarray(values, dtype=out_dtype), device, requires_grad)


def bernoulli(input: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    """0/1 samples in input's dtype: with probability input (elementwise), or p when given."""
    probs = _array(input)
    keep = random.bernoulli(probs if p is None else float(p), probs.shape, generator)
    return _new(keep.astype(probs.dtype))


def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Indices (int64) drawn from each row of input's non-negative weights, as torch.multinomial."""
    return _new(random.multinomial(_array(input), int(num_samples), replacement, generator))


def _fill(self: Tensor, name: str, values: np.ndarray) -> Tensor:
    return self._inplace(name, lambda old: Tensor._replaced(old, values))


def random_(self: Tensor, *args: int, generator: Any = None, **kwargs: Any) -> Tensor:
    """Tensor.random_(): integers in [0, max of the dtype] ([0, 2**mantissa] for floats); random_(to) in
    [0, to); random_(from, to) in [from, to); random_(from, None) in [from, max]."""
    if len(args) > 2:
        raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
    bounds = dict(zip(("from", "to"), args, strict=True)) if len(args) == 2 else {"to": args[0]} if args else {}
    bounds.update(kwargs)
    if set(bounds) - {"from", "to"}:
        raise TypeError(f"random_() got unexpected keyword arguments {sorted(set(bounds) - {'from', 'to'})}")
    low, high = bounds.get("from", 0), bounds.get("to")
    dtype, shape = _array(self).dtype, tuple(self.shape)
    if high is None:
        if "from" not in bounds:
            return _fill(self, "random_", random.random_full(shape, dtype, generator))
        top = 2 ** random._FLOAT_DIGITS[dtype] if dtype.kind == "f" else int(np.iinfo(dtype).max)
        high = top + 1
    return _fill(self, "random_", random.randint(shape, int(low), int(high), dtype, generator))


def exponential_(self: Tensor, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
    """Tensor.exponential_: fill with Exp(lambd) samples."""
    values = random.exponential(tuple(self.shape), lambd, _array(self).dtype, generator)
    return _fill(self, "exponential_", values)


def bernoulli_(self: Tensor, p: Any = 0.5, *, generator: Any = None) -> Tensor:
    """Tensor.bernoulli_: fill with 0/1, 1 with probability p (a number, or a tensor broadcast to this shape)."""
    shape = tuple(self.shape)
    probs = _array(p) if isinstance(p, Tensor) else float(p)
    keep = random.bernoulli(probs, shape, generator)
    return _fill(self, "bernoulli_", keep.astype(_array(self).dtype))
