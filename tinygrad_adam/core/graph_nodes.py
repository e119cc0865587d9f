"""The graph as PyTorch shows it: `tensor.grad_fn` is the recorded Context, seen as a node of PyTorch's name.

    loss = F.mse_loss(model(x), y)
    print(loss.grad_fn)                                   # <MseLossBackward0 object at 0x...>
    loss.grad_fn.next_functions[0][0]                     # <AddmmBackward0 object at 0x...>
    loss.grad_fn.next_functions[0][0].next_functions[0][0].variable is model.bias   # AccumulateGrad of a leaf

The engine records plain `Context` objects and never needs this file. When a Context is looked at through
`grad_fn` or `next_functions` it becomes an instance of a subclass named as PyTorch names that node
(`MseLossBackward0`, `ConvolutionBackward0`, ...), which adds `name()`, `next_functions`, `register_hook`,
`register_prehook` and `metadata`; it is the same object, so its hooks run in the engine's walk.

A fused op that PyTorch records as several nodes (cross_entropy is NllLoss after LogSoftmax, a linear layer
is Addmm of the bias, the input and the transposed weight) shows those nodes: the ones before its real
inputs are stand-ins (`FusedStage`) that can be read but not hooked. An op named nowhere below shows as
its class name with the suffix Function dropped, plus Backward0; an Op subclass can set its own
PyTorch name in a class attribute `node_name`.
"""

from __future__ import annotations

import weakref
from abc import ABCMeta
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from .engine import Context, Op
from .hooks import NodeHooks, RemovableHandle

if TYPE_CHECKING:
    from .tensor import Tensor

# An edge spec: a parent's index, None (an input that is not a Tensor requiring grad), or a stand-in node
# (name, edge specs) between this node and its inputs.
Edge = int | None | tuple[str, tuple[Any, ...]]

_NAMES = {
    "Add": "AddBackward0", "Sub": "SubBackward0", "Mul": "MulBackward0", "Div": "DivBackward0",
    "Neg": "NegBackward0", "PowScalar": "PowBackward0", "Pow": "PowBackward1", "Clone": "CloneBackward0",
    "Cast": "ToCopyBackward0", "ReLU": "ReluBackward0", "LeakyReLU": "LeakyReluBackward0",
    "Clip": "ClampBackward1", "Reshape": "ViewBackward0", "Permute": "PermuteBackward0",
    "Pad": "ConstantPadNdBackward0",
    "Concatenate": "CatBackward0", "MaxAlongDim": "MaxBackward0", "LogSumExp": "LogsumexpBackward0",
    "SetItem": "CopySlices", "NLLLossOp": "NllLossBackward0", "MSELossOp": "MseLossBackward0",
    "MaxPool2dOp": "MaxPool2DWithIndicesBackward0", "AvgPool2dOp": "AvgPool2DBackward0",
}


def _reduction(ctx: Context, whole: str, along: str) -> tuple[str, tuple[Edge, ...]]:
    return (whole if ctx.kwargs.get("axis") is None else along), (0,)


def _getitem(ctx: Context) -> tuple[str, tuple[Edge, ...]]:
    """PyTorch applies a basic index part by part; the node shown is that of the last part that does something."""
    index = ctx.kwargs["index"]
    parts = index if isinstance(index, tuple) else (index,)
    if any(isinstance(p, list | np.ndarray) for p in parts):
        return "IndexBackward0", (0,)
    acting = [p for p in parts if p is not Ellipsis and p != slice(None)]
    last = acting[-1] if acting else slice(None)
    name = "UnsqueezeBackward0" if last is None else "SliceBackward0" if isinstance(last, slice) else "SelectBackward0"
    return name, (0,)


def _matmul(ctx: Context) -> tuple[str, tuple[Edge, ...]]:
    a, b = (p.ndim for p in ctx.parents)
    if a <= 2 and b <= 2:
        name = {(2, 2): "MmBackward0", (1, 1): "DotBackward0", (2, 1): "MvBackward0"}.get((a, b))
        return (name, (0, 1)) if name else ("SqueezeBackward4", (("MmBackward0", (("UnsqueezeBackward0", (0,)), 1)),))
    if b <= 2:
        return "UnsafeViewBackward0", (("MmBackward0" if b == 2 else "MvBackward0", (("ViewBackward0", (0,)), 1)),)
    inputs = tuple(("ViewBackward0", (("ExpandBackward0", (i,)),)) for i in (0, 1))
    return "UnsafeViewBackward0", (("BmmBackward0", inputs),)


