"""Loss functions as single fused ops: cross-entropy from logits, NLL from log-probabilities, MSE.

Cross-entropy (class axis 1; targets are class indices; PyTorch's formula):

    log_p = log_softmax(logits)                       (stable: shifted by the row maximum)
    loss_i = (1 - ε) · w[y_i] · (-log_p[i, y_i]) + ε / C · Σ_c w[c] · (-log_p[i, c])
    d loss_i / d logits_i = (1 - ε) · w[y_i] · (p_i - onehot(y_i)) + ε / C · (Σ_c w[c] · p_i - w)

which without class weights is p_i - ((1 - ε) · onehot(y_i) + ε / C). "mean"
divides by Σ_i w[y_i] over the samples that are not ignored (their count
without weights); samples whose target is `ignore_index` add nothing.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ...core.checks import scalar_type_name
from ...core.engine import Context, Op
from ...core.tensor import Tensor
from .._checks import check_kernel_dtype


def _class_view(array: np.ndarray, ndim: int) -> np.ndarray:
    """A per-class array (C,) shaped to broadcast along axis 1 of an ndim-array."""
    return array.reshape((1, -1) + (1,) * (ndim - 2))


def _reduce(losses: np.ndarray, reduction: str, denominator: Any) -> np.ndarray:
    if reduction == "none":
        return losses
    total = losses.sum()
    return total / denominator if reduction == "mean" else total


def _scale(grad: np.ndarray, reduction: str, denominator: Any, sample_shape: tuple[int, ...]) -> np.ndarray:
    """The upstream gradient of each sample's loss, shaped (N, 1, *rest) to broadcast over classes."""
    if reduction == "mean" and denominator == 0:  # every sample ignored: the loss is nan, no gradient flows
        denominator = np.inf
    per_sample = grad if reduction == "none" else np.broadcast_to(
        grad / denominator if reduction == "mean" else grad, sample_shape)
    return np.expand_dims(per_sample, 1)


class CrossEntropyOp(Op):
    """cross_entropy(logits (N, C, *rest), target (N, *rest) integer classes), fused with log-softmax."""

    @staticmethod
    def forward(ctx: Context, logits: np.ndarray, target: np.ndarray, weight: np.ndarray | None,
                ignore_index: int, reduction: str, label_smoothing: float) -> np.ndarray:
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        valid = target != ignore_index
        safe_target = np.expand_dims(np.where(valid, target, 0), 1)
        picked = -np.take_along_axis(log_p, safe_target, axis=1)[:, 0]
        if weight is None:
            target_weight = valid.astype(logits.dtype)
        else:
            target_weight = weight[safe_target[:, 0]] * valid
        losses = (1 - label_smoothing) * target_weight * picked
        if label_smoothing:
            classes = logits.shape[1]
            smooth = -log_p.sum(axis=1) if weight is None else -(log_p * _class_view(weight, log_p.ndim)).sum(axis=1)
            losses = losses + (label_smoothing / classes) * smooth * valid
        denominator = target_weight.sum()
        ctx.save_for_backward(log_p, safe_target, target_weight, valid, weight)
        ctx.reduction, ctx.label_smoothing, ctx.denominator = reduction, label_smoothing, denominator
        return _reduce(losses, reduction, denominator).astype(logits.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray]:
        log_p, safe_target, target_weight, valid, weight = ctx.saved_tensors
        eps, classes = ctx.label_smoothing, log_p.shape[1]
        p = np.exp(log_p)
        tw = np.expand_dims(target_weight, 1)
        out = (1 - eps) * tw * p
        picked = np.take_along_axis(out, safe_target, axis=1) - (1 - eps) * tw
        np.put_along_axis(out, safe_target, picked, axis=1)
        if eps:
            v = np.expand_dims(valid, 1)
            if weight is None:
                out += (eps / classes) * v * (classes * p - 1)
            else:
                w = _class_view(weight, p.ndim)
                out += (eps / classes) * v * (weight.sum() * p - w)
        scale = _scale(grad, ctx.reduction, ctx.denominator, valid.shape)
        return (out * scale).astype(log_p.dtype, copy=False)


