"""torch.autograd.Variable: the legacy wrapper, which in PyTorch today just makes a Tensor."""

from __future__ import annotations

import warnings
from typing import Any

from ..core.tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:  # every Tensor is a Variable, as in PyTorch
        return isinstance(other, Tensor)


class Variable(metaclass=_VariableMeta):
    """Variable(tensor, requires_grad=False) returns a Tensor sharing tensor's memory, with no history."""

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False) -> Tensor:  # type: ignore[misc]
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
        if data is None:
            data = Tensor([])
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        return Tensor._make(data.array, False).requires_grad_(requires_grad)
