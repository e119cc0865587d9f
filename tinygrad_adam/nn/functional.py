"""Functional forms of the layers and losses, with PyTorch's names and defaults.

These check their arguments (so a user error names the op and the shapes) and
apply one fused Function each: conv2d (conv.py), max/avg pooling (pooling.py),
batch_norm (normalization.py), linear (linear.py), cross_entropy / nll_loss /
mse_loss (loss_ops.py). `op` arguments let a layer put its own name in the messages.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..engine import Tensor, default_rng
from .conv import Conv2dFunction
from .linear import LinearFunction
from .loss_ops import CrossEntropyFunction, MSELossFunction, NLLLossFunction
from .normalization import BatchNormFunction
from .pooling import AvgPool2dFunction, MaxPool2dFunction, pool_output_size

__all__ = [
    "avg_pool2d", "batch_norm", "conv2d", "cross_entropy", "dropout", "flatten", "leaky_relu", "linear",
    "log_softmax", "max_pool2d", "mse_loss", "nll_loss", "relu", "sigmoid", "softmax", "tanh",
]

IntPair = int | tuple[int, int]
REDUCTIONS = ("mean", "sum", "none")


def _pair(value: IntPair, name: str, op: str, minimum: int = 1) -> tuple[int, int]:
    pair = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int | np.integer) and v >= minimum for v in pair):
        raise ValueError(f"{op}: {name} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(pair[0]), int(pair[1])


def _tensor(x: Any) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _check_dtypes(op: str, x: Tensor, *params: Tensor | None) -> None:
    for p in params:
        if p is not None and p.dtype != x.dtype:
            raise TypeError(
                f"{op}: input dtype {x.dtype} differs from parameter dtype {p.dtype}; convert the input "
                f"(x.float() / x.double()) or the model (model.float() / model.double())"
            )


def _check_reduction(op: str, reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


# ----- layers ------------------------------------------------------------------------------------
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None, op: str = "linear") -> Tensor:
    """x @ weight.T + bias for x of shape (..., in_features) and weight (out_features, in_features)."""
    x = _tensor(input)
    in_features = weight.shape[1]
    if x.ndim == 0 or x.shape[-1] != in_features:
        raise ValueError(f"{op}: expected input with {in_features} features in its last dimension "
                         f"(..., {in_features}), got shape {x.shape}")
    _check_dtypes(op, x, weight, bias)
    return LinearFunction.apply(x, weight, *(() if bias is None else (bias,)))


def _unbatched(fn: Any, x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """Apply a batched op to one (C, H, W) sample."""
    out = fn(x.reshape((1,) + x.shape), *args, **kwargs)
    return out.reshape(out.shape[1:])


def _conv_padding(padding: IntPair | str, kernel: tuple[int, int], stride: tuple[int, int],
                  dilation: tuple[int, int], op: str) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from an int, a pair, "valid" or "same" (extra on the bottom/right, as PyTorch)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise ValueError(f"{op}: padding must be an int, a pair, 'valid' or 'same', got {padding!r}")
        if stride != (1, 1):
            raise ValueError(f"{op}: padding='same' is not supported for strided convolutions (stride {stride})")
        total = [d * (k - 1) for d, k in zip(dilation, kernel, strict=True)]
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    ph, pw = _pair(padding, "padding", op, minimum=0)
    return (ph, ph, pw, pw)


def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: IntPair = 1,
           padding: IntPair | str = 0, dilation: IntPair = 1, groups: int = 1, op: str = "conv2d") -> Tensor:
    """2-D cross-correlation of input (N, C, H, W) (or unbatched (C, H, W)) with weight (O, C, kH, kW)."""
    if groups != 1:
        raise NotImplementedError(f"{op}: groups={groups} is not supported (only groups=1)")
    x = _tensor(input)
    out_channels, in_channels, kh, kw = weight.shape
    if x.ndim == 3:
        return _unbatched(conv2d, x, weight, bias, stride, padding, dilation, op=op)
    if x.ndim != 4 or x.shape[1] != in_channels:
        raise ValueError(f"{op}: expected input with {in_channels} channels (N, {in_channels}, H, W), "
                         f"got shape {x.shape}")
    _check_dtypes(op, x, weight, bias)
    stride_ = _pair(stride, "stride", op)
    dilation_ = _pair(dilation, "dilation", op)
    pads = _conv_padding(padding, (kh, kw), stride_, dilation_, op)
    padded = (x.shape[2] + pads[0] + pads[1], x.shape[3] + pads[2] + pads[3])
    span = (dilation_[0] * (kh - 1) + 1, dilation_[1] * (kw - 1) + 1)
    if span[0] > padded[0] or span[1] > padded[1]:
        what = "kernel size" if dilation_ == (1, 1) else "dilated kernel size"
        raise ValueError(f"{op}: {what} {span} is larger than the padded input {padded} "
                         f"(input shape {x.shape}, padding {pads})")
    args = (x, weight) if bias is None else (x, weight, bias)
    return Conv2dFunction.apply(*args, stride=stride_, padding=pads, dilation=dilation_)


def _pool_args(op: str, x: Tensor, kernel_size: IntPair, stride: IntPair | None,
               padding: IntPair) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int]]:
    kernel = _pair(kernel_size, "kernel_size", op)
    stride_ = kernel if stride is None or stride == () else _pair(stride, "stride", op)
    padding_ = _pair(padding, "padding", op, minimum=0)
    if x.ndim != 4:
        raise ValueError(f"{op}: expected a 4-D input (N, C, H, W), got shape {x.shape}")
    if padding_[0] > kernel[0] // 2 or padding_[1] > kernel[1] // 2:
        raise ValueError(f"{op}: padding should be at most half of the kernel size, got padding={padding_}, "
                         f"kernel_size={kernel}")
    oh, ow = pool_output_size(x.shape[2:], kernel, stride_, padding_)
    if oh < 1 or ow < 1:
        raise ValueError(f"{op}: kernel size {kernel} is larger than the padded input "
                         f"{(x.shape[2] + 2 * padding_[0], x.shape[3] + 2 * padding_[1])} (input shape {x.shape})")
    return kernel, stride_, padding_


def max_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, op: str = "max_pool2d") -> Tensor:
    """Max over windows of (N, C, H, W) or (C, H, W); stride defaults to kernel_size; pads with -inf."""
    x = _tensor(input)
    if x.ndim == 3:
        return _unbatched(max_pool2d, x, kernel_size, stride, padding, op=op)
    kernel, stride_, padding_ = _pool_args(op, x, kernel_size, stride, padding)
    return MaxPool2dFunction.apply(x, kernel=kernel, stride=stride_, padding=padding_)


def avg_pool2d(input: Tensor, kernel_size: IntPair, stride: IntPair | None = None,
               padding: IntPair = 0, count_include_pad: bool = True, op: str = "avg_pool2d") -> Tensor:
    """Mean over windows of (N, C, H, W) or (C, H, W); zero padding counts unless count_include_pad=False."""
    x = _tensor(input)
    if x.ndim == 3:
        return _unbatched(avg_pool2d, x, kernel_size, stride, padding, count_include_pad, op=op)
    kernel, stride_, padding_ = _pool_args(op, x, kernel_size, stride, padding)
    return AvgPool2dFunction.apply(x, kernel=kernel, stride=stride_, padding=padding_,
                                   count_include_pad=count_include_pad)


def batch_norm(input: Tensor, running_mean: np.ndarray | None, running_var: np.ndarray | None,
               weight: Tensor | None = None, bias: Tensor | None = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5, op: str = "batch_norm") -> Tensor:
    """Normalise each channel (axis 1) of (N, C, *) by batch statistics (training) or the running ones.

    In training the running statistics, if given, are updated in place (unbiased variance).
    """
    x = _tensor(input)
    if x.ndim < 2:
        raise ValueError(f"{op}: expected an input of shape (N, C) or (N, C, ...), got shape {x.shape}")
    channels = x.shape[1]
    for name, value in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                        ("bias", bias)):
        if value is not None and tuple(value.shape) != (channels,):
            raise ValueError(f"{op}: {name} has shape {tuple(value.shape)}, expected ({channels},) "
                             f"for input of shape {x.shape}")
    if not training and (running_mean is None or running_var is None):
        raise ValueError(f"{op}: running_mean and running_var are needed when not training")
    if training and x.numel() // max(channels, 1) <= 1:
        raise ValueError(f"{op}: expected more than 1 value per channel when training, got input shape {x.shape}")
    _check_dtypes(op, x, weight, bias)
    params = tuple(p for p in (weight, bias) if p is not None)
    return BatchNormFunction.apply(x, *params, has_weight=weight is not None, has_bias=bias is not None,
                                   running_mean=running_mean, running_var=running_var, training=training,
                                   momentum=momentum, eps=eps)


def dropout(input: Tensor, p: float = 0.5, training: bool = True,
            generator: np.random.Generator | None = None) -> Tensor:
    """Zero each element with probability p and scale the rest by 1/(1-p) (identity when not training)."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = _tensor(input)
    if not training or p == 0:
        return x
    rng = generator if generator is not None else default_rng()
    if p == 1:
        mask = np.zeros(x.shape, dtype=x.dtype)
    else:
        keep = rng.random(x.shape, dtype=np.float32) >= p
        mask = keep.astype(x.dtype) * np.asarray(1 / (1 - p), dtype=x.dtype)
    return x * Tensor(mask)


