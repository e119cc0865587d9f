"""Indexing: t[index] and t[index] = value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import Context, Op, unbroadcast
from ..graph_nodes import renamed


def _is_basic_index(index: Any) -> bool:
    """Slices, ints, None and Ellipsis select without repeats; arrays and lists may repeat."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(i, slice | int | np.integer | type(None) | type(Ellipsis)) for i in parts)


def _is_int(part: Any) -> bool:
    return (isinstance(part, int | np.integer) and not isinstance(part, bool | np.bool_)
            or isinstance(part, np.ndarray) and part.ndim == 0 and part.dtype.kind in "iu")


def _is_bool(part: Any) -> bool:
    return isinstance(part, bool | np.bool_) or isinstance(part, np.ndarray) and part.ndim == 0 and part.dtype == bool


def _is_array(part: Any) -> bool:
    return isinstance(part, list) or isinstance(part, np.ndarray) and part.ndim > 0


@dataclass(frozen=True)
class TwoStep:
    """An index in PyTorch's order where NumPy's would differ: its ints (and 0-dim integer tensors) select
    first, with its slices and Nones (`basic`, a view); then the integer arrays, masks and bools index that view
    (`advanced`). NumPy counts the ints among the advanced indices (t[0, :, [0, 1]] is (2, n) in NumPy, (n, 2) in
    PyTorch), and a bool adds a size-1 dim that PyTorch indexes with [0] (True) or [] (False)."""

    basic: tuple[Any, ...]
    advanced: tuple[Any, ...]


def torch_order(index: Any) -> Any:
    """index as NumPy reads it when that is PyTorch's reading, else the TwoStep that gives PyTorch's result."""
    parts = index if isinstance(index, tuple) else (index,)
    if not any(_is_bool(p) for p in parts) and not (any(_is_array(p) for p in parts) and any(map(_is_int, parts))):
        return index
    basic: list[Any] = []
    advanced: list[Any] = []
    for p in parts:
        if _is_bool(p):
            basic.append(None)
            advanced.append(np.arange(1 if p else 0))
        elif _is_int(p):
            basic.append(int(p))
        elif _is_array(p):
            array = np.asarray(p)
            basic.extend([slice(None)] * (array.ndim if array.dtype == bool else 1))
            advanced.append(p)
        else:  # a slice, None or Ellipsis
            basic.append(p)
            advanced.append(p if p is Ellipsis else slice(None))
    return TwoStep(tuple(basic), tuple(advanced))


def _check_masks(shape: tuple[int, ...], index: Any) -> None:
    """PyTorch's IndexError for a mask whose shape is not that of the dims it indexes (NumPy lets an empty mask
    pass beside other indices)."""
    parts = index if isinstance(index, tuple) else (index,)
    if not any(isinstance(p, np.ndarray) and p.ndim and p.dtype == np.bool_ for p in parts):
        return
    def width(p: Any) -> int:
        return 0 if p is None or p is Ellipsis or _is_bool(p) else np.ndim(p) if np.asarray(p).dtype == bool else 1
    pos = 0
    for i, p in enumerate(parts):
        if p is Ellipsis:
            pos = len(shape) - sum(width(q) for q in parts[i + 1 :])
            continue
        if isinstance(p, np.ndarray) and p.ndim and p.dtype == np.bool_ and p.shape != shape[pos : pos + p.ndim]:
            raise IndexError(f"The shape of the mask {list(p.shape)} at index {i} does not match the shape of the "
                             f"indexed tensor {list(shape)} at index {pos}")
        pos += width(p)


def take(x: np.ndarray, index: Any) -> np.ndarray:
    if isinstance(index, TwoStep):
        view = x[index.basic]
        _check_masks(view.shape, index.advanced)
        return view[index.advanced]
    _check_masks(x.shape, index)
    return x[index]


def put(x: np.ndarray, index: Any, value: Any) -> None:
    """x[index] = value, value's leading size-1 dims dropped first (PyTorch's copy and index_put do)."""
    if isinstance(value, np.ndarray) and value.ndim and value.shape[0] == 1:
        value = value.reshape(value.shape[len(value.shape) - len(np.trim_zeros(np.array(value.shape) - 1, "f")):])
    if isinstance(index, TwoStep):
        view = x[index.basic]
        _check_masks(view.shape, index.advanced)
        view[index.advanced] = value
    else:
        _check_masks(x.shape, index)
        x[index] = value


def _add_at(x: np.ndarray, index: Any, value: np.ndarray) -> None:
    if isinstance(index, TwoStep):
        np.add.at(x[index.basic], index.advanced, value)
    else:
        np.add.at(x, index, value)


