"""Gradient clipping: rescale (or clamp) the gradients of a set of parameters in place."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

import numpy as np

from ...core.tensor import Tensor


def _with_grads(params: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [params] if isinstance(params, Tensor) else list(params)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale all gradients together so that their joint norm is at most `max_norm`; return the norm before.

    The norm is taken over all gradients as if concatenated into one vector (accumulated in float64) and
    returned as PyTorch does: a 0-d tensor in the gradients' promoted dtype. Gradients are multiplied by
    min(1, max_norm / (total_norm + 1e-6)), computed in that dtype; parameters without a gradient are
    ignored. `norm_type` may be any p >= 1 or math.inf. `foreach` (PyTorch's choice of kernel) changes nothing.
    """
    if not max_norm >= 0:
        raise ValueError(f"clip_grad_norm_: max_norm must be >= 0, got {max_norm!r}")
    norm_type = float(norm_type)
    if not norm_type >= 1:
        raise ValueError(f"clip_grad_norm_: norm_type must be >= 1 or inf, got {norm_type!r}")
    params = _with_grads(parameters)
    if not params:
        return Tensor(np.zeros((), np.float32))
    dtype = functools.reduce(np.promote_types, (p.grad.array.dtype for p in params))
    if norm_type == math.inf:
        total_norm = max(float(np.max(np.abs(p.grad.array))) if p.grad.array.size else 0.0 for p in params)
    else:
        total = sum(float(np.sum(np.abs(p.grad.array.astype(np.float64)) ** norm_type)) for p in params)
        total_norm = math.sqrt(total) if norm_type == 2.0 else total ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total_norm):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of the gradients is {total_norm}, so they cannot be clipped; "
            "pass error_if_nonfinite=False to scale them anyway"
        )
    norm = np.asarray(total_norm, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        clip_coef = np.minimum(dtype.type(max_norm) / (norm + dtype.type(1e-6)), dtype.type(1.0))
    if clip_coef < 1.0:
        for p in params:
            p.grad.array = _scaled(p.grad.array, clip_coef.astype(p.grad.array.dtype))
    return Tensor(norm)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element into [-clip_value, clip_value], in place (`foreach` changes nothing)."""
    if not clip_value >= 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value!r}")
    for p in _with_grads(parameters):
        grad = p.grad.array
        if grad.flags.writeable:
            np.clip(grad, -clip_value, clip_value, out=grad)
        else:
            p.grad.array = np.clip(grad, -clip_value, clip_value)


def _scaled(grad: np.ndarray, coef: float | np.ndarray) -> np.ndarray:
    if grad.flags.writeable:
        grad *= coef
        return grad
    return grad * coef
