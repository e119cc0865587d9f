"""The 3-D family against PyTorch: Conv3d / F.conv3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d, BatchNorm3d,
InstanceNorm3d: initial weights after the same seed, print(), state_dict keys, values, float64 gradients."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

LAYERS = [
    ("Conv3d", (4, 6, (2, 3, 2)), {"stride": (2, 1, 1), "padding": (1, 0, 1), "dilation": (1, 2, 1), "groups": 2},
     (2, 4, 5, 6, 5)),
    ("Conv3d", (2, 3, 3), {"padding": "same", "bias": False}, (2, 2, 4, 4, 4)),
    ("Conv3d", (2, 3, 3), {"padding": 1, "padding_mode": "reflect"}, (1, 2, 4, 4, 4)),
    ("Conv3d", (2, 3, 2), {}, (2, 4, 4, 4)),
    ("Conv3d", (2, 3, (3, 2, 3)), {"padding": "same", "padding_mode": "circular", "dilation": (1, 2, 1)},
     (1, 2, 4, 5, 4)),
    ("Conv3d", (2, 3, 2), {"padding": "valid", "padding_mode": "replicate"}, (1, 2, 3, 3, 3)),
    ("Conv1d", (2, 3, 3), {"padding": "valid", "padding_mode": "reflect"}, (2, 2, 6)),
    ("ConvTranspose3d", (4, 6, (2, 3, 2)), {"stride": (2, 1, 2), "padding": (1, 0, 1), "output_padding": (1, 0, 0),
                                            "groups": 2, "dilation": (2, 1, 1)}, (2, 4, 3, 4, 3)),
    ("ConvTranspose3d", (2, 3, 2), {"stride": 3, "bias": False}, (2, 3, 2, 3)),
    ("MaxPool3d", (3, 2, 1), {}, (2, 3, 7, 6, 5)),
    ("MaxPool3d", ((2, 3, 2), (2, 2, 3)), {"ceil_mode": True}, (2, 3, 7, 6, 5)),
    ("AvgPool3d", (3, 2, 1), {}, (2, 3, 7, 6, 5)),
    ("AvgPool3d", (3, 2, 1), {"ceil_mode": True, "count_include_pad": False}, (2, 3, 6, 6, 5)),
    ("AvgPool3d", ((2, 2, 3),), {"divisor_override": 5}, (3, 6, 6, 6)),
    ("AdaptiveAvgPool3d", ((3, None, 2),), {}, (2, 3, 7, 6, 5)),
    ("AdaptiveAvgPool3d", (2,), {}, (3, 5, 4, 3)),
    ("AdaptiveMaxPool3d", ((3, None, 2),), {}, (2, 3, 7, 6, 5)),
    ("AdaptiveMaxPool3d", (2,), {}, (3, 5, 4, 3)),
    ("LPPool3d", (2, 2), {}, (2, 3, 4, 4, 5)),
    ("LPPool3d", (3, (2, 3, 2), 1), {"ceil_mode": True}, (3, 4, 4, 5)),
    ("BatchNorm3d", (3,), {}, (2, 3, 3, 4, 5)),
    ("InstanceNorm3d", (3,), {"affine": True}, (3, 3, 4, 5)),
    ("InstanceNorm3d", (3,), {"track_running_stats": True}, (2, 3, 3, 4, 5)),
]


@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), LAYERS)
def test_layer_agrees_with_pytorch(name: str, args: tuple, kwargs: dict, shape: tuple) -> None:
    data = np.random.default_rng(0).standard_normal(shape)
    results = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        layer = getattr(lib.nn, name)(*args, **kwargs)
        initial = [p.detach().numpy().copy() for p in layer.parameters()]
        layer = layer.double()
        x = lib.tensor(data, requires_grad=True)
        y = layer(x)
        (y * lib.tensor(np.random.default_rng(1).standard_normal(tuple(y.shape)))).sum().backward()
        results.append((initial, y.detach().numpy(), x.grad.numpy(), [p.grad.numpy() for p in layer.parameters()],
                        [b.numpy() for b in layer.buffers()], repr(layer), list(layer.state_dict())))
    ours, theirs = results[1], results[0]
    for a, b in zip(ours[0], theirs[0], strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-12, atol=1e-12)
    for a, b in zip(ours[3] + ours[4], theirs[3] + theirs[4], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert ours[5:] == theirs[5:]


@pytest.mark.parametrize(("args", "kwargs", "shape"), [
    ((3, 2, 1), {}, (2, 3, 7, 6, 5)), (((2, 3, 2), (2, 2, 3)), {"ceil_mode": True}, (2, 3, 7, 6, 5)),
    ((2,), {}, (3, 4, 4, 5)),
])
def test_max_pool3d_indices(args: tuple, kwargs: dict, shape: tuple) -> None:
    data = np.random.default_rng(3).standard_normal(shape)
    ours = tg.nn.MaxPool3d(*args, return_indices=True, **kwargs)(tg.tensor(data))
    theirs = torch.nn.MaxPool3d(*args, return_indices=True, **kwargs)(torch.tensor(data))
    for a, b in zip(ours, theirs, strict=True):
        assert str(a.dtype) == str(b.dtype)
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_conv_transpose3d_output_size() -> None:
    data = np.random.default_rng(5).standard_normal((1, 2, 3, 3, 3))
    shapes = []
    for lib in (torch, tg):
        layer = lib.nn.ConvTranspose3d(2, 2, 3, stride=2)
        shapes.append(tuple(layer(lib.tensor(data, dtype=lib.float32), output_size=[8, 7, 8]).shape))
        with pytest.raises(ValueError):
            layer(lib.tensor(data, dtype=lib.float32), output_size=[9, 7, 7])
    assert shapes[0] == shapes[1] == (1, 2, 8, 7, 8)


def test_float32_conv3d_and_pools() -> None:
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 3, 5, 5, 5)).astype(np.float32), rng.standard_normal((4, 3, 3, 3, 3))
    for call in (lambda lib, t: lib.nn.functional.conv3d(t, lib.tensor(w.astype(np.float32)), stride=2, padding=1),
                 lambda lib, t: lib.nn.functional.max_pool3d(t, 2),
                 lambda lib, t: lib.nn.functional.avg_pool3d(t, 3, 1, 1),
                 lambda lib, t: lib.nn.functional.adaptive_avg_pool3d(t, (2, 3, 4))):
        ours, theirs = call(tg, tg.tensor(x)), call(torch, torch.tensor(x))
        assert ours.dtype == tg.float32
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-5)


ERRORS = [
    lambda lib: lib.nn.functional.conv3d(lib.zeros(1, 2, 2, 4, 4), lib.zeros(3, 2, 3, 3, 3)),
    lambda lib: lib.nn.functional.conv3d(lib.zeros(1, 2, 4, 4), lib.zeros(3, 2, 3, 3)),
    lambda lib: lib.nn.Conv3d(4, 3, 2, groups=3),
    lambda lib: lib.nn.Conv3d(2, 2, 3, stride=2, padding="same"),
    lambda lib: lib.nn.functional.max_pool3d(lib.zeros(1, 2, 4, 4), 3, padding=2),
    lambda lib: lib.nn.functional.avg_pool3d(lib.zeros(2, 4, 4), 2),
    lambda lib: lib.nn.BatchNorm3d(2)(lib.zeros(2, 2, 3, 3)),
    lambda lib: lib.nn.InstanceNorm3d(2)(lib.zeros(2, 3, 3)),
]


@pytest.mark.parametrize("call", ERRORS)
def test_errors_have_pytorchs_type(call) -> None:
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(type(expected.value)):
        call(tg)
