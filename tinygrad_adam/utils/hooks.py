"""torch.utils.hooks: RemovableHandle, what every register_*_hook returns."""

from ..core.hooks import RemovableHandle

__all__ = ["RemovableHandle"]
