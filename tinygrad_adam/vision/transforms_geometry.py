"""torchvision.transforms' Resize, CenterCrop, Pad, RandomCrop and RandomHorizontalFlip.

Each takes a NumPy image H x W or H x W x C (as the datasets give, where torchvision has a PIL image) or a
Tensor (..., H, W) (after ToTensor), and returns the same kind. The random ones draw from
PyTorch's default generator (core/random.py, seeded by manual_seed) unless given one, with torchvision's draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

import numpy as np

from ..core import random as _random
from ..core.tensor import Tensor

__all__ = ["CenterCrop", "InterpolationMode", "Pad", "RandomCrop", "RandomHorizontalFlip", "Resize"]


class InterpolationMode(Enum):
    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"


def _as_hw(image: Any) -> tuple[np.ndarray, bool, bool]:
    """(array with H, W as its last two axes, was it a Tensor, was it channels-last NumPy)."""
    if isinstance(image, Tensor):
        if image.ndim < 2:
            raise ValueError(f"expected a tensor image (..., H, W), got shape {image.shape}")
        return image.numpy(), True, False
    array = np.asarray(image)
    if array.ndim == 2:
        return array, False, False
    if array.ndim == 3:
        return np.moveaxis(array, -1, 0), False, True
    raise ValueError(f"expected a NumPy image H x W or H x W x C, got shape {array.shape}")


def _back(array: np.ndarray, was_tensor: bool, channels_last: bool) -> Any:
    if was_tensor:
        return Tensor(np.ascontiguousarray(array))
    return np.ascontiguousarray(np.moveaxis(array, 0, -1) if channels_last else array)


def _size_pair(size: int | Sequence[int], name: str) -> tuple[int, int]:
    if isinstance(size, int | np.integer):
        return int(size), int(size)
    values = tuple(int(s) for s in size)
    if len(values) == 1:
        return values[0], values[0]
    if len(values) != 2:
        raise ValueError(f"Please provide only two dimensions (h, w) for {name}.")
    return values  # type: ignore[return-value]


class Resize:
    """Resize to size (h, w), or make the smaller edge `size` keeping the aspect ratio (max_size caps the longer).

    A uint8 NumPy image (where torchvision has a PIL image) is resized bilinearly as Pillow does (its fixed
    point, antialiased when shrinking, uint8 between the two passes). Otherwise bilinear is PyTorch's
    interpolate(align_corners=False) without antialiasing, and uint8 results are rounded back to uint8.
    """

    def __init__(self, size: int | Sequence[int], interpolation: Any = InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        if not isinstance(size, int | Sequence) or (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Size should be int or sequence of length 1 or 2. Got {size!r}")
        self.size, self.max_size, self.antialias = size, max_size, antialias
        self.interpolation = InterpolationMode(interpolation.value if isinstance(interpolation, Enum)
                                               else interpolation)

    def _output_size(self, h: int, w: int) -> tuple[int, int]:
        if isinstance(self.size, Sequence) and len(self.size) == 2:
            return int(self.size[0]), int(self.size[1])
        requested = int(self.size if isinstance(self.size, int) else self.size[0])
        short, long = (w, h) if w <= h else (h, w)
        new_short, new_long = requested, int(requested * long / short)
        if self.max_size is not None:
            if self.max_size <= requested:
                raise ValueError(f"max_size = {self.max_size} must be strictly greater than the requested size for "
                                 f"the smaller edge size = {self.size}")
            if new_long > self.max_size:
                new_short, new_long = int(self.max_size * new_short / new_long), self.max_size
        return (new_long, new_short) if w <= h else (new_short, new_long)

    def __call__(self, img: Any) -> Any:
        from ..nn.functional import interpolate

        array, was_tensor, channels_last = _as_hw(img)
        size = self._output_size(*array.shape[-2:])
        lead = array.shape[:-2]
        if not was_tensor and array.dtype == np.uint8 and self.interpolation is InterpolationMode.BILINEAR:
            (h, w), passes = array.shape[-2:], [(-1, size[1]), (-2, size[0])]
            if size[0] < h and size[1] >= w:  # Pillow 13 shrinks the height first when only the height shrinks
                passes.reverse()
            for axis, length in passes:
                array = _pil_resample(array, _pil_weights(array.shape[axis], length), axis)
            return _back(array, False, channels_last)
        x = array.reshape((1, -1) + array.shape[-2:])
        floats = x.astype(np.float32) if x.dtype.kind != "f" else x
        mode = self.interpolation.value
        out = interpolate(Tensor(floats), size=size, mode=mode,
                          align_corners=False if mode == "bilinear" else None).numpy()
        if x.dtype.kind != "f":
            info = np.iinfo(x.dtype)
            out = np.clip(np.round(out), info.min, info.max).astype(x.dtype)
        return _back(out.reshape(lead + size), was_tensor, channels_last)

    def __repr__(self) -> str:
        return (f"Resize(size={self.size}, interpolation={self.interpolation.value}, max_size={self.max_size}, "
                f"antialias={self.antialias})")


_PIL_PRECISION_BITS = 22  # Pillow's fixed point for 8-bit images: 32 - 8 - 2 bits


def _pil_weights(size_in: int, size_out: int) -> np.ndarray:
    """Pillow's bilinear (triangle) resampling weights (size_out x size_in) in its fixed point: the filter widened
    by the scale when shrinking (antialiasing), each row normalised, then rounded to integers."""
    scale = size_in / size_out
    support = max(scale, 1.0)
    weights = np.zeros((size_out, size_in))
    for out in range(size_out):
        center = (out + 0.5) * scale
        first, last = max(int(center - support + 0.5), 0), min(int(center + support + 0.5), size_in)
        taps = np.maximum(1.0 - np.abs((np.arange(first, last) - center + 0.5) * (1.0 / support)), 0.0)
        if taps.sum() != 0.0:
            taps = taps / taps.sum()
        weights[out, first:last] = taps
    scaled = weights * (1 << _PIL_PRECISION_BITS)
    return np.where(scaled < 0, np.trunc(scaled - 0.5), np.trunc(scaled + 0.5)).astype(np.int64)


def _pil_resample(image: np.ndarray, weights: np.ndarray, axis: int) -> np.ndarray:
    """One pass of Pillow's resize of a uint8 image along `axis`, rounded and clipped back to uint8 as Pillow's
    (PIL.Image.resize, torchvision's Resize of a PIL image)."""
    moved = np.moveaxis(image.astype(np.int64), axis, -1)
    total = moved @ weights.T + (1 << (_PIL_PRECISION_BITS - 1))
    return np.moveaxis(np.clip(total >> _PIL_PRECISION_BITS, 0, 255).astype(np.uint8), -1, axis)


def _pad(array: np.ndarray, left: int, top: int, right: int, bottom: int, fill: Any, mode: str) -> np.ndarray:
    widths = [(0, 0)] * (array.ndim - 2) + [(top, bottom), (left, right)]
    if mode == "constant":
        return np.pad(array, widths, mode="constant", constant_values=fill)
    return np.pad(array, widths, mode=mode)  # type: ignore[call-overload]


def _padding_sides(padding: int | Sequence[int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of torchvision's padding: one int, (left/right, top/bottom), or all four."""
    if isinstance(padding, int | np.integer):
        return (int(padding),) * 4  # type: ignore[return-value]
    values = [int(p) for p in padding]
    if len(values) == 1:
        return (values[0],) * 4  # type: ignore[return-value]
    if len(values) == 2:
        return values[0], values[1], values[0], values[1]
    if len(values) == 4:
        return values[0], values[1], values[2], values[3]
    raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(values)} element tuple")


_PAD_MODES = ("constant", "edge", "reflect", "symmetric")


class Pad:
    """Pad the borders: padding is one int, (left/right, top/bottom) or (left, top, right, bottom)."""

    def __init__(self, padding: int | Sequence[int], fill: Any = 0, padding_mode: str = "constant") -> None:
        if not isinstance(padding, int | Sequence):
            raise TypeError("Got inappropriate padding arg")
        if padding_mode not in _PAD_MODES:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        self.sides = _padding_sides(padding)
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img: Any) -> Any:
        array, was_tensor, channels_last = _as_hw(img)
        return _back(_pad(array, *self.sides, self.fill, self.padding_mode), was_tensor, channels_last)

    def __repr__(self) -> str:
        return f"Pad(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class CenterCrop:
    """Crop the centre (h, w) (zero-padded first where the image is smaller), as torchvision rounds it."""

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = _size_pair(size, "size")

    def __call__(self, img: Any) -> Any:
        array, was_tensor, channels_last = _as_hw(img)
        (th, tw), (h, w) = self.size, array.shape[-2:]
        if th > h or tw > w:
            left, top = (tw - w) // 2 if tw > w else 0, (th - h) // 2 if th > h else 0
            right, bottom = (tw - w + 1) // 2 if tw > w else 0, (th - h + 1) // 2 if th > h else 0
            array = _pad(array, left, top, right, bottom, 0, "constant")
            h, w = array.shape[-2:]
            if (h, w) == (th, tw):
                return _back(array, was_tensor, channels_last)
        top, left = int(round((h - th) / 2.0)), int(round((w - tw) / 2.0))
        return _back(array[..., top:top + th, left:left + tw], was_tensor, channels_last)

    def __repr__(self) -> str:
        return f"CenterCrop(size={self.size})"


class RandomCrop:
    """Crop a random (h, w) window, after padding by `padding` (and to the size itself with pad_if_needed)."""

    def __init__(self, size: int | Sequence[int], padding: int | Sequence[int] | None = None,
                 pad_if_needed: bool = False, fill: Any = 0, padding_mode: str = "constant",
                 generator: Any = None) -> None:
        self.size = _size_pair(size, "size")
        if padding_mode not in _PAD_MODES:
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode
        self.generator = generator

    def __call__(self, img: Any) -> Any:
        array, was_tensor, channels_last = _as_hw(img)
        if self.padding is not None:
            array = _pad(array, *_padding_sides(self.padding), self.fill, self.padding_mode)
        (th, tw), (h, w) = self.size, array.shape[-2:]
        if self.pad_if_needed and w < tw:
            array = _pad(array, tw - w, 0, tw - w, 0, self.fill, self.padding_mode)
        if self.pad_if_needed and h < th:
            array = _pad(array, 0, th - h, 0, th - h, self.fill, self.padding_mode)
        h, w = array.shape[-2:]
        if h < th or w < tw:
            raise ValueError(f"Required crop size {(th, tw)} is larger than input image size {(h, w)}")
        top = int(_random.randint((1,), 0, h - th + 1, generator=self.generator)[0])  # torchvision's draws, in order
        left = int(_random.randint((1,), 0, w - tw + 1, generator=self.generator)[0])
        return _back(array[..., top:top + th, left:left + tw], was_tensor, channels_last)

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror the image left to right with probability p."""

    def __init__(self, p: float = 0.5, generator: Any = None) -> None:
        self.p, self.generator = p, generator

    def __call__(self, img: Any) -> Any:
        if _random.uniform((1,), generator=self.generator)[0] >= self.p:
            return img
        array, was_tensor, channels_last = _as_hw(img)
        return _back(array[..., ::-1], was_tensor, channels_last)

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p})"
