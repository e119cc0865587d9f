"""What the Zero to Hero lectures call beyond the notebooks' own cells (issue 24), against torch 2.13: memory
layout (stride, storage_offset, is_contiguous, contiguous, storage()), `//` and `%`, index_add_, and how
max(dim)/min(dim) print. experiments/lecture_notebooks.py runs the notebooks themselves."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

LAYOUTS: dict[str, Callable[[Any], Any]] = {
    "view": lambda lib: lib.arange(18).view(3, 6),
    "transposed": lambda lib: lib.arange(18).view(3, 6).T,
    "rows sliced": lambda lib: lib.arange(18).view(3, 6)[1:],
    "columns sliced": lambda lib: lib.arange(18).view(3, 6)[:, 2:],
    "stepped": lambda lib: lib.arange(18).view(3, 6)[::2, 1::3],
    "one column": lambda lib: lib.arange(18).view(3, 6)[:, 2:3],
    "one row of the transpose": lambda lib: lib.arange(18).view(3, 6).T[0:1],
    "new axis": lambda lib: lib.arange(18).view(3, 6)[None],
    "unsqueezed": lambda lib: lib.zeros(3, 4).unsqueeze(1),
    "expanded": lambda lib: lib.zeros(1, 3).expand(4, 3),
    "empty": lambda lib: lib.zeros(0, 3),
    "0-d": lambda lib: lib.tensor(3.0),
    "elementwise on a transpose": lambda lib: lib.arange(18.0).view(3, 6).T * 2,
    "contiguous of a transpose": lambda lib: lib.arange(18).view(3, 6).T.contiguous(),
    "transpose of 3-d": lambda lib: lib.zeros(2, 3, 4).transpose(0, 1),
    "picked middle": lambda lib: lib.zeros(2, 3, 4)[:, 1],
}


@pytest.mark.parametrize("name", LAYOUTS)
def test_memory_layout_is_pytorchs(name: str) -> None:
    ours, theirs = LAYOUTS[name](tg), LAYOUTS[name](torch)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch: TypedStorage is deprecated
        expected = (
            theirs.stride(),
            theirs.storage_offset(),
            theirs.is_contiguous(),
            len(theirs.storage()),
            theirs.storage().tolist(),
        )
    assert (
        ours.stride(),
        ours.storage_offset(),
        ours.is_contiguous(),
        len(ours.storage()),
        ours.storage().tolist(),
    ) == expected
    if ours.ndim:
        assert ours.stride(-1) == theirs.stride(-1)


def test_a_view_shares_its_storage_and_contiguous_copies_only_when_needed() -> None:
    a = tg.arange(18).view(3, 6)
    assert a[1:].storage().data_ptr() == a.storage().data_ptr() == a.data_ptr()
    assert a[1:].data_ptr() == a.data_ptr() + 6 * a.element_size()
    assert a.contiguous() is a
    x = tg.randn(3, 4, dtype=tg.float64, requires_grad=True)
    y = x.T.contiguous()
    assert y.is_contiguous() and y.grad_fn.name() == "CloneBackward0"
    y.sum().backward()
    assert np.array_equal(x.grad.numpy(), np.ones((3, 4)))


def test_storage_prints_as_pytorchs() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for make in (lambda lib: lib.arange(4).view(2, 2)[1:], lambda lib: lib.tensor([1.5, 2.0])):
            expected = str(make(torch).storage()).replace("torch.storage.TypedStorage", "TypedStorage")
            assert (
                str(make(tg).storage()).replace("tinygrad_adam.core.storage.TypedStorage", "TypedStorage") == expected
            )


def test_max_and_min_along_a_dim_print_as_torch_return_types() -> None:
    data = np.array([[1.0, 5.0], [3.0, 2.0]], dtype=np.float32)
    for call in (lambda t: t.max(0), lambda t: t.min(1), lambda t: t.max(1, keepdim=True)):
        assert repr(call(tg.tensor(data))) == repr(call(torch.tensor(data)))
    assert type(tg.tensor(data).max(0)).__name__ != type(tg.tensor(data).min(0)).__name__


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda lib, a: a // 2, "derivative for aten::floor_divide is not implemented"),
        (lambda lib, a: 7.5 % a, "derivative for aten::remainder is not implemented"),
        (lambda lib, a: lib.remainder(7.5, a), "derivative for aten::remainder is not implemented"),
    ],
)
def test_ops_without_a_derivative_refuse_backward_as_pytorch(make: Callable[..., Any], message: str) -> None:
    for lib in (tg, torch):
        a = lib.tensor([1.5, -2.5, 3.0], requires_grad=True)
        out = make(lib, a)
        assert out.requires_grad and type(out.grad_fn).__name__ == "NotImplemented"
        with pytest.raises(RuntimeError, match=message):
            out.sum().backward()


def test_grad_fn_names_of_remainder_and_fmod() -> None:
    for lib in (tg, torch):
        a, b = lib.tensor([1.5, -2.5], requires_grad=True), lib.tensor([2.0, -1.0], requires_grad=True)
        names = [
            (a % 2).grad_fn.name(),
            (a % b).grad_fn.name(),
            lib.fmod(a, 2).grad_fn.name(),
            lib.fmod(a, b).grad_fn.name(),
        ]
        assert names == ["RemainderBackward0", "RemainderBackward1", "FmodBackward0", "FmodBackward1"]


def test_integer_floor_division_and_remainder_by_zero_raise_as_pytorch() -> None:
    for lib in (tg, torch):
        for call in (lambda t: t // 0, lambda t: t % 0, lambda t: t.fmod(0)):
            with pytest.raises(RuntimeError, match="ZeroDivisionError"):
                call(lib.tensor([5]))
        assert lib.isnan(lib.tensor([5.0]) % 0).item() and lib.isinf(lib.tensor([5.0]) // 0).item()


def test_backprop_ninja_embedding_gradient_loop_and_index_add_agree() -> None:
    """Part 4's dC: a Python loop of dC[ix] += demb[k, j], and the same with index_add_, bit for bit."""
    results = []
    for lib in (tg, torch):
        g = lib.Generator().manual_seed(2147483647)
        demb = lib.randn(32, 3, 10, generator=g)
        xb = lib.randint(0, 27, (32, 3), generator=g)
        looped = lib.zeros((27, 10))
        for k in range(xb.shape[0]):
            for j in range(xb.shape[1]):
                looped[xb[k, j]] += demb[k, j]
        added = lib.zeros((27, 10)).index_add_(0, xb.view(-1), demb.view(-1, 10))
        results.append((looped.numpy(), added.numpy()))
    (ours_loop, ours_added), (torch_loop, torch_added) = results
    assert np.array_equal(ours_loop, torch_loop)
    assert np.allclose(ours_added, torch_added, atol=1e-6) and np.allclose(ours_loop, ours_added, atol=1e-6)


