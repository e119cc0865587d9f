"""PyTorch's top-level functions on tensors (torch.max, torch.cat, torch.sin, ...).

Each one is the Tensor method of the same name, called on its first argument, so
every function here is differentiable exactly when the method is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from . import ops
from .tensor import Tensor, _dim_arg


def _t(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Tensor) -> int:
    return input.numel()




def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    return input.flatten(start_dim, end_dim)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    return input.reshape(shape)


def squeeze(input: Tensor, dim: Any = None) -> Tensor:
    return input.squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    return input.unsqueeze(dim)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    return input.transpose(dim0, dim1)


def permute(input: Tensor, dims: Sequence[int]) -> Tensor:
    return input.permute(dims)


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 - PyTorch's name
    """The largest value; max(input, dim) gives (values, indices); max(input, other) is elementwise."""
    return input.max(dim, keepdim)


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:  # noqa: A001 - PyTorch's name
    """The smallest value; min(input, dim) gives (values, indices); min(input, other) is elementwise."""
    return input.min(dim, keepdim)


def sum(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A001
    return input.sum(dim, keepdim, dtype=dtype)


def mean(input: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    return input.mean(dim, keepdim, dtype=dtype)


def var(input: Tensor, dim: Any = None, *, correction: float = 1, keepdim: bool = False) -> Tensor:
    return input.var(dim, keepdim=keepdim, correction=correction)


def std(input: Tensor, dim: Any = None, *, correction: float = 1, keepdim: bool = False) -> Tensor:
    return input.std(dim, keepdim=keepdim, correction=correction)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return input.argmax(dim, keepdim)


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    return input.argmin(dim, keepdim)


def all(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001 - PyTorch's name
    return input.all(dim, keepdim)


def any(input: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A001 - PyTorch's name
    return input.any(dim, keepdim)


def norm(input: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
    return input.norm(p, dim, keepdim)


def exp(input: Tensor) -> Tensor:
    return _t(input).exp()


def log(input: Tensor) -> Tensor:
    return _t(input).log()


def sin(input: Tensor) -> Tensor:
    return _t(input).sin()


def cos(input: Tensor) -> Tensor:
    return _t(input).cos()


def tanh(input: Tensor) -> Tensor:
    return _t(input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    return _t(input).sigmoid()


def relu(input: Tensor) -> Tensor:
    return _t(input).relu()


def sqrt(input: Tensor) -> Tensor:
    return _t(input).sqrt()


def abs(input: Tensor) -> Tensor:  # noqa: A001 - PyTorch's name
    return _t(input).abs()


def softmax(input: Tensor, dim: int) -> Tensor:
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    return input.log_softmax(dim)


def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001 - PyTorch's name
    """input ** exponent; either may be a number (not both)."""
    return input ** exponent if isinstance(input, Tensor) else exponent.__rpow__(input)


def matmul(input: Tensor, other: Tensor) -> Tensor:
    return input @ other


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    return input.mm(mat2)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002 - PyTorch's names
    return input.clamp(min, max)


clip = clamp


def maximum(input: Tensor, other: Tensor) -> Tensor:
    return input.maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    return input.minimum(other)


def eq(input: Tensor, other: Any) -> Tensor:
    return input.eq(other)


def ne(input: Tensor, other: Any) -> Tensor:
    return input.ne(other)


def isfinite(input: Tensor) -> Tensor:
    return input.isfinite()


def isnan(input: Tensor) -> Tensor:
    return input.isnan()


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
    return bool(np.allclose(np.asarray(input), np.asarray(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


def equal(input: Tensor, other: Tensor) -> bool:
    """True if both have the same shape and elements."""
    return input.equal(other)


def concatenate(tensors: Iterable[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dim (torch.cat; `axis` as np.concatenate)."""
    return ops.Concatenate.apply(*tensors, axis=_dim_arg(dim if axis is None else None, axis))


def stack(tensors: Iterable[Tensor], dim: int = 0, *, axis: int | None = None) -> Tensor:
    """Join tensors along a new dim (torch.stack; `axis` as np.stack)."""
    return ops.Stack.apply(*tensors, axis=_dim_arg(dim if axis is None else None, axis))


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """Elements of x where condition holds, else of y; differentiable in x and y."""
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    ref = x if isinstance(x, Tensor) else y if isinstance(y, Tensor) else Tensor(x)
    a, b = ref._pair(y) if ref is x else ref._pair(x)[::-1] if ref is y else ref._pair(y)
    return ops.Where.apply(a, b, condition=cond.astype(bool))


cat = concat = concatenate


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    return input.tril(diagonal)


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    return input.triu(diagonal)


def masked_fill(input: Tensor, mask: Any, value: Any) -> Tensor:
    return input.masked_fill(mask, value)


# ----- sequence ops (see Tensor's section of the same name) ---------------------------------------
def split(tensor: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    return tensor.split(split_size_or_sections, dim)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    return input.chunk(chunks, dim)


def unbind(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    return input.unbind(dim)


def gather(input: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    return input.gather(dim, index, sparse_grad=sparse_grad)


def scatter(input: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
            reduce: str | None = None) -> Tensor:
    return input.scatter(dim, index, src, value=value, reduce=reduce)


def scatter_add(input: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    return input.scatter_add(dim, index, src)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    return input.index_select(dim, index)


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    return input.cumsum(dim, dtype=dtype)


def sort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    return input.sort(dim, descending, stable=stable)


def argsort(input: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    return input.argsort(dim, descending, stable=stable)


def topk(input: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    return input.topk(k, dim, largest, sorted)


def roll(input: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    return input.roll(shifts, dims)


def flip(input: Tensor, dims: Sequence[int]) -> Tensor:
    return input.flip(dims)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    return input.bmm(mat2)


def einsum(equation: str, *operands: Any) -> Tensor:
    """np.einsum's equation on tensors (also given as one list), differentiable in each operand."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors = [_t(x) for x in operands]
    terms = equation.replace(" ", "").partition("->")[0].split(",")
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
    tensors = [x if x.array.dtype == dtype else x.astype(dtype) for x in tensors]
    try:
        return ops.Einsum.apply(*tensors, equation=equation)
    except ValueError as e:
        raise RuntimeError(f"einsum(): {e}") from e


def log1p(input: Tensor) -> Tensor:
    return _t(input).log1p()


def log2(input: Tensor) -> Tensor:
    return _t(input).log2()


def log10(input: Tensor) -> Tensor:
    return _t(input).log10()


def histc(input: Tensor, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    return input.histc(bins, min, max)


def histogram(input: Tensor, bins: Any = 100, *, range: Sequence[float] | None = None,  # noqa: A002
              weight: Tensor | None = None, density: bool = False) -> Any:
    return input.histogram(bins, range=range, weight=weight, density=density)
