"""Test functions: known minima, analytic gradients against autograd, grid evaluation, the noisy quadratic."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_adam import Tensor, gradcheck
from tinygrad_adam.core.ops import Cos
from tinygrad_adam.playground.objectives import OBJECTIVES, ackley, get, noisy_quadratic, rastrigin, rosenbrock

DETERMINISTIC = [name for name in OBJECTIVES if name != "noisy_quadratic"]


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_minima_have_the_stated_value_and_zero_gradient(name: str) -> None:
    obj = get(name)
    for point in np.atleast_1d(obj.minima) if obj.dim == 1 else obj.minima:
        assert obj.value(point) == pytest.approx(obj.min_value, abs=1e-12)
        np.testing.assert_allclose(obj.gradient(point), 0.0, atol=1e-9)
        assert obj.distance_to_minimum(point) == 0.0


@pytest.mark.parametrize("name", DETERMINISTIC)
def test_analytic_gradient_matches_autograd(name: str) -> None:
    obj = get(name)
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    low, high = obj.bounds[:, 0], obj.bounds[:, 1]
    for _ in range(5):
        point = low + rng.random(obj.dim) * (high - low)
        if obj.dim == 1:
            point = point.reshape(())
        x = Tensor(point.copy(), requires_grad=True)
        out = obj(x)
        out.backward()
        assert out.item() == pytest.approx(obj.value(point), rel=1e-14)
        np.testing.assert_allclose(x.grad, obj.gradient(point), rtol=1e-10, atol=1e-10)


def test_known_values() -> None:
    assert get("bowl").value([0.3, -0.4]) == pytest.approx(0.25)
    assert get("cubic").value(0.0) == 2.0 and get("cubic").value(4 / 3) == pytest.approx(22 / 27)
    assert get("rosenbrock").value([-1.2, 1.0]) == pytest.approx(24.2)
    assert get("beale").value([0.0, 0.0]) == pytest.approx(14.203125)
    assert get("himmelblau").value([0.0, 0.0]) == 170.0
    assert get("booth").value([0.0, 0.0]) == 74.0
    assert get("rastrigin").value([0.5, 0.5]) == pytest.approx(40.5)  # 20 + 2·(0.25 + 10)
    assert get("ackley").value([1.0, 1.0]) == pytest.approx(3.6253849384403627)
    assert len(get("himmelblau").minima) == 4
    np.testing.assert_allclose(get("himmelblau").gradient(np.array([3.0, 2.0])), [0.0, 0.0])


def test_functions_generalise_to_more_dimensions() -> None:
    assert rosenbrock(np.ones(5)) == 0.0
    assert rosenbrock(np.array([0.0, 0.0, 0.0])) == 2.0  # (1 − 0)² twice
    assert rastrigin(np.zeros(4)) == 0.0
    assert ackley(np.zeros(3)) == pytest.approx(0.0, abs=1e-15)
    x = Tensor(np.array([0.5, -0.2, 0.9]), requires_grad=True)
    rosenbrock(x).backward()
    np.testing.assert_allclose(x.grad, get("rosenbrock").gradient(np.array([0.5, -0.2, 0.9])))


@pytest.mark.parametrize("name", [n for n in DETERMINISTIC if n != "cubic"])
def test_grid_evaluation_equals_pointwise(name: str) -> None:
    obj = get(name)
    xs, ys = np.linspace(*obj.bounds[0], 4), np.linspace(*obj.bounds[1], 3)
    X, Y = np.meshgrid(xs, ys)  # noqa: N806
    Z = obj.value(np.stack([X, Y]))  # noqa: N806
    assert Z.shape == (3, 4)
    assert Z[2, 1] == pytest.approx(obj.value([xs[1], ys[2]]), rel=1e-14)
    z_tensor = obj(Tensor(np.stack([X, Y])))  # Tensors too
    np.testing.assert_allclose(z_tensor.array, Z, rtol=1e-14)


def test_cos_op_gradient() -> None:
    x = Tensor(np.linspace(-3, 3, 7), requires_grad=True)
    assert gradcheck(lambda t: Cos.apply(t), x)
    Cos.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad, -np.sin(x.array))


def test_noisy_quadratic_is_unbiased_and_reproducible() -> None:
    obj = noisy_quadratic(scales=(1.0, 10.0), noise=0.5, seed=3)
    point = np.array([1.0, -0.5])
    samples = np.array([obj(point) for _ in range(4000)])
    expected = 0.5 * 1.0 + 0.5 * 10.0 * 0.25
    assert obj.value(point) == expected
    assert samples.mean() == pytest.approx(expected, abs=0.03)  # σ·|x| / √4000 ≈ 0.009
    assert samples.std() == pytest.approx(0.5 * math.hypot(1.0, 0.5), rel=0.05)
    grads = np.array([obj.gradient(point) for _ in range(4000)])
    np.testing.assert_allclose(grads.mean(axis=0), [1.0, -5.0], atol=0.03)
    np.testing.assert_allclose(grads.std(axis=0), [0.5, 0.5], rtol=0.05)
    a, b = noisy_quadratic(seed=9), noisy_quadratic(seed=9)
    x = Tensor(point.copy(), requires_grad=True)
    a(x).backward()
    np.testing.assert_allclose(x.grad, b.gradient(point), rtol=1e-14)  # same draws: autograd == analytic


def test_get_unknown_and_fresh_noise() -> None:
    with pytest.raises(ValueError, match="unknown objective 'rosenbrok'"):
        get("rosenbrok")
    assert get("noisy_quadratic")(np.ones(2)) == get("noisy_quadratic")(np.ones(2))
    with pytest.raises(NotImplementedError):
        type(get("bowl"))("f", lambda x: x, np.zeros((1, 1)), 0.0, np.zeros((1, 2)), np.zeros(1)).gradient([0.0])
