"""experiments/lecture_programs.py: the import table, the constant override, and a lecture-style program
run with only its imports changed."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from support.lecture import PROGRAM, TEXT


def test_imports_rewritten_and_nothing_else(lectures: ModuleType) -> None:
    source = ("import torch\nimport torch.nn as nn\nfrom torch.nn import functional as F\n"
              "from torch.utils.data.dataloader import DataLoader\nimport torch.nn\n    from torch import optim\n"
              "x = torch.zeros(1)  # import torch\n")
    assert lectures.rewrite_imports(source) == (
        "import tinygrad_adam as torch\nimport tinygrad_adam.nn as nn\nfrom tinygrad_adam.nn import functional as F\n"
        "from tinygrad_adam.utils.data.dataloader import DataLoader\n"
        "import tinygrad_adam.nn; import tinygrad_adam as torch\n    from tinygrad_adam import optim\n"
        "x = torch.zeros(1)  # import torch\n")
    with pytest.raises(SystemExit, match="does not rewrite"):
        lectures.rewrite_imports("import torch as t\n")


def test_set_constant_keeps_the_comment_and_needs_one_assignment(lectures: ModuleType) -> None:
    changed = lectures.set_constant(PROGRAM, "batch_size", "4")
    assert changed == PROGRAM.replace("batch_size = 16 # sequences", "batch_size = 4 # sequences", 1) != PROGRAM
    with pytest.raises(SystemExit, match="0 top-level assignments of n_embd"):
        lectures.set_constant(PROGRAM, "n_embd", "4")


def test_lecture_style_program_trains_with_its_imports_changed(lectures: ModuleType,
                                                                program: tuple[str, Path]) -> None:
    source, data = program
    run = lectures.run_program("ours", lectures.rewrite_imports(source), [data], [], 1, 120.0, None)
    assert run.returncode == 0, "\n".join(run.lines)
    losses = lectures.loss_lines(run)
    assert [line.split(":")[0] for line, _, _ in losses] == ["step 0", "step 20", "step 40", "step 60"]
    first, last = losses[0][1], losses[-1][1]
    assert last[0] < first[0] - 0.5 and last[1] < first[1] - 0.5  # train and val loss fall
    assert len(run.lines[-1]) == 21 and set(run.lines[-1]) <= set(TEXT)
