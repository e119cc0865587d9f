"""What the layers, `functional` and the fused ops share: type aliases, argument checks, small helpers.

Private to nn (the module's leading underscore keeps it out of the public API);
its names have none, because every other nn file is meant to import them.

Who checks what, once:
- a layer checks its arguments (kernel sizes, strides, reduction, ...) in its constructor;
- a `functional` function checks the same arguments on every call, since nothing checked them before;
- both then call the fused op in `fused/`, which checks only what depends on the input
  (its shape and dtype against the parameters).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from ..core import checks, dtypes
from ..core.checks import not_implemented_for
from ..core.tensor import Tensor

IntPair = int | tuple[int, int]
Pair = tuple[int, int]
Sides = tuple[int, int, int, int]  # padding as (top, bottom, left, right)
REDUCTIONS = ("mean", "sum", "none")


def pair(value: IntPair, name: str, op: str, minimum: int = 1) -> Pair:
    """(value, value) for an int, the pair itself for a pair; PyTorch's TypeError for what is not ints, a
    ValueError naming `op` for anything else."""
    checks.integers(op, name, value, single=True)
    if isinstance(value, int | np.integer):
        result: tuple[Any, ...] = (value, value)
    else:
        result = tuple(value) if isinstance(value, tuple | list | np.ndarray) else (value,)
    if len(result) != 2 or not all(isinstance(v, int | np.integer) and v >= minimum for v in result):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(result[0]), int(result[1])


def triple(value: Any, name: str, op: str, minimum: int = 1) -> tuple[int, int, int]:
    """`pair` for the 3-D ops: (value,) * 3 for an int, the triple itself for a triple."""
    checks.integers(op, name, value, single=True)
    result = (value,) * 3 if isinstance(value, int | np.integer) else tuple(value)
    if len(result) != 3 or not all(isinstance(v, int | np.integer) and v >= minimum for v in result):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a triple of them, got {value!r}")
    return int(result[0]), int(result[1]), int(result[2])


def string_padding(padding: str, stride: Sequence[int]) -> str:
    """A convolution's padding given as a string, checked as PyTorch does: "valid", or "same" when unstrided."""
    if padding not in ("valid", "same"):
        raise ValueError(f"Invalid padding string {padding!r}, should be one of ('valid', 'same')")
    if padding == "same" and any(s != 1 for s in stride):
        raise ValueError("padding='same' is not supported for strided convolutions")
    return padding


