"""The CTC loss (Graves et al. 2006) as one op: the forward (alpha) and backward (beta) recursions in log space,
vectorized over the batch and the extended target (blanks around every label).

    l' = (blank, l1, blank, l2, ..., blank)                               (2 S + 1 symbols)
    alpha_t(s) = lp_t(l'_s) + logsumexp(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2) if l'_s != l'_{s-2})
    nll = -logsumexp(alpha_{L-1}(2S), alpha_{L-1}(2S-1))
    d nll / d lp_t(c) = exp(lp_t(c)) - exp(logsumexp_{s: l'_s = c}(alpha_t(s) + beta_t(s)) + nll - lp_t(c))

The gradient is PyTorch's: that of the logits under a log_softmax (the exp(lp) term), zero past each
input length, nan where the loss is infinite (zero there with zero_infinity).
"""

from __future__ import annotations

import numpy as np

from ...core.engine import Context, Op

_NEG_INF = -np.inf


def extended_targets(targets: np.ndarray, target_lengths: np.ndarray, blank: int) -> np.ndarray:
    """(N, 2 S + 1): blank, target 1, blank, target 2, ..., blank; blank past each target's length."""
    n, longest = targets.shape
    labels = np.where(np.arange(longest) < target_lengths[:, None], targets, blank)
    out = np.full((n, 2 * longest + 1), blank, dtype=np.int64)
    out[:, 1::2] = labels
    return out


def _skips(extended: np.ndarray, blank: int) -> np.ndarray:
    """Where alpha may come from s - 2: a label that differs from the label before it."""
    allowed = np.zeros(extended.shape, bool)
    allowed[:, 2:] = (extended[:, 2:] != blank) & (extended[:, 2:] != extended[:, :-2])
    return allowed


def _shift(a: np.ndarray, by: int) -> np.ndarray:
    """a[..., s - by] (by > 0) or a[..., s + |by|] (by < 0) along the last axis, -inf where there is none."""
    out = np.full_like(a, _NEG_INF)
    if by > 0:
        out[..., by:] = a[..., :-by]
    else:
        out[..., :by] = a[..., -by:]
    return out


class CTCLossOp(Op):
    """Each sample's negative log-likelihood (N,) of log_probs (T, N, C) and extended targets (N, 2 S + 1)."""

    @staticmethod
    def forward(ctx: Context, log_probs: np.ndarray, extended: np.ndarray, input_lengths: np.ndarray,
                target_lengths: np.ndarray, blank: int, zero_infinity: bool) -> np.ndarray:
        steps, n, _ = log_probs.shape
        width = extended.shape[1]
        emissions = np.take_along_axis(log_probs, np.broadcast_to(extended, (steps, n, width)), axis=2)
        skips = _skips(extended, blank)
        alpha = np.full((steps, n, width), _NEG_INF, dtype=log_probs.dtype)
        if steps:
            alpha[0, :, 0] = emissions[0, :, 0]
            alpha[0, :, 1] = np.where(target_lengths > 0, emissions[0, :, 1], _NEG_INF) if width > 1 else 0
        for t in range(1, steps):
            previous = alpha[t - 1]
            summed = np.logaddexp(previous, _shift(previous, 1))
            alpha[t] = np.logaddexp(summed, np.where(skips, _shift(previous, 2), _NEG_INF)) + emissions[t]
        rows = np.arange(n)
        last = alpha[np.maximum(input_lengths - 1, 0), rows]  # (N, width)
        end = 2 * target_lengths
        final = np.logaddexp(last[rows, end], np.where(end > 0, last[rows, np.maximum(end - 1, 0)], _NEG_INF))
        nll = np.where(input_lengths > 0, -final, np.where(target_lengths > 0, np.inf, 0)).astype(log_probs.dtype)
        ctx.save_for_backward(log_probs, extended, input_lengths, target_lengths, alpha, emissions, skips, nll)
        ctx.blank, ctx.zero_infinity = blank, zero_infinity
        return nll

    @staticmethod
    def backward(ctx: Context, grad_output: np.ndarray) -> np.ndarray:
        log_probs, extended, input_lengths, target_lengths, alpha, emissions, skips, nll = ctx.saved_tensors
        steps, n, classes = log_probs.shape
        width = extended.shape[1]
        rows, end = np.arange(n), 2 * target_lengths
        beta = np.full_like(alpha, _NEG_INF)
        ends = np.zeros((n, width), bool)
        ends[rows, end] = True
        ends[rows, np.maximum(end - 1, 0)] |= end > 0
        back_skips = _shift(skips, -2).astype(bool)  # s + 2 may reach s
        following = np.full((n, width), _NEG_INF, dtype=alpha.dtype)
        for t in range(steps - 1, -1, -1):
            summed = np.logaddexp(following, _shift(following, -1))
            current = np.logaddexp(summed, np.where(back_skips, _shift(following, -2), _NEG_INF)) + emissions[t]
            current = np.where((t == input_lengths - 1)[:, None], np.where(ends, emissions[t], _NEG_INF), current)
            beta[t] = np.where((t < input_lengths)[:, None], current, _NEG_INF)
            following = beta[t]
        both = alpha + beta
        with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
            peak = both.max(axis=2, keepdims=True)
            peak = np.where(np.isfinite(peak), peak, 0)
            onehot = np.zeros((n, width, classes), dtype=alpha.dtype)
            onehot[np.arange(n)[:, None], np.arange(width)[None], extended] = 1
            by_class = np.log(np.einsum("tns,nsc->tnc", np.exp(both - peak), onehot)) + peak
            grad = np.exp(log_probs) - np.exp(by_class + nll[None, :, None] - log_probs)
        grad = np.where((np.arange(steps)[:, None] < input_lengths[None])[..., None], grad, 0)
        if ctx.zero_infinity:
            grad = np.where(np.isinf(nll)[None, :, None], 0, grad)
        return (grad * grad_output[None, :, None]).astype(log_probs.dtype)
