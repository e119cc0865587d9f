"""The Tensor: a NumPy array, its place in the graph, and thin methods that apply the ops.

Each method checks or converts its arguments and applies one op from core/ops/ (or composes
a few); the ops hold the math, forward beside backward, and core/engine.py walks the graph.
"""

from __future__ import annotations

import builtins
import collections
import inspect
import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import checks, dtypes, engine, grad_mode, ops, storage
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


def _sizes_arg(op: str, name: str, sizes: tuple[Any, ...], keyword: Any) -> tuple[int, ...]:
    """f(2, 3), f((2, 3)) or f(name=(2, 3)), as PyTorch's expand, repeat, tile and sum_to_size take their sizes."""
    if sizes and keyword is not None:
        raise TypeError(f"{op}() got multiple values for argument '{name}'")
    if not sizes and keyword is None:
        raise TypeError(f'{op}() missing 1 required positional arguments: "{name}"')
    return _shape_arg(sizes or (keyword,))


def _size_arg(op: str, size: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int, ...]:
    """new_zeros(2, 3), new_zeros((2, 3)) or new_zeros(size=(2, 3)), as PyTorch's new_* take it."""
    if "size" in kwargs and not size:
        size = (kwargs.pop("size"),)
    if kwargs:
        raise TypeError(f"{op}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return checks.shape_arg(op, size)


def backward_into(outputs: Sequence[Tensor], seeds: Sequence[Any], retain_graph: bool, inputs: Any) -> None:
    """The backward pass from `outputs`, added into `.grad` of the leaves, or only of `inputs` when given."""
    if inputs is None:
        backpropagate(outputs, seeds, retain_graph)
        return
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    for t, g in zip(inputs, backpropagate(outputs, seeds, retain_graph, inputs=inputs) or (), strict=True):
        if g is not None:
            t._accumulate_grad(g)


def _one_argument(op: str, **given: Any) -> Any:
    """The one argument given under one of the names of torch's overloads (tensor_split(sections=) or (indices=))."""
    found = [value for value in given.values() if value is not None]
    if len(found) != 1:
        raise TypeError(f"{op}() takes exactly one of the arguments {', '.join(given)}")
    return found[0]


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


NON_LEAF_GRAD = ("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
                 "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
                 "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
                 "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
                 "for more information.")
_ARITHMETIC_UFUNCS = {np.add: "add", np.subtract: "sub", np.multiply: "mul", np.true_divide: "truediv",
                      np.power: "pow", np.matmul: "matmul"}


def _scalar_type_name(dtype: np.dtype) -> str:
    """PyTorch's C++ name of a dtype, as its 'not implemented for' errors say it."""
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
            "float16": "Half", "float32": "Float", "float64": "Double"}.get(np.dtype(dtype).name, str(dtype))


def _differentiable_dtype(dtype: np.dtype, *inputs: Any) -> None:
    """PyTorch's refusal to record an op whose result is not floating while one of `inputs` requires grad."""
    if np.dtype(dtype).kind not in "fc" and grad_mode.is_grad_enabled() and any(
            isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise RuntimeError(f"Autograd not support dtype: {_scalar_type_name(dtype)}")


def _tolerances(rtol: float, atol: float) -> None:
    for name, tolerance in (("rtol", rtol), ("atol", atol)):
        if not tolerance >= 0:
            raise RuntimeError(f"{name} must be greater than or equal to zero, but got {tolerance:g}")


def _repeat_counts(counts: np.ndarray) -> None:
    """repeat_interleave's tensor of counts: int32 or int64, as PyTorch's kernel takes them."""
    if counts.dtype not in (np.int32, np.int64):
        raise NotImplementedError(f"\"repeat_interleave_cpu\" not implemented for '{_scalar_type_name(counts.dtype)}'")


def _cholesky_product(factor: Tensor, upper: bool) -> Tensor:
    """L L^T (U^T U when upper) as PyTorch's cholesky_inverse/cholesky_solve take it: the value from the factor's
    triangle only (what LAPACK reads), the gradient from PyTorch's formula, which uses the whole factor."""
    whole = factor.mT if upper else factor
    low = factor.triu().mT if upper else factor.tril()
    product = whole @ whole.mT
    return product + (low @ low.mT - product).detach()


def _empty_result(a: Tensor, b: Tensor) -> bool:
    """a op b has no elements (PyTorch's integer division then meets no zero divisor)."""
    return 0 in checks.broadcast_shapes(a.array.shape, b.array.shape)


def _return_type_repr(self: tuple) -> str:
    """torch.return_types' way of printing: the type's name, then one field a line."""
    fields = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))  # type: ignore[attr-defined]
    return f"torch.return_types.{type(self).__name__}(\n{fields})"


def _return_type(name: str, *fields: str) -> type:
    """A torch.return_types.<name> named tuple (median's (values, indices), slogdet's (sign, logabsdet), ...)."""
    made = collections.namedtuple(name, fields)  # type: ignore[misc]
    made.__repr__ = _return_type_repr  # type: ignore[method-assign]
    return made


MaxResult, MinResult = _return_type("max", "values", "indices"), _return_type("min", "values", "indices")
SortResult, TopkResult = _return_type("sort", "values", "indices"), _return_type("topk", "values", "indices")
HistogramResult = _return_type("histogram", "hist", "bin_edges")
CummaxResult, CumminResult = _return_type("cummax", "values", "indices"), _return_type("cummin", "values", "indices")
MedianResult, NanmedianResult = _return_type("median", "values", "indices"), _return_type("nanmedian", "values",
                                                                                           "indices")
ModeResult, KthvalueResult = _return_type("mode", "values", "indices"), _return_type("kthvalue", "values", "indices")
AminmaxResult = _return_type("aminmax", "min", "max")


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


def _tensors(op: str, **given: Any) -> None:
    """PyTorch's TypeError for an argument that must be a Tensor and is not (a number, a bool, None, ...)."""
    for name, value in given.items():
        if not isinstance(value, Tensor):
            raise checks.argument_error(op, name, "Tensor", value)


def _keepdim_arg(op: str, keepdim: bool, keepdims: bool | None) -> bool:
    return checks.boolean(op, "keepdim", keepdim) if keepdims is None else bool(keepdims)


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


