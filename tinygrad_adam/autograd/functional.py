"""torch.autograd.functional: vjp, jacobian and jvp of a function of tensors, by the engine's backward walk.

The second-order functions (hessian, hvp, vhp) would differentiate a backward pass, which this engine does
not record (docs/pytorch.md, "Differences that remain"): they raise NotImplementedError, as create_graph=True does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import grad_mode
from ..core.engine import backpropagate
from ..core.tensor import Tensor

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _as_tuple(value: Any, what: str, fn_name: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(whether value was a tuple, its tensors as a tuple), with PyTorch's TypeError for anything else."""
    is_tuple = isinstance(value, tuple)
    values = value if is_tuple else (value,)
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            where = f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but the"
            raise TypeError(f"{where} value at index {i} has type {type(v)}." if is_tuple
                            else f"{where} given {what} has type {type(v)}.")
    return is_tuple, values


def _no_second_order(create_graph: bool, fn_name: str) -> None:
    if create_graph:
        raise NotImplementedError(f"{fn_name}(create_graph=True): higher-order gradients are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")


def _evaluate(func: Callable[..., Any], inputs: tuple[Tensor, ...], fn_name: str
              ) -> tuple[tuple[Tensor, ...], bool, tuple[Tensor, ...]]:
    """Fresh leaves that require grad, whether func returned a tuple, and its outputs (recorded)."""
    leaves = tuple(Tensor._make(x.array, True) for x in inputs)
    with grad_mode.enable_grad():
        outputs = func(*leaves)
    is_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    return leaves, is_tuple, outputs


def _gradients(outputs: tuple[Tensor, ...], seeds: list[np.ndarray], leaves: tuple[Tensor, ...]) -> list[np.ndarray]:
    """The gradient reaching each leaf from the outputs seeded with `seeds`; zeros where none does."""
    used = [(o, s) for o, s in zip(outputs, seeds, strict=True) if o.requires_grad]
    found = backpropagate([o for o, _ in used], [s for _, s in used], True, inputs=list(leaves)) if used else None
    return [np.zeros_like(x.array) if g is None else np.asarray(g, dtype=x.array.dtype)
            for x, g in zip(leaves, found or [None] * len(leaves), strict=True)]


def _detached(values: tuple[Tensor, ...], is_tuple: bool) -> Any:
    values = tuple(Tensor._make(v.array, False) for v in values)
    return values if is_tuple else values[0]


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(*inputs), v^T J): the vector-Jacobian product at `inputs`; v may be omitted for a one-element output."""
    _no_second_order(create_graph, "vjp")
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
    leaves, outputs_tuple, outputs = _evaluate(func, inputs, "vjp")
    if v is None:
        if len(outputs) != 1 or outputs[0].array.size != 1:
            raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                               "Tensor with a single element.")
        seeds = [np.ones_like(outputs[0].array)]
    else:
        _, vs = _as_tuple(v, "v", "vjp")
        if len(vs) != len(outputs):
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(outputs)} but got {len(vs)}.")
        for i, (o, s) in enumerate(zip(outputs, vs, strict=True)):
            if tuple(o.shape) != tuple(s.shape):
                raise RuntimeError(f"Entry {i} in v has invalid size: should be {tuple(o.shape)} but got "
                                   f"{tuple(s.shape)}.")
        seeds = [s.array for s in vs]
    grads = _gradients(outputs, seeds, leaves)
    return _detached(outputs, outputs_tuple), _detached(tuple(Tensor._make(g, False) for g in grads), inputs_tuple)


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:
    """d func(*inputs) / d inputs: for each output and input a tensor of shape output.shape + input.shape,
    nested as PyTorch nests them (tuples where func returns or takes a tuple). One backward per output element."""
    _no_second_order(create_graph, "jacobian")
    if strategy not in ("forward-mode", "reverse-mode"):
        raise ValueError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function '
                         'has more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, '
                         'prefer to use "reverse-mode".')
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    leaves, outputs_tuple, outputs = _evaluate(func, inputs, "jacobian")
    per_output = []
    for k, out in enumerate(outputs):
        rows: list[list[np.ndarray]] = [[] for _ in leaves]
        for index in range(out.array.size):
            seeds = [np.zeros_like(o.array) for o in outputs]
            seeds[k].reshape(-1)[index] = 1
            for row, g in zip(rows, _gradients(outputs, seeds, leaves), strict=True):
                row.append(g)
        blocks = tuple(Tensor._make(np.stack(row).reshape(tuple(out.shape) + tuple(x.shape)) if row
                                    else np.zeros(tuple(out.shape) + tuple(x.shape), x.array.dtype), False)
                       for x, row in zip(leaves, rows, strict=True))
        per_output.append(blocks if inputs_tuple else blocks[0])
    return tuple(per_output) if outputs_tuple else per_output[0]


def jvp(func: Callable[..., Any], inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:
    """(func(*inputs), J v): the Jacobian-vector product, from the Jacobian (small functions: one backward per
    output element); v may be omitted for a single one-element input."""
    _no_second_order(create_graph, "jvp")
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
    if v is None:
        if len(inputs) != 1 or inputs[0].array.size != 1:
            raise RuntimeError("The vector v can only be None if the input to the user-provided function is a "
                               "single Tensor with a single element.")
        vs: tuple[Tensor, ...] = (Tensor._make(np.ones_like(inputs[0].array), False),)
    else:
        _, vs = _as_tuple(v, "v", "jvp")
        if len(vs) != len(inputs):
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(inputs)} but got {len(vs)}.")
    _, outputs_tuple, outputs = _evaluate(func, inputs, "jvp")
    full = jacobian(func, inputs if inputs_tuple else inputs[0])
    full = full if outputs_tuple else (full,)
    products = []
    for out, blocks in zip(outputs, full, strict=True):
        blocks = blocks if inputs_tuple else (blocks,)
        total = sum(np.tensordot(b.array, s.array, axes=s.array.ndim) for b, s in zip(blocks, vs, strict=True))
        products.append(Tensor._make(np.asarray(total, dtype=out.array.dtype).reshape(out.shape), False))
    return _detached(outputs, outputs_tuple), (tuple(products) if outputs_tuple else products[0])


def _second_order(name: str) -> Callable[..., Any]:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"torch.autograd.functional.{name}: second derivatives are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")

    refuse.__name__ = refuse.__qualname__ = name
    return refuse


hessian, hvp, vhp = _second_order("hessian"), _second_order("hvp"), _second_order("vhp")
