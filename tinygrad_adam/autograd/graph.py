"""torch.autograd.grad and torch.autograd.backward: the engine's backward walk with PyTorch's signatures; Node,
the type of every grad_fn (torch.autograd.graph.Node)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.engine import backpropagate
from ..core.graph_nodes import Node
from ..core.tensor import Tensor, backward_into

__all__ = ["Node", "backward", "grad"]


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
         only_inputs: bool = True, allow_unused: bool | None = None, is_grads_batched: bool = False,
         materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of `outputs` with respect to `inputs`, returned (not added into `.grad`).

    create_graph=True (gradients that can be differentiated again) and is_grads_batched=True (vmap) are
    not supported: backward functions here compute on NumPy arrays without recording. `only_inputs` is
    deprecated and ignored, as in PyTorch.
    """
    if create_graph:
        raise NotImplementedError("autograd.grad(create_graph=True): higher-order gradients are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")
    if is_grads_batched:
        raise NotImplementedError("autograd.grad(is_grads_batched=True): there is no vmap here")
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate "
                      "gradient for other parts of the graph, please use torch.autograd.backward.", FutureWarning,
                      stacklevel=2)
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        seeds: list[Any] = [None] * len(outputs)
    else:
        seeds = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"autograd.grad: input {i} (shape {t.shape}) does not require grad")
    found = backpropagate(outputs, seeds, bool(retain_graph), inputs=inputs)
    result: list[Tensor | None] = []
    for i, (t, g) in enumerate(zip(inputs, found or (), strict=True)):
        if g is None and not (allow_unused or materialize_grads):
            raise RuntimeError(f"autograd.grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                               "pass allow_unused=True to get None for it")
        if g is None:
            result.append(Tensor._make(np.zeros_like(t.array), False) if materialize_grads else None)
        else:
            result.append(Tensor._make(np.array(g, dtype=t.array.dtype), False))
    return tuple(result)


def backward(tensors: Tensor | Sequence[Tensor], grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, grad_variables: Any = None,
             inputs: Tensor | Sequence[Tensor] | None = None) -> None:
    """Add the gradients of `tensors` (seeded with `grad_tensors`, None meaning 1 for a one-element tensor) into
    `.grad` of the leaves, or only of `inputs` when given, as tensor.backward() does for one tensor."""
    if create_graph:
        raise NotImplementedError("autograd.backward(create_graph=True): higher-order gradients are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")
    if grad_variables is not None:
        if grad_tensors is not None:
            raise RuntimeError("'grad_tensors' and 'grad_variables' (deprecated) arguments both passed to "
                               "backward(). Please only use 'grad_tensors'.")
        grad_tensors = grad_variables
    outputs = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_tensors is None:
        seeds: list[Any] = [None] * len(outputs)
    else:
        seeds = [grad_tensors] if isinstance(grad_tensors, Tensor) else list(grad_tensors)
    if len(seeds) != len(outputs):
        raise RuntimeError(f"grad can be implicitly created only for scalar outputs; got {len(seeds)} gradients "
                           f"for {len(outputs)} tensors")
    backward_into(outputs, seeds, bool(retain_graph), inputs)
