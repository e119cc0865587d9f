"""torch.autograd.detect_anomaly: where a NaN or inf came from, named by op and by the user's line."""

from __future__ import annotations

import contextlib
import os
import traceback

import numpy as np

from ..core import engine
from ..core.engine import Context, observe_backward
from ..core.graph_nodes import node_name
from ..core.hooks import RemovableHandle
from ..core.tensor import Tensor

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _user_frames(stack: traceback.StackSummary) -> list[traceback.FrameSummary]:
    """The frames outside this package: where the user's code called the op."""
    return [f for f in stack if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR + os.sep)]


def _where(ctx: Context) -> str:
    stack = ctx.__dict__.get("forward_stack")
    if stack is None:
        return "(its forward ran before anomaly detection was enabled, so where it was called is unknown)"
    frames = _user_frames(stack) or list(stack)
    last = frames[-1]
    return (f"Its forward was called at {last.filename}, line {last.lineno}, in {last.name}:\n    {last.line}\n"
            "Traceback of the forward call (most recent call last):\n" + "".join(traceback.format_list(frames)))


def _nonfinite(array: np.ndarray) -> str | None:
    if array.dtype.kind != "f" or np.isfinite(array).all():
        return None
    return "nan" if np.isnan(array).any() else "inf"


class _AnomalyMode:
    def __init__(self, check_nan: bool, check_forward: bool):
        self.check_nan, self.check_forward = check_nan, check_forward

    def after_forward(self, ctx: Context, output: Tensor, recording: bool) -> None:
        """Remember where the op was called; optionally refuse a non-finite result from finite inputs."""
        if recording:
            ctx.forward_stack = traceback.extract_stack()[:-2]
        if self.check_forward:
            kind = _nonfinite(output.array)
            if kind is not None and all(_nonfinite(p.array) is None for p in ctx.parents):
                ctx.forward_stack = traceback.extract_stack()[:-2]
                raise RuntimeError(f"Function '{ctx.function.__name__}' returned {kind} values in its forward "
                                   f"output from finite inputs.\n{_where(ctx)}")

    def after_backward(self, ctx: Context, grad_output: np.ndarray, input_grads: list[np.ndarray | None]) -> None:
        if not self.check_nan:
            return
        for i, g in enumerate(input_grads):
            kind = None if g is None else _nonfinite(g)
            if kind is not None:
                raise RuntimeError(f"Function '{node_name(ctx)}' returned {kind} values in its "
                                   f"{i}th output.\n{_where(ctx)}")


_current_mode: _AnomalyMode | None = None
_observer: RemovableHandle | None = None


def _after_backward(ctx: Context, grad_output: np.ndarray, input_grads: list[np.ndarray | None]) -> None:
    if _current_mode is not None:
        _current_mode.after_backward(ctx, grad_output, input_grads)


def _set_mode(mode: _AnomalyMode | None) -> None:
    """Make `mode` (None: off) the anomaly mode: the engine's forward hook and one backward observer."""
    global _current_mode, _observer
    _current_mode = mode
    engine._anomaly_hook = mode.after_forward if mode is not None else None
    if mode is not None and _observer is None:
        _observer = observe_backward(_after_backward)
    elif mode is None and _observer is not None:
        _observer.remove()
        _observer = None


class detect_anomaly(contextlib.ContextDecorator):  # noqa: N801 - PyTorch's name
    """Inside it, a backward that returns NaN or Inf raises a RuntimeError naming the op and the line of
    the user's code that called its forward.

    Every recorded op remembers its call stack while this is on (slow: use it to debug, not to train).
    With check_forward=True (not in PyTorch, off by default) an op whose inputs are all finite but
    whose output is not raises as well. When off, the engine pays one `is None` test per op.
    """

    def __init__(self, check_nan: bool = True, check_forward: bool = False):
        self.mode = _AnomalyMode(check_nan, check_forward)

    def __enter__(self) -> detect_anomaly:
        self._previous = _current_mode
        _set_mode(self.mode)
        return self

    def __exit__(self, *exc: object) -> None:
        _set_mode(self._previous)


class set_detect_anomaly:  # noqa: N801 - PyTorch's name
    """Turn anomaly detection on or off now; used in a `with` block, the previous state returns on exit."""

    def __init__(self, mode: bool, check_nan: bool = True, check_forward: bool = False):
        self._previous = _current_mode
        _set_mode(_AnomalyMode(check_nan, check_forward) if mode else None)

    def __enter__(self) -> set_detect_anomaly:
        return self

    def __exit__(self, *exc: object) -> None:
        _set_mode(self._previous)


def is_anomaly_enabled() -> bool:
    return engine._anomaly_hook is not None
