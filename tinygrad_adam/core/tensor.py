"""The Tensor: a NumPy array, its place in the graph, and thin methods that apply the ops.

Each method checks or converts its arguments and applies one op from core/ops/ (or composes
a few); the ops hold the math, forward beside backward, and core/engine.py walks the graph.
"""

from __future__ import annotations

import builtins
import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np

from . import checks, dtypes, engine, grad_mode, ops
from . import random as _random
from .dtypes import result_type, to_numpy_dtype
from .engine import Context, backpropagate
from .grad_mode import no_grad
from .graph_nodes import as_node, name_node
from .hooks import RemovableHandle


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.array
    if data is None:
        raise RuntimeError("Could not infer dtype of NoneType")
    array = np.array(data)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'" if array.dtype.kind in "OUS" else
                        f"can't convert a tensor of dtype {array.dtype}: only bool, int and float are supported")
    if dtype is not None:
        array = array.astype(to_numpy_dtype(dtype), copy=False)
    elif array.dtype == np.float64 and not isinstance(data, np.ndarray | np.generic):
        array = array.astype(dtypes.default_float, copy=False)  # Python floats take the default dtype
    return array


def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept both f(2, 3) and f((2, 3)), as NumPy's reshape does (-1 allowed: the movement ops check it)."""
    return checks.shape_arg("size", shape, negative=True)


def _size_arg(op: str, size: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int, ...]:
    """new_zeros(2, 3), new_zeros((2, 3)) or new_zeros(size=(2, 3)), as PyTorch's new_* take it."""
    if "size" in kwargs and not size:
        size = (kwargs.pop("size"),)
    if kwargs:
        raise TypeError(f"{op}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return checks.shape_arg(op, size)


class Size(tuple):
    """torch.Size: the shape as a tuple of ints that prints as torch.Size([2, 3])."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    def __getitem__(self, index: Any) -> Any:
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


_ARITHMETIC_UFUNCS = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "truediv",
                      np.power: "pow", np.matmul: "matmul"}


class MaxMin(NamedTuple):
    """What `max(dim)`/`min(dim)` return, as torch.return_types.max: the values and their int64 indices."""

    values: Tensor
    indices: Tensor


def _scalar_type_name(dtype: np.dtype) -> str:
    """PyTorch's C++ name of a dtype, as its 'not implemented for' errors say it."""
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "float16": "Half", "float32": "Float", "float64": "Double"}.get(np.dtype(dtype).name, str(dtype))


def _return_type_repr(self: tuple) -> str:
    """torch.return_types' way of printing: the type's name, then one field a line."""
    fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))  # type: ignore[attr-defined]
    return f"torch.return_types.{type(self).__name__.removesuffix('Result').lower()}(\n{fields})"


class SortResult(NamedTuple):
    """What `sort` returns, as torch.return_types.sort: the sorted values and their int64 indices."""

    values: Tensor
    indices: Tensor
    __repr__ = _return_type_repr


class TopkResult(NamedTuple):
    """What `topk` returns, as torch.return_types.topk."""

    values: Tensor
    indices: Tensor
    __repr__ = _return_type_repr


class HistogramResult(NamedTuple):
    """What `histogram` returns, as torch.return_types.histogram: the counts and the bins' edges."""

    hist: Tensor
    bin_edges: Tensor
    __repr__ = _return_type_repr


def _dim_arg(dim: Any, axis: Any) -> Any:
    """PyTorch's `dim=`, with NumPy's `axis=` still accepted; a list of dims becomes a tuple."""
    if axis is not None:
        if dim is not None:
            raise TypeError("give dim or axis, not both")
        dim = axis
    return tuple(dim) if isinstance(dim, list) else dim


def _axes(dim: Any, axis: Any, ndim: int) -> tuple[int, ...] | None:
    """A reduction's dims, checked and wrapped (None: all of them; `dim=()` means all too, as in PyTorch)."""
    return checks.dims(_dim_arg(dim, axis), ndim)


def _keepdim_arg(keepdim: bool, keepdims: bool | None) -> bool:
    return bool(keepdim if keepdims is None else keepdims)


def _float_op(op: type[engine.Op]) -> Callable[[Tensor], Tensor]:
    """The method that applies `op`; integer tensors are computed in the default dtype first, as in PyTorch."""
    def method(self: Tensor) -> Tensor:
        return op.apply(self._floating())
    method.__name__ = method.__qualname__ = op.__name__.lower()
    return method


def _comparison(compare: np.ufunc) -> Callable[[Tensor, Any], Tensor]:
    """x.lt(y), x < y, ...: a bool tensor, never differentiable."""
    def method(self: Tensor, other: Any) -> Tensor:
        return self._compare(other, compare)
    return method


def _cast(dtype: type[np.generic]) -> Callable[[Tensor], Tensor]:
    """x.float(), x.long(), ...: x.astype(dtype)."""
    def method(self: Tensor) -> Tensor:
        return self.astype(dtype)
    return method


