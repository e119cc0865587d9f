"""torchvision.transforms' Compose, ToTensor, Normalize and Lambda, on NumPy images (no PIL); Resize, CenterCrop,
Pad, RandomCrop and RandomHorizontalFlip are in transforms_geometry.py.

Batch protocol: a transform with a ``batch(images)`` method maps a stack of images (a leading batch axis) to
the stack of what it would return per image, bit for bit. `Compose` has one when all its transforms do.
Datasets use it to transform a whole batch in one call (see utils.data's ``__getbatch__``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor
from .transforms_geometry import CenterCrop, InterpolationMode, Pad, RandomCrop, RandomHorizontalFlip, Resize

__all__ = ["CenterCrop", "Compose", "InterpolationMode", "Lambda", "Normalize", "Pad", "RandomCrop",
           "RandomHorizontalFlip", "Resize", "ToTensor", "is_batchable"]


def is_batchable(transform: Any) -> bool:
    """Whether `transform` can be applied to a whole batch at once (has the batch protocol)."""
    return callable(getattr(transform, "batch", None))


class Compose:
    """Apply transforms one after another."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        for t in self.transforms:
            img = t(img)
        return img

    def __getattr__(self, name: str) -> Any:
        # `batch` exists only when every transform is batchable, so is_batchable(Compose) says the truth
        if name == "batch" and all(is_batchable(t) for t in self.__dict__.get("transforms", ())):
            return self._batch
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _batch(self, images: Any) -> Any:
        for t in self.transforms:
            images = t.batch(images)
        return images

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


def _to_float_chw(images: np.ndarray, batched: bool) -> np.ndarray:
    x = np.asarray(images)
    image_ndim = x.ndim - batched
    if image_ndim == 2:  # H x W: one channel
        x = x[..., None, :, :]
    elif image_ndim == 3:  # H x W x C -> C x H x W
        x = np.moveaxis(x, -1, -3)
    else:
        shape = "N x H x W or N x H x W x C" if batched else "H x W or H x W x C"
        raise ValueError(f"ToTensor: expected an image of shape {shape}, got shape {x.shape}")
    if x.dtype == np.uint8:
        floats = x.astype(dtypes.default_float)  # torchvision's to_tensor: the default dtype, then / 255
        return floats / floats.dtype.type(255)
    return np.ascontiguousarray(x)


class ToTensor:
    """An H x W (x C) NumPy image to a C x H x W Tensor; uint8 is scaled to the default dtype (float32 unless
    torch.set_default_dtype changed it) in [0, 1]."""

    def __call__(self, pic: np.ndarray) -> Tensor:
        if not isinstance(pic, np.ndarray):
            raise TypeError(f"ToTensor: pic should be a NumPy ndarray, got {type(pic).__name__}")
        return Tensor(_to_float_chw(pic, batched=False))

    def batch(self, pics: np.ndarray) -> Tensor:
        return Tensor(_to_float_chw(pics, batched=True))

    def __repr__(self) -> str:
        return "ToTensor()"


class Normalize:
    """``(x - mean[c]) / std[c]`` for each channel c of a float C x H x W Tensor."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean = list(mean) if isinstance(mean, Sequence) else [float(mean)]
        self.std = list(std) if isinstance(std, Sequence) else [float(std)]
        if any(s == 0 for s in self.std):
            raise ValueError(f"std evaluated to zero after conversion to float32, leading to division by zero: "
                             f"std={self.std}")
        self.inplace = inplace

    def __call__(self, tensor: Tensor) -> Tensor:
        if not isinstance(tensor, Tensor):
            raise TypeError(f"Normalize: input should be a Tensor, got {type(tensor).__name__}")
        x = tensor.array
        if x.dtype.kind != "f":
            raise TypeError(f"Normalize: input Tensor should be a float tensor, got {x.dtype}")
        if x.ndim < 3:
            raise ValueError(f"Normalize: expected a tensor image of size (..., C, H, W), got shape {x.shape}")
        mean = np.asarray(self.mean, dtype=x.dtype).reshape(-1, 1, 1)
        std = np.asarray(self.std, dtype=x.dtype).reshape(-1, 1, 1)
        channels = x.shape[-3]
        if len(mean) not in (1, channels) or len(std) not in (1, channels):
            raise ValueError(f"Normalize: mean {self.mean} and std {self.std} need 1 or {channels} values "
                             f"for {channels} channels")
        return Tensor((x - mean) / std)

    def batch(self, tensors: Tensor) -> Tensor:
        return self(tensors)  # the channel axis is -3 either way

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Lambda:
    """A user function as a transform (applied per image; it has no batch form)."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)

    def __repr__(self) -> str:
        return "Lambda()"
