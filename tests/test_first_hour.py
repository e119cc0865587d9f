"""What a newcomer meets first: a missing extra in one line, bad paths refused, terminal manners, the package.

Each script runs in a subprocess as a user runs it. A missing optional package is simulated by
blocking its import (sys.modules[name] = None) before the script starts.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MNIST = ROOT / "examples" / "mnist.py"
DIGITS = ["--dataset", "digits", "--model", "mlp", "--epochs", "2", "--limit-train", "300"]
UNREACHABLE = "http://127.0.0.1:9/"
TIMEOUT = 300  # seconds; runs take a few, but a shared machine can be very slow


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "OMPI_", "MV2_", "HYDRA_"))}
    for name in ("TINYGRAD_ADAM_TRACEBACK", "TINYGRAD_ADAM_NO_SKIPS"):
        base.pop(name, None)
    base["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")]))
    return {**base, **extra}


def without(modules: list[str], script: Path, *args: str) -> list[str]:
    """A command that runs `script` as `python script args` would, with `modules` impossible to import."""
    code = (f"import sys, runpy; sys.modules.update(dict.fromkeys({modules!r})); "
            f"sys.path.insert(0, {str(script.parent)!r}); sys.argv = [{str(script)!r}, *{list(args)!r}]; "
            f"runpy.run_path({str(script)!r}, run_name='__main__')")
    return [sys.executable, "-c", code]


def run(command: list[str], cwd: Path = ROOT, timeout: float = TIMEOUT, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env(**extra), capture_output=True, text=True, timeout=timeout)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ----- a missing extra: one line, before any work -----------------------------------------------------------------
@pytest.mark.parametrize(("script", "args"), [
    ("examples/mnist.py", ["--dataset", "digits", "--plot", "curves.png"]),
    ("examples/adam_from_scratch.py", ["--plot", "out"]),
    ("examples/compare_optimizers.py", ["--plot", "out"]),
    ("examples/cubic.py", ["--plot", "out"]),
])
def test_plot_without_matplotlib_is_one_line_naming_the_extra(tmp_path: Path, script: str, args: list[str]) -> None:
    line = one_line(run(without(["matplotlib"], ROOT / script, *args), cwd=tmp_path))
    assert line == ('error: --plot needs matplotlib, which is not installed: pip install -e ".[plot]" in a checkout '
                    'of tinygrad_adam, or pip install matplotlib')
    assert list(tmp_path.iterdir()) == []


def test_draw_graph_without_graphviz_or_dot_is_one_line(tmp_path: Path) -> None:
    script = ROOT / "examples" / "draw_graph.py"
    line = one_line(run(without(["graphviz"], script, "--out", "g"), cwd=tmp_path))
    assert 'needs graphviz' in line and 'pip install -e ".[viz]"' in line
    line = one_line(run([sys.executable, str(script), "--out", "g"], cwd=tmp_path, PATH=str(tmp_path)))
    assert "needs Graphviz's `dot` program: apt-get install graphviz" in line
    assert list(tmp_path.iterdir()) == []
    assert "digraph" in run(without(["graphviz"], script, "--dot"), cwd=tmp_path).stdout  # --dot needs neither


def test_mpiexec_without_mpi4py_is_one_line() -> None:
    line = one_line(run(without(["mpi4py"], MNIST, *DIGITS), PMI_SIZE="2", PMI_RANK="0"))
    assert line.startswith("error: running under mpiexec needs mpi4py") and '".[distributed]"' in line


# ----- paths are checked before anything is created ----------------------------------------------------------------
def test_a_missing_data_dir_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    line = one_line(run([sys.executable, str(MNIST), "--data-dir", str(missing)],
                        TINYGRAD_ADAM_MNIST_MIRROR=UNREACHABLE))
    assert line.startswith(f"error: --data-dir {missing}: no such folder")
    assert not missing.exists()


@pytest.mark.parametrize("flag", ["--save", "--plot"])
def test_an_output_in_a_missing_folder_is_refused_before_training(tmp_path: Path, flag: str) -> None:
    target = tmp_path / "no" / "such" / "file.npz"
    line = one_line(run([sys.executable, str(MNIST), *DIGITS, flag, str(target)]))  # nothing on stdout: no training
    assert line == f"error: {flag} {target}: the folder {target.parent} does not exist"
    assert not (tmp_path / "no").exists()


def test_a_failed_download_leaves_no_folder_and_speaks_of_data_dir(tmp_path: Path) -> None:
    from tinygrad_adam.data import DownloadError, download_mnist

    with pytest.raises(DownloadError):
        download_mnist(tmp_path / "a" / "b", mirrors=[UNREACHABLE], progress=False, timeout=5)
    assert list(tmp_path.iterdir()) == []
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run([sys.executable, str(MNIST), "--data-dir", str(empty)], TINYGRAD_ADAM_MNIST_MIRROR=UNREACHABLE)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "pass it as --data-dir <folder>" in result.stderr
    assert list(empty.iterdir()) == []


# ----- terminal manners ---------------------------------------------------------------------------------------------
def test_progress_bars_go_to_stderr_only_when_asked_or_a_terminal() -> None:
    quiet = run([sys.executable, str(MNIST), *DIGITS])  # stderr is a pipe here: no bars
    assert quiet.returncode == 0 and quiet.stderr == "" and "batch/s" not in quiet.stdout
    asked = run([sys.executable, str(MNIST), *DIGITS, "--progress"])
    assert asked.returncode == 0 and "epoch 1:   0%|" in asked.stderr and "batch/s" in asked.stderr
    assert "batch/s" not in asked.stdout and asked.stdout.splitlines()[-1] == quiet.stdout.splitlines()[-1]


def test_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen([sys.executable, str(MNIST), *DIGITS], cwd=ROOT, env=env(PYTHONUNBUFFERED="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().startswith("mlp on digits")
    proc.stdout.close()  # as `| head -1` does after its line
    _, err = proc.communicate(timeout=TIMEOUT)
    assert (proc.returncode, err) == (141, "")
    shell = subprocess.run(f"{shlex.quote(sys.executable)} {shlex.quote(str(MNIST))} {shlex.join(DIGITS)} | head -1",
                           shell=True, cwd=ROOT, env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert shell.stdout.startswith("mlp on digits") and shell.stderr == ""


def test_the_resume_hint_repeats_the_command_as_typed(tmp_path: Path) -> None:
    typed = [sys.executable, str(MNIST), *DIGITS, "--save", "run.npz"]
    proc = subprocess.Popen(typed, cwd=tmp_path, env=env(MNIST_EXAMPLE_PAUSE_AT="2:3"), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in proc.stdout:
            if line.startswith("paused after"):
                os.kill(proc.pid, signal.SIGINT)
                break
        _, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, err
    hint = err.strip().splitlines()[-1].strip()
    assert hint == f"cd {shlex.quote(str(tmp_path))} && {shlex.join([*typed, '--resume', 'run.npz'])}"
    resumed = subprocess.run(hint, shell=True, cwd="/", env=env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert resumed.returncode == 0 and "resumed run.npz after epoch 1, step 3" in resumed.stdout


# ----- the package ---------------------------------------------------------------------------------------------------
def test_the_wheel_ships_license_and_py_typed_and_works_from_any_folder(tmp_path: Path) -> None:
    """`pip install .` gives a package that imports anywhere; examples/mnist.py run from a checkout with the
    installed package finds the data in the checkout's datasets/ folder, as README's Data section says."""
    pytest.importorskip("setuptools")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True, timeout=TIMEOUT)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp_path / "dist").glob("tinygrad_adam-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "tinygrad_adam/py.typed" in names and any(n.endswith("licenses/LICENSE") or n.endswith("/LICENSE")
                                                     for n in names)
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)  # what pip install puts in site-packages
    checkout = tmp_path / "checkout"
    (checkout / "examples").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("")
    for name in ("mnist.py", "common.py"):
        (checkout / "examples" / name).write_text((ROOT / "examples" / name).read_text())
    mnist = checkout / "datasets" / "mnist"
    _write_tiny_mnist(mnist)
    outside = {k: v for k, v in env().items() if k not in ("TINYGRAD_ADAM_DATA", "PYTHONPATH")}
    outside.update(PYTHONPATH=str(site), HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path / "cache"),
                   TINYGRAD_ADAM_MNIST_MIRROR=UNREACHABLE)
    where = subprocess.run([sys.executable, "-c", "import tinygrad_adam; print(tinygrad_adam.__file__)"],
                           cwd=tmp_path, env=outside, capture_output=True, text=True, timeout=TIMEOUT)
    assert where.stdout.strip().startswith(str(site)), where.stderr
    trained = subprocess.run([sys.executable, "examples/mnist.py", "--model", "mlp", "--epochs", "1"],
                             cwd=checkout, env=outside, capture_output=True, text=True, timeout=TIMEOUT)
    assert trained.returncode == 0, trained.stderr
    assert "mlp on mnist: 64 train / 32 test images" in trained.stdout
    assert not (tmp_path / "cache").exists()


def _write_tiny_mnist(folder: Path) -> None:
    import numpy as np

    from tinygrad_adam.data.mnist import FILES

    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for split, n in (("train", 64), ("test", 32)):
        images, labels = FILES[split]
        (folder / images).write_bytes(b"\x00\x00\x08\x03" + np.array([n, 28, 28], ">i4").tobytes()
                                      + rng.integers(0, 256, (n, 28, 28), dtype=np.uint8).tobytes())
        (folder / labels).write_bytes(b"\x00\x00\x08\x01" + np.array([n], ">i4").tobytes()
                                      + rng.integers(0, 10, n, dtype=np.uint8).tobytes())


# ----- the test run's own summary ------------------------------------------------------------------------------------
def test_the_summary_names_every_skip_and_how_to_check_it_and_ci_allows_none(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_oracle_torch.py").write_text('"""Adam against the oracle."""\nimport pytest\n'
                                                   'pytest.importorskip("torch_that_is_not_there")\n'
                                                   'def test_x():\n    pass\n')
    (tmp_path / "test_data.py").write_text('"""Real data."""\nimport pytest\ndef test_ok():\n    pass\n'
                                           'def test_real():\n    pytest.skip("set TINYGRAD_ADAM_DATA, please")\n')
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", str(tmp_path)]
    result = run(command, cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    out = result.stdout
    assert "unchecked: 2 skipped" in out
    assert "test_oracle_torch.py: the whole module (Adam against the oracle.)" in out
    assert 'to check: pip install -e ".[test]"' in out
    assert "test_data.py: 1 test (Real data.)" in out and "to check: TINYGRAD_ADAM_DATA=" in out
    strict = run(command, cwd=tmp_path, TINYGRAD_ADAM_NO_SKIPS="1")
    assert strict.returncode == 1 and "TINYGRAD_ADAM_NO_SKIPS is set and tests were skipped" in strict.stdout
