"""Run a PyTorch program as it is and with only its imports changed to tinygrad_adam, and compare the losses.

    python experiments/lecture_programs.py PROGRAM [--data FILE ...] [--set NAME=VALUE ...]
        [--framework both|ours|torch] [--timeout S] [--stop-at REGEX] [--threads N] [--keep DIR]
        [-- THE PROGRAM'S ARGUMENTS]

Examples (the sources are not part of this repository; copy them anywhere first):

    python experiments/lecture_programs.py /tmp/ngv/bigram.py --data /tmp/ngv/input.txt
    python experiments/lecture_programs.py /tmp/ngv/gpt.py --data /tmp/ngv/input.txt \\
        --set max_iters=3 --set eval_interval=2 --set eval_iters=2
    python experiments/lecture_programs.py /tmp/mm/makemore.py --data /tmp/mm/names.txt -- \\
        --type mlp --max-steps 1000 --work-dir out

Each framework runs the program in its own process, in its own temporary directory holding the copies of
the data files, one after the other, with `--threads` threads (OMP/OpenBLAS/MKL_NUM_THREADS and
TINYGRAD_ADAM_THREADS; PyTorch takes its intra-op thread count from OMP_NUM_THREADS). PyTorch runs the
program text itself; tinygrad_adam runs it after the textual replacements of IMPORTS, which touch nothing
but import lines. `--set NAME=VALUE` rewrites a top-level assignment `NAME = ...` (its trailing comment
kept) in both copies, for a shorter run of a program that has no command line. In the program's
arguments, `{framework}` becomes `ours` or `torch` (a work directory of each: `--work-dir /tmp/out_{framework}`).

Printed: both outputs (the lines that mention a loss side by side, with the largest difference of their
numbers), and for each run its wall time, its CPU time, the CPU time (from /proc, 10 ms ticks) at which
each loss line appeared, and the median CPU time per step between loss lines that name their step.
Nothing is executed but the program given and this repository's package.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IMPORTS: list[tuple[str, str]] = [
    # import torch
    (r"^(\s*)import torch\s*$", r"\1import tinygrad_adam as torch"),
    # import torch.nn as nn, import torch.nn.functional as F
    (r"^(\s*)import torch((?:\.\w+)+) as (\w+)\s*$", r"\1import tinygrad_adam\2 as \3"),
    # import torch.nn (binds the name torch)
    (r"^(\s*)import torch((?:\.\w+)+)\s*$", r"\1import tinygrad_adam\2; import tinygrad_adam as torch"),
    # from torch import nn, from torch.nn import functional as F, from torch.utils.data import Dataset
    (r"^(\s*)from torch((?:\.\w+)*) import ", r"\1from tinygrad_adam\2 import "),
]
"""Textual replacements, line by line, that turn PyTorch's imports into tinygrad_adam's."""

TORCH_IMPORT = re.compile(r"^\s*(import|from)\s+torch(vision)?\b")
STEP = re.compile(r"\bstep (\d+)")
LOSS = re.compile(r"loss\b[^0-9\-\n]{0,12}?(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)", re.IGNORECASE)


def rewrite_imports(source: str, table: list[tuple[str, str]] = IMPORTS) -> str:
    """The program with only its torch imports pointed at tinygrad_adam; fails on an import the table misses."""
    lines = []
    for line in source.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        for pattern, replacement in table:
            body, n = re.subn(pattern, replacement, body)
            if n:
                break
        if TORCH_IMPORT.match(body):
            raise SystemExit(f"an import the table does not rewrite: {body.strip()!r}")
        lines.append(body + line[len(line.rstrip("\r\n")):])
    return "".join(lines)


def set_constant(source: str, name: str, value: str) -> str:
    """Replace the value of the top-level assignment `name = ...`, keeping a trailing comment."""
    pattern = re.compile(rf"^({re.escape(name)}\s*=\s*)([^#\n]*?)(\s*(?:#.*)?)$", re.MULTILINE)
    source, n = pattern.subn(lambda m: m.group(1) + value + m.group(3), source)
    if n != 1:
        raise SystemExit(f"--set {name}: {n} top-level assignments of {name} in the program, expected 1")
    return source


@dataclass
class Run:
    framework: str
    lines: list[str] = field(default_factory=list)
    cpu_at_line: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    cpu_s: float = 0.0
    returncode: int | None = None
    timed_out: bool = False
    stopped: bool = False


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a running process and its waited-for children, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime


def run_program(framework: str, source: str, data: list[Path], argv: list[str], threads: int,
                timeout: float, keep: Path | None, stop_at: re.Pattern[str] | None = None) -> Run:
    workdir = Path(tempfile.mkdtemp(prefix=f"lecture_{framework}_"))
    for path in data:
        shutil.copy(path, workdir / path.name)
    (workdir / "program.py").write_text(source)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TINYGRAD_ADAM_THREADS"):
        env[name] = str(threads)
    if framework == "ours":
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = Run(framework)
    start_wall = time.perf_counter()
    before = os.times()
    argv = [arg.replace("{framework}", framework) for arg in argv]
    proc = subprocess.Popen([sys.executable, "program.py", *argv], cwd=workdir, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            run.cpu_at_line.append(_process_cpu_s(proc.pid))
            run.lines.append(line.rstrip("\n"))
            if stop_at is not None and stop_at.search(line) and not run.stopped:
                run.stopped, run.cpu_s = True, run.cpu_at_line[-1]
                proc.kill()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        run.returncode = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        run.timed_out = True
        run.cpu_s = _process_cpu_s(proc.pid)
        proc.kill()
        proc.wait()
    reader.join(5)
    run.wall_s = time.perf_counter() - start_wall
    after = os.times()
    if not (run.timed_out or run.stopped):
        run.cpu_s = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        (keep / f"{framework}.txt").write_text("\n".join(run.lines) + "\n")
        (keep / f"{framework}_program.py").write_text(source)
    shutil.rmtree(workdir, ignore_errors=True)
    return run


def loss_lines(run: Run) -> list[tuple[str, list[float], float]]:
    found = []
    for line, cpu in zip(run.lines, run.cpu_at_line, strict=True):
        numbers = [float(m.group(1)) for m in LOSS.finditer(line)]
        if numbers:
            found.append((line, numbers, cpu))
    return found


def cpu_per_step(run: Run) -> float:
    """Median CPU seconds per step between consecutive loss lines that name their step ("step N")."""
    marks = [(int(m.group(1)), cpu) for line, _, cpu in loss_lines(run) if (m := STEP.search(line))]
    rates = [(c2 - c1) / (s2 - s1) for (s1, c1), (s2, c2) in zip(marks, marks[1:], strict=False) if s2 > s1]
    return statistics.median(rates) if rates else float("nan")


def report(runs: list[Run]) -> None:
    for run in runs:
        status = "timed out" if run.timed_out else "stopped at --stop-at" if run.stopped else f"exit {run.returncode}"
        print(f"==== {run.framework}: {status}, wall {run.wall_s:.1f} s, CPU {run.cpu_s:.1f} s, "
              f"median CPU per step between loss lines {1000 * cpu_per_step(run):.1f} ms")
        print("\n".join(run.lines))
    tables = {run.framework: loss_lines(run) for run in runs}
    if len(runs) == 2:
        ours, theirs = tables["ours"], tables["torch"]
        print("==== loss lines, ours | torch (CPU s at the line, ours | torch)")
        worst = 0.0
        for (a, na, ca), (b, nb, cb) in zip(ours, theirs, strict=False):
            diff = max((abs(x - y) for x, y in zip(na, nb, strict=False)), default=float("nan"))
            worst = max(worst, diff) if len(na) == len(nb) else worst
            print(f"{a}  |  {b}   [max |diff| {diff:.2e}; {ca:.1f} | {cb:.1f} s]")
        if len(ours) != len(theirs):
            print(f"loss lines: {len(ours)} ours, {len(theirs)} torch")
        print(f"largest difference of the paired loss numbers: {worst:.3e}")
        matcher = difflib.SequenceMatcher(None, runs[0].lines, runs[1].lines, autojunk=False)
        same = sum(block.size for block in matcher.get_matching_blocks())
        print(f"output lines in common (in order): {same}; ours printed {len(runs[0].lines)}, "
              f"torch {len(runs[1].lines)}")
    else:
        for line, _, cpu in next(iter(tables.values())):
            print(f"{line}   [{cpu:.1f} s]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("program", type=Path)
    parser.add_argument("--data", type=Path, action="append", default=[], help="a file the program reads by name")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--framework", choices=("both", "ours", "torch"), default="both")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per framework")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--stop-at", type=re.compile, metavar="REGEX",
                        help="end the program once a line of its output matches (the rest of a long run)")
    parser.add_argument("--keep", type=Path, help="write the outputs and the programs run here")
    own, argv = sys.argv[1:], []
    if "--" in own:
        own, argv = own[:own.index("--")], own[own.index("--") + 1:]
    args = parser.parse_args(own)

    source = args.program.read_text()
    for setting in args.set:
        name, sep, value = setting.partition("=")
        if not sep:
            parser.error(f"--set takes NAME=VALUE, got {setting!r}")
        source = set_constant(source, name.strip(), value.strip())
    frameworks = ["ours", "torch"] if args.framework == "both" else [args.framework]
    programs = {"ours": rewrite_imports(source), "torch": source}
    runs = [run_program(f, programs[f], args.data, argv, args.threads, args.timeout, args.keep, args.stop_at)
            for f in frameworks]
    report(runs)


if __name__ == "__main__":
    main()
