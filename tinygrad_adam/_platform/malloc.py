"""Keep freed memory in the process between training steps (glibc only).

Each training step builds a graph holding tens of MB of arrays and frees it at the end. With
glibc's defaults, large arrays are mmap'ed and unmapped again, and freed heap is trimmed back to
the OS, so the next step page-faults all of it back in. Raising the mmap and trim thresholds lets
malloc reuse that memory instead (docs/performance.md has the measured effect). Set
TINYGRAD_ADAM_NO_MALLOPT=1 to leave malloc alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def keep_freed_memory(trim_threshold: int = 1 << 30, mmap_threshold: int = 1 << 25) -> bool:
    """Ask glibc's malloc to keep freed memory for reuse; returns True when the settings were applied."""
    if not sys.platform.startswith("linux") or os.environ.get("TINYGRAD_ADAM_NO_MALLOPT"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to tune
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, trim_threshold)) and bool(mallopt(M_MMAP_THRESHOLD, mmap_threshold))
