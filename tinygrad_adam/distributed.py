"""Processes that train one model together: torch.distributed's names on top of MPI (mpi4py).

    mpiexec -n 2 python -m mpi4py train.py

    import tinygrad_adam.distributed as dist
    dist.init_process_group("mpi")
    rank, world = dist.get_rank(), dist.get_world_size()

Which group `init_process_group("mpi")` makes:

- mpi4py importable: MPI's COMM_WORLD, whatever started the process (`mpiexec -n N` gives N ranks;
  plain `python train.py` gives MPI's one-process "singleton" world, no mpiexec needed).
- mpi4py not installed and no launcher in the environment: a one-process group without MPI, so the
  same script runs on a machine without the `distributed` extra.
- mpi4py not installed but a launcher started this process: refused (N copies would train alone).

A launcher announces the job's size in the environment (MPICH/Intel MPI's Hydra: PMI_SIZE;
Open MPI: OMPI_COMM_WORLD_SIZE; MVAPICH: MV2_COMM_WORLD_SIZE). When that size differs from
the size MPI reports, the `mpiexec` on the PATH belongs to another MPI library than the one
mpi4py was built with, and every process would silently train alone: `init_process_group`
raises instead.

With more than one rank, each rank takes its share of its machine's cores (the usable cores
divided by the ranks on that machine, for BLAS and for tinygrad_adam's own threads; see
`threads.share_cores`), so N ranks on one machine never run more threads than it has cores.

A rank that raises while the others wait in a collective would hang the job. With more than
one rank, `init_process_group` installs a `sys.excepthook` that prints the traceback and calls
`MPI.COMM_WORLD.Abort(1)`, which ends every rank. `python -m mpi4py script.py` does the same and
also covers `sys.exit(nonzero)` and Ctrl-C, which the excepthook does not see.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np

from ._platform import threads
from .core.tensor import Tensor
from .extras import install_hint

LAUNCHER_SIZE_VARIABLES = ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "MV2_COMM_WORLD_SIZE")
_NOT_INITIALIZED = "Default process group has not been initialized, please make sure to call init_process_group."


class ReduceOp(Enum):
    """How `all_reduce` combines the ranks' values (AVG is SUM divided by the world size)."""

    SUM = "sum"
    AVG = "avg"
    PRODUCT = "product"
    MIN = "min"
    MAX = "max"


class Work:
    """What `async_op=True` returns: `wait()` blocks until the operation has finished on this rank."""

    def __init__(self, request: Any = None, finish: Callable[[], None] | None = None):
        self._request, self._finish, self._done = request, finish, False

    def wait(self, timeout: timedelta | None = None) -> bool:
        if not self._done:
            if self._request is not None:
                self._request.Wait()
            if self._finish is not None:
                self._finish()
            self._done = True
        return True

    def is_completed(self) -> bool:
        return self._done


class _Group:
    """The default process group: this process's rank, the world size and the MPI communicator (None alone)."""

    def __init__(self, comm: Any, rank: int, size: int):
        self.comm, self.rank, self.size = comm, rank, size
        self.previous_excepthook: Callable[..., Any] | None = None


_group: _Group | None = None


def is_available() -> bool:
    """True: this module always works (as a one-process group when mpi4py is missing)."""
    return True


def is_mpi_available() -> bool:
    """Whether mpi4py can be imported, so that `init_process_group("mpi")` can span several processes."""
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        return False
    return True


def is_initialized() -> bool:
    return _group is not None


def launcher_world_size() -> tuple[int, str] | None:
    """(size, variable) when a launcher's environment variable announces a job of size > 1, else None."""
    for name in LAUNCHER_SIZE_VARIABLES:
        value = os.environ.get(name, "")
        if value.isdigit() and int(value) > 1:
            return int(value), name
    return None


def _mpiexec_hint() -> str:
    beside = Path(sys.executable).with_name("mpiexec")
    where = str(beside) if beside.exists() else "the mpiexec of the MPI library mpi4py was built with"
    return f"Launch with {where} (`python -m mpi4py --mpi-library` names that library)"


