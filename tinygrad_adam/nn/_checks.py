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
from typing import Any

import numpy as np

from ..core.checks import not_implemented_for
from ..core.tensor import Tensor

IntPair = int | tuple[int, int]
Pair = tuple[int, int]
Sides = tuple[int, int, int, int]  # padding as (top, bottom, left, right)
REDUCTIONS = ("mean", "sum", "none")


def pair(value: IntPair, name: str, op: str, minimum: int = 1) -> Pair:
    """(value, value) for an int, the pair itself for a pair; a ValueError naming `op` for anything else."""
    if isinstance(value, int | np.integer):
        result: tuple[Any, ...] = (value, value)
    else:
        result = tuple(value) if isinstance(value, tuple | list | np.ndarray) else (value,)
    if len(result) != 2 or not all(isinstance(v, int | np.integer) and v >= minimum for v in result):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(result[0]), int(result[1])


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


def check_label_smoothing(op: str, label_smoothing: float) -> None:
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"{op}: label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")


def check_dropout_probability(p: float) -> None:
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def check_kernel_dtype(kernel: str, x: Tensor, refused: str = "biu") -> None:
    """PyTorch's NotImplementedError for an input dtype its kernel lacks (`refused`: NumPy kinds, or names)."""
    dtype = x.array.dtype
    if dtype.kind in refused or dtype.name in refused.split():
        raise not_implemented_for(kernel, dtype)


def check_dtypes(op: str, x: Tensor, *params: Tensor | None) -> None:
    for p in params:
        if p is not None and p.dtype != x.dtype:
            raise RuntimeError(
                f"{op}: input dtype {x.dtype} differs from parameter dtype {p.dtype}; convert the input "
                f"(x.float() / x.double()) or the model (model.float() / model.double())"
            )


def float_dtype(dtype: Any) -> np.dtype:
    """A layer's parameter dtype: float32 by default, and floating point always."""
    dtype = np.dtype(np.float32 if dtype is None else dtype)
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
