"""torch.onnx's name, so that programs which import it run; exporting a model to ONNX is not supported."""

from __future__ import annotations

from typing import Any

__all__ = ["export"]


def export(model: Any, args: Any = (), f: Any = None, *rest: Any, **kwargs: Any) -> None:
    raise NotImplementedError("torch.onnx.export: exporting to ONNX is not supported by tinygrad_adam "
                              "(save the state_dict with torch.save and export it from PyTorch)")
