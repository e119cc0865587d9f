"""Functional forms of the layers and losses, with PyTorch's names, signatures and defaults.

Each function checks its arguments (so a user error names the op) and applies
one fused op from `fused/`, which checks the input's shape and dtype: conv2d,
max/avg pooling, batch_norm, linear, dropout, cross_entropy / nll_loss /
mse_loss. The layers check the same arguments once, in their constructors, and
call the fused ops directly.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..core import checks, dtypes
from ..core import random as _random
from ..core.graph_nodes import name_node
from ..core.tensor import Tensor, _tensors
from ..core.toplevel import concatenate, where
from . import ops
from ._checks import (
    REDUCTIONS,
    IntPair,
    Pair,
    check_conv_weight,
    check_dropout_probability,
    check_empty_input,
    check_float,
    check_groups,
    check_input_channels,
    check_int,
    check_kernel_dtype,
    check_no_grad_argument,
    check_output_padding,
    check_pool_input,
    check_positive,
    check_reduction,
    check_unsupported,
    conv_padding,
    label_smoothing_amount,
    legacy_reduction,
    padding_index,
    padding_sides,
    pair,
    pool1d_input,
    pool_arguments,
    same_sides,
    scalar_type_name,
    single,
    size_text,
    string_padding,
    to_tensor,
    triple,
)
from .ops import activation as _activation
from .ops.binary_loss import BinaryCrossEntropyOp, BinaryCrossEntropyWithLogitsOp
from .ops.conv_transpose import conv_transpose2d as _conv_transpose2d
from .ops.ctc_loss import CTCLossOp, extended_targets
from .ops.unfold import UnfoldOp


# ----- layers ------------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias for x of shape (..., in_features) and weight (out_features, in_features), or a
    1-D weight (in_features,)."""
    _tensors("linear", weight=weight)
    check_kernel_dtype("addmm_impl_cpu_", to_tensor(input), "b")
    if weight.ndim == 1:
        out = to_tensor(input) @ weight
        return out if bias is None else out + bias
    return ops.linear(to_tensor(input), weight, bias, "linear")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
           padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of input (N, C, H, W) (or unbatched (C, H, W)) with weight (O, C / groups, kH, kW);
    with groups > 1, each group of C / groups input channels makes O / groups output channels."""
    _tensors("conv2d", weight=weight)
    strides = pair(stride, "stride", "conv2d")
    dilations = pair(dilation, "dilation", "conv2d")
    sides = padding_sides(conv_padding(padding, strides, "conv2d"), weight.shape[2:], dilations)
    x = to_tensor(input)
    check_kernel_dtype("slow_conv2d_cpu" if dilations == (1, 1) else "slow_conv_dilated<>", x,
                       "b" if dilations == (1, 1) else "biu")
    check_conv_weight(tuple(weight.shape), groups)
    if groups != 1:  # one fused conv per group of channels (shared with conv1d)
        check_groups("conv2d", weight.shape[0], groups, "out_channels")
        return _grouped_conv2d(x, weight, bias, strides, sides, dilations, groups, "conv2d")
    return ops.conv2d(x, weight, bias, strides, sides, dilations, "conv2d")


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


def _window_argmax(x: np.ndarray, kernel: Pair, stride: Pair, pads: Pair, extra: Pair,
                   dilation: Pair = (1, 1)) -> np.ndarray:
    """Each window's maximum as an index into the flattened (H, W) input, as max_pool2d's return_indices."""
    h, w = x.shape[-2:]
    (dh, dw), spans = dilation, _dilated(kernel, dilation)
    widths = ((0, 0),) * (x.ndim - 2) + ((pads[0], pads[0] + extra[0]), (pads[1], pads[1] + extra[1]))
    values = np.pad(x.astype(np.float64), widths, constant_values=-np.inf)  # padding never wins, as in PyTorch
    where = np.pad(np.arange(h * w, dtype=np.int64).reshape(h, w), widths[-2:], constant_values=-1)
    windows = sliding_window_view(values, spans, axis=(-2, -1))[..., ::stride[0], ::stride[1], ::dh, ::dw]
    places = sliding_window_view(where, spans)[::stride[0], ::stride[1], ::dh, ::dw]
    flat = windows.reshape(windows.shape[:-2] + (windows.shape[-2] * windows.shape[-1],))
    best = np.argmax(flat, axis=-1)
    return np.take_along_axis(np.broadcast_to(places.reshape(places.shape[:2] + (-1,)), flat.shape),
                              best[..., None], axis=-1)[..., 0]


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               dilation: IntPair = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over windows of (N, C, H, W) or (C, H, W); stride defaults to kernel_size; pads with -inf.
    ceil_mode keeps a last partial window; return_indices also gives each maximum's index in (H, W)."""
    dilations = pair(dilation, "dilation", "max_pool2d")
    kernel, strides, pads = pool_arguments("max_pool2d", kernel_size, stride, padding)
    checks.boolean("max_pool2d", "ceil_mode", ceil_mode)
    x = to_tensor(input)
    check_kernel_dtype("max_pool2d", x, "b")
    _check_pool2d_sizes(x)
    spans = _dilated(kernel, dilations)
    extra = _ceil_overhang(x.shape[-2:], spans, strides, pads) if ceil_mode and x.ndim >= 3 else (0, 0)
    if any(extra):
        out = ops.max_pool2d(_padded(x, pads, extra, _lowest(x.array.dtype)), kernel, strides, (0, 0), "max_pool2d",
                             dilations)
    else:
        out = ops.max_pool2d(x, kernel, strides, pads, "max_pool2d", dilations)
    if not return_indices:
        return out
    return out, Tensor._make(_window_argmax(x.array, kernel, strides, pads, extra, dilations), False)


def _check_pool2d_sizes(x: Tensor) -> None:
    """PyTorch's refusal of an empty channel, row or column dim (an empty batch is fine)."""
    if x.ndim in (3, 4) and 0 in x.shape[x.ndim - 3:]:
        raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but "
                           f"got:{list(x.shape)}")


def _dilated(kernel: Pair, dilation: Pair) -> Pair:
    """The span of a dilated window, d·(k - 1) + 1."""
    return dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over windows of (N, C, H, W) or (C, H, W); zero padding counts unless count_include_pad=False;
    ceil_mode keeps a last partial window (its mean is over what it covers); divisor_override divides every
    window's sum by that number instead."""
    kernel, strides, pads = pool_arguments("avg_pool2d", kernel_size, stride, padding)
    checks.boolean("avg_pool2d", "ceil_mode", ceil_mode)
    checks.boolean("avg_pool2d", "count_include_pad", count_include_pad)
    x = to_tensor(input)
    if 0 < x.ndim < 3:  # PyTorch's avg_pool2d reads the size of dim -3 first
        raise IndexError(f"Dimension out of range (expected to be in range of [{-x.ndim}, {x.ndim - 1}], but got -3)")
    _check_pool2d_sizes(x)
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
    if training and x.shape[:1] and x.shape[0] * math.prod(x.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {list(x.shape)}")
    if eps <= 0.0 if training else eps < 0.0:
        raise ValueError(f"batch_norm eps must be {'positive during training' if training else 'non-negative'}, "
                         f"but got {eps}")
    named = (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias))
    if x.ndim < 2 and all(value is None for _, value in named):
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got 1)")
    channels = x.shape[1] if x.ndim >= 2 else 0
    for name, value in named:
        if name.startswith("running") and isinstance(value, Tensor) and value.requires_grad:
            raise RuntimeError(f"The function 'native_batch_norm' is not differentiable with respect to argument "
                               f"'{name}'. This input cannot have requires_grad True.")
    if x.numel() == 0:  # PyTorch returns before its checks: the input times weight[0] plus bias[0]
        return ops.batch_norm(x, None, None, weight, bias, training, momentum, eps, "batch_norm")
    for name, value in named:
        if value is not None and tuple(value.shape) != (channels,):
            raise RuntimeError(f"{name} should contain {channels} elements not {int(np.prod(value.shape))}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError(f"{'running_mean' if running_mean is None else 'running_var'} must be defined in "
                           "evaluation mode")
    stats = [v.array if isinstance(v, Tensor) else v for v in (running_mean, running_var)]
    return ops.batch_norm(x, *stats, weight, bias, training, momentum, eps, "batch_norm")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: np.random.Generator | None = None) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (identity when not training);
    `inplace=True` writes the result into `input` and returns it, as PyTorch."""
    x = to_tensor(input)
    checks.boolean("dropout_" if inplace else "dropout", "train", training)
    if training and 0 < p < 1 and x.array.dtype.kind != "f":
        raise RuntimeError(f"result type Float can't be cast to the desired output type "
                           f"{checks.scalar_type_name(x.array.dtype)}")
    return _dropout(x, p, training, inplace, generator, "dropout_")


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
        return name_node(x._inplace("leaky_relu_", lambda t: t.leaky_relu(negative_slope)), "LeakyReluBackward1")
    return x.leaky_relu(negative_slope)


def tanh(input: Tensor) -> Tensor:
    """(exp(x) - exp(-x)) / (exp(x) + exp(-x))."""
    return to_tensor(input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x))."""
    return to_tensor(input).sigmoid()


def _softmax_dim(name: str, ndim: int, dim: int | None) -> int:
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """exp(x) / sum(exp(x)) along dim."""
    x = to_tensor(input)
    return x.softmax(_softmax_dim("softmax", x.ndim, dim), dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along dim, computed without the overflow of exp."""
    x = to_tensor(input)
    return x.log_softmax(_softmax_dim("log_softmax", x.ndim, dim), dtype)


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one (torch.flatten; nn.Flatten starts at dim 1)."""
    return to_tensor(input).flatten(start_dim, end_dim)


# ----- losses ------------------------------------------------------------------------------------
def cross_entropy(input: Tensor, target: Any, weight: Any = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between raw logits (N, C) (or (N, C, d1, ...), or (C,)) and integer class targets.

    One fused, stable op: log-softmax and pick forward, (softmax − smoothed onehot)·scale backward.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_int("cross_entropy_loss", "ignore_index", 5, ignore_index)
    check_reduction("cross_entropy", reduction)
    if target is None:
        raise TypeError("cross_entropy_loss(): argument 'target' (position 2) must be Tensor, not NoneType")
    check_kernel_dtype("log_softmax_lastdim_kernel_impl", to_tensor(input))
    return ops.cross_entropy(to_tensor(input), target, weight, ignore_index, reduction,
                             label_smoothing_amount(label_smoothing), "cross_entropy")


def nll_loss(input: Tensor, target: Any, weight: Any = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer targets given log-probabilities (N, C) (e.g. from log_softmax)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_int("nll_loss_nd", "ignore_index", 5, ignore_index)
    check_reduction("nll_loss", reduction)
    return ops.nll_loss(to_tensor(input), target, weight, ignore_index, reduction, "nll_loss")


def mse_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean (or sum, or elementwise) squared error; a target of another shape is broadcast with a warning.
    With a weight per element, the mean is the weighted sum over the sum of the weights."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if weight is not None:
        x, t = _broadcast_target(to_tensor(input), target)
        return _weighted_loss((x - t) ** 2, weight, reduction)
    check_reduction("mse_loss", reduction)
    check_kernel_dtype("mse_cpu", to_tensor(input))
    return ops.mse_loss(to_tensor(input), target, reduction, "mse_loss")


def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int | Sequence[int] = 1,
           padding: int | Sequence[int] | str = 0, dilation: int | Sequence[int] = 1, groups: int = 1) -> Tensor:
    """1-D cross-correlation of input (N, C, L) (or unbatched (C, L)) with weight (O, C / groups, k)."""
    _tensors("conv1d", weight=weight)
    x = to_tensor(input)
    if x.ndim == 2:
        return conv1d(x.unsqueeze(0), weight, bias, stride, padding, dilation, groups).squeeze(0)
    if x.ndim != 3 or weight.ndim != 3:
        raise RuntimeError(f"conv1d: expected a 2D or 3D input and a 3D weight, got input of shape {x.shape} and "
                           f"weight of shape {weight.shape}")
    if any(v <= 0 for v in ((stride,) if isinstance(stride, int) else stride)):
        raise RuntimeError("non-positive stride is not supported")
    s, d = single(stride, "stride", "conv1d"), single(dilation, "dilation", "conv1d")
    check_kernel_dtype("slow_conv2d_cpu" if d == 1 else "slow_conv_dilated<>", x, "b" if d == 1 else "biu")
    k = weight.shape[2]
    if isinstance(padding, str):
        sides = (0, 0, *same_sides((d,), (k,))[0]) if string_padding(padding, (s,)) == "same" else (0, 0, 0, 0)
    else:
        p = single(padding, "padding", "conv1d", minimum=0)
        sides = (0, 0, p, p)
    check_conv_weight(tuple(weight.shape), groups)
    check_groups("conv1d", weight.shape[0], groups, "out_channels")
    check_input_channels(x, weight, groups)
    return _grouped_conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, (1, s), sides, (1, d), groups,
                          "conv1d").squeeze(2)


def _grouped_conv2d(x: Tensor, weight: Tensor, bias: Tensor | None, stride: Pair, sides: tuple[int, int, int, int],
                   dilation: Pair, groups: int, op: str) -> Tensor:
    """The fused conv2d of each group of channels (weight (O, C / groups, kH, kW)), joined along the channels."""
    if groups == 1:
        return ops.conv2d(x, weight, bias, stride, sides, dilation, op)
    check_input_channels(x, weight, groups)
    batched = x if x.ndim == 4 else x.unsqueeze(0)
    c, o = weight.shape[1], weight.shape[0] // groups
    parts = [ops.conv2d(batched[:, g * c:(g + 1) * c], weight[g * o:(g + 1) * o],
                          None if bias is None else bias[g * o:(g + 1) * o], stride, sides, dilation, op)
             for g in range(groups)]
    out = concatenate(parts, 1)
    return out if x.ndim == 4 else out.squeeze(0)


def _check_transposed(op: str, kernel: str, input: Any, x: Tensor, weight: Tensor, output_padding: tuple[int, ...],
                      strides: tuple[int, ...], dilations: tuple[int, ...], groups: int) -> None:
    """A transposed convolution's checks in PyTorch's order; `kernel` names PyTorch's CPU kernel in the dtype error."""
    check_output_padding(output_padding, strides, dilations)
    check_conv_weight(tuple(weight.shape), groups, True)
    check_empty_input(to_tensor(input), weight.ndim)
    check_groups(op, weight.shape[0], groups, "in_channels")
    check_kernel_dtype(kernel, x, "bool uint8 int8 int16 int32")


def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
                     padding: IntPair = 0, output_padding: IntPair = 0, groups: int = 1,
                     dilation: IntPair = 1) -> Tensor:
    """2-D transposed convolution ("deconvolution") of (N, C_in, H, W) with weight (C_in, C_out / groups, kH, kW).

    The output is (H - 1)·stride - 2·padding + dilation·(kH - 1) + output_padding + 1 high (and as wide).
    """
    op = "conv_transpose2d"
    _tensors(op, weight=weight)
    strides, dilations = pair(stride, "stride", op), pair(dilation, "dilation", op)
    pads, out_pads = pair(padding, "padding", op, 0), pair(output_padding, "output_padding", op, 0)
    _check_transposed(op, "slow_conv_transpose2d_out_cpu", input, to_tensor(input), weight, out_pads, strides,
                      dilations, groups)
    return _conv_transpose2d(to_tensor(input), weight, bias, strides, pads, out_pads, dilations, groups, op)


