"""PyTorch's top-level functions on tensors (torch.max, torch.cat, torch.sin, ...).

Each one is the Tensor method of the same name, called on its first argument, so
every function here is differentiable exactly when the method is. Where the function's arguments are the
method's, it is made by `_method` (one line); the others are written out.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from . import checks, dtypes, ops
from .dtypes import result_type as result_type_of_arrays
from .dtypes import to_numpy_dtype
from .graph_nodes import name_node
from .out import with_out, write_out
from .tensor import Tensor, _dim_arg, _repeat_counts, _tensors, _to_array


def _t(x: Any, op: str = "") -> Tensor:
    """The `input` of a torch.* function: a Tensor, as PyTorch requires (TypeError otherwise)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    return x


# torch.<name> functions that PyTorch gives no out= (an out= there is its TypeError, not a result written)
_WITHOUT_OUT = frozenset({
    "numel", "flatten", "squeeze", "relu", "isfinite", "isnan", "allclose", "equal", "chunk", "unbind", "roll",
    "count_nonzero", "unique", "unique_consecutive", "argwhere", "narrow", "select", "movedim", "moveaxis",
    "swapaxes", "swapdims", "tile", "ravel", "tensor_split", "hsplit", "vsplit", "rot90", "fliplr", "flipud",
    "diag_embed", "diagflat", "diagonal", "isinf", "isreal", "trace", "bincount", "broadcast_to", "det", "logdet",
    "pinverse", "split_with_sizes", "unsafe_split", "unsafe_chunk", "is_same_size", "diagonal_scatter", "dist", "cov",
    "corrcoef", "adjoint", "matrix_exp", "is_floating_point", "clone", "isclose", "positive", "masked_fill"})


def _method(name: str) -> Callable[..., Any]:
    """torch.<name>(input, ..., out=None): input.<name>(...), with the method's signature and docstring; `out`
    receives the result as PyTorch's out= does (see core/out.py), where PyTorch has one."""
    method = getattr(Tensor, name)

    def function(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        return getattr(_t(input, name), name)(*args, **kwargs)

    signature = inspect.signature(method)
    parameters = list(signature.parameters.values())
    function.__signature__ = signature.replace(parameters=[parameters[0].replace(name="input"), *parameters[1:]])
    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    return function if name in _WITHOUT_OUT else with_out(function)


def _operand(x: Any) -> Tensor:
    """The first operand of add/sub/mul/div: a Tensor or a Python number (as `2 + t`)."""
    if isinstance(x, Tensor):
        return x
    if not isinstance(x, bool | int | float):
        raise TypeError(f"argument 'input' (position 1) must be Tensor or Number, not {type(x).__name__}")
    return Tensor._make(_to_array(x, None), False)


def _not_two_numbers(op: str, input: Any, other: Any) -> None:
    """PyTorch's TypeError for op(number, number) where one of the two must be a Tensor (pow, remainder, xlogy)."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(f"{op}() received an invalid combination of arguments - got ({checks.type_name(input)}, "
                        f"{checks.type_name(other)}), but expected one of: (Tensor input, Tensor other), (Scalar "
                        "self, Tensor other), (Tensor input, Scalar other)")


def result_type(tensor: Any, other: Any) -> Any:
    """The dtype of an arithmetic op of the two (tensors or numbers), by PyTorch's promotion rules."""
    arrays = [t.array if isinstance(t, Tensor) else t for t in (tensor, other)]
    return dtypes.from_numpy_dtype(np.dtype(result_type_of_arrays(*arrays)))


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


numel = _method("numel")




flatten = _method("flatten")


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    return input.reshape(shape)


squeeze = _method("squeeze")


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return input.unsqueeze(dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    return input.permute(dims)


def add(input: Any, other: Any, *, alpha: float = 1, out: Tensor | None = None) -> Tensor:
    return write_out("add", _operand(input).add(other, alpha=alpha), out)


def sub(input: Any, other: Any, *, alpha: float = 1, out: Tensor | None = None) -> Tensor:
    return write_out("sub", _operand(input).sub(other, alpha=alpha), out)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return write_out("mul", _operand(input).mul(other), out)


def div(input: Any, other: Any, *, rounding_mode: str | None = None, out: Tensor | None = None) -> Tensor:
    return write_out("div", _operand(input).div(other, rounding_mode=rounding_mode), out)


amax = _method("amax")
amin = _method("amin")


@with_out
def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    return input.logsumexp(dim, keepdim)


max = _method("max")  # noqa: A001
min = _method("min")  # noqa: A001
sum = _method("sum")
mean = _method("mean")
var = _method("var")
std = _method("std")
argmax = _method("argmax")
argmin = _method("argmin")
all = _method("all")
any = _method("any")


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, out: Tensor | None = None,
         dtype: Any = None) -> Tensor:
    return write_out("norm", _t(input, "norm").norm(p, dim, keepdim, dtype), out)


exp = _method("exp")
log = _method("log")
sin = _method("sin")
cos = _method("cos")
tanh = _method("tanh")
sigmoid = _method("sigmoid")
relu = _method("relu")
sqrt = _method("sqrt")
abs = _method("abs")


def softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    return input.softmax(dim, dtype)


def log_softmax(input: Tensor, dim: int, dtype: Any = None) -> Tensor:
    return input.log_softmax(dim, dtype)


@with_out
def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    """input ** exponent; either may be a number (not both)."""
    _not_two_numbers("pow", input, exponent)
    return input ** exponent if isinstance(input, Tensor) else exponent.__rpow__(input)


@with_out
def matmul(input: Tensor, other: Tensor) -> Tensor:
    return input @ other


@with_out
def mm(input: Tensor, mat2: Tensor) -> Tensor:
    return input.mm(mat2)


clamp = _method("clamp")


clip = clamp


maximum = _method("maximum")
minimum = _method("minimum")
eq = _method("eq")
ne = _method("ne")
isfinite = _method("isfinite")
isnan = _method("isnan")
allclose = _method("allclose")
equal = _method("equal")


def _tensor_list(op: str, tensors: Any) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Iterable):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    tensors = list(tensors)
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}")
    return tensors


