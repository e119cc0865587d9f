"""The activations added beside ReLU: values and float64 gradients against PyTorch, gradcheck, the in-place F
forms, rrelu's training noise (PyTorch's numbers after the same seed) and the modules' repr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).uniform(-4, 4, (4, 6))

FUNCTIONS: dict[str, Callable[[Any, Any], Any]] = {
    "mish": lambda F, t: F.mish(t),
    "selu": lambda F, t: F.selu(t),
    "celu": lambda F, t: F.celu(t, 0.7),
    "softsign": lambda F, t: F.softsign(t),
    "tanhshrink": lambda F, t: F.tanhshrink(t),
    "softshrink": lambda F, t: F.softshrink(t, 0.8),
    "hardshrink": lambda F, t: F.hardshrink(t, 0.8),
    "threshold": lambda F, t: F.threshold(t, 0.3, -2.0),
    "hardsigmoid": lambda F, t: F.hardsigmoid(t),
    "hardswish": lambda F, t: F.hardswish(t),
    "glu": lambda F, t: F.glu(t, 0),
    "rrelu eval": lambda F, t: F.rrelu(t, 0.1, 0.4),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_values_and_gradients_equal_torch(name: str) -> None:
    results = []
    for lib in (torch, tg):
        t = lib.tensor(X, requires_grad=True)
        out = FUNCTIONS[name](lib.nn.functional, t)
        (out * lib.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))).sum().backward()
        results.append((out.detach().numpy(), t.grad.numpy()))
    # PyTorch's celu and hardsigmoid kernels round some constants to float32, even in float64: 1e-7
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-7, atol=1e-12)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_gradcheck(name: str) -> None:
    away_from_kinks = X + 0.01  # no element at a threshold, where the one-sided slopes differ
    assert tg.gradcheck(lambda t: FUNCTIONS[name](tg.nn.functional, t), tg.tensor(away_from_kinks,
                                                                                  requires_grad=True))


def test_rrelu_training_draws_pytorchs_slopes() -> None:
    for dtype in ("float32", "float64"):
        results = []
        for lib in (torch, tg):
            lib.manual_seed(3)
            t = lib.tensor(X.astype(dtype), requires_grad=True)
            out = lib.nn.RReLU(0.1, 0.3)(t)
            out.sum().backward()
            results.append((out.detach().numpy(), t.grad.numpy(), lib.rand(2).numpy()))
        for ours, theirs in zip(results[1], results[0], strict=True):
            np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name, args", [("relu_", ()), ("elu_", (0.5,)), ("leaky_relu_", (0.2,)),
                                        ("hardtanh_", (-0.5, 0.5)), ("selu_", ()), ("celu_", (0.5,)),
                                        ("threshold_", (0.5, 9.0)), ("rrelu_", ())])
def test_in_place_forms(name: str, args: tuple) -> None:
    theirs, ours = torch.tensor(X), tg.tensor(X)
    assert getattr(tg.nn.functional, name)(ours, *args) is ours
    getattr(torch.nn.functional, name)(theirs, *args)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


@pytest.mark.parametrize("make", [
    lambda nn: nn.Mish(), lambda nn: nn.Mish(True), lambda nn: nn.SELU(True), lambda nn: nn.CELU(0.5, True),
    lambda nn: nn.Softsign(), lambda nn: nn.Softshrink(), lambda nn: nn.Hardshrink(0.3), lambda nn: nn.Tanhshrink(),
    lambda nn: nn.Threshold(0.1, 20), lambda nn: nn.Threshold(0.1, 20, True), lambda nn: nn.Hardsigmoid(),
    lambda nn: nn.Hardswish(True), lambda nn: nn.GLU(), lambda nn: nn.RReLU(), lambda nn: nn.RReLU(0.1, 0.3, True),
    lambda nn: nn.Softmax2d(),
])
def test_module_repr_equals_torch(make: Callable[[Any], Any]) -> None:
    assert repr(make(tg.nn)) == repr(make(torch.nn))


def test_softmax2d_is_over_channels() -> None:
    images = np.random.default_rng(1).standard_normal((2, 3, 2, 2))
    np.testing.assert_allclose(tg.nn.Softmax2d()(tg.tensor(images)).numpy(),
                               torch.nn.Softmax2d()(torch.tensor(images)).numpy(), rtol=1e-12)


def test_threshold_keeps_nan_as_torch() -> None:
    """F.threshold replaces x <= threshold: NaN is not, so it stays (found by experiments/fuzz_ops.py)."""
    x = np.array([[0.9, np.nan, -2.1, np.inf, -np.inf]])
    for threshold in (0.5, np.inf, -np.inf):
        xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, theirs = tg.nn.functional.threshold(xo, threshold, 2.0), torch.nn.functional.threshold(xt, threshold, 2.0)
        np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_array_equal(xo.grad.numpy(), xt.grad.numpy())


@pytest.mark.parametrize(("a", "b", "dim"), [
    (((3, 4), "float32"), ((), "float64"), 1), (((3, 4), "float64"), ((4,), "int64"), 1),
    (((3, 4), "float32"), ((4,), "int64"), -1), (((2, 0), "float64"), ((2, 0), "float64"), 1),
    (((2, 0), "float64"), ((2, 0), "float64"), 0), (((3, 4), "float64"), ((3, 4), "float64"), 2),
    (((3, 4), "int64"), ((3, 4), "int32"), 1)], ids=repr)
def test_cosine_similarity_dtypes_dims_and_empty_dims_as_torch(a: tuple, b: tuple, dim: int) -> None:
    """The inputs promote as broadcast tensors (a 0-dim one counts fully), dim is checked against the broadcast
    shape, and an empty dim gives zeros (found by experiments/fuzz_ops.py)."""
    rng = np.random.default_rng(0)
    x, y = (np.asarray(rng.uniform(1, 3, shape)).astype(dtype) for shape, dtype in (a, b))

    def run(lib: Any) -> Any:
        try:
            return lib.nn.functional.cosine_similarity(lib.tensor(x), lib.tensor(y), dim)
        except (IndexError, RuntimeError) as e:
            return type(e)

    ours, theirs = run(tg), run(torch)
    if isinstance(theirs, type):
        assert ours is theirs
        return
    assert str(ours.dtype) == str(theirs.dtype) and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
