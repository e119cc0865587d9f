"""Tensor conveniences of issue 25 that the Tensor class lacks: type_as, apply_, nbytes.

Written as functions of the tensor, to become Tensor methods (nbytes a property) when the engine is split:
    Tensor.type_as = type_as; Tensor.apply_ = apply_; Tensor.nbytes = property(nbytes)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .engine import Tensor


def type_as(self: Tensor, tensor: Tensor) -> Tensor:
    """This tensor cast to `tensor`'s dtype (itself when the dtypes agree); differentiable, as a cast."""
    return self.type(tensor.dtype)


def apply_(self: Tensor, callable: Callable[[Any], Any]) -> Tensor:
    """Replace each element x by callable(x), in place, one Python call per element (slow, as in PyTorch)."""
    if self.requires_grad:
        raise RuntimeError("Can't call apply_() on Variable that requires grad. Use var.detach().apply_() instead.")
    values = np.vectorize(callable, otypes=[self.array.dtype])(self.array) if self.array.size else self.array
    return self.copy_(Tensor(np.asarray(values, dtype=self.array.dtype)))


def nbytes(self: Tensor) -> int:
    """The bytes the elements take: numel() · element_size()."""
    return int(self.array.nbytes)
