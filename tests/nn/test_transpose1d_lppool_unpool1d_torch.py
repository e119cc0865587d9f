"""nn.ConvTranspose1d / F.conv_transpose1d, nn.LPPool1d/2d / F.lp_pool1d/2d and nn.MaxUnpool1d/3d against PyTorch:
initial weights after the same seed, print(), state_dict keys, values, float64 gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

TRANSPOSED = [
    ((3, 4, 3), {}),
    ((4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2, "dilation": 2}),
    ((3, 2, 2), {"bias": False, "stride": 3}),
]


@pytest.mark.parametrize(("args", "kwargs"), TRANSPOSED)
def test_conv_transpose1d_layer(args: tuple, kwargs: dict) -> None:
    results = []
    image = np.random.default_rng(0).standard_normal((2, args[0], 5))
    for lib in (torch, tg):
        lib.manual_seed(0)
        layer = lib.nn.ConvTranspose1d(*args, **kwargs)
        initial = [p.detach().numpy().copy() for p in layer.parameters()]
        layer = layer.double()
        x = lib.tensor(image, requires_grad=True)
        y = layer(x)
        (y * y).sum().backward()
        results.append((initial, y.detach().numpy(), x.grad.numpy(), [p.grad.numpy() for p in layer.parameters()],
                        layer(x[0]).detach().numpy(), tuple(layer(x, output_size=[y.shape[-1]]).shape),
                        repr(layer), list(layer.state_dict())))
    ours, theirs = results[1], results[0]
    for a, b in zip(ours[0], theirs[0], strict=True):
        np.testing.assert_array_equal(a, b)  # the same initialisation stream
    for i in (1, 2, 4):
        np.testing.assert_allclose(ours[i], theirs[i], rtol=1e-12, atol=1e-12)
    for a, b in zip(ours[3], theirs[3], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert ours[5:] == theirs[5:]


def test_conv_transpose1d_functional_and_errors() -> None:
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((2, 4, 6)), rng.standard_normal((4, 3, 2)), rng.standard_normal(6)
    outs = [lib.nn.functional.conv_transpose1d(lib.tensor(x), lib.tensor(w), lib.tensor(b), 2, 1, 1, 2).numpy()
            for lib in (torch, tg)]
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-12)
    for lib_call in (lambda lib: lib.nn.ConvTranspose1d(4, 3, 2, groups=3),
                     lambda lib: lib.nn.ConvTranspose1d(4, 3, 2, padding_mode="reflect"),
                     lambda lib: lib.nn.ConvTranspose1d(2, 2, 3, stride=2)(lib.zeros(1, 2, 3), output_size=[9])):
        with pytest.raises(Exception) as expected:
            lib_call(torch)
        with pytest.raises(type(expected.value)):
            lib_call(tg)


@pytest.mark.parametrize(("norm_type", "kernel", "stride", "ceil_mode"), [
    (2, 3, None, False), (1.5, 2, 1, False), (3, 3, 2, True),
])
def test_lp_pool(norm_type: float, kernel: int, stride: int | None, ceil_mode: bool) -> None:
    rng = np.random.default_rng(2)
    for dims, shape in ((1, (2, 3, 8)), (2, (2, 3, 7, 8))):
        if dims == 1 and ceil_mode:
            continue  # avg_pool1d refuses ceil_mode=True (NotImplementedError) for now
        data = np.abs(rng.standard_normal(shape)) + 0.1 if norm_type == 1.5 else rng.standard_normal(shape)
        results = []
        for lib in (torch, tg):
            layer = getattr(lib.nn, f"LPPool{dims}d")(norm_type, kernel, stride, ceil_mode)
            x = lib.tensor(data, requires_grad=True)
            y = layer(x)
            y.sum().backward()
            f = getattr(lib.nn.functional, f"lp_pool{dims}d")(x, norm_type, kernel, stride=stride, ceil_mode=ceil_mode)
            results.append((y.detach().numpy(), x.grad.numpy(), f.detach().numpy(), repr(layer),
                            list(layer.state_dict())))
        for a, b in zip(results[1][:3], results[0][:3], strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
        assert results[1][3:] == results[0][3:]


@pytest.mark.parametrize(("dims", "shape", "output_size"), [(1, (2, 3, 8), [2, 3, 9]), (3, (2, 3, 6, 4, 6), [6, 5, 7])])
def test_max_unpool(dims: int, shape: tuple, output_size: list) -> None:
    data = np.random.default_rng(3).standard_normal(shape)
    pool = getattr(torch.nn.functional, f"max_pool{dims}d")
    pooled, indices = pool(torch.tensor(data), 2, return_indices=True)
    weights = np.arange(float(np.prod(output_size[-dims:]))).reshape(output_size[-dims:])
    results = []
    for lib in (torch, tg):
        layer = getattr(lib.nn, f"MaxUnpool{dims}d")(2)
        x = lib.tensor(pooled.numpy(), requires_grad=True)
        y = layer(x, lib.tensor(indices.numpy()), output_size=output_size)
        (y * lib.tensor(weights)).sum().backward()
        plain = getattr(lib.nn.functional, f"max_unpool{dims}d")(x[0], lib.tensor(indices.numpy())[0], 2, 2)
        results.append((y.detach().numpy(), x.grad.numpy(), plain.detach().numpy(), repr(layer),
                        repr(getattr(lib.nn, f"MaxUnpool{dims}d")(3, 1, 1))))
    for a, b in zip(results[1][:3], results[0][:3], strict=True):
        np.testing.assert_array_equal(a, b)
    assert results[1][3:] == results[0][3:]
