"""The arguments that the signature audit (tests/test_signatures_torch.py) added do what PyTorch 2.13's do."""

from __future__ import annotations

import io
import pickle
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")


def _data(lib: Any) -> Any:
    return lib.tensor(np.arange(12, dtype=np.float32).reshape(3, 4) - 5)


def _square(lib: Any) -> Any:
    return lib.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.25], [0.5, 0.25, 2.0]], dtype=lib.float64)


def _seeded(lib: Any) -> Any:
    lib.manual_seed(3)
    return lib


def _backward_into_inputs(lib: Any) -> Any:
    a, b = (lib.tensor([1.0, 2.0], requires_grad=True) for _ in range(2))
    (a * b).sum().backward(inputs=[a])
    return a.grad, b.grad is None


def _clipped(lib: Any, norm: bool) -> Any:
    p = lib.nn.Parameter(lib.tensor([3.0, -4.0, 1.0]))
    p.grad = lib.tensor([3.0, -4.0, 12.0])
    if norm:
        return lib.nn.utils.clip_grad_norm_(parameters=[p], max_norm=1.0, foreach=True), p.grad
    lib.nn.utils.clip_grad_value_(parameters=[p], clip_value=2.0, foreach=None)
    return p.grad


def _split_indices(lib: Any) -> Any:
    lib.manual_seed(5)
    return [list(s.indices) for s in lib.utils.data.random_split(range(10), [3, 7])]


def _rrelu_with_generator(lib: Any) -> Any:
    g = lib.Generator().manual_seed(7)
    return lib.nn.functional.rrelu_(_data(lib), training=True, generator=g)


def _gradcheck(lib: Any) -> Any:
    x = lib.tensor([0.5, -1.0], dtype=lib.float64, requires_grad=True)
    f = lib.autograd.gradcheck
    with pytest.raises(AssertionError, match="check_forward_ad or check_backward_ad"):
        f(lambda t: t.sum(), (x,), check_backward_ad=False)
    return (f(func=lambda t: (t * t).sum(), inputs=(x,), check_grad_dtypes=True, fast_mode=True, nondet_tol=0.0),
            f(lambda t: (t * 2).sum(), x, raise_exception=False, check_undefined_grad=False))


def _grad_only_inputs(lib: Any) -> Any:
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        found = lib.autograd.grad((x * x).sum(), x, only_inputs=False)
    return found, [type(w.message).__name__ for w in seen]


def _out(lib: Any, make: Callable[[Any, Any], Any], dtype: Any = None) -> Any:
    out = lib.empty(0, dtype=dtype or lib.float32)
    result = make(lib, out)
    return result is out, out


