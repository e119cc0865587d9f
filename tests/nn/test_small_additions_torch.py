"""F.gumbel_softmax (PyTorch's random stream), nn.Buffer, the deprecated F.upsample* aliases and the
*_with_indices pools, against PyTorch."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("hard", [False, True])
@pytest.mark.parametrize("dim", [-1, 0])
def test_gumbel_softmax_draws_pytorchs_noise_and_gradient(hard: bool, dim: int) -> None:
    logits, weights = np.random.default_rng(0).standard_normal((2, 3, 5))
    results = []
    for lib in (torch, tg):
        lib.manual_seed(3)
        x = lib.tensor(logits, requires_grad=True)
        y = lib.nn.functional.gumbel_softmax(x, tau=0.7, hard=hard, dim=dim)
        (y * lib.tensor(weights)).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy(), lib.rand(3).numpy()))  # the stream after it too
    for ours, theirs in zip(results[1], results[0], strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-15)
    if hard:
        assert set(np.unique(results[1][0])) == {0.0, 1.0}


def test_gumbel_softmax_float32_and_eps_warning() -> None:
    logits = np.random.default_rng(1).standard_normal((4, 6)).astype(np.float32)
    outputs = []
    for lib in (torch, tg):
        lib.manual_seed(0)
        with pytest.warns(UserWarning, match="`eps` parameter is deprecated"):
            outputs.append(lib.nn.functional.gumbel_softmax(lib.tensor(logits), eps=1e-5).numpy())
    assert outputs[1].dtype == np.float32
    np.testing.assert_allclose(outputs[1], outputs[0], rtol=1e-5)


def test_buffer_assignment_registers_it() -> None:
    seen = []
    for lib in (torch, tg):
        layer = lib.nn.Linear(2, 3)
        kept = lib.ones(2)
        layer.steps = lib.nn.Buffer(kept)
        layer.scratch = lib.nn.Buffer(lib.zeros(3), persistent=False)
        layer.plain = lib.ones(1)  # a plain tensor is no buffer
        layer.steps.add_(1)  # shares the memory of the tensor it was made from
        empty = lib.nn.Buffer()
        seen.append((list(layer.state_dict()), [n for n, _ in layer.named_buffers()], kept.tolist(),
                     isinstance(layer.steps, lib.nn.Buffer), isinstance(layer.steps, lib.Tensor),
                     isinstance(layer.plain, lib.nn.Buffer), tuple(empty.shape), str(empty.dtype),
                     lib.nn.Buffer(lib.ones(1, requires_grad=True)).requires_grad))
    assert seen[1] == seen[0]
    assert seen[1][:2] == (["weight", "bias", "steps"], ["steps", "scratch"])


@pytest.mark.parametrize(("name", "kwargs"), [
    ("upsample", {"scale_factor": 2}),
    ("upsample", {"size": (5, 3), "mode": "bilinear", "align_corners": False}),
    ("upsample_nearest", {"size": 4}),
    ("upsample_bilinear", {"scale_factor": 1.5}),
])
def test_deprecated_upsample_aliases(name: str, kwargs: dict) -> None:
    image = np.random.default_rng(2).standard_normal((1, 2, 3, 3))
    results = []
    for lib in (torch, tg):
        x = lib.tensor(image, requires_grad=True)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = getattr(lib.nn.functional, name)(x, **kwargs)
        (out ** 2).sum().backward()
        results.append((out.detach().numpy(), x.grad.numpy(), [str(w.message) for w in caught]))
    np.testing.assert_allclose(results[1][0], results[0][0], rtol=1e-12)
    np.testing.assert_allclose(results[1][1], results[0][1], rtol=1e-12)
    assert results[1][2] == results[0][2]


def test_max_pool2d_with_indices_returns_both_whatever_return_indices_says() -> None:
    image = np.random.default_rng(3).standard_normal((2, 3, 5, 6))
    ours = tg.nn.functional.max_pool2d_with_indices(tg.tensor(image), 2, 2, 1, return_indices=False)
    theirs = torch.nn.functional.max_pool2d_with_indices(torch.tensor(image), 2, 2, 1, return_indices=False)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype.__repr__() == b.dtype.__repr__()
        np.testing.assert_array_equal(a.numpy(), b.numpy())


NEW_FUNCTIONS = ["affine_grid", "grid_sample", "ctc_loss", "gumbel_softmax", "upsample", "upsample_nearest",
                 "upsample_bilinear", "max_pool1d_with_indices", "max_pool2d_with_indices",
                 "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices", "lp_pool1d", "lp_pool2d",
                 "max_unpool1d", "max_pool3d", "lp_pool3d", "adaptive_max_pool3d_with_indices", "max_unpool3d",
                 "avg_pool3d", "adaptive_avg_pool3d", "conv_transpose1d", "conv3d", "conv_transpose3d"]
NEW_LAYERS = ["CTCLoss", "ConvTranspose1d", "LPPool1d", "LPPool2d", "MaxUnpool1d", "Conv3d", "MaxPool3d",
              "AvgPool3d", "AdaptiveAvgPool3d", "BatchNorm3d", "InstanceNorm3d", "LPPool3d", "AdaptiveMaxPool3d",
              "MaxUnpool3d", "ConvTranspose3d"]


def _parameters(callable_) -> list[tuple[str, object]] | None:
    try:
        return [(p.name, p.default) for p in inspect.signature(callable_).parameters.values()]
    except ValueError:  # a builtin without a signature (torch.conv3d, ...)
        return None


def _shows_signature(name: str) -> bool:
    """Whether torch's function shows one (conv3d and the other builtins do not; tests/test_signatures_torch.py
    compares those through torch's argument parser)."""
    theirs = _parameters(getattr(torch.nn.functional, name))
    return theirs is not None and theirs != [("args", inspect.Parameter.empty), ("kwargs", inspect.Parameter.empty)]


@pytest.mark.parametrize("name", [name for name in NEW_FUNCTIONS if _shows_signature(name)])
def test_functional_signature_equals_torch(name: str) -> None:
    assert _parameters(getattr(tg.nn.functional, name)) == _parameters(getattr(torch.nn.functional, name))


@pytest.mark.parametrize("name", NEW_LAYERS)
def test_constructor_signature_equals_torch(name: str) -> None:
    assert _parameters(getattr(tg.nn, name).__init__) == _parameters(getattr(torch.nn, name).__init__)
