"""experiments/pytorch_programs.py: torchvision imports rewritten, edits that must match, the data it makes from
names.txt, and a program of its list run both ways on a repository laid out as the driver expects."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from support.lecture import EXPERIMENTS

if str(EXPERIMENTS) not in sys.path:
    sys.path.insert(0, str(EXPERIMENTS))
programs = importlib.import_module("pytorch_programs")
lectures = importlib.import_module("lecture_programs")


def test_torchvision_imports_are_rewritten_and_a_missed_one_is_refused() -> None:
    source = ("import torch\nimport torchvision\nimport torchvision.transforms as T\n"
              "from torchvision import datasets\nfrom torch.utils.data import DataLoader\n")
    rewritten = lectures.rewrite_imports(source, lectures.IMPORTS + programs.VISION_IMPORTS)
    assert rewritten.splitlines() == [
        "import tinygrad_adam as torch", "import tinygrad_adam.vision as torchvision",
        "import tinygrad_adam.vision.transforms as T", "from tinygrad_adam.vision import datasets",
        "from tinygrad_adam.utils.data import DataLoader"]
    with pytest.raises(SystemExit, match="torchvision"):
        lectures.rewrite_imports("import torchvision.models\n")


def test_an_edit_that_does_not_match_stops_the_run(tmp_path: Path) -> None:
    repo = tmp_path / "owner+name"
    repo.mkdir()
    (repo / "main.py").write_text("import torch\nepochs = 5\n")
    good = programs.Program("p", "owner/name", "main.py", edits=(("epochs = 5", "epochs = 1"),))
    (tmp_path / "ours").mkdir()
    programs.prepare(good, tmp_path, tmp_path / "ours", "ours")
    assert (tmp_path / "ours" / "main.py").read_text() == "import tinygrad_adam as torch\nepochs = 1\n"
    bad = programs.Program("p", "owner/name", "main.py", edits=(("epochs = 10", "epochs = 1"),))
    with pytest.raises(SystemExit, match="does not match"):
        programs.prepare(bad, tmp_path, tmp_path / "ours", "torch")


def test_the_data_made_from_names(tmp_path: Path) -> None:
    names = tmp_path / "names.txt"
    names.write_text("\n".join(f"name{'abcdefghij'[i % 10]}{'xyz'[i % 3]}" for i in range(800)) + "\n")
    programs.names_by_language(names, tmp_path / "data" / "names")
    files = sorted(p.stem for p in (tmp_path / "data" / "names").glob("*.txt"))
    assert files == sorted(programs.LANGUAGES)
    lines = [line for f in (tmp_path / "data" / "names").glob("*.txt") for line in f.read_text().split()]
    assert len(lines) == 100 and all(line[0].isupper() for line in lines)
    programs.english_french(names, tmp_path / "eng-fra.txt")
    pairs = [line.split("\t") for line in (tmp_path / "eng-fra.txt").read_text().splitlines()]
    assert len(pairs) == 8 * 6 + 4 and all(len(p) == 2 for p in pairs)
    assert pairs[0] == ["I am Nameax.", "Je suis Nameax."]


def test_a_listed_program_runs_both_ways(tmp_path: Path) -> None:
    repo = tmp_path / "pytorch+tutorials" / "beginner_source" / "examples_tensor"
    repo.mkdir(parents=True)
    (repo / "polynomial_tensor.py").write_text(
        "import torch\nx = torch.linspace(-1, 1, 50)\nw = torch.randn(3)\n"
        "for t in range(2000):\n    loss = ((w[0] + w[1] * x + w[2] * x ** 2 - x.exp()) ** 2).sum()\n"
        "    if t % 500 == 0: print(t, round(loss.item(), 3))\n    w = w - 1e-3 * w\n")
    program = next(p for p in programs.PROGRAMS if p.name == "polynomial_tensor")
    text, cpu, ok = programs.run(program, tmp_path, "ours", tmp_path, 120)
    assert ok and cpu > 0 and text.splitlines()[0].startswith("0 ")
