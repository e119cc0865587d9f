"""SGD, AdamW, Adamax, NAdam, RMSprop, Adagrad and Adadelta against their update equations, by hand in float64."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_adam import Tensor
from tinygrad_adam.optim import SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, NAdam, Optimizer, RMSprop

GRADS = [0.5, -0.3, 0.2, 0.4]


def _run(opt_cls: type[Optimizer], grads: list[float] = GRADS, theta0: float = 1.0, **hyper: float) -> list[float]:
    """θ after each step, for a scalar parameter fed the given gradients."""
    p = Tensor(np.array([theta0]), requires_grad=True)
    opt = opt_cls([p], **hyper)
    out = []
    for g in grads:
        p.grad = Tensor(np.array([g]))
        opt.step()
        out.append(float(p.array[0]))
    return out


def _assert_path(actual: list[float], expected: list[float]) -> None:
    assert actual == pytest.approx(expected, rel=1e-14, abs=1e-16)


def test_sgd_plain_and_weight_decay() -> None:
    theta, expected = 1.0, []
    for g in GRADS:
        theta -= 0.1 * (g + 0.01 * theta)
        expected.append(theta)
    _assert_path(_run(SGD, lr=0.1, weight_decay=0.01), expected)
    assert _run(SGD, [2.0], lr=0.25) == [0.5]


def test_sgd_momentum_buffer_starts_at_the_gradient_then_dampens() -> None:
    theta, buf, expected = 1.0, None, []
    for g in GRADS:
        buf = g if buf is None else 0.9 * buf + (1 - 0.3) * g  # no dampening at t = 1, as in PyTorch
        theta -= 0.1 * buf
        expected.append(theta)
    _assert_path(_run(SGD, lr=0.1, momentum=0.9, dampening=0.3), expected)
    assert _run(SGD, [1.0, 1.0], lr=0.1, momentum=0.9, dampening=0.3) == pytest.approx([0.9, 0.9 - 0.1 * 1.6])


def test_sgd_nesterov_looks_ahead_along_the_momentum() -> None:
    theta, buf, expected = 1.0, None, []
    for g in GRADS:
        buf = g if buf is None else 0.9 * buf + g
        theta -= 0.1 * (g + 0.9 * buf)  # the gradient plus the momentum's next move
        expected.append(theta)
    _assert_path(_run(SGD, lr=0.1, momentum=0.9, nesterov=True), expected)
    # a constant gradient 1: classical momentum steps 0.1, 0.19; Nesterov 0.19, 0.271
    assert _run(SGD, [1.0, 1.0], theta0=0.0, lr=0.1, momentum=0.9) == pytest.approx([-0.1, -0.29])
    assert _run(SGD, [1.0, 1.0], theta0=0.0, lr=0.1, momentum=0.9, nesterov=True) == pytest.approx([-0.19, -0.461])


def test_adamw_decay_is_decoupled_negative_and_coupled_to_lr() -> None:
    lr, wd = 0.1, 0.5
    adam_path = _run(Adam, lr=lr)
    theta, m, v, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        theta *= 1 - lr * wd  # shrinks towards 0 (decay sign), by lr·wd (coupling)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        theta -= lr * (m / (1 - 0.9**t)) / (math.sqrt(v / (1 - 0.999**t)) + 1e-8)
        expected.append(theta)
    _assert_path(_run(AdamW, lr=lr, weight_decay=wd), expected)
    # with a zero gradient, only the decay acts: θ·(1 − lr·wd)^t
    assert _run(AdamW, [0.0, 0.0], theta0=2.0, lr=lr, weight_decay=wd) == pytest.approx([1.9, 1.805], rel=1e-15)
    assert _run(AdamW, [0.0], theta0=-2.0, lr=0.01, weight_decay=wd) == pytest.approx([-1.99], rel=1e-15)
    # unlike Adam's L2 decay, which is divided by √v̂ (so its first step is just lr·sign)
    assert _run(Adam, [0.0], theta0=2.0, lr=lr, weight_decay=wd) == pytest.approx([1.9], rel=1e-6)
    assert _run(Adam, [0.0], theta0=2.0, lr=0.01, weight_decay=wd) == pytest.approx([1.99], rel=1e-6)
    assert adam_path != _run(AdamW, lr=lr)  # default weight_decay 1e-2 is on


def test_adamax_infinity_norm_with_eps_inside_the_max() -> None:
    lr, eps = 0.002, 1e-8
    theta, m, u, expected = 1.0, 0.0, 0.0, []
    for t, g in enumerate(GRADS, start=1):
        m = 0.9 * m + 0.1 * g
        u = max(0.999 * u, abs(g) + eps)
        theta -= lr / (1 - 0.9**t) * m / u
        expected.append(theta)
    _assert_path(_run(Adamax), expected)  # default lr 2e-3 (paper, section 7.1)
    p = Tensor(np.array([0.0]), requires_grad=True)
    opt = Adamax([p], lr=1.0, eps=0.25)
    for g in (1.0, 0.0):
        p.grad = Tensor(np.array([g]))
        opt.step()
    assert opt.state[p]["exp_inf"][0] == 0.999 * 1.25  # max(β2·1.25, 0 + 0.25)


def test_nadam_momentum_schedule() -> None:
    lr, psi, b1, b2, eps = 0.002, 0.004, 0.9, 0.999, 1e-8
    theta, m, v, mu_product, expected = 1.0, 0.0, 0.0, 1.0, []
    for t, g in enumerate(GRADS, start=1):
        mu = b1 * (1 - 0.5 * 0.96 ** (t * psi))
        mu_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * psi))
        mu_product = float(np.float32(mu_product) * np.float32(mu))  # a float32 scalar, as PyTorch's
        m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        denom = math.sqrt(v / (1 - b2**t)) + eps
        theta -= lr * (1 - mu) / (1 - mu_product) * g / denom
        theta -= lr * mu_next / (1 - mu_product * mu_next) * m / denom
        expected.append(theta)
    _assert_path(_run(NAdam), expected)
    assert 0.9 * (1 - 0.5 * 0.96**0.004) == pytest.approx(0.45007348, rel=1e-7)  # μ_1 ≈ β1/2


def test_rmsprop_plain_centered_and_momentum() -> None:
    lr, alpha, eps = 0.01, 0.99, 1e-8
    theta, v, expected = 1.0, 0.0, []
    for g in GRADS:
        v = alpha * v + (1 - alpha) * g * g
        theta -= lr * g / (math.sqrt(v) + eps)
        expected.append(theta)
    _assert_path(_run(RMSprop), expected)
    assert _run(RMSprop, [1.0], theta0=0.0) == pytest.approx([-0.01 / math.sqrt(0.01)])  # 10·lr at t = 1

    theta, v, gbar, buf, expected = 1.0, 0.0, 0.0, 0.0, []
    for g in GRADS:
        v = 0.9 * v + 0.1 * g * g
        gbar = 0.9 * gbar + 0.1 * g
        buf = 0.5 * buf + g / (math.sqrt(v - gbar * gbar) + eps)
        theta -= lr * buf
        expected.append(theta)
    _assert_path(_run(RMSprop, lr=lr, alpha=0.9, momentum=0.5, centered=True), expected)


def test_adagrad_accumulates_and_decays_lr() -> None:
    lr, decay, eps = 0.1, 0.5, 1e-10
    theta, s, expected = 1.0, 0.2, []
    for t, g in enumerate(GRADS, start=1):
        s += g * g
        theta -= lr / (1 + (t - 1) * decay) * g / (math.sqrt(s) + eps)
        expected.append(theta)
    _assert_path(_run(Adagrad, lr=lr, lr_decay=decay, initial_accumulator_value=0.2), expected)
    assert _run(Adagrad, [3.0], theta0=0.0) == pytest.approx([-0.01], rel=1e-9)  # |Δθ| = lr at t = 1


def test_adadelta_ratio_of_rms() -> None:
    rho, eps = 0.9, 1e-6
    theta, v, u, expected = 1.0, 0.0, 0.0, []
    for g in GRADS:
        v = rho * v + (1 - rho) * g * g
        delta = math.sqrt(u + eps) / math.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        theta -= 1.0 * delta
        expected.append(theta)
    _assert_path(_run(Adadelta), expected)
    first = _run(Adadelta, [1.0], theta0=0.0)[0]
    assert first == pytest.approx(-math.sqrt(1e-6) / math.sqrt(0.1 + 1e-6))  # tiny: ≈ −0.00316


@pytest.mark.parametrize("opt_cls", [SGD, Adam, AdamW, Adamax, NAdam, RMSprop, Adagrad, Adadelta])
def test_maximize_is_descent_on_the_negated_gradient(opt_cls: type[Optimizer]) -> None:
    up = _run(opt_cls, lr=0.01, maximize=True)
    down = _run(opt_cls, [-g for g in GRADS], lr=0.01)
    assert up == down


@pytest.mark.parametrize("line_search_fn", [None, "strong_wolfe"])
def test_lbfgs_solves_least_squares(line_search_fn: str | None) -> None:
    from tinygrad_adam.optim import LBFGS

    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(20, 4)), rng.normal(size=20)
    w = Tensor(np.zeros(4), requires_grad=True)
    optimizer = LBFGS([w], line_search_fn=line_search_fn, history_size=5, tolerance_change=1e-15)
    at, bt = Tensor(a), Tensor(b)

    def closure() -> Tensor:
        optimizer.zero_grad()
        loss = ((at @ w - bt) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(3):
        optimizer.step(closure)
    np.testing.assert_allclose(w.array, np.linalg.lstsq(a, b, rcond=None)[0], atol=1e-6)
    assert optimizer.state[w]["func_evals"] >= optimizer.state[w]["n_iter"] > 3
