"""Atomic file writes: a crash or an error never leaves a half-written file behind."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO


def is_file_object(target: Any) -> bool:
    """A file object (anything with write or read, as torch.save and torch.load accept), not a path."""
    return hasattr(target, "write") or hasattr(target, "read")


@contextmanager
def writable(target: Any) -> Iterator[BinaryIO]:
    """A file object as it is (its owner closes it), or atomic_write of a path."""
    if is_file_object(target):
        yield target
        return
    with atomic_write(target) as f:
        yield f


@contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a temporary binary file next to `path`; on success it replaces `path`, on error it is removed.

    Readers never see a half-written file, and an existing file survives a failed write untouched.
    The temporary file (`.NAME.RANDOM.part`, its path in `.name`) gets the permissions open() would give.
    """
    final = Path(path)
    if not final.parent.is_dir():
        raise FileNotFoundError(f"cannot write {final}: directory {final.parent} does not exist")
    for _ in range(100):
        tmp_path = final.parent / f".{final.name}.{secrets.token_hex(6)}.part"
        try:
            tmp = open(tmp_path, "xb")  # exclusive create, mode 0o666 minus umask
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"could not create a temporary file next to {final}")
    try:
        yield tmp
        tmp.flush()
        os.fsync(tmp.fileno())
        tmp.close()
        os.replace(tmp_path, final)
    except BaseException:
        tmp.close()
        tmp_path.unlink(missing_ok=True)
        raise
