"""PyTorch's torch.utils names: `utils.data` (datasets, samplers, DataLoader), `utils.hooks` (RemovableHandle)."""

from . import data, hooks

__all__ = ["data", "hooks"]
