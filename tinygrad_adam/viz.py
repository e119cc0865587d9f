"""See inside: draw the graph behind a result, and watch backward walk it.

    from tinygrad_adam import Tensor, viz
    a, b = Tensor(2.0, requires_grad=True), Tensor(-3.0, requires_grad=True)
    loss = a * b + b ** 2
    viz.retain_grads(loss)                      # keep .grad on the intermediate results too
    with viz.trace_backward(names={"a": a, "b": b}):
        loss.backward()                         # prints one line per node, in the engine's order
    viz.draw_graph(loss, {"a": a, "b": b}, show_values=True, show_grads=True)  # inline in Jupyter

`to_dot` returns the DOT source and needs nothing; `draw_graph` returns a `graphviz.Digraph`
(`.render("graph", format="png")`), which needs the optional `graphviz` package (extra `viz`)
and Graphviz's `dot` program.

In the picture a box is a Tensor (its name, shape and dtype, and optionally its value and
gradient) and an ellipse is the op (Function) that made the Tensor its arrow points to.
Parameters are blue, the output green, constants grey. A graph with more than `max_nodes` nodes
is drawn compactly: constants and unnamed intermediate Tensors are left out (their shapes label
the arrows), straight runs of ops become one box that counts them, and what still does not fit
is summarised in one node; the title always gives the full counts.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .core.engine import Context, observe_backward
from .core.hooks import RemovableHandle
from .core.tensor import Tensor

__all__ = [
    "BackwardStep", "BackwardTrace", "GraphvizNotFoundError", "draw_graph", "op_name", "retain_grads", "to_dot",
    "trace_backward",
]

#: Values and gradients with at most this many elements are printed whole, larger ones summarised.
FULL_VALUE_SIZE = 8

INSTALL_HELP = (
    "Install the Python package with `pip install -e \".[viz]\"` in a checkout (or `pip install graphviz`) and the "
    "Graphviz program `dot` with your system's package manager: `apt-get install graphviz` (Debian/Ubuntu), "
    "`brew install graphviz` (macOS) or `conda install -c conda-forge graphviz`. "
    "viz.to_dot(...) needs neither and returns the DOT source."
)


class GraphvizNotFoundError(RuntimeError):
    """draw_graph was called without the graphviz package or without the `dot` program."""


# ----- the engine's graph, read in one place ----------------------------------------------------
def _producer(t: Tensor) -> Context | None:
    return t._ctx


def op_name(function: type) -> str:
    """The name an op is shown with: the Op's class name without a trailing "Op"."""
    name = function.__name__
    return name[: -len("Op")] if name.endswith("Op") and name != "Op" else name


