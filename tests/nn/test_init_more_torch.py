"""nn.init's trunc_normal_, orthogonal_, eye_, dirac_, sparse_ and the deprecated spellings give PyTorch's
values after the same seed (orthogonal_ to LAPACK's rounding)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.nn import init

torch = pytest.importorskip("torch")


def _pair(shape: tuple[int, ...], fill, dtype=np.float32) -> tuple[np.ndarray, np.ndarray]:
    tg.manual_seed(3)
    torch.manual_seed(3)
    ours = tg.empty(shape, dtype=tg.float64 if dtype == np.float64 else tg.float32)
    theirs = torch.empty(shape, dtype=torch.float64 if dtype == np.float64 else torch.float32)
    fill(init, ours)
    fill(torch.nn.init, theirs)
    return ours.numpy(), theirs.numpy()


@pytest.mark.parametrize("shape", [(7,), (64, 30), (3, 4, 5)])
@pytest.mark.parametrize("args", [{}, {"mean": 0.01, "std": 0.02, "a": -0.01, "b": 0.04},
                                  {"mean": 0.0, "std": 1.0, "a": 1.5, "b": 3.0}, {"std": 0.02}])
def test_trunc_normal(shape: tuple[int, ...], args: dict) -> None:
    """Both of PyTorch's ways: redrawn normals (most of the mass inside) and accepted uniforms (a tail)."""
    ours, theirs = _pair(shape, lambda m, t: m.trunc_normal_(t, **args))
    np.testing.assert_array_equal(ours, theirs)
    assert ours.min() >= args.get("a", -2.0) and ours.max() <= args.get("b", 2.0)


@pytest.mark.parametrize("shape", [(6, 4), (4, 6), (5, 2, 3), (8, 8)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_orthogonal(shape: tuple[int, ...], dtype: type) -> None:
    ours, theirs = _pair(shape, lambda m, t: m.orthogonal_(t, gain=1.5), dtype)
    np.testing.assert_allclose(ours, theirs, atol=1e-5 if dtype == np.float32 else 1e-12)
    flat = ours.reshape(shape[0], -1) / 1.5
    small = flat @ flat.T if shape[0] <= flat.shape[1] else flat.T @ flat
    np.testing.assert_allclose(small, np.eye(len(small)), atol=1e-5)


@pytest.mark.parametrize("shape, groups", [((4, 4, 3), 1), ((6, 3, 3, 3), 2), ((2, 2, 3, 3, 3), 1)])
def test_dirac_and_eye(shape: tuple[int, ...], groups: int) -> None:
    ours, theirs = _pair(shape, lambda m, t: m.dirac_(t, groups))
    np.testing.assert_array_equal(ours, theirs)
    ours, theirs = _pair((3, 5), lambda m, t: m.eye_(t))
    np.testing.assert_array_equal(ours, theirs)


def test_sparse() -> None:
    ours, theirs = _pair((10, 6), lambda m, t: m.sparse_(t, 0.3, std=0.5))
    np.testing.assert_array_equal(ours == 0, theirs == 0)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_deprecated_names_warn_and_fill() -> None:
    with pytest.warns(FutureWarning, match="nn.init.normal` is now deprecated in favor of `nn.init.normal_`"):
        ours, theirs = _pair((3, 3), lambda m, t: m.normal(t, 0.0, 2.0))
    np.testing.assert_array_equal(ours, theirs)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        init.orthogonal_(tg.empty(3))