class GetItem(Op):
    """x[index] for slices, integer arrays and boolean masks; repeated indices add up."""
    saves_values = False


    @staticmethod
    def forward(ctx: Context, x: np.ndarray, index: Any) -> np.ndarray:
        ctx.shape, ctx.dtype, ctx.index = x.shape, x.dtype, index
        return take(x, index)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=ctx.dtype)
        if _is_basic_index(ctx.index):
            full[ctx.index] = grad
        else:
            _add_at(full, ctx.index, grad)
        return full


class SetItem(Op):
    """A copy of x with x[index] = value: the gradient skips the overwritten elements of x and reaches value."""
    saves_values = False


    @staticmethod
    def forward(ctx: Context, x: np.ndarray, value: np.ndarray, index: Any) -> np.ndarray:
        ctx.index, ctx.value_shape = index, np.shape(value)
        out = x.copy()
        put(out, index, value)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        grad_x = grad.copy()
        put(grad_x, ctx.index, 0)
        grad_value = take(grad, ctx.index)
        extra = len(ctx.value_shape) - grad_value.ndim  # value's leading size-1 dims, dropped by put
        if extra > 0:
            grad_value = unbroadcast(grad_value, ctx.value_shape[extra:]).reshape(ctx.value_shape)
        return grad_x, grad_value


# ----- along one dim, as torch.gather / scatter / index_select ----------------------------------
def along_dim(index: np.ndarray, dim: int) -> tuple[np.ndarray, ...]:
    """The full NumPy index that picks, at every position of `index`, element index[pos] along `dim`."""
    grids = list(np.ogrid[tuple(slice(n) for n in index.shape)]) if index.ndim else []
    grids[dim] = index
    return tuple(grids)


def _scattered(index: np.ndarray, dim: int, shape: tuple[int, ...]) -> np.ndarray:
    """True where scatter along `dim` with `index` writes into an array of `shape`."""
    hit = np.zeros(shape, dtype=bool)
    hit[along_dim(index, dim)] = True
    return hit


def _corner(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The leading `shape` block of `array` (PyTorch reads only that much of src and input)."""
    return array[tuple(slice(n) for n in shape)]


def _into(block: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`block` placed at the start of zeros of `shape` (the gradient of _corner)."""
    if block.shape == shape:
        return block
    full = np.zeros(shape, dtype=block.dtype)
    full[tuple(slice(n) for n in block.shape)] = block
    return full


class Gather(Op):
    """out[i][j] = x[index[i][j]][j] for dim 0 (and so on); the gradient is scattered back and adds up."""

    node_name = "GatherBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:
            return np.broadcast_to(x, index.shape).copy()
        return x[along_dim(index, dim)]

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=grad.dtype)
        if not ctx.shape:
            return full + grad.sum()
        np.add.at(full, along_dim(ctx.index, ctx.dim), grad)
        return full


# The pieces of split/chunk/unbind are slices, the values of sort/topk a gather by the sorted order.
SplitPiece = renamed(GetItem, "SplitBackward0", "SplitPiece")
SplitWithSizesPiece = renamed(GetItem, "SplitWithSizesBackward0", "SplitWithSizesPiece")
UnbindPiece = renamed(GetItem, "UnbindBackward0", "UnbindPiece")
SortValues = renamed(Gather, "SortBackward0", "SortValues")
TopkValues = renamed(Gather, "TopkBackward0", "TopkValues")


class Scatter(Op):
    """A copy of x with x[index[i][j]][j] = src[i][j] (dim 0); the gradient skips what was overwritten.

    `src` is a Tensor (the gradient reaches its block of index's shape) or a number (PyTorch's ScatterBackward1).
    With `add`, the values are added instead of written (scatter_add).
    """

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, src: Any, dim: int, index: np.ndarray, add: bool = False) -> np.ndarray:
        ctx.dim, ctx.index, ctx.add = dim, index, add
        ctx.src_shape = np.shape(src)
        out = x.copy()
        if x.ndim == 0:
            if index.size:
                values = np.asarray(src).reshape(-1)[: index.size] if np.ndim(src) else np.full(index.size, src)
                out[()] = out[()] + values.sum() if add else values[-1]
            return out
        values = _corner(src, index.shape) if np.ndim(src) else src
        if add:
            np.add.at(out, along_dim(index, dim), values)
        else:
            out[along_dim(index, dim)] = values
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if grad.ndim == 0:
            grad_src = np.broadcast_to(grad, ctx.index.shape)
        else:
            grad_src = grad[along_dim(ctx.index, ctx.dim)]
        return _scatter_grad_x(ctx, grad), _into(np.asarray(grad_src), ctx.src_shape)


