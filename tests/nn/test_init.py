"""nn.init: gains, fans, bounds and spreads of each initialiser, generators and seeding, layer defaults."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_adam
import tinygrad_adam.nn as nn
from tinygrad_adam import Tensor
from tinygrad_adam.nn import init


def test_calculate_gain_table() -> None:
    assert init.calculate_gain("linear") == init.calculate_gain("conv2d") == init.calculate_gain("sigmoid") == 1
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("leaky_relu") == pytest.approx(math.sqrt(2 / (1 + 0.01**2)))
    assert init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(math.sqrt(1 / 3))
    assert init.calculate_gain("selu") == pytest.approx(0.75)
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_fans_of_linear_and_conv_weights() -> None:
    assert init._calculate_fan_in_and_fan_out(np.empty((10, 20))) == (20, 10)
    assert init._calculate_fan_in_and_fan_out(np.empty((32, 3, 5, 4))) == (60, 640)
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(np.empty(5))
    with pytest.raises(ValueError, match="mode 'fan_avg' not supported"):
        init.kaiming_uniform_(np.empty((3, 3)), mode="fan_avg")


@pytest.mark.parametrize(("fn", "kwargs", "kind", "spread"), [
    (init.kaiming_uniform_, {}, "uniform", math.sqrt(2) * math.sqrt(3 / 400)),  # a=0: leaky_relu gain is √2
    (init.kaiming_uniform_, {"nonlinearity": "relu", "mode": "fan_out"}, "uniform", math.sqrt(2) * math.sqrt(3 / 200)),
    (init.kaiming_normal_, {"nonlinearity": "relu"}, "normal", math.sqrt(2) / math.sqrt(400)),
    (init.xavier_uniform_, {"gain": 2.0}, "uniform", 2.0 * math.sqrt(6 / 600)),
    (init.xavier_normal_, {}, "normal", math.sqrt(2 / 600)),
])
def test_initialisers_draw_with_pytorch_bounds_and_spreads(fn: object, kwargs: dict, kind: str,
                                                            spread: float) -> None:
    weight = nn.Parameter(np.zeros((200, 400), dtype=np.float32))
    assert fn(weight, **kwargs) is weight  # type: ignore[operator]
    values = weight.array
    assert values.dtype == np.float32
    if kind == "uniform":  # spread is the bound; std of U(-a, a) is a / sqrt(3)
        assert np.abs(values).max() <= np.float32(spread) and np.abs(values).max() > 0.99 * spread
        assert values.std() == pytest.approx(spread / math.sqrt(3), rel=0.02)
    else:
        assert values.std() == pytest.approx(spread, rel=0.02)
    assert abs(values.mean()) < 0.02 * values.std()


def test_simple_fills() -> None:
    tinygrad_adam.manual_seed(0)  # the means below are 3.5-4 standard errors wide
    t = Tensor(np.empty((3, 2), dtype=np.float32))
    np.testing.assert_array_equal(init.zeros_(t).array, 0)
    np.testing.assert_array_equal(init.ones_(t).array, 1)
    np.testing.assert_array_equal(init.constant_(t, 0.25).array, 0.25)
    array = np.empty(10000)
    init.uniform_(array, -2, 3)
    assert array.min() >= -2 and array.max() < 3 and array.mean() == pytest.approx(0.5, abs=0.05)
    init.normal_(array, 1.0, 0.5)
    assert array.mean() == pytest.approx(1.0, abs=0.02) and array.std() == pytest.approx(0.5, rel=0.03)


def test_generator_and_manual_seed_make_draws_reproducible() -> None:
    a, b = np.empty((4, 4)), np.empty((4, 4))
    init.kaiming_normal_(a, generator=np.random.default_rng(3))
    init.kaiming_normal_(b, generator=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    tinygrad_adam.manual_seed(11)
    first = nn.Linear(5, 3).weight.array.copy()
    tinygrad_adam.manual_seed(11)
    np.testing.assert_array_equal(nn.Linear(5, 3).weight.array, first)
    assert not np.array_equal(nn.Linear(5, 3).weight.array, first)


def test_linear_default_init_is_uniform_within_one_over_sqrt_fan_in() -> None:
    tinygrad_adam.manual_seed(0)
    layer = nn.Linear(1000, 500)
    bound = np.float32(1 / math.sqrt(1000))  # the float32 rounding of a draw next to the bound stays within it
    w, b = layer.weight.array, layer.bias.array
    assert w.shape == (500, 1000) and w.dtype == np.float32
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert w.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
    assert abs(w.mean()) < 0.01 * bound
    counts, _ = np.histogram(w, bins=10, range=(-bound, bound))  # roughly flat
    assert counts.min() > 0.9 * counts.mean()


def test_conv_default_init_bound_uses_receptive_field() -> None:
    layer = nn.Conv2d(32, 64, 5)
    bound = np.float32(1 / math.sqrt(32 * 25))
    assert np.abs(layer.weight.array).max() <= bound and np.abs(layer.weight.array).max() > 0.9 * bound
    assert layer.weight.array.std() == pytest.approx(bound / math.sqrt(3), rel=0.05)
