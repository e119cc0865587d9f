"""Every differentiable op gradchecked in float64, with inputs kept away from kinks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.strategies import broadcast_pairs, distinct_leaf, leaf, positive_leaf, shapes

import tinygrad_adam as tg
from tinygrad_adam import Tensor, gradcheck

fast = settings(max_examples=15, deadline=None)


def weighted(out: Tensor, seed: int = 99) -> Tensor:
    """Reduce to a scalar with fixed random weights, so every output element matters differently."""
    weights = np.random.default_rng(seed).uniform(0.5, 1.5, out.shape)
    return (out * Tensor(weights)).sum()


# ----- arithmetic with broadcasting between different ranks ---------------------------------------
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a ** b,
    "maximum": lambda a, b: a.maximum(b),
    "minimum": lambda a, b: a.minimum(b),
}


@pytest.mark.parametrize("name", BINARY)
@fast
@given(pair=broadcast_pairs(), seed=st.integers(0, 10_000))
def test_binary_ops_broadcast(name: str, pair: tuple, seed: int) -> None:
    shape_a, shape_b = pair
    a, b = positive_leaf(shape_a, seed), positive_leaf(shape_b, seed + 1)
    if name in ("maximum", "minimum"):
        b = Tensor(b.array + 0.05 + 3.0 * (np.random.default_rng(seed).random(shape_b) > 0.5), requires_grad=True)
    fn = BINARY[name]
    assert gradcheck(lambda x, y: weighted(fn(x, y)), a, b)
    assert fn(a, b).shape == np.broadcast_shapes(shape_a, shape_b)


@pytest.mark.parametrize("op", [
    lambda x: x + 2, lambda x: 2 + x, lambda x: x - 3, lambda x: 3 - x, lambda x: x * 1.5,
    lambda x: 1.5 * x, lambda x: x / 4, lambda x: 4 / x, lambda x: -x, lambda x: x ** 3,
    lambda x: x ** -0.5, lambda x: 2.0 ** x,
], ids=["add", "radd", "sub", "rsub", "mul", "rmul", "div", "rdiv", "neg", "pow3", "pow-half", "rpow"])
def test_scalar_arithmetic(op) -> None:
    x = positive_leaf((3, 2), 0)
    assert gradcheck(lambda t: weighted(op(t)), x)


def test_scalar_results_match_numpy() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = Tensor(x)
    np.testing.assert_allclose((3 - t).array, 3 - x)
    np.testing.assert_allclose((2 / t).array, 2 / x)
    np.testing.assert_allclose((2.0 ** t).array, 2.0 ** x)
    np.testing.assert_allclose((t ** 0.5).array, x ** 0.5)


# ----- matmul with NumPy semantics ---------------------------------------------------------------
@pytest.mark.parametrize("shape_a,shape_b", [
    ((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)), ((2, 3), (3, 4)),
    ((2, 2, 3), (3, 4)), ((3,), (2, 3, 4)), ((2, 1, 2, 3), (3, 3, 2)), ((2, 3, 4), (4,)),
])
def test_matmul(shape_a: tuple, shape_b: tuple) -> None:
    a, b = leaf(shape_a, 1), leaf(shape_b, 2)
    out = a @ b
    np.testing.assert_allclose(out.array, np.matmul(a.array, b.array))
    assert gradcheck(lambda x, y: weighted(x @ y) if (x @ y).ndim else x @ y, a, b)


# ----- reductions --------------------------------------------------------------------------------
AXES = [None, 0, -1, (0, 2), (1,)]


@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "mean", "max", "min", "var"])
def test_reductions(name: str, axis, keepdims: bool) -> None:
    x = distinct_leaf((2, 3, 4), 3)
    method = f"a{name}" if name in ("max", "min") and (axis is None or isinstance(axis, tuple)) else name

    def reduce(t: Tensor) -> Tensor:  # max/min take one dim, as in PyTorch; amax/amin any
        out = getattr(t, method)(axis, keepdims) if method != name else getattr(t, name)(axis=axis, keepdims=keepdims)
        return out.values if isinstance(out, tuple) else out  # max/min over one dim also give indices

    out = reduce(x)
    extra = {"ddof": 1} if name == "var" else {}  # PyTorch's var divides by N - 1 by default
    expected = getattr(np, name)(x.array, axis=axis, keepdims=keepdims, **extra)
    np.testing.assert_allclose(out.array, expected, rtol=1e-6)
    assert out.shape == np.shape(expected)
    assert gradcheck(lambda t: weighted(reduce(t)), x)


def test_var_ddof_matches_numpy() -> None:
    x = leaf((4, 5), 4)
    np.testing.assert_allclose(x.var(axis=1, ddof=1).array, np.var(x.array, axis=1, ddof=1))
    assert gradcheck(lambda t: weighted(t.var(axis=1, ddof=1)), x)


def test_max_splits_gradient_evenly_between_ties() -> None:
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]], requires_grad=True)
    x.amax(dim=1).sum().backward()
    np.testing.assert_allclose(x.grad, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)
    x.grad = None
    x.max(dim=1).values.sum().backward()  # max over a dim: the gradient goes to the index it returns
    np.testing.assert_allclose(x.grad, [[0, 1, 0], [1, 0, 0]])
    y = Tensor([4.0, 1.0, 1.0], requires_grad=True)
    y.min().backward()
    np.testing.assert_allclose(y.grad, [0, 0.5, 0.5])


def test_argmax_returns_int64_tensors() -> None:
    x = Tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 1.0]])
    assert isinstance(x.argmax(axis=1), Tensor) and x.argmax(dim=1).dtype == np.int64
    np.testing.assert_array_equal(x.argmax(axis=1), [1, 0])
    np.testing.assert_array_equal(x.argmin(axis=1), [0, 1])


# ----- elementwise -------------------------------------------------------------------------------
UNARY = {
    "exp": (lambda t: t.exp(), None),
    "log": (lambda t: t.log(), "positive"),
    "sqrt": (lambda t: t.sqrt(), "positive"),
    "abs": (lambda t: t.abs(), 0.0),
    "tanh": (lambda t: t.tanh(), None),
    "sigmoid": (lambda t: t.sigmoid(), None),
    "relu": (lambda t: t.relu(), 0.0),
    "leaky_relu": (lambda t: t.leaky_relu(0.1), 0.0),
    "clip": (lambda t: t.clip(-0.5, 0.7), "clip"),
    "softmax": (lambda t: t.softmax(axis=-1), None),
    "softmax0": (lambda t: t.softmax(axis=0), None),
    "log_softmax": (lambda t: t.log_softmax(axis=-1), None),
    "logsumexp": (lambda t: t.logsumexp(axis=1), None),
    "logsumexp_keep": (lambda t: t.logsumexp(axis=(0, 1), keepdims=True), None),
    "logsumexp_all": (lambda t: t.logsumexp((0, 1)), None),
}


@pytest.mark.parametrize("name", UNARY)
@fast
@given(shape=shapes(min_dims=2, max_dims=3), seed=st.integers(0, 10_000))
def test_unary_ops(name: str, shape: tuple, seed: int) -> None:
    fn, domain = UNARY[name]
    if domain == "positive":
        x = positive_leaf(shape, seed)
    elif domain == "clip":
        x = leaf(shape, seed, away_from=-0.5)
        x = Tensor(np.where(np.abs(x.array - 0.7) < 0.1, x.array + 0.25, x.array), requires_grad=True)
    else:
        x = leaf(shape, seed, away_from=domain)
    assert gradcheck(lambda t: weighted(fn(t)), x)


def test_elementwise_values() -> None:
    x = np.array([-2.0, -0.5, 0.0, 0.5, 3.0])
    t = Tensor(x)
    np.testing.assert_allclose(t.sigmoid().array, 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(t.relu().array, np.maximum(x, 0))
    np.testing.assert_allclose(t.leaky_relu(0.1).array, np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(t.clip(-1, 1).array, np.clip(x, -1, 1))
    np.testing.assert_allclose(tg.where(t > 0, t, t * 2).array, np.where(x > 0, x, 2 * x))


def test_relu_and_abs_gradient_at_zero_is_zero() -> None:
    x = Tensor([0.0, 0.0], requires_grad=True)
    (x.relu() + x.abs()).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0])


def test_where_and_maximum_ties() -> None:
    a = leaf((3, 4), 5)
    b = leaf((4,), 6)
    cond = np.random.default_rng(0).random((3, 4)) > 0.5
    assert gradcheck(lambda x, y: weighted(tg.where(cond, x, y)), a, b)
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([1.0, 0.0], requires_grad=True)
    x.maximum(y).sum().backward()
    np.testing.assert_allclose(x.grad, [0.5, 1.0])
    np.testing.assert_allclose(y.grad, [0.5, 0.0])


@pytest.mark.parametrize("scale", [1e4, -1e4])
def test_softmax_family_is_stable_for_huge_logits(scale: float) -> None:
    logits = Tensor(np.array([[1.0, 0.0, -1.0], [0.5, 0.2, 0.1]]) * scale, requires_grad=True)
    for fn in (lambda t: t.softmax(), lambda t: t.log_softmax(), lambda t: t.logsumexp(axis=1)):
        logits.grad = None
        out = fn(logits)
        weighted(out).backward()
        assert np.all(np.isfinite(out.array)) and np.all(np.isfinite(logits.grad.array))
    np.testing.assert_allclose(logits.logsumexp(axis=1).array, logits.array.max(axis=1))
    np.testing.assert_allclose(logits.softmax().array.sum(axis=1), [1.0, 1.0])


# ----- movement ----------------------------------------------------------------------------------
MOVEMENT = {
    "reshape_ints": lambda t: t.reshape(4, 6),
    "reshape_tuple": lambda t: t.reshape((6, -1)),
    "flatten": lambda t: t.flatten(),
    "flatten_from1": lambda t: t.flatten(1),
    "transpose": lambda t: t.transpose(),
    "T": lambda t: t.T,
    "transpose_axes": lambda t: t.transpose(1, 0, 2),
    "permute": lambda t: t.permute(2, 0, 1),
    "unsqueeze": lambda t: t.unsqueeze(1),
    "squeeze": lambda t: t.unsqueeze(0).squeeze(0),
    "expand": lambda t: t[:, :1, :].expand(2, 3, 4),
    "expand_new_axis": lambda t: t.expand(5, 2, 3, 4),
    "pad": lambda t: t.pad(((0, 0), (1, 2), (2, 0))),
    "pad_int": lambda t: t.pad(1, value=3.0),
    "slice": lambda t: t[1:, ::2, -1],
    "int_array": lambda t: t[np.array([0, 1, 1, 0]), np.array([2, 0, 0, 2])],
    "bool_mask": lambda t: t[t.array > 0],
    "ellipsis_none": lambda t: t[..., None, 1],
}


@pytest.mark.parametrize("name", MOVEMENT)
def test_movement_ops(name: str) -> None:
    x = leaf((2, 3, 4), 7, away_from=0.0)
    fn = MOVEMENT[name]
    assert gradcheck(lambda t: weighted(fn(t)), x)


def test_movement_values_match_numpy() -> None:
    x = np.arange(24.0).reshape(2, 3, 4)
    t = Tensor(x)
    np.testing.assert_array_equal(t.reshape(4, 6).array, x.reshape(4, 6))
    np.testing.assert_array_equal(t.permute(2, 0, 1).array, x.transpose(2, 0, 1))
    np.testing.assert_array_equal(t.T.array, x.T)
    np.testing.assert_array_equal(t.pad(((0, 0), (1, 1), (0, 0))).array, np.pad(x, ((0, 0), (1, 1), (0, 0))))
    assert t.squeeze().shape == (2, 3, 4) and t.unsqueeze(-1).shape == (2, 3, 4, 1)
    assert t[:, None].shape == (2, 1, 3, 4)
    assert t.flatten(1).shape == (2, 12)


def test_repeated_indices_accumulate_gradient() -> None:
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[np.array([0, 0, 2, 0])].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


def test_cross_entropy_style_indexing() -> None:
    logits = leaf((4, 5), 8)
    labels = np.array([1, 0, 4, 1])
    picked = logits[np.arange(4), labels]
    np.testing.assert_array_equal(picked.array, logits.array[np.arange(4), labels])
    assert gradcheck(lambda t: -t.log_softmax()[np.arange(4), labels].mean(), logits)


def test_concatenate_and_stack() -> None:
    a, b, c = leaf((2, 3), 9), leaf((2, 1), 10), leaf((2, 2), 11)
    assert gradcheck(lambda x, y, z: weighted(tg.concatenate([x, y, z], axis=1)), a, b, c)
    d = leaf((2, 3), 12)
    assert gradcheck(lambda x, y: weighted(tg.stack([x, y], axis=1)), a, d)
    assert tg.stack([a, d], axis=-1).shape == (2, 3, 2)
    np.testing.assert_array_equal(tg.concatenate([a, c], axis=1).array, np.concatenate([a.array, c.array], axis=1))


def test_cast_keeps_gradient_flowing_in_the_input_dtype() -> None:
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    (x.double() * 3).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [3.0, 3.0])


def test_float32_stays_float32_through_ops_and_grads() -> None:
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 4), dtype=np.float32), requires_grad=True)
    out = ((x @ w) * 0.5 + 1).tanh().exp().log_softmax().mean()
    assert out.dtype == np.float32
    out.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32
