"""PyTorch's random tensor functions beyond the constructors: *_like, normal, bernoulli, multinomial
(the in-place fills random_, exponential_, bernoulli_ are Tensor methods, in core/tensor.py).

They draw with core/random.py's samplers, so after the same seed their values are PyTorch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, dtypes, random
from .device import check_device
from .dtypes import to_numpy_dtype
from .out import with_out
from .tensor import Tensor

__all__ = ["bernoulli", "multinomial", "normal", "rand_like", "randint_like", "randn_like"]


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
    low, high = checks.integer("randint_like", "low", low), checks.integer("randint_like", "high", high)
    values = random.randint(tuple(input.shape), low, high, _like_dtype(input, dtype), generator)
    return _new(values, device, requires_grad)


@with_out(factory=True)
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
        np_dtype = dtypes.default_float if dtype is None else np.dtype(to_numpy_dtype(dtype))
        return _new(random.normal(shape, float(mean), float(std), np_dtype, generator), device, requires_grad)
    m, s = _array(mean), _array(std)
    if std_is_tensor and (s < 0).any():
        raise RuntimeError("normal expects all elements of std >= 0.0")
    out_dtype = m.dtype if mean_is_tensor else s.dtype
    shape = checks.broadcast_shapes(m.shape, s.shape)
    if std_is_tensor:
        values = random.normal(shape, 0.0, 1.0, out_dtype, generator)
        values = values * s.astype(out_dtype) + np.asarray(m, dtype=out_dtype)
    else:
        values = random.normal(shape, 0.0, float(std), out_dtype, generator) + m
    return _new(np.asarray(values, dtype=out_dtype), device, requires_grad)


@with_out
def bernoulli(input: Tensor, p: float | None = None, *, generator: Any = None) -> Tensor:
    """0/1 samples in input's dtype: with probability input (elementwise), or p when given."""
    return input.bernoulli(p, generator=generator)


@with_out
def multinomial(input: Tensor, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
    """Indices (int64) drawn from each row of input's non-negative weights, as torch.multinomial."""
    return input.multinomial(num_samples, replacement, generator=generator)
