"""Fixtures shared by several test files (tests/support/, with strategies and MPI jobs, is importable as
`support`), and the summary of what the run left unchecked.

Every skip is listed at the end of the run by reason, with the modules it touched (a module skipped
whole says so), what those modules check (their docstring's first line) and how to check it. With
TINYGRAD_ADAM_NO_SKIPS=1 (as .ci/run sets it) a skipped test fails the run.
"""

from __future__ import annotations

import ast
import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
NO_SKIPS_ENV = "TINYGRAD_ADAM_NO_SKIPS"
HOW_TO_CHECK = {  # a word of the skip reason -> how to run what was skipped (the first word found wins)
    "torchvision": "put a torchvision 0.28 that imports with the CPU torch on PYTHONPATH (PyPI's wheel is built "
                   "for CUDA torch: `operator torchvision::nms does not exist`)",
    "torch": 'pip install -e ".[test]" (it pins torch==2.13.0, the test oracle; the CPU build is enough)',
    "TINYGRAD_ADAM_DATA": "TINYGRAD_ADAM_DATA=<folder holding mnist/> pytest (bash .ci/run sets it)",
    "mpi4py": 'pip install -e ".[distributed]"',
    "dot": "apt-get install graphviz (Debian/Ubuntu) or brew install graphviz (macOS)",
    "graphviz": 'pip install -e ".[viz]"',
    "matplotlib": 'pip install -e ".[plot]"',
    "ipywidgets": 'pip install -e ".[test]"',
}


@pytest.fixture(scope="session")
def real_mnist() -> Path:
    """The real MNIST folder, found only through TINYGRAD_ADAM_DATA (as .ci/run sets it); skip without it."""
    root = os.environ.get("TINYGRAD_ADAM_DATA")
    if not root:
        pytest.skip("set TINYGRAD_ADAM_DATA to a folder holding mnist/ to run the real-data tests")
    return Path(root) / "mnist"


@pytest.fixture
def matmul_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """The operand shapes of every np.matmul call made while the test runs."""
    import numpy as np

    seen: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    matmul = np.matmul

    def recording(a: np.ndarray, b: np.ndarray, **kwargs: object) -> object:
        seen.append((a.shape, b.shape))
        return matmul(a, b, **kwargs)

    monkeypatch.setattr(np, "matmul", recording)
    return seen


def _purpose(module: Path) -> str:
    """The first line of a test module's docstring: what it checks."""
    try:
        doc = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8"))) or ""
    except (OSError, SyntaxError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def _reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    text = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return text.removeprefix("Skipped: ")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r, (pytest.TestReport, pytest.CollectReport))]  # a CollectReport: a whole module
    if not skipped:
        return
    by_reason: dict[str, dict[str, int | None]] = defaultdict(dict)  # reason -> module -> tests (None: all of it)
    for report in skipped:
        module, _, test = report.nodeid.partition("::")
        modules = by_reason[_reason(report)]
        modules[module] = None if not test else (modules.get(module) or 0) + 1
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", f"unchecked: {len(skipped)} skipped (see why and how to check them below)",
                               yellow=True)
    for reason, modules in sorted(by_reason.items()):
        write(f"{reason}")
        for module, count in sorted(modules.items()):
            what = _purpose(config.rootpath / module)
            scope = "the whole module" if count is None else f"{count} test{'s' * (count > 1)}"
            write(f"  {module}: {scope}" + (f" ({what})" if what else ""))
        how = next((how for word, how in HOW_TO_CHECK.items() if word in reason), None)
        if how:
            write(f"  to check: {how}")


NOT_IN_CI = ("torchvision",)
"""Skip reasons that do not fail a TINYGRAD_ADAM_NO_SKIPS run: CI cannot install a torchvision that imports with the
CPU torch (see HOW_TO_CHECK), so the few tests against torchvision's own models run only where one is at hand."""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = [] if reporter is None else [r for r in reporter.stats.get("skipped", [])
                                           if not any(word in _reason(r) for word in NOT_IN_CI)]
    if os.environ.get(NO_SKIPS_ENV) and skipped:
        reporter.write_line(f"{NO_SKIPS_ENV} is set and tests were skipped: failing the run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
