"""Argument checks, in one place: PyTorch's exception types and messages, raised before NumPy runs.

The Tensor (tensor.py), the torch.* functions (toplevel.py, creation.py) and nn (nn/_checks.py) call these,
so that a user reads PyTorch's words, naming the op, the dims, the shapes or the dtypes, and never NumPy's:
IndexError for a dim or an index out of range, TypeError for an argument of the wrong type, RuntimeError for
shapes and dtypes that do not fit, ValueError where PyTorch raises one.

`translate` is the safety net behind them: an error that NumPy raises inside an op's forward is re-raised
in PyTorch's words (the engine calls it; nothing runs on the fast path).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

_INT = (int, np.integer)


def type_name(value: Any) -> str:
    """A value's type as PyTorch's argument parser names it: float, numpy.float64, Tensor."""
    kind = type(value)
    if kind.__module__ in ("builtins", "torch") or kind.__module__.startswith("tinygrad_adam"):
        return kind.__name__
    return f"{kind.__module__}.{kind.__name__}"


def argument_error(op: str, name: str, expected: str, value: Any) -> TypeError:
    """PyTorch's TypeError for an argument of the wrong type: "tril(): argument 'diagonal' must be int, not float"
    (its keyword form: the position an argument came in is not known here; without `op`, no op is named)."""
    return TypeError(f"{op + '(): ' if op else ''}argument '{name}' must be {expected}, not {type_name(value)}")


def integer(op: str, name: str, value: Any) -> int:
    """An int parameter as PyTorch's argument parser takes it: a Python or NumPy int or a 0-d integer tensor.
    A bool, a float (even 2.0) or anything else is its TypeError."""
    if type(value) is int:
        return value
    if _is_int(value):
        return int(value)
    raise argument_error(op, name, "int", value)


def optional_integer(op: str, name: str, value: Any) -> int | None:
    """`integer` for a parameter that may be None (PyTorch's `int?`)."""
    return None if value is None else integer(op, name, value)


def boolean(op: str, name: str, value: Any) -> bool:
    """A bool parameter as PyTorch's argument parser takes it: True or False only (not 1, 1.0 or numpy.bool)."""
    if value is True or value is False:
        return value
    raise argument_error(op, name, "bool", value)


def integers(op: str, name: str, values: Any, single: bool = False) -> tuple[int, ...]:
    """An int-list parameter (`int[]`: sizes, dims) as PyTorch's argument parser takes it: a sequence of ints,
    each as `integer` takes it; one int too where `single` (its sized lists, `int[2] kernel_size`)."""
    if isinstance(values, Sequence | np.ndarray) and not isinstance(values, str):
        for i, n in enumerate(values):
            if not _is_int(n) and not (i and isinstance(n, bool)):  # PyTorch's parser: a bool but at pos 0 passes
                raise TypeError(f"{op + '(): ' if op else ''}argument '{name}' must be tuple of ints, but found "
                                f"element of type {type_name(n)} at pos {i}")
        return tuple(int(n) for n in values)
    if single and _is_int(values):
        return (int(values),)
    raise argument_error(op, name, "tuple of ints", values)


def _is_int(n: Any) -> bool:
    return type(n) is int or isinstance(n, np.integer) or _is_int_tensor(n)


def dim(d: Any, ndim: int, op: str = "") -> int:
    """`d` wrapped into [0, ndim) (a 0-d tensor takes 0 and -1), or PyTorch's IndexError; a `d` that is not an
    int is PyTorch's TypeError (naming `op` where given)."""
    if type(d) is not int:
        d = integer(op, "dim", d)
    n = max(ndim, 1)
    if not -n <= d < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})")
    return int(d) % n


def dims(d: Any, ndim: int) -> tuple[int, ...] | None:
    """A reduction's `dim`: None or () mean every dim (None is returned); an int or a sequence of them are
    wrapped and checked, and a dim named twice is PyTorch's RuntimeError."""
    if d is None:
        return None
    if isinstance(d, _INT) and not isinstance(d, bool):
        wrapped_one = dim(d, ndim)
        return (wrapped_one,) if ndim else ()
    if not isinstance(d, Sequence):
        raise TypeError(f"dim must be an int or a tuple of ints, not {type(d).__name__}")
    if len(d) == 0:
        return None
    wrapped = tuple(dim(a, ndim) for a in integers("", "dim", d))  # a bool passes past pos 0, as in PyTorch
    for a in wrapped:
        if wrapped.count(a) > 1:
            raise RuntimeError(f"dim {a} appears multiple times in the list of dims")
    return wrapped if ndim else ()


