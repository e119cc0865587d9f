"""PyTorch's torch.autograd names: Function (ctx-style, on Tensors), grad, gradcheck and anomaly detection.

A custom op written for PyTorch runs unchanged:

    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad_output):
            (y,) = ctx.saved_tensors
            return grad_output * y

It becomes one node of the engine (an `engine.Function` named after the class), so
`y.grad_fn` prints as `<ExpBackward>` and anomaly detection names it. Backward runs
without recording, so higher-order gradients (create_graph=True) are not supported.
"""

from __future__ import annotations

import contextlib
import os
import traceback
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import engine
from .engine import Context, Tensor, no_grad
from .gradcheck import gradcheck

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


# ----- torch.autograd.Function -----------------------------------------------------------------
class FunctionCtx:
    """The `ctx` a custom Function's forward and backward share: saved tensors and any attributes."""

    def __init__(self, needs_input_grad: tuple[bool, ...]):
        self.needs_input_grad = needs_input_grad
        self.saved_tensors: tuple[Tensor, ...] = ()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        self.saved_tensors = tensors  # type: ignore[assignment]

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """Accepted for compatibility; outputs here are differentiable unless they are not float."""

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Accepted for compatibility (in-place changes are tracked by each tensor's version)."""

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for compatibility; the gradient passed to backward is always a Tensor."""


class _UserFunctionNode(engine.Function):
    """The engine node of one custom Function call: forward already ran, backward calls the user's."""

    user: type[Function]

    @staticmethod
    def forward(ctx: Context, *arrays: np.ndarray, user_ctx: FunctionCtx, output: np.ndarray) -> np.ndarray:
        ctx.user_ctx = user_ctx
        return output

    @classmethod
    def backward(cls, ctx: Context, grad_output: np.ndarray) -> tuple[np.ndarray | None, ...]:  # type: ignore[override]
        user_ctx = ctx.user_ctx
        with no_grad():
            grads = cls.user.backward(user_ctx, Tensor._make(grad_output, False))
        grads = tuple(grads) if isinstance(grads, tuple | list) else (grads,)
        if len(grads) != len(user_ctx.is_tensor_input):
            raise RuntimeError(f"{cls.user.__name__}.backward returned {len(grads)} gradients, but forward took "
                               f"{len(user_ctx.is_tensor_input)} arguments (return None for the non-Tensor ones)")
        return tuple(None if g is None else g.array if isinstance(g, Tensor) else np.asarray(g)
                     for g, is_tensor in zip(grads, user_ctx.is_tensor_input, strict=True) if is_tensor)


class Function:
    """torch.autograd.Function: subclass with static forward(ctx, *args) and backward(ctx, *grads) on Tensors.

    The newer style, forward(*args) with a separate setup_context(ctx, inputs, output), works too.
    A forward must return one Tensor when it is to be differentiated.
    """

    @staticmethod
    def forward(ctx: FunctionCtx, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("a custom Function must define forward")

    @staticmethod
    def backward(ctx: FunctionCtx, *grad_outputs: Tensor) -> Any:
        raise NotImplementedError("a custom Function must define backward")

    @staticmethod
    def setup_context(ctx: FunctionCtx, inputs: tuple[Any, ...], output: Any) -> None:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        recording = engine.is_grad_enabled() and any(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
        with no_grad():
            if cls.setup_context is Function.setup_context:
                output = cls.forward(ctx, *args, **kwargs)
            else:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, output)
        if not recording:
            return output
        if not isinstance(output, Tensor):
            raise NotImplementedError(
                f"{cls.__name__}.forward returned {type(output).__name__}; a differentiable custom Function here "
                "must return a single Tensor (several outputs are not supported)"
            )
        ctx.is_tensor_input = tuple(isinstance(a, Tensor) for a in args)  # type: ignore[attr-defined]
        node = cls.__dict__.get("_engine_node")
        if node is None:
            node = type(cls.__name__, (_UserFunctionNode,), {"user": cls})
            cls._engine_node = node  # type: ignore[attr-defined]
        if output.array.dtype.kind != "f":
            return output
        return node.apply(*(a for a in args if isinstance(a, Tensor)), user_ctx=ctx, output=output.array)


# ----- torch.autograd.grad ---------------------------------------------------------------------
def grad(outputs: Tensor | Sequence[Tensor], inputs: Tensor | Sequence[Tensor],
         grad_outputs: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
         allow_unused: bool | None = None, materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """The gradients of `outputs` with respect to `inputs`, returned (not added into `.grad`).

    create_graph=True (gradients that can be differentiated again) is not supported: backward
    functions here compute on NumPy arrays without recording.
    """
    if create_graph:
        raise NotImplementedError("autograd.grad(create_graph=True): higher-order gradients are not supported; "
                                  "backward functions work on NumPy arrays and record no graph")
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is None:
        seeds: list[Any] = [None] * len(outputs)
    else:
        seeds = [grad_outputs] if isinstance(grad_outputs, Tensor) else list(grad_outputs)
    for i, t in enumerate(inputs):
        if not t.requires_grad:
            raise RuntimeError(f"autograd.grad: input {i} (shape {t.shape}) does not require grad")
    found = engine.backpropagate(outputs, seeds, bool(retain_graph), inputs=inputs)
    result: list[Tensor | None] = []
    for i, (t, g) in enumerate(zip(inputs, found or (), strict=True)):
        if g is None and not (allow_unused or materialize_grads):
            raise RuntimeError(f"autograd.grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                               "pass allow_unused=True to get None for it")
        if g is None:
            result.append(Tensor._make(np.zeros_like(t.array), False) if materialize_grads else None)
        else:
            result.append(Tensor._make(np.array(g, dtype=t.array.dtype), False))
    return tuple(result)


# ----- anomaly detection -----------------------------------------------------------------------
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
                raise RuntimeError(f"Function '{ctx.function.__name__}Backward' returned {kind} values in its "
                                   f"{i}th output.\n{_where(ctx)}")


_current_mode: _AnomalyMode | None = None
_observer: engine.RemovableHandle | None = None


def _after_backward(ctx: Context, grad_output: np.ndarray, input_grads: list[np.ndarray | None]) -> None:
    if _current_mode is not None:
        _current_mode.after_backward(ctx, grad_output, input_grads)


def _set_mode(mode: _AnomalyMode | None) -> None:
    """Make `mode` (None: off) the anomaly mode: the engine's forward hook and one backward observer."""
    global _current_mode, _observer
    _current_mode = mode
    engine._anomaly_hook = mode.after_forward if mode is not None else None
    if mode is not None and _observer is None:
        _observer = engine.observe_backward(_after_backward)
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


__all__ = ["Function", "FunctionCtx", "detect_anomaly", "grad", "gradcheck", "is_anomaly_enabled",
           "set_detect_anomaly"]
