"""Fixtures of tests/examples/test_lecture_programs*.py: experiments/lecture_programs.py as a module, and the
lecture-style program of support/lecture.py with its input."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from support.lecture import EXPERIMENTS, PROGRAM, TEXT


@pytest.fixture(scope="module")
def lectures() -> ModuleType:
    """experiments/lecture_programs.py as a module."""
    if str(EXPERIMENTS) not in sys.path:
        sys.path.insert(0, str(EXPERIMENTS))
    return importlib.import_module("lecture_programs")


@pytest.fixture(scope="module")
def program(lectures: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The program shortened to 61 steps (losses printed at steps 0, 20, 40, 60), and its input.txt."""
    data = tmp_path_factory.mktemp("lecture") / "input.txt"
    data.write_text(TEXT)
    return lectures.set_constant(PROGRAM, "max_iters", "61"), data
