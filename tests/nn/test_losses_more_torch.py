"""The losses of issue 25 against torch 2.13: values, dtypes, shapes, float64 gradients of every input, every
reduction and option, and the errors PyTorch raises."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import gradcheck

torch = pytest.importorskip("torch")

REDUCTIONS = ["mean", "sum", "none"]
RNG = np.random.default_rng(0)


def _compare(fn: Callable[[Any, Any, list[Any]], Any], arrays: list[np.ndarray], grads: list[bool],
             rtol: float = 1e-6) -> None:
    """fn(F-module, nn-module, tensors) in both frameworks: same value, dtype, shape and input gradients."""
    ours = [tg.tensor(a, requires_grad=g) for a, g in zip(arrays, grads, strict=True)]
    theirs = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grads, strict=True)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out_o = fn(F, nn, ours)
        out_t = fn(torch.nn.functional, torch.nn, theirs)
    assert str(out_o.dtype) == str(out_t.dtype) and tuple(out_o.shape) == tuple(out_t.shape)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=rtol, atol=1e-7)
    if not any(grads):
        return
    weights = np.linspace(0.5, 1.5, max(out_t.numel(), 1)).reshape(out_t.shape)
    (out_o * tg.tensor(weights, dtype=out_o.dtype)).sum().backward()
    (out_t * torch.tensor(weights, dtype=out_t.dtype)).sum().backward()
    for o, t, g in zip(ours, theirs, grads, strict=True):
        if g:
            assert o.grad is not None and o.grad.shape == tuple(t.grad.shape)
            np.testing.assert_allclose(o.grad.detach().numpy(), t.grad.detach().numpy(), rtol=rtol, atol=1e-7)


def _probs(*shape: int) -> np.ndarray:
    return RNG.uniform(0.02, 0.98, shape)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("module", [False, True])
def test_bce(reduction: str, weighted: bool, module: bool) -> None:
    x, t, w = _probs(4, 3), _probs(4, 3), RNG.uniform(0.5, 2, 3)

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        weight = ts[2] if weighted else None
        if module:
            return m.BCELoss(weight=weight, reduction=reduction)(ts[0], ts[1])
        return f.binary_cross_entropy(ts[0], ts[1], weight=weight, reduction=reduction)
    _compare(fn, [x, t, w], [True, True, False])


def test_bce_float32_and_edges() -> None:
    x = np.array([0.0, 1.0, 0.5, 1e-30], dtype=np.float32)
    t = np.array([1.0, 0.0, 0.3, 1.0], dtype=np.float32)
    _compare(lambda f, m, ts: f.binary_cross_entropy(ts[0], ts[1], reduction="none"), [x, t], [False, False])
    out = F.binary_cross_entropy(tg.tensor(x, requires_grad=True), tg.tensor(t))
    out.backward()  # a sigmoid that saturates at exactly 0 or 1 must not make the gradient NaN
    assert np.isfinite(out.item())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("options", ["plain", "weight", "pos_weight", "both"])
def test_bce_with_logits(reduction: str, options: str) -> None:
    x, t = RNG.standard_normal((5, 3)) * 4, _probs(5, 3)
    x[0, 0] = 0.0
    w, pw = RNG.uniform(0.5, 2, (5, 3)), RNG.uniform(0.5, 3, 3)

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        weight = ts[2] if options in ("weight", "both") else None
        pos = ts[3] if options in ("pos_weight", "both") else None
        out = f.binary_cross_entropy_with_logits(ts[0], ts[1], weight, reduction=reduction, pos_weight=pos)
        loss = m.BCEWithLogitsLoss(weight=weight, reduction=reduction, pos_weight=pos)(ts[0], ts[1])
        return out + loss
    _compare(fn, [x, t, w, pw], [True, True, False, False])


def test_bce_with_logits_extreme_logits_are_finite() -> None:
    x = np.array([-1000.0, 1000.0, 50.0], dtype=np.float32)
    _compare(lambda f, m, ts: f.binary_cross_entropy_with_logits(ts[0], ts[1], reduction="none"),
             [x, np.array([1.0, 0.0, 1.0], dtype=np.float32)], [True, False])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["l1", "smooth_l1", "smooth_l1_beta", "smooth_l1_zero", "huber", "huber_delta"])
def test_regression_losses(reduction: str, name: str) -> None:
    x, t = RNG.standard_normal((4, 5)) * 2, RNG.standard_normal((4, 5)) * 2
    calls: dict[str, Callable[[Any, Any, list[Any]], Any]] = {
        "l1": lambda f, m, ts: f.l1_loss(*ts, reduction=reduction) + m.L1Loss(reduction=reduction)(*ts),
        "smooth_l1": lambda f, m, ts: f.smooth_l1_loss(*ts, reduction=reduction)
        + m.SmoothL1Loss(reduction=reduction)(*ts),
        "smooth_l1_beta": lambda f, m, ts: f.smooth_l1_loss(*ts, reduction=reduction, beta=2.5)
        + m.SmoothL1Loss(reduction=reduction, beta=0.3)(*ts),
        "smooth_l1_zero": lambda f, m, ts: f.smooth_l1_loss(*ts, reduction=reduction, beta=0.0),
        "huber": lambda f, m, ts: f.huber_loss(*ts, reduction=reduction) + m.HuberLoss(reduction=reduction)(*ts),
        "huber_delta": lambda f, m, ts: f.huber_loss(*ts, reduction=reduction, delta=2.5)
        + m.HuberLoss(reduction=reduction, delta=0.3)(*ts),
    }
    _compare(calls[name], [x, t], [True, True])


@pytest.mark.parametrize("reduction", [*REDUCTIONS, "batchmean"])
@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div(reduction: str, log_target: bool) -> None:
    x = np.log(_probs(3, 4))
    t = _probs(3, 4)
    if log_target:
        t = np.log(t + 0.1)

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        return (f.kl_div(*ts, reduction=reduction, log_target=log_target)
                + m.KLDivLoss(reduction=reduction, log_target=log_target)(*ts))
    _compare(fn, [x, t], [True, True])


def test_kl_div_zero_target_counts_zero() -> None:
    t = np.array([[0.0, 0.5, 0.5]])
    _compare(lambda f, m, ts: f.kl_div(*ts, reduction="none"), [np.log(_probs(1, 3)), t], [True, False])


def test_kl_div_mean_warns_as_pytorch() -> None:
    with pytest.warns(UserWarning, match="batchmean"):
        F.kl_div(tg.tensor(np.zeros((2, 2))), tg.tensor(np.ones((2, 2))))


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.3])
@pytest.mark.parametrize("unbatched", [False, True])
def test_cosine_embedding_loss(reduction: str, margin: float, unbatched: bool) -> None:
    x1, x2 = RNG.standard_normal((6, 4)), RNG.standard_normal((6, 4))
    y = np.array([1, -1, 1, -1, -1, 1], dtype=np.float64)
    if unbatched:
        x1, x2, y = x1[0], x2[0], np.array(-1.0)

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        return (f.cosine_embedding_loss(*ts, margin=margin, reduction=reduction)
                + m.CosineEmbeddingLoss(margin=margin, reduction=reduction)(*ts))
    _compare(fn, [x1, x2, y], [True, True, False])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("margin", [0.0, 0.5])
def test_margin_ranking_loss(reduction: str, margin: float) -> None:
    x1, x2 = RNG.standard_normal(7), RNG.standard_normal(7)
    y = np.sign(RNG.standard_normal(7))

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        return (f.margin_ranking_loss(*ts, margin=margin, reduction=reduction)
                + m.MarginRankingLoss(margin=margin, reduction=reduction)(*ts))
    _compare(fn, [x1, x2, y], [True, True, False])


def test_legacy_size_average_and_reduce() -> None:
    x, t = RNG.standard_normal(5), RNG.standard_normal(5)
    for size_average, reduce in [(False, None), (None, False), (True, True)]:
        with pytest.warns(UserWarning, match="reduction="):
            ours = nn.L1Loss(size_average=size_average, reduce=reduce)(tg.tensor(x), tg.tensor(t))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.L1Loss(size_average=size_average, reduce=reduce)(torch.tensor(x), torch.tensor(t))
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy())


def test_gradchecks() -> None:
    x, t = (tg.tensor(a, requires_grad=True) for a in (_probs(3, 2), _probs(3, 2)))
    p = tg.tensor(RNG.uniform(0.5, 2, 2))
    logits = tg.tensor(RNG.standard_normal((3, 2)) * 3, requires_grad=True)
    assert gradcheck(lambda a, b: F.binary_cross_entropy(a, b, reduction="none"), x, t)
    assert gradcheck(lambda a, b, c: F.binary_cross_entropy_with_logits(a, b, pos_weight=c), logits, t, p)
    assert gradcheck(lambda a, b: F.smooth_l1_loss(a, b, beta=0.5), logits, x)
    assert gradcheck(lambda a, b: F.kl_div(a, b, reduction="batchmean"), logits, x)
    assert gradcheck(lambda a, b: F.cosine_embedding_loss(a, b, tg.tensor([1.0, -1.0, -1.0])), logits, x)
    assert gradcheck(lambda a, b: F.l1_loss(a, b, reduction="none") + F.huber_loss(a, b, delta=0.7), logits, x)
    signs = tg.tensor(np.sign(RNG.standard_normal((3, 2))))
    assert gradcheck(lambda a, b: F.margin_ranking_loss(a, b, signs, margin=0.1), logits, x)
    assert gradcheck(lambda a, b: F.kl_div(a, b, log_target=True, reduction="sum"), logits, x)


def test_errors_as_pytorch() -> None:
    x = tg.tensor(_probs(2, 3))
    with pytest.raises(ValueError, match="target size"):
        F.binary_cross_entropy(x, tg.tensor(_probs(3, 2)))
    with pytest.raises(RuntimeError, match="Found dtype Double but expected Float"):
        F.binary_cross_entropy(x.float(), x)
    with pytest.raises(RuntimeError, match="Found dtype Long but expected Double"):
        F.binary_cross_entropy(x, tg.ones(2, 3, dtype=tg.int64))
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(x * 2, x)
    with pytest.raises(ValueError, match="must be the same as input size"):
        F.binary_cross_entropy_with_logits(x, tg.tensor(_probs(2, 2)))
    with pytest.raises(RuntimeError, match="negative values for beta"):
        F.smooth_l1_loss(x, x, beta=-1.0)
    with pytest.raises(RuntimeError, match="non-positive values for delta"):
        nn.HuberLoss(delta=0.0)(x, x)
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        F.l1_loss(x, x, reduction="avg")
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.KLDivLoss(reduction="avg")(x, x)
    with pytest.raises(RuntimeError, match="same shape"):
        F.cosine_embedding_loss(x, tg.tensor(_probs(2, 4)), tg.tensor([1.0, 1.0]))
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'pos_weight'"):
        F.binary_cross_entropy_with_logits(x, x, pos_weight=tg.tensor(np.ones(3), requires_grad=True))
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.binary_cross_entropy(x, x, weight=tg.tensor(np.ones(3), requires_grad=True))
    with pytest.raises(RuntimeError, match="same dimension"):
        F.margin_ranking_loss(x, x, tg.tensor([1.0, 1.0]))
    for call in (lambda: torch.nn.functional.binary_cross_entropy(torch.ones(2, 3), torch.ones(3, 2)),
                 lambda: torch.nn.functional.smooth_l1_loss(torch.ones(2), torch.ones(2), beta=-1.0)):
        with pytest.raises((ValueError, RuntimeError)):
            call()


def test_l1_broadcast_warns() -> None:
    with pytest.warns(UserWarning, match="different to the input size"):
        out = F.l1_loss(tg.tensor(np.zeros((3, 1))), tg.tensor(np.ones(3)))
    assert out.item() == 1.0
