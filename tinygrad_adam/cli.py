"""One behaviour for every command-line script: a user's mistake is a line on stderr, not a traceback.

    from tinygrad_adam.cli import run_cli

    if __name__ == "__main__":
        run_cli(main)

The errors a user can cause, and what `run_cli` makes of them:

- ValueError: a bad argument (`--lr nan`), and the library's refusals of bad bytes, which
  subclass it (`CheckpointError`, `IDXError`): `error: <message>` on stderr, exit code 2.
- OSError: a missing or unreadable file or folder (`FileNotFoundError`, `DatasetNotFoundError`,
  `DownloadError`, `PermissionError`): the same.
- MissingDependencyError: an optional extra that a flag needs is not installed: the same (scripts
  check this when they parse their flags, before any work; see tinygrad_adam.extras).
- KeyboardInterrupt (Ctrl-C): `interrupted` on stderr, exit code 130 (128 + SIGINT, as shells do).
- BrokenPipeError on stdout (`script | head -1`): nothing more is printed, exit code 141 (128 + SIGPIPE).

Anything else is a bug and keeps its traceback; so do the errors above when the environment
variable TINYGRAD_ADAM_TRACEBACK is set (to debug where a ValueError came from).

In an MPI job of several ranks (tinygrad_adam.distributed initialised), the line is prefixed with
the rank, and the job is aborted so that the other ranks, which may be waiting for this one in a
collective, end too (a plain exit would leave them waiting).
"""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from collections.abc import Callable
from typing import Any, NoReturn

from .extras import MissingDependencyError

USER_ERRORS: tuple[type[BaseException], ...] = (ValueError, OSError, MissingDependencyError)
TRACEBACK_ENV = "TINYGRAD_ADAM_TRACEBACK"


def fail(message: str | None, code: int = 2) -> NoReturn:
    """Print `message` on stderr and end the program (the whole MPI job when it has several ranks) with `code`.

    `message=None` ends quietly, as after a closed pipe: stdout is pointed at os.devnull first, so that
    the interpreter's last flush of it fails no more.
    """
    rank, world = _mpi_rank_and_world()
    prefix = f"rank {rank} of {world}: " if world > 1 else ""
    if message is None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    else:
        sys.stdout.flush()
        sys.stderr.write(f"{prefix}{message}\n")
        sys.stderr.flush()
    if world > 1:
        from mpi4py import MPI

        from .distributed import abort_job

        abort_job(MPI.COMM_WORLD, code)
    raise SystemExit(code)


def check_at_least(args: Namespace, minimum: int, *dests: str) -> None:
    """Raise ValueError naming the flag if an argparse `dest` of `args` is below `minimum` (None passes)."""
    for dest in dests:
        value = getattr(args, dest)
        if value is not None and value < minimum:
            raise ValueError(f"--{dest.replace('_', '-')} must be at least {minimum}, got {value}")


def run_cli(main: Callable[[], Any]) -> Any:
    """Call `main()`; turn the errors a user can cause into one line and an exit code (see the module docstring)."""
    try:
        result = main()
        sys.stdout.flush()  # a pipe closed early fails here at the latest, while the error can still be caught
        return result
    except BrokenPipeError:
        fail(None, 141)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except USER_ERRORS as e:
        if os.environ.get(TRACEBACK_ENV):
            raise
        fail(f"error: {e}", 2)


def _mpi_rank_and_world() -> tuple[int, int]:
    dist = sys.modules.get("tinygrad_adam.distributed")
    if dist is None or not dist.is_initialized():
        return 0, 1
    return dist.get_rank(), dist.get_world_size()


__all__ = ["TRACEBACK_ENV", "USER_ERRORS", "check_at_least", "fail", "run_cli"]
