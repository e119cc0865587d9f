"""Hooks: the handles that remove them (PyTorch's torch.utils.hooks.RemovableHandle) and the calls that the
engine's backward walk makes to the hooks of a tensor (`Tensor.register_hook`) and of a node
(`grad_fn.register_prehook` / `register_hook`). Gradients are NumPy arrays here and Tensors for the hooks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np


class RemovableHandle:
    """Returned by the register_*_hook methods; `remove()` takes the hook out again."""

    def __init__(self, hooks: list, hook: Any):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class NodeHooks:
    """What a graph node holds once it has hooks or metadata (most nodes never do)."""

    __slots__ = ("pre", "post", "metadata")

    def __init__(self) -> None:
        self.pre: list[Callable[..., Any]] = []
        self.post: list[Callable[..., Any]] = []
        self.metadata: dict[Any, Any] = {}


def _replacement(hook: Callable[..., Any], result: Any, old: np.ndarray) -> np.ndarray:
    """The array of a hook's returned gradient, which must keep the shape and dtype of the one it replaces."""
    new = np.asarray(getattr(result, "array", result))
    name = getattr(hook, "__name__", repr(hook))
    if new.shape != old.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value: it returned shape {new.shape} "
                           f"for a gradient of shape {old.shape}")
    if new.dtype != old.dtype:
        raise RuntimeError(f"hook '{name}' has changed the type of value (was {old.dtype} got {new.dtype})")
    return new


def call_tensor_hooks(hooks: list[Callable[[Any], Any]], grad: np.ndarray,
                      wrap: Callable[[np.ndarray, bool], Any]) -> np.ndarray:
    """hook(grad) for each hook in order; a hook that returns a Tensor replaces the gradient for the next ones."""
    for hook in tuple(hooks):
        result = hook(wrap(grad, False))
        if result is not None:
            grad = _replacement(hook, result, grad)
    return grad


def call_node_hooks(hooks: list[Callable[..., Any]], grads: Sequence[np.ndarray | None],
                    grad_output: np.ndarray | None, wrap: Callable[[np.ndarray, bool], Any]
                    ) -> list[np.ndarray | None]:
    """A node's pre-hooks, hook(grad_outputs) (grad_output None), or its hooks, hook(grad_inputs, grad_outputs):
    each gets tuples of Tensors (None where there is no gradient); one that returns a tuple replaces `grads`."""
    grads = list(grads)
    for hook in tuple(hooks):
        tensors = tuple(None if g is None else wrap(g, False) for g in grads)
        result = hook(tensors) if grad_output is None else hook(tensors, (wrap(grad_output, False),))
        if result is None:
            continue
        if not isinstance(result, tuple | list) or len(result) != len(grads):
            raise RuntimeError(f"hook '{getattr(hook, '__name__', hook)}' returned {result!r}; a node hook returns "
                               f"None or a tuple of {len(grads)} gradients")
        grads = [None if new is None else np.asarray(getattr(new, "array", new)) if old is None
                 else _replacement(hook, new, old) for new, old in zip(result, grads, strict=True)]
    return grads
