"""The losses of images and regression, with PyTorch's names, signatures, defaults and errors.

    binary_cross_entropy, binary_cross_entropy_with_logits (fused, stable: fused/binary_loss.py),
    l1_loss, smooth_l1_loss, huber_loss, kl_div, cosine_embedding_loss, margin_ranking_loss
    (compositions of differentiable Tensor ops: their gradients come from the ops).

`functional` re-exports them; the loss modules (modules/losses_more.py) call them.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..engine import Tensor, where
from ._utils import REDUCTIONS, to_tensor
from .fused.binary_loss import BinaryCrossEntropyFunction, BinaryCrossEntropyWithLogitsFunction

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cosine_embedding_loss", "huber_loss", "kl_div",
    "l1_loss", "margin_ranking_loss", "smooth_l1_loss",
]


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """PyTorch's deprecated size_average / reduce pair, turned into a reduction (with its warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{result}' instead.",
                  stacklevel=3)
    return result


def reduce_loss(losses: Tensor, reduction: str) -> Tensor:
    """mean, sum or none of elementwise losses; ValueError for anything else, as PyTorch."""
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _target(input: Tensor, target: Any) -> Tensor:
    return target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=input.array.dtype))


def _broadcast_target(input: Tensor, target: Any) -> tuple[Tensor, Tensor]:
    """Input and target broadcast together; PyTorch's warning when their shapes differ."""
    t = _target(input, target)
    if t.shape != input.shape:
        warnings.warn(f"Using a target size ({_size(t)}) that is different to the input size ({_size(input)}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
                      "the same size.", stacklevel=3)
        shape = np.broadcast_shapes(input.shape, t.shape)
        return input.expand(shape), t.expand(shape)
    return input, t


def _size(x: Tensor) -> str:
    return f"torch.Size({list(x.shape)})"


_SCALAR_TYPES = {"float16": "Half", "float32": "Float", "float64": "Double", "int8": "Char", "int16": "Short",
                 "int32": "Int", "int64": "Long", "uint8": "Byte", "bool": "Bool"}


def _scalar_type(x: Tensor) -> str:
    """PyTorch's name of a dtype in its error messages (Float, Double, Long, ...)."""
    name = x.array.dtype.name
    return _SCALAR_TYPES.get(name, name)


def _no_grad_argument(op: str, name: str, value: Any) -> None:
    if isinstance(value, Tensor) and value.requires_grad:
        raise RuntimeError(f"The function '{op}' is not differentiable with respect to argument '{name}'. "
                           "This input cannot have requires_grad True.")


