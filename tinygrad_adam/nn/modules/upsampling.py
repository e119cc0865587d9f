"""Upsample (F.interpolate) and PixelShuffle: layers that make an image larger."""


from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from ..module import Module
from .arguments import ShowsArguments


class Upsample(Module):
    """Resize by `size` or `scale_factor`: nearest, nearest-exact, linear, bilinear, bicubic, trilinear or area
    (see functional.interpolate)."""

    def __init__(self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None,
                 mode: str = "nearest", align_corners: bool | None = None,
                 recompute_scale_factor: bool | None = None):
        super().__init__()
        self.name = type(self).__name__
        self.size = size
        if isinstance(scale_factor, tuple | list):
            self.scale_factor: Any = tuple(float(f) for f in scale_factor)
        else:
            self.scale_factor = float(scale_factor) if scale_factor is not None else None
        self.mode, self.align_corners, self.recompute_scale_factor = mode, align_corners, recompute_scale_factor

    def forward(self, input: Tensor) -> Tensor:
        return F.interpolate(input, self.size, self.scale_factor or None, self.mode, self.align_corners,  # as PyTorch
                              recompute_scale_factor=self.recompute_scale_factor)

    def extra_repr(self) -> str:
        info = f"scale_factor={self.scale_factor!r}" if self.scale_factor else f"size={self.size!r}"  # as PyTorch
        return info + f", mode={self.mode!r}"


class PixelShuffle(ShowsArguments, function=F.pixel_shuffle):
    """(N, C·r², H, W) to (N, C, H·r, W·r), r = upscale_factor (sub-pixel convolution's upsampling)."""

    def __init__(self, upscale_factor: int):
        super().__init__(upscale_factor=upscale_factor)


class PixelUnshuffle(ShowsArguments, function=F.pixel_unshuffle):
    """(N, C, H·r, W·r) to (N, C·r², H, W), r = downscale_factor: the inverse of PixelShuffle."""

    def __init__(self, downscale_factor: int):
        super().__init__(downscale_factor=downscale_factor)


class ChannelShuffle(ShowsArguments, function=F.channel_shuffle):
    """Interleave the channels of `groups` groups (ShuffleNet)."""

    def __init__(self, groups: int):
        super().__init__(groups=groups)


class UpsamplingNearest2d(Upsample):
    """Upsample with mode="nearest"."""

    def __init__(self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Upsample with mode="bilinear" and align_corners=True."""

    def __init__(self, size: int | Sequence[int] | None = None, scale_factor: float | Sequence[float] | None = None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)
