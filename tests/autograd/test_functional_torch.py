"""torch.autograd.functional (vjp, jacobian, jvp), torch.autograd.profiler and torch.functional against PyTorch,
as the autograd tutorial (introyt) calls them."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

RNG = np.random.default_rng(0)


def exp_adder(x, y):  # the tutorial's function
    return 2 * x.exp() + 3 * y


def pair_out(x, y):
    return x * y, (x ** 2).sum() + 0 * y.sum()


def single(x):
    return (x * x.flip(0)).reshape(2, 2) if x.shape[0] == 4 else x.exp()


def scalar(x, y):
    return (x * y).sum()


def doubling(x):  # the tutorial's do_some_doubling
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y


def _inputs(*shapes: tuple[int, ...]) -> tuple[tuple, tuple]:
    arrays = [RNG.standard_normal(s) for s in shapes]
    return tuple(tg.tensor(a) for a in arrays), tuple(torch.tensor(a) for a in arrays)


def _same(ours, theirs) -> None:
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs, strict=True):
            _same(a, b)
        return
    assert isinstance(ours, tg.Tensor) and not ours.requires_grad
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-12)
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize(("func", "shapes", "as_tuple"), [
    (exp_adder, [(1,), (1,)], True), (exp_adder, [(3,), (3,)], True), (pair_out, [(3,), (3,)], True),
    (single, [(4,)], False), (single, [(4,)], True), (single, [(2, 3)], False)])
def test_jacobian_matches_torch(func, shapes, as_tuple: bool) -> None:
    ours, theirs = _inputs(*shapes)
    if not as_tuple:
        ours, theirs = ours[0], theirs[0]
    _same(tg.autograd.functional.jacobian(func, ours), torch.autograd.functional.jacobian(func, theirs))


def test_vjp_and_jvp_match_torch() -> None:
    ours, theirs = _inputs((3,))
    v = np.array([0.1, 1.0, 0.0001])
    _same(tg.autograd.functional.vjp(doubling, ours[0], v=tg.tensor(v)),
          torch.autograd.functional.vjp(doubling, theirs[0], v=torch.tensor(v)))
    ours, theirs = _inputs((3,), (3,))
    _same(tg.autograd.functional.vjp(scalar, ours), torch.autograd.functional.vjp(scalar, theirs))
    vs = _inputs((3,), (3,))
    _same(tg.autograd.functional.jvp(pair_out, ours, vs[0]),
          torch.autograd.functional.jvp(pair_out, theirs, vs[1]))
    with pytest.raises(RuntimeError):
        tg.autograd.functional.vjp(doubling, ours[0])
    with pytest.raises(RuntimeError):
        torch.autograd.functional.vjp(doubling, theirs[0])
    with pytest.raises(NotImplementedError):
        tg.autograd.functional.hessian(scalar, ours)


def test_an_input_that_is_not_used_gets_zeros_as_in_torch() -> None:
    ours, theirs = _inputs((2,), (3,))
    def first_only(x, y):
        return x.exp()

    _same(tg.autograd.functional.jacobian(first_only, ours), torch.autograd.functional.jacobian(first_only, theirs))


def test_profiler_counts_each_op_and_prints_the_table() -> None:
    x, y, z = (tg.rand(10, 10, requires_grad=True) for _ in range(3))
    with tg.autograd.profiler.profile(use_cuda=False) as prf:
        for _ in range(20):
            z = (z / x) * y
    averages = {e.key: e for e in prf.key_averages()}
    assert averages["aten::div"].count == 20 and averages["aten::mul"].count == 20
    table = prf.key_averages().table(sort_by="self_cpu_time_total")
    assert "Self CPU time total:" in table and "aten::div" in table and "# of Calls" in table
    before = tg.core.engine.Op.__dict__["apply"]
    with tg.autograd.profiler.profile():
        pass
    assert tg.core.engine.Op.__dict__["apply"] is before


def test_torch_functional_names() -> None:
    import tinygrad_adam.functional as F

    for name in F.__all__:
        assert name in torch.functional.__all__
    a, b = _inputs((2, 3), (3, 4))
    _same(F.einsum("ij,jk->ik", *a), torch.functional.einsum("ij,jk->ik", *b))
    _same(F.split(a[0], 1), torch.functional.split(b[0], 1))


def test_torch_onnx_is_importable_and_export_says_it_is_unsupported() -> None:
    import tinygrad_adam.onnx

    assert tg.onnx is tinygrad_adam.onnx and tg.functional.einsum is tg.einsum
    with pytest.raises(NotImplementedError, match="ONNX"):
        tg.onnx.export(tg.nn.Linear(2, 2), (tg.zeros(1, 2),), "model.onnx")
