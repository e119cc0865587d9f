"""BatchNorm1d / BatchNorm2d: normalisation, running statistics by hand, gradients, options, PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import Tensor, gradcheck


def hand_batch_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean, var = x.mean(axis=axes, keepdims=True), x.var(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight.reshape(shape) + bias.reshape(shape)


@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (2, 3, 4, 5)])
def test_training_forward_normalises_each_channel(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    layer = (nn.BatchNorm2d if len(shape) == 4 else nn.BatchNorm1d)(3).double()
    layer.weight.array[:] = [1.5, -2.0, 0.5]
    layer.bias.array[:] = [0.1, 0.2, -0.3]
    x = rng.standard_normal(shape) * 3 + 2
    out = layer(Tensor(x))
    np.testing.assert_allclose(out.array, hand_batch_norm(x, layer.weight.array, layer.bias.array), atol=1e-12)


def test_running_statistics_follow_pytorch_momentum_rule_with_unbiased_variance() -> None:
    rng = np.random.default_rng(1)
    layer = nn.BatchNorm2d(2, momentum=0.2).double()
    batches = [rng.standard_normal((3, 2, 2, 2)) * s + s for s in (1.0, 2.0, 3.0)]
    mean, var = np.zeros(2), np.ones(2)
    for batch in batches:
        layer(Tensor(batch))
        batch_mean = batch.mean(axis=(0, 2, 3))
        batch_var = batch.var(axis=(0, 2, 3), ddof=1)  # unbiased: 12 values per channel, divided by 11
        mean, var = 0.8 * mean + 0.2 * batch_mean, 0.8 * var + 0.2 * batch_var
    np.testing.assert_allclose(layer.running_mean, mean, rtol=1e-12)
    np.testing.assert_allclose(layer.running_var, var, rtol=1e-12)
    assert int(layer.num_batches_tracked) == 3


def test_momentum_none_is_a_cumulative_average() -> None:
    rng = np.random.default_rng(2)
    layer = nn.BatchNorm1d(2, momentum=None).double()
    batches = [rng.standard_normal((5, 2)) + k for k in range(4)]
    for batch in batches:
        layer(Tensor(batch))
    np.testing.assert_allclose(layer.running_mean, np.mean([b.mean(axis=0) for b in batches], axis=0), rtol=1e-12)
    expected_var = np.mean([b.var(axis=0, ddof=1) for b in batches], axis=0)  # the first batch replaces the 1s
    np.testing.assert_allclose(layer.running_var, expected_var, rtol=1e-12)


def test_eval_uses_running_statistics_and_does_not_update_them() -> None:
    layer = nn.BatchNorm1d(2).double()
    layer.load_state_dict({**layer.state_dict(), "running_mean": np.array([1.0, -1.0]),
                           "running_var": np.array([4.0, 0.25]), "weight": np.array([2.0, 3.0]),
                           "bias": np.array([0.5, 0.0])})
    layer.eval()
    x = np.array([[3.0, 0.0], [1.0, -1.0]])
    out = layer(Tensor(x))
    expected = (x - [1.0, -1.0]) / np.sqrt(np.array([4.0, 0.25]) + 1e-5) * [2.0, 3.0] + [0.5, 0.0]
    np.testing.assert_allclose(out.array, expected, rtol=1e-12)
    np.testing.assert_array_equal(layer.running_mean, [1.0, -1.0])
    assert int(layer.num_batches_tracked) == 0


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 4), (2, 3, 3, 2)])
def test_gradcheck(training: bool, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(3)
    x = Tensor(rng.standard_normal(shape), requires_grad=True)
    weight = Tensor(rng.uniform(0.5, 2, 3), requires_grad=True)
    bias = Tensor(rng.standard_normal(3), requires_grad=True)
    running_mean, running_var = rng.standard_normal(3), rng.uniform(0.5, 2, 3)
    r = rng.standard_normal(shape)

    def fn(x: Tensor, w: Tensor, b: Tensor) -> Tensor:
        # copies, so the in-place running update does not drift between gradcheck's evaluations
        return (F.batch_norm(x, running_mean.copy(), running_var.copy(), w, b, training=training) * r).sum()

    assert gradcheck(fn, x, weight, bias)
    assert gradcheck(lambda x: (F.batch_norm(x, None, None, training=True) * r).sum(), x)


def test_affine_false_and_no_running_stats() -> None:
    plain = nn.BatchNorm2d(2, affine=False, track_running_stats=False)
    assert plain.weight is None and list(plain.parameters()) == [] and plain.state_dict() == {}
    x = np.random.default_rng(4).standard_normal((3, 2, 2, 2)).astype(np.float32)
    plain.eval()  # without running statistics, eval still uses the batch
    np.testing.assert_allclose(plain(Tensor(x)).array, hand_batch_norm(x, np.ones(2), np.zeros(2)), atol=1e-5)
    assert repr(plain) == ("BatchNorm2d(2, eps=1e-05, momentum=0.1, affine=False, bias=False, "
                          "track_running_stats=False)")


def test_float32_stays_float32() -> None:
    layer = nn.BatchNorm2d(4)
    x = Tensor(np.random.default_rng(5).standard_normal((2, 4, 3, 3)).astype(np.float32), requires_grad=True)
    out = layer(x)
    out.sum().backward()
    assert out.dtype == x.grad.dtype == layer.weight.grad.dtype == layer.running_var.dtype == np.float32


def test_errors_name_the_layer_and_shapes() -> None:
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected 4D input \(N, C, H, W\), got shape \(2, 3\)"):
        nn.BatchNorm2d(3)(Tensor(np.zeros((2, 3), dtype=np.float32)))
    with pytest.raises(RuntimeError, match="running_mean should contain 4 elements not 3"):  # PyTorch's words
        nn.BatchNorm2d(3)(Tensor(np.zeros((2, 4, 2, 2), dtype=np.float32)))
    with pytest.raises(ValueError, match="expected 2D or 3D input"):
        nn.BatchNorm1d(3)(Tensor(np.zeros((2, 3, 2, 2), dtype=np.float32)))
    with pytest.raises(ValueError, match="more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(Tensor(np.zeros((1, 3), dtype=np.float32)))


def test_matches_pytorch_forward_gradients_and_running_stats() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    for ours_cls, theirs_cls, shape in [(nn.BatchNorm2d, torch.nn.BatchNorm2d, (4, 3, 5, 2)),
                                        (nn.BatchNorm1d, torch.nn.BatchNorm1d, (6, 3)),
                                        (nn.BatchNorm1d, torch.nn.BatchNorm1d, (2, 3, 4))]:
        layer, ref = ours_cls(3).double(), theirs_cls(3).double()
        layer.weight.array[:] = rng.uniform(0.5, 2, 3)
        layer.bias.array[:] = rng.standard_normal(3)
        ref.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in layer.state_dict().items()})
        for mode in ("train", "train", "eval"):
            getattr(layer, mode)()
            getattr(ref, mode)()
            x_np = rng.standard_normal(shape) * 2 + 1
            x, x_ref = Tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)
            out, out_ref = layer(x), ref(x_ref)
            np.testing.assert_allclose(out.array, out_ref.detach().numpy(), atol=1e-10)
            g = rng.standard_normal(shape)
            out.backward(g)
            out_ref.backward(torch.from_numpy(g))
            np.testing.assert_allclose(x.grad, x_ref.grad.detach().numpy(), atol=1e-10)
        np.testing.assert_allclose(layer.weight.grad, ref.weight.grad.detach().numpy(), atol=1e-10)
        np.testing.assert_allclose(layer.bias.grad, ref.bias.grad.detach().numpy(), atol=1e-10)
        for key, value in ref.state_dict().items():
            np.testing.assert_allclose(layer.state_dict()[key], value.detach().numpy(), atol=1e-10, err_msg=key)
