"""Grad mode: one switch that says whether ops record a graph, and PyTorch's context managers over it."""

from __future__ import annotations

import contextlib

recording = True
"""Whether ops record a graph now; read by the engine, set only by the context managers below."""


def is_grad_enabled() -> bool:
    """True unless inside `no_grad()`."""
    return recording


class _GradMode(contextlib.ContextDecorator):
    """Set the grad mode to `enabled` for a `with` block or a decorated function, restoring it on exit."""

    enabled: bool

    def __enter__(self) -> _GradMode:
        global recording
        self._previous, recording = recording, self.enabled
        return self

    def __exit__(self, *exc: object) -> None:
        global recording
        recording = self._previous


class no_grad(_GradMode):
    """Context manager and decorator: inside it no op records a graph or saves arrays."""

    enabled = False


class enable_grad(_GradMode):
    """Re-enable recording inside a `no_grad()` block."""

    enabled = True


class set_grad_enabled(_GradMode):
    """Turn recording on or off: at once when called, or for a `with` block, restored on exit."""

    def __init__(self, mode: bool):
        self.enabled = bool(mode)
        super().__enter__()  # in effect at once, as in PyTorch

    def __enter__(self) -> set_grad_enabled:
        return self  # already entered by __init__; entering again would lose the mode to restore


class inference_mode(_GradMode):
    """PyTorch's faster no_grad; here the same as `no_grad()` (with mode=False, nothing changes)."""

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    @property
    def enabled(self) -> bool:  # type: ignore[override]
        return recording and not self.mode
