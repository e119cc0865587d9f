"""MaxPool2d / AvgPool2d: both paths against a direct loop, gradients, ties, errors, PyTorch."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import Tensor, gradcheck


def direct_pool(x: np.ndarray, kernel: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int],
                reduce: str, count_include_pad: bool = True) -> np.ndarray:
    n, c, h, w = x.shape
    (kh, kw), (sh, sw), (ph, pw) = kernel, stride, padding
    fill = -np.inf if reduce == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    real = np.pad(np.ones((h, w)), ((ph, ph), (pw, pw)))
    oh, ow = (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
            if reduce == "max":
                out[:, :, i, j] = patch.max(axis=(2, 3))
            else:
                count = kh * kw if count_include_pad else real[i * sh:i * sh + kh, j * sw:j * sw + kw].sum()
                out[:, :, i, j] = patch.sum(axis=(2, 3)) / count
    return out


def distinct(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Values at least 0.1 apart, so no window has a tie within gradcheck's eps."""
    return (rng.permutation(int(np.prod(shape))) * 0.1).reshape(shape) - 1.0


GEOMETRIES = [  # (shape, kernel, stride, padding): the first two are the non-overlapping reshape path
    ((2, 3, 4, 6), (2, 2), (2, 2), (0, 0)),
    ((1, 2, 7, 5), (3, 2), (3, 2), (0, 0)),     # sizes not divisible: the last row / column is dropped
    ((2, 2, 5, 5), (3, 3), (1, 1), (0, 0)),     # overlapping
    ((1, 3, 6, 5), (3, 3), (2, 2), (1, 1)),     # padded
    ((2, 1, 7, 6), (2, 3), (1, 2), (1, 1)),     # non-square
    ((1, 9, 4, 4), (2, 2), (2, 2), (1, 1)),     # stride == kernel but padded: general path
]


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), GEOMETRIES)
def test_forward_matches_direct_loop(shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int],
                                     padding: tuple[int, int]) -> None:
    x = np.random.default_rng(0).standard_normal(shape)
    np.testing.assert_array_equal(F.max_pool2d(Tensor(x), kernel, stride, padding).array,
                                  direct_pool(x, kernel, stride, padding, "max"))
    np.testing.assert_allclose(F.avg_pool2d(Tensor(x), kernel, stride, padding).array,
                               direct_pool(x, kernel, stride, padding, "avg"), atol=1e-14)
    np.testing.assert_allclose(F.avg_pool2d(Tensor(x), kernel, stride, padding, count_include_pad=False).array,
                               direct_pool(x, kernel, stride, padding, "avg", count_include_pad=False), atol=1e-14)


@settings(max_examples=40, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       sh=st.integers(1, 4), sw=st.integers(1, 4), ph=st.integers(0, 2), pw=st.integers(0, 2),
       seed=st.integers(0, 2**16))
