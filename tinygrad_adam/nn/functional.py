"""Functional forms of the layers and losses, with PyTorch's names, signatures and defaults.

Each function checks its arguments (so a user error names the op) and applies
one fused op from `fused/`, which checks the input's shape and dtype: conv2d,
max/avg pooling, batch_norm, linear, dropout, cross_entropy / nll_loss /
mse_loss. The layers check the same arguments once, in their constructors, and
call the fused ops directly.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..core import checks
from ..core.tensor import Tensor
from ..core.toplevel import cat
from . import ops
from ._checks import (
    IntPair,
    Pair,
    check_dropout_probability,
    check_kernel_dtype,
    check_label_smoothing,
    check_reduction,
    check_unsupported,
    conv_padding,
    padding_sides,
    pair,
    pool_arguments,
    to_tensor,
)

__all__ = [
    "avg_pool2d", "batch_norm", "conv2d", "cross_entropy", "dropout", "flatten", "leaky_relu", "linear",
    "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "relu", "sigmoid", "softmax", "tanh",
]


# ----- layers ------------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias for x of shape (..., in_features) and weight (out_features, in_features), or a
    1-D weight (in_features,)."""
    if not isinstance(weight, Tensor):
        raise TypeError(f"linear(): argument 'weight' (position 2) must be Tensor, not {type(weight).__name__}")
    check_kernel_dtype("addmm_impl_cpu_", to_tensor(input), "b")
    if weight.ndim == 1:
        out = to_tensor(input) @ weight
        return out if bias is None else out + bias
    return ops.linear(to_tensor(input), weight, bias, "linear")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
           padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of input (N, C, H, W) (or unbatched (C, H, W)) with weight (O, C / groups, kH, kW);
    with groups > 1, each group of C / groups input channels makes O / groups output channels."""
    strides = pair(stride, "stride", "conv2d")
    dilations = pair(dilation, "dilation", "conv2d")
    sides = padding_sides(conv_padding(padding, strides, "conv2d"), weight.shape[2:], dilations)
    x = to_tensor(input)
    check_kernel_dtype("slow_conv2d_cpu" if dilations == (1, 1) else "slow_conv_dilated<>", x,
                       "b" if dilations == (1, 1) else "biu")
    if groups == 1:
        return ops.conv2d(x, weight, bias, strides, sides, dilations, "conv2d")
    channels = x.shape[-3] if x.ndim >= 3 else 0
    if groups < 1 or weight.shape[0] % groups or channels != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, expected input"
                           f"{list(x.shape)} to have {weight.shape[1] * groups} channels, but got {channels} "
                           "channels instead")
    per_in, per_out = weight.shape[1], weight.shape[0] // groups
    outs = [ops.conv2d(x[..., g * per_in:(g + 1) * per_in, :, :], weight[g * per_out:(g + 1) * per_out],
                       None if bias is None else bias[g * per_out:(g + 1) * per_out], strides, sides, dilations,
                       "conv2d") for g in range(groups)]
    return cat(outs, dim=-3)


def _ceil_overhang(hw: tuple[int, ...], kernel: Pair, stride: Pair, pads: Pair) -> Pair:
    """Rows and columns that ceil_mode adds past the padded input (PyTorch's rule: a last window must start
    inside the input or its left padding)."""
    extra = []
    for size, k, s, p in zip(hw, kernel, stride, pads, strict=True):
        padded = size + 2 * p
        out = -(-(padded - k) // s) + 1
        if (out - 1) * s >= size + p:
            out -= 1
        extra.append(max(0, (out - 1) * s + k - padded))
    return extra[0], extra[1]


def _lowest(dtype: np.dtype) -> float:
    """The padding value of max pooling: -inf, or the smallest integer."""
    return -np.inf if dtype.kind == "f" else int(np.iinfo(dtype).min)


def _padded(x: Tensor, pads: Pair, extra: Pair, value: float) -> Tensor:
    """x with its last two dims padded by pads on both sides plus `extra` after, filled with value."""
    widths = ((0, 0),) * (x.ndim - 2) + ((pads[0], pads[0] + extra[0]), (pads[1], pads[1] + extra[1]))
    return x.pad(widths, value)


def _window_argmax(x: np.ndarray, kernel: Pair, stride: Pair, pads: Pair, extra: Pair) -> np.ndarray:
    """Each window's maximum as an index into the flattened (H, W) input, as max_pool2d's return_indices."""
    h, w = x.shape[-2:]
    widths = ((0, 0),) * (x.ndim - 2) + ((pads[0], pads[0] + extra[0]), (pads[1], pads[1] + extra[1]))
    values = np.pad(x.astype(np.float64), widths, constant_values=-np.inf)  # padding never wins, as in PyTorch
    where = np.pad(np.arange(h * w, dtype=np.int64).reshape(h, w), widths[-2:], constant_values=-1)
    windows = sliding_window_view(values, kernel, axis=(-2, -1))[..., ::stride[0], ::stride[1], :, :]
    places = sliding_window_view(where, kernel)[::stride[0], ::stride[1]]
    flat = windows.reshape(windows.shape[:-2] + (-1,))
    best = np.argmax(flat, axis=-1)
    return np.take_along_axis(np.broadcast_to(places.reshape(places.shape[:2] + (-1,)), flat.shape),
                              best[..., None], axis=-1)[..., 0]


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               dilation: IntPair = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over windows of (N, C, H, W) or (C, H, W); stride defaults to kernel_size; pads with -inf.
    ceil_mode keeps a last partial window; return_indices also gives each maximum's index in (H, W)."""
    check_unsupported("max_pool2d", dilation=(dilation, 1))
    kernel, strides, pads = pool_arguments("max_pool2d", kernel_size, stride, padding)
    x = to_tensor(input)
    check_kernel_dtype("max_pool2d", x, "b")
    extra = _ceil_overhang(x.shape[-2:], kernel, strides, pads) if ceil_mode and x.ndim >= 3 else (0, 0)
    if any(extra):
        out = ops.max_pool2d(_padded(x, pads, extra, _lowest(x.array.dtype)), kernel, strides, (0, 0), "max_pool2d")
    else:
        out = ops.max_pool2d(x, kernel, strides, pads, "max_pool2d")
    if not return_indices:
        return out
    return out, Tensor._make(_window_argmax(x.array, kernel, strides, pads, extra), False)


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over windows of (N, C, H, W) or (C, H, W); zero padding counts unless count_include_pad=False;
    ceil_mode keeps a last partial window (its mean is over what it covers); divisor_override divides every
    window's sum by that number instead."""
    kernel, strides, pads = pool_arguments("avg_pool2d", kernel_size, stride, padding)
    x = to_tensor(input)
    check_kernel_dtype("avg_pool2d", x, "bool uint8 int8 int16 int32")
    extra = _ceil_overhang(x.shape[-2:], kernel, strides, pads) if ceil_mode and x.ndim >= 3 else (0, 0)
    if not any(extra) and divisor_override is None:
        return ops.avg_pool2d(x, kernel, strides, pads, count_include_pad, "avg_pool2d")
    if divisor_override is not None and divisor_override <= 0:
        raise RuntimeError("divisor must be not zero")
    sums = ops.avg_pool2d(_padded(x, pads, extra, 0.0), kernel, strides, (0, 0), True, "avg_pool2d") * (
        kernel[0] * kernel[1])
    if divisor_override is not None:
        return sums / divisor_override
    counts = []
    for size, k, s, p, out in zip(x.shape[-2:], kernel, strides, pads, sums.shape[-2:], strict=True):
        start = np.arange(out) * s
        low, high = (0, size + 2 * p) if count_include_pad else (p, size + p)
        counts.append(np.minimum(start + k, high) - np.maximum(start, low))
    divisor = np.outer(counts[0], counts[1]).astype(x.array.dtype)
    return sums / Tensor._make(divisor, False)


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (axis 1) of (N, C, *) by batch statistics (training) or the running ones.

    In training the running statistics, if given, are updated in place (unbiased variance).
    """
    x = to_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, ...), got shape {tuple(x.shape)}")
    channels = x.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is not None and tuple(value.shape) != (channels,):
            raise RuntimeError(f"{name} should contain {channels} elements not {int(np.prod(value.shape))}")
        if name.startswith("running") and isinstance(value, Tensor) and value.requires_grad:
            raise RuntimeError(f"The function 'native_batch_norm' is not differentiable with respect to argument "
                               f"'{name}'. This input cannot have requires_grad True.")
    if not training and (running_mean is None or running_var is None):
        raise ValueError("batch_norm: running_mean and running_var are needed when not training")
    stats = [v.array if isinstance(v, Tensor) else v for v in (running_mean, running_var)]
    return ops.batch_norm(x, *stats, weight, bias, training, momentum, eps, "batch_norm")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: np.random.Generator | None = None) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (identity when not training);
    `inplace=True` writes the result into `input` and returns it, as PyTorch."""
    check_dropout_probability(p)
    x = to_tensor(input)
    if training and 0 < p < 1 and x.array.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{checks.scalar_type_name(x.array.dtype)}")
    if inplace:
        return x._inplace("dropout_", lambda t: ops.dropout(t, p, training, generator))
    return ops.dropout(x, p, training, generator)


