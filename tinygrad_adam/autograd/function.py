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

It becomes one node of the engine (an `Op` named after the class), so
`y.grad_fn` prints as `<ExpBackward object at 0x...>`, as in PyTorch, and anomaly detection names it. Backward runs
without recording, so higher-order gradients (create_graph=True) are not supported.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import grad_mode
from ..core.engine import Context, Op
from ..core.grad_mode import no_grad
from ..core.tensor import Tensor


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


class _UserFunctionNode(Op):
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
        inputs = len(user_ctx.is_tensor_input)
        if len(grads) > inputs and all(g is None for g in grads[inputs:]):
            grads = grads[:inputs]  # trailing Nones past forward's arguments are ignored, as PyTorch's
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
        recording = grad_mode.recording and any(isinstance(a, Tensor) and a.requires_grad for a in args)
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


def once_differentiable(fn: Callable[..., Any]) -> Callable[..., Any]:
    """torch.autograd.function.once_differentiable: mark a custom Function's backward as not differentiable
    itself. Every backward here runs without recording (no higher-order gradients), so it only runs `fn` so."""

    @functools.wraps(fn)
    def wrapper(ctx: Any, *args: Any) -> Any:
        with no_grad():
            return fn(ctx, *args)

    return wrapper