def _promoted(tensors: list[Tensor]) -> list[Tensor]:
    """The tensors in their common dtype (torch.cat and torch.stack promote, as arithmetic does)."""
    target = tensors[0].array
    for t in tensors[1:]:
        if t.array.dtype != target.dtype:
            target = np.empty((1,), result_type_of_arrays(target, t.array))
    return [t.astype(target.dtype) for t in tensors]


@with_out
def concatenate(tensors: Iterable[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dim (torch.cat; `axis` as np.concatenate)."""
    tensors = _tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    promoted = _promoted(tensors)  # PyTorch skips legacy empty 1-D tensors below, but counts their dtypes
    kept = [p for t, p in zip(tensors, promoted, strict=True) if t.array.shape != (0,)] or promoted[:1]
    d = checks.dim(_dim_arg(dim if axis is None else None, axis), kept[0].ndim)
    first = kept[0].array.shape
    for i, t in enumerate(kept[1:], 1):
        shape = t.array.shape
        if len(shape) != len(first):
            raise RuntimeError(f"Tensors must have same number of dimensions: got {len(first)} and {len(shape)}")
        for k, (m, n) in enumerate(zip(first, shape, strict=True)):
            if k != d and m != n:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {d}. Expected size {m} but got "
                                   f"size {n} for tensor number {i} in the list.")
    return ops.Concatenate.apply(*kept, axis=d)


@with_out
def stack(tensors: Iterable[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along a new dim (torch.stack; `axis` as np.stack)."""
    tensors = _tensor_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors[1:], 1):
        if t.array.shape != tensors[0].array.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got {list(tensors[0].array.shape)} "
                               f"at entry 0 and {list(t.array.shape)} at entry {i}")
    d = checks.dim(_dim_arg(dim if axis is None else None, axis), tensors[0].ndim + 1)
    return ops.Stack.apply(*_promoted(tensors), axis=d)


@with_out
def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """Elements of input where condition holds, else of other; differentiable in both. where(condition) alone
    is condition.nonzero(as_tuple=True): a tuple of int64 index tensors, one per dim."""
    x, y = input, other
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    if x is None and y is None:
        return tuple(Tensor._make(i.astype(np.int64), False) for i in np.nonzero(np.atleast_1d(cond)))
    if cond.dtype == np.uint8:
        warnings.warn("where received a uint8 condition tensor. This behavior is deprecated and will be removed in a "
                      "future version of PyTorch. Use a boolean condition instead.", UserWarning, stacklevel=2)
        cond = cond.astype(np.bool_)
    if cond.dtype != np.bool_:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{checks.scalar_type_name(cond.dtype)}")
    ref = x if isinstance(x, Tensor) else y if isinstance(y, Tensor) else Tensor._make(_to_array(x, None), False)
    a, b = ref._pair(y) if ref is x else ref._pair(x)[::-1] if ref is y else ref._pair(y)
    checks.broadcast_shapes(checks.broadcast_shapes(cond.shape, a.array.shape), b.array.shape)
    return ops.Where.apply(a, b, condition=cond)


cat = concat = concatenate


tril = _method("tril")
triu = _method("triu")
masked_fill = _method("masked_fill")


# ----- sequence ops (see Tensor's section of the same name) ---------------------------------------
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return tensor.split(split_size_or_sections, dim)


