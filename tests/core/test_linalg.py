"""torch.linalg and the reductions whose gradients are written out (core/ops/linalg.py, prod, cumprod,
scatter_reduce): float64 gradients against central differences, and the identities that define each result.
No torch needed; test_optable_torch.py compares the same names with PyTorch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.autograd.gradcheck import gradcheck

RNG = np.random.default_rng(0)


def leaf(array: np.ndarray) -> tg.Tensor:
    return tg.tensor(np.asarray(array, np.float64), requires_grad=True)


def spd(n: int) -> np.ndarray:
    a = RNG.standard_normal((n, n))
    return a @ a.T + n * np.eye(n)


A = RNG.standard_normal((4, 4)) + 4 * np.eye(4)
TALL = RNG.standard_normal((5, 3)) + 3 * np.eye(5, 3)
WEIGHTS = RNG.standard_normal((5, 3))


@pytest.mark.parametrize("name, fn, inputs", [
    ("det", lambda a: tg.linalg.det(a), [A]),
    ("slogdet", lambda a: tg.linalg.slogdet(a).logabsdet, [A]),
    ("inv", lambda a: tg.linalg.inv(a), [A]),
    ("solve", lambda a, b: tg.linalg.solve(a, b), [A, RNG.standard_normal((4, 2))]),
    ("solve vector", lambda a, b: tg.linalg.solve(a, b), [A, RNG.standard_normal(4)]),
    ("cholesky", lambda a: tg.linalg.cholesky((a + a.mT) / 2), [spd(4)]),
    ("eigh", lambda a: (lambda w, v: w.sum() + (v.abs() * tg.tensor(WEIGHTS[:4, :3] @ WEIGHTS[:4, :3].T)).sum())(
        *tg.linalg.eigh((a + a.mT) / 2)), [spd(4)]),
    ("svd", lambda a: (lambda u, s, vh: (u.abs() * tg.tensor(WEIGHTS)).sum() + s.sum() + vh.abs().sum())(
        *tg.linalg.svd(a, full_matrices=False)), [TALL]),
    ("svdvals", lambda a: tg.linalg.svdvals(a), [TALL]),
    ("qr", lambda a: (lambda q, r: (q * tg.tensor(WEIGHTS)).sum() + r.sum())(*tg.linalg.qr(a)), [TALL]),
    ("pinv", lambda a: tg.linalg.pinv(a), [TALL]),
    ("matrix_exp", lambda a: tg.linalg.matrix_exp(a / 4), [A]),
    ("matrix_norm nuc", lambda a: tg.linalg.matrix_norm(a, "nuc"), [TALL]),
    ("prod with zeros", lambda x: x.prod(1), [np.array([[0.0, 2, 3], [0, 0, 4], [1, 2, 3]])]),
    ("cumprod with zeros", lambda x: x.cumprod(0), [np.array([2.0, 0, 3, 0, 5])]),
    ("scatter_reduce prod", lambda x, s: x.scatter_reduce(0, tg.tensor([0, 1, 1, 2]), s, "prod"),
     [np.array([1.0, 0.0, 2.0]), np.array([0.0, 3.0, 0.0, 2.0])]),
    ("logcumsumexp", lambda x: x.logcumsumexp(1), [RNG.standard_normal((3, 4)) * 30]),
    ("quantile", lambda x, q: x.quantile(q, 1), [RNG.standard_normal((3, 5)), np.array([0.1, 0.45, 0.9])]),
])
def test_gradient_matches_central_differences(name: str, fn, inputs: list) -> None:
    assert gradcheck(fn, *(leaf(a) for a in inputs))


def test_decompositions_rebuild_their_input() -> None:
    a = tg.tensor(TALL)
    u, s, vh = tg.linalg.svd(a, full_matrices=False)
    np.testing.assert_allclose(((u * s.unsqueeze(0)) @ vh).numpy(), TALL, atol=1e-12)
    q, r = tg.linalg.qr(a)
    np.testing.assert_allclose((q @ r).numpy(), TALL, atol=1e-12)
    np.testing.assert_allclose(np.triu(r.numpy()), r.numpy())
    sym = tg.tensor(spd(4))
    w, v = tg.linalg.eigh(sym)
    np.testing.assert_allclose((v @ tg.diag_embed(w) @ v.mT).numpy(), sym.numpy(), atol=1e-10)
    low = tg.linalg.cholesky(sym)
    np.testing.assert_allclose((low @ low.mT).numpy(), sym.numpy(), atol=1e-10)
    np.testing.assert_allclose((tg.linalg.inv(sym) @ sym).numpy(), np.eye(4), atol=1e-12)
    np.testing.assert_allclose(tg.linalg.matrix_exp(tg.zeros(3, 3)).numpy(), np.eye(3))


def test_errors_name_the_function() -> None:
    with pytest.raises(RuntimeError, match="linalg.det: A must be batches of square matrices"):
        tg.linalg.det(tg.ones(2, 3))
    with pytest.raises(RuntimeError, match="linalg.inv: .*singular"):
        tg.linalg.inv(tg.zeros(2, 2))
    with pytest.raises(RuntimeError, match="linalg.cholesky: .*positive-definite"):
        tg.linalg.cholesky(-tg.eye(2))
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        tg.ones(2, 3, requires_grad=True).t_()


def test_return_types_print_as_pytorchs() -> None:
    assert repr(tg.tensor([3.0, 1.0, 2.0]).median(0)).startswith("torch.return_types.median(\nvalues=tensor(2.)")
    assert type(tg.linalg.slogdet(tg.eye(2))).__name__ == "linalg_slogdet"
    assert tg.tensor([[1.0, 2.0]]).aminmax(dim=1)._fields == ("min", "max")