def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: int | Sequence[int] = 1,
                     padding: int | Sequence[int] = 0, output_padding: int | Sequence[int] = 0, groups: int = 1,
                     dilation: int | Sequence[int] = 1) -> Tensor:
    """1-D transposed convolution of (N, C_in, L) (or (C_in, L)) with weight (C_in, C_out / groups, k): the 2-D
    one on a height of 1."""
    op = "conv_transpose1d"
    _tensors(op, weight=weight)
    x = to_tensor(input)
    if x.ndim not in (2, 3) or weight.ndim != 3:
        raise RuntimeError(f"{op}: expected a 2D or 3D input and a 3D weight, got input of shape {x.shape} and "
                           f"weight of shape {weight.shape}")
    s, d = single(stride, "stride", op), single(dilation, "dilation", op)
    p, extra = single(padding, "padding", op, 0), single(output_padding, "output_padding", op, 0)
    check_output_padding((0, extra), (1, s), (1, d))
    check_conv_weight(tuple(weight.shape), groups, True)
    check_empty_input(to_tensor(input), weight.ndim)
    check_groups(op, weight.shape[0], groups, "in_channels")
    check_kernel_dtype("slow_conv_transpose2d_out_cpu", x, "bool uint8 int8 int16 int32")
    return _conv_transpose2d(x.unsqueeze(-2), weight.unsqueeze(2), bias, (1, s), (0, p), (0, extra), (1, d), groups,
                             op).squeeze(-2)


# ----- resampling --------------------------------------------------------------------------------
_LINEAR = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")


def _nearest_indices(out: int, size: int, scale: float, exact: bool) -> np.ndarray:
    offset = 0.5 if exact else 0.0
    return np.minimum(np.floor((np.arange(out) + offset) * scale).astype(np.int64), size - 1)


