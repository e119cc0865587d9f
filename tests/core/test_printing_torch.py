"""print(t) prints what PyTorch prints, character for character: widths, notation, wrapping at 80 columns,
summaries past 1000 elements, suffixes (dtype, grad_fn, requires_grad) and torch.set_printoptions."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.core import printing

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
ARRAYS = {
    "scalar": np.array(3.5, np.float32),
    "int scalar": np.array(-7),
    "bool scalar": np.array(True),
    "one-hot 5x27": np.eye(27, dtype=np.float32)[[0, 5, 13, 13, 1]],
    "counts 27x27": RNG.integers(0, 5000, (27, 27)).astype(np.int32),
    "whole floats": np.array([1.0, -2.0, 300.0], np.float32),
    "wide range": np.array([1e-5, 1.0, 3e3], np.float32),
    "huge": np.array([1e9, 2.0], np.float64),
    "randn 7": RNG.standard_normal(7).astype(np.float32),
    "randn 40": RNG.standard_normal(40).astype(np.float32),
    "randn 3x30": RNG.standard_normal((3, 30)).astype(np.float32),
    "randn 2x3x4": RNG.standard_normal((2, 3, 4)),
    "randn 2x2x3x3": RNG.standard_normal((2, 2, 3, 3)).astype(np.float32),
    "summary 1-D": np.arange(5000, dtype=np.float32) / 7,
    "summary 2-D": RNG.standard_normal((100, 100)).astype(np.float32),
    "summary 3-D": np.arange(20 * 30 * 4).reshape(20, 30, 4),
    "summary short rows": RNG.standard_normal((1200, 2)).astype(np.float32),
    "non-finite": np.array([np.nan, np.inf, -np.inf, 1.5, 0.0], np.float32),
    "non-finite whole": np.array([np.nan, 2.0, -np.inf], np.float32),
    "only zeros": np.zeros((2, 3), np.float32),
    "negative zero": np.array([-0.0, 1.25], np.float32),
    "bools": np.array([[True, False], [False, True]]),
    "uint8": np.arange(0, 250, 10, dtype=np.uint8),
    "int8": np.array([-128, 5, 127], np.int8),
    "float16": np.array([0.1, 1000.5, -3.0], np.float16),
    "float64": np.array([0.1, 0.2, 1 / 3]),
    "empty": np.zeros(0, np.float32),
    "empty long": np.zeros(0, np.int64),
    "empty 2-D": np.zeros((0, 3), np.float32),
    "empty 2-D float64": np.zeros((3, 0)),
}


def both(array: np.ndarray, requires_grad: bool = False) -> tuple[str, str]:
    ours = tg.tensor(array, requires_grad=requires_grad)
    theirs = torch.tensor(array, requires_grad=requires_grad)
    return repr(ours), repr(theirs)


@pytest.mark.parametrize("name", sorted(ARRAYS))
def test_repr_equals_torch(name: str) -> None:
    ours, theirs = both(ARRAYS[name])
    assert ours == theirs
    assert str(tg.tensor(ARRAYS[name])) == str(torch.tensor(ARRAYS[name]))


@pytest.mark.parametrize("name", ["randn 3x30", "one-hot 5x27", "float64", "scalar"])
def test_suffixes_wrap_as_torch(name: str) -> None:
    assert both(ARRAYS[name], requires_grad=True)[0] == both(ARRAYS[name], requires_grad=True)[1]
    ours = tg.tensor(ARRAYS[name], requires_grad=True) * 2
    theirs = torch.tensor(ARRAYS[name], requires_grad=True) * 2
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("options", [
    {"precision": 2}, {"profile": "short"}, {"profile": "full"}, {"sci_mode": True}, {"sci_mode": False},
    {"linewidth": 40}, {"threshold": 10, "edgeitems": 2}, {"edgeitems": 0, "threshold": 5},
])
def test_printoptions_equal_torch(options: dict) -> None:
    saved = torch._tensor_str.get_printoptions()
    try:
        tg.set_printoptions(**options)
        torch.set_printoptions(**options)
        for name in ("randn 3x30", "summary 2-D", "wide range", "counts 27x27", "randn 2x3x4", "summary 1-D"):
            assert repr(tg.tensor(ARRAYS[name])) == repr(torch.tensor(ARRAYS[name])), name
        assert printing.get_printoptions() == torch._tensor_str.get_printoptions()
    finally:
        tg.set_printoptions(profile="default")
        torch.set_printoptions(**saved)


def test_printoptions_context_restores() -> None:
    with printing.printoptions(precision=1):
        assert repr(tg.tensor([1.25, 2.5])) == "tensor([1.2, 2.5])"
    assert repr(tg.tensor([1.25, 2.5])) == "tensor([1.2500, 2.5000])"


def test_default_dtype_float64_shows_float32() -> None:
    tg.set_default_dtype(tg.float64)
    torch.set_default_dtype(torch.float64)
    try:
        for array in (np.array([1.5, 2.0]), np.array([1.5, 2.0], np.float32), np.zeros(0, np.float32)):
            assert repr(tg.tensor(array)) == repr(torch.tensor(array))
    finally:
        tg.set_default_dtype(tg.float32)
        torch.set_default_dtype(torch.float32)
