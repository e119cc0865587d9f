"""Activation layers against PyTorch: in-place layers write into their input, the class hierarchy, print()."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402
import tinygrad_adam.nn as nn  # noqa: E402

IN_PLACE = {
    "ReLU": {}, "ReLU6": {}, "LeakyReLU": {"negative_slope": 0.2}, "ELU": {"alpha": 0.5}, "CELU": {"alpha": 2.0},
    "SELU": {}, "SiLU": {}, "Mish": {}, "Hardtanh": {"min_val": -0.5, "max_val": 2.0}, "Hardsigmoid": {},
    "Hardswish": {}, "Threshold": {"threshold": 0.1, "value": -3.0},
}


@pytest.mark.parametrize("name", sorted(IN_PLACE))
def test_in_place_layer_writes_into_its_input(name: str) -> None:
    x = np.random.default_rng(0).standard_normal((3, 5)) * 3
    results = []
    for lib in (tg, torch):
        leaf = lib.tensor(x, dtype=lib.float64, requires_grad=True)
        hidden = leaf * 1.5
        layer = getattr(lib.nn, name)(inplace=True, **IN_PLACE[name])
        out = layer(hidden)
        assert out is hidden  # the same tensor, changed in place
        (out * out).sum().backward()
        results.append((repr(layer), out.detach().numpy(), leaf.grad.numpy(), type(out.grad_fn).__name__))
    ours, theirs = results
    assert ours[0] == theirs[0] and ours[3] == theirs[3]
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-10)


def test_in_place_layer_on_a_leaf_is_refused_as_in_pytorch() -> None:
    for lib in (tg, torch):
        with pytest.raises(RuntimeError, match="leaf (Variable|Tensor) that requires grad"):
            lib.nn.ReLU(inplace=True)(lib.ones(2, requires_grad=True))


def test_activation_classes_have_pytorch_base_classes() -> None:
    """isinstance(m, nn.ReLU) is true of the same layers as in PyTorch (SiLU is not a ReLU, ReLU6 is a Hardtanh)."""
    names = [n for n in dir(torch.nn.modules.activation) if isinstance(getattr(torch.nn, n, None), type)
             and hasattr(nn, n)]
    assert len(names) > 30
    for name in names:
        ours = {c.__name__ for c in getattr(nn, name).__mro__ if hasattr(nn, c.__name__)}
        theirs = {c.__name__ for c in getattr(torch.nn, name).__mro__ if hasattr(torch.nn, c.__name__)}
        assert ours == theirs, name


def test_hardtanh_deprecated_arguments() -> None:
    for lib in (tg, torch):
        with pytest.warns(FutureWarning, match="`min_value` is deprecated"):
            layer = lib.nn.Hardtanh(min_value=-0.25, max_value=3.0)
        assert repr(layer) == "Hardtanh(min_val=-0.25, max_val=3.0)"
        out = layer(lib.tensor([-1.0, 0.0, 5.0]))
        assert out.tolist() == [-0.25, 0.0, 3.0]


def test_relu_passes_the_gradient_at_nan_as_torch() -> None:
    """PyTorch's threshold_backward zeroes the gradient where the output is <= 0: a NaN output passes it."""
    grads = []
    for lib in (tg, torch):
        x = lib.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
        (lib.relu(x) * lib.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1] == [1.0, 0.0, 0.0, 4.0]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_abs_and_l1_loss_give_no_gradient_at_nan_as_torch(dtype: str) -> None:
    grads = []
    for lib in (tg, torch):
        x = lib.tensor([float("nan"), -1.0, 0.0, 2.0], dtype=getattr(lib, dtype), requires_grad=True)
        (lib.abs(x).sum() + lib.nn.functional.l1_loss(x, lib.zeros_like(x))).backward()
        grads.append(x.grad.tolist())
    assert grads[0] == grads[1]