def init_process_group(backend: str | None = None, init_method: str | None = None, timeout: timedelta | None = None,
                       world_size: int = -1, rank: int = -1, store: Any = None, group_name: str = "",
                       pg_options: Any = None) -> None:
    """Join the default process group; the ranks and world size come from the MPI launcher.

    `backend` must be "mpi" (None means "mpi"). `init_method`, `store` and `pg_options` have no
    meaning for MPI and must be left unset. `world_size` and `rank`, when given, are checked
    against what MPI reports. `timeout` is accepted and not enforced: MPI collectives wait as
    long as the other ranks are alive, and a failing rank ends the job instead (see the module
    docstring).
    """
    global _group
    if _group is not None:
        raise RuntimeError("trying to initialize the default process group twice!")
    if backend is not None and str(backend).lower() != "mpi":
        raise ValueError(f"init_process_group(): backend {backend!r} is not supported; tinygrad_adam has 'mpi'")
    if init_method not in (None, "env://") or store is not None or pg_options is not None:
        raise ValueError("init_process_group(): the mpi backend takes its ranks from the launcher (mpiexec); "
                         "leave init_method, store and pg_options unset")
    announced = launcher_world_size()
    try:
        from mpi4py import MPI
    except ImportError:
        if announced is not None:
            raise RuntimeError(
                f"init_process_group(): {announced[1]}={announced[0]} says a launcher started {announced[0]} "
                "processes, but mpi4py is not installed, so each would train alone. Install the extra: "
                f"{install_hint('distributed')}") from None
        group = _Group(None, 0, 1)
    else:
        comm = MPI.COMM_WORLD
        group = _Group(comm, comm.Get_rank(), comm.Get_size())
        if announced is not None and announced[0] != group.size:
            raise RuntimeError(
                f"init_process_group(): the launcher started {announced[0]} processes ({announced[1]}="
                f"{announced[0]}) but MPI sees a world of {group.size}: mpiexec and mpi4py's MPI library do "
                f"not match ({' '.join(MPI.Get_library_version().split()[:3])}), so each process would "
                f"train alone. {_mpiexec_hint()}.")
    if world_size not in (-1, group.size) or rank not in (-1, group.rank):
        raise ValueError(f"init_process_group(): world_size={world_size}, rank={rank} were asked for but the "
                         f"launcher gave world size {group.size}, rank {group.rank}")
    if group.size > 1:
        group.previous_excepthook = sys.excepthook
        sys.excepthook = _abort_on_uncaught_exception
        on_this_machine = comm.Split_type(MPI.COMM_TYPE_SHARED)
        threads.share_cores(on_this_machine.Get_size())
        on_this_machine.Free()
    _group = group


ABORT_GRACE_SECONDS = 1.0
"""How long a failing rank waits between printing its traceback and aborting the job: on a loaded
machine, mpiexec was seen to drop the rank's last lines of output (or all of them) when the abort
came right after them."""


