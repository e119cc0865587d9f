"""The spectral convolution: its DFT matrices, its results against the definition and against
im2col, its gradients, and when conv2d takes it."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_conv import direct_conv2d

from tinygrad_adam import Tensor, gradcheck, nn, no_grad
from tinygrad_adam.nn import functional as F
from tinygrad_adam.nn.ops import spectral_conv
from tinygrad_adam.nn.ops.conv import Conv2dOp
from tinygrad_adam.nn.ops.layout import is_batch_last
from tinygrad_adam.nn.ops.spectral_conv import SpectralConv2dOp, frequencies, transforms


def spectral(x: Tensor, w: Tensor, b: Tensor | None = None, padding: tuple[int, int] = (0, 0)) -> Tensor:
    args = (x, w) if b is None else (x, w, b)
    return SpectralConv2dOp.apply(*args, padding=(padding[0], padding[0], padding[1], padding[1]))


@pytest.mark.parametrize(("hp", "wp"), [(12, 12), (7, 5), (6, 9), (1, 4), (3, 1), (1, 1), (2, 2)])
def test_one_frequency_of_each_conjugate_pair_with_weights_summing_to_the_pixels(hp: int, wp: int) -> None:
    u, v, weight = frequencies(hp, wp)
    kept = set(zip(u.tolist(), v.tolist(), strict=True))
    for p in range(hp):
        for q in range(wp):
            partner = ((-p) % hp, (-q) % wp)
            assert ((p, q) in kept) + (partner in kept and partner != (p, q)) == 1, (p, q)
    assert weight.sum() == hp * wp  # each kept frequency stands for itself and its partner
    assert len(u) == (hp * wp + (2 - hp % 2) * (2 - wp % 2)) // 2  # the count is_cheaper uses
    assert all(w == (1 if ((-a) % hp, (-b) % wp) == (a, b) else 2) for a, b, w in zip(u, v, weight, strict=True))


@pytest.mark.parametrize(("hp", "wp"), [(12, 12), (7, 5), (6, 9), (1, 4), (3, 1)])
def test_pixel_matrix_is_the_dft_at_the_kept_frequencies(hp: int, wp: int) -> None:
    image = np.random.default_rng(0).standard_normal((hp, wp))
    pairs = (transforms(hp, wp, 1, 1, np.dtype(np.float64)).pixels @ image.reshape(-1)).reshape(-1, 2)
    u, v, _ = frequencies(hp, wp)
    np.testing.assert_allclose(pairs[:, 0] + 1j * pairs[:, 1], np.fft.fft2(image)[u, v], atol=1e-12)


@pytest.mark.parametrize(("hp", "wp", "kh", "kw"), [(12, 12, 5, 5), (7, 5, 3, 2), (6, 9, 1, 1), (4, 4, 4, 4)])
def test_output_matrix_inverts_the_pixel_matrix_on_the_valid_outputs(hp: int, wp: int, kh: int, kw: int) -> None:
    t = transforms(hp, wp, kh, kw, np.dtype(np.float64))
    image = np.random.default_rng(1).standard_normal((hp, wp))
    back = (t.output @ (t.pixels @ image.reshape(-1))).reshape(hp - kh + 1, wp - kw + 1)
    np.testing.assert_allclose(back, image[:hp - kh + 1, :wp - kw + 1], atol=1e-12)
    assert not t.pixels.flags.writeable and t.pixels.dtype == np.float64


def test_kernel_matrix_is_the_conjugate_product_block_of_the_kernel_dft() -> None:
    t = transforms(6, 7, 2, 3, np.dtype(np.float64))
    kernel = np.random.default_rng(1).standard_normal((2, 3))
    a, b = (t.pixels.reshape(-1, 2, 6, 7)[:, :, :2, :3].reshape(-1, 2, 6) @ kernel.reshape(-1)).T
    blocks = (t.kernel @ kernel.reshape(-1)).reshape(-1, 2, 2)
    np.testing.assert_allclose(blocks, np.stack([a, b, -b, a], axis=1).reshape(-1, 2, 2), atol=1e-12)
    x = np.random.default_rng(2).standard_normal((len(a), 2))  # (real, imaginary) pairs
    product = np.einsum("frs,fs->fr", blocks, x)
    np.testing.assert_allclose(product[:, 0] + 1j * product[:, 1], np.conj(a + 1j * b) * (x[:, 0] + 1j * x[:, 1]))
    assert transforms(6, 7, 2, 3, np.dtype(np.float32)).kernel.dtype == np.float32


CASES = [  # (N, C, H, W, O, kernel, padding)
    (2, 32, 12, 12, 8, (5, 5), (0, 0)),  # the MNIST CNN's second convolution, fewer outputs
    (3, 5, 7, 6, 4, (3, 2), (1, 2)),     # padding, odd padded width
    (2, 8, 5, 5, 3, (5, 5), (0, 0)),     # kernel = input: 1x1 output
    (2, 3, 4, 6, 5, (1, 1), (0, 0)),     # 1x1 kernel
    (1, 2, 3, 1, 2, (1, 1), (0, 0)),     # one column
    (2, 1, 9, 8, 2, (4, 3), (2, 0)),     # one input channel, even padded sizes
]


@pytest.mark.parametrize(("n", "c", "h", "w", "o", "kernel", "padding"), CASES)
def test_forward_matches_the_definition(n: int, c: int, h: int, w: int, o: int, kernel: tuple[int, int],
                                        padding: tuple[int, int]) -> None:
    rng = np.random.default_rng(2)
    x, weight, bias = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c) + kernel), rng.standard_normal(o)
    out = spectral(Tensor(x), Tensor(weight), Tensor(bias), padding)
    np.testing.assert_allclose(out.array, direct_conv2d(x, weight, bias, (1, 1), padding), atol=1e-11)
    no_bias = spectral(Tensor(x), Tensor(weight), None, padding)
    np.testing.assert_allclose(no_bias.array, direct_conv2d(x, weight, None, (1, 1), padding), atol=1e-11)
    assert is_batch_last(out.array)


@pytest.mark.parametrize(("n", "c", "h", "w", "o", "kernel", "padding"), CASES[1:])
def test_gradients_pass_gradcheck(n: int, c: int, h: int, w: int, o: int, kernel: tuple[int, int],
                                  padding: tuple[int, int]) -> None:
    rng = np.random.default_rng(3)
    shapes = (n, c, h, w), (o, c) + kernel, (o,)
    x, weight, bias = (Tensor(rng.standard_normal(s), requires_grad=True) for s in shapes)
    assert gradcheck(lambda x, w, b: spectral(x, w, b, padding), x, weight, bias)
    assert gradcheck(lambda x, w: spectral(x, w, None, padding), x, weight)


def test_only_the_inputs_that_need_it_get_a_gradient() -> None:
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((2, 3, 6, 6)), requires_grad=True)
    weight, bias = Tensor(rng.standard_normal((4, 3, 3, 3))), Tensor(rng.standard_normal(4), requires_grad=True)
    spectral(x, weight, bias).sum().backward()
    assert weight.grad is None and x.grad is not None and bias.grad is not None
    np.testing.assert_allclose(bias.grad.array, np.full(4, 2 * 4 * 4.0))


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 3), c=st.integers(1, 6), o=st.integers(1, 4), h=st.integers(1, 9), w=st.integers(1, 9),
       kh=st.integers(1, 5), kw=st.integers(1, 5), ph=st.integers(0, 2), pw=st.integers(0, 2),
       seed=st.integers(0, 2**16))
def test_forward_and_gradients_agree_with_im2col_for_any_geometry(n: int, c: int, o: int, h: int, w: int, kh: int,
                                                                  kw: int, ph: int, pw: int, seed: int) -> None:
    if kh > h + 2 * ph or kw > w + 2 * pw:
        return
    rng = np.random.default_rng(seed)
    arrays = rng.standard_normal((n, c, h, w)), rng.standard_normal((o, c, kh, kw)), rng.standard_normal(o)
    results = []

    def im2col(x: Tensor, w: Tensor, b: Tensor, p: tuple[int, int]) -> Tensor:
        return Conv2dOp.apply(x, w, b, stride=(1, 1), padding=(p[0], p[0], p[1], p[1]), dilation=(1, 1))

    for op in (spectral, im2col):
        x, weight, bias = (Tensor(a, requires_grad=True) for a in arrays)
        out = op(x, weight, bias, (ph, pw))
        out.backward(np.cos(np.arange(out.array.size)).reshape(out.shape))
        results.append([out.array, x.grad.array, weight.grad.array, bias.grad.array])
    for a, b in zip(*results, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-10)


def test_float32_in_float32_out_close_to_float64() -> None:
    rng = np.random.default_rng(5)
    x64, w64 = rng.standard_normal((4, 32, 12, 12)), rng.standard_normal((64, 32, 5, 5)) * 0.05
    x, weight = Tensor(x64.astype(np.float32), requires_grad=True), Tensor(w64.astype(np.float32), requires_grad=True)
    out = spectral(x, weight)
    out.sum().backward()
    assert out.dtype == x.grad.dtype == weight.grad.dtype == np.float32
    np.testing.assert_allclose(out.array, direct_conv2d(x64, w64, None, (1, 1), (0, 0)), rtol=1e-4, atol=2e-5)


def test_conv2d_takes_the_spectral_path_only_where_it_multiplies_less() -> None:
    x = Tensor(np.zeros((64, 32, 12, 12), np.float32))
    assert spectral_conv.is_cheaper(64, 32, 64, (12, 12), (5, 5))  # the MNIST CNN's second convolution
    assert not spectral_conv.is_cheaper(64, 1, 32, (28, 28), (5, 5))  # its first: one channel, a large image
    assert not spectral_conv.is_cheaper(64, 64, 64, (40, 40), (5, 5))  # past MAX_PIXELS
    layer = nn.Conv2d(32, 64, 5)
    assert layer(x).grad_fn.function is SpectralConv2dOp
    assert nn.Conv2d(32, 64, 5, stride=2)(x).grad_fn.function is Conv2dOp
    assert nn.Conv2d(32, 64, 5, dilation=2)(x).grad_fn.function is Conv2dOp
    assert nn.Conv2d(1, 32, 5)(Tensor(np.zeros((64, 1, 28, 28), np.float32))).grad_fn.function is Conv2dOp
    assert F.conv2d(x, layer.weight, layer.bias).grad_fn.function is SpectralConv2dOp


def test_matches_pytorch_on_the_mnist_second_convolution() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(6)
    layer = nn.Conv2d(32, 64, 5)
    ref = torch.nn.Conv2d(32, 64, 5)
    ref.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in layer.state_dict().items()})
    x_np = np.maximum(rng.standard_normal((16, 32, 12, 12)), 0).astype(np.float32)
    g = rng.standard_normal((16, 64, 8, 8)).astype(np.float32)
    x, x_ref = Tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)
    out, out_ref = layer(x), ref(x_ref)
    assert out.grad_fn.function is SpectralConv2dOp
    out.backward(g)
    out_ref.backward(torch.from_numpy(g))
    np.testing.assert_allclose(out.array, out_ref.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(x.grad.array, x_ref.grad.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(layer.weight.grad.array, ref.weight.grad.detach().numpy(), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.bias.grad.array, ref.bias.grad.detach().numpy(), rtol=1e-4, atol=1e-4)


def test_without_a_graph_a_large_batch_goes_through_in_blocks_of_samples(monkeypatch: pytest.MonkeyPatch) -> None:
    layer = nn.Conv2d(32, 64, 5)
    x = Tensor(np.random.default_rng(8).standard_normal((256, 32, 12, 12)).astype(np.float32))

    def forward_peak() -> tuple[np.ndarray, int]:
        tracemalloc.start()
        try:
            with no_grad():
                out = layer(x).array
            return out, tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    whole, whole_peak = forward_peak()  # one block: the output spectrum is under SAMPLE_BLOCK_BYTES
    spectrum_bytes = len(frequencies(12, 12)[0]) * 2 * 64 * 256 * 4  # the output spectrum of all samples
    monkeypatch.setattr(spectral_conv, "SAMPLE_BLOCK_BYTES", spectrum_bytes // 8)
    blocked, blocked_peak = forward_peak()
    np.testing.assert_allclose(blocked, whole, rtol=1e-5, atol=1e-5)  # BLAS may round other sizes differently
    assert is_batch_last(blocked)
    assert blocked_peak < whole_peak - spectrum_bytes / 2, (blocked_peak, whole_peak, spectrum_bytes)


def test_empty_batch() -> None:
    layer = nn.Conv2d(32, 64, 5)
    x = Tensor(np.zeros((0, 32, 12, 12), np.float32), requires_grad=True)
    out = layer(x)
    out.sum().backward()
    assert out.shape == (0, 64, 8, 8) and x.grad.shape == x.shape and not layer.weight.grad.array.any()
