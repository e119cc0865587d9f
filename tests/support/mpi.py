"""Running real `mpiexec` jobs from tests: the launcher, a clean job environment, and a group-killing timeout."""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOBS = Path(__file__).resolve().with_name("mpi_jobs.py")
HAS_MPI4PY = importlib.util.find_spec("mpi4py") is not None
needs_mpi = pytest.mark.skipif(not HAS_MPI4PY, reason="mpi4py is not installed (pip install -e '.[distributed]')")
JOB_TIMEOUT = 60


def mpiexec() -> str:
    """The mpiexec installed beside this Python (pip's mpich in a venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("mpiexec")
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        pytest.fail("mpi4py is installed but no mpiexec was found beside sys.executable or on PATH")
    return found


def job_env(**extra: str) -> dict[str, str]:
    """The environment of a job: no launcher's variables, and no thread counts (ranks take their share themselves)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PMI_", "OMPI_", "MV2_", "PMIX_", "HYDRA_", "MPI_LOCAL"))
           and k not in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TINYGRAD_ADAM_THREADS")}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])), **extra)
    return env


def run_job(args: list[str], timeout: float = JOB_TIMEOUT, *, cwd: Path | None = None,
            **env: str) -> tuple[subprocess.CompletedProcess, float]:
    """Run a command in its own process group; on timeout kill the whole group and fail the test."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=job_env(**env),
                            cwd=cwd, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{' '.join(args)} hung for {timeout} s\nstdout:\n{out}\nstderr:\n{err}")
    return subprocess.CompletedProcess(args, proc.returncode, out, err), time.perf_counter() - start
