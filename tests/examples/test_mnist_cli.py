"""The example scripts as a user runs them, in subprocesses: one-line errors, Ctrl-C, resume, mpiexec.

Every run has a timeout (its whole process group is killed and the test fails), so nothing hangs CI.
MNIST runs use small subsets of the real files through TINYGRAD_ADAM_DATA; the rest use scikit-learn's
8x8 digits, offline.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from support.mpi import job_env, mpiexec, run_job

import tinygrad_adam as tg

ROOT = Path(__file__).resolve().parents[2]
MNIST = ROOT / "examples" / "mnist.py"
TIMEOUT = 90
DIGITS = ["--dataset", "digits", "--model", "mlp", "--epochs", "3", "--no-progress", "--limit-train", "600"]
needs_mnist = pytest.mark.skipif(not os.environ.get("TINYGRAD_ADAM_DATA"),
                                 reason="set TINYGRAD_ADAM_DATA to the folder holding mnist/")
needs_mpi = pytest.mark.skipif(importlib.util.find_spec("mpi4py") is None,
                               reason="mpi4py is not installed (pip install -e '.[distributed]')")


def run(args: list[str], timeout: float = TIMEOUT, **extra_env: str) -> subprocess.CompletedProcess:
    return run_job(args, timeout, cwd=ROOT, **extra_env)[0]


def mnist(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    return run([sys.executable, str(MNIST), *args], **extra_env)


def interrupt_at(pause: str, launch: list[str]) -> subprocess.CompletedProcess:
    """Start `launch` with the pause hook at EPOCH:STEP, send Ctrl-C (SIGINT) once it has paused there."""
    proc = subprocess.Popen(launch, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env=job_env(MNIST_EXAMPLE_PAUSE_AT=pause), start_new_session=True)
    deadline = time.monotonic() + TIMEOUT
    lines = []
    try:
        for line in proc.stdout:  # the hook waits for the signal, so this is no race against time
            lines.append(line)
            if line.startswith("paused after"):
                os.kill(proc.pid, signal.SIGINT)
                break
            if time.monotonic() > deadline:
                break
        out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"{' '.join(launch)} did not stop after Ctrl-C\nstdout:\n{''.join(lines)}{out}\nstderr:\n{err}")
    return subprocess.CompletedProcess(launch, proc.returncode, "".join(lines) + out, err)


def final_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def assert_one_line_error(result: subprocess.CompletedProcess, code: int = 2) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def uninterrupted() -> str:
    return final_line(mnist(*DIGITS))


# ----- bad input ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "says"), [
    (["--lr", "nan"], "--lr must be a positive finite number, got nan"),
    (["--lr", "-1"], "--lr must be a positive finite number, got -1.0"),
    (["--batch-size", "0"], "--batch-size must be at least 1, got 0"),
    (["--epochs", "0"], "--epochs must be at least 1, got 0"),
    (["--resume", "no/such/checkpoint.npz"], "--resume no/such/checkpoint.npz: no such file"),
])
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], says: str) -> None:
    assert assert_one_line_error(mnist(*args)) == f"error: {says}"


def test_a_corrupt_or_foreign_checkpoint_gives_one_line(tmp_path: Path) -> None:
    corrupt = tmp_path / "corrupt.npz"
    corrupt.write_bytes(b"PK\x03\x04 not really a zip")
    assert str(corrupt) in assert_one_line_error(mnist(*DIGITS, "--resume", str(corrupt)))
    foreign = tmp_path / "weights.npz"
    tg.save({"weight": np.zeros(3, dtype=np.float32)}, foreign)
    assert "not a checkpoint of examples/mnist.py" in assert_one_line_error(mnist(*DIGITS, "--resume", str(foreign)))


def test_an_unreadable_data_dir_gives_a_message_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = mnist("--data-dir", str(tmp_path / "empty"), "--no-progress",
                   TINYGRAD_ADAM_MNIST_MIRROR="http://127.0.0.1:9/")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: MNIST train set not found") and "--dataset digits" in result.stderr


@pytest.mark.parametrize(("script", "args"), [
    ("examples/adam_from_scratch.py", ["--alpha", "nan"]),
    ("examples/benchmark.py", ["--batch-size", "0"]),
    ("examples/benchmark_distributed.py", ["--steps", "0"]),
    ("examples/compare_optimizers.py", ["--steps", "-1"]),
    ("examples/cubic.py", ["--lr", "-1"]),
    ("experiments/adam_paper.py", ["--figure", "1", "--dataset", "digits", "--lr", "adam=nan"]),
])
def test_every_script_reports_a_bad_argument_in_one_line(script: str, args: list[str]) -> None:
    assert_one_line_error(run([sys.executable, str(ROOT / script), *args]))


# ----- a loss that is not finite --------------------------------------------------------------------------------------
def test_a_diverging_run_stops_with_the_advice() -> None:
    result = mnist(*DIGITS, "--lr", "1e30")
    line = assert_one_line_error(result, code=1)
    assert re.fullmatch(r"error: the loss became (nan|inf) in epoch 1 at step \d+: lower the learning rate \(--lr\) "
                        r"or find the op with tinygrad_adam\.autograd\.detect_anomaly\(\)", line), line


# ----- Ctrl-C and resume ----------------------------------------------------------------------------------------------
def test_ctrl_c_mid_epoch_saves_and_the_resumed_run_ends_as_the_uninterrupted_one(tmp_path: Path,
                                                                                  uninterrupted: str) -> None:
    checkpoint = tmp_path / "run.npz"
    stopped = interrupt_at("2:4", [sys.executable, str(MNIST), *DIGITS, "--save", str(checkpoint)])
    assert stopped.returncode == 130, stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert f"interrupted in epoch 2 after step 4 of 10; saved {checkpoint}" in stopped.stderr
    assert f"--resume {checkpoint}" in stopped.stderr
    saved = tg.load(checkpoint)
    assert (saved["epoch"], saved["step"]) == (1, 4)

    resumed = mnist(*DIGITS, "--resume", str(checkpoint))
    assert "resumed" in resumed.stdout and "after epoch 1, step 4" in resumed.stdout
    assert final_line(resumed) == uninterrupted


def test_ctrl_c_without_save_is_one_line_and_exit_130() -> None:
    stopped = interrupt_at("1:2", [sys.executable, str(MNIST), *DIGITS])
    assert stopped.returncode == 130
    assert stopped.stderr.strip() == ("interrupted in epoch 1 after step 2 of 10; nothing saved "
                                      "(--save PATH keeps a run to resume)")


# ----- data-parallel under mpiexec ------------------------------------------------------------------------------------
def ranks(n: int, *args: str) -> list[str]:
    return [mpiexec(), "-n", str(n), sys.executable, "-m", "mpi4py", str(MNIST), *args]


def figures(line: str) -> list[float]:
    return [float(x) for x in re.findall(r"\d+\.\d+", line)]


@needs_mpi
@needs_mnist
def test_two_ranks_print_once_and_end_where_one_process_ends() -> None:
    # batch 48 leaves a last batch of 8 of the 200 images: equal shares; 3 ranks would split 16-16-16 and 3-3-2
    flags = ["--limit-train", "200", "--limit-test", "100", "--epochs", "2", "--batch-size", "48", "--no-progress"]
    one = mnist(*flags)
    two = run(ranks(2, *flags))
    assert final_line(two).startswith("final:")
    assert two.stdout.count("epoch 1:") == 1 and two.stdout.count("final:") == 1  # only rank 0 prints
    assert "2 ranks" in two.stdout
    # the summation order differs between 1 and 2 ranks; allow one unit in the last printed digit
    np.testing.assert_allclose(figures(final_line(two)), figures(final_line(one)), atol=0.0101)


@needs_mpi
def test_a_two_rank_checkpoint_resumes_on_one_and_three_ranks(tmp_path: Path, uninterrupted: str) -> None:
    checkpoint = tmp_path / "run.npz"
    stopped = interrupt_at("2:4", ranks(2, *DIGITS, "--save", str(checkpoint)))
    assert stopped.returncode != 0 and checkpoint.exists(), stopped.stderr
    assert (tg.load(checkpoint)["epoch"], tg.load(checkpoint)["step"]) == (1, 4)
    for resumed in (mnist(*DIGITS, "--resume", str(checkpoint)), run(ranks(3, *DIGITS, "--resume", str(checkpoint)))):
        np.testing.assert_allclose(figures(final_line(resumed)), figures(uninterrupted), atol=0.0101)


@needs_mpi
@needs_mnist
def test_a_rank_that_cannot_find_the_data_ends_the_job_promptly(tmp_path: Path) -> None:
    flags = [sys.executable, "-m", "mpi4py", str(MNIST), "--limit-train", "200", "--no-progress"]
    start = time.perf_counter()
    (tmp_path / "empty").mkdir()
    result = run([mpiexec(), "-n", "1", *flags, ":", "-n", "1", *flags, "--data-dir", str(tmp_path / "empty")],
                 timeout=60, TINYGRAD_ADAM_MNIST_MIRROR="http://127.0.0.1:9/")
    assert result.returncode != 0
    assert "rank 1 of 2: error: MNIST train set not found" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - start < 30
