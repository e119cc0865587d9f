"""The layers added beside the first ones (normalisation, padding, shuffles, Bilinear, LazyLinear, 1-D adaptive
pools, unpooling, Fold, the Upsampling aliases): values, float64 gradients, repr and state_dict keys against
PyTorch, and gradcheck."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
IMG = RNG.standard_normal((2, 4, 4, 6))
SEQ = RNG.standard_normal((2, 3, 7))
A, B = RNG.standard_normal((5, 3)), RNG.standard_normal((5, 4))
W3, WN = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((4, 6))
COLS, COLS2, PLANES = RNG.standard_normal((2, 12, 6)), RNG.standard_normal((8, 9)), RNG.standard_normal((1, 2, 5, 5))

# (lib, leaf) -> output; the modules' parameters are set from the same seeded values on both sides
CASES: dict[str, Callable[[Any, Any], Any]] = {
    "rms_norm": lambda lib, L: lib.nn.functional.rms_norm(L(IMG), (4, 6), L(WN)),
    "rms_norm eps": lambda lib, L: lib.nn.functional.rms_norm(L(SEQ), [7], eps=1e-3),
    "instance_norm": lambda lib, L: lib.nn.functional.instance_norm(L(IMG)),
    "instance_norm affine": lambda lib, L: lib.nn.functional.instance_norm(L(SEQ), weight=L(A[0]), bias=L(B[0, :3])),
    "local_response_norm 3d": lambda lib, L: lib.nn.functional.local_response_norm(L(SEQ), 2),
    "local_response_norm 4d": lambda lib, L: lib.nn.functional.local_response_norm(L(IMG), 3, 0.1, 0.5, 2.0),
    "bilinear": lambda lib, L: lib.nn.functional.bilinear(L(A), L(B), L(W3), L(A[0, :2])),
    "pixel_unshuffle": lambda lib, L: lib.nn.functional.pixel_unshuffle(L(IMG), 2),
    "channel_shuffle": lambda lib, L: lib.nn.functional.channel_shuffle(L(IMG), 2),
    "adaptive_avg_pool1d": lambda lib, L: lib.nn.functional.adaptive_avg_pool1d(L(SEQ), 3),
    "adaptive_max_pool1d": lambda lib, L: lib.nn.functional.adaptive_max_pool1d(L(SEQ[0]), 4),
    "fold": lambda lib, L: lib.nn.functional.fold(L(COLS), (4, 5), (2, 3), stride=(2, 1)),
    "fold padding dilation": lambda lib, L: lib.nn.functional.fold(L(COLS2), 4, 2, 1, 1, 2),
    "max_unpool2d": lambda lib, L: lib.nn.MaxUnpool2d(2)(*lib.nn.MaxPool2d(2, return_indices=True)(L(IMG))),
    "max_unpool2d output_size": lambda lib, L: lib.nn.functional.max_unpool2d(
        *lib.nn.functional.max_pool2d(L(PLANES), 2, return_indices=True), 2,
        output_size=(5, 5)),
    "InstanceNorm1d tracked train": lambda lib, L: _tracked(lib, L, True),
    "InstanceNorm1d tracked eval": lambda lib, L: _tracked(lib, L, False),
    "InstanceNorm2d unbatched": lambda lib, L: lib.nn.InstanceNorm2d(2, affine=True, dtype=lib.float64)(
        L(IMG[0, :2])),
    "ZeroPad1d": lambda lib, L: lib.nn.ZeroPad1d((1, 2))(L(SEQ)),
    "ZeroPad3d": lambda lib, L: lib.nn.ZeroPad3d(1)(L(IMG)),
    "ConstantPad1d": lambda lib, L: lib.nn.ConstantPad1d(2, 0.5)(L(SEQ)),
    "ConstantPad3d": lambda lib, L: lib.nn.ConstantPad3d((1, 0, 0, 1, 1, 1), -1.0)(L(IMG)),
    "ReflectionPad1d": lambda lib, L: lib.nn.ReflectionPad1d((2, 1))(L(SEQ)),
    "ReplicationPad1d": lambda lib, L: lib.nn.ReplicationPad1d(3)(L(SEQ)),
    "CircularPad1d": lambda lib, L: lib.nn.CircularPad1d(2)(L(SEQ)),
    "CircularPad2d": lambda lib, L: lib.nn.CircularPad2d((1, 0, 2, 1))(L(IMG)),
    "UpsamplingNearest2d": lambda lib, L: lib.nn.UpsamplingNearest2d(scale_factor=2)(L(IMG)),
    "UpsamplingBilinear2d": lambda lib, L: lib.nn.UpsamplingBilinear2d(size=(5, 9))(L(IMG)),
    "Softmax2d": lambda lib, L: lib.nn.Softmax2d()(L(IMG)),
}


def _tracked(lib: Any, leaf: Any, training: bool) -> Any:
    norm = lib.nn.InstanceNorm1d(3, momentum=0.3, track_running_stats=True, dtype=lib.float64)
    norm.train(training)
    out = norm(leaf(SEQ))
    return out * 1 + (norm.running_mean.sum() + norm.running_var.sum())


def _run(lib: Any, case: Callable[[Any, Any], Any]) -> tuple[np.ndarray, list[np.ndarray], str]:
    leaves: list[Any] = []

    def leaf(a: np.ndarray) -> Any:
        leaves.append(lib.tensor(a, requires_grad=True))
        return leaves[-1]

    out = case(lib, leaf)
    (out * lib.tensor(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))).sum().backward()
    return out.detach().numpy(), [t.grad.numpy() for t in leaves], type(out.grad_fn).__name__


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_gradients_and_node_equal_torch(name: str) -> None:
    ours, theirs = _run(tg, CASES[name]), _run(torch, CASES[name])
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-9, atol=1e-12)
    for g, h in zip(ours[1], theirs[1], strict=True):
        np.testing.assert_allclose(g, h, rtol=1e-9, atol=1e-12)
    if name not in PADDING_AND_RESAMPLING:
        assert ours[2] == theirs[2]


PADDING_AND_RESAMPLING = {"CircularPad1d", "CircularPad2d", "ReflectionPad1d", "ReplicationPad1d",
                          "UpsamplingNearest2d", "UpsamplingBilinear2d"}  # F.pad / F.interpolate show other nodes


@pytest.mark.parametrize("name", ["rms_norm eps", "instance_norm", "local_response_norm 4d", "bilinear",
                                  "pixel_unshuffle", "fold padding dilation", "adaptive_avg_pool1d"])
def test_gradcheck(name: str) -> None:
    arrays: list[np.ndarray] = []
    CASES[name](tg, lambda a: arrays.append(a) or tg.tensor(a))

    def fn(*leaves: Any) -> Any:
        it = iter(leaves)
        return CASES[name](tg, lambda a: next(it))

    assert tg.gradcheck(fn, *(tg.tensor(a, requires_grad=True) for a in arrays))


@pytest.mark.parametrize("make", [
    lambda nn: nn.RMSNorm(4), lambda nn: nn.RMSNorm([2, 3], eps=1e-6, elementwise_affine=False),
    lambda nn: nn.InstanceNorm1d(3), lambda nn: nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
    lambda nn: nn.LocalResponseNorm(2), lambda nn: nn.PixelUnshuffle(2), lambda nn: nn.ChannelShuffle(2),
    lambda nn: nn.Bilinear(2, 3, 4), lambda nn: nn.Bilinear(2, 3, 4, bias=False), lambda nn: nn.LazyLinear(3),
    lambda nn: nn.AdaptiveAvgPool1d(3), lambda nn: nn.AdaptiveMaxPool1d(3),
    lambda nn: nn.UpsamplingNearest2d(scale_factor=2), lambda nn: nn.UpsamplingBilinear2d(size=4),
    lambda nn: nn.MaxUnpool2d(2), lambda nn: nn.MaxUnpool2d((2, 3), 1, 1), lambda nn: nn.Fold((4, 5), 2),
    lambda nn: nn.ZeroPad1d(1), lambda nn: nn.ZeroPad3d(1), lambda nn: nn.ConstantPad1d(2, 0.5),
    lambda nn: nn.ConstantPad3d((1, 2, 0, 1, 1, 0), 1.0), lambda nn: nn.ReflectionPad1d(2),
    lambda nn: nn.ReplicationPad1d((1, 2)), lambda nn: nn.CircularPad1d(1), lambda nn: nn.CircularPad2d(1),
])
def test_repr_and_state_dict_keys_equal_torch(make: Callable[[Any], Any]) -> None:
    ours, theirs = make(tg.nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    if type(theirs).__name__ != "LazyLinear":
        assert list(ours.state_dict()) == list(theirs.state_dict())


def test_lazy_linear_becomes_a_linear_on_its_first_input() -> None:
    layer = tg.nn.LazyLinear(3)
    out = layer(tg.tensor(A.astype(np.float32)))
    assert type(layer) is tg.nn.Linear and layer.in_features == 3 and tuple(layer.weight.shape) == (3, 3)
    assert repr(layer) == "Linear(in_features=3, out_features=3, bias=True)"
    np.testing.assert_allclose(out.detach().numpy(), A.astype(np.float32) @ layer.weight.detach().numpy().T
                               + layer.bias.detach().numpy(), rtol=1e-5)
    bound = 1 / np.sqrt(3)
    assert np.all(np.abs(layer.weight.detach().numpy()) <= bound)


def test_bilinear_initialisation_bound() -> None:
    layer = tg.nn.Bilinear(4, 3, 50)
    bound = 1 / np.sqrt(4)
    for p in (layer.weight, layer.bias):
        values = p.detach().numpy()
        assert np.all(np.abs(values) <= bound) and values.std() > bound / 3