def _walk(output: Tensor) -> list[Tensor]:
    """Every Tensor the output depends on (itself included), output first, with an explicit stack."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack = [output]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        order.append(t)
        ctx = _producer(t)
        if ctx is not None:
            stack.extend(p for p in reversed(ctx.parents) if id(p) not in seen)
    return order


def retain_grads(output: Tensor) -> None:
    """Call retain_grad() on every intermediate result behind `output`, so backward keeps their .grad."""
    for t in _walk(output):
        if _producer(t) is not None:
            t.retain_grad()


def _summary(array: np.ndarray) -> str:
    """The whole array if it is small, else its mean and norm (the shape is shown elsewhere)."""
    if array.size <= FULL_VALUE_SIZE:
        flat = array if array.ndim <= 1 else array.reshape(-1)
        if flat.ndim == 0:
            return f"{flat.item():.4g}" if array.dtype.kind == "f" else str(flat.item())
        return np.array2string(flat, precision=4, separator=", ", max_line_width=10_000)
    values = array.astype(np.float64)
    return f"mean {values.mean():.4g}, norm {np.linalg.norm(values):.4g}"


def _shape(shape: tuple[int, ...]) -> str:
    return str(tuple(shape))


# ----- a small graph of nodes and edges, emitted as DOT text or as a graphviz.Digraph -----------
@dataclass
class _Node:
    kind: str  # "param" (named or leaf requiring grad), "const", "tensor", "output", "op", "group", "more"
    fields: list[str]
    tooltip: str = ""
    named: bool = False
    shape: str = ""
    counts: Counter[str] = field(default_factory=Counter)  # ops inside an op or group node, by name


@dataclass
class _Graph:
    nodes: dict[str, _Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (source, target, label)
    title: str = ""
    rankdir: str = "LR"

    def preds(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in self.nodes}
        for src, dst, _ in self.edges:
            out[dst].append(src)
        return out

    def succs(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {k: [] for k in self.nodes}
        for src, dst, _ in self.edges:
            out[src].append(dst)
        return out


_STYLE = {
    "param": {"shape": "record", "style": "filled", "fillcolor": "lightblue"},
    "tensor": {"shape": "record"},
    "output": {"shape": "record", "style": "filled", "fillcolor": "darkolivegreen1"},
    "const": {"shape": "record", "style": "filled", "fillcolor": "gray92", "color": "gray50"},
    "op": {"shape": "ellipse", "style": "filled", "fillcolor": "lightgray"},
    "group": {"shape": "box", "style": "filled,rounded", "fillcolor": "lightyellow"},
}


def _escape_record(text: str) -> str:
    for ch in "\\{}|<>\"":
        text = text.replace(ch, "\\" + ch)
    return text


def _label(node: _Node) -> str:
    if node.kind in ("op", "group"):
        return "\\n".join(text.replace("\\", "\\\\").replace('"', '\\"') for text in node.fields)
    return "{ " + " | ".join(_escape_record(text) for text in node.fields) + " }"


def _build(output: Tensor, names: Mapping[str, Tensor] | None, show_values: bool, show_grads: bool) -> _Graph:
    name_of = {id(t): name for name, t in (names or {}).items()}
    tensors = _walk(output)
    graph = _Graph()
    key = {id(t): f"t{i}" for i, t in enumerate(tensors)}
    n_ops = 0
    for t in tensors:
        ctx = _producer(t)
        name = name_of.get(id(t))
        if t is output:
            kind = "output"
        elif ctx is not None:
            kind = "tensor"
        elif t.requires_grad or name is not None:
            kind = "param"
        else:
            kind = "const"
        fields = [name] if name is not None else []
        fields.append(f"{_shape(t.shape)} {t.array.dtype}")
        if show_values:
            fields.append(f"data {_summary(t.array)}")
        if show_grads and t.requires_grad and (t._grad is not None or ctx is None):
            fields.append("grad None" if t.grad is None else f"grad {_summary(t.grad.array)}")
        graph.nodes[key[id(t)]] = _Node(kind, fields, named=name is not None, shape=_shape(t.shape))
        if ctx is not None:
            op_key = f"op{n_ops}"
            n_ops += 1
            op = op_name(ctx.function)
            graph.nodes[op_key] = _Node("op", [op], tooltip=ctx.function.__qualname__, counts=Counter([op]))
            graph.edges.append((op_key, key[id(t)], ""))
            graph.edges.extend((key[id(p)], op_key, "") for p in ctx.parents)
    graph.rankdir = "LR" if n_ops <= 4 else "TB"
    n_params = sum(node.kind == "param" for node in graph.nodes.values())
    graph.title = f"{n_ops} ops, {len(tensors)} tensors ({n_params} parameters), {len(graph.edges)} edges"
    return graph


def _fold_tensors(graph: _Graph) -> None:
    """Leave out constants and unnamed intermediate Tensors; an intermediate's shape labels its arrows."""
    preds, succs = graph.preds(), graph.succs()
    drop = {k for k, n in graph.nodes.items()
            if n.kind == "const" or (n.kind == "tensor" and not n.named and len(preds[k]) == 1)}
    edges = []
    for src, dst, label in graph.edges:
        if src in drop or (dst in drop and graph.nodes[dst].kind == "const"):
            continue
        if dst in drop:  # producer -> intermediate: becomes producer -> each consumer
            edges.extend((src, consumer, graph.nodes[dst].shape) for consumer in succs[dst])
        else:
            edges.append((src, dst, label))
    graph.edges = edges
    for k in drop:
        del graph.nodes[k]


