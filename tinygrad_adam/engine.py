"""The engine: Tensor, Function/Context, grad mode, unbroadcast and backward, in one file.

A `Tensor` wraps a NumPy array (`.array`) and remembers the `Function` that made it.
Every op is a `Function` with `forward` and `backward` on NumPy arrays:

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

`Tensor.backward()` walks the graph of recorded ops in reverse topological order
(computed with an explicit stack, so a chain of 100,000 ops is fine), calls each
op's backward once with the sum of the gradients that reached it, reduces a
broadcast gradient back to its input's shape (`unbroadcast`, the one place that
does it), and adds the result into `.grad` of the leaves that require a gradient.

The primitive ops live in ops.py, imported at the end of this file: ops.py needs
`Function`, and `Tensor`'s methods need ops, so the two files form one loop that
works whichever is imported first.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

_default_rng = np.random.default_rng()


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the generator that `Tensor.randn`/`uniform` and the nn initialisers use by default."""
    global _default_rng
    _default_rng = np.random.default_rng(seed)
    return _default_rng


def default_rng() -> np.random.Generator:
    """The library's shared random generator (see `manual_seed`)."""
    return _default_rng


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if isinstance(data, Tensor):
        data = data.array
    if dtype is not None:
        array = np.array(data, dtype=dtype)
    elif isinstance(data, np.ndarray | np.generic):
        array = np.array(data)
    else:  # Python numbers and lists: floats become float32, as in PyTorch
        array = np.array(data)
        if array.dtype == np.float64:
            array = array.astype(np.float32)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"Tensor: data must be numeric (bool, int or float), got dtype {array.dtype} "
            f"from {type(data).__name__}"
        )
    return array


def _shape_arg(shape: tuple[Any, ...]) -> tuple[int, ...]:
    """Accept both f(2, 3) and f((2, 3)), as NumPy's reshape does."""
    if len(shape) == 1 and isinstance(shape[0], Sequence | np.ndarray):
        return tuple(int(n) for n in shape[0])
    return tuple(int(n) for n in shape)


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


