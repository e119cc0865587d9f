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

from typing import Any

import numpy as np

from ..engine import Context, Function


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
    per_sample = grad if reduction == "none" else np.broadcast_to(
        grad / denominator if reduction == "mean" else grad, sample_shape)
    return np.expand_dims(per_sample, 1)


class CrossEntropyFunction(Function):
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


class NLLLossFunction(Function):
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


class MSELossFunction(Function):
    """mean / sum / none of (input - target)², differentiable in both."""

    @staticmethod
    def forward(ctx: Context, input: np.ndarray, target: np.ndarray, reduction: str) -> np.ndarray:
        diff = input - target
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        squared = diff * diff
        if reduction == "none":
            return squared
        return squared.mean() if reduction == "mean" else squared.sum()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        (diff,) = ctx.saved_tensors
        factor = 2 / diff.size if ctx.reduction == "mean" else 2
        grad_input = diff * (grad * factor)
        return grad_input, -grad_input
