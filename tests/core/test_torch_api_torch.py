"""Differential tests: the PyTorch surface gives torch 2.13's values, dtypes, shapes and gradients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

SHAPES = [(5,), (2, 3), (2, 3, 4)]
FLOATS = ["float32", "float64"]


def _pair(array: np.ndarray, requires_grad: bool = True) -> tuple[Any, Any]:
    ours = tg.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return ours, theirs


def _same(ours: Any, theirs: Any, rtol: float = 1e-5) -> None:
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for o, t in zip(ours, theirs, strict=True):
            _same(o, t, rtol)
        return
    if isinstance(theirs, torch.Tensor):
        assert str(ours.dtype) == str(theirs.dtype), (ours.dtype, theirs.dtype)
        assert tuple(ours.shape) == tuple(theirs.shape)
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=1e-6)
    else:
        assert type(ours) is type(theirs) and np.allclose(ours, theirs, rtol=rtol)


def _check(fn: Callable[[Any, Any], Any], array: np.ndarray, grad: bool = True) -> None:
    """fn(module, x) on both frameworks: same result; and same gradient of its sum when differentiable."""
    ours_x, theirs_x = _pair(array, grad)
    ours, theirs = fn(tg, ours_x), fn(torch, theirs_x)
    _same(ours, theirs)
    out_ours = ours[0] if isinstance(ours, tuple) else ours
    out_theirs = theirs[0] if isinstance(theirs, tuple) else theirs
    if grad and isinstance(out_theirs, torch.Tensor) and out_theirs.requires_grad:
        weights = np.linspace(0.5, 1.5, out_theirs.numel()).reshape(out_theirs.shape)
        (out_ours * tg.tensor(weights, dtype=out_ours.dtype)).sum().backward()
        (out_theirs * torch.tensor(weights, dtype=out_theirs.dtype)).sum().backward()
        _same(ours_x.grad, theirs_x.grad)


UNARY: dict[str, Callable[[Any, Any], Any]] = {
    "exp": lambda m, x: m.exp(x), "log": lambda m, x: m.log(x.abs() + 0.5), "sin": lambda m, x: m.sin(x),
    "cos": lambda m, x: m.cos(x), "tanh": lambda m, x: m.tanh(x), "sigmoid": lambda m, x: m.sigmoid(x),
    "relu": lambda m, x: m.relu(x), "sqrt": lambda m, x: m.sqrt(x.abs() + 0.5), "abs": lambda m, x: m.abs(x),
    "pow": lambda m, x: m.pow(x, 3), "pow_method": lambda m, x: x.pow(2), "clamp": lambda m, x: m.clamp(x, -0.5, 0.5),
    "clamp_min": lambda m, x: x.clamp(min=0.1), "flatten": lambda m, x: m.flatten(x),
    "reshape": lambda m, x: m.reshape(x, (-1,)), "view": lambda m, x: x.view(-1, 1),
    "sum": lambda m, x: m.sum(x), "sum_dim": lambda m, x: x.sum(dim=-1, keepdim=True),
    "mean": lambda m, x: m.mean(x), "mean_dim": lambda m, x: x.mean(0),
    "var": lambda m, x: x.var(), "var_dim": lambda m, x: x.var(0, keepdim=True),
    "std": lambda m, x: x.std(dim=-1), "std_biased": lambda m, x: x.std(unbiased=False),
    "norm": lambda m, x: x.norm(), "norm1": lambda m, x: x.norm(p=1), "norm_dim": lambda m, x: x.norm(dim=-1),
    "max": lambda m, x: m.max(x), "min": lambda m, x: m.min(x), "max_dim": lambda m, x: m.max(x, -1),
    "min_dim": lambda m, x: x.min(dim=0, keepdim=True), "argmax": lambda m, x: m.argmax(x),
    "argmin_dim": lambda m, x: m.argmin(x, dim=-1), "argmax_keep": lambda m, x: x.argmax(dim=0, keepdim=True),
    "all": lambda m, x: (x > -5).all(), "any_dim": lambda m, x: (x > 0).any(dim=-1),
    "squeeze": lambda m, x: x.unsqueeze(0).squeeze(), "unsqueeze": lambda m, x: m.unsqueeze(x, -1),
    "permute": lambda m, x: x.permute(*reversed(range(x.dim()))), "transpose": lambda m, x: x.transpose(0, -1),
    "t": lambda m, x: x.t() if x.dim() <= 2 else x, "expand": lambda m, x: x.unsqueeze(0).expand(2, *x.shape),
    "repeat": lambda m, x: x.repeat(*([2] * x.dim())), "repeat_more": lambda m, x: x.repeat(2, *([1] * x.dim())),
    "clone": lambda m, x: x.clone(), "detach": lambda m, x: x.detach(), "cat": lambda m, x: m.cat([x, x * 2], 0),
    "stack": lambda m, x: m.stack([x, x], dim=1), "where": lambda m, x: m.where(x > 0, x, x * 3),
    "maximum": lambda m, x: m.maximum(x, x * 0.5), "minimum": lambda m, x: m.minimum(x, -x),
    "view_as": lambda m, x: x.view(-1).view_as(x), "eq": lambda m, x: x == x * 1, "ne": lambda m, x: x.ne(x.abs()),
    "lt": lambda m, x: x.lt(0), "ge": lambda m, x: x >= 0.1, "float_to_long": lambda m, x: (x * 3).long(),
    "double": lambda m, x: x.double(), "float": lambda m, x: x.float(), "to_dtype": lambda m, x: x.to(m.float64),
    "type": lambda m, x: x.type(m.float32), "softmax": lambda m, x: m.softmax(x, dim=-1),
    "log_softmax": lambda m, x: m.log_softmax(x, -1), "neg_sub": lambda m, x: 1 - x,
    "div_scalar": lambda m, x: 2 / (x.abs() + 1),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_ops_match_pytorch(name: str, shape: tuple[int, ...], dtype: str) -> None:
    array = np.random.default_rng(abs(hash((name, shape))) % 2**32).standard_normal(shape).astype(dtype)
    _check(UNARY[name], array)


def test_matmul_and_mm_match_pytorch() -> None:
    a = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    b = np.random.default_rng(1).standard_normal((4, 2)).astype(np.float32)
    for fn in (lambda m, x, y: m.matmul(x, y), lambda m, x, y: m.mm(x, y), lambda m, x, y: x @ y):
        (xo, xt), (yo, yt) = _pair(a), _pair(b)
        _same(fn(tg, xo, yo), fn(torch, xt, yt))
        fn(tg, xo, yo).sum().backward()
        fn(torch, xt, yt).sum().backward()
        _same(xo.grad, xt.grad)
        _same(yo.grad, yt.grad)


SCALARS = [2, 2.5, True, np.float64(1.5)]
ARRAYS = [np.array([1.5, -2.0], np.float32), np.array([1.0, 2.0], np.float64), np.array([3, 4], np.int64),
          np.array([3, 4], np.int32), np.array([1, 0], np.uint8), np.array([True, False]), np.array(2.0, np.float64),
          np.array(3, np.int64)]


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**", "<", "=="])
@pytest.mark.parametrize("a", range(len(ARRAYS)))
def test_promotion_matches_pytorch(op: str, a: int) -> None:
    left = ARRAYS[a]
    for right in [*ARRAYS, *SCALARS]:
        if op == "**" and (left.dtype == bool or np.asarray(right).dtype == bool):
            continue
        if op == "-" and left.dtype == bool and np.asarray(right).dtype == bool:
            continue
        ro = tg.tensor(right) if isinstance(right, np.ndarray) else right
        rt = torch.tensor(right) if isinstance(right, np.ndarray) else right
        if isinstance(right, np.ndarray) and right.dtype == np.uint8 and left.dtype == np.uint8:
            continue
        try:
            theirs = eval(f"x {op} y", {"x": torch.tensor(left), "y": rt})
        except RuntimeError:  # e.g. bool subtraction: refused on both sides
            with pytest.raises(RuntimeError):
                eval(f"x {op} y", {"x": tg.tensor(left), "y": ro})
            continue
        ours = eval(f"x {op} y", {"x": tg.tensor(left), "y": ro})
        assert str(ours.dtype) == str(theirs.dtype), (left.dtype, right, op, ours.dtype, theirs.dtype)
        np.testing.assert_allclose(ours.detach().numpy().astype(np.float64),
                                   theirs.detach().numpy().astype(np.float64), rtol=1e-6)


CONSTRUCTORS: dict[str, Callable[[Any], Any]] = {
    "tensor_float": lambda m: m.tensor([1.0, 2.5]), "tensor_int": lambda m: m.tensor([[1, 2]]),
    "tensor_bool": lambda m: m.tensor([True]), "tensor_dtype": lambda m: m.tensor([1, 2], dtype=m.float64),
    "as_tensor": lambda m: m.as_tensor(np.arange(3)), "from_numpy": lambda m: m.from_numpy(np.ones(2, np.float32)),
    "zeros": lambda m: m.zeros(2, 3), "ones": lambda m: m.ones((2,), dtype=m.long), "empty": lambda m: m.empty(2).shape,
    "full_float": lambda m: m.full((2, 2), 1.5), "full_int": lambda m: m.full((2,), 7),
    "zeros_like": lambda m: m.zeros_like(m.ones(2, dtype=m.int32)), "ones_like": lambda m: m.ones_like(m.zeros(3)),
    "full_like": lambda m: m.full_like(m.zeros(2), 3), "arange": lambda m: m.arange(5),
    "arange_float": lambda m: m.arange(0, 1, 0.25), "arange_step": lambda m: m.arange(1, 10, 3),
    "linspace": lambda m: m.linspace(-1, 1, 5), "eye": lambda m: m.eye(3), "eye_rect": lambda m: m.eye(2, 3),
    "rand": lambda m: m.rand(2, 3).shape, "randn_dtype": lambda m: m.randn(4, dtype=m.float64).dtype,
    "randint": lambda m: m.randint(0, 5, (3,)).dtype, "randint_high": lambda m: m.randint(5, (2, 2)).shape,
    "numel": lambda m: m.numel(m.ones(2, 3)), "is_tensor": lambda m: m.is_tensor(m.ones(1)),
    "allclose": lambda m: m.allclose(m.ones(2), m.ones(2) + 1e-9), "equal": lambda m: m.equal(m.ones(2), m.zeros(2)),
    "size": lambda m: tuple(m.ones(2, 3).size()), "size_dim": lambda m: m.ones(2, 3).size(-1),
    "dim": lambda m: m.ones(2, 3).dim(), "item": lambda m: m.tensor([2.5]).item(),
    "tolist": lambda m: m.tensor([[1, 2]]).tolist(), "int_div": lambda m: m.tensor([3]) / m.tensor([2]),
    "sum_bool": lambda m: (m.tensor([1, 2]) == m.tensor([1, 3])).sum(),
    "sum_int32": lambda m: m.ones(2, dtype=m.int32).sum(),
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTORS))
def test_constructors_and_utilities_match_pytorch(name: str) -> None:
    ours, theirs = CONSTRUCTORS[name](tg), CONSTRUCTORS[name](torch)
    if isinstance(theirs, torch.Tensor):
        _same(ours, theirs)
    elif isinstance(theirs, torch.Size | tuple):
        assert tuple(ours) == tuple(theirs)
    elif isinstance(theirs, torch.dtype):
        assert str(ours) == str(theirs)
    else:
        assert ours == theirs and type(ours) is type(theirs)


INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "add_": lambda m, x: x.add_(m.ones(x.shape[-1]), alpha=2), "sub_": lambda m, x: x.sub_(0.5),
    "mul_": lambda m, x: x.mul_(3), "div_": lambda m, x: x.div_(m.full(x.shape, 4.0)),
    "zero_": lambda m, x: x.zero_(), "fill_": lambda m, x: x.fill_(2.5),
    "copy_": lambda m, x: x.copy_(m.ones(x.shape[-1])),
    "clamp_": lambda m, x: x.clamp_(-0.2, 0.3), "iadd": lambda m, x: x.__iadd__(1),
    "isub": lambda m, x: x.__isub__(m.ones(x.shape) * 2),
    "imul": lambda m, x: x.__imul__(2), "itruediv": lambda m, x: x.__itruediv__(2),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
@pytest.mark.parametrize("shape", SHAPES)
def test_in_place_ops_match_pytorch(name: str, shape: tuple[int, ...]) -> None:
    array = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    ours, theirs = tg.tensor(array), torch.tensor(array)
    assert INPLACE[name](tg, ours) is ours and INPLACE[name](torch, theirs) is theirs
    _same(ours, theirs)
    # on a non-leaf in the graph: the gradient of the result through the in-place op
    (xo, xt) = _pair(array)
    yo, yt = xo * 1.5, xt * 1.5
    INPLACE[name](tg, yo)
    INPLACE[name](torch, yt)
    _same(yo, yt)
    yo.sum().backward()
    yt.sum().backward()
    _same(xo.grad, xt.grad)


@settings(max_examples=25, deadline=None)
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=4), data=st.data())
def test_reductions_over_any_dim_match_pytorch(shape: list[int], data: st.DataObject) -> None:
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    keepdim = data.draw(st.booleans())
    array = np.random.default_rng(len(shape) * 7 + dim).permutation(int(np.prod(shape))).reshape(shape)
    array = array.astype(np.float64)
    for fn in (lambda m, x: x.sum(dim, keepdim), lambda m, x: x.mean(dim=dim, keepdim=keepdim),
               lambda m, x: m.max(x, dim, keepdim), lambda m, x: x.argmin(dim, keepdim),
               lambda m, x: x.var(dim, keepdim=keepdim) if x.shape[dim] > 1 else x.sum(dim, keepdim)):
        _check(fn, array)


def test_autograd_function_and_grad_match_pytorch() -> None:
    def make(m: Any) -> Any:
        class Cube(m.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 3 * x ** 2 * g
        return Cube

    array = np.array([0.5, -1.0, 2.0], np.float32)
    (xo, xt) = _pair(array)
    _same(make(tg).apply(xo) * 2, make(torch).apply(xt) * 2)
    _same(tg.autograd.grad((make(tg).apply(xo) * xo).sum(), xo),
          torch.autograd.grad((make(torch).apply(xt) * xt).sum(), xt))


def test_gradcheck_called_as_in_pytorch_agrees_with_torch() -> None:
    def make(m: Any, factor: float) -> Any:
        class Cube(m.autograd.Function):
            @staticmethod
            def forward(ctx, x, w):
                ctx.save_for_backward(x, w)
                return x ** 3 * w

            @staticmethod
            def backward(ctx, g):
                x, w = ctx.saved_tensors
                return factor * x ** 2 * w * g, x ** 3 * g  # factor 3 is right
        return Cube

    x, w = np.array([[0.5, -1.0], [2.0, 0.3]]), np.array([[1.5, 0.2], [-0.7, 1.1]])
    for factor, expected in ((3.0, True), (2.0, False)):
        results = []
        for m in (tg, torch):
            inputs = tuple(m.tensor(a, dtype=m.float64, requires_grad=True) for a in (x, w))
            results.append(m.autograd.gradcheck(make(m, factor).apply, inputs, raise_exception=False))
        assert results == [expected, expected]


def test_repr_matches_pytorch() -> None:
    for fn in (lambda m: m.tensor([1.5, 2.0]), lambda m: m.tensor([[1, 2], [3, 4]]),
               lambda m: m.tensor([1.0, 2.0], dtype=m.float64), lambda m: m.tensor(3.5),
               lambda m: m.tensor([True, False]),
               lambda m: m.tensor([1e-5, 1.0]), lambda m: m.zeros(0), lambda m: m.ones(2, requires_grad=True),
               lambda m: m.arange(12.0).reshape(3, 4), lambda m: m.tensor([-1.25, 300.5])):
        assert repr(fn(tg)) == repr(fn(torch))
