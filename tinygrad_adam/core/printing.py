"""Tensor's repr in PyTorch's format: `tensor([1.5000, 2.0000], requires_grad=True)`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .graph_nodes import node_name

if TYPE_CHECKING:
    from .tensor import Tensor

_IMPLIED_DTYPES = ("float32", "int64", "bool")  # PyTorch leaves these out of the repr


def _float_format(finite: np.ndarray) -> str:
    """PyTorch's choice: whole numbers as '1.', else 4 decimals, or scientific for a wide or extreme range."""
    if finite.size == 0:
        return "{:.4f}"
    magnitudes = np.abs(finite.astype(np.float64))
    if np.all(finite == np.round(finite)):
        return "{:.0f}." if magnitudes.max() < 1e8 else "{:.4e}"
    nonzero = magnitudes[magnitudes > 0]
    if nonzero.size and (nonzero.max() / nonzero.min() > 1000 or nonzero.max() > 1e8 or nonzero.min() < 1e-4):
        return "{:.4e}"
    return "{:.4f}"


def format_array(array: np.ndarray, prefix: str) -> str:
    """The elements, padded to one width, wrapped at 80 columns and summarised past 1000 elements."""
    pattern = _float_format(array[np.isfinite(array)]) if array.dtype.kind == "f" else "{}"

    def fmt(v: Any) -> str:
        if array.dtype.kind == "f":
            return pattern.format(v) if np.isfinite(v) else str(float(v))
        return str(bool(v)) if array.dtype.kind == "b" else str(int(v))

    sample = array if array.size <= 1000 else np.concatenate([array.reshape(-1)[:3], array.reshape(-1)[-3:]])
    width = max((len(fmt(v)) for v in sample.reshape(-1)), default=0)
    return np.array2string(array, max_line_width=80, separator=", ", prefix=prefix, threshold=1000, edgeitems=3,
                           formatter={"all": lambda v: fmt(v).rjust(width)})


def format_tensor(t: Tensor) -> str:
    array = t.array
    body = format_array(array, "tensor(") if array.size else "[]"
    extra = []
    if array.size == 0 and array.shape != (0,):
        extra.append(f"size={array.shape}")
    if array.dtype.name not in _IMPLIED_DTYPES:
        extra.append(f"dtype={t.dtype!r}")
    if t._ctx is not None:
        extra.append(f"grad_fn=<{node_name(t._ctx)}>")
    elif t.requires_grad:
        extra.append("requires_grad=True")
    return f"tensor({body}{''.join(', ' + e for e in extra)})"
