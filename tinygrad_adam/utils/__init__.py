"""PyTorch's torch.utils names: `utils.data` (datasets, samplers, DataLoader)."""

from . import data

__all__ = ["data"]