chunk = _method("chunk")
unbind = _method("unbind")
gather = _method("gather")
scatter = _method("scatter")
scatter_add = _method("scatter_add")
index_select = _method("index_select")
cumsum = _method("cumsum")
sort = _method("sort")
argsort = _method("argsort")
topk = _method("topk")
roll = _method("roll")


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:
    if isinstance(dims, int):
        raise TypeError("flip(): argument 'dims' (position 2) must be tuple of ints, not int")
    return input.flip(dims)


bmm = _method("bmm")


def einsum(equation: str, *operands: Any) -> Tensor:
    """np.einsum's equation on tensors (also given as one list), differentiable in each operand."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors = [_t(x) for x in operands]
    terms = equation.replace(" ", "").partition("->")[0].split(",")
    if len(tensors) > 1 and tensors[0].array.dtype == np.bool_:
        raise checks.not_implemented_for("bmm", np.dtype(np.bool_))
    for x in tensors[1:]:  # one dtype, as PyTorch's kernels want it
        if x.array.dtype != tensors[0].array.dtype:
            raise RuntimeError(f"expected scalar type {checks.scalar_type_name(tensors[0].array.dtype)} but found "
                               f"{checks.scalar_type_name(x.array.dtype)}")
    if len(terms) != len(tensors):
        raise RuntimeError(f"einsum(): {'fewer' if len(tensors) < len(terms) else 'more'} operands were provided "
                           "than specified in the equation")
    for i, (term, x) in enumerate(zip(terms, tensors, strict=True)):
        named = len(term.replace("...", ""))
        if named != x.ndim and not ("..." in term and named <= x.ndim):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({named}) does not match the "
                               f"number of dimensions ({x.ndim}) for operand {i}"
                               f"{' and no ellipsis was given' if '...' not in term else ''}")
    dtype = np.result_type(*(x.array.dtype for x in tensors))
    letters = set(terms[0]) - {"."}
    output = equation.partition("->")[2] if "->" in equation else "".join(c for c in letters if terms[0].count(c) == 1)
    if len(tensors) == 1 and dtype.kind in "biu" and len(set(output) - {"."}) < len(letters):
        dtype = np.dtype(np.int64)  # a sum of integers is int64, as PyTorch's
    tensors = [x if x.array.dtype == dtype else x.astype(dtype) for x in tensors]
    try:
        return ops.Einsum.apply(*tensors, equation=equation)
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}") from e


log1p = _method("log1p")
log2 = _method("log2")
log10 = _method("log10")
histc = _method("histc")
histogram = _method("histogram")


# ----- more reductions, shapes and linear algebra (see Tensor's section of the same name) ---------------
prod = _method("prod")
cumprod = _method("cumprod")
cummax = _method("cummax")
cummin = _method("cummin")
logcumsumexp = _method("logcumsumexp")
median = _method("median")
nanmedian = _method("nanmedian")
mode = _method("mode")
kthvalue = _method("kthvalue")
quantile = _method("quantile")
nanquantile = _method("nanquantile")
nansum = _method("nansum")
nanmean = _method("nanmean")
count_nonzero = _method("count_nonzero")
aminmax = _method("aminmax")
unique = _method("unique")
unique_consecutive = _method("unique_consecutive")
nonzero = _method("nonzero")
argwhere = _method("argwhere")
masked_select = _method("masked_select")
take = _method("take")
take_along_dim = _method("take_along_dim")
narrow = _method("narrow")
select = _method("select")
movedim = _method("movedim")
moveaxis = _method("moveaxis")
swapaxes = _method("swapaxes")
swapdims = _method("swapdims")
unflatten = _method("unflatten")
tile = _method("tile")
ravel = _method("ravel")
tensor_split = _method("tensor_split")
hsplit = _method("hsplit")
vsplit = _method("vsplit")
dsplit = _method("dsplit")
rot90 = _method("rot90")
fliplr = _method("fliplr")
flipud = _method("flipud")
diag = _method("diag")
diag_embed = _method("diag_embed")
diagflat = _method("diagflat")
diagonal = _method("diagonal")
trace = _method("trace")
outer = _method("outer")
ger = _method("ger")
inner = _method("inner")
dot = _method("dot")
vdot = _method("vdot")
mv = _method("mv")
addmm = _method("addmm")
addmv = _method("addmv")
addbmm = _method("addbmm")
baddbmm = _method("baddbmm")
addr = _method("addr")
kron = _method("kron")
cross = _method("cross")
diff = _method("diff")
index_add = _method("index_add")
index_copy = _method("index_copy")
index_fill = _method("index_fill")
index_put = _method("index_put")
index_put_ = _method("index_put_")
masked_scatter = _method("masked_scatter")
scatter_reduce = _method("scatter_reduce")
bincount = _method("bincount")
broadcast_to = _method("broadcast_to")
det = _method("det")
logdet = _method("logdet")
slogdet = _method("slogdet")
inverse = _method("inverse")
pinverse = _method("pinverse")
matrix_power = _method("matrix_power")
cholesky = _method("cholesky")
qr = _method("qr")
svd = _method("svd")
msort = _method("msort")
narrow_copy = _method("narrow_copy")
split_with_sizes = _method("split_with_sizes")
unsafe_split = _method("unsafe_split")
unsafe_chunk = _method("unsafe_chunk")
is_same_size = _method("is_same_size")
put = _method("put")
select_scatter = _method("select_scatter")
slice_scatter = _method("slice_scatter")
diagonal_scatter = _method("diagonal_scatter")
dist = _method("dist")
renorm = _method("renorm")
cov = _method("cov")
corrcoef = _method("corrcoef")
cholesky_solve = _method("cholesky_solve")
cholesky_inverse = _method("cholesky_inverse")
adjoint = _method("adjoint")
index_reduce = _method("index_reduce")
matrix_exp = _method("matrix_exp")


def _trapezoids(name: str, y: Tensor, x: Tensor | None, dx: float | None, dim: int) -> tuple[Tensor, int]:
    """The areas of the trapezoids between neighbouring samples of y along `dim`, and that dim; the steps are
    x's differences (x a vector, or y's shape), or dx (1 by default)."""
    d = _t(y, name)._wrap_dim(dim)
    if y.array.dtype == np.bool_ or x is not None and x.array.dtype == np.bool_:
        raise RuntimeError(f"{name}: received a bool input for `{'y' if x is None else 'x` or `y'}`, but bool is "
                           "not supported")
    lead = (slice(None),) * d
    pairs = y[lead + (slice(1, None),)] + y[lead + (slice(None, -1),)]
    if x is None:
        return pairs * ((1.0 if dx is None else dx) / 2), d
    steps = x.diff(dim=-1 if x.ndim == 1 else d)
    return pairs * (steps if x.ndim != 1 else steps.reshape((-1,) + (1,) * (y.ndim - 1 - d))) / 2, d


def trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The integral of y along `dim` by the trapezoid rule."""
    if x is not None:
        _tensors("trapezoid", x=x)
    if _t(y, "trapezoid").shape[y._wrap_dim(dim)] == 0:  # nothing to integrate: 0 in y's dtype, as PyTorch
        return Tensor._make(np.zeros(np.delete(np.array(y.shape, int), y._wrap_dim(dim)), y.array.dtype), False)
    areas, d = _trapezoids("trapezoid", y, x, dx, dim)
    if x is None:  # PyTorch's form: (the sum - half the two ends) * dx; an infinite end gives NaN, as there
        return (y.sum(d) - (y.select(d, 0) + y.select(d, -1)) * 0.5) * (1.0 if dx is None else dx)
    return areas.sum(d)


