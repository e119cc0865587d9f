"""Differential fuzzer: tinygrad_adam against PyTorch on random variations of the op table's samples.

    python experiments/fuzz_ops.py --seed 0 --iterations 20000              # every entry of tests/core/optable.py
    python experiments/fuzz_ops.py --ops 'Tensor\\.(add|sum)$' --iterations 2000
    python experiments/fuzz_ops.py --seed 0 --case 1234 --verbose           # replay one case, with its arrays

Cases come from tests/core/fuzz.py (other dtypes, 0-dim, empty and broadcast shapes, NaN/inf, Python numbers
in place of tensors and dims, out=, random indexing); each is checked as the op table's runner checks a sample
(tests/core/test_optable_torch.py: error or not and its built-in type, result dtype, shape and values, the
in-place target, float64 gradients), with tighter tolerances here (--rtol64, --rtol32), and out= must return
the out tensor itself. Disagreements are grouped by entry and message; each group shows its first case and the
command that replays it. The exit status is 1 when any disagreement remains.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import time
import traceback
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "core")]  # this tree's package, not an installed one
import fuzz  # noqa: E402
import test_optable_torch as runner  # noqa: E402
from optable import OpEntry, Sample, T  # noqa: E402


def tolerances(rtol64: float, rtol32: float) -> None:
    """The runner's value comparison, with this run's tolerances (an entry's own looser rtol still counts)."""

    def same_values(ours: np.ndarray, theirs: np.ndarray, entry: OpEntry, where: str) -> None:
        if theirs.dtype.kind in "fc":
            double = theirs.dtype == np.float64
            rtol = max(entry.rtol if entry.rtol != 1e-5 else 0.0, rtol64 if double else rtol32)
            atol = 1e-12 if double else 1e-6
            ok = ours.shape == theirs.shape and np.allclose(ours, theirs, rtol=rtol, atol=atol, equal_nan=True)
        else:
            ok = np.array_equal(ours, theirs)
        if not ok:
            raise runner.Mismatch(f"{where}: values differ:\n{ours}\ntorch:\n{theirs}")

    runner._same_values = same_values


def _with_out_check(entry: OpEntry) -> OpEntry:
    """entry whose call also asks that a result given out= is the out tensor itself (as PyTorch returns it)."""

    def call(lib: Any, *args: Any, **kwargs: Any) -> Any:
        result = entry.call(lib, *args, **kwargs)
        out = kwargs.get("out")
        if isinstance(out, lib.Tensor) and result is not out:
            return "a result that is not the out tensor"
        return result

    return OpEntry(entry.name, call, entry.samples, entry.grad, entry.grad_if, entry.values, entry.inplace,
                   entry.rtol, entry.differs, entry.differs_if)


class TimedOut(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise TimedOut


def crashes_torch(case: fuzz.Case) -> bool:
    """A case on which PyTorch 2.13 itself crashes (a segfault would end the run), so it is skipped: pdist's
    backward on an input with no rows but some columns; EmbeddingBag of a 1-D input with empty offsets."""
    shapes = [a.array.shape if isinstance(a, T) else None for a in case.sample.args]
    first = shapes[0] if shapes else None
    if case.entry.name == "F.pdist":
        return first is not None and len(first) == 2 and first[0] == 0 and first[1] > 0
    if case.entry.name == "nn.EmbeddingBag":
        return first is not None and len(first) == 1 and len(shapes) > 1 and shapes[1] is not None and \
            0 in shapes[1]
    return False


def check(case: fuzz.Case, seconds: int = 0, error_types: bool = False) -> str | None:
    """None when tinygrad_adam agrees with torch on the case, else what differs (a case that runs longer than
    `seconds`, when given, is stopped and reported). Both raise, or neither: the exception types are compared
    only with error_types (a message in NumPy's words still counts: an internal error showing through)."""
    if crashes_torch(case):
        return None
    entry = _with_out_check(case.entry) if "out" in case.sample.kwargs else case.entry
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        runner.check_sample(entry, case.sample, error_types)
    except runner.Mismatch as m:
        return None if case.entry.differs_if(case.sample) else str(m)
    except TimedOut:
        return f"ran over {seconds} s"
    except Exception:  # noqa: BLE001 - the comparison itself failed: report it too
        return "the comparison raised:\n" + traceback.format_exc(limit=3)
    finally:
        signal.alarm(0)
    return None


def _key(entry: OpEntry, message: str) -> str:
    first = message.splitlines()[0] if message else ""
    first = re.sub(r"-?\d+(\.\d+)?(e-?\d+)?", "#", first)  # numbers and shapes: one group per kind of message
    return f"{entry.name}: {first[:160]}"


def _arrays(sample: Sample) -> str:
    lines = []

    def walk(value: Any, where: str) -> None:
        if isinstance(value, T):
            lines.append(f"  {where} = np.array({value.array.tolist()!r}, dtype={value.array.dtype})"
                         + (f"  # view {value.view}" if value.view else ""))
        elif isinstance(value, list | tuple):
            for i, v in enumerate(value):
                walk(v, f"{where}[{i}]")

    walk(sample.args, "args")
    for k, v in sample.kwargs.items():
        walk(v, k)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--iterations", type=int, default=2000)
    parser.add_argument("--ops", default=None, help="regular expression searched in entry names (Tensor.add, F.relu)")
    parser.add_argument("--case", type=int, default=None, help="replay this case number only")
    parser.add_argument("--indexing", type=float, default=0.1, help="share of random indexing cases")
    parser.add_argument("--rtol64", type=float, default=1e-9)
    parser.add_argument("--rtol32", type=float, default=2e-6)
    parser.add_argument("--no-numbers", action="store_true",
                        help="leave Python numbers (dims, flags, options) as the table has them")
    parser.add_argument("--error-types", action="store_true", help="compare the exception types too")
    parser.add_argument("--timeout", type=int, default=10, help="seconds a case may run (0: no limit)")
    parser.add_argument("--verbose", action="store_true", help="print every disagreement's arrays")
    args = parser.parse_args(argv)
    tolerances(args.rtol64, args.rtol32)
    pool = fuzz.entries(args.ops)
    if not pool:
        parser.error(f"no entry matches {args.ops!r}")
    numbers = [args.case] if args.case is not None else range(args.iterations)
    groups: dict[str, list[tuple[fuzz.Case, str]]] = defaultdict(list)
    start = time.perf_counter()
    for n in numbers:
        c = fuzz.case(args.seed, n, pool, args.indexing, not args.no_numbers)
        began = time.perf_counter()
        message = check(c, args.timeout, args.error_types)
        if args.timeout and message is None and time.perf_counter() - began > args.timeout:
            message = f"ran over {args.timeout} s (in NumPy's or torch's C code: not stopped)"
        if message is not None:
            groups[_key(c.entry, message)].append((c, message))
            if args.verbose:
                print(f"case {n}: {c.entry.name}{c.sample!r} [{c.how}]\n{message}\n{_arrays(c.sample)}\n")
    seconds = time.perf_counter() - start
    total = sum(len(g) for g in groups.values())
    print(f"{len(numbers)} cases over {len(pool)} entries in {seconds:.0f} s: {total} disagreements in "
          f"{len(groups)} groups")
    ops = f" --ops '{args.ops}'" if args.ops else ""
    ops += " --no-numbers" if args.no_numbers else ""
    ops += f" --indexing {args.indexing}" if args.indexing != 0.1 else ""
    for key, found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        c, message = found[0]
        print(f"\n[{len(found)}x] {key}\n  case {c.number}: {c.entry.name}{c.sample!r} [{c.how}]")
        print("  " + "\n  ".join(message.splitlines()[:6]))
        print(f"  replay: python experiments/fuzz_ops.py --seed {args.seed}{ops} --case {c.number} --verbose")
    return 1 if groups else 0


if __name__ == "__main__":
    sys.exit(main())
