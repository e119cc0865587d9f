"""The optimizer examples reach their stated end points; adam_from_scratch reproduces the tutorial bit for bit."""

from __future__ import annotations

import importlib.util
import sys
from math import sqrt
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def tutorial_adam(n_iter: int = 60, alpha: float = 0.02, beta1: float = 0.8, beta2: float = 0.999,
                  eps: float = 1e-8) -> tuple[list[str], np.ndarray]:
    """A plain NumPy transcription of the tutorial's adam() loop: one coordinate at a time."""

    def objective(x, y):
        return x**2.0 + y**2.0

    def derivative(x, y):
        return np.asarray([x * 2.0, y * 2.0])

    bounds = np.asarray([[-1.0, 1.0], [-1.0, 1.0]])
    np.random.seed(1)
    x = bounds[:, 0] + np.random.rand(len(bounds)) * (bounds[:, 1] - bounds[:, 0])
    m = [0.0 for _ in range(bounds.shape[0])]
    v = [0.0 for _ in range(bounds.shape[0])]
    lines, path = [], [x.copy()]
    for t in range(n_iter):
        g = derivative(x[0], x[1])
        for i in range(x.shape[0]):
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] ** 2
            mhat = m[i] / (1.0 - beta1 ** (t + 1))
            vhat = v[i] / (1.0 - beta2 ** (t + 1))
            x[i] = x[i] - alpha * mhat / (sqrt(vhat) + eps)
        score = objective(x[0], x[1])
        lines.append(">%d f(%s) = %.5f" % (t, x, score))  # noqa: UP031
        path.append(x.copy())
    return lines, np.array(path)


@pytest.fixture(scope="module")
def adam_example() -> ModuleType:
    return _load("adam_from_scratch")


@pytest.mark.parametrize("gradient", ["autograd", "analytic"])
def test_adam_from_scratch_reproduces_the_tutorial_bit_for_bit(adam_example: ModuleType, gradient: str) -> None:
    printed: list[str] = []
    result = adam_example.run(gradient=gradient, out=printed.append)
    lines, path = tutorial_adam()
    np.testing.assert_array_equal(result.path, path)  # float64, every iteration, every bit
    assert printed[:60] == lines
    assert printed[0] == ">0 f([-0.14595599  0.42064899]) = 0.19825"  # the tutorial's first line


def test_adam_from_scratch_end_point(adam_example: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    result = adam_example.main([])
    out = capsys.readouterr().out.splitlines()
    assert out[59] == ">59 f([ 0.00018407 -0.00054858]) = 0.00000"
    assert out[-2:] == ["Done!", "f([ 0.00018407 -0.00054858]) = 0.000000"]
    assert result.steps == 60
    assert 3.3e-7 < result.value < 3.4e-7  # 0.00018407² + 0.00054858²
    np.testing.assert_allclose(result.x, [0.00018407, -0.00054858], atol=1e-8)


def test_adam_from_scratch_explain_prints_algorithm_quantities(adam_example: ModuleType) -> None:
    printed: list[str] = []
    adam_example.run(n_iter=2, explain_steps=1, out=printed.append)
    text = "\n".join(printed)
    assert "bias corrections 1 − β1^t = 0.2, 1 − β2^t = 0.001" in text
    assert "= [-0.33191198  0.88129797]" in text  # g at the start, and m̂ = g at t = 1
    assert "= [ 0.02 -0.02]" in text  # the first step is alpha·sign(g)
    assert "t = 2" not in text


def test_cubic_example_ends_near_the_local_minimum(capsys: pytest.CaptureFixture[str]) -> None:
    result = _load("cubic").main([])
    assert result.steps == 100
    assert result.path[0] == 0.001
    assert abs(result.x - 4 / 3) < 1e-3  # measured 1.332553
    assert 0 < result.value - 22 / 27 < 2e-6  # measured 0.8148160 vs 22/27 = 0.8148148
    assert result.path.max() > 1.5  # it overshoots 4/3 first (1.501078 at step 35)
    out = capsys.readouterr().out
    assert "final after 100 steps: x = 1.332553  f(x) = 0.8148160" in out
    assert "smallest x after it:  1.268480 at step 55" in out


def test_compare_optimizers_table(capsys: pytest.CaptureFixture[str]) -> None:
    module = _load("compare_optimizers")
    rows = module.main(["--function", "beale", "--steps", "120", "--optimizers", "sgd,adam,adamw"])
    out = capsys.readouterr().out
    assert [r.optimizer for r in rows] == ["sgd", "adam", "adamw"]
    adam = rows[1]
    assert adam.lr == 0.3 and adam.steps_to_tol == 102 and 1e-4 < adam.final_gap < 1e-3  # measured 3.948e-04
    assert rows[0].steps_to_tol is None  # SGD at lr 0.03 needs 194 steps on Beale
    assert rows[2].final_gap > 1e-2  # AdamW's decay pulls towards the origin, away from (3, 0.5)
    assert "Adam" in out and "steps to 0.001" in out


def test_compare_optimizers_reports_divergence(capsys: pytest.CaptureFixture[str]) -> None:
    module = _load("compare_optimizers")
    rows = module.main(["--function", "rosenbrock", "--steps", "50", "--optimizers", "sgd", "--lr", "sgd=0.1"])
    assert rows[0].diverged
    assert "diverged" in capsys.readouterr().out


def test_examples_write_plots(adam_example: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("matplotlib")
    adam_example.main(["--iterations", "5", "--plot", str(tmp_path)])
    _load("cubic").main(["--steps", "5", "--plot", str(tmp_path)])
    _load("compare_optimizers").main(["--function", "booth", "--steps", "5", "--optimizers", "adam,sgd",
                                      "--plot", str(tmp_path)])
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["adam_bowl_contour.png", "adam_bowl_path.png", "adam_bowl_surface.png", "compare_booth_paths.png",
                     "compare_booth_values.png", "cubic.png"]
    for png in tmp_path.iterdir():
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert 5_000 < png.stat().st_size < 200_000
