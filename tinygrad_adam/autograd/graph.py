"""torch.autograd.grad and torch.autograd.backward: the engine's backward walk with PyTorch's signatures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.engine import backpropagate
from ..core.tensor import Tensor


def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool | None = None, materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of `outputs` with respect to `inputs`, returned (not added into `.grad`).

    create_graph=True (gradients that can be differentiated again) is not supported: backward
    functions here compute on NumPy arrays without recording.
    """
    if create_graph:
        raise NotImplementedError("autograd.grad(create_graph=True): higher-order gradients are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")
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
