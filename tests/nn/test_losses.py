"""Losses: cross-entropy (reductions, smoothing, weights, ignore_index, stability), NLL, MSE, errors, PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import Tensor, gradcheck

REDUCTIONS = ["mean", "sum", "none"]


def hand_log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def hand_cross_entropy(x: np.ndarray, y: np.ndarray, reduction: str, smoothing: float = 0.0,
                       weight: np.ndarray | None = None, ignore_index: int = -100) -> np.ndarray:
    classes = x.shape[1]
    w = np.ones(classes) if weight is None else weight
    valid = y != ignore_index
    safe = np.where(valid, y, 0)
    log_p = np.moveaxis(hand_log_softmax(x), 1, -1)  # (N, ..., C)
    picked = -np.take_along_axis(log_p, safe[..., None], axis=-1)[..., 0]
    losses = valid * ((1 - smoothing) * w[safe] * picked + smoothing / classes * -(log_p * w).sum(axis=-1))
    if reduction == "none":
        return losses
    return losses.sum() / (w[safe] * valid).sum() if reduction == "mean" else losses.sum()


def data(seed: int, n: int = 5, classes: int = 4) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, classes)) * 2, rng.integers(0, classes, n)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.1, 1.0])
def test_cross_entropy_values(reduction: str, smoothing: float) -> None:
    x, y = data(0)
    out = F.cross_entropy(Tensor(x), y, reduction=reduction, label_smoothing=smoothing)
    np.testing.assert_allclose(out.array, hand_cross_entropy(x, y, reduction, smoothing), rtol=1e-12)
    module = nn.CrossEntropyLoss(reduction=reduction, label_smoothing=smoothing)
    np.testing.assert_allclose(module(Tensor(x), Tensor(y)).array, out.array, rtol=1e-15)


def test_cross_entropy_is_the_mean_negative_log_likelihood_by_hand() -> None:
    logits = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    loss = F.cross_entropy(Tensor(logits), np.array([2, 0])).item()
    expected = (-np.log(np.exp(3) / np.exp([1, 2, 3]).sum()) + np.log(3)) / 2
    assert loss == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_gradcheck(reduction: str, smoothing: float, weighted: bool) -> None:
    x, y = data(1)
    y[1] = -100  # one ignored sample
    weight = np.array([0.5, 2.0, 1.0, 3.0]) if weighted else None
    r = np.random.default_rng(2).standard_normal(5 if reduction == "none" else ())
    logits = Tensor(x, requires_grad=True)
    out = F.cross_entropy(logits, y, weight=weight, reduction=reduction, label_smoothing=smoothing)
    np.testing.assert_allclose(out.array, hand_cross_entropy(x, y, reduction, smoothing, weight), rtol=1e-12)
    assert gradcheck(lambda t: (F.cross_entropy(t, y, weight=weight, reduction=reduction,
                                                label_smoothing=smoothing) * r).sum(), logits)


def test_cross_entropy_gradient_is_softmax_minus_smoothed_onehot() -> None:
    x, y = data(3)
    logits = Tensor(x, requires_grad=True)
    F.cross_entropy(logits, y, reduction="sum", label_smoothing=0.1).backward()
    p = np.exp(hand_log_softmax(x))
    target = 0.9 * np.eye(4)[y] + 0.1 / 4
    np.testing.assert_allclose(logits.grad, p - target, rtol=1e-12, atol=1e-15)


def test_cross_entropy_is_stable_for_huge_logits() -> None:
    for dtype in (np.float32, np.float64):
        x = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 1e4], [5e3, -5e3, 0.0]], dtype=dtype)
        y = np.array([1, 0, 0])
        logits = Tensor(x, requires_grad=True)
        loss = F.cross_entropy(logits, y, label_smoothing=0.1)
        loss.backward()
        assert np.isfinite(loss.item()) and np.all(np.isfinite(logits.grad.array))
        assert loss.dtype == logits.grad.dtype == dtype
        np.testing.assert_allclose(loss.item(), hand_cross_entropy(x.astype(np.float64), y, "mean", 0.1), rtol=1e-6)
        np.testing.assert_allclose(logits.grad[0], np.array([1 - 0.1 / 3, -0.9 - 0.1 / 3, -0.1 / 3]) / 3, atol=1e-7)


def test_cross_entropy_spatial_and_unbatched_inputs() -> None:
    rng = np.random.default_rng(4)
    x, y = rng.standard_normal((2, 3, 2, 2)), rng.integers(0, 3, (2, 2, 2))
    out = F.cross_entropy(Tensor(x), y, reduction="none")
    assert out.shape == (2, 2, 2)
    np.testing.assert_allclose(out.array, hand_cross_entropy(x, y, "none"), rtol=1e-12)
    logits = Tensor(x, requires_grad=True)
    assert gradcheck(lambda t: F.cross_entropy(t, y, label_smoothing=0.3), logits)
    single = F.cross_entropy(Tensor(x[0, :, 0, 0]), np.array(y[0, 0, 0]))
    assert single.shape == () and single.item() == pytest.approx(out.array[0, 0, 0], rel=1e-12)


def test_cross_entropy_errors() -> None:
    x = Tensor(np.zeros((3, 4)))
    with pytest.raises(IndexError, match=r"Target 4 is out of bounds \(position \(2,\); 4 classes"):
        F.cross_entropy(x, np.array([0, 1, 4]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        F.cross_entropy(x, np.array([0, -1, 2]))
    with pytest.raises(RuntimeError, match="0D or 1D target tensor expected, multi-target not supported"):
        F.cross_entropy(x, np.zeros((3, 1), dtype=np.int64))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Double"):
        F.cross_entropy(x, np.array([0.0, 1.0, 2.0]))
    with pytest.raises(RuntimeError, match="expected target dtype to be Long or Byte, but got Int"):
        F.cross_entropy(x, np.array([0, 1, 2], dtype=np.int32))
    with pytest.raises(ValueError, match="reduction must be one of"):
        F.cross_entropy(x, np.array([0, 1, 2]), reduction="avg")
    with pytest.raises(RuntimeError, match="weight tensor should be defined either for all 4 classes or no classes"):
        F.cross_entropy(x, np.array([0, 1, 2]), weight=np.ones(3))
    with pytest.raises(RuntimeError, match="label_smoothing must be between"):
        nn.CrossEntropyLoss(label_smoothing=1.5)(x, np.array([0, 1, 2]))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_loss_values_and_gradcheck(reduction: str) -> None:
    x, y = data(5)
    y[0] = 7
    weight = np.array([1.0, 2.0, 0.5, 1.5])
    log_p = hand_log_softmax(x)
    out = F.nll_loss(Tensor(log_p), y, weight=weight, ignore_index=7, reduction=reduction)
    np.testing.assert_allclose(out.array, hand_cross_entropy(x, y, reduction, weight=weight, ignore_index=7),
                               rtol=1e-12)
    r = np.random.default_rng(6).standard_normal(out.shape)
    assert gradcheck(lambda t: (F.nll_loss(t, y, weight=weight, ignore_index=7, reduction=reduction) * r).sum(),
                     Tensor(x, requires_grad=True))
    y[0] = 1
    composed = nn.NLLLoss(reduction=reduction)(F.log_softmax(Tensor(x), dim=1), y)
    np.testing.assert_allclose(composed.array, F.cross_entropy(Tensor(x), y, reduction=reduction).array, rtol=1e-12)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss_values_and_gradcheck(reduction: str) -> None:
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    squares = (a - b) ** 2
    expected = {"mean": squares.mean(), "sum": squares.sum(), "none": squares}[reduction]
    np.testing.assert_allclose(nn.MSELoss(reduction=reduction)(Tensor(a), b).array, expected, rtol=1e-12)
    r = rng.standard_normal(np.shape(expected))
    assert gradcheck(lambda x, y: (F.mse_loss(x, y, reduction=reduction) * r).sum(),
                     Tensor(a, requires_grad=True), Tensor(b, requires_grad=True))


def test_mse_loss_warns_on_broadcasting_targets() -> None:
    with pytest.warns(UserWarning, match="target size"):
        out = F.mse_loss(Tensor(np.zeros((4, 1))), np.ones(4))
    assert out.item() == 1.0


def test_log_softmax_and_softmax_functional() -> None:
    x, _ = data(8)
    np.testing.assert_allclose(F.log_softmax(Tensor(x), dim=1).array, hand_log_softmax(x), rtol=1e-12)
    np.testing.assert_allclose(F.softmax(Tensor(x), dim=-1).array.sum(axis=1), np.ones(5), rtol=1e-12)
    with pytest.warns(UserWarning, match="Implicit dimension choice"):
        assert F.softmax(Tensor(x)).array.sum(axis=1) == pytest.approx(np.ones(5))


def test_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")
    x, y = data(9, n=6, classes=5)
    y[2] = -100
    weight = np.array([1.0, 0.5, 2.0, 1.5, 0.25])
    for reduction in REDUCTIONS:
        for smoothing in (0.0, 0.15):
            for w in (None, weight):
                logits, ref = Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
                out = F.cross_entropy(logits, y, weight=w, reduction=reduction, label_smoothing=smoothing)
                out_ref = torch.nn.functional.cross_entropy(
                    ref, torch.from_numpy(y), weight=None if w is None else torch.from_numpy(w),
                    reduction=reduction, label_smoothing=smoothing)
                np.testing.assert_allclose(out.array, out_ref.detach().numpy(), atol=1e-10)
                g = np.random.default_rng(10).standard_normal(out.shape)
                out.backward(g)
                out_ref.backward(torch.from_numpy(g))
                np.testing.assert_allclose(logits.grad, ref.grad.detach().numpy(), atol=1e-10)
    a, b = np.random.default_rng(11).standard_normal((2, 3, 4))
    for reduction in REDUCTIONS:
        np.testing.assert_allclose(F.mse_loss(Tensor(a), b, reduction=reduction).array,
                                   torch.nn.functional.mse_loss(torch.from_numpy(a), torch.from_numpy(b),
                                                                reduction=reduction).detach().numpy(), atol=1e-12)