def test_jupyter_shows_graph_nodes_as_it_shows_pytorchs() -> None:
    pretty = pytest.importorskip("IPython.lib.pretty").pretty
    shown = []
    for lib in (tg, torch):
        a = lib.randn(3, requires_grad=True)
        loss = lib.nn.functional.cross_entropy(lib.randn(2, 3, requires_grad=True), lib.tensor([0, 1]))
        text = pretty(((a * 2).sum().grad_fn, (a * 2).sum().grad_fn.next_functions, loss.grad_fn.next_functions))
        shown.append(re.sub(r"0x[0-9a-f]+", "0x", text))
    assert shown[0] == shown[1]
    assert re.fullmatch(r"<tinygrad_adam.Generator at 0x[0-9a-f]+>", pretty(tg.Generator()))


@pytest.mark.parametrize(("shape", "dim"), [((32, 200), 0), ((32, 27), 1), ((4, 8, 10), (0, 1)), ((1000,), None)])
@pytest.mark.parametrize("name", ["var", "std"])
def test_float32_var_and_std_are_pytorchs_bit_for_bit(shape: tuple[int, ...], dim: Any, name: str) -> None:
    """PyTorch accumulates float32 variances in double: part 3's BatchNorm statistics then agree exactly."""
    data = (np.random.default_rng(3).standard_normal(shape) * 3 + 1).astype(np.float32)
    ours = getattr(tg.tensor(data), name)(dim, keepdim=True)
    theirs = getattr(torch.tensor(data), name)(dim, keepdim=True)
    assert ours.dtype == tg.float32 and np.array_equal(ours.numpy(), theirs.numpy())


def test_std_is_one_node_and_passes_no_gradient_where_it_is_zero() -> None:
    grads = []
    for lib in (tg, torch):
        x = lib.tensor([[1.0, 2.0], [1.0, 5.0]], dtype=lib.float64, requires_grad=True)
        y = x.std(0)
        assert y.grad_fn.name() == "StdBackward0"
        assert type(y.grad_fn.next_functions[0][0]).__name__ == "AccumulateGrad"
        y.sum().backward()
        grads.append(x.grad.numpy().tolist())
    assert grads[0] == grads[1] and grads[0][0][0] == grads[0][1][0] == 0.0
