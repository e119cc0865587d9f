"""Turning a list of samples into a batch: PyTorch's default_collate and default_convert.

Samples are NumPy arrays, NumPy scalars, Python numbers, Tensors, or tuples, lists, dicts and named tuples
of those. Arrays and Tensors are stacked along a new first axis into one Tensor, keeping their dtype; Python
ints become an int64 Tensor, floats a float64 Tensor and bools a bool Tensor, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...core.tensor import Tensor

__all__ = ["default_collate", "default_convert"]


def _is_namedtuple(x: Any) -> bool:
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _as_tensor(array: np.ndarray) -> Tensor:
    return Tensor(array)


def default_convert(data: Any) -> Any:
    """Convert NumPy arrays (also inside containers) to Tensors, without adding a batch axis."""
    if isinstance(data, Tensor):
        return data
    if isinstance(data, np.ndarray | np.generic):
        return _as_tensor(np.asarray(data)) if np.asarray(data).dtype.kind in "biuf" else data
    if isinstance(data, Mapping):
        return {k: default_convert(v) for k, v in data.items()}
    if _is_namedtuple(data):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, Sequence) and not isinstance(data, str | bytes):
        return [default_convert(d) for d in data]
    return data


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into a batch, recursively, with PyTorch's rules (see the module docstring).

    A tuple sample gives a list of batches (as in PyTorch), a dict gives a dict, a named tuple the same type.
    """
    if len(batch) == 0:
        raise ValueError("default_collate: cannot collate an empty batch")
    elem = batch[0]
    if isinstance(elem, Tensor):
        return _as_tensor(_stack([t.array for t in batch], "Tensors"))
    if isinstance(elem, np.ndarray | np.generic):
        if np.asarray(elem).dtype.kind not in "biuf":
            if isinstance(elem, np.ndarray):
                raise TypeError(f"default_collate: cannot collate NumPy arrays of dtype {elem.dtype}")
            return list(batch)
        return _as_tensor(_stack([np.asarray(b) for b in batch], "NumPy arrays"))
    if isinstance(elem, bool):
        return _as_tensor(np.array(batch, dtype=np.bool_))
    if isinstance(elem, int):
        return _as_tensor(np.array(batch, dtype=np.int64))
    if isinstance(elem, float):
        return _as_tensor(np.array(batch, dtype=np.float64))
    if isinstance(elem, str | bytes):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in elem}
    if _is_namedtuple(elem):
        return type(elem)(*(default_collate(samples) for samples in zip(*batch, strict=True)))
    if isinstance(elem, Sequence):
        size = len(elem)
        if any(len(b) != size for b in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(samples)) for samples in zip(*batch, strict=True)]
    raise TypeError(
        "default_collate: batch must contain Tensors, NumPy arrays, numbers, dicts or lists; "
        f"found {type(elem).__name__}"
    )


def _stack(arrays: list[np.ndarray], what: str) -> np.ndarray:
    shape = arrays[0].shape
    for i, a in enumerate(arrays):
        if a.shape != shape:
            raise RuntimeError(
                f"default_collate: stack expects each item to be of equal size, but item 0 has shape {shape} "
                f"and item {i} has shape {a.shape} ({what})"
            )
    return np.stack(arrays)
