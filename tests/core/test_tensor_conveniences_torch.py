"""Tensor.new_* / type_as / apply_ / element_size / itemsize / nbytes / requires_grad_ against torch 2.13."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

CALLS: dict[str, Callable[[Any, Any], Any]] = {
    "new_tensor list": lambda lib, x: x.new_tensor([1, 2, 3]),
    "new_tensor float data": lambda lib, x: x.new_tensor([[1.5, -2.0]]),
    "new_tensor dtype": lambda lib, x: x.new_tensor([1, 2], dtype=lib.int64),
    "new_tensor requires_grad": lambda lib, x: x.new_tensor([1.0], requires_grad=True),
    "new_zeros sizes": lambda lib, x: x.new_zeros(2, 3),
    "new_zeros tuple": lambda lib, x: x.new_zeros((4,)),
    "new_ones": lambda lib, x: x.new_ones(5, 3, dtype=lib.float64),
    "new_ones list": lambda lib, x: x.new_ones([2, 2]),
    "new_full": lambda lib, x: x.new_full((2, 2), 3),
    "new_full float": lambda lib, x: x.new_full((3,), 2.5, requires_grad=True),
    "new_empty": lambda lib, x: x.new_empty(2, 0).shape,
    "type_as": lambda lib, x: lib.tensor([1, 2]).type_as(x),
    "type_as same": lambda lib, x: x.type_as(x) is x,
    "element_size": lambda lib, x: (x.element_size(), x.itemsize, x.nbytes),
    "element_size bool": lambda lib, x: (lib.ones(3, dtype=lib.bool).element_size(), lib.ones(3).nbytes),
    "requires_grad_": lambda lib, x: lib.ones(2).requires_grad_().requires_grad,
    "requires_grad_ false": lambda lib, x: lib.ones(2, requires_grad=True).requires_grad_(False).requires_grad,
}


def _describe(v: Any) -> Any:
    if isinstance(v, tg.Tensor | torch.Tensor):
        return str(v.dtype).replace("tinygrad_adam", "torch"), tuple(v.shape), v.requires_grad, v.is_leaf, \
            np.asarray(v.detach().numpy()).tolist()
    if isinstance(v, tuple) or type(v).__name__ == "Size":
        return tuple(v)
    return v


# int32 inputs leave out the calls that make a tensor require grad (integer tensors cannot) or fill in a float
CASES = [(label, dtype) for label in CALLS for dtype in ("float32", "float64", "int32")
         if dtype != "int32" or not ("requires_grad" in label or "float" in label)]


@pytest.mark.parametrize(("label", "dtype"), CASES)
def test_conveniences_give_what_torch_gives(label: str, dtype: str) -> None:
    data = np.arange(6, dtype=dtype).reshape(2, 3)
    ours = CALLS[label](tg, tg.tensor(data))
    theirs = CALLS[label](torch, torch.tensor(data))
    if label == "new_empty":
        assert tuple(ours) == tuple(theirs)
        return
    assert _describe(ours) == _describe(theirs)


def test_apply_changes_in_place_as_torch_does() -> None:
    for lib in (tg, torch):
        x = lib.tensor(np.array([1.0, -2.0, 3.0], np.float32))
        y = x[1:]
        assert x.apply_(lambda v: v * 10 + 1) is x
        assert x.tolist() == [11.0, -19.0, 31.0] and y.tolist() == [-19.0, 31.0]  # same memory
        ints = lib.tensor(np.array([1, 2, 3]))
        assert ints.apply_(lambda v: v * 2.7).tolist() == [2, 5, 8]  # stored in the tensor's dtype