CALLS: dict[str, Callable[[Any], Any]] = {
    "Tensor.dot(tensor=)": lambda lib: lib.arange(3.0).dot(tensor=lib.ones(3)),
    "torch.dot(tensor=)": lambda lib: lib.dot(lib.arange(3.0), tensor=lib.ones(3)),
    "Tensor.mm(mat2=)": lambda lib: _data(lib).mm(mat2=_data(lib).t()),
    "Tensor.copy_(src, non_blocking)": lambda lib: lib.zeros(3, 4).copy_(_data(lib), True),
    "Tensor.hsplit(indices=)": lambda lib: _data(lib).hsplit(indices=[1, 3]),
    "Tensor.vsplit(sections=)": lambda lib: _data(lib).vsplit(sections=3),
    "torch.dsplit(indices=)": lambda lib: lib.dsplit(lib.ones(1, 2, 4), indices=[1]),
    "tensor_split(sections=)": lambda lib: lib.tensor_split(_data(lib), sections=2, dim=1),
    "tensor_split(indices=)": lambda lib: _data(lib).tensor_split(indices=[1, 2]),
    "tensor_split(tensor_indices_or_sections=)": lambda lib: _data(lib).tensor_split(
        tensor_indices_or_sections=lib.tensor([1, 3]), dim=1),
    "Tensor.expand(implicit=)": lambda lib: lib.ones(1, 4).expand(3, 4, implicit=True),
    "Tensor.max(other=)": lambda lib: _data(lib).max(other=lib.zeros(4)),
    "Tensor.min(other=)": lambda lib: _data(lib).min(other=lib.zeros(4)),
    "torch.max(out=)": lambda lib: lib.max(_data(lib), 1, out=(lib.empty(0), lib.empty(0, dtype=lib.int64))),
    "nan_to_num(nan=None)": lambda lib: lib.tensor([float("nan"), float("inf")]).nan_to_num(nan=None, posinf=2.0),
    "Tensor.repeat(repeats=)": lambda lib: _data(lib).repeat(repeats=(2, 1)),
    "Tensor.tile(dims=)": lambda lib: _data(lib).tile(dims=(2,)),
    "Tensor.sum_to_size(size=)": lambda lib: _data(lib).sum_to_size(size=(1, 4)),
    "Tensor.to(dtype, non_blocking, copy)": lambda lib: _data(lib).to(lib.float64, False, True),
    "Tensor.to(tensor=)": lambda lib: _data(lib).to(tensor=lib.ones(1, dtype=lib.int64)),
    "Tensor.copy_(other=)": lambda lib: lib.zeros(3, 4).copy_(other=_data(lib)),
    "Tensor.type(dtype, non_blocking)": lambda lib: _data(lib).type(lib.float64, False),
    "Tensor.backward(inputs=)": _backward_into_inputs,
    "torch.std(input, unbiased)": lambda lib: (lib.std(_data(lib), False), _data(lib).var(False)),
    "torch.result_type(tensor=, other=)": lambda lib: str(lib.result_type(tensor=_data(lib), other=1)),
    "torch.searchsorted(input=)": lambda lib: lib.searchsorted(lib.arange(5.0), input=lib.tensor([2.5])),
    "torch.norm(input, p, dim, keepdim, out)": lambda lib: _out(lib, lambda m, o: m.norm(_data(m), 2, 1, False, o)),
    "torch.cat(out=)": lambda lib: _out(lib, lambda m, o: m.cat([_data(m), _data(m)], out=o)),
    "torch.stack(out=)": lambda lib: _out(lib, lambda m, o: m.stack([_data(m)], 1, out=o)),
    "torch.hstack(out=)": lambda lib: _out(lib, lambda m, o: m.hstack([_data(m), _data(m)], out=o)),
    "torch.column_stack(out=)": lambda lib: _out(lib, lambda m, o: m.column_stack([m.ones(3), _data(m)], out=o)),
    "torch.matmul(out=)": lambda lib: _out(lib, lambda m, o: m.matmul(_data(m), _data(m).t(), out=o)),
    "torch.mm(out=)": lambda lib: _out(lib, lambda m, o: m.mm(_data(m), _data(m).t(), out=o)),
    "torch.pow(out=)": lambda lib: _out(lib, lambda m, o: m.pow(_data(m), 2, out=o)),
    "torch.remainder(out=)": lambda lib: _out(lib, lambda m, o: m.remainder(_data(m), 3, out=o)),
    "torch.xlogy(out=)": lambda lib: _out(lib, lambda m, o: m.xlogy(_data(m).abs(), 2.0, out=o)),
    "torch.where(out=)": lambda lib: _out(lib, lambda m, o: m.where(_data(m) > 0, _data(m), m.zeros(4), out=o)),
    "torch.logsumexp(out=)": lambda lib: _out(lib, lambda m, o: m.logsumexp(_data(m), 1, out=o)),
    "torch.chain_matmul(out=)": lambda lib: _out(lib, lambda m, o: m.chain_matmul(_data(m), _data(m).t(), out=o)),
    "torch.bucketize(out=)": lambda lib: _out(lib, lambda m, o: m.bucketize(_data(m), m.tensor([0.0, 2.0]), out=o),
                                              lib.int64),
    "torch.arange(out=) takes out's dtype": lambda lib: _out(lib, lambda m, o: m.arange(5, out=o)),
    "torch.full(out=) takes out's dtype": lambda lib: _out(lib, lambda m, o: m.full((2,), 3, out=o), lib.int64),
    "torch.eye(out=)": lambda lib: _out(lib, lambda m, o: m.eye(2, 3, out=o)),
    "torch.linspace(out=)": lambda lib: _out(lib, lambda m, o: m.linspace(0, 1, 5, out=o), lib.float64),
    "torch.logspace(out=)": lambda lib: _out(lib, lambda m, o: m.logspace(0, 1, 3, out=o)),
    "torch.randint(out=)": lambda lib: _out(_seeded(lib), lambda m, o: m.randint(10, (5,), out=o), lib.int64),
    "torch.randperm(out=)": lambda lib: _out(_seeded(lib), lambda m, o: m.randperm(6, out=o), lib.int64),
    "torch.normal(out=)": lambda lib: _seeded(lib).normal(_data(lib), 1.0, out=lib.empty(3, 4)),
    "torch.bernoulli(out=)": lambda lib: _out(_seeded(lib), lambda m, o: m.bernoulli(m.full((6,), 0.5), out=o)),
    "torch.multinomial(out=)": lambda lib: _out(_seeded(lib), lambda m, o: m.multinomial(m.ones(4), 2, out=o),
                                                lib.int64),
    "linalg.solve(A=, B=)": lambda lib: lib.linalg.solve(A=_square(lib), B=lib.ones(3, dtype=lib.float64)),
    "linalg.inv(A=, out=)": lambda lib: _out(lib, lambda m, o: m.linalg.inv(A=_square(m), out=o), lib.float64),
    "linalg.svd(out=)": lambda lib: lib.linalg.svd(_square(lib), out=tuple(lib.empty(0, dtype=lib.float64)
                                                                           for _ in range(3)))[1],
    "linalg.vector_norm(input=)": lambda lib: lib.linalg.vector_norm(input=_data(lib), ord=1),
    "linalg.pinv(input, rcond)": lambda lib: lib.linalg.pinv(_square(lib) * lib.tensor([1.0, 1e-4, 1.0]), 1e-3),
    "linalg.matrix_rank(input, tol)": lambda lib: lib.linalg.matrix_rank(_square(lib) * lib.tensor([1.0, 1e-4, 1.0]),
                                                                         1e-3),
    "F.one_hot(input=)": lambda lib: lib.nn.functional.one_hot(input=lib.tensor([0, 2]), num_classes=3),
    "nn.ModuleList(None)": lambda lib: len(lib.nn.ModuleList(None)),
    "clip_grad_norm_(parameters=, foreach=)": lambda lib: _clipped(lib, True),
    "clip_grad_value_(parameters=, foreach=)": lambda lib: _clipped(lib, False),
    "random_split's default generator": _split_indices,
    "F.rrelu_(generator=)": _rrelu_with_generator,
    "F.gelu(approximate=)": lambda lib: lib.nn.functional.gelu(_data(lib), approximate="tanh"),
    "F.scaled_dot_product_attention(scale=)": lambda lib: lib.nn.functional.scaled_dot_product_attention(
        _data(lib)[None], _data(lib)[None], _data(lib)[None], scale=0.1),
    "autograd.gradcheck(func=, inputs=, ...)": _gradcheck,
    "autograd.grad(only_inputs=)": _grad_only_inputs,
    "RNNCellBase(input_size, hidden_size, bias, num_chunks)": lambda lib: [
        tuple(p.shape) for p in lib.nn.RNNCellBase(3, 4, True, 2).parameters()],
}


