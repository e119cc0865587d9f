"""A short seeded run of the differential fuzzer (experiments/fuzz_ops.py runs it long, over every entry):
random index tuples read and written, and random variations (dtypes, 0-dim, empty and broadcast shapes, NaN and
inf, non-contiguous views, out=) of the samples of the elementwise and reduction entries, each checked against
torch as the op table's runner checks a sample (where both raise, any exception types will do, as in the
fuzzer's default)."""

from __future__ import annotations

import pytest
from fuzz import case, entries

torch = pytest.importorskip("torch")
# NumPy's floating-point warnings (the package filters them for its users, pytest shows them) and torch's own
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore:.*degrees of freedom")

from test_optable_torch import Mismatch, check_sample  # noqa: E402 - it needs torch

ELEMENTWISE_AND_REDUCTIONS = (r"^(torch|Tensor)\.(abs|exp|log|sqrt|sin|tanh|sigmoid|add|sub|mul|div|maximum|minimum|"
                              r"eq|lt|ge|where|sum|mean|prod|amax|amin|max|min|argmax|cumsum|logsumexp|any|all)_?$")


def _disagreements(seed: int, count: int, pattern: str, indexing: float) -> list[str]:
    pool = entries(pattern)
    found = []
    for number in range(count):
        c = case(seed, number, pool, indexing, numbers=False)
        try:
            check_sample(c.entry, c.sample, error_types=False)
        except Mismatch as m:
            if not c.entry.differs_if(c.sample):
                found.append(f"case {number}: {c.entry.name}{c.sample!r} [{c.how}]: {str(m).splitlines()[0]}")
    return found


def test_random_indexing_agrees_with_torch() -> None:
    found = _disagreements(0, 300, r"^Tensor\.__(get|set)item__$", indexing=1.0)
    assert not found, "\n".join(found)


def test_variations_of_elementwise_and_reduction_samples_agree_with_torch() -> None:
    found = _disagreements(0, 300, ELEMENTWISE_AND_REDUCTIONS, indexing=0.0)
    assert not found, "\n".join(found)


# ----- the fuzzer's findings, each a case on both sides (fn gets the library: torch or tinygrad_adam) -------
import numpy as np  # noqa: E402

import tinygrad_adam as ta  # noqa: E402


def _run(fn, lib):
    try:
        return fn(lib), None
    except Exception as e:  # noqa: BLE001 - the exception is what we compare
        return None, e


def _same(fn, grad_of=None) -> None:
    """fn(torch) and fn(tinygrad_adam) agree: both raise the same exception type, or give the same dtype, shape
    and values (NaN equal, signed zeros told apart); with grad_of(lib) (a leaf fn used), its gradients too."""
    theirs, their_error = _run(fn, torch)
    ours, our_error = _run(fn, ta)
    if their_error is not None or our_error is not None:
        assert type(our_error) is type(their_error), f"ours: {our_error!r}, torch: {their_error!r}"
        return
    t, o = theirs.detach().numpy(), ours.detach().numpy()
    assert str(ours.dtype) == str(theirs.dtype) and o.shape == t.shape
    np.testing.assert_allclose(o, t, rtol=1e-12, equal_nan=True)
    if o.dtype.kind == "f":
        assert (np.signbit(o) == np.signbit(t))[~np.isnan(t)].all()