def cumulative_trapezoid(y: Tensor, x: Tensor | None = None, *, dx: float | None = None, dim: int = -1) -> Tensor:
    """The running integral of y along `dim` by the trapezoid rule (one entry fewer than y)."""
    if x is not None:
        _tensors("cumulative_trapezoid", x=x)
    areas, d = _trapezoids("cumulative_trapezoid", y, x, dx, dim)
    return areas.cumsum(d)


trapz = trapezoid


@with_out
def chain_matmul(*matrices: Tensor) -> Tensor:
    """The product of 2-D matrices in order (torch.linalg.multi_dot is the newer name)."""
    from .linalg import multi_dot
    _tensors("chain_matmul", **{f"matrices[{i}]": t for i, t in enumerate(matrices)})
    for t in matrices:
        if t.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {t.ndim}, expected 2 instead.")
    return matrices[0].clone() if len(matrices) == 1 else multi_dot(matrices)


def repeat_interleave(input: Tensor, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """input.repeat_interleave(repeats, dim); with input alone, each index i repeated input[i] times."""
    if repeats is None:
        counts = _t(input, "repeat_interleave").array
        if counts.ndim != 1:
            raise RuntimeError("repeat_interleave only accept 1D vector as repeat")
        _repeat_counts(counts)
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        return Tensor._make(np.repeat(np.arange(len(counts)), counts).astype(counts.dtype), False)
    return _t(input, "repeat_interleave").repeat_interleave(repeats, dim, output_size=output_size)


def _statistic_and_mean(statistic: str, input: Tensor, dim: Any, unbiased: Any, keepdim: bool,
                        correction: Any) -> tuple[Tensor, Tensor]:
    x = _t(input, f"{statistic}_mean")
    spread = getattr(x, statistic)(dim, unbiased, keepdim, correction=correction)
    return (name_node(spread, f"{statistic.capitalize()}MeanBackward0"),
            name_node(x.mean(dim, keepdim), f"{statistic.capitalize()}MeanBackward0"))


def var_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(var, mean) over `dim` at once."""
    return _statistic_and_mean("var", input, dim, unbiased, keepdim, correction)


def std_mean(input: Tensor, dim: Any = None, unbiased: Any = None, keepdim: bool = False, *,
             correction: Any = None) -> tuple[Tensor, Tensor]:
    """(std, mean) over `dim` at once."""
    return _statistic_and_mean("std", input, dim, unbiased, keepdim, correction)


def _indices_of_triangle(which: Callable[..., tuple[np.ndarray, np.ndarray]], row: int, col: int, offset: int,
                         dtype: Any) -> Tensor:
    op = which.__name__
    row, col = checks.integer(op, "row", row), checks.integer(op, "col", col)
    offset = checks.integer(op, "offset", offset)
    if row < 0 or col < 0:
        raise RuntimeError(f"row must be non-negative, got{row}" if row < 0 else f"col must be non-negative, got{col}")
    found = np.stack(which(row, offset, col)) if row and col else np.zeros((2, 0), np.int64)
    return Tensor._make(found.astype(to_numpy_dtype(dtype)), False)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = dtypes.int64, device: Any = None) -> Tensor:
    """The (2, N) row and column indices of the lower triangle of a row x col matrix."""
    return _indices_of_triangle(np.tril_indices, row, col, offset, dtype)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = dtypes.int64, device: Any = None) -> Tensor:
    """The (2, N) row and column indices of the upper triangle of a row x col matrix."""
    return _indices_of_triangle(np.triu_indices, row, col, offset, dtype)


def tensordot(a: Tensor, b: Tensor, dims: Any = 2, out: Any = None) -> Tensor:
    """Sum of products over a's last `dims` dims and b's first (or the listed pairs of dims)."""
    _tensors("tensordot", a=a, b=b)
    if isinstance(dims, int | np.integer):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        left, right = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    elif not isinstance(dims, Sequence | Tensor):
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or list[list[int]] "
                           f"containing two lists, but got dims={dims}")
    else:
        left, right = ([d] if isinstance(d, int) else list(d) for d in (dims.tolist() if isinstance(dims, Tensor)
                                                                         else dims))
    left, right = [checks.dim(d, a.ndim) for d in left], [checks.dim(d, b.ndim) for d in right]
    for i, j in zip(left, right, strict=True):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} and "
                               f"second has size {b.shape[j]} in dim {j}")
    free_a = [d for d in range(a.ndim) if d not in left]
    free_b = [d for d in range(b.ndim) if d not in right]
    inner = int(np.prod([a.shape[d] for d in left]))
    x = a.permute(free_a + left).reshape(-1, inner)
    y = b.permute(right + free_b).reshape(inner, -1)
    return (x @ y).reshape(tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b))


def cdist(x1: Tensor, x2: Tensor, p: float = 2.0, compute_mode: str = "use_mm_for_euclid_dist_if_necessary") -> Tensor:
    """The p-norm distances between the rows of x1 and the rows of x2 (batched over leading dims)."""
    _tensors("cdist", x1=x1, x2=x2)
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X{1 if x1.ndim < 2 else 2} got: "
                           f"{x1.ndim if x1.ndim < 2 else x2.ndim}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: {x2.shape[-1]}")
    if x1.array.dtype.kind != "f" or x2.array.dtype.kind != "f":
        raise RuntimeError("cdist only supports floating-point dtypes, X1 got: "
                           f"{checks.scalar_type_name(x1.array.dtype)}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    from .linalg import vector_norm
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)
    if p == 1:  # PyTorch's backward, grad * sign(diff): NaN where a difference is NaN
        return name_node((diff * Tensor._make(np.sign(diff.array), False)).sum(-1), "CdistBackward0")
    return name_node(vector_norm(diff, p, -1), "CdistBackward0")


def _sorted_positions(boundaries: np.ndarray, values: np.ndarray, right: bool, out_int32: bool) -> Tensor:
    side = "right" if right else "left"
    if boundaries.ndim <= 1:
        found = np.searchsorted(boundaries.reshape(-1), values, side=side)
    else:
        rows, wanted = boundaries.reshape(-1, boundaries.shape[-1]), values.reshape(-1, values.shape[-1])
        found = np.stack([np.searchsorted(r, v, side=side) for r, v in zip(rows, wanted, strict=True)])
        found = found.reshape(values.shape)
    return Tensor._make(np.asarray(found).astype(np.int32 if out_int32 else np.int64), False)


def _no_bool_search(boundaries: np.ndarray, values: np.ndarray) -> None:
    for array in (boundaries, values):
        if array.dtype == np.bool_:
            raise checks.not_implemented_for("searchsorted_out_cpu", array.dtype)


@with_out
def bucketize(input: Any, boundaries: Tensor, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The index of the bucket of `boundaries` (1-D, ascending) that holds each value."""
    _tensors("bucketize", boundaries=boundaries)
    checks.boolean("bucketize", "out_int32", out_int32)
    checks.boolean("bucketize", "right", right)
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    values = input.array if isinstance(input, Tensor) else np.asarray(input)
    _no_bool_search(boundaries.array, values)
    return _sorted_positions(boundaries.array, values, right, out_int32)


@with_out
def searchsorted(sorted_sequence: Tensor, input: Any, *, out_int32: bool = False, right: bool = False,
                 side: str | None = None, sorter: Tensor | None = None) -> Tensor:
    """Where each value would be inserted into the sorted last dim of `sorted_sequence` to keep it sorted."""
    checks.boolean("searchsorted", "out_int32", out_int32)
    checks.boolean("searchsorted", "right", right)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of left "
                               "while right was True")
        right = side == "right"
    boundaries = sorted_sequence.array
    if boundaries.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 "
                           "dimension")
    if sorter is not None:
        boundaries = np.take_along_axis(boundaries, sorter.array, axis=-1)
    array = input.array if isinstance(input, Tensor) else np.asarray(input)
    if boundaries.ndim > 1 and boundaries.shape[:-1] != array.shape[:-1]:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions "
                           "of boundaries tensor and input value tensor must match, but we got boundaries tensor "
                           f"{list(boundaries.shape)} and input value tensor {list(array.shape)}")
    _no_bool_search(boundaries, array)
    return _sorted_positions(boundaries, array, right, out_int32)


