"""examples/names.py --framework torch runs the same models in PyTorch, and lands near our run."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "names.py"
NAMES = ["emma", "olivia", "ava", "isabella", "sophia", "charlotte", "mia", "amelia", "harper", "evelyn", "abigail",
         "emily", "elizabeth", "mila", "ella", "avery", "sofia", "camila", "aria", "scarlett", "victoria"] * 4


@pytest.fixture(autouse=True)
def one_torch_thread():  # noqa: ANN201
    """Tiny models: PyTorch's thread pool only fights the other processes on a shared machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("model", ["mlp", "lstm"])
def test_the_same_run_in_torch_lands_near_ours(tmp_path: Path, model: str) -> None:
    spec = importlib.util.spec_from_file_location("names_example_torch", EXAMPLE)
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    data = tmp_path / "names.txt"
    data.write_text("\n".join(NAMES))
    argv = ["--model", model, "--steps", "100", "--eval-every", "100", "--data", str(data), "--samples", "1",
            "--lr", "0.5" if model == "mlp" else "0.01"]
    ours = example.main(argv)
    theirs = example.main(argv + ["--framework", "torch"])
    assert theirs["train"] < 2.6 and ours["train"] < 2.6  # both learn (log 27 = 3.3)
    assert abs(ours["test"] - theirs["test"]) < 0.25  # different initial weights, same data and batches