def _unflattened(sizes: tuple[int, ...], size: int, dim: int) -> tuple[int, ...]:
    """unflatten's sizes with the -1 inferred from the size of the dim alone (as PyTorch's infer_size), with
    PyTorch's errors."""
    unexpected = "unflatten got an unexpected error:\n"
    if sizes.count(-1) > 1:
        raise RuntimeError(unexpected + "only one dimension can be inferred")
    for j, n in enumerate(sizes):
        if n < -1:
            raise RuntimeError(unexpected + f"invalid shape dimension {n} at index {j} of shape {list(sizes)}")
    known = math.prod(n for n in sizes if n != -1)
    if -1 in sizes and known == 0 and size == 0:
        raise RuntimeError(unexpected + f"cannot reshape tensor of 0 elements into shape {list(sizes)} because the "
                           "unspecified dimension size -1 can be any value and is ambiguous")
    if (size % known if known else size) if -1 in sizes else known != size:
        raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
                           f"({size}) in the input tensor")
    return tuple(size // known if n == -1 else n for n in sizes)


class _PrintsAsTorch(type):
    """Tensor's metaclass: a class that names its PyTorch counterpart (`_torch_name`) prints as it, as dtypes print
    as torch.float32, so `print(type(x))` reads as in PyTorch. Other subclasses print as usual."""

    def __repr__(cls) -> str:
        name = cls.__dict__.get("_torch_name")
        return f"<class '{name}'>" if name else super().__repr__()


class Tensor(metaclass=_PrintsAsTorch):
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

    __slots__ = ("array", "_grad", "requires_grad", "_ctx", "_retains_grad", "_post_accumulate_grad_hooks",
                 "_backward_hooks", "_version", "_before", "__weakref__")
    __hash__ = object.__hash__  # by identity, as in PyTorch; == is elementwise
    _torch_name = "torch.Tensor"

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
        self._grad: Tensor | None = None
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
        t.array, t._grad, t.requires_grad, t._ctx, t._retains_grad = array, None, requires_grad, None, False
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

    @property
    def is_cpu(self) -> bool:
        return True

    # PyTorch's other device and layout flags: every tensor here is a dense CPU tensor
    is_ipu = is_maia = is_meta = is_mkldnn = is_mps = is_mtia = is_nested = is_quantized = is_sparse = \
        is_sparse_csr = is_vulkan = is_xla = is_xpu = is_cuda

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

    def is_nonzero(self) -> bool:
        """Whether the one element is not 0 (PyTorch's RuntimeError for none or several)."""
        if self.array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {'no' if self.array.size == 0 else 'more than one'} "
                               f"value{'s' if self.array.size == 0 else ''} is ambiguous")
        return bool(self.array.reshape(-1)[0] != 0)

    def is_complex(self) -> bool:
        return False  # no complex dtypes here

    def is_floating_point(self) -> bool:
        return self.array.dtype.kind == "f"

    @property
    def T(self) -> Tensor:  # noqa: N802 - the NumPy / PyTorch name
        return self.permute(tuple(reversed(range(self.ndim))))

    @property
    def mT(self) -> Tensor:  # noqa: N802 - PyTorch's name
        return self._matrix_transpose("tensor.mT")

    def _matrix_transpose(self, name: str) -> Tensor:
        """The last two dims swapped; a 0-d tensor is itself (PyTorch allows it), a 1-D one is refused."""
        if self.ndim == 1:
            raise RuntimeError(f"{name} is only supported on matrices or batches of matrices. Got 1-D tensor.")
        return self.transpose(-2, -1) if self.ndim else self.view(())

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad(self) -> Tensor | None:
        """The gradient backward accumulated here (leaves, and tensors that called retain_grad())."""
        if self._grad is None and self._ctx is not None and not self._retains_grad:
            warnings.warn(NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

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

    def clone(self, *, memory_format: Any = None) -> Tensor:
        """A copy of the data that stays in the graph (its gradient flows back to this tensor); every memory
        format is the one contiguous layout here."""
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

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:
        """With a dtype, convert to it; without, PyTorch's type name ('torch.FloatTensor')."""
        if dtype is None:
            return dtypes.legacy_type_name(self.dtype)
        return self.astype(dtypes.from_legacy_type_name(dtype) if isinstance(dtype, str) else dtype)

    float, double, half = _cast(np.float32), _cast(np.float64), _cast(np.float16)
    long, int, bool = _cast(np.int64), _cast(np.int32), _cast(np.bool_)

    def to(self, *args: Any, dtype: Any = None, device: Any = None, non_blocking: bool = False,
           copy: bool = False, tensor: Tensor | None = None) -> Tensor:
        """PyTorch's to(device, dtype, non_blocking, copy), to(dtype, non_blocking, copy) and
        to(tensor, non_blocking, copy); the device must be the CPU."""
        from .device import check_device
        args = list(args) if tensor is None else [tensor, *args]
        while args and not isinstance(args[0], bool):
            arg = args.pop(0)
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif isinstance(arg, str) or type(arg).__name__ == "device" or isinstance(arg, int | np.integer):
                device = arg
            else:
                dtype = arg
        if len(args) > 2:
            raise TypeError(f"to() takes at most 4 positional arguments ({len(args) + 2} given)")
        if len(args) == 2:
            copy = args[1]
        if args:
            non_blocking = args[0]
        checks.boolean("to", "non_blocking", non_blocking)
        checks.boolean("to", "copy", copy)
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
                 inputs: Any = None) -> None:
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires a gradient (only of `inputs` when
        given).

        A scalar (one-element) output is seeded with 1; any other output needs
        `gradient` of its own shape. Unless `retain_graph`, the arrays saved for
        backward are freed, and a second backward through this graph raises.
        """
        if create_graph:
            raise NotImplementedError("backward(create_graph=True): higher-order gradients are not supported; "
                                      "backward functions work on NumPy arrays and record no graph")
        backward_into([self], [gradient], bool(retain_graph), inputs)

    def _accumulate_grad(self, g: np.ndarray) -> None:
        """Add g into `.grad` (the first gradient is copied: g may be shared), then run the hooks."""
        if self._grad is None:
            self._grad = Tensor._make(g.astype(self.array.dtype, copy=True), False)
        else:
            self._grad.array = self._grad.array + g
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

    def _rounded_division(self, other: Any, rounding_mode: str, op: type[engine.Op] = ops.RoundedDiv) -> Tensor:
        """div(rounding_mode='floor' | 'trunc'): integer inputs stay integer; the gradient is zero, as in PyTorch."""
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                             f"'{rounding_mode}'")
        a, b = self._pair(other)
        if a.array.dtype == np.bool_:
            raise checks.not_implemented_for(f"div_{rounding_mode}_cpu", a.array.dtype)
        if a.array.dtype.kind in "iu" and not np.all(b.array) and not _empty_result(a, b):
            raise RuntimeError("ZeroDivisionError")
        return op.apply(a, b, mode=rounding_mode)

    def __rtruediv__(self, other: Any) -> Tensor:
        if isinstance(other, int | float):
            return self.reciprocal() * other  # PyTorch's number / tensor, rounded as its two steps
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
        if self.array.dtype == np.bool_ and isinstance(exponent, bool):  # PyTorch's x ** 1 and x ** 0: bool
            return Tensor._make(self.array.copy() if exponent else np.ones_like(self.array), False)
        if self.array.dtype == np.bool_ and isinstance(exponent, int | np.integer) and not isinstance(exponent, bool):
            return ops.PowScalar.apply(self.astype(np.int64), exponent=exponent)
        if self.array.dtype.kind != "f" and isinstance(exponent, float):
            return ops.PowScalar.apply(self.astype(dtypes.default_float), exponent=exponent)
        return ops.PowScalar.apply(self, exponent=exponent)

    def __rpow__(self, base: Any) -> Tensor:
        if self.array.dtype == np.bool_ and isinstance(base, bool | np.bool_):
            raise NotImplementedError("\"pow\" not implemented for 'Bool'")
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

    def add(self, other: Any, *, alpha: float = 1) -> Tensor:
        return self + self._alpha(other, alpha)

    def sub(self, other: Any, *, alpha: float = 1) -> Tensor:
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

    def mm(self, mat2: Tensor) -> Tensor:
        _tensors("mm", mat2=mat2)
        if self.ndim != 2:
            raise RuntimeError("self must be a matrix")
        if mat2.ndim != 2:
            raise RuntimeError("mat2 must be a matrix")
        return self @ mat2

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
        _tensors("equal", other=other)
        return self.array.shape == other.array.shape and bool(np.array_equal(self.array, other.array))

    def allclose(self, other: Tensor, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> bool:
        _tensors("allclose", other=other)
        _tolerances(rtol, atol)
        if other.array.dtype != self.array.dtype:
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
        x = self._integral_as_long(dtype)
        return x._as_bool(ops.Sum.apply(x, axis=_axes(dim, axis, self.array.ndim),
                                        keepdims=_keepdim_arg("sum", keepdim, keepdims)))

    def mean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, axis: Any = None,
             keepdims: bool | None = None) -> Tensor:
        keep = _keepdim_arg("mean", keepdim, keepdims)
        x = self if dtype is None else self.astype(dtype)
        if x.array.dtype.kind != "f":
            raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point "
                               f"or complex dtype. Got: {checks.scalar_type_name(x.array.dtype)}")
        return ops.Mean.apply(x, axis=_axes(dim, axis, self.array.ndim), keepdims=keep)

    def _infinity_norm(self, axes: tuple[int, ...], keepdim: bool, largest: bool) -> Tensor:
        """The largest (smallest) |x| over axes; where that is NaN the gradient is 0, as PyTorch's norm gives it."""
        size = self.abs()
        lost = np.isnan(size.array).any(axis=axes or None, keepdims=True)
        if lost.any():
            size = ops.Where.apply(size, Tensor._make(np.zeros((), size.array.dtype), False),
                                   condition=~np.broadcast_to(lost, size.shape))
        out = size.amax(axes, keepdim) if largest else size.amin(axes, keepdim)
        if lost.any():
            nan = np.where(lost.reshape(out.shape), np.nan, 0.0).astype(out.array.dtype)
            out = out + Tensor._make(nan, False)
        return out

    def _max_or_min(self, name: str, dim: Any, keepdim: bool, axis: Any, keepdims: bool | None) -> Any:
        dim, keep = _dim_arg(dim, axis), _keepdim_arg(name, keepdim, keepdims)
        if isinstance(dim, Tensor):  # max(other): elementwise, as torch.max(a, b)
            return self.maximum(dim) if name == "max" else self.minimum(dim)
        if dim is None:
            checks.nonempty_reduction(name, self.array.shape, None)
            return ops.Max.apply(self, axis=None, keepdims=False, largest=name == "max", nan_ties=True)
        d = checks.dim(dim, self.array.ndim, name)
        checks.nonempty_reduction(name, self.array.shape, (d,))
        result = MaxResult if name == "max" else MinResult
        if self.array.ndim == 0:
            return result(self.clone(), Tensor._make(np.zeros((), np.int64), False))
        values = ops.MaxAlongDim.apply(self, dim=d, keepdim=keep, largest=name == "max")
        indices = (np.argmax if name == "max" else np.argmin)(self.array, axis=d, keepdims=keep)
        return result(values, Tensor._make(np.asarray(indices, np.int64), False))

    def max(self, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The largest value; with an int `dim`, (values, indices) along it; max(other) elementwise, as torch.max."""
        return self._max_or_min("max", dim if other is None else other, keepdim, axis, keepdims)

    def min(self, dim: Any = None, keepdim: bool = False, *, other: Tensor | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The smallest value; with an int `dim`, (values, indices) along it; min(other) elementwise, as torch.min."""
        return self._max_or_min("min", dim if other is None else other, keepdim, axis, keepdims)

    def _amax_or_amin(self, name: str, dim: Any, keepdim: bool) -> Tensor:
        axes = checks.dims(dim, self.array.ndim)
        checks.nonempty_reduction(name, self.array.shape, axes)
        return ops.Max.apply(self, axis=axes, keepdims=bool(keepdim), largest=name == "amax")

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        checks.boolean("amax", "keepdim", keepdim)
        return self._amax_or_amin("amax", dim, keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        checks.boolean("amin", "keepdim", keepdim)
        return self._amax_or_amin("amin", dim, keepdim)

    def _arg(self, name: str, dim: Any, keepdim: bool, axis: Any, keepdims: bool | None) -> Tensor:
        d, keep = _dim_arg(dim, axis), _keepdim_arg(name, keepdim, keepdims)
        d = checks.optional_integer(name, "dim", d)
        if self.array.dtype == np.bool_:
            raise RuntimeError(f"{name}(): does not support bool input")
        if d is not None:
            d = checks.dim(d, self.array.ndim, name)
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

    def _variance(self, root: bool, dim: Any, unbiased: bool | None, keepdim: bool, correction: float | None,
                  axis: Any, keepdims: bool | None, ddof: float | None) -> Tensor:
        name = "std" if root else "var"
        if isinstance(dim, bool) and unbiased is None:  # var(unbiased), PyTorch's older positional form
            dim, unbiased = None, dim
        if unbiased is not None:
            checks.boolean(name, "unbiased", unbiased)
        if sum(v is not None for v in (unbiased, correction, ddof)) > 1:
            raise TypeError("var/std: give only one of unbiased, correction and ddof")
        if correction is None:
            correction = ddof if ddof is not None else (0 if unbiased is False else 1)
        keep = _keepdim_arg(name, keepdim, keepdims)
        if self.array.dtype.kind != "f":
            raise RuntimeError("std and var only support floating point and complex dtypes")
        return (ops.Std if root else ops.Var).apply(
            self, axis=_axes(dim, axis, self.array.ndim), keepdims=keep, ddof=correction, root=root)

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None, keepdims: bool | None = None,
            ddof: float | None = None) -> Tensor:
        """Variance, dividing by N - correction; correction=1 by default, as in PyTorch (ddof is NumPy's name)."""
        return self._variance(False, dim, unbiased, keepdim, correction, axis, keepdims, ddof)

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None, keepdims: bool | None = None,
            ddof: float | None = None) -> Tensor:
        """Standard deviation, dividing by N - correction (correction=1 by default, as in PyTorch)."""
        return self._variance(True, dim, unbiased, keepdim, correction, axis, keepdims, ddof)

    def norm(self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        """The p-norm (2 / 'fro' by default, also 1, inf and any positive number) over `dim` or everything."""
        keep = checks.boolean("linalg_vector_norm", "keepdim", keepdim)
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
            return x._infinity_norm(axes or (), keep, p != float("-inf"))
        if p == 0:
            return ops.CountNonzero.apply(x, axis=axes, keepdims=keep)
        if isinstance(p, int | float):
            return ops.PNorm.apply(x, p=float(p), axis=axes, keepdims=keep)
        raise ValueError(f"norm: unsupported p={p!r} (use 'fro', 'nuc' is not supported, or a number)")

    def _all_or_any(self, reduce: Callable[..., np.ndarray], dim: Any, keepdim: bool, axis: Any,
                    keepdims: bool | None) -> Tensor:
        d, keep = _dim_arg(dim, axis), _keepdim_arg("all" if reduce is np.all else "any", keepdim, keepdims)
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
        if d is None or d == () and self.array.ndim:
            raise TypeError("logsumexp() missing 1 required positional argument: 'dim'") if d is None else \
                RuntimeError(f"output with shape [] doesn't match the broadcast shape {[1] * self.array.ndim}")
        return ops.LogSumExp.apply(self._floating(), axis=checks.dims(d, self.array.ndim),
                                   keepdims=_keepdim_arg("logsumexp", keepdim, keepdims))

    # ----- elementwise ------------------------------------------------------------------------
    def _floating(self) -> Tensor:
        """Integer inputs of float functions (exp, sqrt, ...) are computed in the default dtype, as in PyTorch."""
        return self if self.array.dtype.kind == "f" else self.astype(dtypes.default_float)

    exp, log, sqrt = _float_op(ops.Exp), _float_op(ops.Log), _float_op(ops.Sqrt)
    sin, cos = _float_op(ops.Sin), _float_op(ops.Cos)

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
                    checks.broadcast_shapes(x.array.shape, b.array.shape)
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
        _tensors("maximum", other=other)
        return ops.Maximum.apply(*self._pair(other))

    def minimum(self, other: Any) -> Tensor:
        _tensors("minimum", other=other)
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
        return ops.Where.apply(self, value, condition=keep)

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """This tensor with `value` where the boolean `mask` is True (the result has the broadcast shape of both)."""
        mask_array = np.asarray(mask.array if isinstance(mask, Tensor) else mask)
        if mask_array.dtype != np.bool_:
            raise RuntimeError(f"masked_fill only supports boolean masks, but got mask with dtype {mask_array.dtype}")
        shape = checks.broadcast_shapes(tuple(self.shape), mask_array.shape)  # masked_fill_ keeps self's (_inplace)
        x = self if shape == self.shape else self.expand(shape)
        if isinstance(value, Tensor):
            if value.ndim != 0:
                raise RuntimeError("masked_fill only supports a 0-dimensional value tensor, but got tensor with "
                                   f"{value.ndim} dimension(s).")
            _differentiable_dtype(self.array.dtype, value)
            value = value.astype(self.array.dtype)
        else:
            checks.fits(value, self.array.dtype)
            value = Tensor._make(np.array(value).astype(self.array.dtype), False)
        return name_node(x._keep_where(~mask_array, value), "MaskedFillBackward0")

    def _triangle(self, name: str, keep: np.ndarray) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions, got shape {self.shape}")
        return self._keep_where(keep, Tensor._make(np.zeros((), dtype=self.array.dtype), False))

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dims (column - row <= diagonal); the rest 0."""
        diagonal = checks.integer("tril", "diagonal", diagonal)
        rows, cols = self.shape[-2:] if self.ndim >= 2 else (0, 0)
        return name_node(self._triangle("tril", np.tri(rows, cols, diagonal, dtype=bool)), "TrilBackward0")

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dims (column - row >= diagonal); the rest 0."""
        diagonal = checks.integer("triu", "diagonal", diagonal)
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
        _tensors("view_as", other=other)
        return self.reshape(other.shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        _tensors("reshape_as", other=other)
        return self.reshape(other.shape)

    def expand_as(self, other: Tensor) -> Tensor:
        _tensors("expand_as", other=other)
        return self.expand(other.shape)

    def contiguous(self) -> Tensor:
        """This tensor if its elements lie in row-major order in memory, else a copy that does (CloneBackward0)."""
        return self if self.array.flags.c_contiguous else ops.Clone.apply(self)

    def is_contiguous(self) -> bool:
        return self.array.flags.c_contiguous

    def stride(self, dim: int | None = None) -> Any:
        """The step in elements between neighbours along each dim (or along `dim`), as PyTorch counts it."""
        steps, inner = [], 1  # NumPy leaves 0 where a dim of size 0 or 1 has no step; PyTorch counts on
        for n, step in zip(reversed(self.array.shape), reversed(self.array.strides), strict=True):
            steps.append(step // self.array.itemsize if self.array.size and (step or n > 1) else inner)
            inner = steps[-1] * builtins.max(n, 1)
        steps = tuple(reversed(steps))
        return steps if dim is None else steps[self._wrap_dim(dim)]

    def storage_offset(self) -> int:
        """Where this tensor's first element sits in its storage, in elements."""
        root = storage.root_array(self.array)
        return (self.array.ctypes.data - root.ctypes.data) // self.array.itemsize if self.array.size else 0

    def data_ptr(self) -> int:
        return self.array.ctypes.data

    def storage(self) -> storage.TypedStorage:
        """All the memory this tensor looks into (a view's storage is its base's), as PyTorch's TypedStorage."""
        return storage.TypedStorage(self.array)

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

    def expand(self, *shape: Any, size: Any = None, implicit: bool = False) -> Tensor:
        """Broadcast to `shape` (-1 keeps a dimension), as torch.Tensor.expand (`implicit` is autograd's internal
        flag there and changes nothing)."""
        target = _sizes_arg("expand", "size", shape, size)
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

    def repeat(self, *sizes: Any, repeats: Any = None) -> Tensor:
        """Tile the tensor `sizes[i]` times along each dim (PyTorch's repeat, NumPy's tile)."""
        reps = _sizes_arg("repeat", "repeats", sizes, repeats)
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
        return ops.GetItem.apply(self, index=ops.torch_order(_plain_index(index)))

    def __setitem__(self, index: Any, value: Any) -> None:
        """t[index] = value, in place (the rules of the in-place ops apply)."""
        if isinstance(index, Tensor) and index.array.dtype == np.uint8 and not isinstance(value, Tensor):
            raise RuntimeError("masked_fill_ only supports boolean masks, but got mask with dtype unsigned char")
        plain = _plain_index(index)
        index = ops.torch_order(plain)
        if isinstance(value, int) and not isinstance(value, bool) and self.array.dtype.kind in "iu":
            value = _wrapped_int(value, self.array.dtype)
        if isinstance(value, Tensor) and value.array.dtype != self.array.dtype and _through_index_put(plain, value):
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{checks.scalar_type_name(self.array.dtype)} for the destination and "
                               f"{checks.scalar_type_name(value.array.dtype)} for the source.")
        if grad_mode.recording and (self.requires_grad or isinstance(value, Tensor) and value.requires_grad):
            self._inplace("__setitem__", lambda old, new: ops.SetItem.apply(old, old._lift(new), index=index), value)
            return
        if not self.array.flags.writeable:
            raise RuntimeError("__setitem__: this tensor's memory is read-only (an expand() or broadcast view?); "
                               "modify a .clone()")
        try:
            ops.put(self.array, index, value.array if isinstance(value, Tensor) else value)
        except (ValueError, IndexError) as e:
            raise checks.translate("__setitem__", [self.array.shape], e) from e
        self._version += 1

    # ----- sequence ops: split and join by pieces, gather/scatter along a dim, sort, cumsum, einsum ---------
    def _wrap_dim(self, dim: int, op: str = "") -> int:
        """`dim` in [0, ndim) (a 0-d tensor has dims -1 and 0), with PyTorch's IndexError otherwise (and its
        TypeError, naming `op`, for a dim that is not an int)."""
        return checks.dim(dim, self.array.ndim, op)

    def split(self, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces of `split_size` along `dim` (the last may be smaller), or pieces of the listed sizes."""
        if self.ndim == 0:
            raise RuntimeError("split expects at least a 1-dimensional tensor")
        dim = self._wrap_dim(dim, "split")
        length = self.shape[dim]
        by_size = not isinstance(split_size, Sequence | np.ndarray)
        if by_size:
            size = checks.integer("split", "split_size", split_size)
            if size < 0:
                raise RuntimeError(f"split expects split_size be non-negative, but got split_size={size}")
            if size == 0 and length != 0:
                raise RuntimeError("split_size can only be 0 if dimension size is 0, but got dimension size of "
                                   f"{length}")
            count = builtins.max(-(-length // size), 1) if size else 1
            sizes = [builtins.min(size, length - i * size) for i in range(count)]
        else:
            sizes = list(checks.integers("split_with_sizes", "split_sizes", split_size))
            if builtins.any(n < 0 for n in sizes):
                raise RuntimeError("split_with_sizes expects split_sizes have only non-negative entries, but got "
                                   f"split_sizes={sizes}")
            if builtins.sum(sizes) != length:
                raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's "
                                   f"size at dimension {dim}), but got split_sizes={sizes}")
        starts = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        lead = (slice(None),) * dim
        op = ops.SplitPiece if by_size else ops.SplitWithSizesPiece
        return tuple(op.apply(self, index=lead + (slice(int(a), int(b)),))
                     for a, b in zip(starts[:-1], starts[1:], strict=True))

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most `chunks` pieces of equal size along `dim` (the last may be smaller), as torch.chunk."""
        if self.ndim == 0:
            raise RuntimeError("chunk expects at least a 1-dimensional tensor")
        chunks = checks.integer("chunk", "chunks", chunks)
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        length = self.shape[self._wrap_dim(dim, "chunk")]
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
        if array.dtype not in (np.int32, np.int64) and array.size:  # PyTorch checks no empty index's dtype
            raise RuntimeError(f"{name}(): Expected dtype int32/int64 for index")
        return array.astype(np.int64, copy=False)

    def _along_dim_check(self, name: str, dim: int, index: np.ndarray, src_shape: tuple[int, ...] | None) -> int:
        """PyTorch's checks of gather/scatter: same rank, index no larger than input (and src) off `dim`, in range."""
        dim = self._wrap_dim(dim, name)
        if builtins.max(index.ndim, 1) != builtins.max(self.ndim, 1):  # a 0-d tensor counts as 1-d
            raise RuntimeError("Index tensor must have the same number of dimensions as "
                               f"{'input' if name == 'gather' else 'self'} tensor")
        if self.ndim and index.size:
            for d, (i, n) in enumerate(zip(index.shape or (1,), self.shape, strict=True)):
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
        if self.ndim == 1 and index_array.ndim == 0:
            return ops.Gather.apply(self, dim=dim, index=index_array.reshape(1)).reshape(())
        return ops.Gather.apply(self, dim=dim, index=index_array)

    def _scatter(self, name: str, dim: int, index: Any, src: Any, add: bool) -> Tensor:
        index_array = self._index_arg(name.rstrip("_"), index)
        if self.ndim == 1 and index_array.ndim == 0:
            index_array = index_array.reshape(1)
            src = src.reshape(1) if isinstance(src, Tensor) and src.ndim == 0 else src
        if isinstance(src, Tensor):
            if src.array.dtype != self.array.dtype:
                raise RuntimeError(f"{name.rstrip('_')}(): Expected self.dtype to be equal to src.dtype")
            dim = self._along_dim_check(name, dim, index_array, src.shape)
            if builtins.max(src.ndim, 1) != builtins.max(index_array.ndim, 1):
                raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
            op = ops.ScatterAdd if add else ops.ScatterSrc
        else:
            if add:
                raise TypeError("scatter_add(): argument 'src' must be Tensor, not " + type(src).__name__)
            dim = self._along_dim_check(name, dim, index_array, None)
            checks.fits(src, self.array.dtype)
            src, op = np.array(src).astype(self.array.dtype), ops.ScatterValue
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
        _differentiable_dtype(x.array.dtype, self)
        return ops.Cumsum.apply(x, axis=self._wrap_dim(dim, "cumsum"))

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
        dim = self._wrap_dim(dim, "sort")
        checks.boolean("sort", "descending", descending)
        order = self._sorted_order(dim, descending)
        values = ops.SortValues.apply(self, dim=dim, index=order)
        return SortResult(values, Tensor._make(order, False))

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
        checks.boolean("argsort", "descending", descending)
        return Tensor._make(self._sorted_order(self._wrap_dim(dim, "argsort"), descending), False)

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> TopkResult:  # noqa: A002
        """The k largest (or smallest) entries along `dim` and their indices, largest first."""
        k = checks.integer("topk", "k", k)
        checks.boolean("topk", "largest", largest)
        checks.boolean("topk", "sorted", sorted)
        if self.array.dtype == np.bool_:
            raise RuntimeError("topk does not support bool dtypes on CPU")
        dim = self._wrap_dim(dim, "topk")
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
        shift_list = list(checks.integers("roll", "shifts", shifts, single=True))
        if dims is None:
            if len(shift_list) != 1:
                raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_list)}, dims:0")
            return ops.Roll.apply(self, shifts=tuple(shift_list), dims=None) if self.ndim else self.clone()
        dim_list = list(checks.integers("roll", "dims", dims, single=True))
        if len(shift_list) != len(dim_list):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shift_list)}, dims:{len(dim_list)}")
        if self.numel() == 0:  # PyTorch checks no dim of an empty tensor
            return self.clone()
        dim_list = [self._wrap_dim(d) for d in dim_list]
        if self.ndim == 0:
            return self.clone()
        return ops.Roll.apply(self, shifts=tuple(shift_list), dims=tuple(dim_list))

    def bmm(self, mat2: Tensor) -> Tensor:
        """(b, n, m) @ (b, m, p) -> (b, n, p), both 3-D with the same batch, as torch.bmm (no broadcasting)."""
        _tensors("bmm", mat2=mat2)
        if self.ndim != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        if mat2.ndim != 3:
            raise RuntimeError("batch2 must be a 3D tensor")
        if mat2.shape[:2] != (self.shape[0], self.shape[2]):
            raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                               f"[{self.shape[0]}, {self.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
        if 0 in self.shape or mat2.shape[2] == 0:  # PyTorch checks no dtype then: the result has mat2's
            _differentiable_dtype(mat2.array.dtype, self, mat2)
            return ops.Bmm.apply(self.astype(mat2.array.dtype), mat2)
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
        bins = checks.integer("histc", "bins", bins)
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
        checks.boolean("histogram", "density", density)
        edges = bins.array if isinstance(bins, Tensor) else bins if isinstance(bins, Sequence | np.ndarray) else \
            checks.integer("histogram", "bins", bins)
        if self.array.dtype.kind != "f":
            raise NotImplementedError(f"\"histogramdd\" not implemented for '{_scalar_type_name(self.array.dtype)}'")
        if isinstance(bins, Tensor) and bins.array.dtype != self.array.dtype:
            raise RuntimeError(f"torch.histogramdd: input tensor and bins tensors should have the same dtype, but got "
                               f"input with dtype {self.dtype} and bins for dimension 0 with dtype {bins.dtype}")
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
    erfc, erfinv, expm1, exp2 = _float_op(ops.Erfc), _float_op(ops.Erfinv), _float_op(ops.Expm1), _float_op(ops.Exp2)
    rsqrt, reciprocal, sinc = _float_op(ops.Rsqrt), _float_op(ops.Reciprocal), _float_op(ops.Sinc)
    lgamma, i0 = _float_op(ops.Lgamma), _float_op(ops.I0)

    def digamma(self) -> Tensor:
        return name_node(ops.Polygamma.apply(self._floating(), n=0), "DigammaBackward0")

    def polygamma(self, n: int) -> Tensor:
        """The n-th derivative of digamma."""
        n = checks.integer("polygamma", "n", n)
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
        decimals = checks.optional_integer("round", "decimals", decimals)
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

    def nan_to_num(self, nan: float | None = None, posinf: float | None = None, neginf: float | None = None) -> Tensor:
        """NaN, +inf and -inf replaced (by 0 and the dtype's largest and smallest values unless given)."""
        if self.array.dtype.kind != "f":
            return Tensor._make(self.array.copy(), False)
        filled = np.nan_to_num(self.array, nan=0.0 if nan is None else nan, posinf=posinf, neginf=neginf)
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
        if a.array.dtype.kind in "iu" and not np.all(b.array) and not _empty_result(a, b):
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
        """self / other rounded toward -inf; PyTorch records it without a derivative (backward raises)."""
        return self._rounded_division(other, "floor", ops.FloorDivide)

    def true_divide(self, other: Any) -> Tensor:
        return self / other

    __mod__, __floordiv__ = remainder, floor_divide

    def __rmod__(self, other: Any) -> Tensor:
        a, b = self._pair(other)
        return b._modulo(a, ops.NumberRemainder, "remainder_cpu")  # no derivative in PyTorch either

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
        if isinstance(weight, Tensor) and weight.ndim:
            self._same_dtype_arg("lerp", weight, "weight")
        elif isinstance(weight, Tensor) and weight.array.dtype.kind == "f":  # a 0-d one is a number: any float will do
            weight = weight.astype(self.array.dtype)
        if self.array.dtype.kind != "f":
            kind = "tensor" if isinstance(weight, Tensor) else "scalar"
            raise checks.not_implemented_for(f"lerp_kernel_{kind}", self.array.dtype)
        # PyTorch's two forms: from self for |weight| < 0.5, from end otherwise (exact at both ends, and
        # lerp(inf, end, 0.5) is inf, not NaN)
        if isinstance(weight, Tensor):
            near_self = np.abs(weight.array) < 0.5
            out = self + weight * (end - self)
            if not near_self.all():
                far = end - (end - self) * (1 - weight)
                out = ops.Where.apply(out, far, condition=np.broadcast_to(near_self, np.broadcast_shapes(
                    near_self.shape, out.shape, far.shape)))
        else:
            out = self + weight * (end - self) if abs(weight) < 0.5 else end - (end - self) * (1 - weight)
        return name_node(out, "LerpBackward1" if isinstance(weight, Tensor) else "LerpBackward0")

    def _scaled(self, term: Tensor, value: Any) -> Tensor:
        """addcmul/addcdiv: self + value * term; a float value truncates on integers, as in PyTorch."""
        if value == 1:
            return self + term
        if result_type(self.array, term.array).kind in "biu" and isinstance(value, float):
            value = builtins.int(value)
        return self + term * value

    def _in_common_dtype(self, *others: Tensor) -> tuple[Tensor, ...]:
        """others in the dtype of self and others together (addcmul/addcdiv compute in it, not in the factors')."""
        dtype = dtypes.common_dtype(self.array, *(t.array for t in others))
        return tuple(t if t.array.dtype == dtype else t.astype(dtype) for t in others)

    def addcmul(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        _tensors("addcmul", tensor1=tensor1, tensor2=tensor2)
        if self.array.dtype == tensor1.array.dtype == tensor2.array.dtype == np.bool_:
            raise checks.not_implemented_for("addcmul_cpu_out", self.array.dtype)
        tensor1, tensor2 = self._in_common_dtype(tensor1, tensor2)
        return name_node(self._scaled(tensor1 * tensor2, value), "AddcmulBackward0")

    def addcdiv(self, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
        _tensors("addcdiv", tensor1=tensor1, tensor2=tensor2)
        if tensor1.array.dtype.kind in "biu" and tensor2.array.dtype.kind in "biu":
            raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future release addcdiv "
                               "will perform a true division of tensor1 and tensor2. The historic addcdiv behavior "
                               "can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                               "for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The "
                               "future addcdiv behavior is just the latter implementation: (input + value * tensor1 / "
                               "tensor2), for all dtypes.")
        tensor1, tensor2 = self._in_common_dtype(tensor1, tensor2)
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
        _tolerances(rtol, atol)
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

    def copy_(self, other: Any, non_blocking: bool = False) -> Tensor:
        """Copy other's values (broadcast to this shape, converted to this dtype) into this tensor (`non_blocking`
        changes nothing on the CPU)."""
        return self._inplace("copy_", Tensor._replaced, other)

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
        low, high = checks.integer("random_", "from", bounds.get("from", 0)), bounds.get("to")
        high = checks.optional_integer("random_", "to", high)
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
        probs = p.expand(shape).array if isinstance(p, Tensor) else float(p)
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
        num_samples = checks.integer("multinomial", "num_samples", num_samples)
        replacement = checks.boolean("multinomial", "replacement", replacement)
        return Tensor._make(_random.multinomial(self.array, num_samples, replacement, generator), False)

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

    def new_tensor(self, data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
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

    def new_full(self, size: Any, fill_value: Any, *, dtype: Any = None, device: Any = None,
                 requires_grad: bool = False) -> Tensor:
        return self._new(np.full(_shape_arg((size,)), fill_value), dtype, device, requires_grad)

    def type_as(self, other: Tensor) -> Tensor:
        """This tensor in other's dtype (itself when the dtypes already match)."""
        _tensors("type_as", other=other)
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

    # ----- more reductions, shapes and linear algebra (PyTorch's names; compositions where they serve) --------
    def _integral_as_long(self, dtype: Any) -> Tensor:
        """sum's and prod's input: `dtype` when given, else integers and bools as int64, as in PyTorch."""
        if dtype is not None:
            return self.astype(dtype)
        return self if self.array.dtype.kind == "f" else self.astype(np.int64)

    def _as_bool(self, reduced: Tensor) -> Tensor:
        """sum/prod of bools with dtype=bool: NumPy counts them, PyTorch keeps bool (any, all)."""
        return reduced.astype(np.bool_) if self.array.dtype == np.bool_ else reduced

    def prod(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """The product of all entries, or along one `dim`."""
        x = self._integral_as_long(dtype)
        if dim is None:
            return name_node(x._as_bool(ops.Prod.apply(x)), "ProdBackward0")
        axes = checks.dims(checks.dim(dim, self.ndim), self.ndim)
        return name_node(x._as_bool(ops.Prod.apply(x, axis=axes, keepdims=bool(keepdim))), "ProdBackward1")

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running products along `dim`; integer and bool inputs give int64, as in PyTorch."""
        return name_node(ops.Cumprod.apply(self._integral_as_long(dtype), axis=self._wrap_dim(dim, "cumprod")),
                         "CumprodBackward0")

    def _running_in_place(self, name: str, dim: int, dtype: Any) -> Tensor:
        """cumsum_/cumprod_: in place, where PyTorch's kernel refuses bool."""
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for(f"{name}_out_cpu", self.array.dtype)
        return self._inplace(f"{name}_", getattr(Tensor, name), dim, dtype=dtype)

    def cumprod_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._running_in_place("cumprod", dim, dtype)

    def cumsum_(self, dim: int, *, dtype: Any = None) -> Tensor:
        return self._running_in_place("cumsum", dim, dtype)

    def _running_extreme(self, name: str, dim: int) -> Any:
        """cummax/cummin: the running extreme along `dim` and where it was last reached (NaN wins, as in PyTorch)."""
        d = self._wrap_dim(dim)
        moved = np.moveaxis(self.array.reshape(self.shape or (1,)), d, 0)
        better = np.greater_equal if name == "cummax" else np.less_equal
        indices = np.zeros(moved.shape, np.int64)
        best, where = (moved[0].copy(), np.zeros(moved.shape[1:], np.int64)) if len(moved) else (None, None)
        for i, v in enumerate(moved):
            nan_v = np.isnan(v) if v.dtype.kind == "f" else False
            nan_best = np.isnan(best) if v.dtype.kind == "f" else False
            take = nan_v | (~nan_best & better(v, best))
            best, where = np.where(take, v, best), np.where(take, i, where)
            indices[i] = where
        index = np.moveaxis(indices, 0, d).reshape(self.shape)
        values = name_node(self.gather(d, index), f"{name.capitalize()}Backward0")
        return (CummaxResult if name == "cummax" else CumminResult)(values, Tensor._make(index, False))

    def cummax(self, dim: int) -> Any:
        return self._running_extreme("cummax", dim)

    def cummin(self, dim: int) -> Any:
        return self._running_extreme("cummin", dim)

    def logcumsumexp(self, dim: int) -> Tensor:
        """log(cumsum(exp(x))) along `dim`, shifted by the slice's maximum so that nothing overflows."""
        if self.array.dtype.kind != "f":
            raise checks.not_implemented_for("logcumsumexp_out_cpu", self.array.dtype)
        d = self._wrap_dim(dim)
        top = np.max(self.array, axis=d if self.ndim else None, keepdims=True, initial=-np.inf)
        shift = Tensor._make(np.where(np.isfinite(top), top, 0).astype(self.array.dtype), False)
        with np.errstate(divide="ignore"):
            return name_node((self - shift).exp().cumsum(d).log() + shift, "LogcumsumexpBackward0")

    def _order_statistic(self, name: str, dim: Any, keepdim: bool, position: Callable[..., np.ndarray],
                         result: type | None) -> Any:
        """The entry at sorted position position(valid, n) of each slice along `dim` (NaNs sort last; `valid`
        counts the others), as median, nanmedian and kthvalue: along a dim, the gradient goes to that entry;
        of the whole tensor, it is shared by the entries equal to the result, as in PyTorch."""
        checks.boolean(name, "keepdim", keepdim)
        x = self if dim is not None else self.reshape(-1)
        d = x._wrap_dim(0 if dim is None else dim, name)
        n = x.shape[d] if x.ndim else 1
        if n == 0 and dim is not None:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
        if self.array.dtype == np.bool_:
            kernel = "kthvalue_cpu" if name == "kthvalue" else "median_cpu" if dim is None else "median_out"
            raise checks.not_implemented_for(kernel, self.array.dtype)
        if n == 0:
            kind = self.array.dtype
            return self.sum() + np.nan if kind.kind == "f" else Tensor._make(np.array(np.iinfo(kind).min, kind), False)
        array = x.array if x.ndim else x.array.reshape(1)
        nan = np.isnan(array) if array.dtype.kind == "f" else np.zeros(array.shape, bool)
        valid = np.sum(~nan, axis=d, keepdims=True)
        k = np.broadcast_to(position(valid, n), valid.shape).astype(np.int64)
        index = np.take_along_axis(x._sorted_order(d, False).reshape(array.shape), k, d)
        index = index if x.ndim else index.reshape(())
        if dim is None:
            value = array[index.reshape(())]
            shared = (array == value) | (nan & np.isnan(value))
            zero = Tensor._make(np.zeros((), array.dtype), False)
            if array.dtype.kind != "f" or shared.sum() == 1:
                return name_node(x.gather(0, index).reshape(()), f"{name.capitalize()}Backward0")
            return name_node((x._keep_where(shared, zero) / builtins.float(shared.sum())).sum(),
                             f"{name.capitalize()}Backward0")
        values, kept = x.gather(d, index), index
        if not keepdim and x.ndim:
            values, kept = values.squeeze(d), kept.squeeze(d)
        return result(name_node(values, f"{name.capitalize()}Backward{1 if name != 'kthvalue' else 0}"),
                      Tensor._make(np.asarray(kept), False))

    def median(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The lower median (NaN if the slice holds one); with `dim`, (values, indices) along it."""
        return self._order_statistic("median", dim, keepdim, lambda v, n: np.where(v < n, v, (n - 1) // 2),
                                     MedianResult)

    def nanmedian(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The lower median of the entries that are not NaN."""
        return self._order_statistic("nanmedian", dim, keepdim, lambda v, n: np.maximum(v - 1, 0) // 2,
                                     NanmedianResult)

    def kthvalue(self, k: int, dim: int = -1, keepdim: bool = False) -> Any:
        """The k-th smallest entry (k from 1) along `dim` and its index."""
        k = checks.integer("kthvalue", "k", k)
        size = self.shape[self._wrap_dim(dim)] if self.ndim else 1
        if not 1 <= k <= size:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {self._wrap_dim(dim)}")
        return self._order_statistic("kthvalue", dim, keepdim, lambda v, n: np.asarray(k - 1), KthvalueResult)

    def mode(self, dim: int = -1, keepdim: bool = False) -> Any:
        """The most frequent value along `dim` (the smallest of equally frequent ones) and its last index."""
        d = self._wrap_dim(dim, "mode")
        checks.boolean("mode", "keepdim", keepdim)
        array = np.moveaxis(self.array.reshape(self.shape or (1,)), d, -1)
        rows = array.reshape(-1, array.shape[-1])
        if rows.shape[-1] == 0:
            raise IndexError(f"mode(): Expected reduction dim {d} to have non-zero size.")
        found = np.zeros(len(rows), np.int64)
        for r, row in enumerate(rows):
            values, counts = np.unique(row, return_counts=True)
            found[r] = np.flatnonzero(row == values[np.argmax(counts)])[-1]
        index = np.moveaxis(found.reshape(array.shape[:-1] + (1,)), -1, d) if self.ndim else np.zeros((), np.int64)
        values, kept = self.gather(d, index), index
        if not keepdim and self.ndim:
            values, kept = values.squeeze(d), kept.squeeze(d)
        return ModeResult(name_node(values, "ModeBackward0"), Tensor._make(np.asarray(kept), False))

    def _quantile(self, name: str, q: Any, dim: Any, keepdim: bool, interpolation: str, skip_nan: bool) -> Tensor:
        if self.array.dtype.kind != "f":
            raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
        if isinstance(q, Tensor):
            if q.array.dtype != self.array.dtype:
                raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
            if q.ndim > 1:
                raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        qs = np.asarray(q.array if isinstance(q, Tensor) else q, dtype=np.float64)
        if qs.size and (qs.min() < 0 or qs.max() > 1):
            raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
        if interpolation not in ("linear", "lower", "higher", "midpoint", "nearest"):
            raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest. "
                               f"Got {interpolation}")
        if self.numel() == 0:
            raise RuntimeError(f"{name}() input tensor must be non-empty")
        x = self.reshape(-1) if dim is None else self if self.ndim else self.reshape(1)
        d = x._wrap_dim(0 if dim is None else dim)
        n = x.shape[d]
        ordered = x.sort(d).values
        valid = np.sum(~np.isnan(x.array), axis=d, keepdims=True)
        last = (valid - 1 if skip_nan else np.full(valid.shape, n - 1)).clip(0)
        stuck = valid == 0 if skip_nan else valid < n  # all NaN, or (quantile) some NaN: the result is NaN
        weights = q.reshape(-1) if isinstance(q, Tensor) else None
        picked = []
        for i, one in enumerate(qs.reshape(-1)):
            rank = np.where(stuck, last, one * last)
            rank = {"lower": np.floor(rank), "higher": np.ceil(rank), "nearest": np.round(rank)}.get(interpolation,
                                                                                                      rank)
            low, high = np.floor(rank).astype(np.int64), np.ceil(rank).astype(np.int64)
            a, b = ordered.gather(d, low), ordered.gather(d, high)
            if interpolation == "linear" and weights is not None:  # the weight is differentiable in q
                weight = weights[i] * Tensor._make(last.astype(x.array.dtype), False) - Tensor._make(
                    low.astype(x.array.dtype), False)
            else:
                weight = Tensor._make((rank - low if interpolation != "midpoint" else np.where(high > low, 0.5, 0.0))
                                      .astype(x.array.dtype), False)
            picked.append(a + (b - a) * weight)
        out = ops.Stack.apply(*picked, axis=0)
        if keepdim:
            shape = (1,) * self.ndim if dim is None else out.shape[1:]
            out = out.reshape((len(picked),) + tuple(shape))
        else:
            out = out.squeeze(d + 1) if dim is not None and self.ndim else out.reshape(len(picked))
        return out if qs.ndim else out.squeeze(0)

    def quantile(self, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
        """The q-th quantiles along `dim` (of everything when None); a tensor q adds a first dim."""
        return self._quantile("quantile", q, dim, keepdim, interpolation, skip_nan=False)

    def nanquantile(self, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear") -> Tensor:
        """quantile of the entries that are not NaN."""
        return self._quantile("nanquantile", q, dim, keepdim, interpolation, skip_nan=True)

    def nansum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """sum with NaN counted as 0."""
        checks.boolean("nansum", "keepdim", keepdim)
        if self.array.dtype.kind != "f":
            return self.sum(dim, keepdim, dtype=dtype)
        zero = Tensor._make(np.zeros((), self.array.dtype), False)
        return name_node(self._keep_where(~np.isnan(self.array), zero).sum(dim, keepdim, dtype=dtype),
                         "NansumBackward0")

    def nanmean(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """mean of the entries that are not NaN."""
        x = self if dtype is None else self.astype(dtype)
        if x.array.dtype.kind != "f":
            raise RuntimeError("nanmean(): expected input to have floating point or complex dtype but got "
                               f"{checks.scalar_type_name(x.array.dtype)}")
        count = Tensor._make(np.asarray(np.sum(~np.isnan(x.array), axis=checks.dims(dim, x.ndim), keepdims=keepdim),
                                        dtype=x.array.dtype), False)
        return x.nansum(dim, keepdim) / count

    def count_nonzero(self, dim: Any = None) -> Tensor:
        """The number of nonzero entries (int64), over `dim` or everything."""
        return Tensor._make(np.asarray(np.count_nonzero(self.array, axis=checks.dims(dim, self.ndim)), np.int64),
                            False)

    def aminmax(self, *, dim: int | None = None, keepdim: bool = False) -> Any:
        """(min, max) at once: amin and amax over `dim` (everything when None)."""
        dim, keepdim = checks.optional_integer("aminmax", "dim", dim), checks.boolean("aminmax", "keepdim", keepdim)
        if dim is None and keepdim:
            low, high = self.amin(tuple(range(self.ndim)), True), self.amax(tuple(range(self.ndim)), True)
        else:
            axes = () if dim is None else dim
            low, high = self.amin(axes, keepdim), self.amax(axes, keepdim)
        return AminmaxResult(name_node(low, "AminmaxBackward0"), name_node(high, "AminmaxBackward0"))

    def unique(self, sorted: bool = True, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
               dim: int | None = None) -> Any:
        """The distinct entries (or slices along `dim`) in ascending order, optionally with the inverse
        indices and the counts; never differentiable, as in PyTorch."""
        for name, flag in (("sorted", sorted), ("return_inverse", return_inverse), ("return_counts", return_counts)):
            checks.boolean("_unique2", name, flag)
        axis = self._unique_dim(dim)
        values, inverse, counts = np.unique(self.array, return_inverse=True, return_counts=True, axis=axis)
        inverse = inverse.reshape(self.shape if axis is None else (self.shape[axis],) if self.ndim else ())
        return self._with_extras(values, inverse, counts, return_inverse, return_counts)

    @staticmethod
    def _with_extras(values: np.ndarray, inverse: np.ndarray, counts: np.ndarray, return_inverse: bool,
                     return_counts: bool) -> Any:
        extras = [Tensor._make(a.astype(np.int64), False) for a, wanted in ((inverse, return_inverse),
                                                                            (counts, return_counts)) if wanted]
        out = Tensor._make(values, False)
        return (out, *extras) if extras else out

    def _unique_dim(self, dim: Any) -> int | None:
        if dim is not None and self.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return None if dim is None else self._wrap_dim(dim)

    def unique_consecutive(self, return_inverse: bool = False, return_counts: bool = False,
                           dim: int | None = None) -> Any:
        """Keep the first of each run of equal entries (or slices along `dim`)."""
        checks.boolean("unique_consecutive", "return_inverse", return_inverse)
        checks.boolean("unique_consecutive", "return_counts", return_counts)
        axis = self._unique_dim(dim)
        array = self.array.reshape(-1) if axis is None else np.moveaxis(self.array.reshape(self.shape or (1,)),
                                                                        axis, 0)
        changed = np.ones(len(array), bool)
        if len(array) > 1:
            differ = array[1:] != array[:-1]
            changed[1:] = differ.reshape(len(array) - 1, -1).any(axis=1)
        starts = np.flatnonzero(changed)
        values = array[starts] if axis is None else np.moveaxis(array[starts], 0, axis)
        inverse = np.cumsum(changed) - 1
        counts = np.diff(np.append(starts, len(array)))
        return self._with_extras(values, inverse.reshape(self.shape) if axis is None else inverse, counts,
                                 return_inverse, return_counts)

    def nonzero(self, *, as_tuple: bool = False) -> Any:
        """int64 indices of the nonzero entries: one row each, or with as_tuple one index tensor per dim."""
        checks.boolean("nonzero", "as_tuple", as_tuple)
        if as_tuple:
            return tuple(Tensor._make(i.astype(np.int64), False) for i in np.nonzero(np.atleast_1d(self.array)))
        return Tensor._make(np.argwhere(self.array).astype(np.int64), False)

    def argwhere(self) -> Tensor:
        return self.nonzero()

    def masked_select(self, mask: Tensor) -> Tensor:
        """The entries where the boolean `mask` (broadcast with this tensor) is True, as a 1-D tensor."""
        mask_array = np.asarray(mask.array if isinstance(mask, Tensor) else mask)
        if mask_array.dtype != np.bool_:
            raise RuntimeError(f"masked_select: expected BoolTensor for mask but got "
                               f"{checks.scalar_type_name(mask_array.dtype)}")
        shape = checks.broadcast_shapes(self.array.shape, mask_array.shape)
        return name_node(ops.GetItem.apply(self.expand(shape), index=np.broadcast_to(mask_array, shape)),
                         "MaskedSelectBackward0")

    def take(self, index: Tensor) -> Tensor:
        """The entries at `index` of the flattened tensor (negative indices count from the end)."""
        _tensors("take", index=index)
        array = index.array
        if array.dtype != np.int64:
            raise RuntimeError("take(): Expected a long tensor for index, but got "
                               f"{checks.scalar_type_name(array.dtype)}")
        n = self.numel()
        if array.size and (array.min() < -n or array.max() >= n):
            bad = array[(array < -n) | (array >= n)].flat[0]
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
        return name_node(ops.GetItem.apply(self.reshape(-1), index=array % builtins.max(n, 1)), "TakeBackward0")

    def take_along_dim(self, indices: Tensor, dim: int | None = None) -> Tensor:
        """gather with `indices` broadcast against this tensor off `dim` (of the flattened tensor when None)."""
        _tensors("take_along_dim", indices=indices)
        if dim is None:
            return self.reshape(-1).gather(0, indices.reshape(-1))
        d = self._wrap_dim(dim)
        index = np.asarray(indices.array)
        if index.dtype != np.int64:
            raise RuntimeError("torch.take_along_dim(): dtype of indices should be int64 but got "
                               f"{checks.scalar_type_name(index.dtype)} instead.")
        if index.ndim != self.ndim:
            raise RuntimeError("torch.take_along_dim(): input and indices should have the same number of dimensions, "
                               f"but got {self.ndim} dimensions for input, and {index.ndim} dimensions for indices")
        off = list(checks.broadcast_shapes(tuple(1 if i == d else n for i, n in enumerate(self.shape)),
                                           tuple(1 if i == d else n for i, n in enumerate(index.shape))))
        x = self.expand(tuple(n if i != d else self.shape[d] for i, n in enumerate(off)))
        return x.gather(d, np.broadcast_to(index, tuple(n if i != d else index.shape[d] for i, n in enumerate(off))))

    def narrow(self, dim: int, start: Any, length: int) -> Tensor:
        """The entries start..start+length-1 along `dim` (a view in PyTorch)."""
        if self.ndim == 0:
            raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
        d = self._wrap_dim(dim)
        size, start = self.shape[d], checks.integer("narrow", "start", start)
        length = checks.integer("narrow", "length", length)
        if not -size <= start <= size:
            raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], but got {start})")
        start %= builtins.max(size, 1) if start < 0 else size + 1
        if length < 0 or start + length > size:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
        return self[(slice(None),) * d + (slice(start, start + length),)]

    def select(self, dim: int, index: int) -> Tensor:
        """The slice at `index` along `dim`, that dim removed."""
        if self.ndim == 0:
            raise IndexError("select() cannot be applied to a 0-dim tensor.")
        d, index = self._wrap_dim(dim, "select"), checks.integer("select", "index", index)
        size = self.shape[d]
        if not -size <= index < size:
            raise IndexError(f"select(): index {index} out of range for tensor of size {list(self.shape)} at "
                             f"dimension {d}")
        return self[(slice(None),) * d + (int(index),)]

    def movedim(self, source: Any, destination: Any) -> Tensor:
        """Move the dims `source` to the positions `destination`, the others keeping their order."""
        src, dst = list(checks.integers("movedim", "source", source, single=True)), list(
            checks.integers("movedim", "destination", destination, single=True))
        if len(src) != len(dst):
            raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) should contain the "
                               f"same number of dims as destination ({dst} dims)")
        src, dst = [checks.dim(s, self.ndim) for s in src], [checks.dim(s, self.ndim) for s in dst]
        if len(set(src)) != len(src) or len(set(dst)) != len(dst):
            raise RuntimeError("movedim: repeated dim in `source` or `destination`")
        if self.ndim == 0:
            return self.reshape(())
        rest = iter(i for i in range(self.ndim) if i not in src)
        placed = dict(zip(dst, src, strict=True))
        return ops.Permute.apply(self, order=tuple(placed[i] if i in placed else next(rest) for i in range(self.ndim)))

    moveaxis = movedim

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        return self.transpose(dim0, dim1)

    def unflatten(self, dim: int, sizes: Sequence[int]) -> Tensor:
        """Split dim `dim` into the dims `sizes` (one may be -1)."""
        d = self._wrap_dim(dim, "unflatten")
        sizes = checks.integers("unflatten", "sizes", sizes)
        if not sizes:
            raise RuntimeError("unflatten: sizes must be non-empty")
        return self.reshape(self.shape[:d] + _unflattened(sizes, self.shape[d] if self.ndim else 1, d) +
                            self.shape[d + 1:])

    def unfold(self, dimension: int, size: int, step: int) -> Tensor:
        """The windows of `size` entries every `step` along `dimension`, as a new last dim."""
        d = self._wrap_dim(dimension)
        length = self.shape[d] if self.ndim else 1
        if size > length:
            raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is {size}")
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        windows = np.arange(0, length - size + 1, step)[:, None] + np.arange(size)
        x = self if self.ndim else self.reshape(1)
        picked = ops.GetItem.apply(x, index=(slice(None),) * d + (windows,))
        order = tuple(i for i in range(picked.ndim) if i != d + 1) + (d + 1,)
        out = ops.Permute.apply(picked, order=order)
        return name_node(out if self.ndim else out.reshape(size), "UnfoldBackward0")

    def tile(self, *sizes: Any, dims: Any = None) -> Tensor:
        """repeat, with fewer `dims` than dims taken as leading 1s (NumPy's tile)."""
        reps = _sizes_arg("tile", "dims", sizes, dims)
        return self.repeat((1,) * (self.ndim - len(reps)) + reps)

    def repeat_interleave(self, repeats: Any = None, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:
        """Each entry (or slice along `dim`) repeated `repeats` times (a number, or one count per entry)."""
        x = self.reshape(-1) if dim is None else self
        d = x._wrap_dim(0 if dim is None else dim)
        n = x.shape[d] if x.ndim else 1
        counts = np.asarray(repeats.array if isinstance(repeats, Tensor) else repeats)
        if isinstance(repeats, Tensor):
            _repeat_counts(counts)
        if counts.dtype.kind not in "iu" or counts.ndim > 1:
            raise RuntimeError("repeat_interleave: repeats must be an int or a 0-d or 1-d tensor of ints")
        if counts.ndim == 1 and len(counts) not in (1, n):
            raise RuntimeError("repeats must have the same size as input along dim, but got repeats.size(0) = "
                               f"{len(counts)} and input.size({d}) = {n}")
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        index = np.repeat(np.arange(n), counts.reshape(-1) if counts.ndim else int(counts))
        out = x.index_select(d, index) if x.ndim else x.reshape(1).index_select(0, index)
        return name_node(out, "ViewBackward0") if not isinstance(repeats, Tensor) else out

    def ravel(self) -> Tensor:
        return self.reshape(-1)

    def tensor_split(self, sections: Any = None, dim: int = 0, *, indices: Any = None,
                     tensor_indices_or_sections: Any = None) -> tuple[Tensor, ...]:
        """Pieces along `dim`: n of nearly equal size (the first ones larger), or cut at the given indices (the
        keyword names are torch's overloads': sections, indices, tensor_indices_or_sections)."""
        indices_or_sections = _one_argument("tensor_split", sections=sections, indices=indices,
                                            tensor_indices_or_sections=tensor_indices_or_sections)
        if self.ndim == 0:
            raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims")
        d = self._wrap_dim(dim)
        length = self.shape[d]
        if isinstance(indices_or_sections, Tensor):
            cuts = indices_or_sections.tolist()
        elif isinstance(indices_or_sections, Sequence):
            cuts = list(checks.integers("tensor_split", "indices", indices_or_sections))
        else:
            cuts = checks.integer("tensor_split", "sections", indices_or_sections)
        if isinstance(cuts, int):
            if cuts <= 0:
                raise RuntimeError(f"number of sections must be larger than 0, got {cuts}")
            small, extra = divmod(length, cuts)
            bounds = list(np.cumsum([small + 1] * extra + [small] * (cuts - extra))[:-1])
        else:
            bounds = [builtins.min(builtins.max(int(c) if c >= 0 else length + int(c), 0), length) for c in cuts]
        edges = [0, *bounds, length]
        return tuple(self[(slice(None),) * d + (slice(a, builtins.max(a, b)),)]
                     for a, b in zip(edges[:-1], edges[1:], strict=True))

    def _split_along(self, name: str, dim: int, needed: int, sections: Any) -> tuple[Tensor, ...]:
        if self.ndim < needed:
            raise RuntimeError(f"torch.{name} requires a tensor with at least {needed} dimension, but got a tensor "
                               f"with {self.ndim} dimensions!")
        if isinstance(sections, Sequence):
            sections = checks.integers(name, "indices", sections)
        elif not isinstance(sections, Tensor):
            sections = checks.integer(name, "sections", sections)
        if isinstance(sections, int) and (sections == 0 or self.shape[dim] % sections):
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the dimension "
                               f"{self.shape[dim]} is not divisible by the split_size {sections}!")
        return self.tensor_split(sections, dim)

    def hsplit(self, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
        return self._split_along("hsplit", 0 if self.ndim == 1 else 1, 1,
                                 _one_argument("hsplit", sections=sections, indices=indices))

    def vsplit(self, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
        return self._split_along("vsplit", 0, 2, _one_argument("vsplit", sections=sections, indices=indices))

    def dsplit(self, sections: Any = None, *, indices: Any = None) -> tuple[Tensor, ...]:
        return self._split_along("dsplit", 2, 3, _one_argument("dsplit", sections=sections, indices=indices))

    def rot90(self, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:
        """Rotate by 90 degrees k times in the plane of `dims`, from the first towards the second."""
        k, dims = checks.integer("rot90", "k", k), checks.integers("rot90", "dims", dims)
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if self.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {self.ndim}")
        a, b = (checks.dim(v, self.ndim) for v in dims)
        if a == b:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {a} and dim1 = {b}")
        turns = k % 4
        out = self.clone() if turns == 0 else self.flip(a, b) if turns == 2 else \
            self.flip(b).transpose(a, b) if turns == 1 else self.transpose(a, b).flip(b)
        return name_node(out, "Rot90Backward0")

    def fliplr(self) -> Tensor:
        if self.ndim < 2:
            raise RuntimeError("Input must be >= 2-d.")
        return self.flip(1)

    def flipud(self) -> Tensor:
        if self.ndim < 1:
            raise RuntimeError("Input must be >= 1-d.")
        return self.flip(0)

    def diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The entries (i, i + offset) of the plane (dim1, dim2), as a new last dim."""
        offset = checks.integer("diagonal", "offset", offset)
        a, b = checks.dim(dim1, self.ndim, "diagonal"), checks.dim(dim2, self.ndim, "diagonal")
        if a == b:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        x = self.movedim((a, b), (-2, -1))
        rows, cols = x.shape[-2:]
        start_row, start_col = builtins.max(-offset, 0), builtins.max(offset, 0)
        count = builtins.max(builtins.min(rows - start_row, cols - start_col), 0)
        steps = np.arange(count)
        return name_node(ops.GetItem.apply(x, index=(Ellipsis, start_row + steps, start_col + steps)),
                         "DiagonalBackward0")

    def diag_embed(self, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Matrices in the plane (dim1, dim2) of a new tensor, with the last dim's entries on diagonal `offset`."""
        offset = checks.integer("diag_embed", "offset", offset)
        if self.ndim == 0:
            raise IndexError("Dimension specified as -1 but tensor has no dimensions")
        a, b = checks.dim(dim1, self.ndim + 1), checks.dim(dim2, self.ndim + 1)
        if a == b:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        n = self.shape[-1]
        size = n + builtins.abs(offset)
        steps = np.arange(n)
        zeros = Tensor._make(np.zeros(self.shape[:-1] + (size, size), self.array.dtype), False)
        index = (Ellipsis, steps + builtins.max(-offset, 0), steps + builtins.max(offset, 0))
        out = ops.IndexPut.apply(zeros, self, index=index)
        return name_node(out.movedim((-2, -1), (a, b)), "DiagEmbedBackward0")

    def diagflat(self, offset: int = 0) -> Tensor:
        return self.reshape(-1).diag_embed(checks.integer("diagflat", "offset", offset))

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector's square matrix with it on `diagonal`, or a matrix's `diagonal` as a vector."""
        diagonal = checks.integer("diag", "diagonal", diagonal)
        if self.ndim not in (1, 2):
            raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {self.ndim}D")
        return self.diag_embed(diagonal) if self.ndim == 1 else self.diagonal(diagonal)

    def trace(self) -> Tensor:
        """The sum of the main diagonal of a matrix (int64 for integers)."""
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for("trace", self.array.dtype)
        if self.ndim != 2:
            raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {self.ndim}")
        return name_node(self.diagonal().sum(), "TraceBackward0")

    def outer(self, vec2: Tensor) -> Tensor:
        """vec1[i] * vec2[j], as a matrix."""
        _tensors("outer", vec2=vec2)
        for name, v in (("self", self), ("vec2", vec2)):
            if v.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
        return self.reshape(-1, 1) * vec2

    ger = outer

    def _vector_product(self, name: str, other: Tensor) -> Tensor:
        _tensors(name, tensor=other)
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        if self.array.dtype != other.array.dtype:
            raise RuntimeError(f"{name} : expected both vectors to have same dtype, but found "
                               f"{_scalar_type_name(self.array.dtype)} and {_scalar_type_name(other.array.dtype)}")
        return self @ other

    def dot(self, tensor: Tensor) -> Tensor:
        return self._vector_product("dot", tensor)

    def vdot(self, other: Tensor) -> Tensor:
        return name_node(self._vector_product("vdot", other), "VdotBackward0")

    def inner(self, other: Tensor) -> Tensor:
        """Sums of products over the last dims: shape self.shape[:-1] + other.shape[:-1]."""
        _tensors("inner", other=other)
        if self.ndim == 0 or other.ndim == 0:
            return self * other
        if self.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but got shapes "
                               f"{list(self.shape)} and {list(other.shape)}")
        k = self.shape[-1]
        return (self.reshape(-1, k) @ other.reshape(-1, k).t()).reshape(self.shape[:-1] + other.shape[:-1])

    def mv(self, vec: Tensor) -> Tensor:
        _tensors("mv", vec=vec)
        if self.ndim != 2 or vec.ndim != 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self.ndim}, {vec.ndim}")
        return self @ vec

    def _scaled_sum(self, name: str, product: Tensor, beta: Any, alpha: Any) -> Tensor:
        """beta * self + alpha * product (self broadcast to the product's shape; beta=0 ignores self's values)."""
        if name != "addr" and self.array.dtype != product.array.dtype:  # addr alone promotes
            ours, theirs = checks.scalar_type_name(self.array.dtype), checks.scalar_type_name(product.array.dtype)
            raise RuntimeError(f"addmv input tensors must have the same dtype, but got {ours}, {theirs}, and {theirs}"
                               if name == "addmv" else
                               f"self and mat2 must have the same dtype, but got {ours} and {theirs}")
        checks.broadcast_shapes(self.array.shape, product.array.shape)
        if checks.broadcast_shapes(self.array.shape, product.array.shape) != product.array.shape:
            raise RuntimeError(f"{name}: the input of shape {list(self.shape)} does not broadcast to the product's "
                               f"shape {list(product.shape)}")
        if self.array.dtype.kind in "biu":  # integer and bool inputs keep their dtype, and so do the factors
            alpha, beta = (builtins.bool if self.array.dtype == np.bool_ else builtins.int)(alpha), \
                (builtins.bool if self.array.dtype == np.bool_ else builtins.int)(beta)
        scaled = product if alpha == 1 else product * alpha
        zero = Tensor._make(np.zeros((), self.array.dtype), False)
        base = self._keep_where(np.zeros((), bool), zero) if beta == 0 else self if beta == 1 else self * beta
        return name_node(base + scaled, f"{name.capitalize()}Backward0")

    def addmm(self, mat1: Tensor, mat2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """beta * self + alpha * (mat1 @ mat2)."""
        _tensors("addmm", mat1=mat1, mat2=mat2)
        return self._scaled_sum("addmm", mat1.mm(mat2), beta, alpha)

    def addmv(self, mat: Tensor, vec: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        _tensors("addmv", mat=mat, vec=vec)
        return self._scaled_sum("addmv", mat.mv(vec), beta, alpha)

    def addr(self, vec1: Tensor, vec2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        _tensors("addr", vec1=vec1, vec2=vec2)
        return self._scaled_sum("addr", vec1.outer(vec2), beta, alpha)

    def baddbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        _tensors("baddbmm", batch1=batch1, batch2=batch2)
        return self._scaled_sum("baddbmm", batch1.bmm(batch2), beta, alpha)

    def addbmm(self, batch1: Tensor, batch2: Tensor, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        _tensors("addbmm", batch1=batch1, batch2=batch2)
        product = batch1.bmm(batch2)
        return self._scaled_sum("addbmm", product.sum(0).astype(product.array.dtype), beta, alpha)

    def kron(self, other: Tensor) -> Tensor:
        """The Kronecker product: every entry of self times all of other, in blocks."""
        _tensors("kron", other=other)
        n = builtins.max(self.ndim, other.ndim)
        a, b = self.reshape((1,) * (n - self.ndim) + self.shape), other.reshape((1,) * (n - other.ndim) + other.shape)
        product = a.reshape(tuple(v for m in a.shape for v in (m, 1))) * b.reshape(
            tuple(v for m in b.shape for v in (1, m)))
        return name_node(product.reshape(tuple(p * q for p, q in zip(a.shape, b.shape, strict=True))),
                         "UnsafeViewBackward0")

    def cross(self, other: Tensor, dim: int | None = None) -> Tensor:
        """The cross product of 3-vectors along `dim` (the first dim of size 3 when None)."""
        _tensors("cross", other=other)
        if self.array.dtype == np.bool_:
            raise checks.not_implemented_for("cross", self.array.dtype)
        shape = checks.broadcast_shapes(self.array.shape, other.array.shape)
        if self.ndim != other.ndim:
            raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
        if other.array.dtype != self.array.dtype:
            raise RuntimeError(f"expected scalar type {_scalar_type_name(self.array.dtype)} but found "
                               f"{_scalar_type_name(other.array.dtype)}")
        if dim is None:
            dim = next((i for i, n in enumerate(shape) if n == 3), None)
            if dim is None:
                raise RuntimeError("no dimension of size 3 in input")
        d = checks.dim(dim, len(shape))
        if self.shape[d] != 3 or other.shape[d] != 3:
            raise RuntimeError(f"linalg.cross: inputs dimension {d} must have length 3. Got {self.shape[d]} and "
                               f"{other.shape[d]}")
        a, b = self.expand(shape), other.expand(shape)
        return name_node(a.roll(-1, d) * b.roll(-2, d) - a.roll(-2, d) * b.roll(-1, d), "LinalgCrossBackward0")

    def diff(self, n: int = 1, dim: int = -1, prepend: Tensor | None = None, append: Tensor | None = None) -> Tensor:
        """The n-th forward difference along `dim` (!= for bools), after joining prepend and append."""
        n = checks.integer("diff", "n", n)
        _tensors("diff", **{k: v for k, v in (("prepend", prepend), ("append", append)) if v is not None})
        if self.ndim == 0:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        d = self._wrap_dim(dim, "diff")
        parts = [p for p in (prepend, self, append) if p is not None]
        if any(p.ndim != self.ndim for p in parts):
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        x = parts[0] if len(parts) == 1 else ops.Concatenate.apply(*parts, axis=d)
        for _ in range(n):
            length = x.shape[d]
            if length == 0:
                break
            later, earlier = x.narrow(d, 1, length - 1), x.narrow(d, 0, length - 1)
            x = later.ne(earlier) if x.array.dtype == np.bool_ else later - earlier
        return x

    def _index_vector(self, name: str, dim: int, index: Any, bounds: bool = True) -> tuple[int, np.ndarray]:
        d = self._wrap_dim(dim)
        array = np.asarray(index.array if isinstance(index, Tensor) else index)
        if array.dtype not in (np.int32, np.int64):
            raise IndexError(f"{name}(): Expected dtype int32/int64 for index but got "
                             f"{checks.scalar_type_name(array.dtype)}")
        if array.ndim > 1:
            raise IndexError(f"{name}(): Index is supposed to be a vector")
        size = self.shape[d] if self.ndim else 1
        if bounds and array.size and (array.min() < -size or array.max() >= size):
            raise IndexError("index out of range in self")
        return d, array.reshape(-1).astype(np.int64) % builtins.max(size, 1)

    def _along_index(self, name: str, dim: int, index: Any, source: Tensor) -> tuple[int, np.ndarray]:
        """index_add/index_copy's index as scatter's: source's shape, with index along `dim`."""
        d = self._wrap_dim(dim)
        size = self.shape[d] if self.ndim else 1
        given = np.asarray(index.array if isinstance(index, Tensor) else index).reshape(-1)
        bounds = not self._unchecked_add(name)
        if bounds and given.dtype.kind in "iu" and given.size and (given.min() < -size or given.max() >= size):
            bad = given[(given < -size) | (given >= size)][0]
            message = f"index {bad} is out of bounds for dimension {d} with size {size}"
            raise RuntimeError(message) if name == "index_add" else IndexError(f"{name}_(): {message}")
        if name == "index_copy" and source.ndim and len(given) != source.shape[d]:
            raise IndexError(f"index_copy_(): Number of indices ({len(given)}) should be equal to source.size(dim) "
                             f"({source.shape[d]})")
        d, array = self._index_vector(name, dim, index, bounds)
        if source.array.dtype != self.array.dtype:
            raise RuntimeError(f"{name}(): self ({checks.scalar_type_name(self.array.dtype)}) and source "
                               f"({checks.scalar_type_name(source.array.dtype)}) must have the same scalar type")
        expected = self.shape[:d] + (len(array),) + self.shape[d + 1:] if self.ndim else (len(array),) * (
            source.ndim > 0)
        if tuple(source.shape) != tuple(expected):
            raise RuntimeError(f"{name}(): Source/destination tensor must have same slice shapes. Destination slice "
                               f"shape: {list(self.shape)} at dimension {d} and source slice shape: "
                               f"{list(source.shape)} at dimension {d}.")
        if not self.ndim:
            return d, array.reshape(source.shape)
        return d, np.broadcast_to(np.expand_dims(array, tuple(i for i in range(self.ndim) if i != d)), source.shape)

    def _unchecked_add(self, name: str) -> bool:
        """index_add into an empty tensor of 2 or more dims: PyTorch checks no index (its 1-d kernel does)."""
        return name == "index_add" and self.numel() == 0 and self.ndim > 1

    def index_add(self, dim: int, index: Any, source: Tensor, *, alpha: Any = 1) -> Tensor:
        """A copy with source's slices (times alpha) added at the positions `index` along `dim`."""
        _tensors("index_add", index=index, source=source)
        d, spread = self._along_index("index_add", dim, index, source)
        if self._unchecked_add("index_add"):
            return name_node(self.clone(), "IndexAddBackward0")
        return name_node(ops.ScatterAdd.apply(self, source if alpha == 1 else source * alpha, dim=d, index=spread,
                                              add=True), "IndexAddBackward0")

    def index_copy(self, dim: int, index: Any, source: Tensor) -> Tensor:
        """A copy with source's slices written at the positions `index` along `dim`."""
        _tensors("index_copy", source=source)
        d, spread = self._along_index("index_copy", dim, index, source)
        return name_node(ops.ScatterSrc.apply(self, source, dim=d, index=spread, add=False), "IndexCopyBackward0")

    def index_fill(self, dim: int, index: Any, value: Any) -> Tensor:
        """A copy with `value` at the positions `index` along `dim`."""
        d, array = self._index_vector("index_fill", dim, index)
        mask = np.zeros(self.shape[d] if self.ndim else 1, bool)
        mask[array] = True
        mask = mask.reshape((-1,) + (1,) * (self.ndim - d - 1)) if self.ndim else mask.reshape(())
        return name_node(self.masked_fill(np.broadcast_to(mask, self.shape), value), "IndexFillBackward0")

    def index_put(self, indices: Sequence[Any], values: Any, accumulate: bool = False) -> Tensor:
        """A copy with self[indices] = values (with accumulate, += and repeated indices add up)."""
        _tensors("index_put", values=values)
        checks.boolean("index_put", "accumulate", accumulate)
        if not isinstance(indices, tuple | list):
            raise TypeError(f"index_put(): argument 'indices' must be tuple of Tensors, not {type(indices).__name__}")
        index = _plain_index(tuple(indices))
        value = values if isinstance(values, Tensor) else Tensor._make(np.asarray(values), False)
        if value.array.dtype != self.array.dtype:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{checks.scalar_type_name(self.array.dtype)} for the destination and "
                               f"{checks.scalar_type_name(value.array.dtype)} for the source.")
        try:
            indexed = np.empty(self.array.shape, np.bool_)[index].shape
        except (ValueError, IndexError) as e:
            raise checks.translate("index_put", [self.array.shape], e) from e
        try:
            fits = np.broadcast_shapes(value.array.shape, indexed) == indexed
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(f"shape mismatch: value tensor of shape {list(value.shape)} cannot be broadcast to "
                               f"indexing result of shape {list(indexed)}")
        return ops.IndexPut.apply(self, value, index=index, accumulate=bool(accumulate))

    def masked_scatter(self, mask: Tensor, source: Tensor) -> Tensor:
        """A copy with the entries where `mask` holds replaced, in order, by source's first entries."""
        _tensors("masked_scatter", mask=mask, source=source)
        mask_array = np.asarray(mask.array if isinstance(mask, Tensor) else mask)
        if mask_array.dtype != np.bool_:
            raise RuntimeError("masked_scatter_ only supports boolean masks, but got mask with dtype "
                               f"{checks.scalar_type_name(mask_array.dtype)}")
        if source.array.dtype != self.array.dtype:
            raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got "
                               f"{checks.scalar_type_name(self.array.dtype)} and "
                               f"{checks.scalar_type_name(source.array.dtype)}")
        shape = checks.broadcast_shapes(self.array.shape, mask_array.shape)
        mask_array = np.broadcast_to(mask_array, shape)
        count = int(mask_array.sum())
        if count > source.numel():
            raise RuntimeError("masked_scatter: expected source to have at least as many elements as ones in mask")
        return name_node(ops.IndexPut.apply(self.expand(shape), source.reshape(-1)[:count], index=mask_array),
                         "MaskedScatterBackward0")

    def scatter_reduce(self, dim: int, index: Any, src: Tensor, reduce: str, *, include_self: bool = True) -> Tensor:
        """A copy with src reduced into self at index along dim by sum, prod, mean, amax or amin."""
        if reduce not in ("sum", "prod", "mean", "amax", "amin"):
            raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
        checks.boolean("scatter_reduce", "include_self", include_self)
        if not isinstance(src, Tensor):
            raise TypeError(f"scatter_reduce(): argument 'src' must be Tensor, not {type(src).__name__}")
        if src.array.dtype != self.array.dtype:
            raise RuntimeError("scatter_reduce(): Expected self.dtype to be equal to src.dtype")
        if reduce == "mean" and self.array.dtype == np.bool_:
            raise checks.not_implemented_for("scatter_gather_tensor_cpu_reduce_mean", self.array.dtype)
        index_array = self._index_arg("scatter_reduce", index)
        d = self._along_dim_check("scatter_reduce", dim, index_array, src.shape)
        if self.ndim == 0:
            raise NotImplementedError("scatter_reduce on a 0-d tensor is not supported here")
        return ops.ScatterReduce.apply(self, src, dim=d, index=index_array, reduce=reduce,
                                       include_self=bool(include_self))

    def bincount(self, weights: Tensor | None = None, minlength: int = 0) -> Tensor:
        """How often each value 0..max occurs in a 1-D tensor of non-negative ints (or the sum of their weights)."""
        if weights is not None:
            _tensors("bincount", weights=weights)
        minlength = checks.integer("bincount", "minlength", minlength)
        if self.array.dtype.kind in "iu" and (self.ndim != 1 or self.array.size and self.array.min() < 0):
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if minlength < 0:
            raise RuntimeError("minlength should be >= 0")
        if weights is not None and tuple(weights.shape) != tuple(self.shape):
            raise RuntimeError("weights should be 1-d and have the same length as input")
        if self.array.dtype.kind not in "iu":
            raise checks.not_implemented_for("bincount_cpu", self.array.dtype)
        w = None if weights is None else weights.array
        counts = np.bincount(self.array.astype(np.int64), weights=w, minlength=minlength)
        dtype = np.int64 if w is None else w.dtype if w.dtype.kind == "f" else np.float64
        return Tensor._make(counts.astype(dtype), False)

    def broadcast_to(self, size: Sequence[int]) -> Tensor:
        return self.expand(size)

    def _view_in_place(compute: Callable[..., Tensor], node: str = "") -> Callable[..., Tensor]:  # noqa: N805
        """squeeze_, t_, ...: this tensor becomes compute(self), a new shape over the same values."""
        def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
            if not (grad_mode.recording and self.requires_grad):
                self.array = compute(self, *args, **kwargs).array
                return self
            if self._ctx is None:
                raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
            old = Tensor._make(self.array, True)
            old._ctx, old._version, old._before = self._ctx, self._version, self._before
            out = compute(old, *args, **kwargs)
            self.array, self._ctx = out.array, out._ctx
            if node:
                name_node(self, node)
            return self
        method.__name__ = method.__qualname__ = f"{compute.__name__}_"
        method.__signature__ = inspect.signature(compute)  # type: ignore[attr-defined]
        return method

    t_ = _view_in_place(t, "TBackward1")
    transpose_ = _view_in_place(transpose, "TransposeBackward1")
    swapaxes_ = _view_in_place(swapaxes, "TransposeBackward1")
    swapdims_ = _view_in_place(swapdims, "TransposeBackward1")
    unsqueeze_ = _view_in_place(unsqueeze, "UnsqueezeBackward1")
    _squeeze_in_place = _view_in_place(squeeze)

    def squeeze_(self, dim: Any = None) -> Tensor:
        recording = grad_mode.recording and self.requires_grad
        out = Tensor._squeeze_in_place(self, *(() if dim is None else (dim,)))
        kind = 3 if dim is None else 4 if isinstance(dim, int | np.integer) else 5  # PyTorch's node per form
        return name_node(out, f"SqueezeBackward{kind}") if recording else out
    del _view_in_place
    index_add_, index_copy_ = _in_place(index_add), _in_place(index_copy)
    index_fill_, index_put_, masked_scatter_ = _in_place(index_fill), _in_place(index_put), _in_place(masked_scatter)
    scatter_reduce_, addmm_, addmv_ = _in_place(scatter_reduce), _in_place(addmm), _in_place(addmv)
    addr_, baddbmm_, addbmm_ = _in_place(addr), _in_place(baddbmm), _in_place(addbmm)

    def fill_diagonal_(self, fill_value: Any, wrap: bool = False) -> Tensor:
        """Write fill_value on the main diagonal (of a matrix, or of a tensor with all dims equal); with wrap,
        a tall matrix's diagonal starts again every ncols + 1 rows, as NumPy's fill_diagonal."""
        checks.boolean("fill_diagonal_", "wrap", wrap)
        if self.ndim < 2:
            raise RuntimeError("dimensions must larger than 1")
        if self.ndim > 2 and len(set(self.shape)) != 1:
            raise RuntimeError("all dimensions of input must be of equal length")
        mask = np.zeros(self.shape, bool)
        np.fill_diagonal(mask, True, wrap=wrap)
        return self._inplace("fill_diagonal_", lambda old: old.masked_fill(mask, fill_value))

    # more of PyTorch's names in the same families, composed from the methods above
    @property
    def mH(self) -> Tensor:  # noqa: N802 - PyTorch's name; the conjugate is the tensor itself for real dtypes
        return self._matrix_transpose("tensor.mH")

    def adjoint(self) -> Tensor:
        return self._matrix_transpose("tensor.adjoint()")

    def ndimension(self) -> int:
        return self.ndim

    def is_same_size(self, other: Tensor) -> bool:
        _tensors("is_same_size", other=other)
        return tuple(self.shape) == tuple(other.shape)

    def msort(self) -> Tensor:
        """The entries sorted along dim 0."""
        return self.sort(0).values

    def narrow_copy(self, dim: int, start: int, length: int) -> Tensor:
        return name_node(self.narrow(dim, start, length).clone(), "NarrowCopyBackward0")

    def split_with_sizes(self, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        return self.split(list(checks.integers("split_with_sizes", "split_sizes", split_sizes)),
                          self._wrap_dim(dim, "split_with_sizes"))

    def unsafe_split(self, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:
        return self.split(split_size, dim)

    def unsafe_chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        return self.chunk(checks.integer("unsafe_chunk", "chunks", chunks), dim)

    def sum_to_size(self, *sizes: Any, size: Any = None) -> Tensor:
        """The sum over the dims that broadcasting `size` to this shape would stretch: its inverse."""
        target = _sizes_arg("sum_to_size", "size", sizes, size)
        try:
            fits = np.broadcast_shapes(target, self.array.shape) == self.array.shape
        except ValueError:
            fits = False
        if not fits:
            raise RuntimeError(f"size {{{list(target)}}} is not expandable to size {{{list(self.shape)}}}.")
        lead = self.ndim - len(target)
        stretched = tuple(lead + i for i, n in enumerate(target) if n == 1 and self.shape[lead + i] != 1)
        out = self.sum(tuple(range(lead)) + stretched, keepdim=True) if lead or stretched else self
        return out.reshape(target) if lead else out

    def put(self, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:
        """A copy with the flattened tensor's entries at `index` set to (or, with accumulate, added) source's."""
        _tensors("put", source=source)
        checks.boolean("put", "accumulate", accumulate)
        n = self.numel()
        if isinstance(index, Tensor) and index.array.dtype != np.int64:
            raise RuntimeError("put_(): Expected a long tensor for index, but got "
                               f"{_scalar_type_name(index.array.dtype)}")
        array = self._index_arg("put", index).reshape(-1)
        if array.size and (array.min() < -n or array.max() >= n):
            bad = array[(array < -n) | (array >= n)][0]
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
        if source.numel() != array.size:
            raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                               f"source.numel() = {source.numel()}, index.numel() = {array.size}")
        flat = self.reshape(-1).index_put((array % builtins.max(n, 1),), source.reshape(-1), accumulate)
        return name_node(flat.reshape(self.shape), "PutBackward0")

    def _scatter_into(self, name: str, src: Tensor, index: tuple[Any, ...], picked: Tensor) -> Tensor:
        """self with src written where `index` picks `picked` (which src must match in shape)."""
        _tensors(name, src=src)
        if tuple(src.shape) != tuple(picked.shape):
            raise RuntimeError(f"{name}(): expected src to have a size equal to the slice of self. src size = "
                               f"{list(src.shape)}, slice size = {list(picked.shape)}")
        _differentiable_dtype(self.array.dtype, src)
        name_of_node = "".join(part.capitalize() for part in name.split("_")) + "Backward0"
        return name_node(ops.IndexPut.apply(self, src.astype(self.array.dtype), index=index), name_of_node)

    def select_scatter(self, src: Tensor, dim: int, index: int) -> Tensor:
        d, index = self._wrap_dim(dim, "select_scatter"), checks.integer("select_scatter", "index", index)
        return self._scatter_into("select_scatter", src, (slice(None),) * d + (int(index),), self.select(d, index))

    def slice_scatter(self, src: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,
                      step: int = 1) -> Tensor:
        d = self._wrap_dim(dim)
        where = (slice(None),) * d + (slice(start, end, step),)
        return self._scatter_into("slice_scatter", src, where, self[where])

    def diagonal_scatter(self, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        offset = checks.integer("diagonal_scatter", "offset", offset)
        positions = np.arange(self.numel()).reshape(self.shape)
        picked = Tensor._make(positions, False).diagonal(offset, dim1, dim2).array
        return self._scatter_into("diagonal_scatter", src, np.unravel_index(picked, self.shape),
                                  self.diagonal(offset, dim1, dim2))

    def dist(self, other: Tensor, p: float = 2) -> Tensor:
        """The p-norm of self - other."""
        _tensors("dist", other=other)
        from .linalg import vector_norm
        return name_node(vector_norm(self - other, p), "DistBackward0")

    def renorm(self, p: float, dim: int, maxnorm: float) -> Tensor:
        """Each slice along `dim` scaled down to p-norm maxnorm where its norm is larger."""
        if self.array.dtype.kind != "f":
            raise checks.not_implemented_for("renorm", self.array.dtype)
        if p <= 0:
            raise RuntimeError("renorm: non-positive-norm not supported")
        if maxnorm < 0:
            raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
        d = self._wrap_dim(dim)
        others = tuple(i for i in range(self.ndim) if i != d)
        norms = self.norm(p, others, keepdim=True)
        one = Tensor._make(np.ones((), self.array.dtype), False)
        if maxnorm == math.inf:  # no slice is scaled (and the unused inf / norm would make the gradient NaN)
            return name_node(self * one, "RenormBackward0")
        factor = ops.Where.apply(maxnorm / (norms + 1e-7), one, condition=norms.array > maxnorm)
        return name_node(self * factor, "RenormBackward0")

    def cov(self, *, correction: int = 1, fweights: Tensor | None = None, aweights: Tensor | None = None) -> Tensor:
        """The covariance matrix of the variables in the rows (observations in the columns)."""
        if fweights is not None or aweights is not None:
            raise NotImplementedError("cov(fweights=, aweights=) is not supported here")
        if self.array.dtype == np.bool_:
            raise RuntimeError("cov(): bool dtype is not supported for input")
        if self.ndim > 2:
            raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an input with "
                               f"{self.ndim} dimensions")
        x = self.reshape(1, -1) if self.ndim < 2 else self
        x = x if x.array.dtype.kind == "f" else x.astype(np.float32)
        centered = x - x.mean(1, keepdim=True)
        count = Tensor._make(np.asarray(builtins.max(x.shape[1] - correction, 0), x.array.dtype), False)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (centered @ centered.t()) / count
        return out.squeeze()

    def corrcoef(self) -> Tensor:
        """Pearson's correlation coefficients of the variables in the rows, clipped to [-1, 1]."""
        c = self.cov()
        if c.ndim == 0:
            return c / c
        spread = c.diagonal().sqrt()
        return (c / spread.unsqueeze(1) / spread.unsqueeze(0)).clamp(-1, 1)

    def cholesky_solve(self, input2: Tensor, upper: bool = False) -> Tensor:
        """X with A X = self, where A = L L^T and input2 is L (or U = L^T when upper)."""
        _tensors("cholesky_solve", input2=input2)
        checks.boolean("cholesky_solve", "upper", upper)
        from . import linalg
        if self.array.dtype.kind in "iu":
            raise checks.not_implemented_for("cholesky_solve_cpu", self.array.dtype)
        return linalg.solve(_cholesky_product(input2, upper), self)

    def cholesky_inverse(self, upper: bool = False) -> Tensor:
        """inv(L L^T) of this Cholesky factor L (or of U^T U when upper)."""
        checks.boolean("cholesky_inverse", "upper", upper)
        from . import linalg
        if self.array.dtype.kind in "iu":
            raise checks.not_implemented_for("cholesky_inverse_out_cpu", self.array.dtype)
        if self.ndim < 2:
            raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
        if self.shape[-1] != self.shape[-2]:
            raise RuntimeError(f"cholesky_inverse: A must be batches of square matrices, but they are "
                               f"{self.shape[-2]} by {self.shape[-1]} matrices")
        return linalg.inv(_cholesky_product(self, upper))

    def index_reduce(self, dim: int, index: Any, source: Tensor, reduce: str, *,
                     include_self: bool = True) -> Tensor:
        """A copy with source's slices reduced (prod, mean, amax, amin) into the positions `index` along `dim`."""
        _tensors("index_reduce", source=source)
        if reduce not in ("prod", "mean", "amax", "amin"):
            raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
                               f"{reduce}.")
        if not include_self and self.array.dtype == np.bool_:
            raise checks.not_implemented_for("index_reduce_func_exclude_input_init", self.array.dtype)
        d, spread = self._along_index("index_reduce", dim, index, source)
        return name_node(self.scatter_reduce(d, np.ascontiguousarray(spread), source, reduce,
                                             include_self=include_self), "IndexReduceBackward0")

    def matrix_exp(self) -> Tensor:
        from . import linalg
        return linalg.matrix_exp(self)

    put_, index_reduce_ = _in_place(put), _in_place(index_reduce)

    # linear algebra: the torch.* / Tensor names of core/linalg.py's functions
    def det(self) -> Tensor:
        from . import linalg
        return linalg.det(self)

    def logdet(self) -> Tensor:
        """log(det): NaN for a negative determinant, -inf for a singular matrix."""
        from . import linalg
        sign, logabsdet = linalg.slogdet(self)
        with np.errstate(divide="ignore", invalid="ignore"):
            return logabsdet + Tensor._make(np.log(sign.array).astype(self.array.dtype), False)

    def slogdet(self) -> Any:
        from . import linalg
        return linalg.SlogdetResult(*linalg.slogdet(self))

    def inverse(self) -> Tensor:
        from . import linalg
        return linalg.inv(self)

    def pinverse(self, rcond: float = 1e-15) -> Tensor:
        from . import linalg
        return linalg.pinv(self, rtol=rcond)

    def matrix_power(self, n: int) -> Tensor:
        from . import linalg
        n = checks.integer("matrix_power", "n", n)
        return linalg.matrix_power(self, n)

    def cholesky(self, upper: bool = False) -> Tensor:
        from . import linalg
        if self.array.dtype.kind != "f":
            raise checks.not_implemented_for("cholesky_cpu", self.array.dtype)
        if self.ndim >= 2 and self.numel() == 0:  # the legacy torch.cholesky checks no shape of an empty input
            return self.clone()
        return linalg.cholesky(self, upper=upper)

    def qr(self, some: bool = True) -> Any:
        from . import linalg
        return linalg.QrResult(*linalg.qr(self, "reduced" if some else "complete"))

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        """(U, S, V) with A = U diag(S) V^T (torch.svd's older form: V, not Vh)."""
        from . import linalg
        u, s, vh = linalg.svd(self, full_matrices=not some)
        if not compute_uv:
            u, vh = u.detach() * 0, vh.detach() * 0
        return linalg.TorchSvdResult(u, s, vh.mT)


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
        first = next((k for k, i in enumerate(index) if i is Ellipsis), len(index))
        # PyTorch's first Ellipsis takes all the dims left; a later one takes none
        return tuple(_plain_index_part(i) for k, i in enumerate(index) if i is not Ellipsis or k == first)
    return _plain_index_part(index)


def _through_index_put(index: Any, value: Tensor) -> bool:
    """Whether PyTorch's t[index] = value goes through index_put (which wants value in t's dtype): an integer
    array, a mask or a bool in the index, except a bool alone, not in a tuple (a copy), and one mask of one
    dim or more with a one-element value (masked_fill)."""
    if isinstance(index, bool | np.bool_):
        return False
    parts = index if isinstance(index, tuple) else (index,)
    advanced = [p for p in parts if isinstance(p, list | bool | np.bool_)
                or isinstance(p, np.ndarray) and (p.ndim or p.dtype == np.bool_)]
    if not advanced:
        return False
    one_mask = len(advanced) == 1 and np.ndim(advanced[0]) > 0 and np.asarray(advanced[0]).dtype == np.bool_
    return not (one_mask and value.array.size == 1)


def _wrapped_int(value: int, dtype: np.dtype) -> Any:
    """A Python int written into an integer tensor: PyTorch refuses one out of the dtype's range, except that
    uint8 takes -255..-1 too, wrapped around."""
    info = np.iinfo(dtype)
    if value > info.max or value < (info.min or -info.max):
        raise RuntimeError(f"value cannot be converted to type {dtype}_t without overflow")
    return np.array(value).astype(dtype)


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