def nonempty_reduction(op: str, shape: tuple[int, ...], axes: tuple[int, ...] | None) -> None:
    """max/min/argmax of nothing has no value: PyTorch's errors for a size-0 input."""
    if axes is None:
        if 0 in shape:
            error = IndexError if op.startswith("arg") else RuntimeError
            raise error(f"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                        "reduction dim with the 'dim' argument.")
        return
    for a in axes:
        if shape and shape[a] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {a} to have non-zero size.")


def fits(value: Any, dtype: np.dtype) -> None:
    """A Python number that fills a tensor of `dtype` (full, full_like, masked_fill): PyTorch refuses one outside
    the dtype's range (an integer dtype also NaN and infinities; an unsigned one takes ints from -max, a float16
    anything)."""
    dtype = np.dtype(dtype)
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        raise OverflowError("Overflow when unpacking long long")
    if isinstance(value, bool | np.bool_) or dtype.kind not in "iuf" or dtype == np.float16:
        return
    if dtype.kind == "f":
        ok = not np.isfinite(value) or abs(float(value)) <= float(np.finfo(dtype).max)
    else:
        info = np.iinfo(dtype)
        whole = isinstance(value, int | np.integer)
        low = (-int(info.max) if whole else 0) if dtype.kind == "u" else int(info.min)
        ok = (whole or bool(np.isfinite(value))) and low <= value <= int(info.max)
    if not ok:
        name = {"int32": "int", "float32": "float", "float64": "double"}.get(dtype.name, f"{dtype.name}_t")
        raise RuntimeError(f"value cannot be converted to type {name} without overflow")


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape of a and b, or PyTorch's RuntimeError naming the first dim that does not fit."""
    out = []
    for i in range(1, max(len(a), len(b)) + 1):
        m = a[-i] if i <= len(a) else 1
        n = b[-i] if i <= len(b) else 1
        if m != n and m != 1 and n != 1:
            raise RuntimeError(f"The size of tensor a ({m}) must match the size of tensor b ({n}) at "
                               f"non-singleton dimension {max(len(a), len(b)) - i}")
        out.append(n if m == 1 else m)
    return tuple(reversed(out))


def fits_in_place(shape: tuple[int, ...], result: tuple[int, ...]) -> None:
    """An in-place op keeps its tensor's shape: the other operand must broadcast to it, not beyond."""
    if result != shape:
        raise RuntimeError(f"output with shape {list(shape)} doesn't match the broadcast shape {list(result)}")


def shape_arg(op: str, shape: tuple[Any, ...], allow_empty: bool = True, negative: bool = False) -> tuple[int, ...]:
    """f(2, 3) or f((2, 3)) or f([2, 3]) as a tuple of ints; floats and (unless `negative`, as reshape's -1)
    negative sizes refused as PyTorch does."""
    if not shape and not allow_empty:
        raise TypeError(f'{op}() missing 1 required positional arguments: "size"')
    if len(shape) == 1 and isinstance(shape[0], Sequence | np.ndarray) and not isinstance(shape[0], str):
        shape = tuple(shape[0])
    sizes = integers(op, "size", shape)
    for n in sizes:
        if n < 0 and not negative:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(sizes)}")
    return sizes


def _is_int_tensor(n: Any) -> bool:
    array = getattr(n, "array", None)
    return isinstance(array, np.ndarray) and array.ndim == 0 and array.dtype.kind in "iu"


def no_bool(what: str, dtype: np.dtype) -> None:
    """Arithmetic PyTorch refuses on bool tensors (`what` is its sentence)."""
    if dtype == np.bool_:
        raise RuntimeError(what)


def not_implemented_for(kernel: str, dtype: np.dtype) -> NotImplementedError:
    """PyTorch's refusal of a dtype its kernel lacks: '"abs_cpu" not implemented for 'Bool''."""
    return NotImplementedError(f'"{kernel}" not implemented for \'{scalar_type_name(dtype)}\'')


def scalar_type_name(dtype: np.dtype) -> str:
    return {"bool": "Bool", "uint8": "Byte", "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
            "float16": "Half", "float32": "Float", "float64": "Double"}.get(np.dtype(dtype).name, str(dtype))


_BROADCAST = re.compile(r"could not be broadcast together with shapes? \(([\d,]*)\) \(([\d,]*)\)")


def translate(op: str, shapes: Sequence[tuple[int, ...]], error: Exception) -> Exception:
    """An error NumPy raised inside op's forward, in PyTorch's words and type (the engine's safety net)."""
    message = str(error)
    found = re.search(r"could not broadcast input array from shape \(([\d,]*)\) into shape \(([\d,]*)\)", message)
    if found:
        source, target = ([int(n) for n in g.split(",") if n] for g in found.groups())
        i = next(i for i in range(1, len(source) + 1) if i > len(target) or source[-i] not in (1, target[-i]))
        size = target[-i] if i <= len(target) else 1
        return RuntimeError(f"The expanded size of the tensor ({size}) must match the existing size "
                            f"({source[-i]}) at non-singleton dimension {max(len(target) - i, 0)}.  Target sizes: "
                            f"{target}.  Tensor sizes: {source}")
    found = _BROADCAST.search(message)
    if found:
        a, b = (tuple(int(n) for n in g.split(",") if n) for g in found.groups())
        try:
            broadcast_shapes(a, b)
        except RuntimeError as e:
            return e
    found = re.search(r"boolean index did not match indexed array along (?:axis|dimension) (\d+); size of "
                      r"(?:axis|dimension) is \d+ but size of corresponding boolean (?:axis|dimension) is (\d+)",
                      message)
    if found:
        i, size = found.groups()
        return IndexError(f"The shape of the mask [{size}] at index {i} does not match the shape of the indexed "
                          f"tensor {list(shapes[0]) if shapes else []} at index {i}")
    if isinstance(error, IndexError) and ("out of bounds" in message or "too many indices" in message):
        if "too many indices" in message:
            return IndexError(f"too many indices for tensor of dimension {len(shapes[0]) if shapes else 0}")
        return IndexError(message.replace("axis", "dimension"))
    if isinstance(error, np.exceptions.AxisError):
        return IndexError(f"{op}: dimension out of range for input of shape {list(shapes[0]) if shapes else []}")
    if "zero-size array" in message or "empty sequence" in message:
        return RuntimeError(f"{op}: cannot reduce over a dimension of size 0 (input shapes "
                            f"{[list(s) for s in shapes]})")
    if "Integers to negative integer powers" in message:
        return RuntimeError("Integers to negative integer powers are not allowed.")
    where = ", ".join(str(list(s)) for s in shapes)
    return type(error)(f"{op}: cannot apply to inputs of shapes {where}: {message}")