def test_floor_division_of_infinity_is_nan_and_zero_quotients_keep_their_sign() -> None:
    values = [np.inf, -np.inf, np.nan, 0.0, -0.0, 1.0, -1.0, 2.5, -7.0, 3e38, 1e-40]
    a = np.array([x for x in values for _ in values])
    b = np.array([y for _ in values for y in values])
    for dtype in ("float64", "float32"):
        _same(lambda lib, d=dtype: lib.div(lib.tensor(a).to(getattr(lib, d)), lib.tensor(b).to(getattr(lib, d)),
                                          rounding_mode="floor"))
        _same(lambda lib, d=dtype: lib.tensor(a).to(getattr(lib, d)) // True)


def test_out_of_a_dtype_preserving_elementwise_op_must_have_the_input_dtype() -> None:
    for name in ("neg", "abs", "sign", "ceil", "floor", "round", "trunc", "frac", "bitwise_not"):
        for dtype, out_dtype in (("int64", "float64"), ("float32", "float64"), ("int64", "int64")):
            if name == "frac" and dtype == "int64":  # not implemented for integers: the checks' order differs
                continue
            if name == "bitwise_not" and dtype == "float32":
                continue
            _same(lambda lib, n=name, d=dtype, od=out_dtype: getattr(lib, n)(
                lib.ones(2, 3, dtype=getattr(lib, d)), out=lib.zeros(2, 3, dtype=getattr(lib, od))))


def test_quantile_out_is_a_recorded_copy_of_the_result() -> None:
    for lib in (torch, ta):
        x = lib.tensor([[1.0, 5.0, 2.0, 8.0], [3.0, 0.5, 4.0, 9.0]], dtype=lib.float64, requires_grad=True)
        out = lib.zeros(2, 4, dtype=lib.float64)
        with pytest.warns(UserWarning, match="resized"):
            result = lib.nanquantile(x, 0.25, 1, out=out)
        assert result is out and out.shape == (2,) and out.requires_grad
        out.sum().backward()
        np.testing.assert_allclose(x.grad.numpy(), [[0.25, 0, 0.75, 0], [0.75, 0.25, 0, 0]])
        with pytest.raises(RuntimeError, match="same dtype"):
            lib.quantile(x, 0.5, out=lib.zeros((), dtype=lib.float32))


def test_masked_fill_broadcasts_the_input_to_the_mask_but_in_place_does_not() -> None:
    mask = [[True, False, True], [False, False, True]]
    _same(lambda lib: lib.tensor(2.0).masked_fill(lib.tensor(mask), -1.0))
    _same(lambda lib: lib.tensor([[1.0, 2.0, 3.0]]).masked_fill(lib.tensor(mask), lib.tensor(-1.0)))
    _same(lambda lib: lib.tensor([[1.0, 2.0, 3.0]]).masked_fill_(lib.tensor(mask), -1.0))
    _same(lambda lib: lib.tensor([1.0, 2.0]).masked_fill(lib.tensor(mask), -1.0))


def test_an_integer_result_of_an_input_that_requires_grad_is_refused() -> None:
    def grad_value(lib):
        return lib.tensor(2.0, dtype=lib.float64, requires_grad=True)

    _same(lambda lib: lib.zeros(3, 4, dtype=lib.uint8).index_fill(0, lib.tensor([1]), grad_value(lib)))
    _same(lambda lib: lib.zeros(3, 4, dtype=lib.int32).masked_fill(lib.tensor(True), grad_value(lib)))
    _same(lambda lib: lib.zeros(3, 4, dtype=lib.int32).masked_fill(lib.tensor(True), grad_value(lib).detach()))
    _same(lambda lib: lib.zeros(4, 3, dtype=lib.int32).slice_scatter(grad_value(lib).expand(3, 3), 0, 1))
    _same(lambda lib: lib.zeros(3, dtype=lib.int64).select_scatter(grad_value(lib), 0, 0))
    _same(lambda lib: lib.zeros(3, 3, dtype=lib.int64).diagonal_scatter(grad_value(lib).expand(3)))
    _same(lambda lib: lib.zeros(4, 3, dtype=lib.int32).slice_scatter(grad_value(lib).detach().expand(3, 3), 0, 1))


def test_a_0d_index_counts_as_1d_in_gather_and_scatter() -> None:
    _same(lambda lib: lib.arange(4.0).gather(0, lib.tensor(2)))
    _same(lambda lib: lib.arange(4.0).gather(-1, lib.tensor(7)))
    _same(lambda lib: lib.tensor(3.0).gather(0, lib.tensor([0, 0])))
    _same(lambda lib: lib.zeros(2, 2).gather(0, lib.tensor(1)))
    _same(lambda lib: lib.zeros(4).scatter(0, lib.tensor(2), lib.tensor(5.0)))
    _same(lambda lib: lib.zeros(4).scatter(0, lib.tensor(2), 5.0))
    _same(lambda lib: lib.zeros(4).scatter_add(0, lib.tensor(2), lib.tensor(5.0)))
    for lib in (torch, ta):
        x = lib.arange(4.0, requires_grad=True)
        x.gather(0, lib.tensor(2)).backward()
        assert x.grad.tolist() == [0.0, 0.0, 1.0, 0.0]


def test_argument_types_and_values_are_checked_as_pytorch_checks_them() -> None:
    x = lambda lib: lib.arange(6.0)  # noqa: E731
    cases = [
        lambda lib: lib.zeros(2, 3).amax(0, keepdim=0.0),
        lambda lib: lib.zeros(2, 3).amin(0, keepdim=1),
        lambda lib: x(lib).narrow(-1, 0.0, 1),
        lambda lib: x(lib).narrow(-1, 0, 1.0),
        lambda lib: x(lib).narrow(-1, lib.tensor(1), 2),
        lambda lib: x(lib).tensor_split(6.0),
        lambda lib: x(lib).tensor_split(True),
        lambda lib: x(lib).tensor_split([1, 2.0]),
        lambda lib: x(lib).tensor_split([1, 4])[1],
        lambda lib: x(lib).hsplit([2, 3.0]),
        lambda lib: x(lib).hsplit(2.0),
        lambda lib: x(lib).reshape(6, 1).vsplit([1, 2.0]),
        lambda lib: x(lib).reshape(6, 1).vsplit([1, 2])[1],
        lambda lib: lib.trapezoid(x(lib).reshape(2, 3), -2.5),
        lambda lib: lib.trapezoid(x(lib).reshape(2, 3), 2),
        lambda lib: lib.trapezoid(x(lib).reshape(2, 3), dx=2),
        lambda lib: lib.cumulative_trapezoid(x(lib), 2),
        lambda lib: lib.tensor(x(lib).allclose(x(lib), rtol=-float("inf"))),
        lambda lib: lib.tensor(x(lib).allclose(x(lib), atol=-1)),
        lambda lib: x(lib).isclose(x(lib), rtol=float("nan")),
        lambda lib: x(lib).isclose(x(lib), rtol=0.0, atol=0.0),
        lambda lib: lib.zeros(3).put(lib.tensor([0, 1], dtype=lib.int32), lib.ones(2)),
        lambda lib: lib.zeros(3).put(lib.tensor([0, 1]), lib.ones(2)),
        lambda lib: lib.searchsorted(lib.tensor(1.0), lib.zeros(3)),
        lambda lib: lib.tensor(lib.broadcast_shapes((2,), 1.0)),
        lambda lib: lib.tensor(lib.broadcast_shapes((2,), np.int64(2))),
        lambda lib: lib.tensor(lib.broadcast_shapes((2,), (1.0,), True, None)),
        lambda lib: lib.clamp(lib.zeros(2, 3), max=lib.zeros(5)),
        lambda lib: lib.clamp(lib.zeros(3), min=lib.zeros(2, 1, 1), max=lib.ones(2, 3)),
    ]
    for fn in cases:
        _same(fn)


def test_empty_tensors_skip_the_checks_pytorch_skips() -> None:
    _same(lambda lib: lib.zeros(0, 3).roll(1, 2))
    _same(lambda lib: lib.zeros(0, 3).roll((1, 2), (0, 9)))
    _same(lambda lib: lib.zeros(0, 3).roll((1, 2), 0))
    _same(lambda lib: lib.zeros(1, 3).roll(1, 2))
    _same(lambda lib: lib.zeros(0, 4).index_add(0, lib.tensor([5, -9]), lib.ones(2, 4)))
    _same(lambda lib: lib.zeros(2, 0).index_add(1, lib.tensor([0, 7]), lib.ones(2, 2)))
    _same(lambda lib: lib.zeros(0, 4).index_add(0, lib.tensor([0, 1]), lib.ones(2, 5)))
    _same(lambda lib: lib.zeros(1, 4).index_add(0, lib.tensor([5]), lib.ones(1, 4)))
    for dtypes in (("uint8", "float64"), ("float64", "uint8"), ("bool", "bool"), ("float32", "int32")):
        for a, b in (((2, 1, 0), (2, 0, 1)), ((2, 0, 3), (2, 3, 1)), ((0, 1, 3), (0, 3, 1)), ((2, 1, 3), (2, 3, 1))):
            _same(lambda lib, a=a, b=b, d=dtypes: lib.bmm(lib.ones(a, dtype=getattr(lib, d[0])),
                                                          lib.ones(b, dtype=getattr(lib, d[1]))))


def test_cov_and_corrcoef_of_one_variable_are_0d() -> None:
    rows = [[1.0, 2.0, 4.0, 7.0]]
    _same(lambda lib: lib.tensor(rows).cov())
    _same(lambda lib: lib.tensor(rows).corrcoef())
    _same(lambda lib: lib.tensor(rows[0]).cov())
    _same(lambda lib: lib.tensor(rows * 2).cov())
    _same(lambda lib: lib.zeros(0, 3).cov())


def test_bool_powers_as_pytorch_takes_them() -> None:
    b = lambda lib: lib.tensor([True, False])  # noqa: E731
    for fn in (lambda lib: b(lib) ** True, lambda lib: b(lib) ** False, lambda lib: b(lib) ** 2,
               lambda lib: b(lib) ** 0.5, lambda lib: True ** b(lib), lambda lib: 2 ** b(lib),
               lambda lib: b(lib) ** b(lib), lambda lib: lib.pow(b(lib), True), lambda lib: lib.pow(True, b(lib))):
        _same(fn)


def test_cholesky_inverse_and_solve_read_the_factors_triangle_and_take_pytorchs_gradient() -> None:
    factor = [[1.5, 1.2, 1.8], [1.3, -0.1, 0.9], [0.5, 0.7, 1.7]]  # not triangular: LAPACK ignores a half
    rhs = [[1.0, 2.0], [0.5, -1.0], [2.0, 0.0]]
    found = {}
    for lib in (torch, ta):
        for upper in (False, True):
            a = lib.tensor(factor, dtype=lib.float64, requires_grad=True)
            b = lib.tensor(factor, dtype=lib.float64, requires_grad=True)
            inverse, solved = lib.cholesky_inverse(a, upper), lib.cholesky_solve(lib.tensor(rhs, dtype=lib.float64),
                                                                                b, upper)
            (inverse.sum() + solved.sum()).backward()
            found[lib.__name__, upper] = [t.detach().numpy() for t in (inverse, solved, a.grad, b.grad)]
    for upper in (False, True):
        for ours, theirs in zip(found["tinygrad_adam", upper], found["torch", upper], strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-9)
    _same(lambda lib: lib.cholesky_inverse(lib.ones(1, 3, dtype=lib.float64)))
    _same(lambda lib: lib.cholesky_inverse(lib.ones(3, dtype=lib.float64)))
    _same(lambda lib: lib.cholesky_inverse(lib.ones(2, 0, 0, dtype=lib.float64)))


def test_mixed_dtypes_refused_where_pytorch_wants_one_and_repeat_interleave_counts() -> None:
    for a, b in (("float32", "float64"), ("float64", "float32"), ("int64", "int32"), ("float32", "bool"),
                 ("bool", "int32"), ("int32", "int32")):
        _same(lambda lib, a=a, b=b: lib.linalg.cross(lib.ones(2, 3, dtype=getattr(lib, a)),
                                                      lib.ones(2, 3, dtype=getattr(lib, b))))
        _same(lambda lib, a=a, b=b: lib.stack(lib.meshgrid(lib.ones(2, dtype=getattr(lib, a)),
                                                            lib.ones(3, dtype=getattr(lib, b)), indexing="ij")))
    for dtype in ("int32", "int64", "int16", "uint8", "bool", "float32"):
        _same(lambda lib, d=dtype: lib.repeat_interleave(lib.tensor([1, 2, 0], dtype=getattr(lib, d))))
        _same(lambda lib, d=dtype: lib.ones(3).repeat_interleave(lib.tensor([1, 2, 0], dtype=getattr(lib, d))))
    _same(lambda lib: lib.repeat_interleave(lib.tensor(3)))
    _same(lambda lib: lib.repeat_interleave(lib.tensor([1, -2])))
    _same(lambda lib: lib.repeat_interleave(lib.tensor([], dtype=lib.int32)))


def test_renorm_with_an_infinite_maxnorm_has_the_identity_gradient() -> None:
    for lib in (torch, ta):
        x = lib.tensor([[1.0, 2.0], [3.0, -4.0]], dtype=lib.float64, requires_grad=True)
        y = x.renorm(2, 0, float("inf"))
        (y * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
        assert y.tolist() == [[1.0, 2.0], [3.0, -4.0]] and x.grad.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_fill_values_outside_the_dtypes_range_are_refused() -> None:
    for value in (1e300, 2**63, 2**31, 256, -1, -255, -256, -1.0, 255.5, -0.5, 2.5, float("nan"), -float("inf"), True,
                  2**70):
        for dtype in ("float32", "int32", "uint8", "bool", "int64", "float64"):
            _same(lambda lib, v=value, d=dtype: lib.full((2,), v, dtype=getattr(lib, d)))
            _same(lambda lib, v=value, d=dtype: lib.full_like(lib.zeros(2, dtype=getattr(lib, d)), v))
            _same(lambda lib, v=value, d=dtype: lib.zeros(2, dtype=getattr(lib, d)).masked_fill(lib.tensor(True), v))


@pytest.mark.filterwarnings("ignore:adjoint")
def test_more_argument_checks_and_empty_cases() -> None:
    cases = [
        lambda lib: lib.tensor(lib.Generator().manual_seed(True).initial_seed()),
        lambda lib: lib.tensor(lib.Generator().manual_seed(2.0).initial_seed()),
        lambda lib: lib.tensor(lib.Generator().manual_seed(np.int64(3)).initial_seed()),
        lambda lib: lib.tensor(lib.Generator().manual_seed("3").initial_seed()),
        lambda lib: lib.tensor(lib.manual_seed(True).initial_seed()),
        lambda lib: lib.tensor(lib.manual_seed(np.int64(3)).initial_seed()),
        lambda lib: lib.zeros(6, 4).scatter(1, lib.zeros(1, 3, dtype=lib.int64), lib.tensor(1.0)),
        lambda lib: lib.zeros(6, 4).scatter_add(1, lib.zeros(1, 3, dtype=lib.int64), lib.tensor(1.0)),
        lambda lib: lib.zeros(6, 4).scatter(1, lib.zeros(1, 3, dtype=lib.int64), 1.0),
        lambda lib: lib.zeros(3, 4).scatter(1, lib.zeros(0, 2, dtype=lib.float64), 1.5),
        lambda lib: lib.zeros(3, 4).gather(1, lib.zeros(0, 2, dtype=lib.float64)),
        lambda lib: lib.zeros(3, 4).gather(1, lib.zeros(1, 2, dtype=lib.float64)),
        lambda lib: lib.take_along_dim(lib.zeros(2, 3), lib.zeros(0, dtype=lib.uint8)),
        lambda lib: lib.zeros(2, 3).take(3),
        lambda lib: lib.zeros(4, 3).kthvalue(True),
        lambda lib: lib.isposinf(lib.zeros(5, dtype=lib.int64), out=lib.zeros(5, dtype=lib.int32)),
        lambda lib: lib.isneginf(lib.zeros(5), out=lib.zeros(5, dtype=lib.bool)),
        lambda lib: lib.tensor(2.0).adjoint(),
        lambda lib: lib.zeros(3).adjoint(),
        lambda lib: lib.zeros(0, 3, dtype=lib.int64).floor_divide(lib.zeros(3, dtype=lib.int64)),
        lambda lib: lib.zeros(0, 3, dtype=lib.int64).remainder(lib.zeros(3, dtype=lib.int64)),
        lambda lib: lib.zeros(1, 3, dtype=lib.int64).remainder(lib.zeros(3, dtype=lib.int64)),
        lambda lib: lib.zeros(3, 0, dtype=lib.int64).floor_divide(lib.zeros(3, dtype=lib.int64)),
    ]
    for fn in cases:
        _same(fn)


def test_lerp_takes_a_0d_weight_of_another_float_dtype_as_a_number() -> None:
    start, end = [[2.8378131178181683, -1.5]], [[1.9135120721335301, 0.25]]
    for weight in (-1.5415171384811401, 0.25, 0.75):
        _same(lambda lib, w=weight: lib.lerp(lib.tensor(start, dtype=lib.float64), lib.tensor(end, dtype=lib.float64),
                                             lib.tensor(w, dtype=lib.float32)))
    _same(lambda lib: lib.lerp(lib.zeros(2, 3, dtype=lib.float64), lib.ones(2, 3, dtype=lib.float64),
                               lib.full((3,), 0.5, dtype=lib.float32)))


def test_trapezoid_with_a_step_is_pytorchs_sum_less_half_the_ends() -> None:
    inf = float("inf")
    rows = [[-0.0, 1.38, -1.43, -inf], [-0.53, -0.0, -0.24, inf], [0.83, inf, 2.84, -1.5], [0.1, 0.2, 0.3, 0.7]]
    for dtype in ("float64", "float32"):
        for kwargs in ({}, {"dx": 0.5}):
            _same(lambda lib, d=dtype, kw=kwargs: lib.trapezoid(lib.tensor(rows, dtype=getattr(lib, d)), **kw))
    _same(lambda lib: lib.trapezoid(lib.tensor([[1, 2, 4, 7], [3, 5, 8, 1]]), dx=3))


def test_infinity_norms_of_nan_have_a_zero_gradient_and_max_gives_it_to_the_nans() -> None:
    nan = float("nan")
    for values in ([[1.0, nan, -3.0], [2.0, -5.0, 1.0]], [[nan, nan, 2.0], [1.0, 4.0, -4.0]]):
        found = []
        for lib in (torch, ta):
            grads = []
            for fn in (lambda x, lib=lib: lib.linalg.vector_norm(x, float("inf"), 1),
                       lambda x, lib=lib: lib.linalg.vector_norm(x, -float("inf"), 0, True),
                       lambda x: x.norm(float("inf")),
                       lambda x, lib=lib: lib.dist(x, lib.zeros_like(x), float("inf")),
                       lambda x: x.max(), lambda x: x.min(), lambda x: x.amax()):
                x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
                y = fn(x)
                y.backward(lib.ones_like(y))
                grads.append(x.grad.numpy())
            found.append(grads)
        for ours, theirs in zip(found[1], found[0], strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_sum_and_prod_into_an_out_compute_in_its_dtype() -> None:
    cases = [
        lambda lib: lib.prod(lib.tensor([True, False]), 0, out=lib.zeros((), dtype=lib.bool)),
        lambda lib: lib.prod(lib.tensor([3, 2]), 0, out=lib.zeros((), dtype=lib.bool)),
        lambda lib: lib.prod(lib.tensor([3.5, 2.0]), 0, out=lib.zeros((), dtype=lib.int32)),
        lambda lib: lib.sum(lib.tensor([True, True]), 0, out=lib.zeros((), dtype=lib.bool)),
        lambda lib: lib.sum(lib.tensor([300, 2]), 0, out=lib.zeros((), dtype=lib.uint8)),
        lambda lib: lib.sum(lib.tensor([3.5, 2.0]), 0, out=lib.zeros((), dtype=lib.int64)),
        lambda lib: lib.tensor([True, True]).sum(dtype=lib.bool),
        lambda lib: lib.tensor([[3, 0], [1, 2]]).prod(1, dtype=lib.bool),
        lambda lib: lib.tensor([True, True]).sum(),
        lambda lib: lib.zeros(2, 3).sum((0, True)),
        lambda lib: lib.zeros(2, 3).sum((True, 0)),
    ]
    for fn in cases:
        _same(fn)


def test_unique_refuses_a_dim_of_a_0d_tensor_and_histogram_bins_of_another_dtype() -> None:
    _same(lambda lib: lib.unique(lib.tensor(1.0), dim=0)[0])
    _same(lambda lib: lib.unique_consecutive(lib.tensor(1.0), dim=-1)[0])
    _same(lambda lib: lib.unique(lib.tensor([2.0, 1.0, 2.0]), dim=0))
    _same(lambda lib: lib.histogram(lib.tensor([0.5, 1.5, -2.0]), lib.tensor([-3, -1, 0, 3], dtype=lib.int32))[0])
    _same(lambda lib: lib.histogram(lib.tensor([0.5, 1.5, -2.0]), lib.tensor([-3.0, -1.0, 0.0, 3.0]))[0])


def test_bmm_of_empty_operands_refuses_an_integer_result_that_needs_grad() -> None:
    _same(lambda lib: lib.bmm(lib.zeros(2, 0, 4, dtype=lib.float64, requires_grad=True),
                              lib.zeros(2, 4, 0, dtype=lib.uint8)))
    _same(lambda lib: lib.bmm(lib.zeros(2, 0, 4, dtype=lib.float64, requires_grad=True),
                              lib.zeros(2, 4, 2, dtype=lib.float32)))


@pytest.mark.filterwarnings("ignore:torch.cholesky")
def test_legacy_cholesky_of_an_empty_input_checks_no_shape() -> None:
    for shape in ((3, 0), (0, 3), (2, 0, 3), (0, 0), (3, 1)):
        _same(lambda lib, s=shape: lib.zeros(s, dtype=lib.float64).cholesky())
        _same(lambda lib, s=shape: lib.linalg.cholesky(lib.zeros(s, dtype=lib.float64)))


def test_random_bounds_and_einsum_operands_are_checked_as_pytorch_checks_them() -> None:
    cases = [
        lambda lib: lib.randint(0.0, 5, (3,)),
        lambda lib: lib.randint(True, 5, (3,)),
        lambda lib: lib.randint(2.5, (3,)),
        lambda lib: lib.randint(5, 2, (3,)),
        lambda lib: lib.zeros(3).random_(1.5, 4),
        lambda lib: lib.zeros(3).random_(True),
        lambda lib: lib.zeros(3).random_(5, 2),
        lambda lib: lib.einsum("i,i->", lib.ones(3), lib.ones(3, dtype=lib.float64)),
        lambda lib: lib.einsum("i,i->", lib.ones(3, dtype=lib.int64), lib.ones(3, dtype=lib.float64)),
        lambda lib: lib.einsum("i,i->", lib.ones(3), lib.ones(3, dtype=lib.bool)),
        lambda lib: lib.einsum("i,i->", lib.ones(3, dtype=lib.bool), lib.ones(3)),
        lambda lib: lib.einsum("i,i->", lib.ones(3, dtype=lib.float64), lib.ones(3, dtype=lib.float64)),
        lambda lib: lib.einsum("i->", lib.ones(3, dtype=lib.int32)),
    ]
    for fn in cases:
        _same(fn)
    torch.manual_seed(3)  # an int 0-d tensor is an int; the draws are PyTorch's
    theirs = torch.randint(torch.tensor(5), (4,)).tolist()
    ta.manual_seed(3)
    assert ta.randint(ta.tensor(5), (4,)).tolist() == theirs


def _gradient(lib, values, fn, seed_grad):
    x = lib.tensor(values, dtype=lib.float64, requires_grad=True)
    y = fn(lib, x)
    y.backward(lib.tensor(seed_grad, dtype=lib.float64))
    return x.grad.numpy()


def test_cumprod_gradient_is_pytorchs_around_zeros_nan_and_infinities() -> None:
    rng = np.random.default_rng(0)
    for _ in range(200):
        n = int(rng.integers(2, 6))
        x = rng.normal(size=(2, n)).round(1)
        special = rng.random(x.shape) < 0.35
        x[special] = rng.choice([0.0, 0.0, -0.0, np.nan, np.inf, -np.inf], size=special.sum())
        g = rng.normal(size=x.shape).round(1)
        theirs, ours = (_gradient(lib, x, lambda lib, t: lib.cumprod(t, 1), g) for lib in (torch, ta))
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, equal_nan=True, err_msg=str(x.tolist()))


def test_variance_gradient_with_a_correction_past_the_count() -> None:
    for fn in (lambda lib, t: t.std(correction=1000), lambda lib, t: t.var(correction=2),
               lambda lib, t: sum(r * w for r, w in zip(lib.var_mean(t, correction=2), (0.7, 0.3), strict=True))):
        for values in ([[1.1, -1.0, -0.8], [-1.2, 0.7, -2.7]], [[-0.95], [0.69]], [[-0.95], [-0.95]]):
            theirs, ours = (_gradient(lib, values, fn, 1.0) for lib in (torch, ta))
            np.testing.assert_array_equal(ours, theirs)
    for correction in (1, 2, 3):
        for values in ([[-0.95], [0.69]], [[1.0, 2.0, 4.0]]):
            seed = np.ones((len(values),))
            for fn in (lambda lib, t, c=correction: t.var(1, correction=c),
                       lambda lib, t, c=correction: t.std(1, correction=c),
                       lambda lib, t, c=correction: sum(r * w for r, w in zip(lib.var_mean(t, 1, correction=c),
                                                                              (2.0, 3.0), strict=True))):
                theirs, ours = (_gradient(lib, values, fn, seed) for lib in (torch, ta))
                np.testing.assert_array_equal(ours, theirs)


def test_cdist_p1_gradient_is_nan_where_a_difference_is_nan() -> None:
    nan, inf = float("nan"), float("inf")
    x = [[[1.7, 2.0], [0.3, -1.2], [-1.0, 1.2]], [[2.9, 1.6], [2.1, 0.7], [1.1, -2.0]]]
    y = [[[-0.4, -0.7], [-1.8, 3.0], [-0.4, nan], [0.96, -0.13]],
         [[1.7, -inf], [-1.6, -1.9], [-2.2, -0.0], [-0.0, nan]]]
    for p in (1.0, 2.0, 0.5):
        found = []
        for lib in (torch, ta):
            a = lib.tensor(x, dtype=lib.float64, requires_grad=True)
            b = lib.tensor(y, dtype=lib.float64, requires_grad=True)
            d = lib.cdist(a, b, p)
            d.backward(lib.ones_like(d))
            found.append([d.detach().numpy(), a.grad.numpy(), b.grad.numpy()])
        for ours, theirs in zip(found[1], found[0], strict=True):
            np.testing.assert_allclose(ours, theirs, rtol=1e-12, equal_nan=True)


@pytest.mark.filterwarnings("ignore:.*mH|.*mT|.*adjoint")
def test_more_out_rules_matrix_transposes_of_0d_and_scatter_values() -> None:
    cases = [
        lambda lib: lib.zeros((), dtype=lib.bool).mH,
        lambda lib: lib.zeros(()).mT,
        lambda lib: lib.zeros(3).mH,
        lambda lib: lib.zeros(3).mT,
        lambda lib: lib.zeros(2, 3).mH,
        lambda lib: lib.remainder(2.0, lib.ones(3), out=lib.zeros(3)),
        lambda lib: lib.remainder(2.0, lib.ones(3)),
        lambda lib: lib.remainder(lib.full((3,), 2.0), 1.5, out=lib.zeros(3)),
        lambda lib: lib.bucketize(0.5, lib.ones(3), out=lib.zeros((), dtype=lib.int64)),
        lambda lib: lib.bucketize(0.5, lib.ones(3)),
        lambda lib: lib.masked_fill(lib.ones(3), lib.ones(3, dtype=lib.bool), 1, out=lib.zeros(3)),
        lambda lib: lib.sum(lib.ones(2, 3), 1, dtype=lib.float32, out=lib.zeros(2, dtype=lib.float64)),
        lambda lib: lib.sum(lib.ones(2, 3), 1, dtype=lib.float64, out=lib.zeros(2, dtype=lib.float64)),
        lambda lib: lib.prod(lib.ones(2, 3), 1, dtype=lib.float32, out=lib.zeros(2, dtype=lib.float64)),
        lambda lib: lib.zeros(3, 4, dtype=lib.uint8).scatter_(1, lib.zeros(1, 2, dtype=lib.int64), -2),
        lambda lib: lib.zeros(3, 4, dtype=lib.uint8).scatter(1, lib.zeros(1, 2, dtype=lib.int64), 300),
        lambda lib: lib.zeros(3, 4, dtype=lib.int8).scatter(1, lib.zeros(1, 2, dtype=lib.int64), 2.7),
    ]
    for fn in cases:
        _same(fn)


def test_tensordot_dims_and_bernoulli_probabilities_are_checked() -> None:
    for dims in (1.0, True, 1, ([1], [0])):
        _same(lambda lib, d=dims: lib.tensordot(lib.ones(2, 3), lib.ones(3, 2), d))
    for probabilities in ((0,), (2,), (1,), (4,)):
        _same(lambda lib, p=probabilities: lib.ones(4).bernoulli_(lib.full(p, 0.0)))  # a p of 0 draws zeros


def test_argsort_out_needs_stable_as_pytorchs_out_overload() -> None:
    x = [3.5, 2.0, 2.0]
    _same(lambda lib: lib.argsort(lib.tensor(x), 0, out=lib.zeros(3, dtype=lib.int64)))
    _same(lambda lib: lib.argsort(lib.tensor(x), stable=True, dim=0, out=lib.zeros(3, dtype=lib.int64)))
    _same(lambda lib: lib.argsort(lib.tensor(x), stable=True, descending=True, out=lib.zeros(3, dtype=lib.int64)))
    _same(lambda lib: lib.argsort(lib.tensor(x), 0))


def test_solve_triangular_takes_b_in_as_dtype() -> None:
    a = [[2.0, 0.0, 0.0], [1.0, 3.0, 0.0], [0.5, -1.0, 4.0]]
    for a_dtype, b_dtype in (("float64", "uint8"), ("float64", "float32"), ("float32", "float64"),
                             ("float32", "int64"), ("float64", "bool")):
        _same(lambda lib, ad=a_dtype, bd=b_dtype: lib.linalg.solve_triangular(
            lib.tensor(a, dtype=getattr(lib, ad)), lib.ones(3, 2, dtype=getattr(lib, bd)), upper=False))
        _same(lambda lib, ad=a_dtype, bd=b_dtype: lib.linalg.solve(lib.tensor(a, dtype=getattr(lib, ad)),
                                                                   lib.ones(3, 2, dtype=getattr(lib, bd))))