def _check_float(op: str, *tensors: Tensor) -> None:
    for t in tensors:
        if t.array.dtype.kind != "f":
            raise RuntimeError(f"{op}: expected a floating-point tensor, got dtype {t.dtype}")


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """-(t·log x + (1-t)·log(1-x)) of probabilities x in [0, 1], each log clamped at -100 as in PyTorch."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    t = _target(x, target)
    if t.shape != x.shape:
        raise ValueError(f"Using a target size ({_size(t)}) that is different to the input size ({_size(x)}) is "
                         "deprecated. Please ensure they have the same size.")
    if t.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {_scalar_type(t)} but expected {_scalar_type(x)}")
    _check_float("binary_cross_entropy", x, t)
    if x.array.size and not ((x.array >= 0) & (x.array <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    _no_grad_argument("binary_cross_entropy", "weight", weight)
    losses = BinaryCrossEntropyFunction.apply(x, t)
    if weight is not None:
        losses = losses * _target(x, weight).expand(x.shape)
    return reduce_loss(losses, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Any, weight: Any = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy of sigmoid(input), computed from the logits without overflow.

    pos_weight (broadcast along the last dim, one per class) weighs the positive term; weight each element.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    x = to_tensor(input)
    t = _target(x, target)
    if t.shape != x.shape:
        raise ValueError(f"Target size ({_size(t)}) must be the same as input size ({_size(x)})")
    _check_float("binary_cross_entropy_with_logits", x, t)
    _no_grad_argument("binary_cross_entropy_with_logits", "weight", weight)
    _no_grad_argument("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    args = [x, t]
    if pos_weight is not None:
        p = _target(x, pos_weight)
        np.broadcast_shapes(p.shape, x.shape)
        args.append(p)
    losses = BinaryCrossEntropyWithLogitsFunction.apply(*args)
    if weight is not None:
        losses = losses * _target(x, weight)
    return reduce_loss(losses, reduction)


def l1_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
            reduction: str = "mean") -> Tensor:
    """Mean (or sum, or elementwise) absolute error."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = _broadcast_target(to_tensor(input), target)
    return reduce_loss((x - t).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5·d²/beta where |d| < beta, else |d| - 0.5·beta (d = input - target); beta = 0 is the L1 loss."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    x, t = _broadcast_target(to_tensor(input), target)
    d = (x - t).abs()
    if beta == 0:
        return reduce_loss(d, reduction)
    return reduce_loss(where(d.array < beta, d * d * (0.5 / beta), d - 0.5 * beta), reduction)


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """0.5·d² where |d| < delta, else delta·(|d| - 0.5·delta); smooth_l1_loss times delta when beta = delta."""
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    x, t = _broadcast_target(to_tensor(input), target)
    d = (x - t).abs()
    losses = where(d.array < delta, d * d * 0.5, (d - 0.5 * delta) * delta)
    if weight is not None:
        losses = losses * _target(x, weight)
    return reduce_loss(losses, reduction)


def kl_div(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Pointwise KL divergence target·(log target - input) of log-probabilities `input`.

    With log_target the target is given as log-probabilities too. reduction="batchmean" divides the sum by
    the batch size (the mathematical KL divergence); "mean" divides by the number of elements, with PyTorch's
    warning.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in (*REDUCTIONS, "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    x = to_tensor(input)
    t = _target(x, target)
    if log_target:
        losses = t.exp() * (t - x)
    else:
        positive = t.array > 0
        losses = t * where(positive, t, 1.0).log() - t * x
    if reduction == "batchmean":
        total = losses.sum()
        return total / x.shape[0] if x.ndim else total
    return reduce_loss(losses, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0.0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1 (rows of (N, D) or one (D,))."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x1, x2 = to_tensor(input1), to_tensor(input2)
    y = np.asarray(target.array if isinstance(target, Tensor) else target)
    if x1.shape != x2.shape:
        raise RuntimeError(f"cosine_embedding_loss: input1 and input2 must have the same shape, got {x1.shape} "
                           f"and {x2.shape}")
    if x1.ndim not in (1, 2):
        raise RuntimeError(f"cosine_embedding_loss: 1D target tensor expects 2D input tensors, but found inputs "
                           f"with sizes {list(x1.shape)} and {list(x2.shape)}.")
    if y.shape != x1.shape[:1 if x1.ndim == 2 else 0]:
        raise RuntimeError(f"cosine_embedding_loss: expected target of shape {x1.shape[:x1.ndim - 1]}, "
                           f"got {y.shape}")
    dim = x1.ndim - 1
    eps = 1e-12
    dot = (x1 * x2).sum(dim)
    denominator = (((x1 * x1).sum(dim) + eps) * ((x2 * x2).sum(dim) + eps)).sqrt()
    cos = dot / denominator
    zero = cos * 0
    losses = where(y == 1, 1 - cos, zero) + where(y == -1, (cos - margin).clamp(min=0), zero)
    return reduce_loss(losses, reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0.0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -target·(input1 - input2) + margin): input1 should rank higher where target is 1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x1, x2 = to_tensor(input1), to_tensor(input2)
    y = _target(x1, target)
    if x1.ndim != x2.ndim or x1.ndim != y.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {_size(x1)}, input2: {_size(x2)}, target: {_size(y)} ")
    return reduce_loss((-y * (x1 - x2) + margin).clamp(min=0), reduction)
