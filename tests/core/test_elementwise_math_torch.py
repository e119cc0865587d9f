"""Elementwise math at infinities against torch (found by experiments/fuzz_ops.py): lerp's two forms,
lgamma(-inf)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

START = np.array([0.0, np.inf, -np.inf, 1.0, -2.0, 3.0])
END = np.array([2.0, 3.0, 1.0, np.inf, 5.0, -1.0])


@pytest.mark.parametrize("weight", [0.5, 0.25, 0.75, -0.7, 1.0, np.array([0.2, 0.6, 0.5, 0.9, -0.5, 0.49]),
                                    np.array(0.7)], ids=repr)
def test_lerp_takes_torchs_form_on_each_side_of_one_half(weight: object) -> None:
    def run(lib: object) -> tuple[np.ndarray, np.ndarray]:
        w = lib.tensor(weight) if isinstance(weight, np.ndarray) else weight
        start = lib.tensor(START[3:], requires_grad=True)
        out = lib.lerp(lib.tensor(START), lib.tensor(END), w)
        lib.lerp(start, lib.tensor(END[3:]), w[3:] if isinstance(w, lib.Tensor) and w.ndim else w).sum().backward()
        return out.numpy(), start.grad.numpy()

    (ours, our_grad), (theirs, their_grad) = run(tg), run(torch)
    np.testing.assert_allclose(ours, theirs, rtol=1e-15)  # PyTorch fuses a multiply-add: an ulp apart at most
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-15)


def test_lgamma_of_minus_infinity_is_infinity() -> None:
    x = np.array([-np.inf, np.inf, -0.0, 0.0, -1.0, 0.5], np.float32)
    np.testing.assert_array_equal(tg.lgamma(tg.tensor(x)).numpy(), torch.lgamma(torch.tensor(x)).numpy())


@pytest.mark.parametrize("name", ["addcmul", "addcdiv"])
@pytest.mark.parametrize("dtypes", [("float64", "int64", "float32"), ("float32", "int64", "float64"),
                                    ("int32", "int64", "float32"), ("float64", "float32", "float32")], ids=repr)
def test_addcmul_addcdiv_compute_in_the_dtype_of_all_three(name: str, dtypes: tuple[str, str, str]) -> None:
    """PyTorch promotes self and both factors together: an int64 x float32 product beside a float64 self is
    computed in float64, not rounded to float32 first."""
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(1, 3, (2, 3)).astype(dtypes[0]), rng.integers(1, 4, (1, 3)).astype(dtypes[1]),
              rng.uniform(1, 3, (2, 1)).astype(dtypes[2])]
    ours = getattr(tg, name)(*(tg.tensor(a) for a in arrays), value=0.5)
    theirs = getattr(torch, name)(*(torch.tensor(a) for a in arrays), value=0.5)
    assert str(ours.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-15 if theirs.dtype == torch.float64 else 1e-7)
