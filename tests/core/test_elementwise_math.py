"""The elementwise math beyond the basics (tan ... addcdiv): float64 gradchecks, values against NumPy and
math, PyTorch's dtype rules and the in-place forms. The comparison with PyTorch itself is the op table's
(tests/core/optable.py); these run without torch."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import Tensor, gradcheck


def leaf(values: list[float] | np.ndarray) -> Tensor:
    return Tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def weighted(out: Tensor) -> Tensor:
    return (out * Tensor(np.linspace(0.5, 1.5, out.numel()).reshape(out.shape))).sum()


X = [-1.7, -0.6, 0.3, 0.8, 1.9]
UNIT = [-0.8, -0.3, 0.1, 0.55, 0.9]
POSITIVE = [0.4, 0.9, 1.3, 2.2, 3.1]
ABOVE_ONE = [1.2, 1.7, 2.5, 3.3, 4.0]
PROBABILITY = [0.05, 0.3, 0.5, 0.7, 0.92]

UNARY: dict[str, tuple[Callable[[Tensor], Tensor], list[float]]] = {
    "tan": (Tensor.tan, [-1.2, -0.4, 0.3, 0.9, 1.3]),
    "sinh": (Tensor.sinh, X),
    "cosh": (Tensor.cosh, X),
    "asin": (Tensor.asin, UNIT),
    "acos": (Tensor.acos, UNIT),
    "atan": (Tensor.atan, X),
    "asinh": (Tensor.asinh, X),
    "acosh": (Tensor.acosh, ABOVE_ONE),
    "atanh": (Tensor.atanh, UNIT),
    "erf": (Tensor.erf, X),
    "erfc": (Tensor.erfc, X),
    "erfinv": (Tensor.erfinv, UNIT),
    "expm1": (Tensor.expm1, X),
    "exp2": (Tensor.exp2, X),
    "rsqrt": (Tensor.rsqrt, POSITIVE),
    "reciprocal": (Tensor.reciprocal, POSITIVE),
    "sinc": (Tensor.sinc, X),
    "logit": (Tensor.logit, PROBABILITY),
    "logit eps": (lambda t: t.logit(eps=0.1), [0.02, 0.3, 0.5, 0.7, 0.97]),
    "deg2rad": (Tensor.deg2rad, X),
    "rad2deg": (Tensor.rad2deg, X),
    "square": (Tensor.square, X),
    "frac": (Tensor.frac, [-1.7, -0.6, 0.3, 0.8, 1.9]),
    "nan_to_num": (Tensor.nan_to_num, X),
    "clamp_min": (lambda t: t.clamp_min(0.5), X),
    "clamp_max": (lambda t: t.clamp_max(0.5), X),
    "float_power": (lambda t: t.float_power(2.5), POSITIVE),
    "xlogy scalar": (lambda t: t.xlogy(3.0), X),
    "copysign scalar": (lambda t: t.copysign(-1.0), X),
    "remainder scalar": (lambda t: t.remainder(0.7), X),
    "fmod scalar": (lambda t: t.fmod(0.7), X),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_gradcheck(name: str) -> None:
    fn, values = UNARY[name]
    assert gradcheck(lambda t: weighted(fn(t)), leaf(values))


BINARY: dict[str, tuple[Callable[[Tensor, Tensor], Tensor], list[float], list[float]]] = {
    "atan2": (Tensor.atan2, X, POSITIVE[::-1]),
    "hypot": (Tensor.hypot, X, POSITIVE),
    "xlogy": (Tensor.xlogy, X, POSITIVE),
    "logaddexp": (Tensor.logaddexp, X, UNIT),
    "logaddexp2": (Tensor.logaddexp2, X, UNIT),
    "remainder": (Tensor.remainder, X, [0.7, -0.9, 1.1, -1.3, 0.45]),
    "fmod": (Tensor.fmod, X, [0.7, -0.9, 1.1, -1.3, 0.45]),
    "copysign": (Tensor.copysign, X, [0.5, -1.0, -2.0, 3.0, 0.1]),
    "float_power": (Tensor.float_power, POSITIVE, X),
    "fmax": (Tensor.fmax, X, UNIT),
    "fmin": (Tensor.fmin, X, UNIT),
    "clamp_min": (Tensor.clamp_min, X, UNIT),
    "clamp_max": (Tensor.clamp_max, X, UNIT),
    "lerp": (lambda a, b: a.lerp(b, 0.3), X, UNIT),
    "lerp tensor weight": (lambda a, w: a.lerp(Tensor(np.ones(5)), w), X, UNIT),
    "addcmul": (lambda a, b: a.addcmul(b, b, value=0.5), X, UNIT),
    "addcdiv": (lambda a, b: a.addcdiv(a, b, value=2), X, POSITIVE),
}


@pytest.mark.parametrize("name", BINARY)
def test_binary_gradcheck(name: str) -> None:
    fn, a, b = BINARY[name]
    assert gradcheck(lambda x, y: weighted(fn(x, y)), leaf(a), leaf(b))


def test_values_agree_with_numpy_and_math() -> None:
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.26])
    t = Tensor(x)
    np.testing.assert_array_equal(t.round().array, [-2.0, -2.0, -0.0, 0.0, 2.0, 2.0, 0.0])  # half to even
    np.testing.assert_allclose(t.round(decimals=1).array, np.round(x, 1))
    np.testing.assert_array_equal(t.ceil().array, np.ceil(x))
    np.testing.assert_array_equal(t.trunc().array, np.trunc(x))
    np.testing.assert_allclose(t.erf().array, [math.erf(v) for v in x])
    np.testing.assert_allclose(Tensor(np.array([-0.5, 0.0, 0.7])).erfinv().erf().array, [-0.5, 0.0, 0.7])
    np.testing.assert_allclose(t.sinc().array, np.sinc(x))
    np.testing.assert_allclose(t.remainder(-1.0).array, np.remainder(x, -1.0))
    np.testing.assert_allclose(t.fmod(-1.0).array, np.fmod(x, -1.0))
    special = Tensor(np.array([np.nan, np.inf, -np.inf, -0.0, 2.0]))
    np.testing.assert_array_equal(special.sign().array, [0.0, 1.0, -1.0, 0.0, 1.0])  # NaN's sign is 0
    np.testing.assert_array_equal(special.signbit().array, [False, False, True, True, False])
    np.testing.assert_array_equal(special.isinf().array, [False, True, True, False, False])
    np.testing.assert_array_equal(special.nan_to_num(nan=7.0, posinf=8.0).array, [7.0, 8.0, -np.finfo(np.float64).max,
                                                                                  -0.0, 2.0])
    nan_left = Tensor(np.array([np.nan, 1.0, 5.0]))
    np.testing.assert_array_equal(nan_left.fmax(Tensor(np.array([2.0, np.nan, 3.0]))).array, [2.0, 1.0, 5.0])


def test_dtypes_follow_pytorch() -> None:
    ints = tg.tensor([1, 2, 3])
    assert ints.tan().dtype == tg.float32 and ints.atan2(ints).dtype == tg.float32
    assert ints.ceil().dtype == tg.int64 and ints.sign().dtype == tg.int64
    assert tg.tensor([True, False]).square().dtype == tg.int64
    assert ints.float_power(2).dtype == tg.float64
    assert ints.remainder(2).dtype == tg.int64 and ints.remainder(1.5).dtype == tg.float32
    assert (ints.logical_and(ints)).dtype == tg.bool
    np.testing.assert_allclose(tg.tensor([2, 4], dtype=tg.uint8).div(tg.tensor(-2)).array, [-1.0, -2.0])


@pytest.mark.parametrize("call, error", [
    (lambda: tg.tensor([1, 2]).frac(), NotImplementedError),
    (lambda: tg.tensor([True]).ceil(), NotImplementedError),
    (lambda: tg.tensor([1, 2]).round(decimals=1), NotImplementedError),
    (lambda: tg.tensor([1, 2]).hypot(tg.tensor([1, 2])), NotImplementedError),
    (lambda: tg.tensor([1.0]).atan2(2.0), TypeError),
    (lambda: tg.tensor([1.0]).logical_and(1), TypeError),
    (lambda: tg.tensor([1.0]) << 1, NotImplementedError),
    (lambda: tg.tensor([True]).bitwise_left_shift(tg.tensor([True])), NotImplementedError),
    (lambda: tg.tensor([1, 2]).remainder(0), RuntimeError),
    (lambda: tg.tensor([1.0]).lerp(tg.tensor([1.0], dtype=tg.float64), 0.5), RuntimeError),
    (lambda: tg.tensor([1.0]).heaviside(tg.tensor([1])), RuntimeError),
    (lambda: tg.tensor([1, 2]).addcdiv(tg.tensor([1, 2]), tg.tensor([1, 2])), RuntimeError),
    (lambda: tg.tensor([1, 2]).sqrt_(), RuntimeError),
    (lambda: tg.tensor([1.0]).float_power_(2), RuntimeError),
])
def test_refusals_have_pytorchs_types(call: Callable[[], object], error: type) -> None:
    with pytest.raises(error):
        call()


def test_shifts_past_the_width_are_pytorchs() -> None:
    t = tg.tensor([1, -8, 3])
    np.testing.assert_array_equal((t << tg.tensor([70, 1, -1])).array, [0, -16, 0])
    np.testing.assert_array_equal((t >> tg.tensor([70, 1, -1])).array, [0, -4, 0])
    u = tg.tensor([200, 8], dtype=tg.uint8)
    np.testing.assert_array_equal((u >> tg.tensor([9, 3], dtype=tg.uint8)).array, [0, 1])
    assert (2 << tg.tensor([1, 2])).tolist() == [4, 8]


def test_in_place_forms_write_into_the_tensor_and_bump_the_version() -> None:
    t = tg.tensor([0.25, 0.5])
    same = t.tan_()
    assert same is t and t._version == 1
    np.testing.assert_allclose(t.array, np.tan([0.25, 0.5]).astype(np.float32))
    m = tg.tensor([1.0, 2.0, 3.0])
    m.lt_(2.5)
    assert m.tolist() == [1.0, 1.0, 0.0] and m.dtype == tg.float32
    i = tg.tensor([5, 6])
    i %= 4
    i <<= 1
    i |= 1
    assert i.tolist() == [3, 5]
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        w.exp_()
    y = w * 1
    y.sigmoid_()
    y.sum().backward()
    s = 1 / (1 + np.exp(-np.array([1.0, 2.0])))
    np.testing.assert_allclose(w.grad.array, s * (1 - s), rtol=1e-6)


def test_aliases_are_the_same_math() -> None:
    a, b = tg.tensor([1.0, -2.0, 3.0]), tg.tensor([2.0, 2.0, -1.0])
    for alias, name in [("multiply", "mul"), ("subtract", "sub"), ("divide", "div"), ("greater", "gt"),
                        ("less_equal", "le"), ("not_equal", "ne"), ("arctan2", "atan2")]:
        assert getattr(tg, alias)(a, b).tolist() == getattr(a, name)(b).tolist()
    assert tg.negative(a).tolist() == (-a).tolist() and tg.absolute(a).tolist() == a.abs().tolist()
    assert tg.arcsin(tg.tensor([0.5])).tolist() == tg.asin(tg.tensor([0.5])).tolist()
    assert tg.positive(a) is a


def test_out_receives_the_result() -> None:
    out = tg.empty(2)
    assert tg.exp(tg.tensor([0.0, 1.0]), out=out) is out and out._version == 1
    np.testing.assert_allclose(out.array, [1.0, math.e], rtol=1e-6)
    longs = tg.zeros(2, dtype=tg.int64)
    tg.add(tg.tensor([1, 2]), 3, out=longs)
    assert longs.tolist() == [4, 5]
    with pytest.warns(UserWarning):
        resized = tg.mul(tg.tensor([1.0, 2.0]), 2, out=tg.empty(5))
    assert resized.shape == (2,)
    with pytest.raises(RuntimeError):  # a float result into an integer tensor
        tg.tan(tg.tensor([1.0]), out=tg.zeros(1, dtype=tg.int64))
    with pytest.raises(RuntimeError):  # out= does not record a graph
        tg.exp(tg.tensor([1.0], requires_grad=True), out=tg.empty(1))
    with tg.no_grad():
        tg.exp(tg.tensor([1.0], requires_grad=True), out=out)
    values, indices = tg.empty(0), tg.empty(0, dtype=tg.int64)
    tg.sort(tg.tensor([3.0, 1.0]), out=(values, indices))
    assert values.tolist() == [1.0, 3.0] and indices.tolist() == [1, 0]


@pytest.mark.parametrize("name, fn, values", [
    ("lgamma", Tensor.lgamma, POSITIVE),
    ("digamma", Tensor.digamma, POSITIVE),
    ("polygamma", lambda t: t.polygamma(2), POSITIVE),
    ("i0", Tensor.i0, X),
    ("ldexp", lambda t: t.ldexp(tg.tensor([1, -1, 0, 2, 3])), X),
])
def test_special_functions_gradcheck(name: str, fn: Callable[[Tensor], Tensor], values: list[float]) -> None:
    assert gradcheck(lambda t: weighted(fn(t)), leaf(values))


def test_special_function_values() -> None:
    x = np.array([0.5, 1.0, 2.5, 4.0])
    np.testing.assert_allclose(Tensor(x).lgamma().array, [math.lgamma(v) for v in x])
    np.testing.assert_allclose(Tensor(x).digamma().array[1], -0.5772156649015329)  # -Euler's gamma
    assert tg.gcd(tg.tensor([4, -6, 0]), tg.tensor([6, 4, 0])).tolist() == [2, 2, 0]
    assert tg.lcm(tg.tensor([4, -6]), tg.tensor([6, 4])).tolist() == [12, 12]
    assert tg.ldexp(tg.tensor([1, 3]), tg.tensor([2, -1])).tolist() == [4.0, 1.5]