class NLLLossOp(Op):
    """nll_loss(log_probabilities (N, C, *rest), target (N, *rest)): the picked -log p, weighted."""

    @staticmethod
    def forward(ctx: Context, log_p: np.ndarray, target: np.ndarray, weight: np.ndarray | None,
                ignore_index: int, reduction: str) -> np.ndarray:
        valid = target != ignore_index
        safe_target = np.expand_dims(np.where(valid, target, 0), 1)
        target_weight = valid.astype(log_p.dtype) if weight is None else weight[safe_target[:, 0]] * valid
        losses = -np.take_along_axis(log_p, safe_target, axis=1)[:, 0] * target_weight
        denominator = target_weight.sum()
        ctx.save_for_backward(safe_target, target_weight)
        ctx.shape, ctx.reduction, ctx.denominator = log_p.shape, reduction, denominator
        return _reduce(losses, reduction, denominator).astype(log_p.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        safe_target, target_weight = ctx.saved_tensors
        scale = _scale(grad, ctx.reduction, ctx.denominator, target_weight.shape)
        out = np.zeros(ctx.shape, dtype=target_weight.dtype)
        np.put_along_axis(out, safe_target, -np.expand_dims(target_weight, 1) * scale, axis=1)
        return out


class MSELossOp(Op):
    """mean / sum / none of (input - target)², differentiable in both."""

    @staticmethod
    def forward(ctx: Context, input: np.ndarray, target: np.ndarray, reduction: str) -> np.ndarray:
        diff = input - target
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        squared = diff * diff
        if reduction == "none":
            return squared
        with np.errstate(invalid="ignore", divide="ignore"):  # the mean of nothing is nan, as in PyTorch
            return squared.mean() if reduction == "mean" else squared.sum()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (diff,) = ctx.saved_tensors
        factor = 2 / max(diff.size, 1) if ctx.reduction == "mean" else 2
        grad_input = diff * (grad * factor)
        return grad_input, -grad_input


def _class_targets(op: str, x: Tensor, target: Any, weight: Any,
                   ignore_index: int) -> tuple[Tensor, np.ndarray, np.ndarray | None]:
    """Check (N, C, *rest) scores against integer targets (N, *rest) and the class weights, in PyTorch's order
    and with its exception types (nll_loss_nd, then nll_loss for 1 or 2 dims, nll_loss2d for 4); an unbatched
    (C,) becomes (1, C)."""
    if target is None:
        raise TypeError(f"{op}(): argument 'target' (position 2) must be Tensor, not NoneType")
    t = np.asarray(target.array if isinstance(target, Tensor) else target)
    if x.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {x.ndim})")
    if x.ndim > 1 and (t.shape[0] if t.ndim else 0) != x.shape[0]:
        raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                         f"({t.shape[0] if t.ndim else 0}).")
    if x.ndim <= 2 and t.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if x.ndim == 4 and t.ndim != 3:
        raise RuntimeError(f"only batches of spatial targets supported (3D tensors) but got targets of dimension: "
                           f"{t.ndim}")
    if x.ndim > 2 and t.shape[1:] != x.shape[2:]:
        raise RuntimeError(f"size mismatch (got input: {list(x.shape)} , target: {list(t.shape)}" if x.ndim == 4
                           else f"Expected target size {[x.shape[0], *x.shape[2:]]}, got {list(t.shape)}")
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"{op}: expected target dtype to be Long or Byte, but got {scalar_type_name(t.dtype)} "
                           "(class indices are int64: convert them with .long())")
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}")
    if x.ndim == 1:
        x, t = x.reshape(1, -1), t.reshape(1)
    w = _class_weight(op, weight, x)
    classes = x.shape[1]
    bad = (t != ignore_index) & ((t < 0) | (t >= classes))
    if bad.any():
        position = tuple(int(i) for i in np.argwhere(bad)[0])
        raise IndexError(f"{op}: Target {int(t[position])} is out of bounds (position {position}; {classes} "
                         f"classes, valid: 0 to {classes - 1})")
    return x, t, w


