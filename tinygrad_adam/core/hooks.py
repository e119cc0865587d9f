"""Handles for registered hooks (PyTorch's torch.utils.hooks.RemovableHandle)."""

from __future__ import annotations

from typing import Any


class RemovableHandle:
    """Returned by the register_*_hook methods; `remove()` takes the hook out again."""

    def __init__(self, hooks: list, hook: Any):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
