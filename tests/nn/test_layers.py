"""Linear, Dropout, Flatten and the activation layers; a whole CNN against PyTorch and a few training steps."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import Tensor, gradcheck, manual_seed


def test_linear_forward_is_x_times_weight_transposed_plus_bias() -> None:
    manual_seed(0)  # the tolerances are relative: fixed weights keep outputs away from 0
    layer = nn.Linear(4, 3)
    assert layer.weight.shape == (3, 4) and layer.bias.shape == (3,)
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    out = layer(Tensor(x))
    np.testing.assert_allclose(out.array, x @ layer.weight.array.T + layer.bias.array, rtol=1e-6, atol=1e-6)
    assert out.dtype == np.float32
    batched = layer(Tensor(np.stack([x, 2 * x])))  # leading batch dims
    np.testing.assert_allclose(batched.array[1], 2 * x @ layer.weight.array.T + layer.bias.array, rtol=1e-5, atol=1e-6)
    one_sample = layer(Tensor(x[0])).array  # no batch dim
    np.testing.assert_allclose(one_sample, out.array[0], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("shape", [(3, 4), (2, 2, 4), (4,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear_gradcheck(shape: tuple[int, ...], bias: bool) -> None:
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    b = Tensor(rng.standard_normal(3), requires_grad=True)
    r = rng.standard_normal(shape[:-1] + (3,))
    if bias:
        assert gradcheck(lambda x, w, b: (F.linear(x, w, b) * r).sum(), x, w, b)
    else:
        assert gradcheck(lambda x, w: (F.linear(x, w) * r).sum(), x, w)


def test_linear_is_one_node_and_skips_unneeded_gradients() -> None:
    layer = nn.Linear(3, 2)
    x = Tensor(np.ones((4, 3), dtype=np.float32))
    out = layer(x)
    assert out._ctx.function.__name__ == "LinearOp"
    out.sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(layer.bias.grad, [4.0, 4.0])
    np.testing.assert_allclose(layer.weight.grad, np.full((2, 3), 4.0))


def test_linear_errors_name_the_op_and_shapes() -> None:
    layer = nn.Linear(1024, 10)
    with pytest.raises(RuntimeError) as info:
        layer(Tensor(np.zeros((64, 1000), dtype=np.float32)))
    assert str(info.value) == "linear: mat1 and mat2 shapes cannot be multiplied (64x1000 and 1024x10)"
    with pytest.raises(RuntimeError, match=r"linear: input dtype (torch\.)?float64 differs from parameter"):
        layer(Tensor(np.zeros((2, 1024))))
    assert repr(nn.Linear(3, 2, bias=False)) == "Linear(in_features=3, out_features=2, bias=False)"


def test_linear_accepts_numpy_input_and_dtype_argument() -> None:
    layer = nn.Linear(2, 2, dtype=np.float64)
    assert layer.weight.dtype == np.float64
    out = layer(np.ones((1, 2)))
    np.testing.assert_allclose(out.array, layer.weight.array.sum(axis=1, keepdims=True).T + layer.bias.array)
    with pytest.raises(TypeError, match="floating-point dtype"):
        nn.Linear(2, 2, dtype=np.int32)


def test_dropout_train_scales_and_zeroes_the_right_fraction() -> None:
    layer = nn.Dropout(0.25, generator=np.random.default_rng(0))
    x = Tensor(np.ones((200, 500), dtype=np.float32), requires_grad=True)
    out = layer(x)
    values = np.unique(out.array)
    np.testing.assert_allclose(values, [0.0, 1 / 0.75], rtol=1e-6)
    assert out.dtype == np.float32
    zero_fraction = np.mean(out.array == 0)
    assert zero_fraction == pytest.approx(0.25, abs=0.01)
    assert out.array.mean() == pytest.approx(1.0, abs=0.02)  # inverted scaling keeps the mean
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, out.array)  # the same mask, scaled, routes the gradient


def test_dropout_eval_and_edge_probabilities() -> None:
    x = Tensor(np.arange(6.0).reshape(2, 3))
    layer = nn.Dropout()
    assert layer.p == 0.5 and repr(layer) == "Dropout(p=0.5, inplace=False)"
    assert layer.eval()(x) is x
    assert nn.Dropout(0.0)(x) is x
    np.testing.assert_array_equal(nn.Dropout(1.0)(x).array, np.zeros((2, 3)))
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(x, -0.1)


def test_dropout_gradcheck_with_a_fixed_mask() -> None:
    x = Tensor(np.random.default_rng(2).standard_normal((4, 5)), requires_grad=True)
    r = np.random.default_rng(3).standard_normal((4, 5))
    assert gradcheck(lambda t: (F.dropout(t, 0.4, generator=np.random.default_rng(7)) * r).sum(), x)


def test_activation_layers_and_flatten() -> None:
    x = np.array([[-2.0, -0.5, 0.5, 2.0]])
    np.testing.assert_array_equal(nn.ReLU()(Tensor(x)).array, [[0, 0, 0.5, 2.0]])
    np.testing.assert_allclose(nn.LeakyReLU(0.1)(Tensor(x)).array, [[-0.2, -0.05, 0.5, 2.0]])
    np.testing.assert_allclose(nn.Tanh()(Tensor(x)).array, np.tanh(x))
    np.testing.assert_allclose(nn.Sigmoid()(Tensor(x)).array, 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(nn.Softmax(dim=1)(Tensor(x)).array.sum(), 1.0)
    np.testing.assert_allclose(nn.LogSoftmax(dim=1)(Tensor(x)).array, x - np.log(np.exp(x).sum()))
    identity = Tensor(x)
    assert nn.Identity()(identity) is identity
    t = Tensor(np.zeros((2, 3, 4, 5)))
    assert nn.Flatten()(t).shape == (2, 60)
    assert nn.Flatten(0, 1)(t).shape == (6, 4, 5)
    assert F.flatten(t).shape == (120,)
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)" and repr(nn.Softmax(1)) == "Softmax(dim=1)"


def mnist_cnn() -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 10))


def test_mnist_cnn_shapes_and_a_few_sgd_steps_reduce_the_loss() -> None:
    manual_seed(0)
    model = mnist_cnn()
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((8, 1, 28, 28)).astype(np.float32))
    y = rng.integers(0, 10, 8)
    losses = []
    for _ in range(10):  # lr 0.05 oscillated from PyTorch's seed-0 initialisation; 0.02 descends steadily
        model.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        losses.append(loss.item())
        for p in model.parameters():
            p.array -= 0.02 * p.grad.array
    assert model(x).shape == (8, 10) and loss.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in model.parameters())
    assert losses[-1] < 0.5 * losses[0], losses


def test_cnn_with_batchnorm_and_pooling_matches_pytorch() -> None:
    torch = pytest.importorskip("torch")

    def build(lib: object) -> object:
        return lib.Sequential(lib.Conv2d(1, 8, 3, padding=1), lib.BatchNorm2d(8), lib.ReLU(), lib.MaxPool2d(2),
                              lib.Conv2d(8, 12, 3, stride=2), lib.ReLU(), lib.AvgPool2d(2), lib.Flatten(),
                              lib.Linear(12, 5))

    ours, theirs = build(nn).double(), build(torch.nn).double()
    result = theirs.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in ours.state_dict().items()})
    assert not result.missing_keys and not result.unexpected_keys
    assert list(ours.state_dict()) == list(theirs.state_dict())
    rng = np.random.default_rng(5)
    x_np, y = rng.standard_normal((4, 1, 10, 10)), rng.integers(0, 5, 4)
    x, x_ref = Tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)
    loss = F.cross_entropy(ours(x), y, label_smoothing=0.1)
    loss_ref = torch.nn.functional.cross_entropy(theirs(x_ref), torch.from_numpy(y), label_smoothing=0.1)
    assert loss.item() == pytest.approx(loss_ref.item(), abs=1e-10)
    loss.backward()
    loss_ref.backward()
    np.testing.assert_allclose(x.grad, x_ref.grad.detach().numpy(), atol=1e-10)
    ref_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad, ref_params[name].grad.detach().numpy(), atol=1e-10, err_msg=name)
    for name, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[name], value.detach().numpy(), atol=1e-10, err_msg=name)