def _class_weight(op: str, weight: Any, x: Tensor) -> np.ndarray | None:
    if weight is None:
        return None
    if isinstance(weight, Tensor) and weight.array.dtype != x.array.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(x.array.dtype)} but found "
                           f"{scalar_type_name(weight.array.dtype)}")
    w = np.asarray(weight.array if isinstance(weight, Tensor) else weight, dtype=x.dtype)
    if w.shape != (x.shape[1],):
        raise RuntimeError(f"{op}: weight tensor should be defined either for all {x.shape[1]} classes or no "
                           f"classes but got weight tensor of shape: {list(w.shape)}")
    return w


def cross_entropy(x: Tensor, target: Any, weight: Any, ignore_index: int, reduction: str,
                  label_smoothing: float, op: str) -> Tensor:
    """CrossEntropyOp after checking the targets and class weights against the logits; targets that
    are class probabilities (a float tensor of the logits' shape) take a composition of Tensor ops."""
    probabilities = target.array if isinstance(target, Tensor) else np.asarray(target)
    if probabilities.shape == x.shape:  # PyTorch's test for class probabilities: the input's shape
        if probabilities.dtype.kind != "f":
            raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                               f"{scalar_type_name(probabilities.dtype)}")
        return _probability_cross_entropy(x, target, weight, reduction, label_smoothing, op)
    unbatched = x.ndim == 1
    x, t, w = _class_targets(op, x, target, weight, ignore_index)
    out = CrossEntropyOp.apply(x, target=t, weight=w, ignore_index=ignore_index,
                                     reduction=reduction, label_smoothing=float(label_smoothing))
    return out.reshape(()) if unbatched and reduction == "none" else out


def _probability_cross_entropy(x: Tensor, target: Any, weight: Any, reduction: str, label_smoothing: float,
                               op: str) -> Tensor:
    """-Σ_c w_c · q_c · log_softmax(x)_c per sample, q the (smoothed) target probabilities; "mean" divides by
    the number of samples, as PyTorch."""
    if x.ndim == 0:
        raise IndexError("Dimension specified as 1 but tensor has no dimensions")
    q = target if isinstance(target, Tensor) else Tensor._make(np.asarray(target, dtype=x.array.dtype), False)
    if q.dtype != x.dtype:
        raise RuntimeError(f"{op}: expected scalar type {x.dtype} for the target probabilities, got {q.dtype}")
    batched = x if x.ndim > 1 else x.reshape(1, -1)
    q = q.reshape(batched.shape)
    if label_smoothing:
        q = q * (1 - label_smoothing) + label_smoothing / batched.shape[1]
    terms = batched.log_softmax(1) * q
    w = _class_weight(op, weight, batched)
    if w is not None:
        terms = terms * Tensor._make(_class_view(w, batched.ndim), False)
    losses = -terms.sum(1)
    if reduction == "none":
        return losses if x.ndim > 1 else losses.reshape(())
    return losses.sum() / max(losses.numel(), 1) if reduction == "mean" else losses.sum()


def nll_loss(x: Tensor, target: Any, weight: Any, ignore_index: int, reduction: str, op: str) -> Tensor:
    """NLLLossOp after checking the targets and class weights against the log-probabilities."""
    unbatched = x.ndim == 1
    x, t, w = _class_targets(op, x, target, weight, ignore_index)
    check_kernel_dtype("nll_loss_out_frame", x)
    out = NLLLossOp.apply(x, target=t, weight=w, ignore_index=ignore_index,
                                reduction=reduction)
    return out.reshape(()) if unbatched and reduction == "none" else out


def mse_loss(x: Tensor, target: Any, reduction: str, op: str) -> Tensor:
    """MSELossOp; a target of another shape is broadcast, with PyTorch's warning."""
    if target is None:
        raise TypeError(f"{op}(): argument 'target' (position 2) must be Tensor, not NoneType")
    t = target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=x.dtype))
    if t.shape != x.shape:
        warnings.warn(f"{op}: using a target size {t.shape} that is different to the input size {x.shape}. "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
                      "the same size.", stacklevel=3)
    return MSELossOp.apply(x, t, reduction=reduction)
