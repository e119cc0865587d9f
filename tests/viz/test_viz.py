"""tinygrad_adam.viz: the DOT graph, draw_graph and its install message, and the backward trace."""

from __future__ import annotations

import builtins
import importlib.util
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from tinygrad_adam import Tensor, nn, viz
from tinygrad_adam.core.engine import _topological_order, observe_backward


def _load_example_module(name: str):
    """An examples/ script as a module (the README's picture comes from examples/draw_graph.py)."""
    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


scalar_example = _load_example_module("draw_graph").scalar_example  # micrograd's L = (a*b + c) * f


def seed_cnn() -> nn.Module:
    return nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 10))


def node_labels(dot: str) -> list[str]:
    return re.findall(r'^\s+\w+ \[label="(.*?)", shape', dot, flags=re.M)


def edge_count(dot: str) -> int:
    return len(re.findall(r"^\s+\w+ -> \w+", dot, flags=re.M))


def test_scalar_graph_has_values_grads_names_and_ops():
    loss, names = scalar_example()
    viz.retain_grads(loss)
    loss.backward()
    dot = viz.to_dot(loss, names, show_values=True, show_grads=True)
    labels = node_labels(dot)
    assert len(labels) == 7 + 3 and edge_count(dot) == 3 + 6  # 7 tensors, 3 ops; each op: 1 out, 2 in
    assert sorted(label for label in labels if not label.startswith("{")) == ["Add", "Mul", "Mul"]
    expected = {"a": (2, 6), "b": (-3, -4), "c": (10, -2), "f": (-2, 4), "e": (-6, -2), "d": (4, -2), "L": (-8, 1)}
    for name, (value, grad) in expected.items():
        assert f"{{ {name} | () float32 | data {value} | grad {grad} }}" in labels, name
    assert "3 ops, 7 tensors (4 parameters)" in dot and "rankdir=LR" in dot


def test_without_values_and_grads_only_names_shapes_and_dtypes():
    loss, names = scalar_example()
    dot = viz.to_dot(loss, {"a": names["a"]})
    labels = node_labels(dot)
    assert "{ a | () float32 }" in labels and "{ () float32 }" in labels
    assert not any("data" in label or "grad" in label for label in labels)


def test_cnn_graph_names_parameters_and_fused_ops():
    model = seed_cnn()
    x = Tensor(np.random.default_rng(0).standard_normal((2, 1, 28, 28)).astype(np.float32))
    loss = nn.CrossEntropyLoss()(model(x), Tensor(np.array([3, 7])))
    loss.backward()
    params = dict(model.named_parameters())
    dot = viz.to_dot(loss, params, show_values=True, show_grads=True)
    labels = node_labels(dot)
    ops = [label for label in labels if not label.startswith("{")]
    assert ops == ["CrossEntropy", "Linear", "Reshape", "MaxPool2d", "ReLU", "Conv2d", "MaxPool2d", "ReLU", "Conv2d"]
    assert len(labels) == 9 + 16 and edge_count(dot) == 24  # 16 tensors: 8 results, the input, 6 parameters
    for name, p in params.items():
        grad = p.grad.detach().numpy().astype(np.float64)
        assert f"{name} | {tuple(p.shape)} float32 |" in dot
        assert f"grad mean {grad.mean():.4g}, norm {np.linalg.norm(grad):.4g}" in dot, name
    assert "{ (2, 1, 28, 28) float32 | data mean" in dot  # the input: a constant, no grad field
    assert "(2, 64, 4, 4) float32" in dot
    assert "grad None" not in dot  # intermediates kept no grad: no field rather than a None
    assert "rankdir=TB" in dot  # networks top to bottom


def test_graph_walk_is_not_recursive_and_large_graphs_are_compacted():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x
    for _ in range(5000):  # deeper than Python's recursion limit
        y = y * 0.5 + 1.0
    dot = viz.to_dot(y.sum(), {"x": x})
    assert "10001 ops" in dot and "drawn compactly" in dot
    assert len(node_labels(dot)) <= 150
    assert "Mul ×5000" in dot and "Add ×5000" in dot