def _linear(ctx: Context) -> tuple[str, tuple[Edge, ...]]:
    """F.linear in PyTorch: addmm(bias, input, weight.t()) on a 2-D input, viewed from and to 2-D otherwise."""
    flat = ctx.parents[0].ndim == 2
    x: Edge = 0 if flat else ("ViewBackward0", (0,))
    weight_t: Edge = ("TBackward0", (1,))
    gemm = ("AddmmBackward0", (2, x, weight_t)) if len(ctx.parents) == 3 else ("MmBackward0", (x, weight_t))
    return gemm if flat else ("ViewBackward0" if len(ctx.parents) == 3 else "UnsafeViewBackward0", (gemm,))


_LAYOUTS: dict[str, Callable[[Context], tuple[str, tuple[Edge, ...]]]] = {
    "Sum": lambda ctx: _reduction(ctx, "SumBackward0", "SumBackward1"),
    "Mean": lambda ctx: _reduction(ctx, "MeanBackward0", "MeanBackward1"),
    "Max": lambda ctx: _reduction(ctx, "MaxBackward1", "AmaxBackward0"),
    "GetItem": _getitem,
    "MatMul": _matmul,
    "LinearOp": _linear,
    "CrossEntropyOp": lambda ctx: ("NllLossBackward0", (("LogSoftmaxBackward0", (0,)),)),
    "Conv2dOp": lambda ctx: ("ConvolutionBackward0", (0, 1, 2 if len(ctx.parents) == 3 else None)),
    "SpectralConv2dOp": lambda ctx: ("ConvolutionBackward0", (0, 1, 2 if len(ctx.parents) == 3 else None)),
    "BatchNormOp": lambda ctx: ("NativeBatchNormBackward0", (
        0, 1 if ctx.kwargs.get("has_weight") else None,
        1 + bool(ctx.kwargs.get("has_weight")) if ctx.kwargs.get("has_bias") else None)),
}


_VARIANTS: dict[tuple[type, str, str], type] = {}


def renamed(op: type[Op], node_name: str, name: str = "") -> type[Op]:
    """`op`'s math under another of PyTorch's node names (what grad_fn shows), as the class `name` (op's own by
    default); one class per (op, node name)."""
    key = (op, node_name, name or op.__name__)
    if key not in _VARIANTS:
        _VARIANTS[key] = type(key[2], (op,), {"node_name": node_name, "__module__": op.__module__})
    return _VARIANTS[key]


def name_node(t: Tensor, node_name: str) -> Tensor:
    """Show the op that made `t` as PyTorch's node for a whole composite: smooth_l1_loss ends in a mean here,
    PyTorch records one SmoothL1LossBackward0. Its inputs (next_functions) stay those of the last op."""
    if t._ctx is not None:
        t._ctx.function = renamed(t._ctx.function, node_name)
    return t


def _layout(ctx: Context) -> tuple[str, tuple[Edge, ...]]:
    """PyTorch's name for this node and the edges to its inputs (through stand-in nodes where it has them)."""
    function = ctx.function
    user = getattr(function, "user", None)  # a custom autograd.Function: PyTorch names it <Class>Backward
    name = f"{user.__name__}Backward" if user is not None else getattr(function, "node_name", None)
    if name is None:
        layout = _LAYOUTS.get(function.__name__)
        if layout is not None and ctx.kwargs is not None:
            return layout(ctx)
        name = _NAMES.get(function.__name__) or f"{function.__name__.removesuffix('Op')}Backward0"
    return name, tuple(range(len(ctx.parents)))


def node_name(ctx: Context) -> str:
    return _layout(ctx)[0]


