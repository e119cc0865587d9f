"""Run a lecture notebook's code cells with PyTorch and with tinygrad_adam and compare them cell by cell (issue 24).

    TINYGRAD_ADAM_DATA=../shared/datasets python experiments/lecture_notebooks.py NOTEBOOK.ipynb [--steps 2000]
        [--seed 0] [--names names.txt] [--show diff|all|none] [--json report.json]

The code cells run in order in one namespace, as Jupyter runs them: once in a process with `torch`, once in a
process where only the imports are changed (`import torch` becomes `import tinygrad_adam as torch`,
`torch.nn.functional` becomes `tinygrad_adam.nn.functional`, and so on). Each process has one thread
(OPENBLAS_NUM_THREADS=1, torch.set_num_threads(1)), a temporary working folder that holds names.txt, and
matplotlib's Agg backend; lines starting with % or ! (magics) are dropped. A cell's output is what Jupyter
shows as text: its stdout, then the IPython repr of its last expression unless the cell ends with `;`.

Both processes seed the default generator and Python's `random` with --seed (0 unless given; -1 leaves them
as they start), so cells that draw without a Generator (`torch.randn((27, 2))`, part 5's batches) get the
same numbers from both: the streams are PyTorch's.

--steps N caps the training loops: every `max_steps = <int>` and every `range(<int literal of 10000 or
more>)` becomes N, so the lectures' 200000-step loops run N steps; nothing else is changed.

Per cell it prints whether the two outputs are equal (memory addresses masked), close (the same text with
every number within 1e-3 relative) or differ, the same for the output stored in the notebook (the author's
run at full length and an older PyTorch: equal up to the first training loop where the cell seeds its own
Generator), and the CPU seconds of each. --show picks the cells whose line-by-line differences are printed;
--json writes every output.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import tokenize
import traceback
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("torch", "tinygrad_adam")
IMPORT_REWRITES = [
    (r"^(\s*)import torch(\s*(#.*)?)$", r"\1import tinygrad_adam as torch\2"),
    (r"^(\s*)import torch\.([\w.]+) as (\w+)", r"\1import tinygrad_adam.\2 as \3"),
    (r"^(\s*)from torch(\.[\w.]+)? import ", r"\1from tinygrad_adam\2 import "),
]
ADDRESS = re.compile(r"0x[0-9a-fA-F]{6,}")
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def code_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def cell_source(cell: dict[str, Any]) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def stored_output(cell: dict[str, Any]) -> str:
    """The text Jupyter showed for the cell when the notebook was saved: streams and text/plain results."""
    parts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream" and output.get("name") == "stdout":
            parts.append(cell_source({"source": output["text"]}))
        elif output["output_type"] == "execute_result":
            text = output["data"].get("text/plain", "")
            parts.append(cell_source({"source": text}) + "\n")
    return "".join(parts)


def prepare(source: str, framework: str, steps: int | None) -> str:
    lines = [line for line in source.split("\n") if not line.lstrip().startswith(("%", "!"))]
    source = "\n".join(lines)
    if framework != "torch":
        for pattern, replacement in IMPORT_REWRITES:
            source = re.sub(pattern, replacement, source, flags=re.M)
    if steps is not None:
        source = re.sub(r"^(\s*)max_steps\s*=\s*\d+", rf"\g<1>max_steps = {steps}", source, flags=re.M)
        source = re.sub(r"\brange\((\d{5,})\)", f"range({steps})", source)
    return source


def ends_with_semicolon(source: str) -> bool:
    """Jupyter shows nothing for a cell whose last code token (comments aside) is `;`."""
    skip = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type not in skip]
    return bool(tokens) and tokens[-1].string == ";"


def display_text(value: object) -> str:
    try:
        from IPython.lib.pretty import pretty
    except ImportError:
        return repr(value)
    return pretty(value)


def run_cells(notebook_path: str, framework: str, steps: int | None, seed: int | None) -> list[dict[str, Any]]:
    """Runs in the worker process: every code cell in order, in one namespace."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if framework == "torch":
        import torch

        torch.set_num_threads(1)
    else:
        import tinygrad_adam as torch
    if seed is not None:
        torch.manual_seed(seed)
        random.seed(seed)
    notebook = json.loads(Path(notebook_path).read_text())
    namespace: dict[str, Any] = {"__name__": "__main__"}
    results = []
    for index, cell in enumerate(code_cells(notebook)):
        source = prepare(cell_source(cell), framework, steps)
        stdout = io.StringIO()
        error = None
        start = time.process_time()
        try:
            tree = ast.parse(source)
            shown = None
            if tree.body and isinstance(tree.body[-1], ast.Expr) and not ends_with_semicolon(source):
                shown = ast.Expression(tree.body.pop().value)
            with contextlib.redirect_stdout(stdout):
                exec(compile(tree, f"<cell {index}>", "exec"), namespace)
                if shown is not None:
                    value = eval(compile(shown, f"<cell {index}>", "eval"), namespace)
                    if value is not None:
                        print(display_text(value))
        except Exception as exc:
            lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
            error = "".join(lines[-4:]).strip()
        plt.close("all")
        results.append(
            {"index": index, "output": stdout.getvalue(), "error": error, "cpu_s": time.process_time() - start}
        )
    return results