def test_forward_matches_direct_loop_for_any_geometry(h: int, w: int, kh: int, kw: int, sh: int, sw: int, ph: int,
                                                      pw: int, seed: int) -> None:
    ph, pw = min(ph, kh // 2), min(pw, kw // 2)
    if kh > h + 2 * ph or kw > w + 2 * pw:
        return
    x = np.random.default_rng(seed).standard_normal((2, 2, h, w))
    args = ((kh, kw), (sh, sw), (ph, pw))
    np.testing.assert_array_equal(F.max_pool2d(Tensor(x), *args).array, direct_pool(x, *args, "max"))
    np.testing.assert_allclose(F.avg_pool2d(Tensor(x), *args).array, direct_pool(x, *args, "avg"), atol=1e-14)


@pytest.mark.parametrize(("shape", "kernel", "stride", "padding"), GEOMETRIES)
def test_gradcheck(shape: tuple[int, ...], kernel: tuple[int, int], stride: tuple[int, int],
                   padding: tuple[int, int]) -> None:
    rng = np.random.default_rng(1)
    x = Tensor(distinct(rng, shape), requires_grad=True)
    r = rng.standard_normal(F.max_pool2d(x, kernel, stride, padding).shape)
    assert gradcheck(lambda t: (F.max_pool2d(t, kernel, stride, padding) * r).sum(), x)
    assert gradcheck(lambda t: (F.avg_pool2d(t, kernel, stride, padding) * r).sum(), x)
    assert gradcheck(lambda t: (F.avg_pool2d(t, kernel, stride, padding, count_include_pad=False) * r).sum(), x)


@pytest.mark.parametrize(("kernel", "stride"), [((2, 2), (2, 2)), ((2, 2), (1, 1))])
def test_max_pool_ties_route_the_gradient_to_the_first_maximum(kernel: tuple[int, int],
                                                               stride: tuple[int, int]) -> None:
    x = Tensor(np.zeros((1, 1, 4, 4)), requires_grad=True)  # every window is one big tie (as after ReLU)
    F.max_pool2d(x, kernel, stride).sum().backward()
    if stride == kernel:
        expected = np.zeros((4, 4))
        expected[::2, ::2] = 1  # the top-left of each window
    else:  # overlapping: window (i, j) sends its gradient to element (i, j)
        expected = np.zeros((4, 4))
        expected[:3, :3] = 1
    np.testing.assert_array_equal(x.grad[0, 0], expected)
    assert x.grad.array.sum() == F.max_pool2d(x, kernel, stride).numel()  # exactly one element per window


def test_padding_never_wins_the_max_and_float32_is_kept() -> None:
    x = Tensor(-np.ones((1, 1, 3, 3), dtype=np.float32) * 5, requires_grad=True)
    out = F.max_pool2d(x, 3, 1, 1)
    np.testing.assert_array_equal(out.array, -5 * np.ones((1, 1, 3, 3)))
    out.sum().backward()
    assert out.dtype == x.grad.dtype == np.float32
    assert F.avg_pool2d(x, 2).dtype == np.float32


def test_batch_last_input_gives_same_result() -> None:
    x = np.random.default_rng(2).standard_normal((11, 8, 6, 6)).astype(np.float32)
    x_last = np.ascontiguousarray(x.transpose(1, 2, 3, 0)).transpose(3, 0, 1, 2)
    for pool in (lambda t: F.max_pool2d(t, 2), lambda t: F.max_pool2d(t, 3, 2, 1), lambda t: F.avg_pool2d(t, 3, 1)):
        a, b = Tensor(x, requires_grad=True), Tensor(x_last, requires_grad=True)
        out_a, out_b = pool(a), pool(b)
        np.testing.assert_array_equal(out_a.array, out_b.array)
        g = np.random.default_rng(3).standard_normal(out_a.shape).astype(np.float32)
        out_a.backward(g)
        out_b.backward(g)
        np.testing.assert_array_equal(a.grad, b.grad)


def test_layers_defaults_repr_and_unbatched_input() -> None:
    pool = nn.MaxPool2d(2)
    assert pool.stride == 2
    assert repr(pool) == "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"
    assert repr(nn.AvgPool2d((3, 2), 1, 1)) == "AvgPool2d(kernel_size=(3, 2), stride=1, padding=1)"
    x = np.arange(16.0).reshape(1, 4, 4)
    np.testing.assert_array_equal(pool(Tensor(x)).array, [[[5.0, 7.0], [13.0, 15.0]]])
    np.testing.assert_array_equal(nn.AvgPool2d(2)(Tensor(x)).array, [[[2.5, 4.5], [10.5, 12.5]]])


def test_errors() -> None:
    with pytest.raises(RuntimeError, match=r"max_pool2d: expected a 3-D or 4-D input .*, got shape \(4, 4\)"):
        nn.MaxPool2d(2)(Tensor(np.zeros((4, 4))))
    with pytest.raises(RuntimeError, match="pad should be at most half of effective kernel size"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2)
    with pytest.raises(RuntimeError, match=r"avg_pool2d: kernel size \(5, 5\) is larger than the padded input"):
        nn.AvgPool2d(5)(Tensor(np.zeros((1, 1, 4, 4))))


def test_matches_pytorch_forward_and_gradients() -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(4)
    for shape, kernel, stride, padding in GEOMETRIES:
        x_np = rng.standard_normal(shape)
        for ours, theirs in [(F.max_pool2d, torch.nn.functional.max_pool2d),
                             (F.avg_pool2d, torch.nn.functional.avg_pool2d)]:
            x, x_ref = Tensor(x_np, requires_grad=True), torch.tensor(x_np, requires_grad=True)
            out, out_ref = ours(x, kernel, stride, padding), theirs(x_ref, kernel, stride, padding)
            np.testing.assert_allclose(out.array, out_ref.detach().numpy(), atol=1e-12)
            g = rng.standard_normal(out.shape)
            out.backward(g)
            out_ref.backward(torch.from_numpy(g))
            np.testing.assert_allclose(x.grad, x_ref.grad.detach().numpy(), atol=1e-12)
    ties = np.zeros((1, 1, 4, 4))
    x, x_ref = Tensor(ties, requires_grad=True), torch.tensor(ties, requires_grad=True)
    F.max_pool2d(x, 2, 1).sum().backward()
    torch.nn.functional.max_pool2d(x_ref, 2, 1).sum().backward()
    np.testing.assert_array_equal(x.grad, x_ref.grad.detach().numpy())


@pytest.mark.parametrize(("make", "message"), [
    (lambda: nn.MaxPool2d(0), r"MaxPool2d: kernel_size must be an int >= 1 or a pair of them, got 0"),
    (lambda: nn.MaxPool2d((2, 2, 2)), r"MaxPool2d: kernel_size must be an int >= 1 .*got \(2, 2, 2\)"),
    (lambda: nn.MaxPool2d(2, stride=0), r"MaxPool2d: stride must be an int >= 1 or a pair of them, got 0"),
    (lambda: nn.MaxPool2d(2, padding=-1), r"MaxPool2d: padding must be an int >= 0 or a pair of them, got -1"),
    (lambda: nn.MaxPool2d(2, padding=2), r"MaxPool2d: pad should be at most half of effective kernel size"),
    (lambda: nn.AvgPool2d(2.5), r"AvgPool2d\(\): argument 'kernel_size' must be tuple of ints, not float"),
    (lambda: nn.AvgPool2d(3, stride=(1, 0)), r"AvgPool2d: stride must be an int >= 1 .*got \(1, 0\)"),
    (lambda: nn.AvgPool2d((3, 2), padding=(1, 2)), r"AvgPool2d: pad should be at most half of effective kernel size"),
])
def test_pooling_layers_check_their_arguments_at_construction(make: Any, message: str) -> None:
    error = RuntimeError if "pad should" in message else TypeError if "argument" in message else ValueError
    with pytest.raises(error, match=message):
        make()


def test_max_pool_dilation_takes_every_dth_element() -> None:
    x = Tensor(np.arange(25.0).reshape(1, 1, 5, 5))
    # windows of rows and columns (0, 2) and (2, 4): each maximum is its bottom-right corner
    assert nn.MaxPool2d(2, dilation=2)(x).array.tolist() == [[[[12.0, 14.0], [22.0, 24.0]]]]
    out = F.max_pool2d(x, 2, stride=1, dilation=2)  # each window's maximum is its bottom-right corner, 2 further
    np.testing.assert_array_equal(out.array[0, 0], x.array[0, 0, 2:, 2:])


def test_pooling_layers_pass_ceil_mode_return_indices_and_divisor_override() -> None:
    x = Tensor(np.arange(25.0).reshape(1, 1, 5, 5))
    out, indices = nn.MaxPool2d(2, ceil_mode=True, return_indices=True)(x)
    assert out.shape == (1, 1, 3, 3) and indices.dtype == np.int64 and indices.array[0, 0, 2, 2] == 24
    assert nn.AvgPool2d(2, ceil_mode=True)(x).array[0, 0, 2, 2] == 24.0  # the last window covers one pixel
    assert nn.AvgPool2d(5, divisor_override=5)(x).item() == pytest.approx(x.array.sum() / 5)


def test_pooling_layers_go_through_functional(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in PyTorch, a layer's forward is its functional op with the layer's arguments (module -> F -> op)."""
    def spied(name: str, layer: Any, x: Tensor) -> tuple[Any, tuple]:
        real, calls = getattr(F, name), []
        def spy(*args: Any, **kwargs: Any) -> Any:
            bound = inspect.signature(real).bind(*args, **kwargs)
            bound.apply_defaults()
            calls.append(tuple(bound.arguments.values())[1:])
            return real(*args, **kwargs)
        with monkeypatch.context() as patch:
            patch.setattr(F, name, spy)
            out = layer(x)
        assert len(calls) == 1
        return out, calls[0]
    for dims in (1, 2, 3):
        x = Tensor(np.arange(2.0 * 4 ** dims).reshape((1, 2) + (4,) * dims))
        out, arguments = spied(f"max_pool{dims}d", getattr(nn, f"MaxPool{dims}d")(3, 2, 1), x)
        np.testing.assert_array_equal(out.array, getattr(F, f"max_pool{dims}d")(x, 3, 2, 1).array)
        assert arguments == (3, 2, 1, 1, False, False)
    x = Tensor(np.arange(32.0).reshape(1, 2, 4, 4))
    assert spied("avg_pool2d", nn.AvgPool2d(2, count_include_pad=False), x)[1] == (2, 2, 0, False, False, None)
