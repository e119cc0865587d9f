"""The engine: the graph node (Context), the op base class (Op) and the one backward walk. No Tensor in it.

An op is a subclass of `Op` with `forward` and `backward` on NumPy arrays, side by side:

    class Square(Op):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return 2 * x * grad

`Square.apply(t)` runs forward on the arrays of its Tensor arguments and, when one of them requires a gradient and
grad mode is on, records a `Context` on the output. `backpropagate` walks the recorded nodes in reverse topological
order (an explicit stack), calls each op's backward once with the sum of the gradients that reached it, reduces a
broadcast gradient to its input's shape (`unbroadcast`, the one place that does it) and gives it its input's dtype,
runs the hooks where PyTorch runs them, and hands each leaf its gradient. It works on any object with the Tensor's
graph state (`array`, `requires_grad`, `_ctx`, `_version`, ...): core/tensor.py registers the Tensor class with
`register_tensor_class`, so that ops make Tensors without this file importing it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import checks, grad_mode
from .hooks import RemovableHandle, call_node_hooks, call_tensor_hooks

if TYPE_CHECKING:
    from .tensor import Tensor

_tensor_class: Any = None


def register_tensor_class(cls: type) -> None:
    """Called once by core/tensor.py: ops take instances of `cls` as inputs and give them as outputs."""
    global _tensor_class
    _tensor_class = cls


# Set by autograd.detect_anomaly(): called as hook(ctx, output, recording) after every op's forward.
_anomaly_hook: Callable[[Context, Tensor, bool], None] | None = None
_backward_observers: list[Callable[[Context, np.ndarray, list[np.ndarray | None]], None]] = []


def observe_backward(observer: Callable[[Context, np.ndarray, list[np.ndarray | None]], None]) -> RemovableHandle:
    """Call observer(ctx, grad_output, input_grads) after each node's backward, in the engine's order.

    The backward trace (viz) and anomaly detection are built on this; nothing runs when no observer is set.
    """
    _backward_observers.append(observer)
    return RemovableHandle(_backward_observers, observer)


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

    __slots__ = ("function", "parents", "needs_input_grad", "saved_tensors", "recording", "freed", "versions",
                 "output_version", "kwargs", "hooks", "sequence_nr", "__dict__")
    _created = itertools.count()

    def __init__(self, function: type[Op], parents: tuple[Tensor, ...], recording: bool,
                 kwargs: dict[str, Any] | None = None):
        self.function = function
        self.parents = parents
        self.kwargs = kwargs  # the op's other arguments, which PyTorch's name for the node may depend on
        self.hooks: Any = None  # a hooks.NodeHooks once grad_fn.register_hook / register_prehook is called
        self.needs_input_grad = tuple(p.requires_grad for p in parents) if recording else ()
        self.saved_tensors: tuple[Any, ...] = ()
        self.recording = recording  # False: no input requires grad, or inside no_grad(); nothing is saved
        self.freed = False  # True once backward has dropped the saved arrays
        # the in-place version of each parent and of the output when the op ran (see Tensor._version)
        self.versions = [p._version for p in parents] if recording else []
        self.output_version = 0
        self.sequence_nr = next(Context._created)  # backward runs later ops first: sums round as PyTorch's

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; a no-op when nothing is being recorded."""
        if self.recording:
            self.saved_tensors = arrays

    def release(self) -> None:
        """Drop the saved arrays (and any attributes backward stored on the context)."""
        self.saved_tensors = ()
        self.__dict__.clear()
        self.freed = True

    def check_versions(self, output: Tensor) -> None:
        """Refuse to backpropagate through an op whose input or output was modified in place since it ran
        (only an op that reads values in backward: a view or a sum reads none, as in PyTorch)."""
        if not self.function.saves_values:
            return
        if output._version == self.output_version and [p._version for p in self.parents] == self.versions:
            return
        changed = [f"its output {tuple(output.shape)} (version {output._version}, expected {self.output_version})"] \
            if output._version != self.output_version else []
        changed += [f"its input {i} {tuple(p.shape)} (version {p._version}, expected {v})"
                    for i, (p, v) in enumerate(zip(self.parents, self.versions, strict=True)) if p._version != v]
        raise RuntimeError(
            f"one of the tensors needed by {self.function.__name__}Backward has been modified by an in-place "
            f"operation after {self.function.__name__} used it: {'; '.join(changed)}. Its gradient would be "
            "wrong. Modify a .clone() instead, or make the in-place change before the op or after backward()."
        )

    def run_backward(self, grad: np.ndarray, output: Tensor | None = None) -> list[np.ndarray | None]:
        """Call the op's backward and return one gradient per parent, reduced to its shape.

        `output` (the Tensor this op made) is checked for in-place changes, as are the parents.
        """
        name = self.function.__name__
        if self.freed:
            raise RuntimeError(
                f"backward through {name} a second time: its saved arrays were freed after the first "
                "backward. Pass retain_graph=True to the first backward() to keep them."
            )
        if output is not None:
            self.check_versions(output)
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
            out.append(g if g.dtype == parent.array.dtype else g.astype(parent.array.dtype))
        return out


