"""The one way to define a differentiable op: a `Function` with `forward` and `backward`.

A Function works on NumPy arrays. `forward(ctx, *arrays, **options)` computes the
output and saves what backward needs with `ctx.save_for_backward(...)`;
`backward(ctx, grad_output)` returns one gradient per Tensor input (or None).

    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    y = Square.apply(t)

The engine, not each op, reduces a broadcast gradient back to its input's shape
(`unbroadcast`), so `backward` may return a gradient of the output's shape.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from .tensor import Tensor

_grad_enabled = True


def is_grad_enabled() -> bool:
    """True unless inside `no_grad()`."""
    return _grad_enabled


class no_grad(contextlib.ContextDecorator):
    """Context manager and decorator: inside it no op records a graph or saves arrays."""

    def __enter__(self) -> no_grad:
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = False
        return self

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._previous


class enable_grad(contextlib.ContextDecorator):
    """Re-enable recording inside a `no_grad()` block."""

    def __enter__(self) -> enable_grad:
        global _grad_enabled
        self._previous = _grad_enabled
        _grad_enabled = True
        return self

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._previous


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum `grad` over the axes that broadcasting added or stretched, so it has `shape`.

    Works for any ranks: leading axes that the input lacked are summed away, and
    axes where the input had size 1 are summed with keepdims.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0:
        raise ValueError(f"cannot reduce a gradient of shape {grad.shape} to the larger shape {shape}")
    stretched = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if extra:
        grad = grad.sum(axis=tuple(range(extra)))
    if stretched:
        grad = grad.sum(axis=tuple(a - extra for a in stretched), keepdims=True)
    return grad.reshape(shape)


class Context:
    """What one application of a Function remembers for its backward pass."""

    __slots__ = ("function", "parents", "needs_input_grad", "saved_tensors", "released", "__dict__")

    def __init__(self, function: type[Function], parents: tuple[Tensor, ...], recording: bool):
        self.function = function
        self.parents = parents
        self.needs_input_grad = tuple(p.requires_grad for p in parents) if recording else ()
        self.saved_tensors: tuple[Any, ...] = ()
        self.released = not recording

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; a no-op when nothing is being recorded."""
        if not self.released:
            self.saved_tensors = arrays

    def release(self) -> None:
        """Drop the saved arrays (and any attributes backward stored on the context)."""
        self.saved_tensors = ()
        self.__dict__.clear()
        self.released = True

    def run_backward(self, grad: np.ndarray) -> list[np.ndarray | None]:
        """Call the op's backward and return one gradient per parent, reduced to its shape."""
        name = self.function.__name__
        if self.released:
            raise RuntimeError(
                f"backward through {name} a second time: its saved arrays were freed after the first "
                "backward. Pass retain_graph=True to the first backward() to keep them."
            )
        grads = self.function.backward(self, grad)
        if not isinstance(grads, tuple | list):
            grads = (grads,)
        if len(grads) != len(self.parents):
            raise RuntimeError(
                f"{name}.backward returned {len(grads)} gradients for {len(self.parents)} Tensor inputs"
            )
        out: list[np.ndarray | None] = []
        for i, (parent, g) in enumerate(zip(self.parents, grads, strict=True)):
            if g is None or not parent.requires_grad:
                out.append(None)
                continue
            g = np.asarray(g)
            try:
                g = unbroadcast(g, parent.shape)
            except ValueError as e:
                raise RuntimeError(
                    f"{name}.backward returned a gradient of shape {g.shape} for input {i} of shape "
                    f"{parent.shape}"
                ) from e
            out.append(g)
        return out


class Function:
    """Base class of every differentiable op; subclass it and call `.apply(...)`."""

    @staticmethod
    def forward(ctx: Context, *args: Any, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad_output: np.ndarray) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Tensor:
        """Run forward on the arrays of the Tensor arguments and record the op if needed.

        Positional Tensor arguments are the op's differentiable inputs; every
        other argument is passed to forward unchanged.
        """
        parents = tuple(a for a in args if isinstance(a, Tensor))
        recording = _grad_enabled and any(p.requires_grad for p in parents)
        ctx = Context(cls, parents, recording)
        arrays = [a.data if isinstance(a, Tensor) else a for a in args]
        try:
            data = cls.forward(ctx, *arrays, **kwargs)
        except (ValueError, IndexError) as e:
            shapes = ", ".join(str(p.shape) for p in parents)
            raise type(e)(f"{cls.__name__}: cannot apply to inputs of shapes {shapes}: {e}") from e
        out = Tensor._make(np.asarray(data), recording)
        if recording:
            out._ctx = ctx
        return out