def _counts_text(counts: Counter[str]) -> str:
    shown = ", ".join(f"{name} ×{n}" for name, n in counts.most_common(4))
    return shown + (", …" if len(counts) > 4 else "")


def _merge(graph: _Graph, members: set[str], key: str, node: _Node) -> None:
    """Replace the nodes `members` by one node; edges inside vanish, parallel edges become one."""
    graph.nodes[key] = node
    edges, seen = [], set()
    for src, dst, label in graph.edges:
        src, dst = (key if src in members else src), (key if dst in members else dst)
        if src == dst or (src, dst) in seen:
            continue
        seen.add((src, dst))
        edges.append((src, dst, label))
    graph.edges = edges
    for k in members:
        graph.nodes.pop(k, None)


def _collapse_chains(graph: _Graph, min_length: int = 3) -> None:
    """Replace each straight run of ops (one consumer each, one op input each) by a single counting box."""
    preds, succs = graph.preds(), graph.succs()
    ops = {k for k, n in graph.nodes.items() if n.kind == "op"}
    op_preds = {k: [p for p in preds[k] if p in ops] for k in ops}

    def links(u: str) -> str | None:  # the op that continues u's run, if any
        if len(succs[u]) != 1:
            return None
        v = succs[u][0]
        return v if v in ops and op_preds[v] == [u] else None

    continued = {v for u in ops if (v := links(u)) is not None}
    for start in sorted(ops - continued):
        run = [start]
        while (nxt := links(run[-1])) is not None:
            run.append(nxt)
        if len(run) >= min_length:
            counts = sum((graph.nodes[k].counts for k in run), Counter())
            _merge(graph, set(run), f"chain_{start}",
                   _Node("group", [f"{len(run)} ops in a row", _counts_text(counts)], counts=counts))


def _topological(graph: _Graph) -> list[str]:
    """Node keys, each after all its inputs (Kahn's algorithm)."""
    preds, succs = graph.preds(), graph.succs()
    waiting = {k: len(v) for k, v in preds.items()}
    ready = [k for k, n in waiting.items() if n == 0]
    order = []
    while ready:
        k = ready.pop()
        order.append(k)
        for s in succs[k]:
            waiting[s] -= 1
            if waiting[s] == 0:
                ready.append(s)
    return order