def _scatter_grad_x(ctx: Context, grad: np.ndarray) -> np.ndarray:
    if ctx.add:
        return grad
    if grad.ndim == 0:
        return np.zeros_like(grad) if ctx.index.size else grad
    return np.where(_scattered(ctx.index, ctx.dim, grad.shape), 0, grad)


class ScatterValue(Scatter):
    node_name = "ScatterBackward1"

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return _scatter_grad_x(ctx, grad)


ScatterSrc = renamed(Scatter, "ScatterBackward0", "ScatterSrc")
ScatterAdd = renamed(Scatter, "ScatterAddBackward0", "ScatterAdd")


class IndexSelect(Op):
    """np.take along `dim` by a 1-D index; the gradient of repeated rows adds up."""

    node_name = "IndexSelectBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        if x.ndim == 0:  # PyTorch: a scalar stays a scalar (the index holds one 0)
            return x.copy()
        return np.take(x, index, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        full = np.zeros(ctx.shape, dtype=grad.dtype)
        if not ctx.shape:
            return full + grad.sum()
        np.add.at(np.moveaxis(full, ctx.dim, 0), ctx.index, np.moveaxis(grad, ctx.dim, 0))
        return full


class IndexPut(SetItem):
    """x[index] = value, or with `accumulate` x[index] += value (repeated indices add up)."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, value: np.ndarray, index: Any, accumulate: bool = False) -> np.ndarray:
        if not accumulate:
            return SetItem.forward(ctx, x, value, index)
        ctx.index = index
        out = x.copy()
        np.add.at(out, index, value)
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if ctx.kwargs.get("accumulate"):
            return grad, grad[ctx.index]
        return SetItem.backward(ctx, grad)


_REDUCERS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


def _identity(reduce: str, dtype: np.dtype) -> Any:
    if reduce in ("sum", "mean", "prod"):
        return int(reduce == "prod")
    low, high = (-np.inf, np.inf) if dtype.kind == "f" else (False, True) if dtype.kind == "b" else \
        (np.iinfo(dtype).min, np.iinfo(dtype).max)
    return low if reduce == "amax" else high


class ScatterReduce(Op):
    """torch.scatter_reduce: src[i][j] reduced into x[index[i][j]][j] (dim 0) with sum, prod, mean, amax or
    amin; with include_self=False the scattered positions start from the reduction's identity. The gradient of
    amax/amin is shared evenly among the values equal to the result, as in PyTorch."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray, reduce: str,
                include_self: bool = True) -> np.ndarray:
        where = along_dim(index, dim)
        values = _corner(src, index.shape)
        out = x.copy()
        if not include_self:
            out[where] = _identity(reduce, x.dtype)
        _REDUCERS[reduce].at(out, where, values)
        counts = np.full(x.shape, 1 if include_self else 0, dtype=np.int64)
        np.add.at(counts, where, 1)
        if reduce == "mean":
            divisor = np.maximum(counts, 1).astype(x.dtype)
            out = out / divisor if x.dtype.kind == "f" else out // divisor
        ctx.save_for_backward(x, values, out, counts)
        ctx.dim, ctx.index, ctx.reduce, ctx.include_self, ctx.src_shape = dim, index, reduce, include_self, src.shape
        return out

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, values, out, counts = ctx.saved_tensors
        where = along_dim(ctx.index, ctx.dim)
        hit = _scattered(ctx.index, ctx.dim, x.shape)
        if ctx.reduce == "mean":
            grad = grad / np.maximum(counts, 1)
        if ctx.reduce in ("sum", "mean"):
            grad_x, grad_src = grad.copy(), grad[where]
        elif ctx.reduce == "prod":
            own = ctx.include_self | ~hit  # where x itself is one of the factors
            nonzero, zeros = np.where(own & (x != 0), x, 1), (own & (x == 0)).astype(np.int64)
            np.multiply.at(nonzero, where, np.where(values == 0, 1, values))
            np.add.at(zeros, where, values == 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                def others(v: np.ndarray, at: Any) -> np.ndarray:
                    return np.where(v == 0, np.where(zeros[at] == 1, nonzero[at], 0), out[at] / v)
                grad_x, grad_src = grad * others(x, ...), grad[where] * others(values, where)
        else:
            ties = (x == out).astype(np.int64)  # PyTorch counts x's ties even when include_self=False
            np.add.at(ties, where, values == out[where])
            share = grad / np.maximum(ties, 1)
            grad_x, grad_src = share * (x == out), share[where] * (values == out[where])
        if not ctx.include_self:
            grad_x = np.where(hit, 0, grad_x)
        return grad_x, _into(np.asarray(grad_src), ctx.src_shape)