def _in_place(compute: Callable[..., Tensor], name: str = "") -> Callable[..., Tensor]:
    """The in-place form of an op (x.add_ of x.add, x += y of x + y): Tensor._inplace writes its result into x."""
    name = name or f"{compute.__name__}_"

    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        return self._inplace(name, compute, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    method.__signature__ = inspect.signature(compute)  # type: ignore[attr-defined]
    return method


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    `array` is the NumPy array that holds the values (Python floats take the
    default dtype; NumPy arrays keep theirs). As in PyTorch, `data` is the same
    values as a Tensor cut off from the graph, and `grad` is None or a Tensor
    of this shape with no history; gradients add up over backward calls until
    reset to None or zeroed.

    `_version` counts in-place changes (`add_`, `-=`, ...). Each recorded op notes
    the versions of its inputs and output, and backward refuses to use an op
    whose tensors changed since, instead of computing a wrong gradient.
    """

    __slots__ = ("array", "grad", "requires_grad", "_ctx", "_retains_grad", "_post_accumulate_grad_hooks",
                 "_backward_hooks", "_version", "_before", "__weakref__")
    __hash__ = object.__hash__  # by identity, as in PyTorch; == is elementwise

    def __init__(self, *data: Any, requires_grad: bool = False, dtype: Any = None):
        """PyTorch's legacy constructor: Tensor(2, 3) is a (2, 3) tensor of the default dtype (float32 unless
        set_default_dtype changed it), Tensor() an empty one, and Python data (Tensor([1, 2])) takes the default
        dtype. A NumPy array or a Tensor keeps its dtype, and a Python float is a 0-d tensor (where torch's
        refuses: see docs/pytorch.md); `dtype=` picks one (torch.tensor's keyword)."""
        if len(data) == 1 and not isinstance(data[0], int | np.integer) or len(data) == 1 and isinstance(data[0], bool):
            value = data[0]
            if dtype is None and not isinstance(value, np.ndarray | np.generic | Tensor):
                dtype = dtypes.default_float
            self.array = _to_array(value, dtype)
        else:
            shape = checks.shape_arg("Tensor", data) if data else (0,)
            self.array = np.zeros(shape, dtype=dtypes.default_float if dtype is None else to_numpy_dtype(dtype))
        self.grad: Tensor | None = None
        self.requires_grad = False
        self._ctx: Context | None = None
        self._retains_grad = False
        self._post_accumulate_grad_hooks: list[Callable[[Tensor], None]] | None = None
        self._backward_hooks: list[Callable[[Tensor], Tensor | None]] | None = None
        self._version = 0
        self._before: Tensor | None = None  # the graph node of this tensor's value before its last in-place op
        if requires_grad:
            self.requires_grad_()

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool) -> Tensor:
        """Wrap an op's output without copying or checking it (the engine's hot path)."""
        t = cls.__new__(cls)
        t.array, t.grad, t.requires_grad, t._ctx, t._retains_grad = array, None, requires_grad, None, False
        t._post_accumulate_grad_hooks, t._backward_hooks, t._version, t._before = None, None, 0, None
        return t

    @property
    def data(self) -> Tensor:
        """The same values as a Tensor that shares this memory and is detached from the graph."""
        return Tensor._make(self.array, False)

    @data.setter
    def data(self, value: Tensor) -> None:
        self.array = value.array if isinstance(value, Tensor) else _to_array(value, None)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.array.dtype:
            return self.array.astype(dtype)
        return np.array(self.array, copy=True) if copy else np.asarray(self.array)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """`ndarray * Tensor` is Tensor arithmetic (differentiable); other ufuncs (np.isfinite(t), np.exp(t))
        run on the arrays and give a Tensor outside the graph, as PyTorch's tensors do."""
        name = _ARITHMETIC_UFUNCS.get(ufunc)
        if name is not None and method == "__call__" and len(inputs) == 2 and not kwargs:
            a, b = inputs
            return getattr(a, f"__{name}__")(b) if isinstance(a, Tensor) else getattr(b, f"__r{name}__")(a)
        if "out" in kwargs:
            return NotImplemented
        result = getattr(ufunc, method)(*(x.array if isinstance(x, Tensor) else x for x in inputs), **kwargs)
        return Tensor._make(result, False) if isinstance(result, np.ndarray) else result

    # ----- properties -------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self.array.shape)

    @property
    def dtype(self) -> dtypes.dtype:
        """PyTorch's dtype object (prints as torch.float32; equal to np.float32 as well)."""
        return dtypes.from_numpy_dtype(self.array.dtype)

    @property
    def ndim(self) -> int:
        return self.array.ndim

    @property
    def device(self) -> Any:
        from .device import device
        return device("cpu")

    @property
    def is_cuda(self) -> bool:
        return False

    def size(self, dim: int | None = None) -> Any:
        """The shape (a Size), or the length of one dimension."""
        if dim is None:
            return Size(self.array.shape)
        if self.array.ndim == 0:
            raise IndexError("dimension specified as 0 but tensor has no dimensions")
        return self.array.shape[checks.dim(dim, self.array.ndim)]

    def numel(self) -> int:
        return self.array.size

    def dim(self) -> int:
        return self.array.ndim

    def nelement(self) -> int:
        return self.array.size

    def element_size(self) -> int:
        return self.array.itemsize

    def is_floating_point(self) -> bool:
        return self.array.dtype.kind == "f"

    @property
    def T(self) -> Tensor:  # noqa: N802 - the NumPy / PyTorch name
        return self.permute(tuple(reversed(range(self.ndim))))

    @property
    def mT(self) -> Tensor:  # noqa: N802 - PyTorch's name
        if self.ndim < 2:
            raise RuntimeError(f"tensor.mT is only supported on matrices or batches of matrices. Got {self.ndim}-D "
                               "tensor.")
        return self.transpose(-2, -1)

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self) -> Context | None:
        """The recorded op that made this tensor (None for leaves), as PyTorch's node (core/graph_nodes.py)."""
        return None if self._ctx is None else as_node(self._ctx)

    def __len__(self) -> int:
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.array)

    def __iter__(self) -> Any:
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self.array)))

    def __format__(self, spec: str) -> str:
        if self.array.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __bool__(self) -> bool:
        if self.array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self.array.size} values (shape {self.shape}) is "
                               "ambiguous; use .any() or .all()")
        return bool(self.array)

    def __float__(self) -> float:
        if self.array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return float(self.item())

    def __int__(self) -> int:
        if self.array.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return int(self.item())

    def __index__(self) -> int:
        if self.array.dtype.kind not in "iub" or self.array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The underlying array (shared, not copied); a tensor that requires grad must be detached first."""
        if self.requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self.array

    def item(self) -> float | int | bool:
        if self.array.size != 1:
            raise RuntimeError(f"a Tensor with {self.array.size} elements cannot be converted to Scalar")
        return self.array.item()

    def tolist(self) -> Any:
        return self.array.tolist()

    def detach(self) -> Tensor:
        """A new leaf Tensor sharing this data, cut off from the graph."""
        return Tensor._make(self.array, False)

    def detach_(self) -> Tensor:
        self._ctx, self.requires_grad = None, False
        return self

    def clone(self) -> Tensor:
        """A copy of the data that stays in the graph (its gradient flows back to this tensor)."""
        return ops.Clone.apply(self)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not requires_grad and self._ctx is not None:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you want to use a "
                               "computed variable in a subgraph that doesn't require differentiation use "
                               "var_no_grad = var.detach().")
        if requires_grad and self.array.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point and complex dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> None:
        """Keep `.grad` on this non-leaf tensor after backward (leaves always keep it)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._ctx is not None:
            self._retains_grad = True

    # ----- dtype and device -------------------------------------------------------------------
    def astype(self, dtype: Any) -> Tensor:
        """Convert to `dtype`; float to float stays in the graph, anything else gives a tensor without history."""
        target = to_numpy_dtype(dtype)
        if target == self.array.dtype:
            return self
        if target.kind == "f" and self.array.dtype.kind == "f":
            return ops.Cast.apply(self, dtype=target)
        return Tensor._make(self.array.astype(target), False)

    def type(self, dtype: Any = None) -> Any:
        """With a dtype, convert to it; without, PyTorch's type name ('torch.FloatTensor')."""
        if dtype is None:
            return dtypes.legacy_type_name(self.dtype)
        return self.astype(dtypes.from_legacy_type_name(dtype) if isinstance(dtype, str) else dtype)

    float, double, half = _cast(np.float32), _cast(np.float64), _cast(np.float16)
    long, int, bool = _cast(np.int64), _cast(np.int32), _cast(np.bool_)

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False) -> Tensor:
        """PyTorch's to(device), to(dtype), to(device, dtype) and to(other_tensor); the device must be the CPU."""
        from .device import check_device
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) or type(arg).__name__ == "device" or isinstance(arg, int | np.integer):
                device = arg
            else:
                dtype = arg
        if device is not None:
            check_device(device)
        out = self if dtype is None else self.astype(dtype)
        return out.clone() if copy and out is self else out

    def cpu(self) -> Tensor:
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        from .device import check_device
        check_device("cuda")
        return self

    def __repr__(self) -> str:
        from .printing import format_tensor
        return format_tensor(self)

    # ----- backward -------------------------------------------------------------------------
    def backward(self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
                 grad: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires a gradient.

        A scalar (one-element) output is seeded with 1; any other output needs
        `gradient` of its own shape. Unless `retain_graph`, the arrays saved for
        backward are freed, and a second backward through this graph raises.
        """
        if create_graph:
            raise NotImplementedError("backward(create_graph=True): higher-order gradients are not supported; "
                                      "backward functions work on NumPy arrays and record no graph")
        backpropagate([self], [gradient if grad is None else grad], bool(retain_graph))

    def _accumulate_grad(self, g: np.ndarray) -> None:
        """Add g into `.grad` (the first gradient is copied: g may be shared), then run the hooks."""
        if self.grad is None:
            self.grad = Tensor._make(g.astype(self.array.dtype, copy=True), False)
        else:
            self.grad.array = self.grad.array + g
        for hook in self._post_accumulate_grad_hooks or ():
            hook(self)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Call hook(tensor) each time backward has added a gradient into this leaf's `.grad`."""
        if self._ctx is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_accumulate_grad_hooks is None:
            self._post_accumulate_grad_hooks = []
        self._post_accumulate_grad_hooks.append(hook)
        return RemovableHandle(self._post_accumulate_grad_hooks, hook)

    # ----- arithmetic (operands promoted as in PyTorch, see dtypes.py) -------------------------
    def _lift(self, other: Any) -> Tensor:
        """Python numbers and arrays become constant Tensors, floats in this tensor's dtype."""
        if isinstance(other, Tensor):
            return other
        array = np.asarray(other)
        if self.array.dtype.kind == "f" and array.dtype.kind in "biuf":
            array = array.astype(self.array.dtype, copy=False)
        return Tensor._make(array, False)

    def _pair(self, other: Any) -> tuple[Tensor, Tensor]:
        """(self, other) as Tensors of one dtype, by PyTorch's promotion rules."""
        if isinstance(other, Tensor):
            if other.array.dtype == self.array.dtype:
                return self, other
            target = result_type(self.array, other.array)
            return self.astype(target), other.astype(target)
        if self.array.dtype.kind == "f" and type(other) in (float, int):  # the common case, kept fast
            return self, Tensor._make(np.asarray(other, dtype=self.array.dtype), False)
        if not isinstance(other, np.ndarray | np.generic | float | int | bool):
            kind = type(other).__name__
            other = np.asarray(other)
            if other.dtype.kind not in "biuf":
                raise TypeError(f"expected a Tensor or a number as the other operand, got {kind}")
        target = result_type(self.array, other)
        return self.astype(target), Tensor._make(np.asarray(other).astype(target, copy=False), False)

    def __add__(self, other: Any) -> Tensor:
        return ops.Add.apply(*self._pair(other))

    def __radd__(self, other: Any) -> Tensor:
        return ops.Add.apply(*self._pair(other))  # commutative: self first, as PyTorch records it

    def _no_bool_subtraction(self, other: Any) -> None:
        if self.array.dtype == np.bool_ or isinstance(other, bool) or isinstance(other, Tensor) and \
                other.array.dtype == np.bool_:
            both = self.array.dtype == np.bool_ and isinstance(other, Tensor) and other.array.dtype == np.bool_
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
                "`logical_xor()` operator instead." if both else
                "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert "
                "a mask, use the `~` or `logical_not()` operator instead.")

    def __sub__(self, other: Any) -> Tensor:
        self._no_bool_subtraction(other)
        return ops.Sub.apply(*self._pair(other))

    def __rsub__(self, other: Any) -> Tensor:
        self._no_bool_subtraction(other)
        a, b = self._pair(other)
        return name_node(ops.Sub.apply(b, a), "RsubBackward1")

    def __mul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(*self._pair(other))

    def __rmul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(*self._pair(other))  # commutative: self first, as PyTorch records it

    def _true_division_pair(self, other: Any) -> tuple[Tensor, Tensor]:
        """(self, other) in their promoted float dtype; integers go straight to the default dtype (uint8 / -2 is
        -0.5)."""
        a, b = self._pair(other)
        if a.array.dtype.kind != "f":  # integer / integer is true division into the default float dtype
            a = self.astype(dtypes.default_float)
            b = (other if isinstance(other, Tensor) else Tensor._make(np.asarray(other), False)).astype(
                dtypes.default_float)
        return a, b

    def __truediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(*self._true_division_pair(other))

    def _rounded_division(self, other: Any, rounding_mode: str) -> Tensor:
        """div(rounding_mode='floor' | 'trunc'): integer inputs stay integer; the gradient is zero, as in PyTorch."""
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                             f"'{rounding_mode}'")
        a, b = self._pair(other)
        if a.array.dtype == np.bool_:
            raise checks.not_implemented_for(f"div_{rounding_mode}_cpu", a.array.dtype)
        if a.array.dtype.kind in "iu" and not np.all(b.array):
            raise RuntimeError("ZeroDivisionError")
        return ops.RoundedDiv.apply(a, b, mode=rounding_mode)

    def __rtruediv__(self, other: Any) -> Tensor:
        a, b = self._true_division_pair(other)
        return ops.Div.apply(b, a)

    def __neg__(self) -> Tensor:
        checks.no_bool("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
                       "invert a mask, use the `~` or `logical_not()` operator instead.", self.array.dtype)
        return ops.Neg.apply(self)

    def __pos__(self) -> Tensor:
        checks.no_bool("The `+` operator, on a bool tensor is not supported.", self.array.dtype)
        return self

    def __pow__(self, exponent: Any) -> Tensor:
        if not isinstance(exponent, Tensor | int | float | np.number):
            raise TypeError(f"pow(): argument 'exponent' must be Tensor or Number, not {type(exponent).__name__}")
        if isinstance(exponent, Tensor):
            if self.array.dtype == np.bool_ and exponent.array.dtype == np.bool_:
                raise NotImplementedError("\"pow\" not implemented for 'Bool'")
            return ops.Pow.apply(*self._pair(exponent))
        if self.array.dtype.kind in "biu" and isinstance(exponent, int | np.integer) and exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        if self.array.dtype == np.bool_ and isinstance(exponent, int | np.integer) and not isinstance(exponent, bool):
            return ops.PowScalar.apply(self.astype(np.int64), exponent=exponent)
        if self.array.dtype.kind != "f" and isinstance(exponent, float):
            return ops.PowScalar.apply(self.astype(dtypes.default_float), exponent=exponent)
        return ops.PowScalar.apply(self, exponent=exponent)

    def __rpow__(self, base: Any) -> Tensor:
        a, b = self._pair(base)
        return ops.Pow.apply(b, a)

    def _matmul_pair(self, other: Any, swap: bool = False) -> tuple[Tensor, Tensor]:
        """Both operands of a matrix product, checked as PyTorch checks them (same dtype, at least 1-D, inner
        sizes that agree)."""
        if not isinstance(other, Tensor):
            if not isinstance(other, np.ndarray):
                raise TypeError(f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
            other = Tensor._make(other, False)
        a, b = (other, self) if swap else (self, other)
        if a.array.dtype != b.array.dtype:
            names = {"float32": "float", "float64": "double", "int64": "long int", "int32": "int",
                     "uint8": "unsigned char", "bool": "bool", "float16": "c10::Half"}
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {names[a.array.dtype.name]} != "
                               f"{names[b.array.dtype.name]}")
        if a.array.ndim == 0 or b.array.ndim == 0:
            raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.array.ndim}D and "
                               f"{b.array.ndim}D")
        if a.array.dtype == np.bool_:
            raise checks.not_implemented_for("addmm_impl_cpu_", a.array.dtype)
        inner_a, inner_b = a.array.shape[-1], b.array.shape[-2 if b.array.ndim > 1 else 0]
        if inner_a != inner_b:
            if a.array.ndim == 1 and b.array.ndim == 1:
                raise RuntimeError(f"inconsistent tensor size, expected tensor [{inner_a}] and src [{inner_b}] to have "
                                   f"the same number of elements, but got {inner_a} and {inner_b} elements "
                                   "respectively")
            rows_a = int(np.prod(a.array.shape[:-1])) if a.array.ndim > 1 else 1
            cols_b = b.array.shape[-1] if b.array.ndim > 1 else 1
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows_a}x{inner_a} and "
                               f"{inner_b}x{cols_b})")
        return a, b

    def __matmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(*self._matmul_pair(other))

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(*self._matmul_pair(other, swap=True))

    def _alpha(self, other: Any, alpha: Any) -> Any:
        if alpha == 1 and not isinstance(alpha, float):
            return other
        if isinstance(alpha, float) and self.array.dtype.kind in "biu" and \
                (not isinstance(other, Tensor) or other.array.dtype.kind in "biu"):
            raise RuntimeError("For integral input tensors, argument alpha must not be a floating point number.")
        if self.array.dtype == np.bool_ and isinstance(other, Tensor) and other.array.dtype == np.bool_:
            return other & bool(alpha)  # bool stays bool, as in PyTorch
        return other * alpha

    def add(self, other: Any, alpha: float = 1) -> Tensor:
        return self + self._alpha(other, alpha)

    def sub(self, other: Any, alpha: float = 1) -> Tensor:
        return self - self._alpha(other, alpha)

    def mul(self, other: Any) -> Tensor:
        return self * other

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        return self / other if rounding_mode is None else self._rounded_division(other, rounding_mode)

    def pow(self, exponent: Any) -> Tensor:
        return self ** exponent

    def neg(self) -> Tensor:
        return -self

    def matmul(self, other: Any) -> Tensor:
        return self @ other

    def mm(self, other: Tensor) -> Tensor:
        if self.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if other.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self @ other

    # ----- comparisons: elementwise, giving bool tensors outside the graph --------------------
    def _compare(self, other: Any, compare: Callable[[np.ndarray, Any], np.ndarray]) -> Tensor:
        """compare(self, other) elementwise, both in their promoted dtype (as PyTorch: uint8 < -1 compares
        with 255)."""
        if isinstance(other, Tensor) and other.array.dtype != self.array.dtype or \
                isinstance(other, int) and self.array.dtype.kind in "biu":
            a, b = self._pair(other)
            self, other = a, b
        other_array = other.array if isinstance(other, Tensor) else other
        try:
            return Tensor._make(np.asarray(compare(self.array, other_array)), False)
        except ValueError:
            checks.broadcast_shapes(self.array.shape, np.shape(other_array))
            raise

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        if not isinstance(other, Tensor | np.ndarray | np.generic | float | int | bool):
            return NotImplemented
        return self._compare(other, np.equal)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        if not isinstance(other, Tensor | np.ndarray | np.generic | float | int | bool):
            return NotImplemented
        return self._compare(other, np.not_equal)

    eq, ne = _comparison(np.equal), _comparison(np.not_equal)
    __lt__ = lt = _comparison(np.less)
    __le__ = le = _comparison(np.less_equal)
    __gt__ = gt = _comparison(np.greater)
    __ge__ = ge = _comparison(np.greater_equal)

    def equal(self, other: Tensor) -> bool:
        """True if both have the same shape and elements."""
        return self.array.shape == other.array.shape and bool(np.array_equal(self.array, other.array))

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        if isinstance(other, Tensor) and other.array.dtype != self.array.dtype:
            raise RuntimeError(f"{checks.scalar_type_name(self.array.dtype)} did not match "
                               f"{checks.scalar_type_name(other.array.dtype)}")
        other_array = other.array if isinstance(other, Tensor) else np.asarray(other)
        checks.broadcast_shapes(self.array.shape, other_array.shape)
        return bool(np.allclose(self.array, other_array, rtol=rtol, atol=atol, equal_nan=equal_nan))

    def isfinite(self) -> Tensor:
        return Tensor._make(np.isfinite(self.array), False)

    def isnan(self) -> Tensor:
        return Tensor._make(np.isnan(self.array), False)

    def __invert__(self) -> Tensor:
        if self.array.dtype.kind not in "biu":
            raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
        return Tensor._make(~self.array, False)

    def _bitwise(self, other: Any, kernel: str, function: Callable[..., np.ndarray], bools: bool = True) -> Tensor:
        a, b = self._pair(other)
        if a.array.dtype.kind not in ("biu" if bools else "iu"):
            raise checks.not_implemented_for(kernel, a.array.dtype)
        return a._compare(b, function)

    def __and__(self, other: Any) -> Tensor:
        return self._bitwise(other, "bitwise_and_cpu", np.bitwise_and)

    def __or__(self, other: Any) -> Tensor:
        return self._bitwise(other, "bitwise_or_cpu", np.bitwise_or)

    # ----- reductions (dim/keepdim as in PyTorch; axis/keepdims accepted too) -------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        x = self if dtype is not None or self.array.dtype.kind == "f" else self.astype(np.int64)
        x = x if dtype is None else x.astype(dtype)
        return ops.Sum.apply(x, axis=_axes(dim, axis, self.array.ndim), keepdims=_keepdim_arg(keepdim, keepdims))

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = None,
             keepdims: bool | None = None) -> Tensor:
        x = self if dtype is None else self.astype(dtype)
        if x.array.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {checks.scalar_type_name(x.array.dtype)}")
        return ops.Mean.apply(x, axis=_axes(dim, axis, self.array.ndim), keepdims=_keepdim_arg(keepdim, keepdims))

    def _max_or_min(self, name: str, dim: Any, keepdim: bool, axis: Any, keepdims: bool | None) -> Any:
        dim, keep = _dim_arg(dim, axis), _keepdim_arg(keepdim, keepdims)
        if isinstance(dim, Tensor):  # max(other): elementwise, as torch.max(a, b)
            return self.maximum(dim) if name == "max" else self.minimum(dim)
        if dim is None:
            checks.nonempty_reduction(name, self.array.shape, None)
            return ops.Max.apply(self, axis=None, keepdims=False, largest=name == "max")
        d = checks.dim(dim, self.array.ndim)
        checks.nonempty_reduction(name, self.array.shape, (d,))
        if self.array.ndim == 0:
            return MaxMin(self.clone(), Tensor._make(np.zeros((), np.int64), False))
        values = ops.MaxAlongDim.apply(self, dim=d, keepdim=keep, largest=name == "max")
        indices = (np.argmax if name == "max" else np.argmin)(self.array, axis=d, keepdims=keep)
        return MaxMin(values, Tensor._make(np.asarray(indices, np.int64), False))

    def max(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None) -> Any:
        """The largest value; with an int `dim`, (values, indices) along it, as torch.max."""
        return self._max_or_min("max", dim, keepdim, axis, keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None) -> Any:
        """The smallest value; with an int `dim`, (values, indices) along it, as torch.min."""
        return self._max_or_min("min", dim, keepdim, axis, keepdims)

    def _amax_or_amin(self, name: str, dim: Any, keepdim: bool) -> Tensor:
        axes = checks.dims(dim, self.array.ndim)
        checks.nonempty_reduction(name, self.array.shape, axes)
        return ops.Max.apply(self, axis=axes, keepdims=bool(keepdim), largest=name == "amax")

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return self._amax_or_amin("amax", dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        return self._amax_or_amin("amin", dim, keepdim)

    def _arg(self, name: str, dim: Any, keepdim: bool, axis: Any, keepdims: bool | None) -> Tensor:
        d, keep = _dim_arg(dim, axis), _keepdim_arg(keepdim, keepdims)
        if self.array.dtype == np.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        if d is not None:
            d = checks.dim(d, self.array.ndim)
        checks.nonempty_reduction(name, self.array.shape, None if d is None else (d,))
        array = self.array if self.array.ndim else self.array.reshape(1)
        found = (np.argmax if name == "argmax" else np.argmin)(array, axis=d, keepdims=keep)
        return Tensor._make(np.asarray(found, np.int64).reshape(() if self.array.ndim == 0 else np.shape(found)),
                            False)

    def argmax(self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None,
               keepdims: bool | None = None) -> Tensor:
        """int64 indices of the largest values (of the flattened tensor when dim is None)."""
        return self._arg("argmax", dim, keepdim, axis, keepdims)

    def argmin(self, dim: int | None = None, keepdim: bool = False, *, axis: int | None = None,
               keepdims: bool | None = None) -> Tensor:
        """int64 indices of the smallest values (of the flattened tensor when dim is None)."""
        return self._arg("argmin", dim, keepdim, axis, keepdims)

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None, keepdims: bool | None = None,
            ddof: float | None = None) -> Tensor:
        """Variance, dividing by N - correction; correction=1 by default, as in PyTorch (ddof is NumPy's name)."""
        if isinstance(dim, bool) and unbiased is None:  # var(unbiased), PyTorch's older positional form
            dim, unbiased = None, dim
        if sum(v is not None for v in (unbiased, correction, ddof)) > 1:
            raise TypeError("var/std: give only one of unbiased, correction and ddof")
        if correction is None:
            correction = ddof if ddof is not None else (0 if unbiased is False else 1)
        if self.array.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        return ops.Var.apply(self, axis=_axes(dim, axis, self.array.ndim), keepdims=_keepdim_arg(keepdim, keepdims),
                             ddof=correction)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None, keepdims: bool | None = None,
            ddof: float | None = None) -> Tensor:
        """Standard deviation, dividing by N - correction (correction=1 by default, as in PyTorch)."""
        return name_node(self.var(dim, unbiased, keepdim, correction=correction, axis=axis, keepdims=keepdims,
                                  ddof=ddof).sqrt(), "StdBackward0")

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The p-norm (2 / 'fro' by default, also 1, inf and any positive number) over `dim` or everything."""
        keep = bool(keepdim)
        x = self if dtype is None else self.astype(dtype)
        if x.array.dtype.kind != "f":
            raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                               f"{checks.scalar_type_name(x.array.dtype)}")
        axes = checks.dims(dim, x.array.ndim)
        if p in ("fro", 2, 2.0):
            return ops.Norm2.apply(x, axis=axes, keepdims=keep)
        if p in (1, 1.0):
            return x.abs().sum(axes, keep)
        if p in (float("inf"), "inf", float("-inf")):
            return x.abs().amax(axes or (), keep) if p != float("-inf") else x.abs().amin(axes or (), keep)
        if p == 0:  # the number of nonzero entries, with gradient 0
            return (x * 0).sum(axes, keep) + Tensor._make(np.asarray(
                np.sum(x.array != 0, axis=axes, keepdims=keep), dtype=x.array.dtype), False)
        if isinstance(p, int | float):
            with np.errstate(divide="ignore"):
                return (x.abs() ** p).sum(axes, keep) ** (1.0 / p)
        raise ValueError(f"norm: unsupported p={p!r} (use 'fro', 'nuc' is not supported, or a number)")

    def _all_or_any(self, reduce: Callable[..., np.ndarray], dim: Any, keepdim: bool, axis: Any,
                    keepdims: bool | None) -> Tensor:
        d, keep = _dim_arg(dim, axis), _keepdim_arg(keepdim, keepdims)
        axes = None if d is None else checks.dims(d if isinstance(d, int | np.integer) else d, self.array.ndim)
        out = np.asarray(reduce(self.array, axis=axes, keepdims=keep))
        return Tensor._make(out.astype(np.uint8) if self.array.dtype == np.uint8 else out, False)

    def all(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return self._all_or_any(np.all, dim, keepdim, axis, keepdims)

    def any(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        return self._all_or_any(np.any, dim, keepdim, axis, keepdims)

    def logsumexp(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
                  keepdims: bool | None = None) -> Tensor:
        d = _dim_arg(dim, axis)
        if d is None or d == ():
            raise TypeError("logsumexp() missing 1 required positional argument: 'dim'") if d is None else \
                RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * self.array.ndim}")
        return ops.LogSumExp.apply(self._floating(), axis=checks.dims(d, self.array.ndim),
                                   keepdims=_keepdim_arg(keepdim, keepdims))

    # ----- elementwise ------------------------------------------------------------------------
    def _floating(self) -> Tensor:
        """Integer inputs of float functions (exp, sqrt, ...) are computed in the default dtype, as in PyTorch."""
        return self if self.array.dtype.kind == "f" else self.astype(dtypes.default_float)

    exp = _float_op(ops.Exp)
    log = _float_op(ops.Log)
    sqrt = _float_op(ops.Sqrt)
    sin = _float_op(ops.Sin)
    cos = _float_op(ops.Cos)

    def abs(self) -> Tensor:
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for("abs_cpu", self.array.dtype)
        return ops.Abs.apply(self)

    __abs__ = abs

    tanh = _float_op(ops.Tanh)
    sigmoid = _float_op(ops.Sigmoid)

    def relu(self) -> Tensor:
        checks.no_bool("Boolean inputs not supported for relu", self.array.dtype)
        return ops.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        return ops.LeakyReLU.apply(self, negative_slope=negative_slope)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        """Limit to [min, max] (either may be None); the gradient passes where min <= x <= max, and to a
        tensor bound where it is the result."""
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        for bound in (min, max):
            if bound is not None and not isinstance(bound, Tensor | int | float | np.number):
                raise TypeError(f"clamp(): min and max must be Tensors or numbers, not {type(bound).__name__}")
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            if self.array.dtype == np.bool_ and min is not None and max is not None:
                raise checks.not_implemented_for("clamp_cpu", self.array.dtype)
            out = self
            for bound, outside in ((min, np.less), (max, np.greater)):
                if bound is not None:
                    x, b = out._pair(bound)
                    out = ops.Where.apply(b, x, condition=outside(x.array, b.array))
            return out
        x = self
        for bound in (min, max):
            if bound is not None and result_type(x.array, bound) != x.array.dtype:
                x = x.astype(result_type(x.array, bound))
        low, high = (None if v is None else np.asarray(v).astype(x.array.dtype) for v in (min, max))
        return ops.Clip.apply(x, low=low, high=high)

    clip = clamp

    def maximum(self, other: Any) -> Tensor:
        return ops.Maximum.apply(*self._pair(other))

    def minimum(self, other: Any) -> Tensor:
        return ops.Maximum.apply(*self._pair(other), largest=False)

    def _softmax(self, op: type, name: str, dim: Any, axis: Any, dtype: Any) -> Tensor:
        x = self if dtype is None else self.astype(dtype)
        d = checks.dim(_dim_arg(dim if axis is None else None, axis), x.array.ndim)
        if x.array.dtype.kind != "f":
            kernel = "lastdim_kernel_impl" if d == x.array.ndim - 1 or x.array.ndim == 0 else "kernel_impl"
            raise checks.not_implemented_for(f"{name}_{kernel}", x.array.dtype)
        if x.array.ndim == 0:
            return op.apply(x.reshape(1), axis=0).reshape(())
        return op.apply(x, axis=d)

    def softmax(self, dim: int = -1, dtype: Any = None, *, axis: int | None = None) -> Tensor:
        return self._softmax(ops.Softmax, "softmax", dim, axis, dtype)

    def log_softmax(self, dim: int = -1, dtype: Any = None, *, axis: int | None = None) -> Tensor:
        return self._softmax(ops.LogSoftmax, "log_softmax", dim, axis, dtype)

    # ----- selecting by a mask (compositions of where: the gradient flows where the input is kept) -------
    def _keep_where(self, keep: np.ndarray, value: Tensor) -> Tensor:
        return ops.Where.apply(self, value.expand(self.shape), condition=keep)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """This tensor with `value` where the boolean `mask` (broadcast to this shape) is True."""
        mask_array = np.asarray(mask.array if isinstance(mask, Tensor) else mask)
        if mask_array.dtype != np.bool_:
            raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with dtype {mask_array.dtype}")
        try:
            fits = np.broadcast_shapes(mask_array.shape, self.shape) == self.shape
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(f"masked_fill: the mask of shape {mask_array.shape} does not broadcast to the input's "
                               f"shape {self.shape}")
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError("masked_fill only supports a 0-dimensional value tensor, but got tensor with "
                                   f"{value.ndim} dimension(s).")
            value = value.astype(self.array.dtype)
        else:
            dtype = self.array.dtype
            limits = np.iinfo(dtype) if dtype.kind in "iu" else None
            if isinstance(value, float) and limits is not None and not limits.min <= value <= limits.max:
                raise RuntimeError(f"value cannot be converted to type {dtype.name}_t without overflow")
            value = Tensor._make(np.array(value).astype(dtype), False)  # an int wraps, as PyTorch's casts
        return name_node(self._keep_where(~mask_array, value), "MaskedFillBackward0")

    def _triangle(self, name: str, keep: np.ndarray) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions, got shape {self.shape}")
        return self._keep_where(keep, Tensor._make(np.zeros((), dtype=self.array.dtype), False))

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (column - row <= diagonal); the rest 0."""
        rows, cols = self.shape[-2:] if self.ndim >= 2 else (0, 0)
        return name_node(self._triangle("tril", np.tri(rows, cols, diagonal, dtype=bool)), "TrilBackward0")

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (column - row >= diagonal); the rest 0."""
        rows, cols = self.shape[-2:] if self.ndim >= 2 else (0, 0)
        return name_node(self._triangle("triu", ~np.tri(rows, cols, diagonal - 1, dtype=bool)), "TriuBackward0")


    # ----- movement ---------------------------------------------------------------------------
    def reshape(self, *shape: Any, **kwargs: Any) -> Tensor:
        target = _shape_arg(shape or (kwargs.pop("shape", ()),))
        if kwargs:
            raise TypeError(f"reshape() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if target != self.array.shape and (-1 in target or math.prod(target) != self.array.size):
            if sum(n == -1 for n in target) > 1:
                raise RuntimeError("only one dimension can be inferred")
            known = math.prod(n for n in target if n != -1)
            if any(n < -1 for n in target) or (known != self.array.size if -1 not in target else
                                               known == 0 or self.array.size % known):
                raise RuntimeError(f"shape '{list(target)}' is invalid for input of size {self.array.size}")
        return ops.Reshape.apply(self, shape=target)

    def view(self, *shape: Any, size: Any = None, dtype: Any = None) -> Tensor:
        """reshape, as PyTorch's view (here a copy is never needed to say so: NumPy decides); view(dtype)
        reinterprets the bytes, as PyTorch does."""
        if dtype is not None or size is not None:
            shape = (dtype,) if dtype is not None else (size,)
        if len(shape) == 1 and not isinstance(shape[0], Sequence | np.ndarray | int | np.integer):
            return self._view_dtype(to_numpy_dtype(shape[0]))
        return self.reshape(*shape)

    def _view_dtype(self, target: np.dtype) -> Tensor:
        if target == self.array.dtype:
            return self
        old, new = self.array.dtype.itemsize, target.itemsize
        names = checks.scalar_type_name(self.array.dtype), checks.scalar_type_name(target)
        if old != new:
            if self.array.ndim == 0:
                raise RuntimeError(f"self.dim() cannot be 0 to view {names[0]} as {names[1]} (different element "
                                   "sizes)")
            if new > old and self.array.shape[-1] % (new // old):
                raise RuntimeError(f"self.size(-1) must be divisible by {new // old} to view {names[0]} as "
                                   f"{names[1]} (different element sizes), but got {self.array.shape[-1]}")
            if self.array.strides[-1] != old:
                raise RuntimeError(f"self.stride(-1) must be 1 to view {names[0]} as {names[1]} (different element "
                                   "sizes), but got a non-contiguous tensor")
        array = self.array if self.array.ndim else self.array.reshape(1)
        out = array.view(target)
        return Tensor._make(out if self.array.ndim else out.reshape(()), False)

    def view_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def contiguous(self) -> Tensor:
        return self

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims start_dim..end_dim into one (PyTorch's flatten)."""
        shape = self.array.shape
        start, end = checks.dim(start_dim, len(shape)), checks.dim(end_dim, len(shape))
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if not shape:
            return self.reshape(1)
        merged = math.prod(shape[start:end + 1])
        return ops.Reshape.apply(self, shape=shape[:start] + (merged,) + shape[end + 1:])

    def transpose(self, *dims: Any, dim0: int | None = None, dim1: int | None = None) -> Tensor:
        """PyTorch's transpose(dim0, dim1) swaps two dims; with no or all dims it permutes as NumPy's."""
        if dim0 is not None or dim1 is not None:
            dims = (dim0, dim1)
        if len(dims) == 2 and all(isinstance(d, int | np.integer) for d in dims):
            d0, d1 = checks.dim(dims[0], self.ndim), checks.dim(dims[1], self.ndim)
            if self.ndim == 0:
                return self
            order = list(range(self.ndim))
            order[d0], order[d1] = order[d1], order[d0]
            return name_node(ops.Permute.apply(self, order=tuple(order)), "TransposeBackward0")
        order = _shape_arg(dims) if dims else tuple(reversed(range(self.ndim)))
        return ops.Permute.apply(self, order=order)

    def t(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return name_node(self.transpose(), "TBackward0")

    def permute(self, *dims: Any, **kwargs: Any) -> Tensor:
        order = tuple(checks.dim(d, self.ndim) for d in _shape_arg(dims or (kwargs.pop("dims", ()),)))
        if len(order) != self.ndim:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not match the "
                               f"length of the desired ordering of dimensions i.e. input.dim() = {self.ndim} is not "
                               f"equal to len(dims) = {len(order)}")
        if len(set(order)) != len(order):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return ops.Permute.apply(self, order=order) if self.ndim else self

    def squeeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        """Remove dims of size 1 (all, or those in `dim`; a named dim whose size is not 1 is kept, as in PyTorch)."""
        d = _dim_arg(dim, axis)
        if d is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            drop = set(checks.dims(d, self.ndim) or ())
            shape = tuple(n for i, n in enumerate(self.array.shape) if not (i in drop and n == 1))
        kind = 0 if d is None else 1 if isinstance(d, int | np.integer) else 2  # squeeze(), squeeze(dim), (dims)
        return name_node(self.reshape(shape), f"SqueezeBackward{kind}")

    def unsqueeze(self, dim: int | None = None, *, axis: int | None = None) -> Tensor:
        d = _dim_arg(dim, axis)
        if d is None:
            raise TypeError("unsqueeze() missing 1 required positional arguments: \"dim\"")
        d = checks.dim(d, self.ndim + 1)
        return name_node(self.reshape(self.array.shape[:d] + (1,) + self.array.shape[d:]), "UnsqueezeBackward0")

    def expand(self, *shape: Any, size: Any = None) -> Tensor:
        """Broadcast to `shape` (-1 keeps a dimension), as torch.Tensor.expand."""
        target = _shape_arg(shape or (size,))
        offset = len(target) - self.ndim
        if offset < 0:
            raise RuntimeError(f"expand({self.type()}{{{list(self.array.shape)}}}, size={list(target)}): the number "
                               f"of sizes provided ({len(target)}) must be greater or equal to the number of "
                               f"dimensions in the tensor ({self.ndim})")
        target = tuple(self.array.shape[i - offset] if n == -1 and i >= offset else n for i, n in enumerate(target))
        for i, n in enumerate(target):
            size = self.array.shape[i - offset] if i >= offset else 1
            if n < 0 or size != 1 and size != n:
                raise RuntimeError(f"The expanded size of the tensor ({n}) must match the existing size ({size}) at "
                                   f"non-singleton dimension {i}.  Target sizes: {list(target)}.  Tensor sizes: "
                                   f"{list(self.array.shape)}")
        return ops.Expand.apply(self, shape=target)

    def repeat(self, *sizes: Any) -> Tensor:
        """Tile the tensor `sizes[i]` times along each dim (PyTorch's repeat, NumPy's tile)."""
        reps = _shape_arg(sizes)
        if len(reps) < self.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions "
                               "of tensor")
        x = self.reshape((1,) * (len(reps) - self.ndim) + self.shape)
        # tile = broadcast each dim n to (r, n), then merge: expand and reshape carry the gradient
        expanded = x.reshape(tuple(v for n in x.shape for v in (1, n)))
        expanded = expanded.expand(tuple(v for r, n in zip(reps, x.shape, strict=True) for v in (r, n)))
        return name_node(expanded.reshape(tuple(r * n for r, n in zip(reps, x.shape, strict=True))), "RepeatBackward0")

    def pad(self, pad_width: Any, value: float = 0.0) -> Tensor:
        """Constant padding with NumPy's pad_width convention."""
        return ops.Pad.apply(self, pad_width=pad_width, value=value)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.GetItem.apply(self, index=_plain_index(index))

    def __setitem__(self, index: Any, value: Any) -> None:
        """t[index] = value, in place (the rules of the in-place ops apply)."""
        if isinstance(index, Tensor) and index.array.dtype == np.uint8 and not isinstance(value, Tensor):
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        index = _plain_index(index)
        if grad_mode.recording and (self.requires_grad or isinstance(value, Tensor) and value.requires_grad):
            self._inplace("__setitem__", lambda old, new: ops.SetItem.apply(old, old._lift(new), index=index), value)
            return
        if not self.array.flags.writeable:
            raise RuntimeError("__setitem__: this tensor's memory is read-only (an expand() or broadcast view?); "
                               "modify a .clone()")
        try:
            self.array[index] = value.array if isinstance(value, Tensor) else value
        except (ValueError, IndexError) as e:
            raise checks.translate("__setitem__", [self.array.shape], e) from e
        self._version += 1

    # ----- sequence ops: split and join by pieces, gather/scatter along a dim, sort, cumsum, einsum ---------
    def _wrap_dim(self, dim: int) -> int:
        """`dim` in [0, ndim) (a 0-d tensor has dims -1 and 0), with PyTorch's IndexError otherwise."""
        n = builtins.max(self.ndim, 1)
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
        return dim % n

    def split(self, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces of `split_size` along `dim` (the last may be smaller), or pieces of the listed sizes."""
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        dim = self._wrap_dim(dim)
        length = self.shape[dim]
        if isinstance(split_size, int | np.integer):
            size = int(split_size)
            if size < 0:
                raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
            if size == 0 and length != 0:
                raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension size of "
                                   f"{length}")
            count = builtins.max(-(-length // size), 1) if size else 1
            sizes = [builtins.min(size, length - i * size) for i in range(count)]
        else:
            sizes = [int(n) for n in split_size]
            if builtins.any(n < 0 for n in sizes):
                raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                                   f"split_sizes={sizes}")
            if builtins.sum(sizes) != length:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
                                   f"size at dimension {dim}), but got split_sizes={sizes}")
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        lead = (slice(None),) * dim
        op = ops.SplitPiece if isinstance(split_size, int | np.integer) else ops.SplitWithSizesPiece
        return tuple(op.apply(self, index=lead + (slice(int(a), int(b)),))
                     for a, b in zip(starts[:-1], starts[1:], strict=True))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most `chunks` pieces of equal size along `dim` (the last may be smaller), as torch.chunk."""
        if self.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        length = self.shape[self._wrap_dim(dim)]
        if length == 0:
            return self.split([0] * chunks, dim)
        return self.split(-(-length // chunks), dim)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along `dim`, that dim removed."""
        if self.ndim == 0:
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        dim = self._wrap_dim(dim)
        return tuple(ops.UnbindPiece.apply(self, index=(slice(None),) * dim + (i,)) for i in range(self.shape[dim]))

    def _index_arg(self, name: str, index: Any) -> np.ndarray:
        array = np.asarray(index.array if isinstance(index, Tensor) else index)
        if array.dtype not in (np.int32, np.int64):
            raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
        return array.astype(np.int64, copy=False)

    def _along_dim_check(self, name: str, dim: int, index: np.ndarray, src_shape: tuple[int, ...] | None) -> int:
        """PyTorch's checks of gather/scatter: same rank, index no larger than input (and src) off `dim`, in range."""
        dim = self._wrap_dim(dim)
        if index.ndim != builtins.max(self.ndim, 1) and not (self.ndim == 0 and index.ndim <= 1):
            raise RuntimeError("Index tensor must have the same number of dimensions as "
                               f"{'input' if name == 'gather' else 'self'} tensor")
        if self.ndim and index.size:
            for d, (i, n) in enumerate(zip(index.shape, self.shape, strict=True)):
                if d != dim and i > n:
                    raise RuntimeError(f"Size does not match at dimension {d} expected index {list(index.shape)} to "
                                       f"be no larger than self {list(self.shape)} apart from dimension {dim}")
            if src_shape is not None and builtins.any(i > n for i, n in zip(index.shape, src_shape, strict=False)):
                raise RuntimeError(f"Expected index {list(index.shape)} to be no larger than src {list(src_shape)} "
                                   f"apart from dimension {dim}")
        size = self.shape[dim] if self.ndim else 1
        if index.size and (index.min() < 0 or index.max() >= size):
            bad = index[(index < 0) | (index >= size)].flat[0]
            raise RuntimeError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
        return dim

    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """out[i][j] = self[index[i][j]][j] for dim 0, and so on; the output has index's shape."""
        index_array = self._index_arg("gather", index)
        dim = self._along_dim_check("gather", dim, index_array, None)
        return ops.Gather.apply(self, dim=dim, index=index_array)

    def _scatter(self, name: str, dim: int, index: Any, src: Any, add: bool) -> Tensor:
        index_array = self._index_arg(name.rstrip("_"), index)
        if isinstance(src, Tensor):
            if src.array.dtype != self.array.dtype:
                raise RuntimeError(f"{name.rstrip('_')}(): Expected self.dtype to be equal to src.dtype")
            dim = self._along_dim_check(name, dim, index_array, src.shape)
            op = ops.ScatterAdd if add else ops.ScatterSrc
        else:
            if add:
                raise TypeError("scatter_add(): argument 'src' must be Tensor, not " + type(src).__name__)
            dim = self._along_dim_check(name, dim, index_array, None)
            src, op = np.asarray(src, dtype=self.array.dtype), ops.ScatterValue
        return op.apply(self, src, dim=dim, index=index_array, add=add)

    def scatter(self, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Tensor:
        """A copy with self[index[i][j]][j] = src[i][j] for dim 0 (src a tensor, or one `value` for all)."""
        if reduce is not None:
            raise NotImplementedError("scatter(reduce=...) is not supported here; use scatter_add or scatter_reduce "
                                      "in PyTorch's newer API")
        if (src is None) == (value is None):
            raise TypeError("scatter() needs exactly one of src and value")
        return self._scatter("scatter", dim, index, value if src is None else src, add=False)

    def scatter_add(self, dim: int, index: Any, src: Tensor) -> Tensor:
        """A copy with src[i][j] added into self[index[i][j]][j] for dim 0 (repeated indices add up)."""
        return self._scatter("scatter_add", dim, index, src, add=True)

    def scatter_(self, dim: int, index: Any, src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> Tensor:
        return self._inplace("scatter_", lambda x, *a: x.scatter(*a, value=value, reduce=reduce), dim, index, src)

    def scatter_add_(self, dim: int, index: Any, src: Tensor) -> Tensor:
        return self._inplace("scatter_add_", Tensor.scatter_add, dim, index, src)

    def index_select(self, dim: int, index: Any) -> Tensor:
        """The entries at the positions `index` (a vector) along `dim`."""
        array = np.asarray(index.array if isinstance(index, Tensor) else index)
        if array.dtype not in (np.int32, np.int64):
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        if array.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        dim = self._wrap_dim(dim)
        size = self.shape[dim] if self.ndim else 1
        if self.ndim == 0 and array.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {array.size} value(s)")
        if array.size and (array.min() < 0 or array.max() >= size):
            raise IndexError("index out of range in self")
        index_array = array.reshape(-1).astype(np.int64, copy=False)
        return ops.IndexSelect.apply(self, dim=dim, index=index_array if self.ndim else array.astype(np.int64))

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sums along `dim`; integer and bool inputs give int64, as in PyTorch."""
        x = self.astype(dtype) if dtype is not None else self if self.array.dtype.kind == "f" else self.astype(np.int64)
        if x.array.dtype.kind != "f" and self.requires_grad and grad_mode.is_grad_enabled():
            raise RuntimeError(f"Autograd not support dtype: {_scalar_type_name(x.array.dtype)}")
        return ops.Cumsum.apply(x, axis=self._wrap_dim(dim))

    def _sorted_order(self, dim: int, descending: bool) -> np.ndarray:
        """int64 indices that sort along `dim`, stable, NaN counted largest (as PyTorch does)."""
        if self.ndim == 0:
            return np.zeros((), np.int64)
        if not descending:
            return np.argsort(self.array, axis=dim, kind="stable").astype(np.int64)
        flipped = np.argsort(np.flip(self.array, dim), axis=dim, kind="stable")
        return (self.shape[dim] - 1 - np.flip(flipped, dim)).astype(np.int64)

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> SortResult:
        """(values, indices) sorted along `dim`; ties keep their order (always stable here)."""
        dim = self._wrap_dim(dim)
        order = self._sorted_order(dim, descending)
        values = ops.SortValues.apply(self, dim=dim, index=order)
        return SortResult(values, Tensor._make(order, False))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        return Tensor._make(self._sorted_order(self._wrap_dim(dim), descending), False)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> TopkResult:  # noqa: A002
        """The k largest (or smallest) entries along `dim` and their indices, largest first."""
        if self.array.dtype == np.bool_:
            raise RuntimeError("topk does not support bool dtypes on CPU")
        dim = self._wrap_dim(dim)
        size = self.shape[dim] if self.ndim else 1
        if not 0 <= k <= size:
            raise RuntimeError("selected index k out of range")
        order = self._sorted_order(dim, largest)
        order = order[(slice(None),) * dim + (slice(0, k),)] if self.ndim else order
        return TopkResult(ops.TopkValues.apply(self, dim=dim, index=order), Tensor._make(order, False))

    def flip(self, *dims: Any, **kwargs: Any) -> Tensor:
        """The entries in reverse order along each of `dims` (also given as `dims=`)."""
        if "dims" in kwargs:
            dims = (kwargs.pop("dims"),)
        if kwargs:
            raise TypeError(f"flip() got an unexpected keyword argument '{next(iter(kwargs))}'")
        wanted = [self._wrap_dim(d) for d in _shape_arg(dims)]
        if len(set(wanted)) != len(wanted):
            raise RuntimeError(f"dim {wanted[0]} appears multiple times in the list of dims")
        return ops.Flip.apply(self, dims=tuple(wanted) if self.ndim else ())

    def roll(self, shifts: Any, dims: Any = None) -> Tensor:
        """Shift the entries along `dims`, wrapping around (of the flattened tensor when dims is None)."""
        shift_list = [int(s) for s in (shifts if isinstance(shifts, Sequence) else (shifts,))]
        if dims is None:
            if len(shift_list) != 1:
                raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_list)}, dims:0")
            return ops.Roll.apply(self, shifts=tuple(shift_list), dims=None) if self.ndim else self.clone()
        dim_list = [self._wrap_dim(int(d)) for d in (dims if isinstance(dims, Sequence) else (dims,))]
        if len(shift_list) != len(dim_list):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_list)}, dims:{len(dim_list)}")
        if self.ndim == 0:
            return self.clone()
        return ops.Roll.apply(self, shifts=tuple(shift_list), dims=tuple(dim_list))

    def bmm(self, mat2: Tensor) -> Tensor:
        """(b, n, m) @ (b, m, p) -> (b, n, p), both 3-D with the same batch, as torch.bmm (no broadcasting)."""
        if self.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if mat2.shape[:2] != (self.shape[0], self.shape[2]):
            raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{self.shape[0]}, {self.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
        if mat2.array.dtype != self.array.dtype:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {self.dtype} != {mat2.dtype}")
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for("bmm", self.array.dtype)
        return ops.Bmm.apply(self, mat2)

    log1p = _float_op(ops.Log1p)
    log2 = _float_op(ops.Log2)
    log10 = _float_op(ops.Log10)

    def histc(self, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
        """Counts in `bins` equal bins over [min, max] (the data's range when both are 0); outside values skipped."""
        if self.array.dtype.kind != "f":
            raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_scalar_type_name(self.array.dtype)}'")
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        low, high = float(min), float(max)
        if low > high:
            raise RuntimeError("torch.histc: max must be larger than min")
        if low == high and self.array.size:
            low, high = float(self.array.min()), float(self.array.max())
        if low == high:
            low, high = low - 1, high + 1
        counts, _ = np.histogram(self.array, bins=bins, range=(low, high))
        return Tensor._make(counts.astype(self.array.dtype), False)

    def histogram(self, bins: Any = 100, *, range: Sequence[float] | None = None,  # noqa: A002
                  weight: Tensor | None = None, density: bool = False) -> HistogramResult:
        """(hist, bin_edges): `bins` equal bins over `range` (default the data's), or the given edges."""
        if self.array.dtype.kind != "f":
            raise NotImplementedError(f"\"histogramdd\" not implemented for '{_scalar_type_name(self.array.dtype)}'")
        edges = bins.array if isinstance(bins, Tensor) else bins
        if isinstance(edges, int | np.integer) and edges <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {edges} for dimension 0")
        data_range = None if range is None else (float(range[0]), float(range[1]))
        if data_range is not None and data_range[0] > data_range[1]:
            raise RuntimeError(f"torch.histogramdd: min should not exceed max, but got min {data_range[0]:g} max "
                               f"{data_range[1]:g} for dimension 0")
        if data_range is None and isinstance(edges, int | np.integer) and self.array.size:
            low, high = float(self.array.min()), float(self.array.max())
            data_range = (low, high) if low != high else (low - 0.5, high + 0.5)
        with np.errstate(invalid="ignore"):  # density of no data: NaN, silently as in PyTorch
            hist, bin_edges = np.histogram(self.array, bins=edges, range=data_range,
                                           weights=None if weight is None else np.asarray(weight.array),
                                           density=density)
        dtype = self.array.dtype
        return HistogramResult(Tensor._make(hist.astype(dtype), False), Tensor._make(bin_edges.astype(dtype), False))

    # ----- more elementwise math (float functions compute integer inputs in the default dtype) ---------
    tan = _float_op(ops.Tan)
    sinh = _float_op(ops.Sinh)
    cosh = _float_op(ops.Cosh)
    asin = arcsin = _float_op(ops.Asin)
    acos = arccos = _float_op(ops.Acos)
    atan = arctan = _float_op(ops.Atan)
    asinh = arcsinh = _float_op(ops.Asinh)
    acosh = arccosh = _float_op(ops.Acosh)
    atanh = arctanh = _float_op(ops.Atanh)
    erf = _float_op(ops.Erf)
    erfc = _float_op(ops.Erfc)
    erfinv = _float_op(ops.Erfinv)
    expm1 = _float_op(ops.Expm1)
    exp2 = _float_op(ops.Exp2)
    rsqrt = _float_op(ops.Rsqrt)
    reciprocal = _float_op(ops.Reciprocal)
    sinc = _float_op(ops.Sinc)
    lgamma = _float_op(ops.Lgamma)
    i0 = _float_op(ops.I0)

    def digamma(self) -> Tensor:
        return name_node(ops.Polygamma.apply(self._floating(), n=0), "DigammaBackward0")

    def polygamma(self, n: int) -> Tensor:
        """The n-th derivative of digamma."""
        if n < 0:
            raise RuntimeError("polygamma(n, x) does not support negative n.")
        return ops.Polygamma.apply(self._floating(), n=builtins.int(n))

    def logit(self, eps: float | None = None) -> Tensor:
        """log(p / (1 - p)); with eps, p is first clamped to [eps, 1 - eps]."""
        return ops.Logit.apply(self._floating(), eps=eps)

    def deg2rad(self) -> Tensor:
        return name_node(self._floating() * (math.pi / 180), "Deg2RadBackward0")

    def rad2deg(self) -> Tensor:
        return name_node(self._floating() * (180 / math.pi), "Rad2DegBackward0")

    def square(self) -> Tensor:
        return self ** 2

    def frac(self) -> Tensor:
        if self.array.dtype.kind != "f":
            raise checks.not_implemented_for("frac_cpu", self.array.dtype)
        return ops.Frac.apply(self)

    def _step(self, op: type[engine.Op], kernel: str) -> Tensor:
        """ceil, floor, round, trunc: integers are already whole (a copy), bool is refused."""
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for(kernel, self.array.dtype)
        return op.apply(self) if self.array.dtype.kind == "f" else Tensor._make(self.array.copy(), False)

    def ceil(self) -> Tensor:
        return self._step(ops.Ceil, "ceil_vml_cpu")

    def floor(self) -> Tensor:
        return self._step(ops.Floor, "floor_vml_cpu")

    def trunc(self) -> Tensor:
        return self._step(ops.Trunc, "trunc_vml_cpu")

    fix = trunc

    def round(self, *, decimals: int | None = None) -> Tensor:
        """Half to even, as PyTorch; `decimals` digits after the point (given, floats only)."""
        if decimals is None:
            return self._step(ops.Round, "round_vml_cpu")
        if self.array.dtype.kind != "f":
            raise checks.not_implemented_for("round_vml_cpu" if decimals == 0 else "round_cpu", self.array.dtype)
        return name_node(ops.Round.apply(self, decimals=decimals), "RoundBackward1")

    def sign(self) -> Tensor:
        """-1, 0 or 1 (0 for NaN, as PyTorch); bool stays bool."""
        if self.array.dtype == np.bool_:
            return Tensor._make(self.array.copy(), False)
        return ops.Sign.apply(self) if self.array.dtype.kind == "f" else Tensor._make(np.sign(self.array), False)

    def sgn(self) -> Tensor:
        return name_node(self.sign(), "SgnBackward0")

    def signbit(self) -> Tensor:
        return Tensor._make(np.signbit(self.array) if self.array.dtype.kind == "f" else self.array < 0, False)

    def nan_to_num(self, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        """NaN, +inf and -inf replaced (by 0 and the dtype's largest and smallest values unless given)."""
        if self.array.dtype.kind != "f":
            return Tensor._make(self.array.copy(), False)
        filled = np.nan_to_num(self.array, nan=nan, posinf=posinf, neginf=neginf)
        kept = ops.Where.apply(self, Tensor._make(filled, False), condition=np.isfinite(self.array))
        return name_node(kept, "NanToNumBackward0")

    def isinf(self) -> Tensor:
        return Tensor._make((self.array == np.inf) | (self.array == -np.inf), False)

    def isposinf(self) -> Tensor:
        return Tensor._make(np.asarray(self.array == np.inf), False)

    def isneginf(self) -> Tensor:
        return Tensor._make(np.asarray(self.array == -np.inf), False)

    def isreal(self) -> Tensor:
        return Tensor._make(np.ones(self.array.shape, bool), False)

    def _tensor_arg(self, op: str, value: Any, name: str = "other", position: int = 2) -> Tensor:
        """An argument PyTorch takes only as a Tensor (TypeError for a number), broadcastable with this one."""
        if not isinstance(value, Tensor):
            raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not "
                            f"{type(value).__name__}")
        checks.broadcast_shapes(self.array.shape, value.array.shape)
        return value

    def _same_dtype_arg(self, op: str, value: Tensor, name: str) -> Tensor:
        if value.array.dtype != self.array.dtype:
            raise RuntimeError(f"{op}: expected dtype {self.dtype} for `{name}` but got dtype {value.dtype}")
        return value

    def atan2(self, other: Tensor) -> Tensor:
        return ops.Atan2.apply(*self._true_division_pair(self._tensor_arg("atan2", other)))

    arctan2 = atan2

    def _float_kernel_pair(self, other: Any, op: str) -> tuple[Tensor, Tensor]:
        """hypot, logaddexp: both operands promoted, floats only (as PyTorch's kernels)."""
        a, b = self._pair(self._tensor_arg(op, other))
        if a.array.dtype.kind != "f":
            raise checks.not_implemented_for(f"{op}_cpu", a.array.dtype)
        return a, b

    def hypot(self, other: Tensor) -> Tensor:
        return ops.Hypot.apply(*self._float_kernel_pair(other, "hypot"))

    def logaddexp(self, other: Tensor) -> Tensor:
        return ops.Logaddexp.apply(*self._float_kernel_pair(other, "logaddexp"))

    def logaddexp2(self, other: Tensor) -> Tensor:
        return ops.Logaddexp2.apply(*self._float_kernel_pair(other, "logaddexp2"))

    def xlogy(self, other: Any) -> Tensor:
        """self * log(other), 0 where self is 0 (unless other is NaN)."""
        out = ops.Xlogy.apply(*self._true_division_pair(other))
        return out if isinstance(other, Tensor) else name_node(out, "XlogyBackward2")

    def copysign(self, other: Any) -> Tensor:
        out = ops.Copysign.apply(*self._true_division_pair(other))
        return out if isinstance(other, Tensor) else name_node(out, "CopysignBackward1")

    def ldexp(self, other: Tensor) -> Tensor:
        """self * 2 ** other."""
        other = self._tensor_arg("ldexp", other)
        if self.array.dtype.kind == "f" and other.array.dtype == np.bool_:
            raise checks.not_implemented_for("ldexp_cpu_exp", other.array.dtype)  # as torch 2.13
        return name_node(self * other.exp2(), "LdexpBackward0")

    def _integer_pair(self, other: Any, op: str) -> tuple[np.ndarray, np.ndarray]:
        a, b = self._pair(self._tensor_arg(op, other))
        if a.array.dtype.kind not in "iu":
            raise checks.not_implemented_for(f"{op}_cpu", a.array.dtype)
        return a.array, b.array

    def gcd(self, other: Tensor) -> Tensor:
        return Tensor._make(np.asarray(np.gcd(*self._integer_pair(other, "gcd"))), False)

    def lcm(self, other: Tensor) -> Tensor:
        return Tensor._make(np.asarray(np.lcm(*self._integer_pair(other, "lcm"))), False)

    def _modulo(self, other: Any, op: type[engine.Op], kernel: str) -> Tensor:
        a, b = self._pair(other)
        if a.array.dtype == np.bool_:
            raise checks.not_implemented_for(kernel, a.array.dtype)
        if a.array.dtype.kind in "iu" and not np.all(b.array):
            raise RuntimeError("ZeroDivisionError")
        out = op.apply(a, b)
        return out if isinstance(other, Tensor) else name_node(out, op.node_name[:-1] + "0")  # type: ignore[attr-defined]

    def remainder(self, other: Any) -> Tensor:
        """The remainder of floor division: the sign of `other`, as Python's %."""
        return self._modulo(other, ops.Remainder, "remainder_cpu")

    def fmod(self, other: Any) -> Tensor:
        """The remainder of truncated division: the sign of self, as C's fmod."""
        return self._modulo(other, ops.Fmod, "fmod_cpu")

    def floor_divide(self, other: Any) -> Tensor:
        return self.div(other, rounding_mode="floor")

    def true_divide(self, other: Any) -> Tensor:
        return self / other

    __mod__, __floordiv__ = remainder, floor_divide

    def __rmod__(self, other: Any) -> Tensor:
        a, b = self._pair(other)
        return b.remainder(a)

    def __rfloordiv__(self, other: Any) -> Tensor:
        a, b = self._pair(other)
        return b.floor_divide(a)

    def heaviside(self, values: Tensor) -> Tensor:
        """0 where self < 0, 1 where self > 0, `values` where self is 0 (not differentiable, as in PyTorch)."""
        values = self._tensor_arg("heaviside", values, "values")
        if values.array.dtype != self.array.dtype:
            raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
        return Tensor._make(np.asarray(np.where(self.array == 0, values.array, self.array > 0), self.array.dtype),
                            False)

    def float_power(self, exponent: Any) -> Tensor:
        """self ** exponent computed in float64."""
        base = self.astype(np.float64)
        return base ** (exponent.astype(np.float64) if isinstance(exponent, Tensor) else builtins.float(exponent))

    def float_power_(self, exponent: Any) -> Tensor:
        if self.array.dtype != np.float64:
            raise RuntimeError(f"the base given to float_power_ has dtype {checks.scalar_type_name(self.array.dtype)} "
                               "but the operation's result requires dtype Double")
        return self._inplace("float_power_", Tensor.float_power, exponent)

    def lerp(self, end: Tensor, weight: Any) -> Tensor:
        """self + weight * (end - self); end (and a tensor weight) in self's dtype."""
        end = self._same_dtype_arg("lerp", self._tensor_arg("lerp", end, "end"), "end")
        if isinstance(weight, Tensor):
            self._same_dtype_arg("lerp", weight, "weight")
        if self.array.dtype.kind != "f":
            kind = "tensor" if isinstance(weight, Tensor) else "scalar"
            raise checks.not_implemented_for(f"lerp_kernel_{kind}", self.array.dtype)
        out = self + weight * (end - self)
        return name_node(out, "LerpBackward1" if isinstance(weight, Tensor) else "LerpBackward0")

    def _scaled(self, term: Tensor, value: Any) -> Tensor:
        """addcmul/addcdiv: self + value * term; a float value truncates on integers, as in PyTorch."""
        if value == 1:
            return self + term
        if result_type(self.array, term.array).kind in "biu" and isinstance(value, float):
            value = builtins.int(value)
        return self + term * value

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        if self.array.dtype == tensor1.array.dtype == tensor2.array.dtype == np.bool_:
            raise checks.not_implemented_for("addcmul_cpu_out", self.array.dtype)
        return name_node(self._scaled(tensor1 * tensor2, value), "AddcmulBackward0")

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        if tensor1.array.dtype.kind in "biu" and tensor2.array.dtype.kind in "biu":
            raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv "
                               "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior "
                               "can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                               "for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The "
                               "future addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                               "tensor2), for all dtypes.")
        return name_node(self._scaled(tensor1 / tensor2, value), "AddcdivBackward0")

    def clamp_min(self, min: Any) -> Tensor:  # noqa: A002
        return name_node(self.clamp(min=min), f"ClampMinBackward{builtins.int(isinstance(min, Tensor))}")

    def clamp_max(self, max: Any) -> Tensor:  # noqa: A002
        return name_node(self.clamp(max=max), f"ClampMaxBackward{builtins.int(isinstance(max, Tensor))}")

    def _fmax(self, other: Tensor, name: str, largest: bool) -> Tensor:
        """fmax/fmin: the larger (smaller) value, the number where one side is NaN; ties give self the gradient."""
        a, b = self._pair(self._tensor_arg(name, other))
        keep = (a.array >= b.array if largest else a.array <= b.array) | np.isnan(b.array)
        return name_node(ops.Where.apply(a, b, condition=keep), f"{name.capitalize()}Backward0")

    def fmax(self, other: Tensor) -> Tensor:
        return self._fmax(other, "fmax", largest=True)

    def fmin(self, other: Tensor) -> Tensor:
        return self._fmax(other, "fmin", largest=False)

    def isclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Tensor:
        """|self - other| <= atol + rtol * |other|, elementwise; both of one dtype."""
        other = self._tensor_arg("isclose", other)
        if other.array.dtype != self.array.dtype:
            raise RuntimeError(f"{checks.scalar_type_name(self.array.dtype)} did not match "
                               f"{checks.scalar_type_name(other.array.dtype)}")
        if self.array.dtype == np.bool_:
            return self.eq(other)
        return Tensor._make(np.asarray(np.isclose(self.array, other.array, rtol, atol, equal_nan)), False)

    def _logical(self, other: Tensor, name: str, function: np.ufunc) -> Tensor:
        return Tensor._make(np.asarray(function(self.array, self._tensor_arg(name, other).array)), False)

    def logical_and(self, other: Tensor) -> Tensor:
        return self._logical(other, "logical_and", np.logical_and)

    def logical_or(self, other: Tensor) -> Tensor:
        return self._logical(other, "logical_or", np.logical_or)

    def logical_xor(self, other: Tensor) -> Tensor:
        return self._logical(other, "logical_xor", np.logical_xor)

    def logical_not(self) -> Tensor:
        return Tensor._make(np.logical_not(self.array), False)

    def __xor__(self, other: Any) -> Tensor:
        return self._bitwise(other, "bitwise_xor_cpu", np.bitwise_xor)

    def __lshift__(self, other: Any) -> Tensor:
        return self._bitwise(other, "lshift_cpu", _shift_left, bools=False)

    def __rshift__(self, other: Any) -> Tensor:
        return self._bitwise(other, "rshift_cpu", _shift_right, bools=False)

    def __rlshift__(self, other: Any) -> Tensor:
        a, b = self._pair(other)
        return b << a

    def __rrshift__(self, other: Any) -> Tensor:
        a, b = self._pair(other)
        return b >> a

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__
    bitwise_and, bitwise_or, bitwise_xor = __and__, __or__, __xor__
    bitwise_left_shift, bitwise_right_shift = __lshift__, __rshift__

    def bitwise_not(self) -> Tensor:
        if self.array.dtype.kind not in "biu":
            raise checks.not_implemented_for("bitwise_not_cpu", self.array.dtype)
        return ~self

    multiply, subtract, divide, negative, absolute, positive = mul, sub, div, neg, abs, __pos__
    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    # the in-place forms (Tensor._inplace: the result in this tensor's dtype, PyTorch's refusals)
    exp_, log_, sqrt_, sin_, cos_, tan_ = _in_place(exp), _in_place(log), _in_place(sqrt), _in_place(sin), \
        _in_place(cos), _in_place(tan)
    sinh_, cosh_, tanh_, sigmoid_, relu_ = _in_place(sinh), _in_place(cosh), _in_place(tanh), _in_place(sigmoid), \
        _in_place(relu)
    asin_, acos_, atan_, asinh_, acosh_, atanh_ = _in_place(asin), _in_place(acos), _in_place(atan), \
        _in_place(asinh), _in_place(acosh), _in_place(atanh)
    arcsin_, arccos_, arctan_ = _in_place(asin, "arcsin_"), _in_place(acos, "arccos_"), _in_place(atan, "arctan_")
    arcsinh_, arccosh_ = _in_place(asinh, "arcsinh_"), _in_place(acosh, "arccosh_")
    arctanh_ = _in_place(atanh, "arctanh_")
    lgamma_, digamma_, polygamma_, i0_ = _in_place(lgamma), _in_place(digamma), _in_place(polygamma), _in_place(i0)
    ldexp_, gcd_, lcm_ = _in_place(ldexp), _in_place(gcd), _in_place(lcm)
    erf_, erfc_, erfinv_, expm1_, exp2_ = _in_place(erf), _in_place(erfc), _in_place(erfinv), _in_place(expm1), \
        _in_place(exp2)
    log1p_, log2_, log10_, rsqrt_, reciprocal_ = _in_place(log1p), _in_place(log2), _in_place(log10), \
        _in_place(rsqrt), _in_place(reciprocal)
    sinc_, logit_, deg2rad_, rad2deg_, square_ = _in_place(sinc), _in_place(logit), _in_place(deg2rad), \
        _in_place(rad2deg), _in_place(square)
    frac_, ceil_, floor_, trunc_, round_ = _in_place(frac), _in_place(ceil), _in_place(floor), _in_place(trunc), \
        _in_place(round)
    fix_, sign_, sgn_, nan_to_num_ = _in_place(trunc, "fix_"), _in_place(sign), _in_place(sgn), _in_place(nan_to_num)
    neg_, negative_, abs_, absolute_ = _in_place(neg), _in_place(neg, "negative_"), _in_place(abs), \
        _in_place(abs, "absolute_")
    atan2_, arctan2_, hypot_, xlogy_ = _in_place(atan2), _in_place(atan2, "arctan2_"), _in_place(hypot), \
        _in_place(xlogy)
    copysign_, remainder_, fmod_, heaviside_ = _in_place(copysign), _in_place(remainder), _in_place(fmod), \
        _in_place(heaviside)
    floor_divide_, true_divide_ = _in_place(floor_divide), _in_place(true_divide)
    multiply_, subtract_, divide_ = _in_place(mul, "multiply_"), _in_place(sub, "subtract_"), \
        _in_place(div, "divide_")
    lerp_, addcmul_, addcdiv_ = _in_place(lerp), _in_place(addcmul), _in_place(addcdiv)
    clip_, clamp_min_, clamp_max_ = _in_place(clamp, "clip_"), _in_place(clamp_min), _in_place(clamp_max)
    eq_, ne_, lt_, le_, gt_, ge_ = _in_place(eq, "eq_"), _in_place(ne, "ne_"), _in_place(lt, "lt_"), \
        _in_place(le, "le_"), _in_place(gt, "gt_"), _in_place(ge, "ge_")
    greater_, greater_equal_, less_ = _in_place(gt, "greater_"), _in_place(ge, "greater_equal_"), \
        _in_place(lt, "less_")
    less_equal_, not_equal_ = _in_place(le, "less_equal_"), _in_place(ne, "not_equal_")
    logical_and_, logical_or_, logical_xor_, logical_not_ = _in_place(logical_and), _in_place(logical_or), \
        _in_place(logical_xor), _in_place(logical_not)
    bitwise_and_, bitwise_or_, bitwise_xor_ = _in_place(__and__, "bitwise_and_"), \
        _in_place(__or__, "bitwise_or_"), _in_place(__xor__, "bitwise_xor_")
    bitwise_not_ = _in_place(bitwise_not)
    bitwise_left_shift_ = _in_place(__lshift__, "bitwise_left_shift_")
    bitwise_right_shift_ = _in_place(__rshift__, "bitwise_right_shift_")
    __iand__, __ior__, __ixor__ = _in_place(__and__, "&="), _in_place(__or__, "|="), _in_place(__xor__, "^=")
    __ilshift__, __irshift__ = _in_place(__lshift__, "<<="), _in_place(__rshift__, ">>=")
    __imod__, __ifloordiv__, __ipow__ = _in_place(remainder, "%="), _in_place(floor_divide, "//="), \
        _in_place(__pow__, "**=")

    # ----- in place (PyTorch's rules: see _inplace) ---------------------------------------------
    def _inplace(self, name: str, compute: Callable[..., Tensor], *others: Any, **options: Any) -> Tensor:
        """Make `self` hold compute(self, *others, **options), as PyTorch's in-place ops do.

        Outside the graph (no_grad, or nothing requires grad) the result is written into
        the same memory. When grad is being recorded, a leaf that requires grad refuses;
        any other tensor becomes the output of the recorded op (its old value stays in the
        graph as a separate node). Either way `_version` goes up, so backward refuses any
        op that had used the old value.
        """
        recording = grad_mode.recording and (self.requires_grad or any(
            isinstance(o, Tensor) and o.requires_grad for o in (*others, *options.values())))
        if recording and self.requires_grad and self._ctx is None:
            raise RuntimeError(
                f"{name}: a leaf Tensor that requires grad (shape {self.shape}) cannot be modified in place "
                "while gradients are recorded. Wrap the update in `with torch.no_grad():`."
            )
        if recording:
            old = Tensor._make(self.array, self.requires_grad)
            old._ctx, old._version, old._backward_hooks = self._ctx, self._version, self._backward_hooks
            old._before = self._before
            self._backward_hooks = None  # hooks registered before an in-place change see the old value's gradient
            if self._ctx is not None and self._ctx.function.saves_output:  # backward would read the old value
                self._ctx.output_version = self._version + 1
            out = self._same_dtype(name, compute(old, *others, **options))
            checks.fits_in_place(self.array.shape, out.array.shape)
            self.array, self._ctx, self.requires_grad = out.array, out._ctx, out.requires_grad
            self._version, self._before = self._version + 1, old
            if self._ctx is not None:
                self._ctx.output_version = self._version
            return self
        with no_grad():
            out = self._same_dtype(name, compute(self, *others, **options))
        checks.fits_in_place(self.array.shape, out.array.shape)
        if not self.array.flags.writeable:
            raise RuntimeError(f"{name}: this tensor's memory is read-only (an expand() or broadcast view?); "
                               "modify a .clone()")
        np.copyto(self.array, out.array)
        self._version += 1
        return self

    def _same_dtype(self, name: str, out: Tensor) -> Tensor:
        if out.array.dtype == self.array.dtype:
            return out
        if dtypes._CATEGORY[out.array.dtype.kind] > dtypes._CATEGORY[self.array.dtype.kind]:
            raise RuntimeError(f"{name}: result type {out.dtype} can't be cast to the desired output type "
                               f"{self.dtype}")
        return out.astype(self.array.dtype)

    add_, sub_, mul_, div_, pow_ = _in_place(add), _in_place(sub), _in_place(mul), _in_place(div), _in_place(pow)
    clamp_, masked_fill_, tril_, triu_ = _in_place(clamp), _in_place(masked_fill), _in_place(tril), _in_place(triu)
    __iadd__, __isub__ = _in_place(__add__, "+="), _in_place(__sub__, "-=")
    __imul__, __itruediv__ = _in_place(__mul__, "*="), _in_place(__truediv__, "/=")

    @staticmethod
    def _replaced(old: Tensor, new: Any) -> Tensor:
        """`new` (broadcast, in old's dtype) in place of old's values; old stays in the graph with gradient 0."""
        new = new if isinstance(new, Tensor) else Tensor._make(np.asarray(new), False)
        new = new.astype(old.array.dtype).expand(old.shape)
        return ops.Where.apply(old, new, condition=np.zeros((), dtype=bool))

    def copy_(self, src: Any) -> Tensor:
        """Copy src's values (broadcast to this shape, converted to this dtype) into this tensor."""
        return self._inplace("copy_", Tensor._replaced, src)

    def fill_(self, value: Any) -> Tensor:
        return self._inplace("fill_", lambda old: Tensor._replaced(old, np.asarray(value, old.array.dtype)))

    def zero_(self) -> Tensor:
        return self.fill_(0)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with N(mean, std²) samples: PyTorch's numbers for the same generator state (core/random.py)."""
        return self._inplace("normal_", lambda old: Tensor._replaced(
            old, _random.normal(old.shape, mean, std, old.array.dtype, generator)))

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with U(a, b) samples: PyTorch's numbers for the same generator state (core/random.py)."""
        return self._inplace("uniform_", lambda old: Tensor._replaced(
            old, _random.uniform(old.shape, a, b, old.array.dtype, generator)))


    def _fill(self, name: str, values: np.ndarray) -> Tensor:
        return self._inplace(name, lambda old: Tensor._replaced(old, values))

    def random_(self, *args: int, generator: Any = None, **kwargs: Any) -> Tensor:
        """Tensor.random_(): integers in [0, max of the dtype] ([0, 2**mantissa] for floats); random_(to) in
        [0, to); random_(from, to) in [from, to); random_(from, None) in [from, max]."""
        if len(args) > 2:
            raise TypeError(f"random_() takes at most 2 positional arguments ({len(args)} given)")
        bounds = dict(zip(("from", "to"), args, strict=True)) if len(args) == 2 else {"to": args[0]} if args else {}
        bounds.update(kwargs)
        if set(bounds) - {"from", "to"}:
            raise TypeError(f"random_() got unexpected keyword arguments {sorted(set(bounds) - {'from', 'to'})}")
        low, high = bounds.get("from", 0), bounds.get("to")
        dtype, shape = self.array.dtype, tuple(self.shape)
        if high is None:
            if "from" not in bounds:
                return self._fill("random_", _random.random_full(shape, dtype, generator))
            top = 2 ** _random._FLOAT_DIGITS[dtype] if dtype.kind == "f" else int(np.iinfo(dtype).max)
            high = top + 1
        return self._fill("random_", _random.randint(shape, int(low), int(high), dtype, generator))


    def exponential_(self, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Tensor.exponential_: fill with Exp(lambd) samples."""
        values = _random.exponential(tuple(self.shape), lambd, self.array.dtype, generator)
        return self._fill("exponential_", values)


    def bernoulli_(self, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Tensor.bernoulli_: fill with 0/1, 1 with probability p (a number, or a tensor broadcast to this shape)."""
        shape = tuple(self.shape)
        if isinstance(p, Tensor) and p.array.dtype.kind != "f":
            raise checks.not_implemented_for("bernoulli_tensor_cpu_p_", p.array.dtype)
        probs = p.array if isinstance(p, Tensor) else float(p)
        keep = _random.bernoulli(probs, shape, generator)
        return self._fill("bernoulli_", keep.astype(self.array.dtype))

    def bernoulli(self, p: float | None = None, *, generator: Any = None) -> Tensor:
        """0/1 samples, 1 with probability self (or p), in this tensor's dtype."""
        if p is None and self.array.dtype.kind != "f":
            raise checks.not_implemented_for("bernoulli_tensor_cpu_p_", self.array.dtype)
        probs = self.array if p is None else float(p)
        return Tensor._make(_random.bernoulli(probs, self.shape, generator).astype(self.array.dtype), False)

    def multinomial(self, num_samples: int, replacement: bool = False, *, generator: Any = None) -> Tensor:
        """int64 indices drawn from each row of this tensor's non-negative weights, as torch.multinomial."""
        return Tensor._make(_random.multinomial(self.array, int(num_samples), replacement, generator), False)

    # ----- hooks (run by the engine's backward walk, see core/hooks.py) -----------------------------
    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call hook(grad) when the gradient of this tensor has been computed, before it is used; a returned
        Tensor replaces the gradient (for `.grad` of a leaf and for everything before this tensor)."""
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._backward_hooks is None:
            self._backward_hooks = []
        self._backward_hooks.append(hook)
        return RemovableHandle(self._backward_hooks, hook)

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf tensor on which retain_grad() was called."""
        return self._retains_grad and self._ctx is not None

    # ----- PyTorch's conveniences: new tensors like this one, sizes in bytes -------------------------
    def _new(self, array: np.ndarray, dtype: Any, device: Any, requires_grad: bool) -> Tensor:
        """A new leaf holding `array` in `dtype` (this tensor's dtype by default), as the new_* methods make."""
        if device is not None:
            from .device import check_device
            check_device(device)
        return Tensor(array, requires_grad=requires_grad, dtype=self.array.dtype if dtype is None else dtype)

    def new_tensor(self, data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
        """A copy of `data` in this tensor's dtype (or `dtype`), with no history."""
        return self._new(np.array(data.array if isinstance(data, Tensor) else data), dtype, device, requires_grad)

    def new_zeros(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                  **kwargs: Any) -> Tensor:
        return self._new(np.zeros(_size_arg("new_zeros", size, kwargs)), dtype, device, requires_grad)

    def new_ones(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                 **kwargs: Any) -> Tensor:
        return self._new(np.ones(_size_arg("new_ones", size, kwargs)), dtype, device, requires_grad)

    def new_empty(self, *size: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                  **kwargs: Any) -> Tensor:
        return self._new(np.empty(_size_arg("new_empty", size, kwargs)), dtype, device, requires_grad)

    def new_full(self, size: Any, fill_value: Any, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        return self._new(np.full(_shape_arg((size,)), fill_value), dtype, device, requires_grad)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in other's dtype (itself when the dtypes already match)."""
        return self.astype(other.array.dtype)

    def apply_(self, callable: Callable[[Any], Any]) -> Tensor:  # noqa: A002 - PyTorch's name
        """Replace every element x by callable(x), a Python function of one number (slow; outside autograd)."""
        if self.requires_grad:
            raise RuntimeError("Can't call apply_() on Variable that requires grad. Use var.detach().apply_() "
                               "instead.")
        if not self.array.flags.writeable:
            raise RuntimeError("apply_: this tensor's memory is read-only (an expand() or broadcast view?); "
                               "modify a .clone()")
        values = [callable(v) for v in self.array.ravel().tolist()]
        self.array[...] = np.asarray(values, dtype=self.array.dtype).reshape(self.shape)
        self._version += 1
        return self

    @property
    def itemsize(self) -> int:
        return self.array.itemsize

    @property
    def nbytes(self) -> int:
        return self.array.nbytes


def _shift_left(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a << b, 0 where b is negative or at least a's width (as PyTorch)."""
    inside = (b >= 0) & (b < a.dtype.itemsize * 8)
    return np.where(inside, np.left_shift(a, np.where(inside, b, 0)), 0).astype(a.dtype)


def _shift_right(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a >> b; where b is negative or at least a's width, the sign bits (0 for unsigned types), as PyTorch."""
    width = a.dtype.itemsize * 8
    inside = (b >= 0) & (b < width)
    shifted = np.right_shift(a, np.where(inside, b, width - 1))
    return np.where(inside | (a.dtype.kind == "i"), shifted, 0).astype(a.dtype)


def _plain_index(index: Any) -> Any:
    """Replace Tensors inside an index by their arrays (a uint8 tensor is a mask, as in PyTorch); refuse
    what PyTorch refuses (float tensors, negative steps)."""
    if isinstance(index, tuple):
        return tuple(_plain_index_part(i) for i in index)
    return _plain_index_part(index)


def _plain_index_part(index: Any) -> Any:
    if isinstance(index, Tensor):
        array = index.array
        if array.dtype.kind not in "biu":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return array.astype(bool) if array.dtype == np.uint8 else array
    if isinstance(index, slice) and index.step is not None and index.step <= 0:
        raise ValueError("step must be greater than zero")
    return index


engine.register_tensor_class(Tensor)
