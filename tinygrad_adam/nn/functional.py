"""Functional forms of the layers and losses, with PyTorch's names, signatures and defaults.

Each function checks its arguments (so a user error names the op) and applies
one fused op from `fused/`, which checks the input's shape and dtype: conv2d,
max/avg pooling, batch_norm, linear, dropout, cross_entropy / nll_loss /
mse_loss. The layers check the same arguments once, in their constructors, and
call the fused ops directly.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..core.ops import sequence as sequence_ops
from ..engine import Tensor
from . import fused
from ._utils import (
    IntPair,
    check_dropout_probability,
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
    "avg_pool2d", "batch_norm", "conv2d", "cross_entropy", "dropout", "embedding", "flatten", "gelu", "group_norm",
    "layer_norm", "leaky_relu", "linear", "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "one_hot", "relu",
    "scaled_dot_product_attention", "sigmoid", "silu", "softmax", "tanh",
]


# ----- layers ------------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """x @ weight.T + bias for x of shape (..., in_features) and weight (out_features, in_features)."""
    return fused.linear(to_tensor(input), weight, bias, "linear")


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
           padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1) -> Tensor:
    """2-D cross-correlation of input (N, C, H, W) (or unbatched (C, H, W)) with weight (O, C, kH, kW)."""
    check_unsupported("conv2d", groups=(groups, 1))
    strides = pair(stride, "stride", "conv2d")
    dilations = pair(dilation, "dilation", "conv2d")
    sides = padding_sides(conv_padding(padding, strides, "conv2d"), weight.shape[2:], dilations)
    return fused.conv2d(to_tensor(input), weight, bias, strides, sides, dilations, "conv2d")


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               dilation: IntPair = 1, ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """Max over windows of (N, C, H, W) or (C, H, W); stride defaults to kernel_size; pads with -inf."""
    check_unsupported("max_pool2d", dilation=(dilation, 1), ceil_mode=(ceil_mode, False),
                      return_indices=(return_indices, False))
    kernel, strides, pads = pool_arguments("max_pool2d", kernel_size, stride, padding)
    return fused.max_pool2d(to_tensor(input), kernel, strides, pads, "max_pool2d")


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0,
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over windows of (N, C, H, W) or (C, H, W); zero padding counts unless count_include_pad=False."""
    check_unsupported("avg_pool2d", ceil_mode=(ceil_mode, False), divisor_override=(divisor_override, None))
    kernel, strides, pads = pool_arguments("avg_pool2d", kernel_size, stride, padding)
    return fused.avg_pool2d(to_tensor(input), kernel, strides, pads, count_include_pad, "avg_pool2d")


def batch_norm(input: Tensor, running_mean: np.ndarray | None, running_var: np.ndarray | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (axis 1) of (N, C, *) by batch statistics (training) or the running ones.

    In training the running statistics, if given, are updated in place (unbiased variance).
    """
    x = to_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: expected an input of shape (N, C) or (N, C, ...), got shape {x.shape}")
    channels = x.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is not None and tuple(value.shape) != (channels,):
            raise ValueError(f"batch_norm: {name} has shape {tuple(value.shape)}, expected ({channels},) "
                             f"for input of shape {x.shape}")
    if not training and (running_mean is None or running_var is None):
        raise ValueError("batch_norm: running_mean and running_var are needed when not training")
    return fused.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps, "batch_norm")


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False,
            generator: np.random.Generator | None = None) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (identity when not training).

    `inplace=True` is accepted and gives the same values in a new Tensor: use the return value.
    """
    check_dropout_probability(p)
    return fused.dropout(to_tensor(input), p, training, generator)


# ----- activations and shapes -------------------------------------------------------------------
def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0); `inplace=True` is accepted and gives the same values in a new Tensor."""
    return to_tensor(input).relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else negative_slope * x; `inplace=True` gives the same values in a new Tensor."""
    return to_tensor(input).leaky_relu(negative_slope)


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


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    x = to_tensor(input)
    return x.softmax(axis=_softmax_dim("softmax", x.ndim, dim))


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    x = to_tensor(input)
    return x.log_softmax(axis=_softmax_dim("log_softmax", x.ndim, dim))


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
    return fused.cross_entropy(to_tensor(input), target, weight, ignore_index, reduction, label_smoothing,
                               "cross_entropy")


