"""tensor.storage(): the whole memory a tensor looks into, as PyTorch's TypedStorage shows it.

    a = torch.arange(18)
    a.view(3, 6)[1:].storage()      # all 18 elements: a view shares its base's storage
    a.view(3, 6)[1:].storage_offset()   # 6

A tensor's array is a NumPy array or a view of one; its storage is the array at the root of that chain,
read flat in the tensor's dtype.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .device import device as _device


def root_array(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory `array` looks into (itself when it owns its memory)."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


class TypedStorage:
    """A flat, typed sequence over a tensor's memory: len, indexing, tolist, data_ptr, and PyTorch's print."""

    def __init__(self, array: np.ndarray) -> None:
        flat = root_array(array).ravel(order="K")  # an array that owns its memory is contiguous: a view
        self._array = flat if flat.dtype == array.dtype else flat.view(array.dtype)

    @property
    def dtype(self) -> Any:
        return dtypes.from_numpy_dtype(self._array.dtype)

    @property
    def device(self) -> Any:
        return _device("cpu")

    def size(self) -> int:
        return self._array.size

    def __len__(self) -> int:
        return self._array.size

    def __getitem__(self, index: int) -> Any:
        return self._array[index].item()

    def __iter__(self) -> Any:
        return iter(self._array.tolist())

    def tolist(self) -> list[Any]:
        return self._array.tolist()

    def data_ptr(self) -> int:
        return self._array.ctypes.data

    def element_size(self) -> int:
        return self._array.itemsize

    def nbytes(self) -> int:
        return self._array.nbytes

    def __str__(self) -> str:
        name = f"{type(self).__module__}.{type(self).__qualname__}"
        info = f"[{name}(dtype={self.dtype}, device={self.device}) of size {len(self)}]"
        return " " + "\n ".join(str(x) for x in self._array.tolist()) + "\n" + info

    __repr__ = __str__