# ----- activations and shapes -------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0); `inplace=True` writes the result into `input` and returns it."""
    x = to_tensor(input)
    return x._inplace("relu_", Tensor.relu) if inplace else x.relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x; `inplace=True` writes the result into `input` and returns it."""
    x = to_tensor(input)
    check_kernel_dtype("leaky_relu_cpu", x)
    if inplace:
        return x._inplace("leaky_relu_", lambda t: t.leaky_relu(negative_slope))
    return x.leaky_relu(negative_slope)


def tanh(input: Tensor) -> Tensor:
    return to_tensor(input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    return to_tensor(input).sigmoid()


def _softmax_dim(name: str, ndim: int, dim: int | None) -> int:
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    x = to_tensor(input)
    return x.softmax(_softmax_dim("softmax", x.ndim, dim), dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    x = to_tensor(input)
    return x.log_softmax(_softmax_dim("log_softmax", x.ndim, dim), dtype)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one (torch.flatten; nn.Flatten starts at dim 1)."""
    return to_tensor(input).flatten(start_dim, end_dim)


# ----- losses ------------------------------------------------------------------------------------
def cross_entropy(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between raw logits (N, C) (or (N, C, d1, ...), or (C,)) and integer class targets.

    One fused, stable op: log-softmax and pick forward, (softmax − smoothed onehot)·scale backward.
    """
    check_reduction("cross_entropy", reduction)
    check_label_smoothing("cross_entropy", label_smoothing)
    if target is None:
        raise TypeError("cross_entropy_loss(): argument 'target' (position 2) must be Tensor, not NoneType")
    check_kernel_dtype("log_softmax_lastdim_kernel_impl", to_tensor(input))
    return ops.cross_entropy(to_tensor(input), target, weight, ignore_index, reduction, label_smoothing,
                               "cross_entropy")


def nll_loss(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer targets given log-probabilities (N, C) (e.g. from log_softmax)."""
    check_reduction("nll_loss", reduction)
    return ops.nll_loss(to_tensor(input), target, weight, ignore_index, reduction, "nll_loss")


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean (or sum, or elementwise) squared error; a target of another shape is broadcast with a warning."""
    check_reduction("mse_loss", reduction)
    check_kernel_dtype("mse_cpu", to_tensor(input))
    return ops.mse_loss(to_tensor(input), target, reduction, "mse_loss")