def nll_loss(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer targets given log-probabilities (N, C) (e.g. from log_softmax)."""
    check_reduction("nll_loss", reduction)
    return fused.nll_loss(to_tensor(input), target, weight, ignore_index, reduction, "nll_loss")


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean (or sum, or elementwise) squared error; a target of another shape is broadcast with a warning."""
    check_reduction("mse_loss", reduction)
    return fused.mse_loss(to_tensor(input), target, reduction, "mse_loss")


# ----- text and sequences -----------------------------------------------------------------------
def _padding_index(padding_idx: int | None, num_embeddings: int, op: str) -> int | None:
    """padding_idx checked against the table, a negative one counted from the end."""
    if padding_idx is None:
        return None
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise AssertionError(f"{op}: padding_idx must be within num_embeddings ({num_embeddings}), got {padding_idx}")
    return padding_idx % num_embeddings


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of weight (num_embeddings, embedding_dim) picked by the integer indices in input: (*, embedding_dim)."""
    check_unsupported("embedding", max_norm=(max_norm, None), sparse=(sparse, False))
    return fused.embedding(to_tensor(input), weight, _padding_index(padding_idx, weight.shape[0], "embedding"),
                           scale_grad_by_freq, "embedding")


def layer_norm(input: Tensor, normalized_shape: Sequence[int] | int, weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Normalise over the last len(normalized_shape) dims, then scale by weight and shift by bias."""
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return fused.layer_norm(to_tensor(input), shape, weight, bias, eps, "layer_norm")


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """Normalise each of num_groups groups of channels of (N, C, *) over its channels and positions, then
    scale and shift each channel."""
    x = to_tensor(input)
    if x.ndim < 2 or x.shape[1] % num_groups:
        raise RuntimeError(f"group_norm: expected input of shape (N, C, *) with C divisible by num_groups="
                           f"{num_groups}, but got input of size {list(x.shape)}")
    n, channels = x.shape[0], x.shape[1]
    grouped = x.reshape(n, num_groups, -1)
    out = fused.layer_norm(grouped, grouped.shape[2:], None, None, eps, "group_norm").reshape(x.shape)
    affine_shape = (1, channels) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(affine_shape)
    if bias is not None:
        out = out + bias.reshape(affine_shape)
    return out


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x · Φ(x), Φ the standard normal CDF; approximate="tanh" uses PyTorch's tanh formula."""
    return fused.gelu(to_tensor(input), approximate, "gelu")


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x · sigmoid(x) (swish); `inplace=True` gives the same values in a new Tensor."""
    x = to_tensor(input)
    return x * x.sigmoid()


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """int64 (*, num_classes) with a 1 at each index of the int64 `tensor` (num_classes -1: max + 1)."""
    return sequence_ops.one_hot(tensor, num_classes)


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


def scaled_dot_product_attention(query: Tensor, key: Tensor, value: Tensor, attn_mask: Tensor | None = None,
                                 dropout_p: float = 0.0, is_causal: bool = False, scale: float | None = None,
                                 enable_gqa: bool = False) -> Tensor:
    """softmax(query @ keyᵀ · scale + mask) @ value over the last two dims: (..., L, E), (..., S, E),
    (..., S, Ev) -> (..., L, Ev). A bool attn_mask says which positions take part (True); a float one is
    added to the scores; is_causal masks the upper triangle; scale defaults to 1/√E. Dropout is applied
    whenever dropout_p > 0, as in PyTorch (pass 0.0 in evaluation)."""
    check_unsupported("scaled_dot_product_attention", enable_gqa=(enable_gqa, False))
    q, k, v = to_tensor(query), to_tensor(key), to_tensor(value)
    if is_causal and attn_mask is not None:
        raise RuntimeError("scaled_dot_product_attention: explicit attn_mask should not be set when is_causal=True")
    factor = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * factor
    if is_causal:
        scores = sequence_ops.masked_fill(scores, ~np.tri(q.shape[-2], k.shape[-2], dtype=bool), -np.inf)
    elif attn_mask is not None:
        scores = scores + _additive_mask(attn_mask, scores, true_means_keep=True)
    weights = scores.softmax(-1)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p, True)
    return weights @ v
