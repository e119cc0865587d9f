"""PyTorch's out= argument: torch.f(..., out=t) writes the result into t (torch.* functions and factories)."""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import checks, grad_mode
from .dtypes import to_numpy_dtype
from .tensor import Tensor


def with_out(function: Callable[..., Any] | None = None, *, factory: bool = False) -> Any:
    """`function` with PyTorch's keyword-only out=None, last before any **kwargs (see write_out). A factory
    (arange, full, randint, ...) without a dtype makes its values in out's dtype, as PyTorch's do; with another
    dtype than out's, it is PyTorch's RuntimeError."""
    if function is None:
        return functools.partial(with_out, factory=factory)
    name = function.__name__

    @functools.wraps(function)
    def with_out_argument(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if name in _TENSOR_FIRST and out is not None and args and not isinstance(args[0], Tensor):
            raise TypeError(f"{name}() received an invalid combination of arguments - got "
                            f"({checks.type_name(args[0])}, ..., out=Tensor): out= takes a Tensor first argument")
        if name == "argsort" and out is not None and "stable" not in kwargs:  # its out overload's stable is required
            raise TypeError('argsort() missing 1 required positional arguments: "stable"')
        if name in _IN_OUT_DTYPE and out is not None:
            if len(args) < 2 and kwargs.get("dim") is None:  # the overload without dim has no out
                raise TypeError(f"{name}() missing 1 required positional arguments: \"dim\"")
            if isinstance(out, Tensor) and kwargs.get("dtype") is None:
                kwargs["dtype"] = out.dtype
            elif isinstance(out, Tensor) and (wanted := np.dtype(to_numpy_dtype(kwargs["dtype"]))) != out.array.dtype:
                raise RuntimeError(f"Expected out tensor to have dtype {_C_TYPE[wanted.name]}, but got "
                                   f"{_C_TYPE[out.array.dtype.name]} instead")
        if factory and isinstance(out, Tensor):
            if kwargs.get("dtype") is None:
                kwargs["dtype"] = out.dtype
            elif np.dtype(to_numpy_dtype(kwargs["dtype"])) != out.array.dtype:
                raise RuntimeError(f"dtype {checks.scalar_type_name(to_numpy_dtype(kwargs['dtype']))} does not match "
                                   f"dtype of out parameter ({checks.scalar_type_name(out.array.dtype)})")
        return write_out(name, function(*args, **kwargs), out)

    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())
    last = len(parameters) - (bool(parameters) and parameters[-1].kind == inspect.Parameter.VAR_KEYWORD)
    out_parameter = inspect.Parameter("out", inspect.Parameter.KEYWORD_ONLY, default=None)
    with_out_argument.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*parameters[:last], out_parameter, *parameters[last:]])
    return with_out_argument


# ops whose out= must have the result's dtype exactly (PyTorch's RuntimeError, where others cast); max and min
# only in their (values, indices) form: the elementwise one casts
_EXACT_DTYPE = frozenset({
    "mm", "bmm", "matmul", "mv", "dot", "vdot", "addmm", "addmv", "baddbmm", "addbmm", "gather", "index_select",
    "take", "take_along_dim", "cross", "tril", "triu", "diag", "tensordot", "clamp", "clamp_min",
    "clamp_max", "where", "inv", "inverse", "norm", "vector_norm", "matrix_norm", "amax", "amin", "softmax",
    "log_softmax", "multi_dot", "vecdot", "index_add", "index_copy", "scatter", "scatter_add", "masked_select",
    "nonzero", "argmax", "argmin", "histc", "matrix_power", "solve", "cholesky", "slogdet", "renorm",
    "nan_to_num", "logcumsumexp"})
# elementwise ops that keep their input's dtype: out= must have it (PyTorch's other message)
_INPUT_DTYPE = frozenset({"neg", "negative", "abs", "absolute", "sign", "sgn", "ceil", "floor", "round", "trunc", "fix",
                          "frac", "bitwise_not"})
# functions whose out= overload takes a Tensor first (remainder(2.0, t) has none)
_TENSOR_FIRST = frozenset({"remainder", "bucketize"})
# reductions whose out= needs a dim and, without a dtype, computes in out's dtype (the input converted first)
_IN_OUT_DTYPE = frozenset({"sum", "prod"})
# ops whose out= must be bool (any/all also take uint8), with PyTorch's message
_BOOL_OUT = {
    **dict.fromkeys(("any", "all"),
                    ((np.bool_, np.uint8), "{name} only supports bool tensor for result, got: {dtype}")),
    **dict.fromkeys(("isposinf", "isneginf"), ((np.bool_,), "{name} does not support non-boolean outputs."))}
# composed of other ops in PyTorch, so out= is a copy_ of the result, which autograd records
_COPIED = frozenset({"quantile", "nanquantile"})
_EXACT_DTYPE_TUPLE = frozenset({"sort", "topk", "max", "min", "kthvalue", "median", "mode", "cummax", "cummin"})
_C_TYPE = {"float64": "double", "float32": "float", "float16": "c10::Half", "int64": "long int", "int32": "int",
           "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def write_out(name: str, result: Any, out: Any, exact: bool = False) -> Any:
    """torch.f(..., out=t): the result written into t, in t's dtype (resized if its shape differs), and t
    returned; refused where autograd would be needed, as PyTorch refuses it. A tuple result takes a tuple."""
    if out is None:
        return result
    if isinstance(result, tuple):
        if not isinstance(out, tuple | list) or len(out) != len(result):
            raise TypeError(f"{name}(): argument 'out' must be tuple of {len(result)} Tensors")
        exact = name in _EXACT_DTYPE_TUPLE
        written = tuple(write_out(name, r, o, exact) for r, o in zip(result, out, strict=True))
        return type(result)(*written) if hasattr(result, "_fields") else written
    if not isinstance(result, Tensor):
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if name in _COPIED:
        return _copied(name, result, out)
    if grad_mode.is_grad_enabled() and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                           "but one of the arguments requires grad.")
    if name in _BOOL_OUT and out.array.dtype not in _BOOL_OUT[name][0]:
        raise RuntimeError(_BOOL_OUT[name][1].format(name=name, dtype=checks.scalar_type_name(out.array.dtype)))
    if name in _INPUT_DTYPE and out.array.dtype != result.array.dtype:
        raise RuntimeError(f"Found dtype {checks.scalar_type_name(out.array.dtype)} but expected "
                           f"{checks.scalar_type_name(result.array.dtype)}")
    if (exact or name in _EXACT_DTYPE) and out.array.dtype != result.array.dtype:
        raise RuntimeError(f"Expected out tensor to have dtype {_C_TYPE[result.array.dtype.name]}, but got "
                           f"{_C_TYPE[out.array.dtype.name]} instead")
    value = out._same_dtype(name, result).array
    if value.shape != out.array.shape:
        _resize(out, value.shape)
        out.array = np.array(value, copy=True)
    elif not out.array.flags.writeable:
        raise RuntimeError(f"{name}(): the out tensor's memory is read-only (an expand() or broadcast view?)")
    else:
        np.copyto(out.array, value)
    out._version += 1
    return out


def _resize(out: Tensor, shape: tuple[int, ...]) -> None:
    if out.array.size:
        warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                      f"which does not match the required output shape {list(shape)}.", stacklevel=4)
    out.array = np.zeros(shape, out.array.dtype)


def _copied(name: str, result: Tensor, out: Tensor) -> Tensor:
    if out.array.dtype != result.array.dtype:
        raise RuntimeError(f"{name}() out tensor must be same dtype as the input tensor")
    if out.shape != result.shape:
        _resize(out, result.shape)
    return out.copy_(result)
