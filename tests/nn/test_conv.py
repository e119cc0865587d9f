"""Conv2d: forward against a direct loop, gradients by gradcheck, the im2col fast path, errors, PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
import tinygrad_adam.nn.ops.conv as conv
import tinygrad_adam.nn.ops.layout as layout
from tinygrad_adam import Tensor, gradcheck


def direct_conv2d(x: np.ndarray, w: np.ndarray, b: np.ndarray | None, stride: tuple[int, int],
                  padding: tuple[int, int], dilation: tuple[int, int] = (1, 1)) -> np.ndarray:
    """The definition, one output element at a time."""
    n, _, h, wd = x.shape
    o, _, kh, kw = w.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    for b_ in range(n):
        for c in range(o):
            for i in range(oh):
                for j in range(ow):
                    patch = xp[b_, :, i * sh:i * sh + dh * (kh - 1) + 1:dh, j * sw:j * sw + dw * (kw - 1) + 1:dw]
                    out[b_, c, i, j] = np.sum(patch * w[c]) + (0.0 if b is None else b[c])
    return out


def leaves(rng: np.random.Generator, *shapes: tuple[int, ...]) -> list[Tensor]:
    return [Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes]


CASES = [  # (N, C, H, W, O, kernel, stride, padding, dilation)
    (2, 3, 7, 5, 4, (3, 3), (1, 1), (0, 0), (1, 1)),
    (1, 1, 28, 28, 2, (3, 3), (2, 2), (1, 1), (1, 1)),  # 28x28, k3 s2 p1: floor division to 14x14
    (2, 2, 9, 8, 3, (2, 3), (2, 3), (1, 2), (1, 1)),    # non-square everything
    (3, 9, 6, 6, 2, (3, 3), (1, 1), (1, 1), (1, 1)),
    (2, 10, 7, 9, 3, (2, 4), (3, 2), (2, 0), (1, 1)),
    (1, 2, 9, 9, 2, (3, 2), (1, 2), (2, 1), (2, 3)),    # dilation
    (2, 8, 5, 5, 3, (5, 5), (1, 1), (0, 0), (1, 1)),    # kernel = input: 1x1 output
    (2, 3, 4, 6, 5, (1, 1), (1, 1), (0, 0), (1, 1)),    # 1x1 kernel
]


@pytest.mark.parametrize(("n", "c", "h", "w", "o", "kernel", "stride", "padding", "dilation"), CASES)
def test_forward_matches_direct_loop(n: int, c: int, h: int, w: int, o: int, kernel: tuple[int, int],
                                     stride: tuple[int, int], padding: tuple[int, int],
                                     dilation: tuple[int, int]) -> None:
    rng = np.random.default_rng(0)
    x, weight, bias = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c) + kernel), rng.standard_normal(o)
    out = F.conv2d(Tensor(x), Tensor(weight), Tensor(bias), stride, padding, dilation)
    np.testing.assert_allclose(out.array, direct_conv2d(x, weight, bias, stride, padding, dilation), atol=1e-12)
    no_bias = F.conv2d(Tensor(x), Tensor(weight), None, stride, padding, dilation)
    np.testing.assert_allclose(no_bias.array, direct_conv2d(x, weight, None, stride, padding, dilation), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 2), c=st.sampled_from([1, 2, 3, 8]), o=st.integers(1, 3), h=st.integers(1, 8),
       w=st.integers(1, 8), kh=st.integers(1, 4), kw=st.integers(1, 4), sh=st.integers(1, 3), sw=st.integers(1, 3),
       ph=st.integers(0, 2), pw=st.integers(0, 2), seed=st.integers(0, 2**16))
def test_forward_matches_direct_loop_for_any_geometry(n: int, c: int, o: int, h: int, w: int, kh: int, kw: int,
                                                      sh: int, sw: int, ph: int, pw: int, seed: int) -> None:
    if kh > h + 2 * ph or kw > w + 2 * pw:
        with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
            F.conv2d(Tensor(np.zeros((n, c, h, w))), Tensor(np.zeros((o, c, kh, kw))), padding=(ph, pw))
        return
    rng = np.random.default_rng(seed)
    x, weight, bias = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c, kh, kw)), rng.standard_normal(o)
    out = F.conv2d(Tensor(x), Tensor(weight), Tensor(bias), (sh, sw), (ph, pw))
    np.testing.assert_allclose(out.array, direct_conv2d(x, weight, bias, (sh, sw), (ph, pw)), atol=1e-12)


@pytest.mark.parametrize(("n", "c", "h", "w", "o", "kernel", "stride", "padding", "dilation"), [
    (2, 2, 5, 5, 2, (3, 3), (1, 1), (0, 0), (1, 1)),
    (2, 2, 5, 4, 3, (2, 3), (2, 1), (1, 1), (1, 1)),
    (1, 1, 7, 7, 2, (3, 3), (2, 2), (1, 1), (1, 1)),   # odd size, stride 2, floor division
    (2, 4, 4, 3, 2, (2, 2), (1, 1), (0, 0), (1, 1)),
    (1, 8, 3, 4, 2, (2, 2), (2, 1), (1, 0), (1, 1)),
    (1, 2, 6, 5, 2, (2, 2), (1, 2), (1, 0), (2, 2)),   # dilation
])
def test_gradcheck(n: int, c: int, h: int, w: int, o: int, kernel: tuple[int, int], stride: tuple[int, int],
                   padding: tuple[int, int], dilation: tuple[int, int]) -> None:
    rng = np.random.default_rng(1)
    x, weight, bias = leaves(rng, (n, c, h, w), (o, c) + kernel, (o,))
    out_shape = F.conv2d(x, weight, bias, stride, padding, dilation).shape
    r = rng.standard_normal(out_shape)
    assert gradcheck(lambda x, w, b: (F.conv2d(x, w, b, stride, padding, dilation) * r).sum(), x, weight, bias)


def test_gradient_without_bias_and_with_frozen_input() -> None:
    rng = np.random.default_rng(2)
    x, weight = leaves(rng, (2, 3, 4, 4), (2, 3, 3, 3))
    r = rng.standard_normal((2, 2, 2, 2))
    assert gradcheck(lambda x, w: (F.conv2d(x, w) * r).sum(), x, weight)
    frozen = Tensor(x.array)
    F.conv2d(frozen, weight).sum().backward()
    assert frozen.grad is None and weight.grad is not None


@pytest.mark.parametrize("padding", [0, 1])
def test_any_memory_layout_of_input_and_gradient_gives_the_same_result(padding: int) -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((11, 9, 6, 5)).astype(np.float32)  # 11 samples: copied in blocks of 8 and 3

    def layouts(a: np.ndarray) -> list[np.ndarray]:
        return [a, np.ascontiguousarray(a.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2),
                np.ascontiguousarray(a.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2), a[:, :, :, ::-1][:, :, :, ::-1]]

    assert layout.is_batch_last(layouts(x)[2]) and not layout.is_batch_last(x)
    layer = nn.Conv2d(9, 4, 3, padding=padding)
    expected = direct_conv2d(x.astype(np.float64), layer.weight.array, layer.bias.array, (1, 1), (padding, padding))
    g = rng.standard_normal(expected.shape).astype(np.float32)
    results = []
    for array, grad in zip(layouts(x), layouts(g), strict=True):
        t = Tensor(array, requires_grad=True)
        out = layer(t)
        np.testing.assert_allclose(out.array, expected, rtol=1e-4, atol=1e-5)
        out.backward(grad)
        results.append((t.grad, layer.weight.grad))
        layer.zero_grad()
    for grad_x, grad_w in results[1:]:
        np.testing.assert_allclose(grad_x, results[0][0], rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(grad_w, results[0][1], rtol=1e-5, atol=1e-5)
    assert layout.is_batch_last(out.array) and out.dtype == np.float32  # what the next layer gets


def test_float32_in_float32_out_including_gradients() -> None:
    layer = nn.Conv2d(3, 4, 3, stride=2, padding=1)
    x = Tensor(np.random.default_rng(4).standard_normal((2, 3, 7, 7)).astype(np.float32), requires_grad=True)
    out = layer(x)
    out.sum().backward()
    assert out.dtype == np.float32
    assert x.grad.dtype == layer.weight.grad.dtype == layer.bias.grad.dtype == np.float32


class _NoAddAt:
    """np.add with .at disabled."""

    def __init__(self, ufunc: np.ufunc):
        self._ufunc = ufunc

    def __call__(self, *args: object, **kwargs: object) -> object:
        return self._ufunc(*args, **kwargs)

    def __getattr__(self, name: str) -> object:
        if name == "at":
            raise AssertionError("np.add.at used in conv2d")
        return getattr(self._ufunc, name)


def test_backward_loops_only_over_kernel_positions_without_add_at(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(np, "add", _NoAddAt(np.add))
    calls: list[tuple[int, int]] = []
    original_window = conv.window

    def counting_window(i: int, j: int, *args: object) -> tuple[slice, slice]:
        calls.append((i, j))
        return original_window(i, j, *args)

    monkeypatch.setattr(conv, "window", counting_window)
    for channels in (2, 9):
        for batch in (1, 8):
            layer = nn.Conv2d(channels, 3, (3, 2), stride=2, padding=1)
            x = Tensor(np.ones((batch, channels, 9, 9), dtype=np.float32), requires_grad=True)
            calls.clear()
            layer(x).sum().backward()
            assert calls == [(i, j) for i in range(3) for j in range(2)], (channels, batch)
            assert x.grad.shape == x.shape


def test_conv2d_layer_shapes_init_and_padding_modes() -> None:
    layer = nn.Conv2d(3, 6, (5, 3))
    assert layer.weight.shape == (6, 3, 5, 3) and layer.bias.shape == (6,)
    bound = np.float32(1 / np.sqrt(3 * 5 * 3))
    assert np.abs(layer.weight.array).max() <= bound and np.abs(layer.bias.array).max() <= bound
    assert np.abs(layer.weight.array).max() > 0.8 * bound
    assert nn.Conv2d(1, 2, 3, bias=False).bias is None
    x = Tensor(np.zeros((2, 3, 10, 8), dtype=np.float32))
    assert layer(x).shape == (2, 6, 6, 6)
    assert nn.Conv2d(3, 6, 4, padding="same")(x).shape == (2, 6, 10, 8)
    assert nn.Conv2d(3, 6, 3, padding="valid")(x).shape == (2, 6, 8, 6)
    assert nn.Conv2d(3, 6, 3, stride=2, padding=1)(Tensor(np.zeros((1, 3, 28, 28), np.float32))).shape == (
        1, 6, 14, 14)
    unbatched = layer(Tensor(np.zeros((3, 10, 8), dtype=np.float32)))
    assert unbatched.shape == (6, 6, 6)


def test_padding_same_with_even_kernel_pads_bottom_right_like_pytorch() -> None:
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal((1, 1, 5, 5)), rng.standard_normal((1, 1, 2, 2))
    out = F.conv2d(Tensor(x), Tensor(w), padding="same").array
    padded = np.pad(x, ((0, 0), (0, 0), (0, 1), (0, 1)))
    np.testing.assert_allclose(out, direct_conv2d(padded, w, None, (1, 1), (0, 0)), atol=1e-12)


def test_errors_name_the_op_and_shapes() -> None:
    layer = nn.Conv2d(1, 32, 5)
    with pytest.raises(RuntimeError) as info:
        layer(Tensor(np.zeros((64, 3, 28, 28), dtype=np.float32)))
    assert str(info.value) == ("conv2d: given groups=1, weight of size [32, 1, 5, 5], expected input[64, 3, 28, 28] "
                               "to have 1 channels, but got 3 channels instead")
    with pytest.raises(RuntimeError, match=r"conv2d: calculated padded input size per channel: \(4 x 4\). Kernel "
                                           r"size: \(5 x 5\)"):
        layer(Tensor(np.zeros((1, 1, 4, 4), dtype=np.float32)))
    with pytest.raises(RuntimeError, match=r"expected a 3D \(unbatched\) or 4D \(batched\) input"):
        layer(Tensor(np.zeros((28, 28), dtype=np.float32)))
    with pytest.raises(RuntimeError, match=r"conv2d: input dtype (torch\.)?float64 differs from parameter dtype"):
        layer(Tensor(np.zeros((1, 1, 8, 8))))
    with pytest.raises(ValueError, match="stride must be an int >= 1"):
        nn.Conv2d(1, 2, 3, stride=0)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(1, 2, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="groups"):  # groups are supported (issue 25) when they divide the channels
        nn.Conv2d(2, 3, 3, groups=2)
    with pytest.raises(ValueError, match="padding_mode must be one of"):  # reflect, replicate, circular work
        nn.Conv2d(2, 2, 3, padding_mode="mirror")


def test_matches_pytorch_forward_and_gradients() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(7)
    for c, stride, padding, dilation in [(3, 1, 0, 1), (9, 2, 1, 1), (2, (2, 1), (0, 2), (2, 1))]:
        layer = nn.Conv2d(c, 4, (3, 2), stride=stride, padding=padding, dilation=dilation).double()
        ref = torch.nn.Conv2d(c, 4, (3, 2), stride=stride, padding=padding, dilation=dilation).double()
        ref.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in layer.state_dict().items()})
        x_np = rng.standard_normal((2, c, 9, 7))
        x, x_ref = Tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)
        out, out_ref = layer(x), ref(x_ref)
        np.testing.assert_allclose(out.array, out_ref.detach().numpy(), rtol=0, atol=1e-10)
        g = rng.standard_normal(out.shape)
        out.backward(g)
        out_ref.backward(torch.from_numpy(g))
        np.testing.assert_allclose(x.grad, x_ref.grad.detach().numpy(), atol=1e-10)
        np.testing.assert_allclose(layer.weight.grad, ref.weight.grad.detach().numpy(), atol=1e-10)
        np.testing.assert_allclose(layer.bias.grad, ref.bias.grad.detach().numpy(), atol=1e-10)