def _tensors_arg(op: str, tensors: tuple[Any, ...]) -> list[Tensor]:
    """f(a, b, c) or f([a, b, c]), as meshgrid and its kin take them."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    return _tensor_list(op, tensors)


def meshgrid(*tensors: Any, indexing: str | None = None) -> tuple[Tensor, ...]:
    """Grids of the 1-D inputs' values: output i varies along dim i ('xy' swaps the first two dims; None is 'ij'
    with PyTorch's warning)."""
    grids = _tensors_arg("meshgrid", tensors)
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in grids:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t.ndim}D")
        if t.array.dtype != grids[0].array.dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    sizes = [t.numel() for t in grids]
    swap = indexing == "xy" and len(grids) >= 2
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, t in enumerate(grids):
        place = {0: 1, 1: 0}.get(i, i) if swap else i
        shape = [1] * len(grids)
        shape[place] = -1
        out.append(t.reshape(shape).expand(sizes))
    return tuple(out)


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every combination of the 1-D inputs' values, one a row (the input itself when there is one)."""
    grids = _tensors_arg("cartesian_prod", tensors)
    for t in grids:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(grids) == 1:
        return grids[0]
    return stack([g.reshape(-1) for g in meshgrid(grids, indexing="ij")], dim=1)


def broadcast_shapes(*shapes: Any) -> Any:
    from .tensor import Size
    out: tuple[int, ...] = ()
    for shape in shapes:
        if shape is None:
            continue
        if not isinstance(shape, int | Sequence):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list of ints, got {shape}")
        out = checks.broadcast_shapes(out, (shape,) if isinstance(shape, int) else tuple(shape))
    return Size(out)