def _linear_matrix(out: int, size: int, scale: float, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """The (out, size) matrix of 1-D linear interpolation, PyTorch's source-index rule."""
    dst = np.arange(out, dtype=np.float64)
    if align_corners:
        src = dst * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        src = np.maximum((dst + 0.5) * scale - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    frac = src - i0
    matrix = np.zeros((out, size), dtype=np.float64)
    np.add.at(matrix, (np.arange(out), i0), 1 - frac)
    np.add.at(matrix, (np.arange(out), i1), frac)
    return matrix.astype(dtype)


def _cubic_matrix(out: int, size: int, scale: float, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """The (out, size) matrix of 1-D cubic convolution (A = -0.75, edges repeated), PyTorch's bicubic rule."""
    a = -0.75
    dst = np.arange(out, dtype=np.float64)
    src = dst * ((size - 1) / (out - 1) if out > 1 else 0.0) if align_corners else (dst + 0.5) * scale - 0.5
    first = np.floor(src)
    t = src - first

    def near(x: np.ndarray) -> np.ndarray:  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: np.ndarray) -> np.ndarray:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    matrix = np.zeros((out, size), dtype=np.float64)
    rows = np.arange(out)
    for k, weight in enumerate((far(t + 1), near(t), near(1 - t), far(2 - t))):
        np.add.at(matrix, (rows, np.clip(first.astype(np.int64) - 1 + k, 0, size - 1)), weight)
    return matrix.astype(dtype)


def interpolate(input: Tensor, size: int | Sequence[int] | None = None,
                scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, L), (N, C, H, W) or (N, C, D, H, W) to `size` or by `scale_factor`: nearest, nearest-exact,
    linear, bilinear, bicubic, trilinear (each separable: one interpolation matrix per axis) or area (adaptive
    average pooling)."""
    x = to_tensor(input)
    unsupported = NotImplementedError(
        f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {x.ndim}D) for the modes: nearest | linear | "
        f"bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got {mode})")
    if antialias:
        raise NotImplementedError(f"interpolate: mode={mode!r} with antialias is not supported")
    if mode in ("nearest", "nearest-exact", "area") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    spatial = x.ndim - 2
    in_size = x.shape[2:]
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        out_size = tuple(size) if isinstance(size, Sequence) else (size,) * spatial
        if len(out_size) != spatial:
            raise ValueError(f"Input and output must have the same number of spatial dimensions, but got input with "
                             f"spatial dimensions of {list(in_size)} and output size of {list(out_size)}. Please "
                             "provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                             "...,oK) format.")
        if any(isinstance(n, bool | float) for n in out_size):
            raise TypeError(f"interpolate(): size must be ints, got {list(out_size)}")  # PyTorch's parser refuses
        scales = None
    elif scale_factor is not None:
        factors = tuple(scale_factor) if isinstance(scale_factor, Sequence) else (scale_factor,) * spatial
        if len(factors) != spatial:
            raise ValueError(f"Input and scale_factor must have the same number of spatial dimensions, but got input "
                             f"with spatial dimensions of {list(in_size)} and scale_factor of shape {list(factors)}.")
        if not (recompute_scale_factor or mode == "area") and not all(
                math.isfinite(float(i) * f) for i, f in zip(in_size, factors, strict=True)):
            raise RuntimeError("value cannot be converted to type int64_t without overflow")  # PyTorch's kernel's
        out_size = tuple(math.floor(float(i) * f) for i, f in zip(in_size, factors, strict=True))
        scales = None if recompute_scale_factor or min(out_size) <= 0 else [1 / f for f in factors]
    else:
        raise ValueError("either size or scale_factor should be defined")
    # the rank and the mode are checked after the sizes, as PyTorch's interpolate does
    if mode not in _MODES or x.ndim not in (3, 4, 5) or mode == "bicubic" and x.ndim != 4:
        raise unsupported
    if mode in _LINEAR and x.ndim != _LINEAR[mode]:
        raise NotImplementedError(f"Got {x.ndim}D input, but {mode} mode needs {_LINEAR[mode]}D input")
    if min(out_size) <= 0 or min(in_size) <= 0:
        names = ("D", "H", "W")[-spatial:]
        raise RuntimeError("Input and output sizes should be greater than 0, but got input ("
                           + ", ".join(f"{n}: {i}" for n, i in zip(names, in_size, strict=True))
                           + (") and output (" if spatial == 1 else ") output (")  # PyTorch's 1-D words
                           + ", ".join(f"{n}: {o}" for n, o in zip(names, out_size, strict=True)) + ")")
    if mode != "area" and 0 in x.shape[1:]:
        raise RuntimeError(f"Non-empty {x.ndim}D data tensor expected but got a tensor with sizes {list(x.shape)}")
    if scales is None:
        scales = [i / o for i, o in zip(in_size, out_size, strict=True)]
    if x.array.dtype.kind == "u" and mode in ("linear", "trilinear") or x.ndim == 5 and (
            x.array.dtype.kind in "bi" or x.array.dtype.kind == "u" and mode == "area"):
        raise checks.not_implemented_for("adaptive_avg_pool3d_cpu" if mode == "area" else
                                         f"compute_indices_weights_{'nearest' if 'nearest' in mode else 'linear'}",
                                         x.array.dtype)
    if x.array.dtype.kind in "bi":
        kernel = "adaptive_avg_pool2d" if mode == "area" else f"upsample_{mode}{spatial}d_channels_last"
        raise checks.not_implemented_for(kernel, x.array.dtype)
    if mode == "area":  # PyTorch's area mode is adaptive average pooling
        if x.ndim == 3:
            return adaptive_avg_pool2d(x.unsqueeze(2), (1, out_size[0])).squeeze(2)
        return adaptive_avg_pool3d(x, out_size) if x.ndim == 5 else adaptive_avg_pool2d(x, out_size)
    if x.array.dtype == np.uint8 and mode in _LINEAR:  # PyTorch interpolates bytes in float and rounds
        wide = interpolate(x.astype(np.float32), size, scale_factor, mode, align_corners, recompute_scale_factor)
        return Tensor._make(np.clip(np.rint(wide.array), 0, 255).astype(np.uint8), False)
    out = x
    for axis, (o, n, scale) in enumerate(zip(out_size, in_size, scales, strict=True), start=2):
        if o == n and (mode not in _LINEAR or scale == 1.0 or align_corners):
            continue
        if mode in _LINEAR:
            matrix = _cubic_matrix if mode == "bicubic" else _linear_matrix
            m = matrix(o, n, scale, bool(align_corners), x.array.dtype)
            out = (out.transpose(axis, -1) @ Tensor(m.T)).transpose(axis, -1)
            continue
        index = _nearest_indices(o, n, scale, mode == "nearest-exact")
        if o % n == 0 and np.array_equal(index, np.arange(o) // (o // n)):  # whole repeats: a broadcast
            shape = out.shape
            k = o // n
            out = (out.reshape(shape[:axis + 1] + (1,) + shape[axis + 1:])
                   .expand(shape[:axis + 1] + (k,) + shape[axis + 1:]).reshape(shape[:axis] + (o,) + shape[axis + 1:]))
        else:
            out = out[(slice(None),) * axis + (index,)]
    return out


def _adaptive_bounds(out: int, size: int) -> list[tuple[int, int]]:
    """PyTorch's windows of adaptive pooling: [floor(i·size/out), ceil((i+1)·size/out))."""
    return [((i * size) // out, -(-((i + 1) * size) // out)) for i in range(out)]


def _list_with_default(output_size: Any, shape: tuple[int, ...]) -> Any:
    """PyTorch's _list_with_default, which its adaptive pools call first: an int as it is; a sequence's None
    entries taken from the input's trailing dims (ValueError when the input has no more dims than the sequence;
    len(None) is its TypeError)."""
    if isinstance(output_size, int | np.integer):
        return output_size
    if len(shape) <= len(output_size):
        raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
    return [n if s is None else s for s, n in zip(output_size, shape[-len(output_size):], strict=True)]


def _adaptive_size(output_size: Any, in_size: tuple[int, ...], op: str) -> tuple[int, int]:
    sizes = (output_size, output_size) if isinstance(output_size, int | np.integer) or output_size is None \
        else tuple(output_size)
    if len(sizes) != 2:
        raise RuntimeError(f"{op}: output_size must be 2")
    return tuple(n if s is None else int(s) for s, n in zip(sizes, in_size, strict=True))  # type: ignore[return-value]


def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average over PyTorch's adaptive windows: one averaging matrix on each side of (N, C, H, W) or (C, H, W)."""
    x = to_tensor(input)
    output_size = _list_with_default(output_size, tuple(x.shape))
    check_kernel_dtype("adaptive_avg_pool2d", x)
    check_pool_input("adaptive_avg_pool2d", x)
    oh, ow = _adaptive_size(output_size, x.shape[-2:], "adaptive_avg_pool2d")
    if min(oh, ow) < 0:
        raise RuntimeError(f"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but "
                           f"received {{{oh}, {ow}}}")
    out = x
    for axis, (o, n) in ((x.ndim - 1, (ow, x.shape[-1])), (x.ndim - 2, (oh, x.shape[-2]))):
        if o == n:
            continue
        m = np.zeros((o, n), dtype=x.array.dtype)
        for i, (lo, hi) in enumerate(_adaptive_bounds(o, n)):
            m[i, lo:hi] = 1 / (hi - lo)
        out = (out.transpose(axis, -1) @ Tensor(m.T)).transpose(axis, -1)
    return out


def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Tensor:
    """Maximum over PyTorch's adaptive windows, picked at each window's index of its maximum in (H, W) (the first
    one, or a NaN's, as PyTorch), which return_indices also gives."""
    x = to_tensor(input)
    output_size = _list_with_default(output_size, tuple(x.shape))
    check_kernel_dtype("adaptive_max_pool2d", x)
    check_pool_input("adaptive_max_pool2d", x)
    oh, ow = _adaptive_size(output_size, x.shape[-2:], "adaptive_max_pool2d")
    checks.shape_arg("empty", tuple(x.shape[:-2]) + (oh, ow))  # PyTorch's error for a negative size
    index = _adaptive_argmax(x.array, oh, ow)  # the gradient goes to each window's first maximum, as PyTorch's
    lead, plane = tuple(x.shape[:-2]), x.shape[-2] * x.shape[-1]
    out = x.reshape(lead + (plane,)).gather(-1, Tensor._make(index.reshape(lead + (oh * ow,)), False))
    out = name_node(out.reshape(lead + (oh, ow)), "AdaptiveMaxPool2DBackward0")
    return (out, Tensor._make(index, False)) if return_indices else out


def _adaptive_argmax(a: np.ndarray, oh: int, ow: int) -> np.ndarray:
    """The flat (H, W) index of each adaptive window's maximum (a NaN counts as the maximum)."""
    width = a.shape[-1]
    out = np.empty(a.shape[:-2] + (oh, ow), dtype=np.int64)
    for i, (h0, h1) in enumerate(_adaptive_bounds(oh, a.shape[-2])):
        for j, (w0, w1) in enumerate(_adaptive_bounds(ow, width)):
            window = a[..., h0:h1, w0:w1].reshape(a.shape[:-2] + ((h1 - h0) * (w1 - w0),))
            best = np.argmax(np.where(np.isnan(window), np.inf, window), axis=-1)
            out[..., i, j] = (h0 + best // (w1 - w0)) * width + w0 + best % (w1 - w0)
    return out


def _pool1d_arguments(op: str, input: Any, kernel_size: Any, stride: Any, padding: Any) -> tuple[Tensor, ...]:
    """A 1-D pool as the 2-D one: the input as (N, C, 1, L), and the kernel, strides and pads of that view."""
    k = single(kernel_size, "kernel_size", op)
    s = k if stride is None or stride == () else single(stride, "stride", op)
    kernel, strides, pads = pool_arguments(op, (1, k), (1, s), (0, single(padding, "padding", op, 0)))
    return pool1d_input(op, to_tensor(input)), kernel, strides, pads


def avg_pool1d(input: Tensor, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
               padding: int | Sequence[int] = 0, ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Mean over windows of (N, C, L) or (C, L): the 2-D pool on a (N, C, 1, L) view."""
    check_positive("avg_pool1d", kernel_size=kernel_size, stride=stride if stride is not None else 1)
    checks.boolean("avg_pool1d", "ceil_mode", ceil_mode)
    checks.boolean("avg_pool1d", "count_include_pad", count_include_pad)
    x, kernel, strides, pads = _pool1d_arguments("avg_pool1d", input, kernel_size, stride, padding)
    check_kernel_dtype("avg_pool2d", x, "bool uint8 int8 int16 int32")
    if ceil_mode:
        return avg_pool2d(x, kernel, strides, pads, True, count_include_pad).squeeze(-2)
    return ops.avg_pool2d(x, kernel, strides, pads, count_include_pad, "avg_pool1d").squeeze(-2)


def max_pool1d(input: Tensor, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
               padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1, ceil_mode: bool = False,
               return_indices: bool = False) -> Any:
    """Max over windows of (N, C, L) or (C, L): the 2-D pool on a (N, C, 1, L) view (its indices are then
    the positions along L)."""
    checks.boolean("max_pool1d", "ceil_mode", ceil_mode)
    check_positive("max_pool1d", kernel_size=kernel_size, stride=stride if stride is not None else 1,
                   dilation=dilation)
    if isinstance(padding, int | np.integer) and padding < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {padding}")
    given = to_tensor(input)
    if given.ndim in (2, 3) and 0 in given.shape[given.ndim - 2:]:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for "
                           f"input, but got:{list(given.shape)}")
    d = single(dilation, "dilation", "max_pool1d")
    x, kernel, strides, pads = _pool1d_arguments("max_pool1d", input, kernel_size, stride, padding)
    check_kernel_dtype("max_pool1d_impl", x)
    if ceil_mode or return_indices:
        out = max_pool2d(x, kernel, strides, pads, (1, d), ceil_mode, return_indices)
        return (out[0].squeeze(-2), out[1].squeeze(-2)) if return_indices else out.squeeze(-2)
    return ops.max_pool2d(x, kernel, strides, pads, "max_pool1d", (1, d)).squeeze(-2)


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
              generator: Any = None) -> Tensor:
    """Zero whole channels of (N, C, L) (or (C, L)) with probability p, scale the rest by 1/(1-p)."""
    return _channel_dropout(input, p, training, inplace, generator, 1)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
              generator: Any = None) -> Tensor:
    """Zero whole channels of (N, C, H, W) with probability p, scale the rest by 1/(1-p). A 3-D input is taken as
    (N, C, L), as PyTorch does (with its warning)."""
    return _channel_dropout(input, p, training, inplace, generator, 2)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
              generator: Any = None) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) (or (C, D, H, W)) with probability p, scale the rest by 1/(1-p)."""
    return _channel_dropout(input, p, training, inplace, generator, 3)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False,
                  generator: Any = None) -> Tensor:
    """Dropout that keeps the zero mean and unit variance of SELU's outputs."""
    return _dropout(input, p, training, inplace, generator, "alpha_dropout_", alpha=True)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False,
                          generator: Any = None) -> Tensor:
    """Alpha dropout of whole channels of (N, C, *)."""
    return _dropout(input, p, training, inplace, generator, "feature_alpha_dropout_", per_leading=2, alpha=True)


def _dropout(input: Tensor, p: float, training: bool, inplace: bool, generator: Any, name: str,
             per_leading: int = 0, alpha: bool = False) -> Tensor:
    check_dropout_probability(p)
    checks.boolean(name if inplace else name.rstrip("_"), "train", training)
    x = to_tensor(input)
    if inplace:
        return x._inplace(name, lambda t: ops.dropout(t, p, training, generator, per_leading, alpha))
    return ops.dropout(x, p, training, generator, per_leading, alpha)


def _channel_dropout(input: Tensor, p: float, training: bool, inplace: bool, generator: Any, dims: int) -> Tensor:
    """PyTorch's dropout1d/2d/3d: feature dropout over (N, C, *spatial); an input of another rank is unbatched,
    a batch of one (dropout2d excepted: it takes every input as batched, a 3-D one as (N, C, L))."""
    check_dropout_probability(p)
    x = to_tensor(input)
    name = f"dropout{dims}d"
    if dims == 1 and x.ndim not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. Note that dropout1d "
                           "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    if dims > 1 and x.ndim not in (dims + 1, dims + 2):
        warnings.warn(f"{name}: Received a {x.ndim}-D input to {name}, which is deprecated and will result in an "
                      "error in a future release. To retain the behavior and silence this warning, please use "
                      f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with "
                      f"{dims} spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
                      f"{dims + 1}D or {dims + 2}D inputs).", stacklevel=3)
    if dims == 2 and x.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This "
                      "behavior will change in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please "
                      "switch to using dropout1d instead.", stacklevel=3)
    unbatched = dims != 2 and x.ndim != dims + 2
    return _dropout(x, p, training, inplace, generator, f"{name}_", per_leading=1 if unbatched else 2)


# ----- padding and blocks ------------------------------------------------------------------------
_PAD_MODES = ("reflect", "replicate", "circular")  # besides constant


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad the last len(pad) // 2 dims; `pad` lists (left, right) of the last dim first, then of the one before.

    constant (value, default 0; negative sizes crop), reflect (mirror without the edge), replicate (repeat the
    edge), circular (wrap around).
    """
    x = to_tensor(input)
    widths = list(checks.integers("pad", "pad", pad))
    if len(widths) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(widths) // 2 > x.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input dimension but got "
                           f"padding length {len(widths)} and input of dimension {x.ndim}")
    dims = len(widths) // 2
    pairs = [(0, 0)] * (x.ndim - dims) + [(widths[2 * i], widths[2 * i + 1]) for i in reversed(range(dims))]
    if mode == "constant":
        if any(n + min(lo, 0) + min(hi, 0) < 0 for (lo, hi), n in zip(pairs, x.shape, strict=True)):
            raise RuntimeError("narrow(): length must be non-negative.")  # PyTorch crops with narrow
        crop = tuple(slice(max(-lo, 0), n - max(-hi, 0)) for (lo, hi), n in zip(pairs, x.shape, strict=True))
        out = x[crop] if any(lo < 0 or hi < 0 for lo, hi in pairs) else x
        grow = [(max(lo, 0), max(hi, 0)) for lo, hi in pairs]
        return out.pad(grow, value=0.0 if value is None else value) if any(map(any, grow)) else out
    if mode not in _PAD_MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "circular":
        check_kernel_dtype(f"{'reflection' if mode == 'reflect' else 'replication'}_pad{dims}d", x, "b")
    if value:
        raise ValueError(f"Padding mode \"{mode}\" doesn't take in value argument")
    if not 1 <= dims <= 3 or x.ndim not in (dims + 1, dims + 2):
        raise NotImplementedError(
            f"Padding size {len(widths)} is not supported for {x.ndim}D input tensor.\nSupported combinations for "
            "non-constant padding:\n  - 2D or 3D input: padding size = 2 (pads last dimension)\n  - 3D or 4D input: "
            "padding size = 4 (pads last 2 dimensions)\n  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    if mode != "circular" and 0 in x.shape[x.ndim - dims - 1 if x.ndim == dims + 2 else 0:]:
        raise RuntimeError(f"Expected {dims + 1}D or {dims + 2}D (batch mode) tensor with possibly 0 batch size and "
                           f"other non-zero dimensions for input, but got: {list(x.shape)}")
    sizes = [n + lo + hi for (lo, hi), n in zip(pairs[-dims:], x.shape[-dims:], strict=True)]
    if mode != "circular" and max(sizes) < 1:  # negative padding crops (PyTorch's test: one dim left)
        names = "DHW"[-dims:]
        given = ", ".join(f"{a}: {n}" for a, n in zip(names, x.shape[-dims:], strict=True))
        result = " ".join(f"{a}: {n}" for a, n in zip(names, sizes, strict=True))
        raise RuntimeError(f"input ({given}) is too small. Calculated output {result}")
    if min(sizes) < 0:
        if mode == "circular":
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
        checks.shape_arg("empty", tuple(x.shape[:-dims]) + tuple(sizes))
    out = x
    for axis, (lo, hi) in enumerate(pairs):
        if not (lo or hi):
            continue
        n = x.shape[axis]
        if mode == "reflect" and (lo >= n or hi >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input dimension, "
                               f"but got: padding ({lo}, {hi}) at dimension {axis} of input {list(x.shape)}")
        if mode == "circular" and (lo > n or hi > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        index = np.arange(n + lo + hi) - lo  # each output position's source, before the mode folds it in
        if mode == "reflect":
            index = np.abs(index)
            index = np.where(index >= n, 2 * (n - 1) - index, index)
        elif mode == "replicate":
            index = np.clip(index, 0, n - 1)
        else:  # circular: crop, then wrap around what is left
            kept = np.arange(max(-lo, 0), n - max(-hi, 0))
            if not len(kept) and n + lo + hi:  # nothing left to wrap (PyTorch reads memory it never wrote)
                raise RuntimeError("narrow(): length must be non-negative." if n + min(lo, 0) + min(hi, 0) < 0 else
                                   "Padding value causes wrapping around more than once.")
            index = kept[(np.arange(n + lo + hi) - max(lo, 0)) % max(len(kept), 1)]
        out = out[(slice(None),) * axis + (index,)]
    return out


def unfold(input: Tensor, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0,
           stride: IntPair = 1) -> Tensor:
    """The sliding blocks of (N, C, H, W) (or (C, H, W)) as columns: (N, C·kH·kW, L), im2col."""
    x = to_tensor(input)
    check_kernel_dtype("im2col_out_cpu", x, "iu")
    op = "unfold"
    check_positive(op, kernel_size=kernel_size, stride=stride, dilation=dilation)
    kernel, dilations = pair(kernel_size, "kernel_size", op), pair(dilation, "dilation", op)
    (ph, pw), strides = pair(padding, "padding", op, 0), pair(stride, "stride", op)
    if x.ndim == 3:
        return unfold(x.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0)
    if x.ndim != 4:
        raise RuntimeError(f"Input Error: Only 3D or 4D input Tensors are supported (got {x.ndim}D)")
    for n, k, d, p in zip(x.shape[2:], kernel, dilations, (ph, pw), strict=True):
        if n + 2 * p < d * (k - 1) + 1:
            raise RuntimeError(f"Given input with spatial size {tuple(x.shape[2:])}, kernel_size={kernel}, "
                               f"dilation={dilations}, padding={(ph, pw)}, calculated shape of the array of sliding "
                               "blocks is non-positive")
    return UnfoldOp.apply(x, kernel=kernel, dilation=dilations, padding=(ph, ph, pw, pw), stride=strides)


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C·r², H, W) to (*, C, H·r, W·r): each group of r² channels becomes an r x r block of pixels."""
    x, r = to_tensor(input), checks.integer("pixel_shuffle", "upscale_factor", upscale_factor)
    if x.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{x.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = x.shape
    if c % (r * r):
        raise RuntimeError(f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
                           f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    n = len(lead)
    blocks = x.reshape(tuple(lead) + (c // (r * r), r, r, h, w))
    order = tuple(range(n)) + (n, n + 3, n + 1, n + 4, n + 2)
    return blocks.permute(*order).reshape(tuple(lead) + (c // (r * r), h * r, w * r))


# ----- normalisation and similarity ---------------------------------------------------------------
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:
    """input / max(‖input‖_p along dim, eps)."""
    check_unsupported("normalize", out=(out, None))
    x = to_tensor(input)
    if x.array.dtype.kind != "f":
        raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex tensor as input. "
                           f"Got {scalar_type_name(x)}")
    return x / _norm(x, p, dim).clamp(min=eps)


def _norm(x: Tensor, p: float, dim: int) -> Tensor:
    """‖x‖_p along dim (kept): a zero vector gets the zero gradient, as PyTorch's norm."""
    magnitude = x.abs()
    if p == math.inf:
        return magnitude.amax(dim, keepdim=True)
    zero = magnitude.array.max(axis=dim, keepdims=True) == 0
    safe = where(np.broadcast_to(zero, x.shape), 1.0, magnitude)  # keeps the power's gradient finite at 0
    total = (safe ** p).sum(dim, keepdim=True) ** (1.0 / p)
    return where(zero, 0.0, total)


def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along dim (inputs broadcast together)."""
    _tensors("cosine_similarity", x1=x1, x2=x2)
    a, b = to_tensor(x1), to_tensor(x2)
    common = dtypes.common_dtype(np.empty(1, a.array.dtype), np.empty(1, b.array.dtype))  # as broadcast: no 0-dim
    if common.kind != "f":
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is "
                           f"{checks.scalar_type_name(common)}")
    if not eps >= 0:  # NaN too
        raise RuntimeError(f"eps must be non-negative, got: {eps}")
    shape = checks.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    dim = checks.dim(dim, len(shape))
    a, b = a.expand(shape).astype(common), b.expand(shape).astype(common)
    if not shape[dim]:  # no elements to compare: 0 / eps²
        return (a * b).sum(dim)

    def clamped_norm(x: Tensor) -> Tensor:  # PyTorch clamps the norm in place under no_grad: its gradient is the norm's
        norm = _norm(x, 2, dim)
        return norm.detach().clamp(min=eps) + (norm - norm.detach())

    return ((a / clamped_norm(a)) * (b / clamped_norm(b))).sum(dim)


# ----- activations -------------------------------------------------------------------------------
def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha·(exp(x) - 1)."""
    x = to_tensor(input)
    check_kernel_dtype("elu_cpu", x)
    if inplace:
        return name_node(x._inplace("elu_", lambda t: elu(t, alpha)), "EluBackward1")
    return _activation.elu(x, alpha)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta·x)) / beta, and x itself where beta·x > threshold."""
    x = to_tensor(input)
    check_kernel_dtype("softplus_cpu", x)
    return _activation.softplus(x, beta, threshold)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x where x > 0, else weight·x, with one weight per channel (dim 1) or one for all."""
    x = to_tensor(input)
    _tensors("prelu", weight=weight)
    check_kernel_dtype("prelu_cpu", x)
    if weight.dtype != x.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {scalar_type_name(x)} and "
                           f"{scalar_type_name(weight)}")
    if weight.ndim != 1 or weight.shape[0] not in (1, x.shape[1] if x.ndim >= 2 else 1):
        channels = x.shape[1] if x.ndim >= 2 else 1
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                           f"{weight.numel()} and channel size = {channels}.")
    w = weight.reshape((-1,) + (1,) * (x.ndim - 2)) if x.ndim >= 2 else weight.reshape(x.shape and (-1,))
    return where(x.array > 0, x, x * w)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """x clamped to [min_val, max_val]; the gradient passes strictly inside, as PyTorch's."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    x = to_tensor(input)
    if x.array.dtype == np.bool_:
        raise RuntimeError("Bool inputs not supported for hardtanh")
    if x.array.dtype.kind == "u" and min(int(min_val), int(max_val)) < 0:
        raise RuntimeError("cannot do hardtanh on an unsigned type with negative limits")
    if inplace:
        return x._inplace("hardtanh_", lambda t: hardtanh(t, min_val, max_val))
    inside = (x.array > min_val) & (x.array < max_val)
    return name_node(where(inside, x, np.clip(x.array, min_val, max_val).astype(x.array.dtype)), "HardtanhBackward0")


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return hardtanh(input, 0.0, 6.0, inplace)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)), without overflow: x - log(1 + exp(x)) for x < 0, -log(1 + exp(-x)) otherwise."""
    x = to_tensor(input)
    check_kernel_dtype("log_sigmoid_cpu", x)
    negative = x.array < 0
    tail = (where(negative, x, -x).exp() + 1).log()
    return where(negative, x - tail, -tail)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """softmax(-x) along dim."""
    from .functional import softmax

    x = -to_tensor(input)
    return softmax(x if dtype is None else x.astype(dtype), dim)


def _reduce_loss(losses: Tensor, reduction: str) -> Tensor:
    """mean, sum or none of elementwise losses; ValueError for anything else, as PyTorch."""
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    if reduction == "none":
        return losses
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _element_weight(input: Tensor, weight: Any) -> Tensor:
    w = _target(input, weight)
    if w.shape != input.shape:
        raise ValueError("Weights and input must have the same size.")
    return w


def _weighted_loss(losses: Tensor, weight: Any, reduction: str) -> Tensor:
    """mse_loss and l1_loss with a weight per element: the mean is sum(w · loss) / sum(w), as PyTorch's."""
    w = _element_weight(losses, weight)
    if reduction == "mean":
        return (losses * w).sum() / w.sum()
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
    return _reduce_loss(losses * w, reduction)


def _target(input: Tensor, target: Any) -> Tensor:
    return target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=input.array.dtype))


def _broadcast_target(input: Tensor, target: Any) -> tuple[Tensor, Tensor]:
    """Input and target broadcast together; PyTorch's warning when their shapes differ."""
    t = _target(input, target)
    if t.shape != input.shape:
        warnings.warn(f"Using a target size ({size_text(t)}) that is different to the input size ({size_text(input)}). "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
                      "the same size.", stacklevel=3)
        shape = checks.broadcast_shapes(tuple(input.shape), tuple(t.shape))
        return input.expand(shape), t.expand(shape)
    return input, t


def binary_cross_entropy(input: Tensor, target: Any, weight: Any = None, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """-(t·log x + (1-t)·log(1-x)) of probabilities x in [0, 1], each log clamped at -100 as in PyTorch."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    t = _target(x, target)
    if t.shape != x.shape:
        raise ValueError(f"Using a target size ({size_text(t)}) that is different to the input size "
                         f"({size_text(x)}) is deprecated. Please ensure they have the same size.")
    if t.dtype != x.dtype:
        raise RuntimeError(f"Found dtype {scalar_type_name(t)} but expected {scalar_type_name(x)}")
    check_kernel_dtype("binary_cross_entropy", x)
    check_float("binary_cross_entropy", x, t)
    if x.array.size and not ((x.array >= 0) & (x.array <= 1)).all():
        raise RuntimeError("all elements of input should be between 0 and 1")
    check_no_grad_argument("binary_cross_entropy", "weight", weight)
    losses = BinaryCrossEntropyOp.apply(x, t)
    if weight is not None:
        losses = losses * _target(x, weight).expand(x.shape)
    return name_node(_reduce_loss(losses, reduction), "BinaryCrossEntropyBackward0")


def binary_cross_entropy_with_logits(input: Tensor, target: Any, weight: Any = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Binary cross-entropy of sigmoid(input), computed from the logits without overflow.

    pos_weight (broadcast along the last dim, one per class) weighs the positive term; weight each element.
    """
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    x = to_tensor(input)
    t = _target(x, target)
    if t.shape != x.shape:
        raise ValueError(f"Target size ({size_text(t)}) must be the same as input size ({size_text(x)})")
    check_kernel_dtype("log_sigmoid_cpu", x)
    check_float("binary_cross_entropy_with_logits", x, t)
    check_no_grad_argument("binary_cross_entropy_with_logits", "weight", weight)
    check_no_grad_argument("binary_cross_entropy_with_logits", "pos_weight", pos_weight)
    # PyTorch's steps: log_sigmoid(x) *= (pos_weight - 1) * t + 1; loss = (1 - t) * x - that; loss *= weight.
    # Each in-place step keeps its tensor's shape, and the loss takes the target's dtype.
    args = [x, t]
    if pos_weight is not None:
        p = _target(x, pos_weight)
        p._no_bool_subtraction(1)
        checks.fits_in_place(tuple(x.shape), checks.broadcast_shapes(tuple(p.shape), tuple(t.shape)))
        args.append(p)
    losses = BinaryCrossEntropyWithLogitsOp.apply(*args)
    if weight is not None:
        w = _target(x, weight)
        checks.fits_in_place(tuple(x.shape), checks.broadcast_shapes(tuple(x.shape), tuple(w.shape)))
        losses = losses * w
    if losses.dtype != t.dtype:
        losses = losses.to(t.dtype)
    return name_node(_reduce_loss(losses, reduction), "BinaryCrossEntropyWithLogitsBackward0")


def l1_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
            reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean (or sum, or elementwise) absolute error; weighted as mse_loss."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, t = _broadcast_target(to_tensor(input), target)
    if weight is not None:
        return _weighted_loss((x - t).abs(), weight, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _reduce_loss((x - t).abs(), reduction)


def smooth_l1_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5·d²/beta where |d| < beta, else |d| - 0.5·beta (d = input - target); beta = 0 is the L1 loss."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if not beta >= 0:  # NaN too
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    check_kernel_dtype("smooth_l1_cpu", to_tensor(input))
    x, t = _broadcast_target(to_tensor(input), target)
    d = (x - t).abs()
    if beta == 0:
        return _reduce_loss(d, reduction)
    losses = where(d.array < beta, d * d * (0.5 / beta), d - 0.5 * beta)
    return name_node(_reduce_loss(losses, reduction), "SmoothL1LossBackward0")


def huber_loss(input: Tensor, target: Any, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """0.5·d² where |d| < delta, else delta·(|d| - 0.5·delta); smooth_l1_loss times delta when beta = delta."""
    if not delta > 0:  # NaN too
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    check_kernel_dtype("huber_cpu", to_tensor(input))
    x, t = _broadcast_target(to_tensor(input), target)
    d = (x - t).abs()
    losses = where(d.array < delta, d * d * 0.5, (d - 0.5 * delta) * delta)
    if weight is not None:
        return _reduce_loss(losses * _element_weight(x, weight), reduction)
    return name_node(_reduce_loss(losses, reduction), "HuberLossBackward0")


def kl_div(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Pointwise KL divergence target·(log target - input) of log-probabilities `input`.

    With log_target the target is given as log-probabilities too. reduction="batchmean" divides the sum by
    the batch size (the mathematical KL divergence); "mean" divides by the number of elements, with PyTorch's
    warning.
    """
    _tensors("kl_div", target=target)
    checks.boolean("kl_div", "log_target", log_target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in (*REDUCTIONS, "batchmean"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      stacklevel=2)
    x = to_tensor(input)
    t = _target(x, target)
    if x.array.dtype.kind in "biu" or t.array.dtype.kind in "biu":
        raise RuntimeError("kl_div: Integral inputs not supported.")
    if log_target:
        losses = t.exp() * (t - x)
    else:
        positive = t.array > 0
        losses = t * where(positive, t, 1.0).log() - t * x
    if reduction == "batchmean":
        total = losses.sum()
        return total / x.shape[0] if x.ndim else total
    return _reduce_loss(losses, reduction)


def _pair_inputs(input1: Any, input2: Any, size_average: bool | None, reduce: bool | None,
                 reduction: str) -> tuple[Tensor, Tensor, str]:
    """The two inputs of a loss that compares pairs, and its reduction (from the legacy arguments too)."""
    return to_tensor(input1), to_tensor(input2), legacy_reduction(size_average, reduce, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1 (rows of (N, D) or one (D,))."""
    _tensors("cosine_embedding_loss", target=target)
    x1, x2, reduction = _pair_inputs(input1, input2, size_average, reduce, reduction)
    y = np.asarray(target.array if isinstance(target, Tensor) else target)
    if x1.shape != x2.shape:
        raise RuntimeError(f"cosine_embedding_loss: input1 and input2 must have the same shape, got {x1.shape} "
                           f"and {x2.shape}")
    if x1.ndim not in (1, 2):
        raise RuntimeError(f"cosine_embedding_loss: 1D target tensor expects 2D input tensors, but found inputs "
                           f"with sizes {list(x1.shape)} and {list(x2.shape)}.")
    if y.shape != x1.shape[:1 if x1.ndim == 2 else 0]:
        raise RuntimeError(f"cosine_embedding_loss: expected target of shape {x1.shape[:x1.ndim - 1]}, "
                           f"got {y.shape}")
    dim = x1.ndim - 1
    eps = 1e-12
    dot = (x1 * x2).sum(dim)
    denominator = (((x1 * x1).sum(dim) + eps) * ((x2 * x2).sum(dim) + eps)).sqrt()
    cos = dot / denominator
    zero = cos * 0
    dissimilar = (cos - float(margin)).clamp(min=0)  # margin is a C++ double in PyTorch
    return _reduce_loss(where(y == 1, 1 - cos, zero) + where(y == -1, dissimilar, zero), reduction)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Any, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """max(0, -target·(input1 - input2) + margin): input1 should rank higher where target is 1."""
    x1, x2, reduction = _pair_inputs(input1, input2, size_average, reduce, reduction)
    y = _target(x1, target)
    if x1.ndim != x2.ndim or x1.ndim != y.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {size_text(x1)}, input2: {size_text(x2)}, target: {size_text(y)} ")
    return _reduce_loss((-y * (x1 - x2) + float(margin)).clamp(min=0), reduction)  # a C++ double in PyTorch


# ----- text and sequences -----------------------------------------------------------------------
def _embedding_renorm(weight: Tensor, indices: np.ndarray, max_norm: float, norm_type: float) -> None:
    """PyTorch's embedding_renorm_: each row the indices pick whose norm exceeds max_norm is scaled, in place
    and outside the graph, by max_norm / (norm + 1e-7)."""
    rows = np.unique(indices)
    rows = rows[(rows >= 0) & (rows < weight.shape[0])]  # out-of-range indices are refused by the lookup
    w = weight.array
    norms = np.linalg.norm(w[rows], ord=norm_type, axis=1).astype(np.float64)
    over = norms > max_norm
    if over.any():
        w[rows[over]] *= (max_norm / (norms[over] + 1e-7)).astype(w.dtype)[:, None]
        weight._version += 1


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of weight (num_embeddings, embedding_dim) picked by the integer indices in input: (*, embedding_dim)."""
    check_unsupported("embedding", sparse=(sparse, False))
    _tensors("embedding", weight=weight)
    indices = to_tensor(input)
    if indices.array.dtype not in (np.int32, np.int64):
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the following scalar types: "
                           f"Long, Int; but got torch.{scalar_type_name(indices)}Tensor instead (while checking "
                           "arguments for embedding)")
    if max_norm is not None:
        _embedding_renorm(weight, indices.array, max_norm, norm_type)
    return ops.embedding(to_tensor(input), weight, padding_index(padding_idx, weight.shape[0], "embedding"),
                           scale_grad_by_freq, "embedding")


def layer_norm(input: Tensor, normalized_shape: Sequence[int] | int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last len(normalized_shape) dims, then scale by weight and shift by bias."""
    if isinstance(normalized_shape, int):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, not int")
    shape = tuple(normalized_shape)
    check_kernel_dtype("LayerNormKernelImpl", to_tensor(input))
    return ops.layer_norm(to_tensor(input), shape, weight, bias, eps, "layer_norm")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each of num_groups groups of channels of (N, C, *) over its channels and positions, then
    scale and shift each channel."""
    x = to_tensor(input)
    num_groups = checks.integer("group_norm", "num_groups", num_groups)
    check_kernel_dtype("GroupNormKernelImpl", x)
    if any(p is not None and p.dtype != x.dtype for p in (weight, bias)):
        raise RuntimeError(f"mixed dtype (CPU): expect parameter to have scalar type of {scalar_type_name(x)}")
    if num_groups <= 0:
        raise RuntimeError(f"Expected num groups to be greater than 0, got {num_groups}")
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise RuntimeError(f"group_norm: expected input of shape (N, C, *) with C divisible by num_groups="
                           f"{num_groups}, but got input of size {list(x.shape)}")
    n, channels = x.shape[0], x.shape[1]
    if n * channels // num_groups * math.prod(x.shape[2:]) == 1:  # PyTorch's _verify_batch_size, always applied
        raise ValueError("Expected more than 1 value per channel when training, got input size "
                         f"{[n * channels // num_groups, num_groups, *x.shape[2:]]}")
    grouped = x.reshape(n, num_groups, (channels // num_groups) * math.prod(x.shape[2:]))
    out = ops.layer_norm(grouped, grouped.shape[2:], None, None, eps, "group_norm").reshape(x.shape)
    affine_shape = (1, channels) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(affine_shape)
    if bias is not None:
        out = out + bias.reshape(affine_shape)
    return out


def gelu(input: Tensor, *, approximate: str = "none") -> Tensor:
    """x · Φ(x), Φ the standard normal CDF; approximate="tanh" uses PyTorch's tanh formula."""
    check_kernel_dtype("GeluKernelImpl", to_tensor(input))
    return ops.gelu(to_tensor(input), approximate, "gelu")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x · sigmoid(x) (swish); `inplace=True` writes the result into `input` and returns it."""
    x = to_tensor(input)
    check_kernel_dtype("silu_cpu", x)
    return name_node(x._inplace("silu_", lambda t: t * t.sigmoid()) if inplace else x * x.sigmoid(), "SiluBackward0")


def one_hot(input: Tensor, num_classes: int = -1) -> Tensor:
    """int64 tensor of shape (*input.shape, num_classes) with 1 at each index (num_classes -1: max + 1)."""
    indices = input.array if isinstance(input, Tensor) else np.asarray(input)
    if indices.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if indices.size and indices.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if not indices.size:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(indices.max()) + 1
    elif indices.size and indices.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return Tensor._make((indices[..., None] == np.arange(num_classes)).astype(np.int64), False)


def _additive_mask(mask: Any, like: Tensor, true_means_keep: bool) -> Tensor:
    """A boolean mask as 0 / -inf scores in like's dtype (True means keep or mask out, as told); a float mask
    is returned as it is."""
    mask = to_tensor(mask)
    if mask.array.dtype == np.bool_:
        blocked = ~mask.array if true_means_keep else mask.array
        return Tensor._make(np.where(blocked, -np.inf, 0.0).astype(like.array.dtype), False)
    if mask.array.dtype.kind != "f":
        raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, got {mask.dtype}")
    return mask.astype(like.array.dtype)


def _safe_softmax(scores: Tensor) -> Tensor:
    """softmax over the last dim, where a row that may attend to nothing (all -inf) gets weights 0, not NaN,
    and so do its gradients: PyTorch's safe softmax of attention."""
    masked_out = np.isneginf(scores.array).all(-1, keepdims=True)
    if masked_out.any():
        return scores.masked_fill(masked_out, 0.0).softmax(-1).masked_fill(masked_out, 0.0)
    return scores.softmax(-1)


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, *, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(query @ keyᵀ · scale + mask) @ value over the last two dims: (..., L, E), (..., S, E),
    (..., S, Ev) -> (..., L, Ev). A bool attn_mask says which positions take part (True); a float one is
    added to the scores; is_causal masks the upper triangle; scale defaults to 1/√E. Dropout is applied
    whenever dropout_p > 0, as in PyTorch (pass 0.0 in evaluation)."""
    check_unsupported("scaled_dot_product_attention", enable_gqa=(enable_gqa, False))
    q, k, v = to_tensor(query), to_tensor(key), to_tensor(value)
    if q.array.dtype.kind != "f":
        if not q.numel():  # PyTorch returns an empty query's empty result unchecked
            dtype = np.int64 if v.array.dtype == np.bool_ else v.array.dtype  # a bool product sums to int64
            return Tensor._make(np.zeros(q.shape[:-1] + v.shape[-1:], dtype=dtype), False)
        raise RuntimeError(f"expected scalar type Float but found {scalar_type_name(q)}")
    if is_causal and attn_mask is not None:
        raise RuntimeError("scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True")
    factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * factor
    if is_causal:
        scores = scores.masked_fill(~np.tri(q.shape[-2], k.shape[-2], dtype=bool), -np.inf)
    elif attn_mask is not None:
        scores = scores + _additive_mask(attn_mask, scores, true_means_keep=True)
    weights = _safe_softmax(scores)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p, True)
    return weights @ v


# ----- margin, ranking and likelihood losses; distances -------------------------------------------
def _loss_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """‖x1 - x2 + eps‖_p along the last dim (inputs broadcast together)."""
    _tensors("pairwise_distance", x1=x1, x2=x2)
    checks.boolean("pairwise_distance", "keepdim", keepdim)
    a, b = to_tensor(x1), to_tensor(x2)
    dim = max(a.ndim, b.ndim) - 1
    return name_node((a - b + eps).norm(p, dim if dim >= 0 else None, keepdim), "NormBackward1")


def pdist(input: Tensor, p: float = 2) -> Tensor:
    """‖x_i - x_j‖_p for each pair of rows i < j of an (N, M) input, in row-major order: N·(N-1)/2 values."""
    x = to_tensor(input)
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if x.array.dtype.kind != "f":
        raise RuntimeError("pdist only supports floating-point dtypes")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    first, second = np.triu_indices(x.shape[0], 1)
    diff = x[first] - x[second]
    same = ~diff.array.any(axis=1)  # equal rows: distance 0 with gradient 0, as PyTorch's
    out = where(same, 0.0, where(same[:, None], 1.0, diff).norm(p, 1))
    return name_node(out, "PdistBackward0")


def hinge_embedding_loss(input: Tensor, target: Any, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """x where target is 1, max(0, margin - x) where it is -1."""
    _tensors("hinge_embedding_loss", target=target)
    reduction = _loss_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    y = _target(x, target).array
    integral = x.array.dtype.kind in "biu"
    if integral and reduction == "mean":
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a floating point or "
                           f"complex dtype. Got: {scalar_type_name(x)}")
    zero = x * 0
    below = ((int(margin) if integral else margin) - x).clamp(min=0)  # PyTorch casts the margin to x's dtype
    return _reduce_loss(where(y != 1, below, zero) + where(y != -1, x, zero), reduction)


def soft_margin_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """log(1 + exp(-target·x)) for targets ±1."""
    _tensors("soft_margin_loss", target=target)
    reduction = _loss_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    check_kernel_dtype("soft_margin_loss", x)
    y = _target(x, target)
    check_no_grad_argument("soft_margin_loss", "target", y)
    # PyTorch writes into a tensor of the input's shape: the target may broadcast to it, not beyond
    checks.fits_in_place(tuple(x.shape), checks.broadcast_shapes(tuple(x.shape), tuple(y.shape)))
    return name_node(_reduce_loss(softplus(-y * x, 1.0, math.inf), reduction), "SoftMarginLossBackward0")


def multilabel_soft_margin_loss(input: Tensor, target: Any, weight: Any = None, size_average: bool | None = None,
                                reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of sigmoid(x) against 0/1 targets, averaged over the classes (the last dim)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    y = _target(x, target)
    losses = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        losses = losses * _target(x, weight)
    class_dim = x.ndim - 1
    losses = losses.sum(class_dim) / x.shape[class_dim]
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not valid")
    return _reduce_loss(losses, reduction)


def _class_targets(op: str, x: Tensor, target: Any, multilabel: bool) -> np.ndarray:
    y = np.asarray(target.array if isinstance(target, Tensor) else target)
    if y.dtype != np.int64:
        raise RuntimeError(f"expected scalar type Long but found {checks.scalar_type_name(y.dtype)}")
    if x.ndim > 2 or (x.ndim == 2 and x.shape[1] == 0) or (x.ndim < 2 and x.numel() == 0):
        raise RuntimeError(f"{op}: Expected non-empty vector or matrix with optional 0-dim batch size, but got: "
                           f"{list(x.shape)}")
    expected = tuple(x.shape) if multilabel else tuple(x.shape[:1]) if x.ndim == 2 else (1,) if x.ndim else ()
    if tuple(y.shape) != expected and not (not multilabel and y.size == 1 and x.ndim < 2):
        raise RuntimeError(f"inconsistent target size: {list(y.shape)} for input of size: {list(x.shape)}")
    return y


def multi_margin_loss(input: Tensor, target: Any, p: int = 1, margin: float = 1.0, weight: Any = None,
                      size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Σ_{j≠y} max(0, margin - x_y + x_j)^p / C per sample (p 1 or 2), times weight[y]."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and to_tensor(weight).ndim != 1:
        raise ValueError("weight must be one-dimensional")
    check_reduction("multi_margin_loss", reduction)
    x = to_tensor(input)
    check_kernel_dtype("multi_margin_loss_cpu_out", x)
    y = _class_targets("multi_margin_loss", x, target, multilabel=False)
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    labels = y.reshape(-1)
    classes = rows.shape[1]
    if labels.size and (labels.min() < 0 or labels.max() >= classes):
        raise RuntimeError("target out of range")
    picked = rows[np.arange(rows.shape[0]), labels].unsqueeze(1)
    hinge = (margin - picked + rows).clamp(min=0)
    if p == 2:
        hinge = hinge * hinge
    others = np.arange(classes) != labels[:, None]
    losses = where(others, hinge, 0.0)
    if weight is not None:
        losses = losses * to_tensor(weight)[labels].unsqueeze(1)
    losses = losses.sum(1) / classes
    losses = losses.reshape(x.shape[:1]) if x.ndim == 2 else losses.reshape(())
    return name_node(_reduce_loss(losses, reduction), "MultiMarginLossBackward0")


def multilabel_margin_loss(input: Tensor, target: Any, size_average: bool | None = None, reduce: bool | None = None,
                           reduction: str = "mean") -> Tensor:
    """Σ over target classes j and non-target classes i of max(0, 1 - (x_j - x_i)) / C; each row's targets
    are read up to its first -1."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction("multilabel_margin_loss", reduction)
    x = to_tensor(input)
    check_kernel_dtype("multilabel_margin_loss_forward_out_frame", x)
    y = _class_targets("multilabel_margin_loss", x, target, multilabel=True)
    rows = x.reshape(-1, x.shape[-1]) if x.ndim else x.reshape(1, 1)
    labels = y.reshape(rows.shape)
    classes = rows.shape[1]
    counts = np.zeros(rows.shape, dtype=rows.array.dtype)
    for n, row in enumerate(labels):
        for label in row:
            if label < 0:
                break
            if label >= classes:
                raise RuntimeError(f"multilabel_margin_loss: target index {label} is out of bounds")
            counts[n, label] += 1
    others = counts == 0
    pairs = (1 - rows.unsqueeze(2) + rows.unsqueeze(1)).clamp(min=0)  # [n, j, i]: 1 - x_j + x_i
    weights = counts[:, :, None] * others[:, None, :]
    losses = (pairs * Tensor._make(weights, False)).sum((1, 2)) / classes
    losses = losses.reshape(x.shape[:1]) if x.ndim == 2 else losses.reshape(())
    return name_node(_reduce_loss(losses, reduction), "MultilabelMarginLossBackward0")


def _check_triplet_dims(anchor: Tensor, positive: Tensor, negative: Tensor) -> None:
    a, p, n = anchor.ndim, positive.ndim, negative.ndim
    if not a == p == n:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a}D, positive {p}D, and negative {n}D inputs")


def _triplet(anchor: Tensor, positive: Tensor, negative: Tensor, distance: Any, margin: float, swap: bool,
             reduction: str) -> Tensor:
    dist_pos = distance(anchor, positive)
    dist_neg = distance(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(distance(positive, negative))
    return _reduce_loss(name_node((margin + dist_pos - dist_neg).clamp(min=0), "ClampMinBackward0"), reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-norm distance; swap uses min(d(a, n), d(p, n))."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    checks.boolean("triplet_margin_loss", "swap", swap)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    check_reduction("triplet_margin_loss", reduction)
    a, pos, neg = to_tensor(anchor), to_tensor(positive), to_tensor(negative)
    _check_triplet_dims(a, pos, neg)
    return _triplet(a, pos, neg, lambda u, v: pairwise_distance(u, v, p, eps), margin, swap, reduction)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Any = None, margin: float = 1.0, swap: bool = False,
                                      reduction: str = "mean") -> Tensor:
    """triplet_margin_loss with any distance_function(x1, x2) (pairwise_distance by default)."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, pos, neg = to_tensor(anchor), to_tensor(positive), to_tensor(negative)
    _check_triplet_dims(a, pos, neg)
    return _triplet(a, pos, neg, distance_function or pairwise_distance, margin, swap, reduction)


def poisson_nll_loss(input: Tensor, target: Any, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """exp(x) - target·x for a log-rate x (log_input), else x - target·log(x + eps); full adds Stirling's
    approximation of log(target!) where target > 1."""
    _tensors("poisson_nll_loss", target=target)
    checks.boolean("poisson_nll_loss", "log_input", log_input)
    checks.boolean("poisson_nll_loss", "full", full)
    reduction = _loss_reduction(size_average, reduce, reduction)
    x = to_tensor(input)
    t = _target(x, target)
    losses = x.exp() - t * x if log_input else x - t * (x + eps).log()
    if full:
        safe = where(t.array > 1, t, 1.0)
        stirling = safe * safe.log() - safe + (safe * (2 * math.pi)).log() * 0.5
        losses = losses + where(t.array > 1, stirling, 0.0)
    return _reduce_loss(losses, reduction)


def gaussian_nll_loss(input: Tensor, target: Any, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """0.5·(log(var) + (input - target)² / var) with var clamped to eps (the clamp passes the gradient);
    full adds 0.5·log(2π). var may have input's shape, or one dim fewer or of size 1 (one variance shared)."""
    x = to_tensor(input)
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        v = Tensor._make(np.full(x.shape, var, dtype=x.array.dtype if x.array.dtype.kind == "f" else np.float32),
                         False)
    else:
        v = to_tensor(var)
        if np.any(v.array < 0):
            raise ValueError("var has negative entry/entries")
    if v.shape != x.shape:
        if tuple(x.shape[:-1]) == tuple(v.shape):
            v = v.unsqueeze(-1)
        elif not (x.ndim == v.ndim and sum(b for a, b in zip(x.shape, v.shape, strict=True) if a != b) == 1):
            raise ValueError("var is of incorrect size")
    if reduction not in REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    if v.array.dtype.kind != "f":  # PyTorch clamps var in place
        raise RuntimeError(f"result type Float can't be cast to the desired output type {scalar_type_name(v)}")
    v = v + Tensor._make(np.maximum(v.array, eps) - v.array, False)
    losses = 0.5 * (v.log() + (x - _target(x, target)) ** 2 / v)
    if full:
        losses = losses + 0.5 * math.log(2 * math.pi)
    return _reduce_loss(losses, reduction)


# ----- bags of embeddings -------------------------------------------------------------------------
def _bags(indices: np.ndarray, offsets: Any, include_last_offset: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The flat indices and each bag's [start, end) in them, from a 2-D input (one bag per row) or a 1-D
    input cut at offsets."""
    if indices.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        rows, length = indices.shape
        if length == 0:  # PyTorch's offsets are arange(0, numel, length)
            raise RuntimeError("step must be nonzero")
        starts = np.arange(rows) * length
        return indices.reshape(-1), starts, starts + length
    if indices.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {indices.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    cuts = np.asarray(offsets.array if isinstance(offsets, Tensor) else offsets)
    if cuts.ndim != 1:
        raise ValueError("offsets has to be a 1D Tensor")
    if cuts.size and cuts[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from "
                           f"position 0. However, got {cuts[0]}")
    if cuts.size and cuts[-1] > indices.size:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length ({indices.size}), but got "
                           f"offsets[-1] of {cuts[-1]}")
    bounds = np.append(cuts, indices.size)
    if include_last_offset:
        bounds = cuts if cuts.size else np.zeros(1, np.int64)
    return indices, bounds[:-1].astype(np.int64), bounds[1:].astype(np.int64)


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """The sum, mean or max of each bag of rows of weight (num_embeddings, embedding_dim): (bags, embedding_dim).
    Bags are the rows of a 2-D input, or a 1-D input cut at offsets; entries equal to padding_idx are left
    out (and not counted in a mean); an empty bag gives zeros. per_sample_weights (mode="sum") scale each
    entry's row."""
    check_unsupported("embedding_bag", sparse=(sparse, False), scale_grad_by_freq=(scale_grad_by_freq, False))
    if mode not in ("sum", "mean", "max"):
        raise ValueError(f"mode has to be one of sum, mean or max but got {mode}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    indices = np.asarray(to_tensor(input).array)
    if indices.dtype not in (np.int32, np.int64):
        raise RuntimeError(f"expected scalar type Long but found {checks.scalar_type_name(indices.dtype)}")
    if per_sample_weights is not None and tuple(to_tensor(per_sample_weights).shape) != indices.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({tuple(to_tensor(per_sample_weights).shape)}) is "
                         f"not None, then it must have the same shape as the input ({tuple(indices.shape)})")
    if weight.array.dtype.kind != "f" and (mode == "max" or per_sample_weights is not None):
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the following scalar types: "
                           f"Half, BFloat16, Float, Double; but got {scalar_type_name(weight)} instead (while "
                           "checking arguments for embedding_bag)")
    flat, starts, ends = _bags(indices, offsets, include_last_offset)
    rows_count = weight.shape[0]
    if flat.size and (flat.min() < 0 or flat.max() >= rows_count):  # a RuntimeError, unlike embedding's
        bad = int(np.argmax((flat < 0) | (flat >= rows_count)))
        raise RuntimeError(f"embedding_bag: Index {bad} of input takes value {int(flat[bad])} which is not in the "
                           f"valid range [0, {rows_count})")
    if max_norm is not None:
        _embedding_renorm(weight, indices, max_norm, norm_type)
    pad = padding_index(padding_idx, rows_count, "embedding_bag")
    position = np.arange(flat.size)
    member = (position >= starts[:, None]) & (position < ends[:, None])  # [bag, entry]
    if pad is not None:
        member &= flat != pad
    rows = weight[flat]
    if mode == "max" and flat.size:  # (no index at all: every bag is empty, zeros as the sum below gives)
        longest = int(member.sum(1).max()) if member.size else 0
        order = np.argsort(~member, axis=1, kind="stable")[:, :max(longest, 1)]  # each bag's entries first
        present = np.take_along_axis(member, order, axis=1)
        picked = rows[order.reshape(-1)].reshape(order.shape + (weight.shape[1],))
        best = where(present[..., None], picked, -np.inf).amax(1)
        out = where(member.any(1)[:, None], best, 0.0)
    else:
        scale = member.astype(weight.array.dtype)
        if mode == "mean":
            scale = scale / np.maximum(scale.sum(1, keepdims=True), 1)
        if per_sample_weights is not None:
            rows = rows * to_tensor(per_sample_weights).reshape(-1, 1)
        out = Tensor._make(scale, False) @ rows
    return name_node(out, "EmbeddingBagBackward0")


# ----- more activations, and their in-place forms --------------------------------------------------
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def _maybe_in_place(x: Tensor, inplace: bool, name: str, compute: Any, node_in_place: str = "") -> Tensor:
    """compute(x), or written into x; `node_in_place`: PyTorch's node name for the in-place form (EluBackward1)."""
    if not inplace:
        return compute(x)
    out = x._inplace(name, compute)
    return name_node(out, node_in_place) if node_in_place else out


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale·elu(x, alpha) with PyTorch's self-normalising constants."""
    x = to_tensor(input)
    check_kernel_dtype("elu_cpu", x)
    return _maybe_in_place(x, inplace, "selu_", lambda t: _activation.elu(t, _SELU_ALPHA, _SELU_SCALE),
                           "EluBackward1")


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else alpha·(exp(x / alpha) - 1)."""
    x = to_tensor(input)
    check_kernel_dtype("elu_cpu", x)
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _maybe_in_place(x, inplace, "celu_",
                           lambda t: name_node(_activation.elu(t, alpha, 1.0, 1.0 / alpha), "CeluBackward0"),
                           "CeluBackward1")


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·tanh(softplus(x))."""
    x = to_tensor(input)
    check_kernel_dtype("mish_cpu", x)
    return _maybe_in_place(x, inplace, "mish_", lambda t: name_node(t * softplus(t).tanh(), "MishBackward0"))


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    x = to_tensor(input)
    check_kernel_dtype("abs_cpu", x, "b")
    return x / (x.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    x = to_tensor(input)
    if x.array.dtype == np.bool_:
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying "
                           "to invert a mask, use the `~` or `logical_not()` operator instead.")
    return x - x.tanh()


def _shrink_lambda(x: Tensor, lambd: float, kernel: str) -> None:
    check_kernel_dtype(kernel, x)
    if not lambd >= 0:  # NaN too
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype {scalar_type_name(x)}, but "
                           f"found {lambd:g}")


def softshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x - lambd above lambd, x + lambd below -lambd, 0 between."""
    x = to_tensor(input)
    _shrink_lambda(x, lambd, "softshrink_check")
    out = where(x.array > lambd, x - lambd, where(x.array < -lambd, x + lambd, x * 0))
    return name_node(out, "SoftshrinkBackward0")


def hardshrink(input: Tensor, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    x = to_tensor(input)
    check_kernel_dtype("hardshrink_cpu", x)
    kept = ~((x.array >= -lambd) & (x.array <= lambd))  # PyTorch's test: a NaN input or lambd keeps x
    passes = (x.array < -lambd) | (x.array > lambd)  # its vectorised backward: NaN gets no gradient
    return name_node(where(passes, x, np.where(kept, x.array, 0).astype(x.array.dtype)), "HardshrinkBackward0")


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """value where x <= threshold, else x (NaN stays NaN, as in PyTorch)."""
    x = to_tensor(input)
    check_kernel_dtype("threshold_cpu", x, "b")
    fill = np.asarray(value).astype(x.array.dtype)  # in x's dtype, as PyTorch
    return _maybe_in_place(x, inplace, "threshold_",
                           lambda t: name_node(where(~(t.array <= threshold), t, fill), "ThresholdBackward0"),
                           "ThresholdBackward1")


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, linear between."""
    x = to_tensor(input)
    check_kernel_dtype("hardsigmoid_cpu", x)
    return _maybe_in_place(x, inplace, "hardsigmoid_", ops.hardsigmoid)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x·relu6(x + 3) / 6."""
    x = to_tensor(input)
    check_kernel_dtype("hardswish_cpu", x)
    return _maybe_in_place(x, inplace, "hardswish_", ops.hardswish)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    """a·sigmoid(b), a and b the two halves of input along dim."""
    x = to_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    check_kernel_dtype("glu_cpu", x)
    axis = checks.dims(dim, x.ndim)[0]
    if x.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size {x.shape[axis]}")
    a, b = x.chunk(2, axis)
    return name_node(a * b.sigmoid(), "GluBackward0")


def _rrelu_slopes(x: np.ndarray, lower: float, upper: float, generator: Any) -> np.ndarray:
    """PyTorch's CPU kernel: one uniform double (53 bits of a 64-bit draw) per element <= 0, in memory order."""
    compute = x.dtype.type
    low, high = float(compute(lower)), float(compute(upper))
    negative = x <= 0
    words = _random.stream(generator)._raw64(int(negative.sum()))
    slopes = np.ones(x.shape, dtype=x.dtype)
    slopes[negative] = ((words & np.uint64((1 << 53) - 1)) * 2.0 ** -53 * (high - low) + low).astype(x.dtype)
    return slopes


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    """leaky_relu with slope (lower + upper) / 2 in evaluation; in training each element at or below 0 gets
    its own slope drawn from U(lower, upper): the same numbers as PyTorch's after the same manual_seed."""
    checks.boolean("rrelu", "training", training)
    return _rrelu(input, lower, upper, training, inplace, None)


def _rrelu(input: Tensor, lower: float, upper: float, training: bool, inplace: bool, generator: Any) -> Tensor:
    x = to_tensor(input)
    for bound, value in (("lower", lower), ("upper", upper)) if not inplace else ():  # rrelu_ has no such check
        if not math.isfinite(value):
            raise RuntimeError(f"rrelu: {bound} bound must be finite, got {value}")
    if not lower <= upper:  # NaN too
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")
    check_kernel_dtype("leaky_relu_cpu", x)

    def compute(t: Tensor) -> Tensor:
        if not training:
            return name_node(t.leaky_relu((lower + upper) / 2), "RreluWithNoiseBackward0")
        return name_node(where(t.array > 0, t, t * _rrelu_slopes(t.array, lower, upper, generator)),
                         "RreluWithNoiseBackward0")

    return _maybe_in_place(x, inplace, "rrelu_", compute, "RreluWithNoiseBackward1")


def relu_(input: Tensor) -> Tensor:
    return relu(input, inplace=True)


def elu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return elu(input, alpha, inplace=True)


def leaky_relu_(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return leaky_relu(input, negative_slope, inplace=True)


def hardtanh_(input: Tensor, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, inplace=True)


def selu_(input: Tensor) -> Tensor:
    return selu(input, inplace=True)


def celu_(input: Tensor, alpha: float = 1.0) -> Tensor:
    return celu(input, alpha, inplace=True)


def rrelu_(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
           generator: Any = None) -> Tensor:
    return _rrelu(input, lower, upper, training, True, generator)


def threshold_(input: Tensor, threshold: float, value: float) -> Tensor:
    return globals()["threshold"](input, threshold, value, inplace=True)


# ----- more layers: normalisation, shuffles, bilinear, 1-D adaptive pools, unpooling, fold --------------
def rms_norm(input: Tensor, normalized_shape: Sequence[int] | int, weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    """x / sqrt(mean(x²) + eps) over the last len(normalized_shape) dims, times weight; eps defaults to the
    dtype's machine epsilon."""
    x = to_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[x.ndim - len(shape):]) != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape [*, "
                           f"{', '.join(map(str, shape))}], but got input of size{list(x.shape)}")
    check_kernel_dtype("rms_norm", x)
    if eps is None:
        eps = float(np.finfo(x.array.dtype).eps)
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    out = x * ((x * x).mean(dims, keepdim=True) + eps) ** -0.5
    if weight is None:
        return out
    return out * (weight if weight.dtype == x.dtype else weight.astype(x.array.dtype))  # in x's dtype, as PyTorch


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """batch_norm of each (sample, channel) plane on its own (N·C channels of one sample); the running
    statistics, if given, get the mean over the batch of the planes' updates."""
    x = to_tensor(input)
    if x.ndim < 3:
        raise ValueError(f"instance_norm: expected an input of shape (N, C, *), got shape {tuple(x.shape)}")
    if use_input_stats and math.prod(x.shape[2:]) == 1:
        raise ValueError(f"Expected more than 1 spatial element when training, got input size {list(x.shape)}")
    n, channels = x.shape[0], x.shape[1]
    folded = x.reshape(1, n * channels, *x.shape[2:])
    stats = [None if s is None else np.tile(s.array, n) for s in (running_mean, running_var)]
    affine = [None if p is None else p.repeat(n) for p in (weight, bias)]
    out = ops.batch_norm(folded, *stats, *affine, use_input_stats, momentum, eps, "instance_norm")
    for kept, tiled in zip((running_mean, running_var), stats, strict=True):
        if kept is not None and tiled is not None:
            kept.array[...] = tiled.reshape(n, channels).mean(0)
    return out.reshape(x.shape)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """x / (k + alpha · mean of x² over `size` neighbouring channels)^beta (the window zero-padded)."""
    x = to_tensor(input)
    if x.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {x.ndim} dimensions)")
    check_kernel_dtype("avg_pool2d" if x.ndim == 3 else "avg_pool3d_out_frame", x, "bool uint8 int32")
    if x.numel() == 0:
        return x
    squares = (x * x).pad(((0, 0), (size // 2, (size - 1) // 2)) + ((0, 0),) * (x.ndim - 2), 0.0)
    channels = x.shape[1]
    window = squares[:, 0:channels]
    for shift in range(1, size):
        window = window + squares[:, shift:shift + channels]
    if x.array.dtype.kind in "iu":  # PyTorch's integer average pool divides with truncation
        return x / ((Tensor._make(window.array // size, False) * alpha + k) ** beta)
    return x / ((window * (alpha / size) + k) ** beta)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y_o = x1 · weight[o] · x2 + bias_o for x1 (..., in1), x2 (..., in2), weight (out, in1, in2)."""
    x1, x2 = to_tensor(input1), to_tensor(input2)
    out_features, in1, in2 = weight.shape
    if x1.ndim != x2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {x1.ndim} and {x2.ndim}")
    if x1.shape[:-1] != x2.shape[:-1] or x1.shape[-1] != in1 or x2.shape[-1] != in2:
        raise RuntimeError(f"bilinear(): input sizes {list(x1.shape)} and {list(x2.shape)} do not match weight "
                           f"{list(weight.shape)}")
    lead = x1.shape[:-1]
    a, b = x1.reshape(-1, in1), x2.reshape(-1, in2)
    mixed = (a @ weight.permute(1, 0, 2).reshape(in1, out_features * in2)).reshape(a.shape[0], out_features, in2)
    out = (mixed * b.unsqueeze(1)).sum(-1).reshape(*lead, out_features)
    out = out if bias is None else out + bias
    return out.astype(x1.array.dtype) if x1.array.dtype.kind in "biu" else out  # integer products wrap, as PyTorch's


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H·r, W·r) to (*, C·r², H, W), r = downscale_factor: the inverse of pixel_shuffle."""
    r = checks.integer("pixel_unshuffle", "downscale_factor", downscale_factor)
    x = to_tensor(input)
    if x.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
                           f"{x.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = x.shape
    if h % r or w % r:
        raise RuntimeError(f"pixel_unshuffle expects height and width to be divisible by downscale_factor, but "
                           f"input.size(-2)={h} and input.size(-1)={w} are not divisible by {r}")
    if not x.numel():  # PyTorch returns an empty input as it is (a copy)
        return x.clone()
    k = len(lead)
    out = x.reshape(*lead, c, h // r, r, w // r, r).permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return name_node(out.reshape(*lead, c * r * r, h // r, w // r), "PixelUnshuffleBackward0")


def channel_shuffle(input: Tensor, groups: int) -> Tensor:
    """(N, C, *) with its channels as (groups, C / groups) transposed: channel g·(C/groups)+i goes to i·groups+g."""
    x = to_tensor(input)
    groups = checks.integer("channel_shuffle", "groups", groups)
    if x.ndim <= 2:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but got input with "
                           f"{x.ndim} dimension(s)")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of groups:{groups}")
    channels = x.shape[1]
    if channels % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {channels} channels and {groups} "
                           "groups.")
    out = x.reshape(x.shape[0], groups, channels // groups, *x.shape[2:]).transpose(1, 2).reshape(x.shape)
    return name_node(out, "ChannelShuffleBackward0")


def _as_2d_pool(x: Tensor, op: str) -> Tensor:
    if x.ndim not in (2, 3):
        raise RuntimeError(f"{op}(): Expected 2D or 3D tensor, but got {list(x.shape)}")
    return x.unsqueeze(-2)


def _one_output_size(op: str, output_size: Any) -> int:
    if isinstance(output_size, Sequence) and len(output_size) != 1:
        raise RuntimeError(f"{op}() argument 'output_size' should contain one int (got {len(output_size)})")
    return single(output_size, "output_size", op, minimum=-sys.maxsize)


def adaptive_avg_pool1d(input: Tensor, output_size: int | Sequence[int]) -> Tensor:
    """Mean over PyTorch's adaptive windows of the last dim of (N, C, L) or (C, L)."""
    x = to_tensor(input)
    size = _one_output_size("adaptive_avg_pool1d", output_size)
    return adaptive_avg_pool2d(_as_2d_pool(x, "adaptive_avg_pool1d"), (1, size)).squeeze(-2)


def adaptive_max_pool1d(input: Tensor, output_size: int | Sequence[int], return_indices: bool = False) -> Tensor:
    """Maximum over PyTorch's adaptive windows of the last dim of (N, C, L) or (C, L)."""
    x = to_tensor(input)
    size = _one_output_size("adaptive_max_pool1d", output_size)
    if x.ndim in (2, 3) and 0 in x.shape[1:]:
        raise RuntimeError(f"adaptive_max_pool1d(): Expected input to have non-zero size for non-batch dimensions, "
                           f"but input has sizes {list(x.shape)} with dimension {x.shape.index(0, 1)} being empty")
    out = adaptive_max_pool2d(_as_2d_pool(x, "adaptive_max_pool1d"), (1, size), return_indices)
    return (out[0].squeeze(-2), out[1].squeeze(-2)) if return_indices else out.squeeze(-2)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size: IntPair, stride: IntPair | None = None,
                 padding: IntPair = 0, output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool2d(return_indices=True): each value put at its index in a zero (H, W) plane."""
    x = to_tensor(input)
    check_kernel_dtype("max_unpool2d", x)
    kernel = pair(kernel_size, "kernel_size", "max_unpool2d")
    strides = kernel if stride is None else pair(stride, "stride", "max_unpool2d")
    pads = pair(padding, "padding", "max_unpool2d", minimum=0)
    if output_size is None:
        size = tuple((n - 1) * s - 2 * p + k for n, s, p, k in zip(x.shape[-2:], strides, pads, kernel, strict=True))
    else:
        size = tuple(output_size)[-2:]
    where_to = np.asarray(to_tensor(indices).array)
    if where_to.dtype != np.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {scalar_type_name(to_tensor(indices))}")
    if where_to.size and (where_to.min() < 0 or where_to.max() >= size[0] * size[1]):
        raise RuntimeError(f"Found an invalid max index: {where_to.max()} (output volumes are of size "
                           f"{size[0]}x{size[1]}")
    lead = x.shape[:-2]
    flat = x.reshape(*lead, x.shape[-2] * x.shape[-1])
    planes = Tensor._make(np.zeros((*lead, size[0] * size[1]), dtype=x.array.dtype), False)
    out = planes.scatter(-1, Tensor._make(where_to.reshape(*lead, flat.shape[-1]), False), flat)
    return name_node(out.reshape(*lead, *size), "MaxUnpool2DBackward0")


def fold(input: Tensor, output_size: IntPair, kernel_size: IntPair, dilation: IntPair = 1, padding: IntPair = 0,
         stride: IntPair = 1) -> Tensor:
    """The adjoint of unfold: (N, C·kh·kw, L) blocks summed into (N, C, H, W) (overlaps add up)."""
    x = to_tensor(input)
    size, kernel = pair(output_size, "output_size", "fold"), pair(kernel_size, "kernel_size", "fold")
    dilations, strides = pair(dilation, "dilation", "fold"), pair(stride, "stride", "fold")
    pads = pair(padding, "padding", "fold", minimum=0)
    check_kernel_dtype("col2im_out_cpu", x)
    if x.ndim not in (2, 3) or 0 in x.shape[x.ndim - 2:]:
        raise RuntimeError(f"Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero "
                           f"dimensions for input, but got: {list(x.shape)}")
    batched = x if x.ndim == 3 else x.unsqueeze(0)
    blocks = kernel[0] * kernel[1]
    if batched.shape[1] % blocks:
        raise RuntimeError(f"Expected size of input's dimension 1 to be divisible by the product of kernel_size, but "
                           f"got input.size(1)={batched.shape[1]} and kernel_size={kernel}")
    counts = [(n + 2 * p - d * (k - 1) - 1) // s + 1
              for n, p, d, k, s in zip(size, pads, dilations, kernel, strides, strict=True)]
    if counts[0] * counts[1] != batched.shape[2]:
        raise RuntimeError(f"Given output_size={size}, kernel_size={kernel}, dilation={dilations}, padding={pads}, "
                           f"stride={strides}, expected size of input's dimension 2 to match the calculated number "
                           f"of sliding blocks {counts[0]} * {counts[1]} = {counts[0] * counts[1]}, but got "
                           f"input.size(2)={batched.shape[2]}.")
    padded = (size[0] + 2 * pads[0], size[1] + 2 * pads[1])
    rows = (np.arange(kernel[0])[:, None] * dilations[0] + np.arange(counts[0])[None] * strides[0])  # [ki, bi]
    cols = (np.arange(kernel[1])[:, None] * dilations[1] + np.arange(counts[1])[None] * strides[1])  # [kj, bj]
    target = (rows[:, None, :, None] * padded[1] + cols[None, :, None, :]).reshape(-1)  # (ki, kj, bi, bj)
    placement = np.zeros((target.size, padded[0] * padded[1]), dtype=x.array.dtype)
    placement[np.arange(target.size), target] = 1
    n, channels = batched.shape[0], batched.shape[1] // blocks
    out = batched.reshape(n, channels, blocks * batched.shape[2]) @ Tensor._make(placement, False)
    out = out.reshape(n, channels, *padded)[..., pads[0]:pads[0] + size[0], pads[1]:pads[1] + size[1]]
    return name_node(out if x.ndim == 3 else out.squeeze(0), "Col2ImBackward0")



_ALIGN_CORNERS_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since "
                          "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
                          "documentation of grid_sample for details.")


def _linspace_from_neg_one(steps: int, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """ATen's linspace(-1, 1, steps) in `dtype` (the first half from -1 up, the second from 1 down), shrunk by
    (steps - 1) / steps without align_corners."""
    if steps <= 1:
        return np.zeros(steps, dtype=dtype)
    step = dtype.type(2) / dtype.type(steps - 1)
    i = np.arange(steps)
    values = np.where(i < steps // 2, dtype.type(-1) + step * i.astype(dtype),
                      dtype.type(1) - step * (steps - 1 - i).astype(dtype)).astype(dtype)
    return values if align_corners else (values * dtype.type(steps - 1) / dtype.type(steps)).astype(dtype)


def affine_grid(theta: Tensor, size: list[int], align_corners: bool | None = None) -> Tensor:
    """The sampling grid (N, H, W, 2) of the affine maps theta (N, 2, 3) over [-1, 1]^2, for grid_sample."""
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_WARNING, stacklevel=2)
        align_corners = False
    t = to_tensor(theta)
    if t.array.dtype.kind != "f":
        raise ValueError(f"Expected theta to have floating point type, but got {t.dtype}")
    size = [int(s) for s in size]
    if len(size) == 5:
        raise NotImplementedError("affine_grid: 3-D affine grids (a 5-D size) are not supported, 2-D ones are")
    if len(size) != 4:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if t.ndim != 3 or t.shape[-2] != 2 or t.shape[-1] != 3:
        raise ValueError(f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. "
                         f"Got {size_text(t)}.")
    if align_corners and min(size[-2:]) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size grids when "
                      "align_corners=True. This is not an intended use case of affine_grid. See the documentation "
                      "of affine_grid for details.", stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    n, _, h, w = size
    if t.shape[0] != n:
        raise RuntimeError(f"Expected size of theta's batch ({t.shape[0]}) to equal size[0] ({n})")
    dtype = t.array.dtype
    base = np.ones((h, w, 3), dtype=dtype)
    base[..., 0] = _linspace_from_neg_one(w, align_corners, dtype)
    base[..., 1] = _linspace_from_neg_one(h, align_corners, dtype)[:, None]
    grid = Tensor._make(np.broadcast_to(base.reshape(1, h * w, 3), (n, h * w, 3)).copy(), False) @ t.transpose(1, 2)
    return name_node(grid.reshape(n, h, w, 2), "AffineGridGeneratorBackward0")


def _offset(x: Tensor, value: np.ndarray) -> Tensor:
    """`value` in place of x's values, with x's gradient (d value / dx = 1: a piecewise shift of x)."""
    return x + Tensor._make((value - x.array).astype(x.array.dtype), False)


def _clip_coordinates(x: Tensor, size: int) -> Tensor:
    """PyTorch's clip: [0, size - 1], with a zero gradient wherever the coordinate is at or past an edge."""
    a = x.array
    inside = (a > 0) & (a < size - 1)
    return where(Tensor._make(inside, False), x, Tensor._make(np.clip(a, 0, size - 1).astype(a.dtype), False))


def _reflect_coordinates(x: Tensor, twice_low: int, twice_high: int) -> Tensor:
    """PyTorch's reflection of x about the edges twice_low / 2 and twice_high / 2 until it lies between them."""
    if twice_low == twice_high:
        return x * 0
    low, double_span = twice_low / 2, float(twice_high - twice_low)
    distance = (x - low).abs()
    extra = _offset(distance, distance.array - np.trunc(distance.array / double_span) * double_span)
    flipped = extra.array > double_span - extra.array
    return where(Tensor._make(flipped, False), double_span - extra, extra) + low


def _unnormalize(coordinate: Tensor, size: int, align_corners: bool) -> Tensor:
    """Grid values in [-1, 1] as pixel coordinates of an axis of `size`."""
    return (coordinate + 1) * ((size - 1) / 2) if align_corners else (coordinate + 1) * (size / 2) - 0.5


def _source_coordinates(x: Tensor, size: int, padding_mode: str, align_corners: bool) -> Tensor:
    """Pixel coordinates clipped or reflected into an axis of `size` by padding_mode (zeros: unchanged)."""
    if padding_mode == "border":
        return _clip_coordinates(x, size)
    if padding_mode == "reflection":
        twice = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
        return _clip_coordinates(_reflect_coordinates(x, *twice), size)
    return x


def _cubic_coefficients(t: Tensor) -> list[Tensor]:
    """The weights of the taps at -1, 0, 1, 2 of cubic convolution (A = -0.75) at fraction t, as PyTorch's."""
    a = -0.75

    def near(d: Tensor) -> Tensor:
        return ((d * (a + 2) - (a + 3)) * d) * d + 1

    def far(d: Tensor) -> Tensor:
        return ((d * a - 5 * a) * d + 8 * a) * d - 4 * a

    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _check_grid_sample(x: Tensor, g: Tensor) -> None:
    if x.ndim < 1 or g.ndim < 1 or x.shape[0] != g.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, but got input with "
                           f"sizes {list(x.shape)} and grid with sizes {list(g.shape)}")
    if g.shape[-1] != x.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {x.ndim - 2} in last dimension, but got grid "
                           f"with sizes {list(g.shape)}")
    for i in range(2, x.ndim):
        if x.shape[i] <= 0:
            raise RuntimeError(f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                               f"sizes {list(x.shape)} with dimension {i} being empty")
    if x.ndim == 5 and g.ndim == 5:
        raise NotImplementedError("grid_sample: 3-D sampling (5-D input) is not supported, 2-D sampling is")
    if x.ndim != 4 or g.ndim != 4:
        raise RuntimeError(f"grid_sampler(): expected 4D input and grid with same number of dimensions, but got "
                           f"input with sizes {list(x.shape)} and grid with sizes {list(g.shape)}")
    if x.array.dtype.kind != "f":
        raise checks.not_implemented_for("grid_sampler_2d_cpu", x.array.dtype)
    if g.array.dtype != x.array.dtype:
        raise RuntimeError(f"expected scalar type {scalar_type_name(x)} but found {scalar_type_name(g)}")


def grid_sample(input: Tensor, grid: Tensor, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool | None = None) -> Tensor:
    """Sample (N, C, H, W) at the points of grid (N, Ho, Wo, 2) (x, y in [-1, 1]): bilinear, nearest or bicubic,
    with zeros, border or reflection padding; differentiable in input and grid (nearest: a zero gradient)."""
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_WARNING, stacklevel=2)
        align_corners = False
    checks.boolean("grid_sampler", "align_corners", align_corners)
    x, g = to_tensor(input), to_tensor(grid)
    _check_grid_sample(x, g)
    n, c, h, w = x.shape
    ho, wo = g.shape[1:3]
    ix, iy = _unnormalize(g[..., 0], w, align_corners), _unnormalize(g[..., 1], h, align_corners)
    if mode != "bicubic":  # bicubic pads each of its 16 taps instead
        ix, iy = _source_coordinates(ix, w, padding_mode, align_corners), \
            _source_coordinates(iy, h, padding_mode, align_corners)
    flat = x.reshape(n, c, h * w)

    def corner(cols: np.ndarray, rows: np.ndarray) -> Tensor:
        inside = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
        index = np.where(inside, rows * w + cols, 0).astype(np.int64).reshape(n, 1, ho * wo)
        values = flat.gather(2, Tensor._make(np.broadcast_to(index, (n, c, ho * wo)).copy(), False))
        return values.reshape(n, c, ho, wo) * Tensor._make(inside.astype(x.array.dtype)[:, None], False)

    if mode == "nearest":
        out = corner(np.rint(ix.array).astype(np.int64), np.rint(iy.array).astype(np.int64))
        if g.requires_grad:  # PyTorch's grid gradient of nearest sampling: zeros
            out = out + where(Tensor._make(np.zeros((n, 1, ho, wo), bool), False), g[..., :1].permute(0, 3, 1, 2), 0)
    elif mode == "bicubic":
        west, north = np.floor(ix.array), np.floor(iy.array)
        across = _cubic_coefficients(ix - Tensor._make(west, False))
        down = _cubic_coefficients(iy - Tensor._make(north, False))

        def tap(start: np.ndarray, size: int) -> np.ndarray:
            padded = _source_coordinates(Tensor._make(start, False), size, padding_mode, align_corners)
            return padded.array.astype(np.int64)

        cols = [tap(west + i - 1, w) for i in range(4)]
        rows = [tap(north + j - 1, h) for j in range(4)]
        out = sum(sum(corner(cols[i], rows[j]) * across[i].unsqueeze(1) for i in range(4)) * down[j].unsqueeze(1)
                  for j in range(4))
    else:
        west, north = np.floor(ix.array), np.floor(iy.array)
        we, ns = ix - Tensor._make(west, False), iy - Tensor._make(north, False)
        ea, so = 1 - we, 1 - ns
        west_i, north_i = west.astype(np.int64), north.astype(np.int64)
        out = (corner(west_i, north_i) * (so * ea).unsqueeze(1) + corner(west_i + 1, north_i) * (so * we).unsqueeze(1)
               + corner(west_i, north_i + 1) * (ns * ea).unsqueeze(1)
               + corner(west_i + 1, north_i + 1) * (ns * we).unsqueeze(1))
    return name_node(out, "GridSampler2DBackward0")


def _ctc_lengths(name: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        if value.array.dtype.kind not in "iu":
            raise RuntimeError(f"{name} must be integral")
        return value.array.reshape(-1).astype(np.int64)
    return np.asarray(checks.integers("ctc_loss", name, value), dtype=np.int64).reshape(-1)


def _ctc_targets(targets: np.ndarray, target_lengths: np.ndarray, batch: int) -> np.ndarray:
    """Padded (N, S) targets from either layout, after PyTorch's checks of the lengths against them."""
    where_from = "(while checking arguments for ctc_loss_allocate_outputs)"
    for length in target_lengths:
        if length < 0:
            raise RuntimeError(f"Expected target_lengths to have value at least 0, but got value {length} {where_from}")
    longest = int(target_lengths.max(initial=0))
    if targets.ndim == 1:
        if targets.shape[0] != target_lengths.sum():
            raise RuntimeError(f"Expected tensor to have size {target_lengths.sum()} at dimension 0, but got size "
                               f"{targets.shape[0]} for argument #2 'targets' {where_from}")
        starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]]).astype(np.int64)
        positions = np.minimum(starts[:, None] + np.arange(longest), max(targets.shape[0] - 1, 0))
        return targets[positions] if targets.size else np.zeros((batch, longest), np.int64)
    if targets.shape[0] != batch:
        raise RuntimeError(f"Expected tensor to have size {batch} at dimension 0, but got size {targets.shape[0]} "
                           f"for argument #2 'targets' {where_from}")
    if targets.shape[1] < longest:
        raise RuntimeError(f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                           f"{targets.shape[1]} for argument #2 'targets' {where_from}")
    return targets[:, :longest]


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | Sequence[int],
             target_lengths: Tensor | Sequence[int], blank: int = 0, reduction: str = "mean",
             zero_infinity: bool = False) -> Tensor:
    """The Connectionist Temporal Classification loss of log_probs (T, N, C) (or (T, C)) against targets padded
    (N, S) or concatenated (sum(target_lengths),); "mean" divides each loss by its target length first."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    lp, target = to_tensor(log_probs), to_tensor(targets)
    if isinstance(input_lengths, Tensor) != isinstance(target_lengths, Tensor):
        raise TypeError("ctc_loss(): input_lengths and target_lengths must both be tensors or both tuples of ints")
    lengths_in, lengths_target = _ctc_lengths("input_lengths", input_lengths), \
        _ctc_lengths("target_lengths", target_lengths)
    batched = lp.ndim == 3
    if not batched:
        lp, target = lp.unsqueeze(1), target.unsqueeze(0)
    check_kernel_dtype("ctc_loss_cpu", lp)
    if lp.ndim != 3:
        raise RuntimeError(f"Expected 3-dimensional tensor, but got {lp.ndim}-dimensional tensor for argument #1 "
                           "'log_probs' (while checking arguments for ctc_loss_allocate_outputs)")
    steps, batch, classes = lp.shape
    if not 0 <= blank < classes:
        raise RuntimeError("blank must be in label range")
    for name, lengths in (("input_lengths", lengths_in), ("target_lengths", lengths_target)):
        if lengths.size != batch:
            raise RuntimeError(f"{name} must be of size batch_size")
    padded = _ctc_targets(target.array.astype(np.int64), lengths_target, batch)
    for length in lengths_in:
        if not 0 <= length <= steps:
            bound = "at least 0" if length < 0 else f"at most {steps}"
            raise RuntimeError(f"Expected input_lengths to have value {bound}, but got value {length} (while checking "
                               "arguments for ctc_loss_allocate_outputs)")
    if padded.size and (padded.min() < 0 or padded.max() >= classes):
        raise RuntimeError(f"ctc_loss: target labels must lie in [0, {classes}), got {padded.min()}..{padded.max()}")
    losses = CTCLossOp.apply(lp, extended_targets(padded, lengths_target, blank), lengths_in, lengths_target,
                             blank=blank, zero_infinity=zero_infinity)
    name_node(losses, "CtcLossBackward0")
    if zero_infinity:
        losses = where(Tensor._make(np.isposinf(losses.array), False), Tensor._make(np.zeros((), lp.array.dtype),
                                                                                     False), losses)
    if reduction == "mean":
        divisors = np.maximum(lengths_target, 1).astype(lp.array.dtype)
        return (losses / Tensor._make(divisors, False)).mean()
    if reduction == "sum":
        return losses.sum()
    return losses if batched else losses.squeeze(0)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """softmax((logits + g) / tau) with Gumbel noise g = -log(Exp(1)) drawn as PyTorch's exponential_; `hard`:
    the one-hot of its argmax in the forward, the soft sample's gradient in the backward."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    x = to_tensor(logits)
    gumbels = -Tensor._make(_random.exponential(tuple(x.shape), 1.0, x.array.dtype), False).log()
    y_soft = ((x + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = Tensor._make(np.zeros(x.shape, x.array.dtype), False).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


def upsample(input: Tensor, size: int | Sequence[int] | None = None,
             scale_factor: float | Sequence[float] | None = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated: interpolate."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input: Tensor, size: int | Sequence[int] | None = None,
                     scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: interpolate(mode="nearest")."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input: Tensor, size: int | Sequence[int] | None = None,
                      scale_factor: float | Sequence[float] | None = None) -> Tensor:
    """Deprecated: interpolate(mode="bilinear", align_corners=True)."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


def max_pool1d_with_indices(input: Tensor, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                            padding: int | Sequence[int] = 0, dilation: int | Sequence[int] = 1,
                            ceil_mode: bool = False, return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """max_pool1d's maxima and their indices, whatever return_indices says."""
    return max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)  # type: ignore


def max_pool2d_with_indices(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
                            dilation: IntPair = 1, ceil_mode: bool = False,
                            return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """max_pool2d's maxima and their indices, whatever return_indices says."""
    return max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices=True)


def adaptive_max_pool1d_with_indices(input: Tensor, output_size: int | Sequence[int],
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """adaptive_max_pool1d's maxima and their indices, whatever return_indices says."""
    return adaptive_max_pool1d(input, output_size, return_indices=True)  # type: ignore[return-value]


def adaptive_max_pool2d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """adaptive_max_pool2d's maxima and their indices, whatever return_indices says."""
    return adaptive_max_pool2d(input, output_size, return_indices=True)  # type: ignore[return-value]


def _lp_root(pooled: Tensor, norm_type: float, window: int) -> Tensor:
    """PyTorch's finish of an Lp pool: (sign(mean) · relu(|mean|) · window) ** (1 / p)."""
    return (pooled.sign() * relu(pooled.abs())).mul(window).pow(1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type: int | float, kernel_size: int, stride: int | Sequence[int] | None = None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, L) or (C, L): (sum of x ** p) ** (1 / p)."""
    pooled = avg_pool1d(to_tensor(input).pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp_root(pooled, norm_type, kernel_size)  # type: ignore[arg-type]


def lp_pool2d(input: Tensor, norm_type: int | float, kernel_size: IntPair, stride: IntPair | None = None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, H, W) or (C, H, W): (sum of x ** p) ** (1 / p)."""
    kh, kw = pair(kernel_size, "kernel_size", "lp_pool2d")
    pooled = avg_pool2d(to_tensor(input).pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp_root(pooled, norm_type, kh * kw)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] | None = None, padding: int | Sequence[int] = 0,
                 output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool1d(return_indices=True): max_unpool2d on a height of 1."""
    op = "max_unpool1d"
    k = single(kernel_size, "kernel_size", op)
    s = k if stride is None else single(stride, "stride", op)
    size = None if output_size is None else (1, int(list(output_size)[-1]))
    x = to_tensor(input)
    if x.ndim not in (2, 3):
        raise RuntimeError(f"Input to max_unpooling2d should be a 3d or 4d Tensor, but got a tensor with "
                           f"{x.ndim + 1} dimensions.")
    out = max_unpool2d(x.unsqueeze(-2), to_tensor(indices).unsqueeze(-2), (1, k), (1, s),
                       (0, single(padding, "padding", op, 0)), size)
    return out.squeeze(-2)


# ----- the 3-D family: each a composition of the 2-D op over (H, W) and again over D ---------------
def _volume(op: str, x: Tensor) -> tuple[tuple[int, ...], int, int, int, int]:
    """The leading dims of (N, C, D, H, W) or (C, D, H, W), their product, and D, H, W."""
    if x.ndim not in (4, 5):
        raise RuntimeError(f"{op}: Expected 4D or 5D (batch mode) tensor for input, but got: {list(x.shape)}")
    lead = tuple(x.shape[:-3])
    return (lead, int(np.prod(lead)), *x.shape[-3:])  # type: ignore[return-value]


def _convolution_volume(op: str, input: Tensor, weight: Tensor) -> tuple[Tensor, Tensor]:
    """The input as given, and as a batch (N, C, D, H, W), after checking it and the weight's dims."""
    given = to_tensor(input)
    _tensors(op, weight=weight)
    if given.ndim not in (4, 5) or weight.ndim != 5:
        raise RuntimeError(f"{op}: expected a 4D or 5D input and a 5D weight, got input of shape {given.shape} and "
                           f"weight of shape {weight.shape}")
    return given, given if given.ndim == 5 else given.unsqueeze(0)


def conv3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D cross-correlation of (N, C, D, H, W) (or (C, D, H, W)) with weight (O, C / groups, kD, kH, kW):
    one conv2d of the strided depth slices per kernel depth, summed."""
    op = "conv3d"
    given, x = _convolution_volume(op, input, weight)
    strides, dilations = triple(stride, "stride", op), triple(dilation, "dilation", op)
    kernel = tuple(weight.shape[2:])
    if isinstance(padding, str):
        sides = same_sides(dilations, kernel) if string_padding(padding, strides) == "same" else [(0, 0)] * 3
    else:
        sides = [(p, p) for p in triple(padding, "padding", op, 0)]
    check_conv_weight(tuple(weight.shape), groups)
    check_groups(op, weight.shape[0], groups, "out_channels")
    if any(a or b for a, b in sides):
        x = pad(x, [side for pair_ in reversed(sides) for side in pair_])
    n, channels, depth, height, width = x.shape
    out_depth = (depth - dilations[0] * (kernel[0] - 1) - 1) // strides[0] + 1
    if out_depth <= 0:
        raise RuntimeError(f"Calculated padded input size per channel: ({depth} x {height} x {width}). Kernel size: "
                           f"({' x '.join(str(dk * (k - 1) + 1) for dk, k in zip(dilations, kernel, strict=True))})."
                           f" Kernel size can't be greater than actual input size")
    total = None
    for k in range(kernel[0]):
        start = k * dilations[0]
        planes = x[:, :, start:start + (out_depth - 1) * strides[0] + 1:strides[0]].transpose(1, 2)
        part = conv2d(planes.reshape(n * out_depth, channels, height, width), weight[:, :, k], None, strides[1:],
                      0, dilations[1:], groups)
        total = part if total is None else total + part
    assert total is not None
    out = total.reshape(n, out_depth, *total.shape[1:]).transpose(1, 2)
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1, 1)
    return name_node(out if given.ndim == 5 else out.squeeze(0), "ConvolutionBackward0")


def max_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """Max over windows of (N, C, D, H, W) or (C, D, H, W): max_pool2d over (H, W), then over D."""
    op = "max_pool3d"
    checks.boolean(op, "ceil_mode", ceil_mode)
    kernel, strides, pads, dilations = _pool3d_arguments(op, kernel_size, stride, padding, dilation)
    x = to_tensor(input)
    lead, size, depth, height, width = _pool3d_volume("max_pool3d_with_indices_out_cpu_template", x)
    planes = max_pool2d(x.reshape(size * depth, 1, height, width), kernel[1:], strides[1:], pads[1:], dilations[1:],
                        ceil_mode, return_indices)
    planes, plane_index = planes if return_indices else (planes, None)
    oh, ow = planes.shape[-2:]
    out = max_pool2d(planes.reshape(size, 1, depth, oh * ow), (kernel[0], 1), (strides[0], 1), (pads[0], 0),
                     (dilations[0], 1), ceil_mode, return_indices)
    out, depth_index = out if return_indices else (out, None)
    od = out.shape[-2]
    out = out.reshape(*lead, od, oh, ow)
    if plane_index is None or depth_index is None:
        return out
    return out, _volume_indices(depth_index, plane_index, size, depth, (od, oh, ow), height * width, out.shape)


def _volume_indices(depth_index: Tensor, plane_index: Tensor, size: int, depth: int, out_size: tuple[int, int, int],
                    plane: int, shape: Any) -> Tensor:
    """The flat (D, H, W) index of each maximum of a pool done by planes, then along D: the winning depth of each
    output column, and the (H, W) index that the plane stage found in that depth's plane."""
    od, oh, ow = out_size
    d, column = np.divmod(depth_index.array.reshape(size, od, oh * ow), oh * ow)
    within = plane_index.array.reshape(size, depth, oh * ow)[np.arange(size)[:, None, None], d, column]
    return Tensor._make((d * plane + within).reshape(shape).astype(np.int64), False)


def _pool3d_volume(kernel: str, x: Tensor) -> tuple[tuple[int, ...], int, int, int, int]:
    """_volume of a 3-D pool's input: only its batch dim may be empty (the 2-D stages see each plane and each
    column of depths as a batch of one channel)."""
    volume = _volume(kernel.split("_with")[0], x)
    if 0 in x.shape[x.ndim - 4:]:
        raise RuntimeError(f"{kernel}(): Expected input's non-batch dimensions to have positive length, but input "
                           f"has a shape of {list(x.shape)} and non-batch dimension 0 has length zero!")
    return volume


def _pool3d_arguments(op: str, kernel_size: Any, stride: Any, padding: Any,
                      dilation: Any) -> tuple[tuple[int, int, int], ...]:
    """(kernel, stride, padding, dilation) of a 3-D pool, checked in PyTorch's order and words: each a single int
    or three (stride omitted: the kernel's), then per dim T, H, W a stride not 0, a padding >= 0 and at most half
    the dilated kernel, then kernel, stride and dilation > 0, and the padding at most half the kernel."""
    either = "either " if op == "max_pool3d" else ""
    values, given = {}, {}
    for name, value, omitted in (("kernel_size", kernel_size, False), ("stride", stride, True),
                                 ("padding", padding, False), ("dilation", dilation, False)):
        if omitted and (value is None or value == ()):
            continue
        sizes = (value,) if isinstance(value, int | np.integer) else tuple(value) if isinstance(value, Sequence) \
            else None
        if sizes is None or any(isinstance(n, bool) or not isinstance(n, int | np.integer) for n in sizes):
            raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")
        given[name] = sizes, omitted
    for name, (sizes, omitted) in given.items():  # the lengths after every type, as PyTorch's parser first
        if len(sizes) not in (1, 3):
            raise RuntimeError(f"{op}: {name} must {'be either' if name == 'dilation' else either + 'be'} "
                               f"{'omitted, ' if omitted else ''}a single int, or a tuple of three ints")
        values[name] = tuple(int(n) for n in sizes * (3 if len(sizes) == 1 else 1))
    kernel, pads, dilations = values["kernel_size"], values["padding"], values["dilation"]
    strides = values.get("stride", kernel)
    for k, s, p, d in zip(kernel, strides, pads, dilations, strict=True):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
        if p > int(((k - 1) * d + 1) / 2):  # C++'s division, toward zero
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    for what, short, sizes in (("kernel size", "k", kernel), ("stride", "d", strides),
                               ("dilation", "dilation", dilations)):
        if min(sizes) <= 0:
            raise RuntimeError(f"{what} should be greater than zero, but got " + " ".join(
                f"{short}{axis}: {n}" for axis, n in zip("THW", sizes, strict=True)))
    if any(p > k // 2 for p, k in zip(pads, kernel, strict=True)):
        (kt, kh, kw), (pt, ph, pw) = kernel, pads
        raise RuntimeError(f"pad should be smaller than or equal to half of kernel size, but got kT: {kt} kW: {kw} "
                           f"kH: {kh} padT: {pt} padW: {pw} padH: {ph}")
    return kernel, strides, pads, dilations


def avg_pool3d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over windows of (N, C, D, H, W) or (C, D, H, W): avg_pool2d over (H, W), then over D (a box's
    count of elements is the product of its sides' counts, so every option separates)."""
    op = "avg_pool3d"
    checks.boolean(op, "ceil_mode", ceil_mode)
    checks.boolean(op, "count_include_pad", count_include_pad)
    kernel, strides, pads, _ = _pool3d_arguments(op, kernel_size, stride, padding, 1)
    if divisor_override is not None and divisor_override <= 0:
        raise RuntimeError("divisor must be not zero")
    x = to_tensor(input)
    lead, size, depth, height, width = _pool3d_volume("avg_pool3d", x)
    per_stage = None if divisor_override is None else 1
    planes = avg_pool2d(x.reshape(size * depth, 1, height, width), kernel[1:], strides[1:], pads[1:], ceil_mode,
                        count_include_pad, per_stage)
    oh, ow = planes.shape[-2:]
    out = avg_pool2d(planes.reshape(size, 1, depth, oh * ow), (kernel[0], 1), (strides[0], 1), (pads[0], 0),
                     ceil_mode, count_include_pad, per_stage)
    out = out.reshape(*lead, out.shape[-2], oh, ow)
    return out if divisor_override is None else out / divisor_override


def _adaptive_pool3d(op: str, input: Tensor, output_size: Any, pool2d: Any, *return_indices: bool) -> Any:
    """A 2-D adaptive pool over (H, W), then over D (the windows of an axis do not depend on the others);
    `return_indices` (the max pool's) also gives each maximum's flat (D, H, W) index."""
    x = to_tensor(input)
    output_size = _list_with_default(output_size, tuple(x.shape))
    lead, size, depth, height, width = _volume(op, x)
    sizes = (output_size,) * 3 if isinstance(output_size, int | np.integer) or output_size is None \
        else tuple(output_size)
    if len(sizes) != 3:
        raise RuntimeError(f"{op}: output_size must be 3")
    od, oh, ow = (n if s is None else int(s) for s, n in zip(sizes, (depth, height, width), strict=True))
    if min(od, oh, ow) < 0 and op == "adaptive_avg_pool3d":
        raise RuntimeError(f"{op}: elements of output_size must be greater than or equal to 0 but received "
                           f"{{{od}, {oh},{ow}}}")  # PyTorch's spacing
    checks.shape_arg("empty", tuple(lead) + (od, oh, ow))  # a negative size, as the max pool's output
    indices = bool(return_indices and return_indices[0])
    if 0 in (od, oh, ow):  # an empty result (the 2-D stages would see an empty plane)
        out = x.flatten()[:0].sum().expand(*lead, od, oh, ow)
        return (out, Tensor._make(np.zeros(out.shape, dtype=np.int64), False)) if indices else out
    planes = pool2d(x.reshape(size * depth, height, width), (oh, ow), *return_indices)
    planes, plane_index = planes if indices else (planes, None)
    out = pool2d(planes.reshape(size, depth, oh * ow), (od, oh * ow), *return_indices)
    out, depth_index = out if indices else (out, None)
    out = out.reshape(*lead, od, oh, ow)
    if plane_index is None or depth_index is None:
        return out
    return out, _volume_indices(depth_index, plane_index, size, depth, (od, oh, ow), height * width, out.shape)


def adaptive_avg_pool3d(input: Tensor, output_size: Any) -> Tensor:
    """Mean over PyTorch's adaptive windows of (N, C, D, H, W) or (C, D, H, W): over (H, W), then over D."""
    return _adaptive_pool3d("adaptive_avg_pool3d", input, output_size, adaptive_avg_pool2d)


def lp_pool3d(input: Tensor, norm_type: int | float, kernel_size: Any, stride: Any = None,
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of each window of (N, C, D, H, W) or (C, D, H, W): (sum of x ** p) ** (1 / p)."""
    kd, kh, kw = triple(kernel_size, "kernel_size", "lp_pool3d")
    pooled = avg_pool3d(to_tensor(input).pow(norm_type), kernel_size, stride, 0, ceil_mode)
    return _lp_root(pooled, norm_type, kd * kh * kw)


def adaptive_max_pool3d(input: Tensor, output_size: Any, return_indices: bool = False) -> Tensor:
    """Maximum over PyTorch's adaptive windows of (N, C, D, H, W) or (C, D, H, W): over (H, W), then over D."""
    return _adaptive_pool3d("adaptive_max_pool3d", input, output_size, adaptive_max_pool2d, return_indices)


def adaptive_max_pool3d_with_indices(input: Tensor, output_size: Any,
                                     return_indices: bool = False) -> tuple[Tensor, Tensor]:
    """adaptive_max_pool3d's maxima and their indices, whatever return_indices says."""
    return adaptive_max_pool3d(input, output_size, return_indices=True)  # type: ignore[return-value]


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 output_size: Sequence[int] | None = None) -> Tensor:
    """The inverse of max_pool3d(return_indices=True): max_unpool2d into planes of D·H rows of W."""
    op = "max_unpool3d"
    x = to_tensor(input)
    kernel = triple(kernel_size, "kernel_size", op)
    strides = kernel if stride is None else triple(stride, "stride", op)
    pads = triple(padding, "padding", op, 0)
    if x.ndim not in (4, 5):
        raise RuntimeError(f"Input to max_unpooling3d should be a 4d or 5d Tensor, but got a tensor with {x.ndim} "
                           "dimensions.")
    if output_size is None:
        size = tuple((n - 1) * s - 2 * p + k for n, s, p, k in zip(x.shape[-3:], strides, pads, kernel, strict=True))
    else:
        size = tuple(int(n) for n in list(output_size)[-3:])
    lead = x.shape[:-3]
    planes = x.reshape(*lead, x.shape[-3] * x.shape[-2], x.shape[-1])
    where_to = to_tensor(indices).reshape(*lead, x.shape[-3] * x.shape[-2], x.shape[-1])
    out = max_unpool2d(planes, where_to, 1, 1, 0, (size[0] * size[1], size[2]))
    return name_node(out.reshape(*lead, *size), "MaxUnpool3DBackward0")


def conv_transpose3d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """3-D transposed convolution of (N, C_in, D, H, W) (or unbatched) with weight (C_in, C_out / groups, kD, kH,
    kW): per kernel depth, conv_transpose2d of every input slice, spread stride apart in depth and summed."""
    op = "conv_transpose3d"
    given, x = _convolution_volume(op, input, weight)
    strides, dilations = triple(stride, "stride", op), triple(dilation, "dilation", op)
    pads, extra = triple(padding, "padding", op, 0), triple(output_padding, "output_padding", op, 0)
    _check_transposed(op, "slow_conv_transpose3d_cpu", input, x, weight, extra, strides, dilations, groups)
    n, channels, depth, height, width = x.shape
    kernel_depth = weight.shape[2]
    full = (depth - 1) * strides[0] + dilations[0] * (kernel_depth - 1) + extra[0] + 1
    if full - 2 * pads[0] <= 0:
        raise RuntimeError(f"{op}: the output depth {full - 2 * pads[0]} is too small (input shape {given.shape})")
    planes = x.transpose(1, 2).reshape(n * depth, channels, height, width)
    total = None
    for k in range(kernel_depth):
        part = _conv_transpose2d(planes, weight[:, :, k], None, strides[1:], pads[1:], extra[1:], dilations[1:],
                                 groups, op)
        part = part.reshape(n, depth, *part.shape[1:]).transpose(1, 2)  # (N, O, D, H', W')
        if strides[0] > 1:  # stride - 1 zero slices after every input slice
            gaps = Tensor._make(np.zeros(part.shape[:2] + (depth, strides[0] - 1) + part.shape[3:], part.array.dtype),
                                False)
            part = concatenate([part.unsqueeze(3), gaps], 3).reshape(*part.shape[:2], depth * strides[0],
                                                                        *part.shape[3:])
            part = part[:, :, :(depth - 1) * strides[0] + 1]
        before = k * dilations[0]
        part = pad(part, [0, 0, 0, 0, before, full - before - part.shape[2]])
        total = part if total is None else total + part
    assert total is not None
    out = total[:, :, pads[0]:full - pads[0]]
    if bias is not None:
        out = out + bias.reshape(1, -1, 1, 1, 1)
    return name_node(out if given.ndim == 5 else out.squeeze(0), "ConvolutionBackward0")

__all__ = sorted(name for name, value in list(globals().items())
                 if not name.startswith("_") and callable(value) and getattr(value, "__module__", None) == __name__)
