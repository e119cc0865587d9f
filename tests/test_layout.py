"""The house rules, checked on the code: no import cycle, each level imports only from below, the engine reads
alone, the package root stays small, and README's reading guide names every file one training step enters."""

from __future__ import annotations

import ast
import re
import sys
import threading
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "tinygrad_adam"


def _module_graph() -> dict[str, set[str]]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for node in ast.parse(path.read_text()).body:  # module level only: imports inside functions run later
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    dependency = sub if sub in modules else target
                    if dependency in modules and dependency != name:
                        edges[name].add(dependency)
            elif isinstance(node, ast.Import):
                edges[name] |= {a.name for a in node.names if a.name in modules and a.name != name}
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan, with an explicit stack)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(component)
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


# The levels, bottom to top (docs/architecture.md): a module may import from its own level's package and
# from lower levels only. The package's __init__ sits above everything.
LEVELS = {
    "_platform": 0, "extras": 0,
    "core": 1,
    "autograd": 2, "serialization": 2, "utils": 2, "distributed": 2, "functional": 2, "onnx": 0,
    "nn": 3, "data": 3,
    "optim": 4, "distributions": 4, "vision": 4, "viz": 4, "cli": 4,
    "playground": 5,
}
# Inside core the engine sits below the Tensor: neither it nor the ops may import tensor.py, creation.py or toplevel.py.
CORE_BELOW_TENSOR = {"tinygrad_adam.core.engine", "tinygrad_adam.core.grad_mode", "tinygrad_adam.core.hooks",
                     "tinygrad_adam.core.dtypes", "tinygrad_adam.core.random"}
CORE_ABOVE_ENGINE = {"tinygrad_adam.core.tensor", "tinygrad_adam.core.creation", "tinygrad_adam.core.toplevel"}


def _level(module: str) -> int:
    parts = module.split(".")
    return LEVELS[parts[1]] if len(parts) > 1 else 99


def test_no_import_cycle_at_all() -> None:
    assert _cycles(_module_graph()) == []


def test_the_checker_finds_a_three_module_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(edges) == [{"a", "b", "c"}]


def test_every_package_folder_and_root_module_has_a_level() -> None:
    tops = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
            if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.name != "__init__.py")}
    assert tops == set(LEVELS)


def _upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(a, b) for a, targets in graph.items() for b in targets
            if a.split(".")[1:2] != b.split(".")[1:2] and _level(b) >= _level(a)]


def test_each_level_imports_only_from_below() -> None:
    assert _upward_imports(_module_graph()) == []


def test_the_level_checker_sees_an_upward_or_sideways_import() -> None:
    graph = {"tinygrad_adam.core.tensor": {"tinygrad_adam.nn.functional"},
             "tinygrad_adam.nn.module": {"tinygrad_adam.optim.adam", "tinygrad_adam.core.tensor"}}
    assert sorted(_upward_imports(graph)) == [("tinygrad_adam.core.tensor", "tinygrad_adam.nn.functional"),
                                              ("tinygrad_adam.nn.module", "tinygrad_adam.optim.adam")]


def test_the_engine_and_the_ops_sit_below_the_tensor() -> None:
    graph = _module_graph()
    low = CORE_BELOW_TENSOR | {m for m in graph if m.startswith("tinygrad_adam.core.ops")}
    wrong = [(a, b) for a in low for b in graph[a] if b in CORE_ABOVE_ENGINE]
    assert wrong == []


def test_the_engine_reads_alone() -> None:
    source = (PACKAGE / "core" / "engine.py").read_text()
    assert len(source.splitlines()) <= 300
    tree = ast.parse(source)
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert "Tensor" not in classes and {"Context", "Op"} <= classes
    runtime_imports = {node.module for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert runtime_imports <= {"__future__", "collections.abc", "typing", None, "hooks"}


def test_the_package_root_holds_at_most_six_modules() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 6


def _files_one_training_step_enters() -> set[str]:
    """Every package file whose code runs in one step of the seed CNN: forward, loss, backward, Adam.step."""
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from common import build_model
    finally:
        sys.path.pop(0)
    import tinygrad_adam as tg
    from tinygrad_adam import optim
    from tinygrad_adam.nn import functional as F

    model = build_model("cnn")
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    x = tg.tensor(np.random.default_rng(0).random((64, 1, 28, 28), dtype=np.float32))
    y = tg.tensor(np.random.default_rng(1).integers(0, 10, 64))
    seen: set[str] = set()

    def profile(frame, event, arg):  # noqa: ANN001, ANN202 - sys.setprofile's signature
        filename = frame.f_code.co_filename
        if event == "call" and filename.startswith(str(PACKAGE)):
            seen.add(Path(filename).relative_to(ROOT).as_posix())

    sys.setprofile(profile)
    threading.setprofile(profile)
    try:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    finally:
        sys.setprofile(None)
        threading.setprofile(None)
    return seen


def _reading_guide() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Reading the code")
    return readme[start:readme.index("\n## ", start + 1)]


def test_the_reading_guide_names_every_file_one_training_step_enters() -> None:
    entered = _files_one_training_step_enters()
    assert "tinygrad_adam/core/engine.py" in entered and "tinygrad_adam/optim/adam.py" in entered
    named = set(re.findall(r"`(tinygrad_adam/[\w/]+\.py)`", _reading_guide()))
    assert sorted(entered - named) == []


def test_the_reading_guide_is_near_the_top_of_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    assert readme.index("## Reading the code") < len(readme) // 4
