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

from . import checks, dtypes, grad_mode, ops
from .dtypes import result_type as result_type_of_arrays
from .tensor import Tensor, _dim_arg, _to_array


def _t(x: Any, op: str = "") -> Tensor:
    """The `input` of a torch.* function: a Tensor, as PyTorch requires (TypeError otherwise)."""
    if not isinstance(x, Tensor):
        raise TypeError(f"{op}(): argument 'input' (position 1) must be Tensor, not {type(x).__name__}")
    return x


def _method(name: str) -> Callable[..., Any]:
    """torch.<name>(input, ..., out=None): input.<name>(...), with the method's signature and docstring; `out`
    receives the result as PyTorch's out= does (see _write_out)."""
    method = getattr(Tensor, name)

    def function(input: Tensor, *args: Any, out: Any = None, **kwargs: Any) -> Any:
        return _write_out(name, getattr(_t(input, name), name)(*args, **kwargs), out)

    signature = inspect.signature(method)
    parameters = list(signature.parameters.values())
    out_parameter = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    last = len(parameters) - (parameters[-1].kind == inspect.Parameter.VAR_KEYWORD)
    function.__signature__ = signature.replace(
        parameters=[parameters[0].replace(name="input"), *parameters[1:last], out_parameter, *parameters[last:]])
    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    return function


def _write_out(name: str, result: Any, out: Any) -> Any:
    """torch.f(..., out=t): the result written into t, in t's dtype (resized if its shape differs), and t
    returned; refused where autograd would be needed, as PyTorch refuses it. A tuple result takes a tuple."""
    if out is None:
        return result
    if isinstance(result, tuple):
        if not isinstance(out, tuple | list) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
        written = tuple(_write_out(name, r, o) for r, o in zip(result, out, strict=True))
        return type(result)(*written) if hasattr(result, "_fields") else written
    if not isinstance(result, Tensor):
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if grad_mode.is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    value = out._same_dtype(name, result).array
    if value.shape != out.array.shape:
        if out.array.size:
            warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                          f"which does not match the required output shape {list(value.shape)}.", stacklevel=3)
        out.array = np.array(value, copy=True)
    elif not out.array.flags.writeable:
        raise RuntimeError(f"{name}(): the out tensor's memory is read-only (an expand() or broadcast view?)")
    else:
        np.copyto(out.array, value)
    out._version += 1
    return out


def _operand(x: Any) -> Tensor:
    """The first operand of add/sub/mul/div: a Tensor or a Python number (as `2 + t`)."""
    if isinstance(x, Tensor):
        return x
    if not isinstance(x, bool | int | float):
        raise TypeError(f"argument 'input' (position 1) must be Tensor or Number, not {type(x).__name__}")
    return Tensor._make(_to_array(x, None), False)


def result_type(tensor1: Any, tensor2: Any) -> Any:
    """The dtype of an arithmetic op of the two (tensors or numbers), by PyTorch's promotion rules."""
    arrays = [t.array if isinstance(t, Tensor) else t for t in (tensor1, tensor2)]
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
    return _write_out("add", _operand(input).add(other, alpha=alpha), out)


def sub(input: Any, other: Any, *, alpha: float = 1, out: Tensor | None = None) -> Tensor:
    return _write_out("sub", _operand(input).sub(other, alpha=alpha), out)


def mul(input: Any, other: Any, *, out: Tensor | None = None) -> Tensor:
    return _write_out("mul", _operand(input).mul(other), out)


def div(input: Any, other: Any, *, rounding_mode: str | None = None, out: Tensor | None = None) -> Tensor:
    return _write_out("div", _operand(input).div(other, rounding_mode=rounding_mode), out)


amax = _method("amax")
amin = _method("amin")


def logsumexp(input: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    return input.logsumexp(dim, keepdim)


def max(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:  # noqa: A001
    """The largest value; max(input, dim) gives (values, indices); max(input, other) is elementwise."""
    return input.max(dim, keepdim) if other is None else input.maximum(other)


def min(input: Tensor, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None) -> Any:  # noqa: A001
    """The smallest value; min(input, dim) gives (values, indices); min(input, other) is elementwise."""
    return input.min(dim, keepdim) if other is None else input.minimum(other)


sum = _method("sum")
mean = _method("mean")
var = _method("var")
std = _method("std")
argmax = _method("argmax")
argmin = _method("argmin")
all = _method("all")
any = _method("any")
norm = _method("norm")
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


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    """input ** exponent; either may be a number (not both)."""
    return input ** exponent if isinstance(input, Tensor) else exponent.__rpow__(input)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    return input @ other


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


def concatenate(tensors: Iterable[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dim (torch.cat; `axis` as np.concatenate)."""
    tensors = _tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    kept = [t for t in tensors if t.array.shape != (0,)] or tensors[:1]  # PyTorch skips legacy empty 1-D tensors
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
    return ops.Concatenate.apply(*_promoted(kept), axis=d)


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


def where(condition: Any, input: Any = None, other: Any = None) -> Any:
    """Elements of input where condition holds, else of other; differentiable in both. where(condition) alone
    is condition.nonzero(as_tuple=True): a tuple of int64 index tensors, one per dim."""
    x, y = input, other
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    if x is None and y is None:
        return tuple(Tensor._make(i.astype(np.int64), False) for i in np.nonzero(np.atleast_1d(cond)))
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
    if len(tensors) > 1 and np.dtype(np.bool_) in {x.array.dtype for x in tensors}:
        raise checks.not_implemented_for("bmm", np.dtype(np.bool_))
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
    return _write_out("polygamma", _t(input, "polygamma").polygamma(n), out)


def remainder(input: Any, other: Any) -> Tensor:
    """input % other; either may be a number (not both)."""
    return _operand(input).remainder(other)


def xlogy(input: Any, other: Any) -> Tensor:
    """input * log(other), 0 where input is 0; either may be a number (not both)."""
    return _operand(input).xlogy(other)