def _segment(graph: _Graph, max_nodes: int) -> None:
    """Cut the ops, in the order they ran, into at most max_nodes // 3 consecutive boxes that count them.

    If the remaining Tensors still do not fit, the leaves fold into the boxes too, as a count.
    """
    ops = [k for k in _topological(graph) if graph.nodes[k].kind in ("op", "group")]
    n_segments = max(1, max_nodes // 3)
    size = -(-len(ops) // n_segments)
    segments = [ops[i:i + size] for i in range(0, len(ops), size)]
    leaves = [k for k, n in graph.nodes.items() if n.kind not in ("op", "group", "output")]
    fold_leaves = len(leaves) + len(segments) + 1 > max_nodes
    succs = graph.succs()
    first = 1
    for i, segment in enumerate(segments):
        members = set(segment)
        counts = sum((graph.nodes[k].counts for k in segment), Counter())
        total = sum(counts.values())
        fields = [f"ops {first}–{first + total - 1} of the run", _counts_text(counts)]
        if fold_leaves:
            read = {leaf for leaf in leaves if any(s in members for s in succs[leaf])}
            if read:
                fields.append(f"reads {len(read)} leaf tensors")
        _merge(graph, members, f"segment{i}", _Node("group", fields, counts=counts))
        first += total
    if fold_leaves:
        leaf_set = set(leaves)
        graph.edges = [e for e in graph.edges if e[0] not in leaf_set and e[1] not in leaf_set]
        for k in leaves:
            del graph.nodes[k]


def _graph(output: Tensor, params: Mapping[str, Tensor] | None, show_values: bool, show_grads: bool,
           max_nodes: int, compact: bool | None) -> _Graph:
    if not isinstance(output, Tensor):
        raise TypeError(f"viz: expected the Tensor whose graph to draw, got {type(output).__name__}")
    graph = _build(output, params, show_values, show_grads)
    if compact or (compact is None and len(graph.nodes) > max_nodes):
        drawn = len(graph.nodes)
        _fold_tensors(graph)
        _collapse_chains(graph)
        if len(graph.nodes) > max_nodes:
            _segment(graph, max_nodes)
        graph.title += f"; large graph ({drawn} nodes) drawn compactly as {len(graph.nodes)}"
    return graph


def _attrs(node: _Node) -> dict[str, str]:
    attrs = dict(_STYLE[node.kind])
    if node.tooltip:
        attrs["tooltip"] = node.tooltip
    return attrs


def _quote(text: str) -> str:
    return '"' + text + '"'


def to_dot(output: Tensor, params: Mapping[str, Tensor] | None = None, show_values: bool = False,
           show_grads: bool = False, *, max_nodes: int = 150, compact: bool | None = None,
           rankdir: str | None = None) -> str:
    """The DOT source of the graph behind `output` (no dependency needed).

    params: names for Tensors of the graph, usually `dict(model.named_parameters())` (state_dict
    names, as torchviz shows them); any Tensor may be named, inputs and intermediates included.
    show_values / show_grads: add each Tensor's value and `.grad`, whole when it has at most
    FULL_VALUE_SIZE elements, else its mean and norm; an intermediate result shows its grad only
    if it kept one (see `retain_grads`).
    max_nodes / compact: above max_nodes nodes (or with compact=True) the graph is drawn compactly,
    as the module docstring describes. rankdir: "LR" (left to right) or "TB" (top to bottom);
    by default LR for up to 4 ops, like micrograd's pictures, and TB for networks.
    """
    graph = _graph(output, params, show_values, show_grads, max_nodes, compact)
    rankdir = rankdir or graph.rankdir
    lines = ["digraph tinygrad_adam {",
             f"  graph [rankdir={rankdir}, label={_quote(graph.title)}, labelloc=t, fontsize=12];",
             "  node [fontname=Helvetica, fontsize=11];", "  edge [fontsize=9];"]
    for key, node in graph.nodes.items():
        attrs = ", ".join(f"{k}={_quote(v)}" for k, v in _attrs(node).items())
        lines.append(f"  {key} [label={_quote(_label(node))}, {attrs}];")
    for src, dst, label in graph.edges:
        lines.append(f"  {src} -> {dst}" + (f" [label={_quote(label)}];" if label else ";"))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _require_graphviz() -> Any:
    try:
        import graphviz
    except ImportError as e:
        raise GraphvizNotFoundError(f"draw_graph needs the `graphviz` Python package, which is not installed. "
                                    f"{INSTALL_HELP}") from e
    if shutil.which("dot") is None:
        raise GraphvizNotFoundError(f"draw_graph needs Graphviz's `dot` program, which is not on PATH. "
                                    f"{INSTALL_HELP}")
    return graphviz


def draw_graph(output: Tensor, params: Mapping[str, Tensor] | None = None, show_values: bool = False,
               show_grads: bool = False, *, max_nodes: int = 150, compact: bool | None = None,
               rankdir: str | None = None) -> Any:
    """The graph of `to_dot` as a `graphviz.Digraph`: shown inline in Jupyter, `.render(...)` to PNG/SVG.

    Raises GraphvizNotFoundError, saying how to install them, without the graphviz package or `dot`.
    """
    graphviz = _require_graphviz()
    graph = _graph(output, params, show_values, show_grads, max_nodes, compact)
    rankdir = rankdir or graph.rankdir
    dot = graphviz.Digraph("tinygrad_adam", graph_attr={"rankdir": rankdir, "label": graph.title, "labelloc": "t",
                                                        "fontsize": "12"},
                           node_attr={"fontname": "Helvetica", "fontsize": "11"}, edge_attr={"fontsize": "9"})
    for key, node in graph.nodes.items():
        dot.node(key, _label(node), **_attrs(node))
    for src, dst, label in graph.edges:
        dot.edge(src, dst, label=label or None)
    return dot


# ----- watching backward ------------------------------------------------------------------------
@dataclass
class InputGrad:
    """What one input of an op received during backward (grad_shape None: it needs no gradient)."""

    name: str
    shape: tuple[int, ...]
    grad_shape: tuple[int, ...] | None
    grad_norm: float | None
    grad_summary: str | None


@dataclass
class BackwardStep:
    """One node of backward: the op, the gradient that reached its output, what its inputs received."""

    index: int
    op: str
    function: type
    node_id: int  # id() of the engine's Context, to compare orders
    grad_shape: tuple[int, ...]
    grad_norm: float
    grad_summary: str
    inputs: list[InputGrad]

    def line(self) -> str:
        received = ", ".join(
            f"{i.name} ← {'no grad' if i.grad_shape is None else f'{_shape(i.grad_shape)} |g| {i.grad_norm:.4g}'}"
            + (f" = {i.grad_summary}" if i.grad_shape is not None and i.grad_summary else "")
            for i in self.inputs)
        small = f" = {self.grad_summary}" if self.grad_summary else ""
        return (f"{self.index:4d}  {self.op:<14} grad {_shape(self.grad_shape)} |g| {self.grad_norm:.4g}{small}"
                f"  →  {received}")


def _norm(g: np.ndarray) -> float:
    return float(np.linalg.norm(g.astype(np.float64).reshape(-1)))


def _small(g: np.ndarray) -> str | None:
    return _summary(g) if g.size <= FULL_VALUE_SIZE else None


class BackwardTrace:
    """Records (and by default prints) one line per node as backward visits it.

        with viz.trace_backward(names=dict(model.named_parameters())) as trace:
            loss.backward()
        trace.records[0].op, trace.lines

    Built on the engine's `observe_backward` hook, so the order is the engine's own.
    """

    def __init__(self, names: Mapping[str, Tensor] | None = None, out: Callable[[str], None] | None = print):
        self.names = {id(t): name for name, t in (names or {}).items()}
        self.out = out
        self.records: list[BackwardStep] = []
        self._handle: RemovableHandle | None = None

    @property
    def lines(self) -> list[str]:
        return [r.line() for r in self.records]

    def _describe(self, parent: Tensor, i: int) -> str:
        if id(parent) in self.names:
            return self.names[id(parent)]
        ctx = _producer(parent)
        return f"{op_name(ctx.function)} output" if ctx is not None else f"input {i}"

    def _observe(self, ctx: Context, grad_output: np.ndarray, input_grads: list[np.ndarray | None]) -> None:
        inputs = [
            InputGrad(self._describe(p, i), p.shape, None if g is None else g.shape,
                      None if g is None else _norm(g), None if g is None else _small(g))
            for i, (p, g) in enumerate(zip(ctx.parents, input_grads, strict=True))
        ]
        step = BackwardStep(len(self.records) + 1, op_name(ctx.function), ctx.function, id(ctx), grad_output.shape,
                            _norm(grad_output), _small(grad_output) or "", inputs)
        self.records.append(step)
        if self.out is not None:
            self.out(step.line())

    def __enter__(self) -> BackwardTrace:
        self._handle = observe_backward(self._observe)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def __iter__(self) -> Iterator[BackwardStep]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)


def trace_backward(names: Mapping[str, Tensor] | None = None,
                   out: Callable[[str], None] | None = print) -> BackwardTrace:
    """A context manager that watches every backward() inside it; see BackwardTrace.

    names: Tensor names for the lines (e.g. dict(model.named_parameters())); out: where each line
    goes as it happens (print by default; None keeps them only in .records / .lines).
    """
    return BackwardTrace(names, out)