def _describe(v: Any) -> Any:
    if isinstance(v, tg.Tensor | torch.Tensor):
        return str(v.dtype).replace("tinygrad_adam", "torch"), tuple(v.shape), \
            np.round(np.asarray(v.detach().numpy(), dtype=np.float64), 5).tolist()
    if isinstance(v, tuple | list):
        return [_describe(x) for x in v]
    return v


@pytest.mark.parametrize("label", CALLS)
def test_the_added_arguments_work_as_in_torch(label: str) -> None:
    assert _describe(CALLS[label](tg)) == _describe(CALLS[label](torch))


REFUSED_BY_BOTH: dict[str, Callable[[Any], Any]] = {
    "full's dtype is keyword-only": lambda lib: lib.full((2,), 1.0, lib.float64),
    "tensor's dtype is keyword-only": lambda lib: lib.tensor([1], lib.float64),
    "zeros_like's dtype is keyword-only": lambda lib: lib.zeros_like(lib.ones(2), lib.float64),
    "new_full's dtype is keyword-only": lambda lib: lib.ones(2).new_full((2,), 1.0, lib.float64),
    "add's alpha is keyword-only": lambda lib: lib.ones(2).add(lib.ones(2), 2),
    "gelu's approximate is keyword-only": lambda lib: lib.nn.functional.gelu(lib.ones(2), "tanh"),
    "tensor_split has no indices_or_sections keyword": lambda lib: lib.ones(4).tensor_split(indices_or_sections=2),
    "tensor_split needs its sections": lambda lib: lib.ones(4).tensor_split(),
    "repeat needs its repeats": lambda lib: lib.ones(2).repeat(),
    "repeat takes its repeats once": lambda lib: lib.ones(2).repeat(2, repeats=(2,)),
    "tile needs its dims": lambda lib: lib.ones(2).tile(),
    "sum_to_size needs its size": lambda lib: lib.ones(2).sum_to_size(),
}


@pytest.mark.parametrize("label", REFUSED_BY_BOTH)
def test_what_torch_refuses_is_refused(label: str) -> None:
    for lib in (tg, torch):
        with pytest.raises(TypeError):
            REFUSED_BY_BOTH[label](lib)


def test_linalg_svd_has_no_driver_on_the_cpu() -> None:
    for lib in (tg, torch):
        with pytest.raises(RuntimeError, match="driver="):
            lib.linalg.svd(_square(lib), driver="gesvd")


