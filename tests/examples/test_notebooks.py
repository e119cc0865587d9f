"""The teaching notebooks run top to bottom (MNIST on a small subset)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@pytest.mark.parametrize("name", ["1_backprop_from_scratch", "2_adam_line_by_line", "3_mnist",
                                  "4_attention_from_scratch"])
def test_notebook_runs(name, monkeypatch, tmp_path):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("matplotlib")
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells)
    if "draw_graph" in source:
        pytest.importorskip("graphviz")
        if shutil.which("dot") is None:
            pytest.skip("Graphviz's dot program is not installed")
    if "tqdm" in source:
        pytest.importorskip("ipywidgets")  # the progress bar is a widget (the test and notebooks extras bring it)
    if "load_mnist" in source and not os.environ.get("TINYGRAD_ADAM_DATA"):
        pytest.skip("TINYGRAD_ADAM_DATA is not set, so the MNIST files would have to be downloaded")
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")  # stored clean
    monkeypatch.setenv("TINYGRAD_ADAM_QUICK", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(NOTEBOOKS.parent),
                                                                     os.environ.get("PYTHONPATH")])))
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    warnings = [out.text for out in outputs if out.output_type == "stream" and "Warning" in out.text]
    assert not warnings  # e.g. tqdm's "IProgress not found" without ipywidgets
    if "tqdm" in source:  # a progress bar renders as a widget, as in JupyterLab
        assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {}) for out in outputs)
    images = [out for out in outputs if "image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})]
    assert len(images) >= 3  # each notebook teaches with pictures