class Node(Context, metaclass=ABCMeta):
    """A recorded op as PyTorch's autograd node: `name()`, `next_functions`, hooks and `metadata`.

    torch.autograd.graph.Node: AccumulateGrad and the stand-ins of fused ops are Nodes too (isinstance).
    """

    __slots__ = ()

    def name(self) -> str:
        return _layout(self)[0]

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """(node, 0) per input: the node that made it, AccumulateGrad for a leaf that requires grad, else None."""
        return tuple(_edge(self, spec) for spec in _layout(self)[1])

    def _hooks(self) -> NodeHooks:
        if self.hooks is None:
            self.hooks = NodeHooks()
        return self.hooks

    def register_hook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """fn(grad_inputs, grad_outputs) after this node's backward; a returned tuple replaces grad_inputs."""
        hooks = self._hooks().post
        hooks.append(fn)
        return RemovableHandle(hooks, fn)

    def register_prehook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """fn(grad_outputs) before this node's backward; a returned tuple replaces grad_outputs."""
        hooks = self._hooks().pre
        hooks.append(fn)
        return RemovableHandle(hooks, fn)

    @property
    def metadata(self) -> dict[Any, Any]:
        return self._hooks().metadata

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(_ipython_text(self.name(), self))

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickled (and copied) as the plain Context it is; the named class returns when grad_fn is looked at."""
        _, _, *state = super().__reduce_ex__(protocol)
        return (_plain_context, (), *state)


def _plain_context() -> Context:
    return Context.__new__(Context)


_node_classes: dict[str, type[Node]] = {}


def as_node(ctx: Context) -> Node:
    """The Context itself, now an instance of the Node subclass that carries PyTorch's name for it."""
    name = _layout(ctx)[0]
    cls = _node_classes.get(name)
    if cls is None:
        cls = _node_classes[name] = type(name, (Node,), {"__slots__": (), "__module__": __name__})
    if ctx.__class__ is not cls:
        ctx.__class__ = cls
    return ctx  # type: ignore[return-value]


def _ipython_text(name: str, node: object) -> str:
    """How IPython and Jupyter show PyTorch's nodes, whose C++ classes have no repr of their own."""
    return f"<{name} at {hex(id(node))}>"


class FusedStage:
    """A node that PyTorch records inside an op that runs here as one fused step (say LogSoftmaxBackward0 in
    cross_entropy): it has a name and next_functions, and no hooks, since no backward of its own runs."""

    def __init__(self, name: str, next_functions: tuple[tuple[Any, int], ...]):
        self._name, self.next_functions = name, next_functions
        self.metadata: dict[Any, Any] = {}

    def name(self) -> str:
        return self._name

    def register_hook(self, fn: Callable[..., Any]) -> RemovableHandle:
        raise RuntimeError(f"{self._name} is part of a fused op here and runs no backward of its own; hook the "
                           "node after it (or a tensor with register_hook) instead")

    register_prehook = register_hook

    def __repr__(self) -> str:
        return f"<{self._name} object at {hex(id(self))}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(_ipython_text(self._name, self))


class AccumulateGrad:
    """The node that adds a leaf's gradient into its `.grad`; `variable` is the leaf. One per leaf while it lives."""

    def __init__(self, variable: Any):
        self._variable = weakref.ref(variable)
        self.metadata: dict[Any, Any] = {}

    @property
    def variable(self) -> Any:
        return self._variable()

    @property
    def next_functions(self) -> tuple[()]:
        return ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def register_prehook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """fn(grad_outputs) before the gradient is added into `.grad`; a returned tuple replaces it."""
        def pre(grad: Any) -> Any:
            result = fn((grad,))
            return None if result is None else result[0]
        return _append(self.variable, "_backward_hooks", pre)

    def register_hook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """fn((), (variable.grad,)) after the gradient was added into `.grad` (what it returns is ignored)."""
        return _append(self.variable, "_post_accumulate_grad_hooks", lambda t: fn((), (t.grad,)))

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(_ipython_text("AccumulateGrad", self))


def _append(tensor: Any, attribute: str, hook: Callable[..., Any]) -> RemovableHandle:
    hooks = getattr(tensor, attribute)
    if hooks is None:
        hooks = []
        setattr(tensor, attribute, hooks)
    hooks.append(hook)
    return RemovableHandle(hooks, hook)


_accumulators: dict[int, AccumulateGrad] = {}


def accumulate_grad(leaf: Any) -> AccumulateGrad:
    """The leaf's AccumulateGrad node: the same object each time while the leaf lives, as in PyTorch."""
    node = _accumulators.get(id(leaf))
    if node is None or node.variable is not leaf:
        node = _accumulators[id(leaf)] = AccumulateGrad(leaf)
        weakref.finalize(leaf, _accumulators.pop, id(leaf), None)
    return node


def _edge(ctx: Context, spec: Edge) -> tuple[Any, int]:
    if spec is None:
        return None, 0
    if isinstance(spec, tuple):
        name, inner = spec
        return FusedStage(name, tuple(_edge(ctx, s) for s in inner)), 0
    parent = ctx.parents[spec]
    if not (ctx.needs_input_grad[spec] if ctx.needs_input_grad else parent.requires_grad):
        return None, 0
    return (accumulate_grad(parent) if parent._ctx is None else as_node(parent._ctx)), 0


Node.register(FusedStage)
Node.register(AccumulateGrad)
