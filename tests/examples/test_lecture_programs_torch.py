"""A lecture-style program run as it is by PyTorch and with only its imports changed by tinygrad_adam
(experiments/lecture_programs.py) prints the same losses and samples the same text after the same seed."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

torch = pytest.importorskip("torch")


def test_same_losses_and_samples_as_pytorch(lectures: ModuleType, program: tuple[str, Path]) -> None:
    source, data = program
    ours = lectures.run_program("ours", lectures.rewrite_imports(source), [data], [], 1, 120.0, None)
    theirs = lectures.run_program("torch", source, [data], [], 1, 120.0, None)
    assert ours.returncode == theirs.returncode == 0, "\n".join(ours.lines + theirs.lines)
    ours_losses, their_losses = lectures.loss_lines(ours), lectures.loss_lines(theirs)
    assert len(ours_losses) == len(their_losses) == 4
    for (_, a, _), (_, b, _) in zip(ours_losses, their_losses, strict=True):
        assert a == pytest.approx(b, abs=2e-4)
    assert ours.lines[-1] == theirs.lines[-1]
