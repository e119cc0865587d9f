"""The layers and activations of issue 25 against torch 2.13: values, dtypes, shapes, float64 gradients of
every input and parameter, the options, gradcheck of each new differentiable op, and PyTorch's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import gradcheck

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)


def _compare(fn: Callable[[Any, Any, list[Any]], Any], arrays: list[np.ndarray], grads: list[bool] | None = None,
             rtol: float = 1e-6) -> None:
    """fn(functional, nn, tensors) in both frameworks: same value, dtype, shape and input gradients."""
    grads = [True] * len(arrays) if grads is None else grads
    ours = [tg.tensor(a, requires_grad=g) for a, g in zip(arrays, grads, strict=True)]
    theirs = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grads, strict=True)]
    out_o, out_t = fn(F, nn, ours), fn(torch.nn.functional, torch.nn, theirs)
    assert str(out_o.dtype) == str(out_t.dtype) and tuple(out_o.shape) == tuple(out_t.shape)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=rtol,
                               atol=1e-6 if rtol > 1e-6 else 1e-9)
    weights = np.linspace(0.5, 1.5, max(out_t.numel(), 1)).reshape(out_t.shape)
    (out_o * tg.tensor(weights, dtype=out_o.dtype)).sum().backward()
    (out_t * torch.tensor(weights, dtype=out_t.dtype)).sum().backward()
    for o, t, g in zip(ours, theirs, grads, strict=True):
        if g:
            assert o.grad is not None and o.grad.shape == tuple(t.grad.shape)
            np.testing.assert_allclose(o.grad.detach().numpy(), t.grad.detach().numpy(), rtol=rtol,
                                       atol=1e-9 if rtol <= 1e-6 else 1e-5)


def _module_pair(ours: Any, theirs: Any, x: np.ndarray, rtol: float = 1e-6) -> None:
    """A module of each framework with the same parameters: same output and gradients of input and parameters."""
    with torch.no_grad():
        for (name, p), (name_t, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
            assert name == name_t and p.shape == tuple(q.shape)
            q.copy_(torch.tensor(p.detach().numpy()))
    xo, xt = tg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_o, out_t = ours(xo), theirs(xt)
    assert str(out_o.dtype) == str(out_t.dtype) and tuple(out_o.shape) == tuple(out_t.shape)
    np.testing.assert_allclose(out_o.detach().numpy(), out_t.detach().numpy(), rtol=rtol, atol=1e-5)
    weights = np.linspace(0.5, 1.5, out_t.numel()).reshape(out_t.shape)
    (out_o * tg.tensor(weights, dtype=out_o.dtype)).sum().backward()
    (out_t * torch.tensor(weights, dtype=out_t.dtype)).sum().backward()
    np.testing.assert_allclose(xo.grad.detach().numpy(), xt.grad.detach().numpy(), rtol=rtol, atol=1e-5)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.detach().numpy(), q.grad.detach().numpy(), rtol=rtol, atol=1e-5)
    assert repr(ours) == repr(theirs)


# ----- transposed and 1-D convolution -------------------------------------------------------------
CONV_T = [  # (C_in, C_out / groups, kernel, stride, padding, output_padding, dilation, groups, bias)
    (3, 2, (3, 3), 1, 0, 0, 1, 1, True),
    (4, 3, (4, 4), 2, 1, 0, 1, 1, True),
    (2, 3, (3, 2), (2, 3), (1, 0), (1, 2), 1, 1, False),
    (4, 1, (3, 3), 2, 1, 1, 2, 2, True),
    (6, 2, (2, 3), 3, 2, 1, (1, 2), 3, True),
]


@pytest.mark.parametrize("case", CONV_T)
def test_conv_transpose2d(case: tuple[Any, ...]) -> None:
    c_in, c_out_g, kernel, stride, padding, output_padding, dilation, groups, bias = case
    arrays = [RNG.standard_normal((2, c_in, 5, 4)), RNG.standard_normal((c_in, c_out_g) + kernel)]
    if bias:
        arrays.append(RNG.standard_normal(c_out_g * groups))

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        return f.conv_transpose2d(ts[0], ts[1], ts[2] if bias else None, stride, padding, output_padding, groups,
                                  dilation)
    _compare(fn, arrays)


def test_conv_transpose2d_module_float32_and_output_size() -> None:
    ours = nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1, groups=2)
    theirs = torch.nn.ConvTranspose2d(4, 6, 4, stride=2, padding=1, groups=2)
    _module_pair(ours, theirs, RNG.standard_normal((3, 4, 7, 7)).astype(np.float32), rtol=1e-4)
    assert ours.weight.shape == (4, 3, 4, 4) and ours.weight.dtype == np.float32
    x = tg.tensor(RNG.standard_normal((1, 4, 5, 5)).astype(np.float32))
    assert ours(x, output_size=[11, 11]).shape == (1, 6, 11, 11)
    assert ours(x[0]).shape == (6, 10, 10)  # unbatched
    with pytest.raises(ValueError, match="output size"):
        ours(x, output_size=[13, 13])


def test_dcgan_generator_shapes() -> None:
    gen = nn.Sequential(nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    assert gen(tg.randn(2, 128, 7, 7)).shape == (2, 1, 28, 28)


def test_conv_transpose2d_errors() -> None:
    with pytest.raises(RuntimeError, match="output padding must be smaller"):
        nn.ConvTranspose2d(1, 1, 3, stride=1, output_padding=1)
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.ConvTranspose2d(3, 4, 3, groups=2)
    with pytest.raises(RuntimeError, match="channels"):
        F.conv_transpose2d(tg.randn(1, 2, 3, 3), tg.randn(3, 1, 2, 2))
    for call in (lambda: torch.nn.ConvTranspose2d(1, 1, 3, stride=1, output_padding=1)(torch.ones(1, 1, 3, 3)),
                 lambda: torch.nn.ConvTranspose2d(3, 4, 3, groups=2)):
        with pytest.raises((ValueError, RuntimeError)):
            call()


CONV1D = [  # (C_in, C_out, k, stride, padding, dilation, groups, bias)
    (3, 4, 3, 1, 0, 1, 1, True), (2, 4, 3, 2, 2, 1, 2, False), (3, 2, 2, 1, "same", 3, 1, True),
    (4, 6, 3, 3, 1, 2, 2, True), (3, 3, 4, 1, "valid", 1, 3, True),
]


@pytest.mark.parametrize("case", CONV1D)
def test_conv1d(case: tuple[Any, ...]) -> None:
    c_in, c_out, k, stride, padding, dilation, groups, bias = case
    arrays = [RNG.standard_normal((2, c_in, 11)), RNG.standard_normal((c_out, c_in // groups, k))]
    if bias:
        arrays.append(RNG.standard_normal(c_out))

    def fn(f: Any, m: Any, ts: list[Any]) -> Any:
        return f.conv1d(ts[0], ts[1], ts[2] if bias else None, stride, padding, dilation, groups)
    _compare(fn, arrays)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
def test_conv1d_module(mode: str) -> None:
    ours, theirs = nn.Conv1d(3, 5, 3, padding=2, padding_mode=mode), torch.nn.Conv1d(3, 5, 3, padding=2,
                                                                                    padding_mode=mode)
    _module_pair(ours, theirs, RNG.standard_normal((2, 3, 9)).astype(np.float32), rtol=1e-4)
    assert ours(tg.randn(3, 9)).shape == (5, 11)
    with pytest.raises(RuntimeError, match="to have 3 channels, but got 4 channels"):
        ours(tg.randn(2, 4, 9))


# ----- resampling --------------------------------------------------------------------------------
INTERPOLATE = [
    dict(scale_factor=2), dict(size=(7, 5)), dict(scale_factor=1.5), dict(size=3), dict(scale_factor=(0.5, 3)),
    dict(scale_factor=2, mode="bilinear"), dict(size=(7, 3), mode="bilinear"),
    dict(size=(7, 3), mode="bilinear", align_corners=True), dict(scale_factor=2.5, mode="bilinear", align_corners=True),
    dict(scale_factor=0.7, mode="bilinear"), dict(scale_factor=0.7, mode="bilinear", recompute_scale_factor=True),
    dict(size=(1, 9), mode="bilinear", align_corners=True), dict(size=(6, 9), mode="nearest-exact"),
    dict(scale_factor=2, mode="bicubic"), dict(size=(3, 11), mode="bicubic", align_corners=True),
    dict(scale_factor=0.6, mode="bicubic"), dict(size=(9, 4), mode="bicubic"),
]


@pytest.mark.parametrize("kwargs", INTERPOLATE)
def test_interpolate(kwargs: dict[str, Any]) -> None:
    _compare(lambda f, m, ts: f.interpolate(ts[0], **kwargs) + m.Upsample(**kwargs)(ts[0]),
             [RNG.standard_normal((2, 3, 4, 6))])


@pytest.mark.parametrize("kwargs", [dict(scale_factor=3), dict(size=7, mode="linear"),
                                    dict(size=4, mode="linear", align_corners=True)])
def test_interpolate_1d(kwargs: dict[str, Any]) -> None:
    _compare(lambda f, m, ts: f.interpolate(ts[0], **kwargs), [RNG.standard_normal((2, 3, 5))])


@pytest.mark.parametrize("size", [(2, 3), (4, 6), (3, 5)])
def test_interpolate_area(size: tuple[int, int]) -> None:
    _compare(lambda f, m, ts: f.interpolate(ts[0], size=size, mode="area"), [RNG.standard_normal((2, 3, 4, 6))])
    _compare(lambda f, m, ts: f.interpolate(ts[0], size=size[1], mode="area"), [RNG.standard_normal((2, 3, 6))])


def test_pixel_shuffle_and_padding_layers() -> None:
    x = RNG.standard_normal((2, 8, 3, 4))
    _compare(lambda f, m, ts: f.pixel_shuffle(ts[0], 2) + m.PixelShuffle(2)(ts[0]), [x])
    _compare(lambda f, m, ts: f.pixel_shuffle(ts[0], 2), [x[0]])
    with pytest.raises(RuntimeError, match="divisible by the square of upscale_factor"):
        F.pixel_shuffle(tg.tensor(x), 3)
    for name, args in (("ZeroPad2d", (1,)), ("ConstantPad2d", ((1, 2, 0, 3), 3.5)), ("ReflectionPad2d", (2,)),
                       ("ReplicationPad2d", ((1, 0, 2, 1),))):
        _compare(lambda f, m, ts, name=name, args=args: getattr(m, name)(*args)(ts[0]), [x])
        assert repr(getattr(nn, name)(*args)) == repr(getattr(torch.nn, name)(*args))
    assert repr(nn.PixelShuffle(2)) == repr(torch.nn.PixelShuffle(2))


def test_interpolate_float32_and_errors() -> None:
    _compare(lambda f, m, ts: f.interpolate(ts[0], scale_factor=2, mode="bilinear"),
             [RNG.standard_normal((1, 2, 3, 3)).astype(np.float32)], rtol=1e-5)
    assert repr(nn.Upsample(scale_factor=2)) == repr(torch.nn.Upsample(scale_factor=2))
    x = tg.randn(1, 1, 4, 4)
    with pytest.raises(ValueError, match="only one of size or scale_factor"):
        F.interpolate(x, size=2, scale_factor=2)
    with pytest.raises(ValueError, match="either size or scale_factor"):
        F.interpolate(x)
    with pytest.raises(ValueError, match="align_corners option can only be set"):
        F.interpolate(x, scale_factor=2, align_corners=True)
    with pytest.raises(NotImplementedError, match="bilinear mode needs 4D input"):
        F.interpolate(tg.randn(1, 1, 4), scale_factor=2, mode="bilinear")


@pytest.mark.parametrize("size", [1, (3, 5), (None, 2), (7, 9), (4, 4)])
def test_adaptive_pools(size: Any) -> None:
    x = RNG.standard_normal((2, 3, 7, 9))
    _compare(lambda f, m, ts: f.adaptive_avg_pool2d(ts[0], size) + m.AdaptiveAvgPool2d(size)(ts[0]), [x])
    _compare(lambda f, m, ts: f.adaptive_max_pool2d(ts[0], size) + m.AdaptiveMaxPool2d(size)(ts[0]), [x])
    _compare(lambda f, m, ts: f.adaptive_avg_pool2d(ts[0], size), [x[0]])


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=1, padding=1),
                                    dict(kernel_size=4, stride=2, padding=2)])
def test_pool1d(kwargs: dict[str, Any]) -> None:
    x = RNG.standard_normal((2, 3, 10))
    _compare(lambda f, m, ts: f.max_pool1d(ts[0], **kwargs) + m.MaxPool1d(**kwargs)(ts[0]), [x])
    _compare(lambda f, m, ts: f.avg_pool1d(ts[0], **kwargs) + m.AvgPool1d(**kwargs)(ts[0]), [x])
    _compare(lambda f, m, ts: f.avg_pool1d(ts[0], **kwargs, count_include_pad=False), [x[0]])
    assert repr(nn.MaxPool1d(**kwargs)) == repr(torch.nn.MaxPool1d(**kwargs))
    assert repr(nn.AvgPool1d(**kwargs)) == repr(torch.nn.AvgPool1d(**kwargs))


def test_dropout2d_drops_whole_channels() -> None:
    layer = nn.Dropout2d(0.4)
    x = tg.tensor(np.ones((64, 8, 3, 3)), requires_grad=True)
    out = layer(x).detach().numpy()
    per_channel = out.reshape(64, 8, -1)
    assert np.all(per_channel.min(-1) == per_channel.max(-1))  # each channel all kept or all dropped
    assert set(np.unique(out)) <= {0.0, 1 / 0.6}
    assert 0.3 < (per_channel[..., 0] == 0).mean() < 0.5
    layer.eval()
    assert np.array_equal(layer(x).detach().numpy(), x.detach().numpy())
    assert repr(layer) == repr(torch.nn.Dropout2d(0.4))


def test_unflatten() -> None:
    _compare(lambda f, m, ts: m.Unflatten(1, (2, 3))(ts[0]), [RNG.standard_normal((4, 6, 5))])
    _compare(lambda f, m, ts: m.Unflatten(-1, (5, 1))(ts[0]), [RNG.standard_normal((4, 5))])
    assert repr(nn.Unflatten(1, (2, 3))) == repr(torch.nn.Unflatten(1, (2, 3)))


# ----- padding, blocks, similarity ----------------------------------------------------------------
PADS = [((1, 2), "constant", None), ((1, 2, 0, 3), "constant", 2.5), ((-1, 2, 1, -2), "constant", None),
        ((2, 1), "reflect", None), ((1, 2, 2, 1), "reflect", None), ((3, 1, 0, 2), "replicate", None),
        ((2, 0, 1, 3), "circular", None), ((1, 1), "replicate", None)]


@pytest.mark.parametrize("case", PADS)
def test_pad(case: tuple[Any, str, Any]) -> None:
    pad, mode, value = case
    kwargs = {} if value is None else {"value": value}
    if len(pad) == 4 or mode == "constant":
        _compare(lambda f, m, ts: f.pad(ts[0], pad, mode=mode, **kwargs), [RNG.standard_normal((2, 3, 4, 5))])
    _compare(lambda f, m, ts: f.pad(ts[0], pad, mode=mode, **kwargs), [RNG.standard_normal((3, 4, 5))])


def test_pad_errors() -> None:
    x = tg.randn(1, 1, 3, 3)
    with pytest.raises(RuntimeError, match="Padding size should be less than"):
        F.pad(x, (3, 3, 0, 0), mode="reflect")
    with pytest.raises(RuntimeError, match="divisible by 2"):
        F.pad(x, (1, 2, 3))
    with pytest.raises(NotImplementedError):
        F.pad(x, (1, 1), mode="mirror")
    with pytest.raises(NotImplementedError, match="Padding size 2 is not supported for 4D input"):
        F.pad(x, (1, 1), mode="reflect")


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2, padding=1),
                                    dict(kernel_size=3, dilation=2, padding=(0, 2))])
def test_unfold(kwargs: dict[str, Any]) -> None:
    x = RNG.standard_normal((2, 3, 6, 7))
    _compare(lambda f, m, ts: f.unfold(ts[0], **kwargs) + m.Unfold(**kwargs)(ts[0]), [x])
    _compare(lambda f, m, ts: f.unfold(ts[0], **kwargs), [x[0]])
    assert repr(nn.Unfold(**kwargs)) == repr(torch.nn.Unfold(**kwargs))


@pytest.mark.parametrize("kwargs", [{}, dict(p=1.0, dim=0), dict(p=3, dim=-1), dict(dim=1, eps=0.5),
                                    dict(p=float("inf"), dim=2)])
def test_normalize(kwargs: dict[str, Any]) -> None:
    x = RNG.standard_normal((3, 4, 2))
    x[1, :, 0] = 0.0  # a zero vector along dim 1: finite, zero gradient as PyTorch's
    _compare(lambda f, m, ts: f.normalize(ts[0], **kwargs), [x])


@pytest.mark.parametrize("kwargs", [{}, dict(dim=0), dict(dim=-1, eps=0.1)])
def test_cosine_similarity(kwargs: dict[str, Any]) -> None:
    _compare(lambda f, m, ts: f.cosine_similarity(ts[0], ts[1], **kwargs),
             [RNG.standard_normal((3, 4, 5)), RNG.standard_normal((3, 4, 5))])
    _compare(lambda f, m, ts: f.cosine_similarity(ts[0], ts[1]), [RNG.standard_normal((3, 4)),
                                                                   RNG.standard_normal((1, 4))])


# ----- activations -------------------------------------------------------------------------------
ACTIVATIONS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "elu": lambda f, m, x: f.elu(x) + m.ELU(alpha=0.7)(x),
    "softplus": lambda f, m, x: f.softplus(x) + m.Softplus(beta=2.0, threshold=5.0)(x),
    "relu6": lambda f, m, x: f.relu6(x) + m.ReLU6()(x),
    "hardtanh": lambda f, m, x: f.hardtanh(x) + m.Hardtanh(-2.0, 0.5)(x),
    "logsigmoid": lambda f, m, x: f.logsigmoid(x) + m.LogSigmoid()(x),
    "softmin": lambda f, m, x: f.softmin(x, dim=1) + m.Softmin(dim=0)(x),
}


@pytest.mark.parametrize("name", list(ACTIVATIONS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_activations(name: str, dtype: type) -> None:
    x = (RNG.standard_normal((4, 6)) * 5).astype(dtype)
    x[0, :5] = [0.0, 6.0, -1.0, 1.0, 0.5]  # the kinks: gradients as PyTorch's there too
    x[1, :2] = [200.0, -200.0]
    _compare(lambda f, m, ts: ACTIVATIONS[name](f, m, ts[0]), [x], rtol=1e-6 if dtype == np.float64 else 1e-5)


def test_prelu() -> None:
    x = RNG.standard_normal((2, 3, 4))
    x[0, 0, 0] = 0.0
    _compare(lambda f, m, ts: f.prelu(ts[0], ts[1]), [x, RNG.uniform(0, 1, 3)])
    _compare(lambda f, m, ts: f.prelu(ts[0], ts[1]), [x, RNG.uniform(0, 1, 1)])
    _module_pair(nn.PReLU(3), torch.nn.PReLU(3), x.astype(np.float32), rtol=1e-5)
    with pytest.raises(RuntimeError, match="Mismatch of parameter numbers"):
        F.prelu(tg.tensor(x), tg.tensor(np.ones(2)))


@pytest.mark.parametrize("name", ["ELU", "Softplus", "ReLU6", "Hardtanh", "LogSigmoid", "Softmin", "PReLU"])
def test_activation_reprs(name: str) -> None:
    assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())


def test_gradchecks() -> None:
    def t(*shape: int) -> Any:
        return tg.tensor(RNG.standard_normal(shape), requires_grad=True)

    assert gradcheck(lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
                     t(1, 4, 3, 3), t(4, 2, 3, 3), t(4))
    assert gradcheck(lambda x, w: F.conv1d(x, w, stride=2, padding=1, groups=2), t(2, 4, 7), t(4, 2, 3))
    assert gradcheck(lambda x: F.interpolate(x, scale_factor=1.7, mode="bilinear"), t(1, 2, 3, 4))
    assert gradcheck(lambda x: F.interpolate(x, size=(5, 7)), t(1, 2, 3, 4))
    assert gradcheck(lambda x: F.adaptive_max_pool2d(x, (2, 3)) + F.adaptive_avg_pool2d(x, (2, 3)), t(1, 2, 5, 5))
    for mode in ("reflect", "replicate", "circular", "constant"):
        assert gradcheck(lambda x, mode=mode: F.pad(x, (1, 2, 2, 1), mode=mode), t(1, 1, 4, 4))
    assert gradcheck(lambda x, w: F.prelu(x, w), t(2, 3, 4), t(3))
    assert gradcheck(lambda x: F.max_pool1d(x, 3, 2, 1) + F.avg_pool1d(x, 3, 2, 1), t(2, 2, 7))
    assert gradcheck(lambda x: F.unfold(x, 2, padding=1, stride=2), t(1, 2, 4, 5))
    assert gradcheck(lambda x, y: F.normalize(x) + F.cosine_similarity(x, y).reshape(3, 1), t(3, 4), t(3, 4))
    for fn in (F.elu, F.softplus, F.logsigmoid, F.relu6, F.hardtanh, lambda x: F.softmin(x, 1)):
        assert gradcheck(fn, tg.tensor(RNG.standard_normal((3, 4)) * 3, requires_grad=True))


@pytest.mark.parametrize("groups", [2, 4])
def test_grouped_conv2d(groups: int) -> None:
    x, w, b = RNG.standard_normal((2, 4, 6, 5)), RNG.standard_normal((8, 4 // groups, 3, 3)), RNG.standard_normal(8)
    _compare(lambda f, m, ts: f.conv2d(ts[0], ts[1], ts[2], stride=2, padding=1, groups=groups), [x, w, b])
    _compare(lambda f, m, ts: f.conv2d(ts[0], ts[1], groups=groups, dilation=2), [x[0], w])
    ours, theirs = nn.Conv2d(4, 8, 3, padding=1, groups=groups), torch.nn.Conv2d(4, 8, 3, padding=1, groups=groups)
    _module_pair(ours, theirs, x.astype(np.float32), rtol=1e-4)
    assert ours.weight.shape == (8, 4 // groups, 3, 3)
    with pytest.raises(RuntimeError, match="to have 4 channels, but got 6 channels"):
        ours(tg.randn(1, 6, 5, 5))
    with pytest.raises(ValueError, match="groups"):
        nn.Conv2d(4, 6, 3, groups=4)