def test_meshgrid_without_indexing_warns_and_uses_ij() -> None:
    for lib in (tg, torch):
        with pytest.warns(UserWarning, match="indexing argument"):
            grids = lib.meshgrid(lib.arange(2), lib.arange(3))
        assert [tuple(g.shape) for g in grids] == [(2, 3), (2, 3)]


def test_save_and_load_take_torch_arguments_at_their_defaults() -> None:
    buffer = io.BytesIO()
    tg.save({"w": tg.ones(2)}, buffer, pickle_module=pickle, pickle_protocol=2)
    buffer.seek(0)
    assert torch.load(buffer, weights_only=True)["w"].tolist() == [1.0, 1.0]
    buffer.seek(0)
    assert tg.load(f=buffer, map_location="cpu", weights_only=None)["w"].tolist() == [1.0, 1.0]
    with pytest.raises(NotImplementedError, match="pickle_protocol"):
        tg.save({}, io.BytesIO(), pickle_protocol=4)
    with pytest.raises(NotImplementedError, match="mmap"):
        tg.load(buffer, mmap=True)


def test_what_cannot_be_supported_is_refused_by_name() -> None:
    x = tg.tensor([1.0], requires_grad=True)
    with pytest.raises(NotImplementedError, match="is_grads_batched"):
        tg.autograd.grad((x * x).sum(), x, is_grads_batched=True)
    for name in ("check_batched_grad", "check_forward_ad", "check_batched_forward_grad", "masked"):
        with pytest.raises(NotImplementedError, match=name):
            tg.autograd.gradcheck(lambda t: t.sum(), (x,), **{name: True})


def _model(lib: Any) -> Any:
    lib.manual_seed(0)
    shared = lib.nn.Linear(2, 2)
    return lib.nn.Sequential(lib.nn.Linear(2, 2), lib.nn.BatchNorm1d(2), shared, lib.nn.Sequential(shared))


MODULE_CALLS: dict[str, Callable[[Any], Any]] = {
    "parameters(recurse=False)": lambda m: len(list(m[0].parameters(recurse=False))) + len(list(m.parameters(False))),
    "named_parameters(prefix, recurse, remove_duplicate)": lambda m: [
        n for n, _ in m.named_parameters("net", remove_duplicate=False)] + [n for n, _ in m[0].named_parameters(
            prefix="fc", recurse=False)],
    "named_buffers(recurse=, remove_duplicate=)": lambda m: [
        n for n, _ in m.named_buffers(prefix="b", recurse=True, remove_duplicate=False)] + [
        n for n, _ in m.named_buffers(recurse=False)],
    "buffers(recurse=False)": lambda m: len(list(m[1].buffers(recurse=False))),
    "named_modules(memo, prefix, remove_duplicate)": lambda m: [
        n for n, _ in m.named_modules(prefix="net", remove_duplicate=False)] + [
        n for n, _ in m.named_modules(memo={m[0]})],
    "modules(remove_duplicate=False)": lambda m: len(list(m.modules(remove_duplicate=False))),
    "state_dict(prefix=, keep_vars=)": lambda m: [
        (k, type(v).__name__) for k, v in m.state_dict(prefix="model.", keep_vars=True).items()],
    "state_dict(destination=)": lambda m: list(m[0].state_dict(destination={"x": 1}, prefix="a.")),
    "forward(input=)": lambda m: m[0](input=m[0].weight.detach()),
}


@pytest.mark.parametrize("label", MODULE_CALLS)
def test_module_methods_take_torch_arguments(label: str) -> None:
    assert _describe(MODULE_CALLS[label](_model(tg))) == _describe(MODULE_CALLS[label](_model(torch)))


def test_state_dict_positional_arguments_are_deprecated_as_in_torch() -> None:
    for lib in (tg, torch):
        with pytest.warns(FutureWarning, match="Positional args are being deprecated"):
            keys = list(_model(lib)[0].state_dict(None, "p."))
        assert keys == ["p.weight", "p.bias"]


def test_load_state_dict_assign_takes_the_values_themselves() -> None:
    for lib in (tg, torch):
        layer = lib.nn.Linear(2, 2)
        state = {"weight": lib.ones(2, 2, dtype=lib.float64), "bias": lib.zeros(2, dtype=lib.float64)}
        layer.load_state_dict(state, assign=True)
        assert layer.weight.dtype == lib.float64 and layer.weight.requires_grad
        state["weight"][0, 0] = 5.0  # shares memory with the module's parameter now
        assert layer.weight[0, 0].item() == 5.0