# ----- activations and shapes -------------------------------------------------------------------
def relu(input: Tensor) -> Tensor:
    return _tensor(input).relu()


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    return _tensor(input).leaky_relu(negative_slope)


def tanh(input: Tensor) -> Tensor:
    return _tensor(input).tanh()


def sigmoid(input: Tensor) -> Tensor:
    return _tensor(input).sigmoid()


def _softmax_dim(name: str, ndim: int, dim: int | None) -> int:
    if dim is not None:
        return dim
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None) -> Tensor:
    x = _tensor(input)
    return x.softmax(axis=_softmax_dim("softmax", x.ndim, dim))


def log_softmax(input: Tensor, dim: int | None = None) -> Tensor:
    x = _tensor(input)
    return x.log_softmax(axis=_softmax_dim("log_softmax", x.ndim, dim))


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dims start_dim..end_dim into one (torch.flatten; nn.Flatten starts at dim 1)."""
    return _tensor(input).flatten(start_dim, end_dim)


# ----- losses ------------------------------------------------------------------------------------
def _class_targets(op: str, x: Tensor, target: Any, ignore_index: int) -> tuple[Tensor, np.ndarray]:
    """Check (N, C, *rest) scores against integer targets (N, *rest); an unbatched (C,) becomes (1, C)."""
    t = np.asarray(target.array if isinstance(target, Tensor) else target)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: target must hold integer class indices, got dtype {t.dtype} "
                        "(class-probability targets are not supported; convert labels with .astype(np.int64))")
    if x.ndim == 1:
        x, t = x.reshape(1, -1), t.reshape(1)
    if x.ndim < 2:
        raise ValueError(f"{op}: expected input of shape (N, C) or (N, C, d1, ...), got shape {x.shape}")
    expected = (x.shape[0],) + x.shape[2:]
    if t.shape != expected:
        raise ValueError(f"{op}: expected target of shape {expected} for input of shape {x.shape}, "
                         f"got target of shape {t.shape}")
    classes = x.shape[1]
    bad = (t != ignore_index) & ((t < 0) | (t >= classes))
    if bad.any():
        position = tuple(int(i) for i in np.argwhere(bad)[0])
        raise IndexError(f"{op}: target {int(t[position])} at position {position} is out of bounds for "
                         f"{classes} classes (valid: 0 to {classes - 1})")
    return x, t


def _class_weight(op: str, weight: Any, x: Tensor) -> np.ndarray | None:
    if weight is None:
        return None
    w = np.asarray(weight.array if isinstance(weight, Tensor) else weight, dtype=x.dtype)
    if w.shape != (x.shape[1],):
        raise ValueError(f"{op}: weight must have one entry per class, shape ({x.shape[1]},), got {w.shape}")
    return w


def cross_entropy(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between raw logits (N, C) (or (N, C, d1, ...), or (C,)) and integer class targets.

    One fused, stable op: log-softmax and pick forward, (softmax − smoothed onehot)·scale backward.
    """
    _check_reduction("cross_entropy", reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    x = _tensor(input)
    unbatched = x.ndim == 1
    x, t = _class_targets("cross_entropy", x, target, ignore_index)
    out = CrossEntropyFunction.apply(x, target=t, weight=_class_weight("cross_entropy", weight, x),
                                     ignore_index=ignore_index, reduction=reduction,
                                     label_smoothing=float(label_smoothing))
    return out.reshape(()) if unbatched and reduction == "none" else out


def nll_loss(input: Tensor, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer targets given log-probabilities (N, C) (e.g. from log_softmax)."""
    _check_reduction("nll_loss", reduction)
    x = _tensor(input)
    unbatched = x.ndim == 1
    x, t = _class_targets("nll_loss", x, target, ignore_index)
    out = NLLLossFunction.apply(x, target=t, weight=_class_weight("nll_loss", weight, x),
                                ignore_index=ignore_index, reduction=reduction)
    return out.reshape(()) if unbatched and reduction == "none" else out


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean (or sum, or elementwise) squared error; a target of another shape is broadcast with a warning."""
    _check_reduction("mse_loss", reduction)
    x = _tensor(input)
    t = target if isinstance(target, Tensor) else Tensor(np.asarray(target, dtype=x.dtype))
    if t.shape != x.shape:
        warnings.warn(f"mse_loss: using a target size {t.shape} that is different to the input size {x.shape}. "
                      "This will likely lead to incorrect results due to broadcasting. Please ensure they have "
                      "the same size.", stacklevel=2)
    return MSELossFunction.apply(x, t, reduction=reduction)
