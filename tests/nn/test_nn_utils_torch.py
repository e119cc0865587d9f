"""nn.utils against torch.nn.utils: clip_grad_norm_ / clip_grad_value_ (nn/utils/clip_grad.py, re-exported by optim),
parameters_to_vector and vector_to_parameters."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import nn, optim

torch = pytest.importorskip("torch")


def _pair() -> tuple[nn.Module, torch.nn.Module]:
    ours, theirs = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.detach().numpy()))
        theirs.bias.copy_(torch.tensor(ours.bias.detach().numpy()))
    return ours, theirs


def test_clip_functions_are_the_optim_ones() -> None:
    assert nn.utils.clip_grad_norm_ is optim.clip_grad_norm_
    assert nn.utils.clip_grad_value_ is optim.clip_grad_value_


def test_clip_grad_norm_as_torch() -> None:
    ours, theirs = _pair()
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    (ours(tg.tensor(x)) ** 2).sum().backward()
    (theirs(torch.tensor(x)) ** 2).sum().backward()
    norm_o = nn.utils.clip_grad_norm_(ours.parameters(), 0.5)
    norm_t = torch.nn.utils.clip_grad_norm_(theirs.parameters(), 0.5)
    assert float(norm_o) == pytest.approx(float(norm_t), rel=1e-5)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.detach().numpy(), q.grad.detach().numpy(), rtol=1e-5)


@pytest.mark.parametrize("dtypes", [("float32",), ("float64",), ("float32", "float64"), ()])
@pytest.mark.parametrize("norm_type", [2.0, "inf"])
def test_clip_grad_norm_returns_a_tensor_as_torch(dtypes: tuple[str, ...], norm_type: float | str) -> None:
    """The norm is a 0-d tensor in the gradients' promoted dtype (tensor(0.) without any): it prints as torch's."""
    rng = np.random.default_rng(2)
    grads = [rng.standard_normal(4).astype(d) for d in dtypes]
    shown = []
    for lib in (tg, torch):
        params = [lib.zeros(4, dtype=getattr(lib, d), requires_grad=True) for d in dtypes]
        for p, g in zip(params, grads, strict=True):
            p.grad = lib.tensor(g)
        norm = lib.nn.utils.clip_grad_norm_(params, 0.5, norm_type=norm_type)
        shown.append((repr(norm), [p.grad.numpy().tolist() for p in params]))
    assert shown[0][0] == shown[1][0]
    np.testing.assert_allclose(np.array(shown[0][1], dtype=object).astype(float),
                               np.array(shown[1][1], dtype=object).astype(float), rtol=1e-6)


def test_parameters_to_vector_and_back() -> None:
    ours, theirs = _pair()
    vec_o = nn.utils.parameters_to_vector(ours.parameters())
    vec_t = torch.nn.utils.parameters_to_vector(theirs.parameters())
    assert vec_o.shape == tuple(vec_t.shape) == (8,) and vec_o.dtype == tg.float32
    np.testing.assert_allclose(vec_o.detach().numpy(), vec_t.detach().numpy())
    (vec_o * tg.arange(8, dtype=tg.float32)).sum().backward()  # differentiable, as torch's
    np.testing.assert_array_equal(ours.bias.grad.detach().numpy(), [6.0, 7.0])
    new = np.arange(8, dtype=np.float32) / 10
    nn.utils.vector_to_parameters(tg.tensor(new), ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.tensor(new), theirs.parameters())
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    with pytest.raises(TypeError, match="expected torch.Tensor"):
        nn.utils.vector_to_parameters(new, ours.parameters())
