"""minimize(): paths, values, autograd or analytic derivatives, optimizer choice."""

from __future__ import annotations

import numpy as np
import pytest

from tinygrad_adam import Tensor
from tinygrad_adam.optim import SGD, Adam
from tinygrad_adam.playground import MinimizeResult, get, minimize


def test_result_holds_the_whole_path() -> None:
    bowl = get("bowl")
    x0 = np.array([0.5, -0.3])
    r = minimize(bowl, x0, "sgd", steps=3, lr=0.25)
    assert isinstance(r, MinimizeResult) and r.steps == 3
    # x ← x − 0.25·2x = x/2 each step
    np.testing.assert_array_equal(r.path, [[0.5, -0.3], [0.25, -0.15], [0.125, -0.075], [0.0625, -0.0375]])
    np.testing.assert_allclose(r.values, [bowl.value(p) for p in r.path], rtol=1e-15)
    np.testing.assert_array_equal(r.x, r.path[-1])
    assert r.value == r.values[-1] and isinstance(r.value, np.floating)
    assert r.path.dtype == np.float64
    np.testing.assert_array_equal(x0, [0.5, -0.3])  # not aliased


def test_analytic_gradient_gives_the_same_path_as_autograd() -> None:
    for name in ("bowl", "rosenbrock", "beale"):
        obj = get(name)
        auto = minimize(obj, obj.start, "adam", steps=50, lr=0.01)
        analytic = minimize(obj, obj.start, "adam", steps=50, grad=obj.gradient, lr=0.01)
        np.testing.assert_allclose(analytic.path, auto.path, rtol=1e-12, atol=1e-14)
    bowl = get("bowl")
    np.testing.assert_array_equal(minimize(bowl, [0.3, 0.1], steps=20, grad=lambda x: 2 * x).path,
                                  minimize(bowl, [0.3, 0.1], steps=20).path)


def test_optimizer_by_name_class_and_hyperparameters() -> None:
    f = get("booth")
    by_name = minimize(f, f.start, "momentum", steps=30, lr=0.01)
    by_class = minimize(f, f.start, SGD, steps=30, lr=0.01, momentum=0.9)
    np.testing.assert_array_equal(by_name.path, by_class.path)
    slow = minimize(f, f.start, "adam", steps=30, lr=0.001)
    fast = minimize(f, f.start, "adam", steps=30, lr=0.1)
    assert fast.value < slow.value
    with pytest.raises(ValueError, match="unknown optimizer"):
        minimize(f, f.start, "lbfgs")
    with pytest.raises(TypeError):
        minimize(f, f.start, Adam, nonsense=1)


def test_adam_reaches_known_minima() -> None:
    booth = get("booth")
    r = minimize(booth, booth.start, "adam", steps=500, lr=0.3)
    np.testing.assert_allclose(r.x, [1.0, 3.0], atol=1e-6)
    cubic = get("cubic")
    r = minimize(cubic, 0.001, "adam", steps=300, lr=0.05, eps=1e-7)
    assert r.path.shape == (301,) and abs(r.x - 4 / 3) < 1e-6


def test_zero_steps_callback_and_errors() -> None:
    bowl = get("bowl")
    r = minimize(bowl, [1.0, 1.0], steps=0)
    assert r.path.shape == (1, 2) and r.value == 2.0
    seen = []
    minimize(bowl, [1.0, 1.0], "sgd", steps=2, lr=0.25, callback=lambda i, x, v: seen.append((i, x.tolist(), v)))
    assert seen == [(0, [0.5, 0.5], 0.5), (1, [0.25, 0.25], 0.125)]
    with pytest.raises(ValueError, match="scalar"):
        minimize(lambda x: x * 2, [1.0, 2.0], steps=1)
    with pytest.raises(ValueError, match="grad returned shape"):
        minimize(bowl, [1.0, 2.0], steps=1, grad=lambda x: np.zeros(3))
    with pytest.raises(ValueError, match="steps"):
        minimize(bowl, [1.0, 2.0], steps=-1)


def test_maximize_and_constant_functions() -> None:
    r = minimize(lambda x: -((x - 2.0) ** 2).sum(), [0.0], "adam", steps=400, lr=0.05, maximize=True)
    assert abs(r.x[0] - 2.0) < 1e-3
    const = minimize(lambda x: Tensor(3.0), [1.0], "adam", steps=3)
    np.testing.assert_array_equal(const.path[:, 0], [1.0, 1.0, 1.0, 1.0])


def test_noisy_objective_is_reproducible_and_still_converges() -> None:
    runs = [minimize(get("noisy_quadratic"), [-2.5, 2.0], "adam", steps=500, lr=0.01) for _ in range(2)]
    np.testing.assert_array_equal(runs[0].path, runs[1].path)
    obj = get("noisy_quadratic")
    assert obj.value(runs[0].x) < 0.05 < obj.value(runs[0].path[0])
    assert np.std(np.diff(runs[0].values[-50:])) > 0.01  # the recorded values are noisy samples
