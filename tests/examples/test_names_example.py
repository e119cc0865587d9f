"""examples/names.py end to end on a small list of names: every model trains, evaluates, samples and plots."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "names.py"
NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn", "abigail",
         "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila", "aria", "scarlett", "victoria", "madison",
         "luna", "grace", "chloe", "penelope", "layla", "riley", "zoey", "nora", "lily", "eleanor", "hannah"] * 3


@pytest.fixture(scope="module")
def names_example():  # noqa: ANN201 - the example's module
    spec = importlib.util.spec_from_file_location("names_example", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def names_file(tmp_path: Path) -> Path:
    path = tmp_path / "names.txt"
    path.write_text("\n".join(NAMES) + "\n")
    return path


@pytest.mark.parametrize("model", ["bigram", "mlp", "lstm", "transformer"])
def test_each_model_learns_on_a_few_names(names_example, names_file: Path, model: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    plot = tmp_path / "losses.png"
    lr = "0.01" if model in ("lstm", "transformer") else "1.0"
    result = names_example.main(["--model", model, "--steps", "60", "--eval-every", "30", "--data", str(names_file),
                                 "--samples", "3", "--plot", str(plot), "--lr", lr])
    assert set(result) == {"train", "val", "test"}
    assert result["train"] < math.log(27)  # better than guessing among the 27 characters
    assert plot.stat().st_size > 1000
    out = capsys.readouterr().out
    assert "made up: " in out and "loss per character" in out


def test_a_missing_data_file_is_one_clear_error(names_example, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TINYGRAD_ADAM_DATA", raising=False)
    with pytest.raises(FileNotFoundError, match="TINYGRAD_ADAM_DATA"):
        names_example.main(["--steps", "1"])