class Op:
    """Base class of every differentiable op; subclass it and call `.apply(...)`."""

    saves_values = True
    """False for an op whose backward reads no value of its inputs or output (views, sums, concatenation):
    changing those in place after it ran leaves its gradient right, so backward does not refuse it."""

    saves_output = False
    """True for an op whose backward reads its output (exp, tanh, sigmoid, ...): changing the output in place
    makes backward refuse the op, as PyTorch does."""

    @staticmethod
    def forward(ctx: Context, *args: Any, **kwargs: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad_output: np.ndarray) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run forward on the arrays of the Tensor arguments and record the op if needed.

        Positional Tensor arguments are the op's differentiable inputs; every
        other argument is passed to forward unchanged.
        """
        parents = tuple(a for a in args if isinstance(a, _tensor_class))
        recording = grad_mode.recording and any(p.requires_grad for p in parents)
        ctx = Context(cls, parents, recording, kwargs)
        arrays = [a.array if isinstance(a, _tensor_class) else a for a in args]
        try:
            data = cls.forward(ctx, *arrays, **kwargs)
        except (ValueError, IndexError) as e:
            raise checks.translate(cls.__name__, [p.array.shape for p in parents], e) from e
        out = _tensor_class._make(np.asarray(data), recording)
        if recording:
            out._ctx = ctx
        if _anomaly_hook is not None:
            _anomaly_hook(ctx, out, recording)
        return out


def backpropagate(outputs: Sequence[Tensor], seeds: Sequence[Any], retain_graph: bool,
                  inputs: Sequence[Tensor] | None = None) -> list[np.ndarray | None] | None:
    """The backward pass from `outputs`, seeded with `seeds` (None means 1 for a one-element output).

    Without `inputs`, gradients are added into `.grad` of the leaves (Tensor.backward). With
    `inputs`, nothing is accumulated: the total gradient reaching each input is returned
    (autograd.grad), None for an input the outputs do not depend on.
    """
    grads: dict[int, np.ndarray] = {}
    for out, seed in zip(outputs, seeds, strict=True):
        if not out.requires_grad:
            raise RuntimeError("backward(): this tensor does not require grad and has no graph behind it")
        if seed is None:
            if out.array.size != 1:
                raise RuntimeError(
                    f"backward(): grad can be omitted only for a scalar output; this output has shape "
                    f"{out.shape}. Pass a gradient of that shape, or reduce it first (e.g. .sum())."
                )
            seed = np.ones_like(out.array)
        else:
            seed = np.asarray(seed.array if isinstance(seed, _tensor_class) else seed, dtype=out.array.dtype)
            if seed.shape != out.shape:
                raise ValueError(f"backward(): grad has shape {seed.shape} but the output has shape {out.shape}")
        key = id(out)
        grads[key] = seed if key not in grads else grads[key] + seed

    wanted = {id(t): i for i, t in enumerate(inputs)} if inputs is not None else None
    found: list[np.ndarray | None] = [None] * len(inputs) if inputs is not None else []
    for node in _topological_order(outputs):
        g = grads.pop(id(node), None)
        if g is None:
            continue
        if node._backward_hooks is not None:
            g = call_tensor_hooks(node._backward_hooks, g, _tensor_class._make)
        ctx = node._ctx
        if wanted is not None:
            if id(node) in wanted:
                found[wanted[id(node)]] = g
        elif ctx is None or node._retains_grad:
            node._accumulate_grad(g)
        if ctx is None:
            continue
        hooks = ctx.hooks
        if hooks is not None and hooks.pre:
            g = call_node_hooks(hooks.pre, (g,), None, _tensor_class._make)[0]
        parent_grads = ctx.run_backward(g, node)
        if hooks is not None and hooks.post:
            parent_grads = call_node_hooks(hooks.post, parent_grads, g, _tensor_class._make)
        for observer in _backward_observers:
            observer(ctx, g, parent_grads)
        for parent, pg in zip(_parents(ctx), parent_grads, strict=True):
            if pg is None:
                continue
            key = id(parent)
            grads[key] = pg if key not in grads else grads[key] + pg
        if not retain_graph:
            ctx.release()
    return found if inputs is not None else None


def _parents(ctx: Context) -> tuple[Tensor, ...]:
    """The graph nodes an op read: for an op that saved no value (a view, a sum), the node of a tensor's value
    before later in-place changes (`_before`), as PyTorch routes it; one that saved values is refused instead."""
    parents = ctx.parents
    if ctx.function.saves_values or all(p._version == v for p, v in zip(parents, ctx.versions, strict=False)):
        return parents
    found = []
    for node, version in zip(parents, ctx.versions, strict=True):
        while node._version != version and getattr(node, "_before", None) is not None:
            node = node._before
        found.append(node)
    return tuple(found)


def _topological_order(roots: Sequence[Tensor]) -> list[Tensor]:
    """Nodes that need a gradient in PyTorch's order: the op made last first, a leaf after the first op using it."""
    found: dict[int, list[Any]] = {}  # id: [2 * sequence number (+ 1 for an op's output), node]
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node._ctx is None:
            found.setdefault(id(node), [-1, node])  # a leaf that no op uses (an output): last
        elif id(node) not in found:
            found[id(node)] = [key := 2 * node._ctx.sequence_nr + 1, node]
            for parent in _parents(node._ctx):
                if parent.requires_grad:
                    if parent._ctx is None:  # a leaf: right after the earliest op that uses it
                        entry = found.setdefault(id(parent), [key, parent])
                        entry[0] = min(entry[0], key - 1)
                    stack.append(parent)
    return [node for _, node in sorted(found.values(), key=lambda entry: entry[0], reverse=True)]