class RemovableHandle:
    """Returned by the register_*_hook methods; `remove()` takes the hook out again."""

    def __init__(self, hooks: list, hook: Any):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


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

    __slots__ = ("function", "parents", "needs_input_grad", "saved_tensors", "recording", "freed", "__dict__")

    def __init__(self, function: type[Function], parents: tuple[Tensor, ...], recording: bool):
        self.function = function
        self.parents = parents
        self.needs_input_grad = tuple(p.requires_grad for p in parents) if recording else ()
        self.saved_tensors: tuple[Any, ...] = ()
        self.recording = recording  # False: no input requires grad, or inside no_grad(); nothing is saved
        self.freed = False  # True once backward has dropped the saved arrays

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; a no-op when nothing is being recorded."""
        if self.recording:
            self.saved_tensors = arrays

    def release(self) -> None:
        """Drop the saved arrays (and any attributes backward stored on the context)."""
        self.saved_tensors = ()
        self.__dict__.clear()
        self.freed = True

    def run_backward(self, grad: np.ndarray) -> list[np.ndarray | None]:
        """Call the op's backward and return one gradient per parent, reduced to its shape."""
        name = self.function.__name__
        if self.freed:
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
        arrays = [a.array if isinstance(a, Tensor) else a for a in args]
        try:
            data = cls.forward(ctx, *arrays, **kwargs)
        except (ValueError, IndexError) as e:
            shapes = ", ".join(str(p.shape) for p in parents)
            raise type(e)(f"{cls.__name__}: cannot apply to inputs of shapes {shapes}: {e}") from e
        out = Tensor._make(np.asarray(data), recording)
        if recording:
            out._ctx = ctx
        return out


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    `array` is the NumPy array that holds the values (float data defaults to
    float32; float64 arrays stay float64). As in PyTorch, `data` is the same
    values as a Tensor cut off from the graph, and `grad` is None or a Tensor
    of this shape with no history; gradients add up over backward calls until
    reset to None or zeroed.
    """

    __slots__ = ("array", "grad", "requires_grad", "_ctx", "_retains_grad", "_post_accumulate_grad_hooks",
                 "__weakref__")
    __array_ufunc__ = None  # make `ndarray * Tensor` call Tensor.__rmul__ instead of converting

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None):
        self.array = _to_array(data, dtype)
        self.grad: Tensor | None = None
        self.requires_grad = False
        self._ctx: Context | None = None
        self._retains_grad = False
        self._post_accumulate_grad_hooks: list[Callable[[Tensor], None]] | None = None
        if requires_grad:
            self.requires_grad_()

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool) -> Tensor:
        """Wrap an op's output without copying or checking it (the engine's hot path)."""
        t = cls.__new__(cls)
        t.array, t.grad, t.requires_grad, t._ctx, t._retains_grad = array, None, requires_grad, None, False
        t._post_accumulate_grad_hooks = None
        return t

    @property
    def data(self) -> Tensor:
        """The same values as a Tensor that shares this memory and is detached from the graph."""
        return Tensor._make(self.array, False)

    @data.setter
    def data(self, value: Tensor) -> None:
        self.array = value.array if isinstance(value, Tensor) else _to_array(value, None)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.array.dtype:
            return self.array.astype(dtype)
        return np.array(self.array, copy=True) if copy else np.asarray(self.array)

    # ----- properties -------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.array.shape

    @property
    def dtype(self) -> np.dtype:
        return self.array.dtype

    @property
    def ndim(self) -> int:
        return self.array.ndim

    @property
    def size(self) -> int:
        return self.array.size

    @property
    def T(self) -> Tensor:  # noqa: N802 - the NumPy / PyTorch name
        return self.transpose()

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    def __len__(self) -> int:
        return len(self.array)

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.array

    def item(self) -> float | int | bool:
        if self.array.size != 1:
            raise ValueError(f"item(): only a one-element tensor converts to a Python number, shape is {self.shape}")
        return self.array.item()

    def tolist(self) -> Any:
        return self.array.tolist()

    def detach(self) -> Tensor:
        """A new leaf Tensor sharing this data, cut off from the graph."""
        return Tensor._make(self.array, False)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self.array.dtype.kind != "f":
            raise TypeError(
                f"only floating-point tensors can require gradients, this one has dtype {self.array.dtype}"
            )
        self.requires_grad = requires_grad
        return self

    def retain_grad(self) -> Tensor:
        """Keep `.grad` on this non-leaf tensor after backward (leaves always keep it)."""
        self._retains_grad = True
        return self

    def astype(self, dtype: Any) -> Tensor:
        return ops.Cast.apply(self, dtype=np.dtype(dtype))

    def float(self) -> Tensor:
        return self.astype(np.float32)

    def double(self) -> Tensor:
        return self.astype(np.float64)

    def __repr__(self) -> str:
        body = np.array2string(self.array, separator=", ", precision=4, prefix="Tensor(")
        extra = f", dtype={self.dtype}"
        if self._ctx is not None:
            extra += f", op={self._ctx.function.__name__}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    # ----- constructors -----------------------------------------------------------------------
    @staticmethod
    def zeros(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
        return Tensor(np.zeros(_shape_arg(shape), dtype=dtype), requires_grad=requires_grad)

    @staticmethod
    def ones(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
        return Tensor(np.ones(_shape_arg(shape), dtype=dtype), requires_grad=requires_grad)

    @staticmethod
    def randn(*shape: Any, dtype: Any = np.float32, requires_grad: bool = False,
              rng: np.random.Generator | None = None) -> Tensor:
        """Standard normal samples, from `rng` or the library generator (see `manual_seed`)."""
        rng = rng if rng is not None else _default_rng
        return Tensor(rng.standard_normal(_shape_arg(shape)).astype(dtype), requires_grad=requires_grad)

    @staticmethod
    def uniform(*shape: Any, low: float = 0.0, high: float = 1.0, dtype: Any = np.float32,
                requires_grad: bool = False, rng: np.random.Generator | None = None) -> Tensor:
        rng = rng if rng is not None else _default_rng
        data = rng.uniform(low, high, _shape_arg(shape)).astype(dtype)
        return Tensor(data, requires_grad=requires_grad)

    @staticmethod
    def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
               requires_grad: bool = False) -> Tensor:
        data = np.arange(start, stop, step) if stop is not None else np.arange(start)
        if dtype is None and data.dtype == np.float64:
            dtype = np.float32
        return Tensor(data, requires_grad=requires_grad, dtype=dtype)

    @staticmethod
    def eye(n: int, m: int | None = None, dtype: Any = np.float32, requires_grad: bool = False) -> Tensor:
        return Tensor(np.eye(n, m, dtype=dtype), requires_grad=requires_grad)

    # ----- the engine -------------------------------------------------------------------------
    def backward(self, grad: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into `.grad` of every leaf that requires a gradient.

        A scalar (one-element) output is seeded with 1; any other output needs
        `grad` of its own shape. Unless `retain_graph`, the arrays saved for
        backward are freed, and a second backward through this graph raises.
        """
        if not self.requires_grad:
            raise RuntimeError("backward(): this tensor does not require grad and has no graph behind it")
        if grad is None:
            if self.array.size != 1:
                raise RuntimeError(
                    f"backward(): grad can be omitted only for a scalar output; this output has shape "
                    f"{self.shape}. Pass grad= an array of that shape, or reduce it first (e.g. .sum())."
                )
            seed = np.ones_like(self.array)
        else:
            seed = np.asarray(grad.array if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if seed.shape != self.shape:
                raise ValueError(f"backward(): grad has shape {seed.shape} but the output has shape {self.shape}")

        grads: dict[int, np.ndarray] = {id(self): seed}
        for node in self._topological_order():
            g = grads.pop(id(node), None)
            if g is None:
                continue
            ctx = node._ctx
            if ctx is None or node._retains_grad:
                node._accumulate_grad(g)
            if ctx is None:
                continue
            parent_grads = ctx.run_backward(g)
            for observer in _backward_observers:
                observer(ctx, g, parent_grads)
            for parent, pg in zip(ctx.parents, parent_grads, strict=True):
                if pg is None:
                    continue
                key = id(parent)
                grads[key] = pg if key not in grads else grads[key] + pg
            if not retain_graph:
                ctx.release()

    def _accumulate_grad(self, g: np.ndarray) -> None:
        """Add g into `.grad` (the first gradient is copied: g may be shared), then run the hooks."""
        if self.grad is None:
            self.grad = Tensor._make(g.astype(self.dtype, copy=True), False)
        else:
            self.grad.array = self.grad.array + g
        for hook in self._post_accumulate_grad_hooks or ():
            hook(self)

    def register_post_accumulate_grad_hook(self, hook: Callable[[Tensor], None]) -> RemovableHandle:
        """Call hook(tensor) each time backward has added a gradient into this leaf's `.grad`."""
        if self._ctx is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._post_accumulate_grad_hooks is None:
            self._post_accumulate_grad_hooks = []
        self._post_accumulate_grad_hooks.append(hook)
        return RemovableHandle(self._post_accumulate_grad_hooks, hook)

    def _topological_order(self) -> list[Tensor]:
        """Nodes that need a gradient, each after every node that uses it (output first)."""
        order: list[Tensor] = []
        visited: set[int] = set()
        stack: list[tuple[Tensor, bool]] = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                order.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            if node._ctx is not None:
                for parent in node._ctx.parents:
                    if parent.requires_grad and id(parent) not in visited:
                        stack.append((parent, False))
        order.reverse()
        return order

    # ----- arithmetic -------------------------------------------------------------------------
    def _lift(self, other: Any) -> Tensor:
        """Python numbers and arrays become constant Tensors, floats in this tensor's dtype."""
        if isinstance(other, Tensor):
            return other
        array = np.asarray(other)
        if self.array.dtype.kind == "f" and array.dtype.kind in "biuf":
            array = array.astype(self.array.dtype, copy=False)
        return Tensor._make(array, False)

    def __add__(self, other: Any) -> Tensor:
        return ops.Add.apply(self, self._lift(other))

    def __radd__(self, other: Any) -> Tensor:
        return ops.Add.apply(self._lift(other), self)

    def __sub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(self, self._lift(other))

    def __rsub__(self, other: Any) -> Tensor:
        return ops.Sub.apply(self._lift(other), self)

    def __mul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(self, self._lift(other))

    def __rmul__(self, other: Any) -> Tensor:
        return ops.Mul.apply(self._lift(other), self)

    def __truediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(self, self._lift(other))

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.Div.apply(self._lift(other), self)

    def __neg__(self) -> Tensor:
        return ops.Neg.apply(self)

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, Tensor):
            return ops.Pow.apply(self, exponent)
        return ops.PowScalar.apply(self, exponent=float(exponent))

    def __rpow__(self, base: Any) -> Tensor:
        return ops.Pow.apply(self._lift(base), self)

    def __matmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(self, self._lift(other))

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(self._lift(other), self)

    def matmul(self, other: Any) -> Tensor:
        return self @ other

    # comparisons give boolean tensors outside the graph (== stays identity, so Tensors hash)
    def __lt__(self, other: Any) -> Tensor:
        return Tensor._make(self.array < self._lift(other).array, False)

    def __le__(self, other: Any) -> Tensor:
        return Tensor._make(self.array <= self._lift(other).array, False)

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._make(self.array > self._lift(other).array, False)

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._make(self.array >= self._lift(other).array, False)

    # ----- reductions -------------------------------------------------------------------------
    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return ops.Sum.apply(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return ops.Mean.apply(self, axis=axis, keepdims=keepdims)

    def max(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return ops.Max.apply(self, axis=axis, keepdims=keepdims)

    def min(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return -ops.Max.apply(-self, axis=axis, keepdims=keepdims)

    def var(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, ddof: int = 0) -> Tensor:
        """Variance as NumPy computes it (ddof=0 by default; PyTorch's default is ddof=1)."""
        return ops.Var.apply(self, axis=axis, keepdims=keepdims, ddof=ddof)

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
        return np.argmax(self.array, axis=axis, keepdims=keepdims)

    def argmin(self, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
        return np.argmin(self.array, axis=axis, keepdims=keepdims)

    # ----- elementwise ------------------------------------------------------------------------
    def exp(self) -> Tensor:
        return ops.Exp.apply(self)

    def log(self) -> Tensor:
        return ops.Log.apply(self)

    def sqrt(self) -> Tensor:
        return ops.Sqrt.apply(self)

    def abs(self) -> Tensor:
        return ops.Abs.apply(self)

    def tanh(self) -> Tensor:
        return ops.Tanh.apply(self)

    def sigmoid(self) -> Tensor:
        return ops.Sigmoid.apply(self)

    def relu(self) -> Tensor:
        return ops.ReLU.apply(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        return ops.LeakyReLU.apply(self, negative_slope=negative_slope)

    def clip(self, min: float | None = None, max: float | None = None) -> Tensor:  # noqa: A002
        return ops.Clip.apply(self, low=min, high=max)

    def maximum(self, other: Any) -> Tensor:
        return ops.Maximum.apply(self, self._lift(other))

    def minimum(self, other: Any) -> Tensor:
        return -ops.Maximum.apply(-self, -self._lift(other))

    def softmax(self, axis: int = -1) -> Tensor:
        return ops.Softmax.apply(self, axis=axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        return ops.LogSoftmax.apply(self, axis=axis)

    def logsumexp(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        return ops.LogSumExp.apply(self, axis=axis, keepdims=keepdims)

    # ----- movement ---------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        return ops.Reshape.apply(self, shape=_shape_arg(shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dims start_dim..end_dim into one (PyTorch's flatten)."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_dim % self.ndim, end_dim % self.ndim
        merged = int(np.prod(self.shape[start:end + 1]))
        return self.reshape(self.shape[:start] + (merged,) + self.shape[end + 1:])

    def transpose(self, *axes: Any) -> Tensor:
        """Reverse the axes, or permute them as given (NumPy's transpose)."""
        order = _shape_arg(axes) if axes else tuple(reversed(range(self.ndim)))
        return ops.Permute.apply(self, order=order)

    def permute(self, *axes: Any) -> Tensor:
        return ops.Permute.apply(self, order=_shape_arg(axes))

    def squeeze(self, axis: int | tuple[int, ...] | None = None) -> Tensor:
        shape = np.squeeze(np.empty(self.shape, dtype=np.uint8), axis=axis).shape
        return self.reshape(shape)

    def unsqueeze(self, axis: int) -> Tensor:
        return self.reshape(np.expand_dims(np.empty(self.shape, dtype=np.uint8), axis).shape)

    def expand(self, *shape: Any) -> Tensor:
        """Broadcast to `shape` (-1 keeps a dimension), as torch.Tensor.expand."""
        target = _shape_arg(shape)
        offset = len(target) - self.ndim
        target = tuple(self.shape[i - offset] if n == -1 else n for i, n in enumerate(target))
        return ops.Expand.apply(self, shape=target)

    def pad(self, pad_width: Any, value: float = 0.0) -> Tensor:
        """Constant padding with NumPy's pad_width convention."""
        return ops.Pad.apply(self, pad_width=pad_width, value=value)

    def __getitem__(self, index: Any) -> Tensor:
        return ops.GetItem.apply(self, index=_plain_index(index))


def _plain_index(index: Any) -> Any:
    """Replace Tensors inside an index by their arrays."""
    if isinstance(index, Tensor):
        return index.array
    if isinstance(index, tuple):
        return tuple(i.array if isinstance(i, Tensor) else i for i in index)
    return index


def concatenate(tensors: Iterable[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (np.concatenate)."""
    return ops.Concatenate.apply(*tensors, axis=axis)


def stack(tensors: Iterable[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along a new axis (np.stack)."""
    return ops.Stack.apply(*tensors, axis=axis)


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """Elements of x where condition holds, else of y; differentiable in x and y."""
    cond = condition.array if isinstance(condition, Tensor) else np.asarray(condition)
    ref = x if isinstance(x, Tensor) else y if isinstance(y, Tensor) else Tensor(x)
    return ops.Where.apply(ref._lift(x), ref._lift(y), condition=cond.astype(bool))


def maximum(a: Tensor, b: Any) -> Tensor:
    return a.maximum(b)


def minimum(a: Tensor, b: Any) -> Tensor:
    return a.minimum(b)



from . import ops  # noqa: E402  (the loop described in the module docstring)
