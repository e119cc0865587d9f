"""torchvision.utils' make_grid and save_image: a batch of images as one grid, and that grid as a PNG.

The pixels are torchvision's: images are normalised (if asked) in their own dtype, laid out row by row with
`padding` pixels of `pad_value` around each, and saved as round(255·x) clamped to [0, 255] (x·255 + 0.5,
truncated). One-channel images become three-channel, so the PNG is RGB, as torchvision's. Writing the file
needs Pillow (the optional extra `images`).
"""

from __future__ import annotations

import math
import os
import warnings
from typing import IO, Any

import numpy as np

from ..core.tensor import Tensor

__all__ = ["make_grid", "save_image"]


def _batch_array(tensor: Tensor | list[Tensor]) -> np.ndarray:
    if isinstance(tensor, Tensor):
        return tensor.numpy()
    if isinstance(tensor, list) and all(isinstance(t, Tensor) for t in tensor):
        return np.stack([t.numpy() for t in tensor])
    raise TypeError(f"tensor or list of tensors expected, got {type(tensor)}")


def make_grid(tensor: Tensor | list[Tensor], nrow: int = 8, padding: int = 2, normalize: bool = False,
              value_range: tuple[float, float] | None = None, scale_each: bool = False, pad_value: float = 0.0,
              **kwargs: Any) -> Tensor:
    """A (C, H', W') grid of a (B, C, H, W) batch (or a list of (C, H, W) images), nrow images per row.

    normalize shifts the values to [0, 1] by value_range (min, max), by default the batch's own minimum and
    maximum, or each image's with scale_each.
    """
    x = _batch_array(tensor)
    if "range" in kwargs:
        warnings.warn("range will be deprecated, please use value_range instead.", stacklevel=2)
        value_range = kwargs["range"]
    if x.ndim == 2:
        x = x[None]
    if x.ndim == 3:
        if x.shape[0] == 1:
            x = np.concatenate([x, x, x], 0)
        x = x[None]
    if x.ndim == 4 and x.shape[1] == 1:
        x = np.concatenate([x, x, x], 1)
    if normalize:
        x = x.copy()
        if value_range is not None and not isinstance(value_range, tuple):
            raise AssertionError("value_range has to be a tuple (min, max) if specified. min and max are numbers")
        parts = list(x) if scale_each else [x]
        for part in parts:  # views of x: normalised in place
            low, high = value_range if value_range is not None else (float(part.min()), float(part.max()))
            np.clip(part, low, high, out=part)
            part -= np.asarray(low, dtype=part.dtype)
            part /= np.asarray(max(high - low, 1e-5), dtype=part.dtype)
    if x.shape[0] == 1:
        return Tensor(x[0])
    count = x.shape[0]
    columns = min(nrow, count)
    rows = int(math.ceil(float(count) / columns))
    height, width = x.shape[2] + padding, x.shape[3] + padding
    grid = np.full((x.shape[1], height * rows + padding, width * columns + padding), pad_value, dtype=x.dtype)
    for k in range(count):
        y, col = divmod(k, columns)
        top, left = y * height + padding, col * width + padding
        grid[:, top:top + height - padding, left:left + width - padding] = x[k]
    return Tensor(grid)


def to_uint8_image(grid: Tensor) -> np.ndarray:
    """The (H, W, C) uint8 pixels of a (C, H, W) grid in [0, 1], rounded as torchvision's save_image."""
    g = grid.numpy()
    scaled = g * np.asarray(255, dtype=g.dtype) + np.asarray(0.5, dtype=g.dtype)
    return np.clip(scaled, 0, 255).transpose(1, 2, 0).astype(np.uint8)


def save_image(tensor: Tensor | list[Tensor], fp: str | os.PathLike[str] | IO[bytes], format: str | None = None,
               **kwargs: Any) -> None:
    """Save an image, or a batch as make_grid's grid (kwargs go to make_grid), to a file (by its extension)."""
    try:
        from PIL import Image
    except ImportError as error:
        raise ImportError('save_image needs Pillow: pip install -e ".[images]"') from error
    pixels = to_uint8_image(make_grid(tensor, **kwargs))
    Image.fromarray(pixels[..., 0] if pixels.shape[2] == 1 else pixels).save(fp, format=format)