def broadcast_tensors(*tensors: Tensor) -> tuple[Tensor, ...]:
    """The inputs expanded to their common broadcast shape."""
    given = _tensors_arg("broadcast_tensors", tensors)
    shape = broadcast_shapes(*(t.shape for t in given))
    return tuple(t.expand(shape) for t in given)


def _at_least(rank: int, tensors: tuple[Any, ...]) -> Any:
    given = _tensors_arg(f"atleast_{rank}d", tensors)
    out = []
    for t in given:
        if t.ndim == 0:
            t = t.reshape((1,) * rank)
        elif t.ndim == 1 and rank >= 2:
            t = t.unsqueeze(0).unsqueeze(-1) if rank == 3 else t.unsqueeze(0)
        elif t.ndim == 2 and rank == 3:
            t = t.unsqueeze(-1)
        out.append(t)
    return out[0] if len(tensors) == 1 and isinstance(tensors[0], Tensor) else tuple(out)


def atleast_1d(*tensors: Any) -> Any:
    return _at_least(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    return _at_least(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    return _at_least(3, tensors)


def block_diag(*tensors: Tensor) -> Tensor:
    """The inputs (0-, 1- or 2-D, as matrices) along the diagonal of one matrix, zeros elsewhere."""
    blocks = []
    for i, t in enumerate(_tensor_list("block_diag", tensors)):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                               f"{t.ndim} dimensions")
        blocks.append(t.reshape(1, -1) if t.ndim < 2 else t)
    if not blocks:
        return Tensor._make(np.zeros((1, 0), np.float32), False)
    blocks = _promoted(blocks)
    width = int(np.sum([b.shape[1] for b in blocks]))
    rows, left = [], 0
    for b in blocks:
        rows.append(ops.Pad.apply(b, pad_width=((0, 0), (left, width - left - b.shape[1]))))
        left += b.shape[1]
    return name_node(ops.Concatenate.apply(*rows, axis=0), "BlockDiagBackward0")
# ----- more elementwise math (see Tensor's section of the same name) -------------------------------
neg, negative, positive, absolute = _method("neg"), _method("negative"), _method("positive"), _method("absolute")
lt, le, gt, ge = _method("lt"), _method("le"), _method("gt"), _method("ge")
less, less_equal, greater, greater_equal = _method("less"), _method("less_equal"), _method("greater"), \
    _method("greater_equal")
not_equal, isclose, isinf, isposinf, isneginf, isreal = _method("not_equal"), _method("isclose"), \
    _method("isinf"), _method("isposinf"), _method("isneginf"), _method("isreal")
tan, sinh, cosh = _method("tan"), _method("sinh"), _method("cosh")
asin, acos, atan, asinh, acosh, atanh = _method("asin"), _method("acos"), _method("atan"), _method("asinh"), \
    _method("acosh"), _method("atanh")
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = _method("arcsin"), _method("arccos"), _method("arctan"), \
    _method("arcsinh"), _method("arccosh"), _method("arctanh")
atan2, arctan2, hypot, logaddexp, logaddexp2 = _method("atan2"), _method("arctan2"), _method("hypot"), \
    _method("logaddexp"), _method("logaddexp2")
erf, erfc, erfinv, expm1, exp2 = _method("erf"), _method("erfc"), _method("erfinv"), _method("expm1"), _method("exp2")
rsqrt, reciprocal, sinc, logit, square = _method("rsqrt"), _method("reciprocal"), _method("sinc"), _method("logit"), \
    _method("square")
deg2rad, rad2deg, frac, nan_to_num = _method("deg2rad"), _method("rad2deg"), _method("frac"), _method("nan_to_num")
ceil, floor, round, trunc, fix = _method("ceil"), _method("floor"), _method("round"), _method("trunc"), _method("fix")
sign, sgn, signbit = _method("sign"), _method("sgn"), _method("signbit")
copysign, fmod, heaviside, float_power = _method("copysign"), _method("fmod"), _method("heaviside"), \
    _method("float_power")
floor_divide, true_divide = _method("floor_divide"), _method("true_divide")
multiply, subtract, divide = _method("multiply"), _method("subtract"), _method("divide")
lerp, addcmul, addcdiv = _method("lerp"), _method("addcmul"), _method("addcdiv")
clamp_min, clamp_max, fmax, fmin = _method("clamp_min"), _method("clamp_max"), _method("fmax"), _method("fmin")
logical_and, logical_or, logical_xor, logical_not = _method("logical_and"), _method("logical_or"), \
    _method("logical_xor"), _method("logical_not")
bitwise_and, bitwise_or, bitwise_xor, bitwise_not = _method("bitwise_and"), _method("bitwise_or"), \
    _method("bitwise_xor"), _method("bitwise_not")
bitwise_left_shift, bitwise_right_shift = _method("bitwise_left_shift"), _method("bitwise_right_shift")
lgamma, digamma, i0, ldexp, gcd, lcm = _method("lgamma"), _method("digamma"), _method("i0"), _method("ldexp"), \
    _method("gcd"), _method("lcm")
abs_, neg_, negative_, exp_, exp2_, expm1_, log_, log2_, log10_, log1p_ = _method("abs_"), _method("neg_"), \
    _method("negative_"), _method("exp_"), _method("exp2_"), _method("expm1_"), _method("log_"), _method("log2_"), \
    _method("log10_"), _method("log1p_")
sin_, cos_, tan_, sinh_, cosh_, tanh_, sigmoid_, relu_ = _method("sin_"), _method("cos_"), _method("tan_"), \
    _method("sinh_"), _method("cosh_"), _method("tanh_"), _method("sigmoid_"), _method("relu_")
asin_, acos_, atan_, asinh_, acosh_, atanh_ = _method("asin_"), _method("acos_"), _method("atan_"), \
    _method("asinh_"), _method("acosh_"), _method("atanh_")
arcsin_, arccos_, arctan_, arcsinh_, arccosh_, arctanh_ = _method("arcsin_"), _method("arccos_"), \
    _method("arctan_"), _method("arcsinh_"), _method("arccosh_"), _method("arctanh_")
ceil_, floor_, round_, trunc_, fix_, frac_ = _method("ceil_"), _method("floor_"), _method("round_"), \
    _method("trunc_"), _method("fix_"), _method("frac_")
erf_, erfc_, sqrt_, rsqrt_, reciprocal_, square_, sinc_ = _method("erf_"), _method("erfc_"), _method("sqrt_"), \
    _method("rsqrt_"), _method("reciprocal_"), _method("square_"), _method("sinc_")
logit_, deg2rad_, rad2deg_, nan_to_num_, xlogy_ = _method("logit_"), _method("deg2rad_"), _method("rad2deg_"), \
    _method("nan_to_num_"), _method("xlogy_")
clamp_, clip_, clamp_min_, clamp_max_ = _method("clamp_"), _method("clip_"), _method("clamp_min_"), \
    _method("clamp_max_")
i0_, gcd_, lcm_, ldexp_ = _method("i0_"), _method("gcd_"), _method("lcm_"), _method("ldexp_")


def polygamma(n: int, input: Tensor, *, out: Tensor | None = None) -> Tensor:
    """The n-th derivative of digamma (torch.polygamma's order: n first)."""
    return write_out("polygamma", _t(input, "polygamma").polygamma(n), out)


@with_out
def remainder(input: Any, other: Any) -> Tensor:
    """input % other; either may be a number (not both)."""
    _not_two_numbers("remainder", input, other)
    if isinstance(other, Tensor) and not isinstance(input, Tensor):
        return other.__rmod__(_operand(input).item())
    return _operand(input).remainder(other)


@with_out
def xlogy(input: Any, other: Any) -> Tensor:
    """input * log(other), 0 where input is 0; either may be a number (not both)."""
    _not_two_numbers("xlogy", input, other)
    return _operand(input).xlogy(other)


# ----- stacking, membership and program-level switches -----------------------------------------------------
@with_out
def vstack(tensors: Iterable[Tensor]) -> Tensor:
    """Rows on top of each other: 1-D tensors become rows, then cat along dim 0."""
    return concatenate([atleast_2d(t) for t in _tensor_list("vstack", tensors)], 0)


row_stack = vstack


@with_out
def hstack(tensors: Iterable[Tensor]) -> Tensor:
    """Side by side: cat along dim 1, or dim 0 for 1-D tensors."""
    tensors = [atleast_1d(t) for t in _tensor_list("hstack", tensors)]
    return concatenate(tensors, 0 if tensors and tensors[0].ndim == 1 else 1)


@with_out
def dstack(tensors: Iterable[Tensor]) -> Tensor:
    """Along a third dim: each tensor as at least 3-D, then cat along dim 2."""
    return concatenate([atleast_3d(t) for t in _tensor_list("dstack", tensors)], 2)


@with_out
def column_stack(tensors: Iterable[Tensor]) -> Tensor:
    """0-D and 1-D tensors as columns, then cat along dim 1."""
    tensors = _tensor_list("column_stack", tensors)
    return concatenate([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in tensors], 1)


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """Whether each of `elements` is among `test_elements` (a bool tensor; either may be a number)."""
    checks.boolean("isin", "assume_unique", assume_unique)
    checks.boolean("isin", "invert", invert)
    values = [x.array if isinstance(x, Tensor) else np.asarray(x) for x in (elements, test_elements)]
    if np.bool_ in (values[0].dtype, values[1].dtype):
        raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    return Tensor._make(np.isin(*values, assume_unique=assume_unique, invert=invert), False)


is_floating_point = _method("is_floating_point")
is_nonzero, is_complex = _method("is_nonzero"), _method("is_complex")
clone = _method("clone")


def compile(model: Any = None, **options: Any) -> Any:  # noqa: A001 - PyTorch's name
    """torch.compile: there is no compiler here; the model (or function) is returned as it is, so programs
    that compile for speed run unchanged. Used as a decorator with options, it returns the identity."""
    return model if model is not None else (lambda fn: fn)


_switches = {"deterministic": False, "matmul_precision": "highest"}


def use_deterministic_algorithms(mode: bool, *, warn_only: bool = False) -> None:
    """Accepted and remembered: every op here is deterministic already."""
    _switches["deterministic"] = bool(mode)


def are_deterministic_algorithms_enabled() -> bool:
    return _switches["deterministic"]


def set_float32_matmul_precision(precision: str) -> None:
    """Accepted and remembered ("highest", "high", "medium"): float32 products are always full float32 here."""
    if precision not in ("highest", "high", "medium"):
        raise RuntimeError(f"Invalid precision {precision!r}: expected one of 'highest', 'high', 'medium'")
    _switches["matmul_precision"] = precision


def get_float32_matmul_precision() -> str:
    return _switches["matmul_precision"]