def test_wide_large_graph_is_cut_into_counted_segments():
    leaves = [Tensor(np.ones(2), requires_grad=True) for _ in range(400)]
    total = leaves[0]
    for t in leaves[1:]:
        total = total + t * 2.0
    dot = viz.to_dot(total.sum(), max_nodes=60)
    labels = node_labels(dot)
    assert len(labels) <= 60
    counted = sum(int(n) for n in re.findall(r"(?:Add|Mul|Sum) ×(\d+)", dot))
    assert counted == 399 + 399 + 1  # every op is counted in exactly one box
    assert "reads" in dot  # 400 leaves do not fit: they are counted in the boxes


def test_draw_graph_renders_png(tmp_path):
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot program is not installed")
    loss, names = scalar_example()
    loss.backward()
    graph = viz.draw_graph(loss, names, show_values=True, show_grads=True)
    path = graph.render(tmp_path / "scalar", format="png", cleanup=True)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert "grad 6" in graph.source


def test_draw_graph_without_dot_says_how_to_install(monkeypatch):
    pytest.importorskip("graphviz")
    monkeypatch.setenv("PATH", "")
    loss, _ = scalar_example()
    with pytest.raises(viz.GraphvizNotFoundError, match="`dot` program") as e:
        viz.draw_graph(loss)
    for hint in ("pip install -e \".[viz]\"", "apt-get install graphviz", "brew install graphviz", "conda"):
        assert hint in str(e.value)


def test_draw_graph_without_the_package_says_how_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_graphviz(name, *args, **kwargs):
        if name == "graphviz":
            raise ImportError("No module named 'graphviz'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_graphviz)
    loss, _ = scalar_example()
    with pytest.raises(viz.GraphvizNotFoundError, match=re.escape('pip install -e ".[viz]"')):
        viz.draw_graph(loss)
    assert "digraph" in viz.to_dot(loss)  # to_dot still works


def test_to_dot_rejects_a_non_tensor():
    with pytest.raises(TypeError, match="expected the Tensor"):
        viz.to_dot(np.ones(3))


def test_trace_follows_the_engines_order_and_pairs_inputs_with_grads():
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    x = Tensor(np.random.default_rng(1).standard_normal((5, 3)).astype(np.float32), requires_grad=True)
    loss = (model(x) * model(x)).mean()  # the model is used twice: shared parameters, a diamond
    engine_order = [t._ctx for t in _topological_order([loss]) if t._ctx is not None]
    seen = []
    handle = observe_backward(lambda ctx, grad, grads: seen.append((ctx, [None if g is None else g.copy()
                                                                         for g in grads])))
    printed = []
    params = dict(model.named_parameters())
    try:
        with viz.trace_backward(params, out=printed.append) as trace:
            loss.backward()
    finally:
        handle.remove()
    assert [r.node_id for r in trace] == [id(ctx) for ctx, _ in seen] == [id(ctx) for ctx in engine_order]
    assert printed == trace.lines and len(trace) == len(seen) == 8  # Mean, Mul, 2 × (Linear, Tanh, Linear)
    assert [r.op for r in trace][:2] == ["Mean", "Mul"]
    for record, (_, grads) in zip(trace, seen, strict=True):
        for received, g in zip(record.inputs, grads, strict=True):
            assert received.grad_norm == pytest.approx(float(np.linalg.norm(g)), rel=1e-6)
    first_linear = [r for r in trace if r.op == "Linear" and r.inputs[1].name == "0.weight"]
    assert len(first_linear) == 2 and first_linear[0].inputs[0].grad_shape == (5, 3)
    assert trace.records[0].line().split()[:2] == ["1", "Mean"]
    loss2 = model(x).sum()
    loss2.backward()  # outside the block: nothing more is recorded
    assert len(trace) == 8


def test_trace_line_shows_small_gradients_whole():
    loss, names = scalar_example()
    with viz.trace_backward(names, out=None) as trace:
        loss.backward()
    assert trace.lines[0] == "   1  Mul            grad () |g| 1 = 1  →  d ← () |g| 2 = -2, f ← () |g| 4 = 4"
    assert [r.op for r in trace] == ["Mul", "Add", "Mul"]
    constant = Tensor(3.0)
    with viz.trace_backward(out=None) as trace:
        (names["a"] * constant).backward()
    assert trace.records[0].inputs[1].grad_shape is None and "input 1 ← no grad" in trace.lines[0]
