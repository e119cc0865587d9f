"""BatchNorm1d and BatchNorm2d: parameters, running statistics and PyTorch's momentum rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from ...core.tensor import Tensor
from .. import functional as F
from .._checks import check_device, float_dtype, to_tensor
from ..module import Module, Parameter


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d: parameters, running statistics, PyTorch's momentum rule."""

    expected_dims: tuple[int, ...] = ()
    layout = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *, bias: bool = True):
        super().__init__()
        check_device(device, type(self).__name__)
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = float_dtype(dtype)
        self.weight = Parameter(np.ones(num_features, dtype=dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype=dtype)) if affine and bias else None
        tracked = track_running_stats
        self.register_buffer("running_mean", Tensor(np.zeros(num_features, dtype=dtype)) if tracked else None)
        self.register_buffer("running_var", Tensor(np.ones(num_features, dtype=dtype)) if tracked else None)
        self.register_buffer("num_batches_tracked", Tensor(np.array(0, dtype=np.int64)) if tracked else None)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean[...] = 0
            self.running_var[...] = 1
            self.num_batches_tracked[...] = 0

    def forward(self, x: Tensor) -> Tensor:
        x = to_tensor(x)
        name = type(self).__name__
        if x.ndim not in self.expected_dims:
            raise ValueError(f"{name}: expected {' or '.join(f'{d}D' for d in self.expected_dims)} input "
                             f"{self.layout}, got shape {tuple(x.shape)}")
        if x.shape[1] != self.num_features:
            raise RuntimeError(f"{name}: expected input with {self.num_features} channels "
                               f"{self.layout.replace('C', str(self.num_features))}, got shape {tuple(x.shape)} "
                               f"(running_mean should contain {x.shape[1]} elements not {self.num_features})")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked += 1
            if self.momentum is None:  # a cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked)
        use_batch_stats = self.training or not self.track_running_stats
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, use_batch_stats,
                            factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation over (N, C) or (N, C, L) inputs, per channel."""

    expected_dims = (2, 3)
    layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation over (N, C, H, W) inputs, per channel."""

    expected_dims = (4,)
    layout = "(N, C, H, W)"