def same_sides(dilation: Sequence[int], kernel: Sequence[int]) -> list[tuple[int, int]]:
    """Each dim's (before, after) padding for padding='same': the odd one after, as PyTorch."""
    return [(d * (k - 1) // 2, d * (k - 1) - d * (k - 1) // 2) for d, k in zip(dilation, kernel, strict=True)]


def as_pair(value: IntPair) -> Pair:
    """`pair` for a value that was checked before: no checks."""
    return (value, value) if isinstance(value, int | np.integer) else (value[0], value[1])


def conv_padding(padding: IntPair | str, stride: Pair, op: str) -> Pair | str:
    """Check a convolution's padding: an int >= 0, a pair of them, "valid", or "same" (unstrided only)."""
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(f"{op}: padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
        if padding == "same" and stride != (1, 1):
            raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride {stride})")
        return padding
    return pair(padding, "padding", op, minimum=0)


def padding_sides(padding: Pair | str, kernel: Pair, dilation: Pair) -> Sides:
    """(top, bottom, left, right) of a checked padding; "same" puts the odd pixel bottom/right, as PyTorch."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        total = [d * (k - 1) for d, k in zip(dilation, kernel, strict=True)]
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    ph, pw = padding
    return (ph, ph, pw, pw)


def pool_arguments(op: str, kernel_size: IntPair, stride: IntPair | None,
                   padding: IntPair) -> tuple[Pair, Pair, Pair]:
    """Checked (kernel, stride, padding) pairs of a pooling op; stride defaults to the kernel size."""
    kernel = pair(kernel_size, "kernel_size", op)
    strides = kernel if stride is None or stride == () else pair(stride, "stride", op)
    pads = pair(padding, "padding", op, minimum=0)
    if pads[0] > kernel[0] // 2 or pads[1] > kernel[1] // 2:
        raise RuntimeError(f"{op}: pad should be at most half of effective kernel size, but got pad={pads}, "
                           f"kernel_size={kernel} and dilation=1")
    return kernel, strides, pads


def check_unsupported(op: str, **given: tuple[Any, Any]) -> None:
    """NotImplementedError for a PyTorch option this framework lacks, when it is not at its default:
    each keyword is option=(value, default)."""
    for name, (value, default) in given.items():
        if value != default:
            raise NotImplementedError(f"{op}: {name}={value!r} is not supported (only {name}={default!r})")


def check_reduction(op: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def label_smoothing_amount(label_smoothing: float) -> float:
    """The smoothing cross_entropy applies: PyTorch refuses only a value above 1 and smooths only above 0
    (a negative or NaN label_smoothing is none)."""
    if label_smoothing > 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    return float(label_smoothing) if label_smoothing > 0.0 else 0.0


def check_dropout_probability(p: float) -> None:
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def check_kernel_dtype(kernel: str, x: Tensor, refused: str = "biu") -> None:
    """PyTorch's NotImplementedError for an input dtype its kernel lacks (`refused`: NumPy kinds, or names)."""
    if _refuses(x.array.dtype, refused):
        raise not_implemented_for(kernel, x.array.dtype)


@lru_cache(maxsize=256)
def _refuses(dtype: np.dtype, refused: str) -> bool:
    return dtype.kind in refused or dtype.name in refused.split()  # dtype.name takes microseconds: cached


def check_dtypes(op: str, x: Tensor, *params: Tensor | None) -> None:
    for p in params:
        if p is not None and p.dtype != x.dtype:
            raise RuntimeError(
                f"{op}: input dtype {x.dtype} differs from parameter dtype {p.dtype}; convert the input "
                f"(x.float() / x.double()) or the model (model.float() / model.double())"
            )


def float_dtype(dtype: Any) -> np.dtype:
    """A layer's parameter dtype: the default dtype (torch.get_default_dtype()) unless given, and floating point
    always."""
    dtype = dtypes.default_float if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"parameters must have a floating-point dtype, got {dtype}")
    return dtype


def is_device(value: Any) -> bool:
    """A device as PyTorch code names one: "cpu", "cuda:0", an int index, or an object with a `.type` string."""
    if isinstance(value, bool):
        return False
    return isinstance(value, str | int) or isinstance(getattr(value, "type", None), str)


def check_device(device: Any, op: str) -> None:
    """Accept the CPU (or None); anything else is an error that says this framework runs on the CPU only."""
    if device is None:
        return
    kind = device if isinstance(device, str) else getattr(device, "type", None)
    if isinstance(kind, str) and kind.split(":")[0] == "cpu":
        return
    name = f"cuda:{device}" if isinstance(device, int) else str(device)
    raise RuntimeError(f"{op}: device {name!r} is not available: tinygrad_adam runs on the CPU only "
                       f"(use device='cpu', or leave the model where it is)")


def to_tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def fan_in_and_fan_out(tensor: Tensor | np.ndarray) -> tuple[int, int]:
    """For a weight (out, in, *kernel): fan_in = in * prod(kernel), fan_out = out * prod(kernel)."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            f"fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape {shape})"
        )
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def unbatched(fn: Any, x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Apply a batched op to one unbatched (C, H, W) sample."""
    out = fn(x.reshape((1,) + x.shape), *args, **kwargs)
    return out.reshape(out.shape[1:])


def check_positive(op: str, **values: Any) -> None:
    """PyTorch's RuntimeError for a zero or negative kernel size, stride or dilation given to a function."""
    for name, value in values.items():
        ints = (value,) if isinstance(value, int | np.integer) else tuple(value) if isinstance(value, tuple | list) \
            else ()
        if any(isinstance(v, int | np.integer) and v <= 0 for v in ints):
            raise RuntimeError(f"{op}() {name} must be greater than zero, but got {value}")


def single(value: int | Sequence[int], name: str, op: str, minimum: int = 1) -> int:
    """The int of a 1-D argument given as an int or a one-element tuple."""
    checks.integers(op, name, value, single=True)
    if not isinstance(value, int | np.integer):
        value = tuple(value)
        if len(value) != 1:
            raise ValueError(f"{op}: {name} must be an int or a tuple of one int, got {value!r}")
        value = value[0]
    if not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{op}: {name} must be an int >= {minimum}, got {value!r}")
    return int(value)


# ----- convolutions ------------------------------------------------------------------------------
def check_groups(op: str, channels: int, groups: int, what: str) -> None:
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive integer, got {groups!r}")
    if channels % groups:
        raise ValueError(f"{op}: {what} must be divisible by groups")


def check_conv_weight(weight_shape: tuple[int, ...], groups: int, transposed: bool = False) -> None:
    """PyTorch's refusals of a convolution's weight: fewer rows than groups, a kernel size of 0, and (transposed)
    an empty weight."""
    if weight_shape[0] < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {list(weight_shape)} instead")
    if transposed and 0 in weight_shape[:2]:
        raise RuntimeError(f"non-empty {len(weight_shape)}D weight tensor expected, but got: {list(weight_shape)}")
    if 0 in weight_shape[2:]:
        raise RuntimeError("kernel size should be greater than zero, but got: "
                           f"{' x '.join(map(str, weight_shape[2:]))}")


def check_empty_input(x: Tensor, weight_ndim: int) -> None:
    """PyTorch's refusal of an empty input to a convolution whose batch and channel dims are not empty."""
    shape = tuple(x.shape) if x.ndim == weight_ndim else (1, *x.shape)
    if 0 in shape[2:] and shape[0] and shape[1]:
        raise RuntimeError(f"Only zero batch or zero channel inputs are supported, but got input shape: {list(shape)}")


def check_input_channels(x: Tensor, weight: Tensor, groups: int) -> None:
    """PyTorch's error for an input (N, C, ...) or (C, ...) whose C is not weight.shape[1] · groups."""
    channels = x.shape[-weight.ndim + 1] if x.ndim >= weight.ndim - 1 else None
    if channels != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input{list(x.shape)} "
                           f"to have {weight.shape[1] * groups} channels, but got {channels} channels instead")


