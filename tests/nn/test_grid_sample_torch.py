"""F.affine_grid and F.grid_sample against PyTorch: values, float64 gradients in input, grid and theta, errors."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

MODES = list(itertools.product(("bilinear", "nearest", "bicubic"), ("zeros", "border", "reflection"), (True, False)))


@pytest.mark.parametrize(("mode", "padding_mode", "align_corners"), MODES)
def test_grid_sample_values_and_float64_gradients(mode: str, padding_mode: str, align_corners: bool) -> None:
    rng = np.random.default_rng(1)
    x, grid = rng.standard_normal((2, 3, 5, 6)), rng.uniform(-2.5, 2.5, (2, 4, 3, 2))  # reflections more than once
    theirs = [torch.tensor(x, requires_grad=True), torch.tensor(grid, requires_grad=True)]
    ours = [tg.tensor(x, requires_grad=True), tg.tensor(grid, requires_grad=True)]
    out = tg.nn.functional.grid_sample(*ours, mode=mode, padding_mode=padding_mode, align_corners=align_corners)
    expected = torch.nn.functional.grid_sample(*theirs, mode=mode, padding_mode=padding_mode,
                                               align_corners=align_corners)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    weights = rng.standard_normal(expected.shape)
    (out * tg.tensor(weights)).sum().backward()
    (expected * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert out.grad_fn.name() == expected.grad_fn.name()


def test_grid_sample_float32_values() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 2, 7, 4)).astype(np.float32)
    grid = rng.uniform(-1.2, 1.2, (1, 5, 5, 2)).astype(np.float32)
    out = tg.nn.functional.grid_sample(tg.tensor(x), tg.tensor(grid), align_corners=False)
    expected = torch.nn.functional.grid_sample(torch.tensor(x), torch.tensor(grid), align_corners=False)
    assert out.dtype == tg.float32
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("align_corners", [True, False])
def test_affine_grid_values_and_theta_gradient(align_corners: bool) -> None:
    theta = np.random.default_rng(3).standard_normal((2, 2, 3))
    ours, theirs = tg.tensor(theta, requires_grad=True), torch.tensor(theta, requires_grad=True)
    out = tg.nn.functional.affine_grid(ours, [2, 3, 4, 5], align_corners=align_corners)
    expected = torch.nn.functional.affine_grid(theirs, [2, 3, 4, 5], align_corners=align_corners)
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-12, atol=1e-14)
    (out ** 2).sum().backward()
    (expected ** 2).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-12)
    assert out.grad_fn.name() == expected.grad_fn.name()
    float32 = tg.nn.functional.affine_grid(tg.tensor(theta, dtype=tg.float32), [2, 1, 7, 3], align_corners)
    np.testing.assert_allclose(float32.numpy(), torch.nn.functional.affine_grid(
        torch.tensor(theta, dtype=torch.float32), [2, 1, 7, 3], align_corners).numpy(), rtol=1e-6, atol=1e-6)


def test_spatial_transformer_step() -> None:
    """The tutorial's use: a grid from theta, then the image sampled on it; the gradient reaches theta."""
    rng = np.random.default_rng(4)
    image, theta = rng.standard_normal((3, 1, 8, 8)), rng.standard_normal((3, 2, 3)) * 0.5
    results = []
    for lib in (tg, torch):
        t = lib.tensor(theta, requires_grad=True)
        grid = lib.nn.functional.affine_grid(t, lib.Size([3, 1, 8, 8]), align_corners=False)
        lib.nn.functional.grid_sample(lib.tensor(image), grid, align_corners=False).sum().backward()
        results.append(t.grad.numpy())
    np.testing.assert_allclose(*results, rtol=1e-10)


def test_align_corners_none_warns_like_pytorch() -> None:
    for lib in (tg, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.functional.grid_sample(lib.zeros(1, 1, 2, 2), lib.zeros(1, 1, 1, 2))
            lib.nn.functional.affine_grid(lib.zeros(1, 2, 3), [1, 1, 2, 2])
        assert [str(w.message)[:40] for w in caught] == ["Default grid_sample and affine_grid beha"] * 2


ERRORS = [
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 4), lib.zeros(2, 3, 3, 2)), {}),
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 4, 5), lib.zeros(3, 3, 3, 2)), {}),
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 4, 5), lib.zeros(2, 3, 3, 3)), {}),
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 0, 5), lib.zeros(2, 3, 3, 2)), {}),
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 4, 5), lib.zeros(2, 3, 3, 2, dtype=lib.float64)), {}),
    ("grid_sample", lambda lib: (lib.zeros(2, 3, 4, 5, dtype=lib.int32), lib.zeros(2, 3, 3, 2)), {}),
    ("grid_sample", lambda lib: (lib.zeros(1, 1, 2, 2), lib.zeros(1, 1, 1, 2)), {"mode": "cubic"}),
    ("grid_sample", lambda lib: (lib.zeros(1, 1, 2, 2), lib.zeros(1, 1, 1, 2)), {"padding_mode": "wrap"}),
    ("affine_grid", lambda lib: (lib.zeros(1, 2, 3, dtype=lib.int64), [1, 1, 2, 2]), {}),
    ("affine_grid", lambda lib: (lib.zeros(1, 3, 3), [1, 1, 2, 2]), {}),
    ("affine_grid", lambda lib: (lib.zeros(1, 2, 3), [1, 1, 0, 2]), {}),
    ("affine_grid", lambda lib: (lib.zeros(1, 2, 3), [1, 2, 2]), {}),
]


@pytest.mark.parametrize(("name", "inputs", "options"), ERRORS)
def test_errors_have_pytorchs_type(name: str, inputs, options: dict) -> None:
    with pytest.raises(Exception) as expected:
        getattr(torch.nn.functional, name)(*inputs(torch), align_corners=False, **options)
    with pytest.raises(type(expected.value)) as ours:
        getattr(tg.nn.functional, name)(*inputs(tg), align_corners=False, **options)
    if type(expected.value) is not NotImplementedError:
        assert str(ours.value) == str(expected.value)