def _abort_on_uncaught_exception(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
    group = _group
    (group.previous_excepthook if group and group.previous_excepthook else sys.__excepthook__)(exc_type, exc, tb)
    if group is None or group.comm is None:
        return
    sys.stderr.write(f"rank {group.rank} of {group.size}: uncaught {exc_type.__name__}, aborting the MPI job\n")
    abort_job(group.comm, 130 if issubclass(exc_type, KeyboardInterrupt) else 1)


def abort_job(comm: Any, code: int) -> None:
    """End every rank of the job with `code`, after giving mpiexec time to pass on what this rank printed."""
    sys.stdout.flush()
    sys.stderr.flush()
    time.sleep(ABORT_GRACE_SECONDS)
    comm.Abort(code)


def destroy_process_group(group: Any = None) -> None:
    """Leave the default group (MPI itself is finalized by mpi4py at exit); init_process_group may be called again."""
    global _group
    if _group is None:
        raise RuntimeError(_NOT_INITIALIZED)
    if sys.excepthook is _abort_on_uncaught_exception:
        sys.excepthook = _group.previous_excepthook or sys.__excepthook__
    _group = None


def _default_group(group: Any = None) -> _Group:
    if group is not None:
        raise ValueError("only the default process group (group=None) is supported")
    if _group is None:
        raise RuntimeError(_NOT_INITIALIZED)
    return _group


def get_rank(group: Any = None) -> int:
    return _default_group(group).rank


def get_world_size(group: Any = None) -> int:
    return _default_group(group).size


def get_backend(group: Any = None) -> str:
    _default_group(group)
    return "mpi"


def barrier(group: Any = None, async_op: bool = False, device_ids: Any = None) -> Work | None:
    """Wait until every rank has reached this call."""
    g = _default_group(group)
    if g.comm is None:
        return Work() if async_op else None
    if async_op:
        return Work(g.comm.Ibarrier())
    g.comm.Barrier()
    return None


def _writable_array(tensor: Tensor | np.ndarray, op_name: str) -> np.ndarray:
    array = tensor.array if isinstance(tensor, Tensor) else tensor
    if not isinstance(array, np.ndarray) or not array.flags.c_contiguous or not array.flags.writeable:
        raise TypeError(f"{op_name}(): needs a Tensor (or NumPy array) with C-contiguous, writable memory, got "
                        f"{type(tensor).__name__}")
    return array


def all_reduce(tensor: Tensor | np.ndarray, op: ReduceOp = ReduceOp.SUM, group: Any = None,
               async_op: bool = False) -> Work | None:
    """Combine `tensor` across ranks, in place: afterwards every rank holds the same result."""
    g = _default_group(group)
    array = _writable_array(tensor, "all_reduce")
    if not isinstance(op, ReduceOp):
        raise ValueError(f"all_reduce(): op must be a ReduceOp, got {op!r}")
    if op is ReduceOp.AVG and array.dtype.kind != "f":
        raise TypeError(f"all_reduce(): ReduceOp.AVG needs a floating-point tensor, got dtype {array.dtype}")

    def finish() -> None:
        if op is ReduceOp.AVG and g.size > 1:
            np.divide(array, g.size, out=array)

    if g.comm is None or g.size == 1:
        return Work() if async_op else None
    from mpi4py import MPI

    mpi_op = {ReduceOp.SUM: MPI.SUM, ReduceOp.AVG: MPI.SUM, ReduceOp.PRODUCT: MPI.PROD,
              ReduceOp.MIN: MPI.MIN, ReduceOp.MAX: MPI.MAX}[op]
    if async_op:
        return Work(g.comm.Iallreduce(MPI.IN_PLACE, array, op=mpi_op), finish)
    g.comm.Allreduce(MPI.IN_PLACE, array, op=mpi_op)
    finish()
    return None


def broadcast(tensor: Tensor | np.ndarray, src: int, group: Any = None, async_op: bool = False) -> Work | None:
    """Copy rank `src`'s `tensor` into `tensor` on every other rank, in place."""
    g = _default_group(group)
    array = _writable_array(tensor, "broadcast")
    if not 0 <= src < g.size:
        raise ValueError(f"broadcast(): src={src} is not a rank of this world of size {g.size}")
    if g.comm is None or g.size == 1:
        return Work() if async_op else None
    if async_op:
        return Work(g.comm.Ibcast(array, root=src))
    g.comm.Bcast(array, root=src)
    return None


def all_gather_object(object_list: list[Any], obj: Any, group: Any = None) -> None:
    """Fill `object_list` (of world-size length) with every rank's `obj` (pickled between these processes)."""
    g = _default_group(group)
    if len(object_list) != g.size:
        raise ValueError(f"all_gather_object(): object_list has {len(object_list)} entries, the world has {g.size}")
    object_list[:] = [obj] if g.comm is None else g.comm.allgather(obj)


def broadcast_object_list(object_list: list[Any], src: int = 0, group: Any = None) -> None:
    """Replace `object_list`'s items on every rank with rank `src`'s (pickled between these processes)."""
    g = _default_group(group)
    if g.comm is not None and g.size > 1:
        object_list[:] = g.comm.bcast(list(object_list), root=src)


__all__ = [
    "LAUNCHER_SIZE_VARIABLES", "ReduceOp", "Work", "all_gather_object", "all_reduce", "barrier", "broadcast",
    "broadcast_object_list", "destroy_process_group", "get_backend", "get_rank", "get_world_size",
    "init_process_group", "is_available", "is_initialized", "is_mpi_available", "launcher_world_size",
]
