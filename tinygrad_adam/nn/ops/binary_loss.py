"""Binary cross-entropy as elementwise fused ops, stable where the composed formula is not.

From probabilities x (PyTorch clamps each log at -100, so that x = 0 or 1 gives a finite loss):

    loss = -(t · max(log x, -100) + (1 - t) · max(log(1 - x), -100))
    d loss / d x = (x - t) / max(x · (1 - x), 1e-12)
    d loss / d t = max(log(1 - x), -100) - max(log x, -100)

From logits x with pos_weight p (softplus(-x) = -log σ(x), computed without overflow):

    loss = (1 - t) · x + (1 + (p - 1) · t) · softplus(-x)
    d loss / d x = σ(x) · (p · t + 1 - t) - p · t
    d loss / d t = p · softplus(-x) - softplus(x)

pos_weight and weight take no gradient (PyTorch refuses one).

Both return the elementwise losses; the class weight and the reduction are Tensor ops on top.
"""

from __future__ import annotations

import numpy as np

from ...core.engine import Context, Op


def _clamped_logs(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(x), -100), np.maximum(np.log1p(-x), -100)


def _softplus_of_minus(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(-x)) without overflow."""
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)


class BinaryCrossEntropyOp(Op):
    """Elementwise binary cross-entropy of probabilities x against targets t (same shape)."""

    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, t: np.ndarray) -> np.ndarray:
        log_x, log_1mx = _clamped_logs(x)
        ctx.save_for_backward(x, t, log_x, log_1mx)
        return -(t * log_x + (1 - t) * log_1mx)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        x, t, log_x, log_1mx = ctx.saved_tensors
        grad_x = grad * (x - t) / np.maximum(x * (1 - x), 1e-12) if ctx.needs_input_grad[0] else None
        grad_t = grad * (log_1mx - log_x) if ctx.needs_input_grad[1] else None
        return grad_x, grad_t


class BinaryCrossEntropyWithLogitsOp(Op):
    """Elementwise binary cross-entropy of logits x against targets t, with an optional broadcast pos_weight."""

    node_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, t: np.ndarray, *pos_weight: np.ndarray) -> np.ndarray:
        sp_minus = _softplus_of_minus(x)
        p = pos_weight[0] if pos_weight else None
        ctx.save_for_backward(x, t, sp_minus, p)
        if p is None:
            return (1 - t) * x + sp_minus
        return (1 - t) * x + (1 + (p - 1) * t) * sp_minus

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        x, t, sp_minus, p = ctx.saved_tensors
        pt = t if p is None else p * t
        grad_x = grad_t = None
        if ctx.needs_input_grad[0]:
            sigma = np.exp(-sp_minus)
            grad_x = grad * (sigma * (pt + 1 - t) - pt)
        if ctx.needs_input_grad[1]:
            sp_plus = x + sp_minus
            grad_t = grad * ((sp_minus if p is None else p * sp_minus) - sp_plus)
        return (grad_x, grad_t) if p is None else (grad_x, grad_t, None)