def check_output_padding(output_padding: Pair, stride: Pair, dilation: Pair) -> None:
    for op_, s, d in zip(output_padding, stride, dilation, strict=True):
        if op_ >= s and op_ >= d:
            raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                             f"output_padding={output_padding}, stride={stride}, dilation={dilation}")


def check_pool_input(op: str, x: Tensor) -> None:
    if x.ndim not in (3, 4) or 0 in x.shape[-2:]:
        raise RuntimeError(f"{op}: Expected 3D or 4D tensor, but got: {list(x.shape)}")


def pool1d_input(op: str, x: Tensor) -> Tensor:
    if x.ndim not in (2, 3):
        raise RuntimeError(f"{op}: Expected 2D or 3D (batch mode) tensor for input, got shape {list(x.shape)}")
    return x.unsqueeze(-2)


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """PyTorch's deprecated size_average / reduce pair, turned into a reduction (with its warning)."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = ("mean" if size_average else "sum") if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{result}' instead.",
                  stacklevel=2)  # the library's line that asked, as PyTorch's
    return result


def size_text(x: Tensor) -> str:
    return f"torch.Size({list(x.shape)})"


SCALAR_TYPES = {"float16": "Half", "float32": "Float", "float64": "Double", "int8": "Char", "int16": "Short",
                 "int32": "Int", "int64": "Long", "uint8": "Byte", "bool": "Bool"}


def scalar_type_name(x: Tensor) -> str:
    """PyTorch's name of a dtype in its error messages (Float, Double, Long, ...)."""
    name = x.array.dtype.name
    return SCALAR_TYPES.get(name, name)


def check_no_grad_argument(op: str, name: str, value: Any) -> None:
    if isinstance(value, Tensor) and value.requires_grad:
        raise RuntimeError(f"The function '{op}' is not differentiable with respect to argument '{name}'. "
                           "This input cannot have requires_grad True.")


def check_float(op: str, *tensors: Tensor) -> None:
    for t in tensors:
        if t.array.dtype.kind != "f":
            raise RuntimeError(f"{op}: expected a floating-point tensor, got dtype {t.dtype}")


def padding_index(padding_idx: int | None, num_embeddings: int, op: str) -> int | None:
    """padding_idx checked against the table, a negative one counted from the end."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError(f"{op}: padding_idx must be within num_embeddings ({num_embeddings}), got {padding_idx}")
    return padding_idx % num_embeddings


def check_int(binding: str, name: str, position: int, value: Any) -> None:
    """PyTorch's TypeError for a non-integer where its binding takes an int (a bool or float ignore_index)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{binding}(): argument '{name}' (position {position}) must be int, not {type(value).__name__}")
