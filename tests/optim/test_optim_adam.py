"""Adam against its update equations, computed by hand in float64 (Kingma & Ba 2015, Algorithm 1)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_adam import Tensor
from tinygrad_adam.optim import Adam


def _param(*values: float) -> Tensor:
    return Tensor(np.array(values, dtype=np.float64), requires_grad=True)


def _step(opt: Adam, p: Tensor, grad: list[float]) -> None:
    p.grad = Tensor(np.array(grad, dtype=p.dtype))
    opt.step()


def test_bias_corrections_at_t_1_2_3_by_hand() -> None:
    p = _param(1.0, -2.0)
    opt = Adam([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    grads = [[0.5, 100.0], [-0.2, 100.0], [0.1, 100.0]]
    theta, m, v = [1.0, -2.0], [0.0, 0.0], [0.0, 0.0]
    expected_corrections = [(0.1, 0.001), (0.19, 0.001999), (0.271, 0.002997001)]
    for t, g in enumerate(grads, start=1):
        _step(opt, p, g)
        bc1, bc2 = 1 - 0.9**t, 1 - 0.999**t
        assert bc1 == pytest.approx(expected_corrections[t - 1][0], rel=1e-14)
        assert bc2 == pytest.approx(expected_corrections[t - 1][1], rel=1e-12)
        for i in range(2):
            m[i] = 0.9 * m[i] + 0.1 * g[i]
            v[i] = 0.999 * v[i] + 0.001 * g[i] ** 2
            theta[i] -= 0.1 * (m[i] / bc1) / (math.sqrt(v[i] / bc2) + 1e-8)
        assert opt.state[p]["step"] == t
        np.testing.assert_allclose(opt.state[p]["exp_avg"], m, rtol=1e-15)
        np.testing.assert_allclose(opt.state[p]["exp_avg_sq"], v, rtol=1e-15)
        np.testing.assert_allclose(p.array, theta, rtol=1e-15)
    # a constant gradient (the second coordinate) moves by exactly lr per step, for any size: m̂ = g, v̂ = g²
    assert p.array[1] == pytest.approx(-2.0 - 3 * 0.1, abs=1e-10)
    # the first coordinate in numbers: m̂ = 0.5, 0.13158, 0.11993; v̂ = 0.25, 0.14495, 0.09992;
    # steps 0.1, 0.0345606, 0.0379392
    assert p.array[0] == pytest.approx(1.0 - 0.0999999980000001 - 0.034560583883489156 - 0.037939177280815174,
                                      rel=1e-14)
    assert p.array[0] == pytest.approx(0.8275002408356955, rel=1e-14)


@pytest.mark.parametrize("scale", [1e-6, 1.0, 1e6])
def test_first_step_is_lr_times_sign_whatever_the_gradient_scale(scale: float) -> None:
    p = _param(0.0, 0.0, 0.0)
    opt = Adam([p], lr=0.01, eps=0.0)
    _step(opt, p, [3 * scale, -scale, 0.5 * scale])
    np.testing.assert_allclose(p.array, [-0.01, 0.01, -0.01], rtol=1e-15)


def test_eps_is_added_after_the_square_root_of_v_hat() -> None:
    p = _param(0.0)
    opt = Adam([p], lr=1.0, betas=(0.0, 0.0), eps=0.5)  # β = 0: m̂ = g, v̂ = g²
    _step(opt, p, [2.0])
    assert p.array[0] == -2.0 / (2.0 + 0.5)  # not 2 / sqrt(4 + 0.5)


def test_eps_hat_form_equals_textbook_with_rescaled_eps() -> None:
    """θ −= α√(1−β2^t)/(1−β1^t)·m/(√v + ε̂)  ==  θ −= α·m̂/(√v̂ + ε) with ε = ε̂/√(1−β2^t)."""
    rng = np.random.default_rng(3)
    eps_hat = 1e-3  # large, so that the two conventions really differ in early steps
    efficient, textbook, plain = (_param(0.3, -0.7, 1.1) for _ in range(3))
    opt_e = Adam([efficient], lr=0.05, eps=eps_hat, eps_hat=True)
    opt_t = Adam([textbook], lr=0.05)
    opt_p = Adam([plain], lr=0.05, eps=eps_hat)  # the same eps, placed after √v̂
    for t in range(1, 16):
        g = rng.normal(size=3) * 1e-2
        opt_t.param_groups[0]["eps"] = eps_hat / math.sqrt(1 - 0.999**t)
        for opt, p in ((opt_e, efficient), (opt_t, textbook), (opt_p, plain)):
            _step(opt, p, list(g))
        np.testing.assert_allclose(efficient.array, textbook.array, rtol=1e-14, atol=1e-16)
    assert np.max(np.abs(efficient.array - plain.array)) > 1e-3  # the negative control


def test_amsgrad_uses_the_running_maximum_of_v() -> None:
    p, q = _param(0.0), _param(0.0)
    ams = Adam([p], lr=0.1, betas=(0.5, 0.5), eps=0.0, amsgrad=True)
    adam = Adam([q], lr=0.1, betas=(0.5, 0.5), eps=0.0)
    for g in ([2.0], [0.0]):
        _step(ams, p, g)
        _step(adam, q, g)
    # t=1: m=1, v=2, v_max=2; both step by -0.1. t=2: m=0.5, v=1 but v_max stays 2.
    assert ams.state[p]["exp_avg_sq"][0] == 1.0
    assert ams.state[p]["max_exp_avg_sq"][0] == 2.0
    m_hat = 0.5 / 0.75
    assert p.array[0] == pytest.approx(-0.1 - 0.1 * m_hat / math.sqrt(2.0 / 0.75), rel=1e-15)
    assert q.array[0] == pytest.approx(-0.1 - 0.1 * m_hat / math.sqrt(1.0 / 0.75), rel=1e-15)
    assert abs(p.array[0]) < abs(q.array[0])  # the maximum damps the step


def test_weight_decay_is_l2_added_to_the_gradient() -> None:
    p, q = _param(1.5, -0.5), _param(1.5, -0.5)
    decayed = Adam([p], lr=0.1, weight_decay=0.2)
    manual = Adam([q], lr=0.1)
    for g in ([0.3, 0.1], [-0.2, 0.4], [0.05, 0.05]):
        _step(decayed, p, g)
        q.grad = Tensor(np.array(g) + 0.2 * q.array)
        manual.step()
    np.testing.assert_array_equal(p.array, q.array)


def test_maximize_ascends() -> None:
    p, q = _param(1.0), _param(1.0)
    up = Adam([p], lr=0.1, maximize=True)
    down = Adam([q], lr=0.1)
    for g in ([0.5], [0.25]):
        _step(up, p, g)
        _step(down, q, [-g[0]])
    assert p.array[0] > 1.0
    np.testing.assert_array_equal(p.array, q.array)


def test_float32_parameter_keeps_float32_state_and_tracks_float64() -> None:
    rng = np.random.default_rng(0)
    init = rng.normal(size=(4, 3))
    p32 = Tensor(init.astype(np.float32), requires_grad=True)
    p64 = Tensor(init.copy(), requires_grad=True)
    opt32, opt64 = Adam([p32], lr=0.01), Adam([p64], lr=0.01)
    for _ in range(10):
        g = rng.normal(size=(4, 3))
        p32.grad, p64.grad = Tensor(g.astype(np.float32)), Tensor(g)
        opt32.step()
        opt64.step()
    assert p32.dtype == np.float32
    assert all(opt32.state[p32][k].dtype == np.float32 for k in ("exp_avg", "exp_avg_sq"))
    np.testing.assert_allclose(p32.array, p64.array, rtol=1e-5, atol=1e-6)


def test_adam_fits_a_linear_model_through_autograd() -> None:
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(size=(64, 1)))
    y = 3.0 * x.array - 2.0 + 0.01 * rng.normal(size=(64, 1))
    w, b = Tensor(np.zeros((1, 1)), requires_grad=True), Tensor(np.zeros(1), requires_grad=True)
    opt = Adam([w, b], lr=0.1)
    for _ in range(300):
        opt.zero_grad()
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        opt.step()
    assert w.array[0, 0] == pytest.approx(3.0, abs=0.01)
    assert b.array[0] == pytest.approx(-2.0, abs=0.01)
    assert w.is_leaf and w._ctx is None