def masked(text: str) -> str:
    return ADDRESS.sub("0x…", text).rstrip()


def compare(a: str, b: str, rtol: float = 1e-3, atol: float = 0.0) -> str:
    """'equal', 'close' (same words, numbers within rtol, or atol of each other) or 'differ'."""
    a, b = masked(a), masked(b)
    if a == b:
        return "equal"
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return "differ"
    for x, y in zip(NUMBER.findall(a), NUMBER.findall(b), strict=True):
        fx, fy = float(x), float(y)
        if abs(fx - fy) > max(rtol * max(abs(fx), abs(fy), 1e-12), atol):
            return "differ"
    return "close"


def run_worker(notebook: Path, framework: str, options: argparse.Namespace, names: Path, out: Path) -> None:
    one_thread = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "TINYGRAD_ADAM_THREADS")}
    env = dict(os.environ, **one_thread, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "names.txt").symlink_to(names.resolve())
        command = [sys.executable, str(Path(__file__).resolve()), str(notebook.resolve()), "--worker", framework]
        command += ["--json", str(out.resolve()), "--seed", str(options.seed)]
        command += [] if options.steps is None else ["--steps", str(options.steps)]
        subprocess.run(command, cwd=folder, env=env, check=True)


LOSS_LINE = re.compile(r"^\s*(train|val|test)\s+[-+0-9.e]+\s*$")


def split_losses(text: str) -> str:
    """The `train 2.07` / `val 2.11` lines a cell prints after training (the lectures' split_loss)."""
    return "; ".join(line.strip() for line in text.splitlines() if LOSS_LINE.match(line))


def cell_row(cell: dict[str, Any], theirs: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    source = cell_source(cell).strip()
    if ours["error"] or theirs["error"]:
        torch_vs_ours = "both fail" if ours["error"] and theirs["error"] else "error"
    else:
        torch_vs_ours = compare(theirs["output"], ours["output"])
    stored = stored_output(cell)
    return {
        "cell": ours["index"],
        "first_line": source.splitlines()[0][:60] if source else "",
        "torch_vs_ours": torch_vs_ours,
        "stored_vs_torch": compare(stored, theirs["output"]) if stored else "-",
        "stored_vs_ours": compare(stored, ours["output"]) if stored else "-",
        "cpu_s": {"torch": round(theirs["cpu_s"], 2), "tinygrad_adam": round(ours["cpu_s"], 2)},
        "output": {"torch": theirs["output"], "tinygrad_adam": ours["output"], "stored": stored},
        "error": {"torch": theirs["error"], "tinygrad_adam": ours["error"]},
    }


def print_difference(row: dict[str, Any]) -> None:
    theirs, ours = (row["output"][f] + (row["error"][f] or "") for f in FRAMEWORKS)
    lines = difflib.unified_diff(theirs.splitlines(), ours.splitlines(), "torch", "tinygrad_adam", n=0, lineterm="")
    for line in list(lines)[:40]:
        print("    " + line[:160])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--steps", type=int, default=None, help="cap for max_steps and range(<10000+>) loops")
    parser.add_argument("--names", type=Path, default=None, help="names.txt (default: $TINYGRAD_ADAM_DATA/names)")
    parser.add_argument("--seed", type=int, default=0, help="the default generators' seed; -1: left unseeded")
    parser.add_argument("--show", choices=("diff", "all", "none"), default="diff")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", choices=FRAMEWORKS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        results = run_cells(str(args.notebook), args.worker, args.steps, None if args.seed < 0 else args.seed)
        args.json.write_text(json.dumps(results))
        return

    data = Path(os.environ.get("TINYGRAD_ADAM_DATA", REPO.parent / "shared" / "datasets"))
    names = args.names or data / "names" / "names.txt"
    cells = code_cells(json.loads(args.notebook.read_text()))
    runs: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for framework in FRAMEWORKS:
            out = Path(folder) / f"{framework}.json"
            run_worker(args.notebook, framework, args, names, out)
            runs[framework] = json.loads(out.read_text())

    report = [cell_row(*row) for row in zip(cells, runs["torch"], runs["tinygrad_adam"], strict=True)]
    for row in report:
        print(
            f"cell {row['cell']:3d}  torch/ours: {row['torch_vs_ours']:9s}  stored/torch: {row['stored_vs_torch']:6s}"
            f"  stored/ours: {row['stored_vs_ours']:6s}  cpu s {row['cpu_s']['torch']:7.2f}"
            f" {row['cpu_s']['tinygrad_adam']:7.2f}  | {row['first_line']}"
        )
        if args.show == "all" or (args.show == "diff" and row["torch_vs_ours"] not in ("equal", "both fail")):
            print_difference(row)
    kinds = ("equal", "close", "differ", "error", "both fail")
    counts = ", ".join(f"{kind} {sum(r['torch_vs_ours'] == kind for r in report)}" for kind in kinds)
    print(f"\n{args.notebook.name}: {len(report)} code cells; torch/ours: {counts}")
    for framework in FRAMEWORKS:
        losses = [split_losses(r["output"][framework]) for r in report]
        print(f"  {framework} split losses: " + " | ".join(loss for loss in losses if loss))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
