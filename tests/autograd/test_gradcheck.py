"""gradcheck is a public API: it must pass on correct ops and fail loudly on wrong ones."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from tinygrad_adam import GradcheckError, Op, Tensor, gradcheck, numerical_grad, numerical_jacobian
from tinygrad_adam.core.engine import Context


class WrongSin(Op):
    """sin with a deliberately wrong backward (+cos instead of cos at one element)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        wrong = np.cos(x)
        wrong.flat[4] += 0.5
        return grad * wrong


class RightSin(WrongSin):
    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        (x,) = ctx.saved_tensors
        return grad * np.cos(x)


def x64(shape=(2, 3), seed=0) -> Tensor:
    return Tensor(np.random.default_rng(seed).standard_normal(shape), requires_grad=True)


def test_negative_control_wrong_backward_is_caught_with_location() -> None:
    x = x64()
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: WrongSin.apply(t).sum(), x)
    message = str(info.value)
    assert "input 0" in message and "index (1, 1)" in message
    assert f"numerical {np.cos(x.array[1, 1]):.6f}" in message
    assert f"analytic {np.cos(x.array[1, 1]) + 0.5:.6f}" in message
    assert gradcheck(lambda t: WrongSin.apply(t).sum(), x, raise_exception=False) is False


def test_correct_custom_op_passes_for_scalar_and_non_scalar_outputs() -> None:
    x = x64()
    assert gradcheck(lambda t: RightSin.apply(t).sum(), x)
    assert gradcheck(lambda t: RightSin.apply(t), x)  # full Jacobian, 6 rows


def test_large_outputs_use_random_projections_and_still_catch_errors() -> None:
    x = x64((20, 15))
    assert gradcheck(lambda t: RightSin.apply(t), x, full_jacobian_limit=10)
    with pytest.raises(GradcheckError, match="random projection"):
        gradcheck(lambda t: WrongSin.apply(t), x, full_jacobian_limit=10)


def test_only_inputs_requiring_grad_are_checked_and_others_pass_through() -> None:
    x = x64()
    const = Tensor(np.full((2, 3), 2.0))
    assert gradcheck(lambda t, c, k: (t * c * k).sum(), x, const, 3.0)
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda c: c.sum(), const)


def test_float32_input_warns_and_is_checked_in_float64() -> None:
    x = Tensor(np.linspace(-1, 1, 6, dtype=np.float32), requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert gradcheck(lambda t: (t.tanh() ** 2).sum(), x)
    assert any("float32" in str(w.message) for w in caught)
    assert x.grad is None  # the caller's tensor is left alone


def test_numerical_grad_teaching_helper() -> None:
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    (grad,) = numerical_grad(lambda t: (t ** 3).sum(), x)
    np.testing.assert_allclose(grad, 3 * x.array ** 2, rtol=1e-8)
    (jac,) = numerical_jacobian(lambda t: t * t, x)
    np.testing.assert_allclose(jac, np.diag(2 * x.array), atol=1e-8)
    with pytest.raises(ValueError, match="scalar"):
        numerical_grad(lambda t: t * 2, x)


def test_fn_must_return_a_tensor() -> None:
    with pytest.raises(TypeError, match="must return a Tensor"):
        gradcheck(lambda t: 3.0, x64())


def test_inputs_as_one_tuple_as_torch_autograd_gradcheck_takes_them() -> None:
    import tinygrad_adam as torch

    x, w = x64(), x64()
    assert torch.autograd.gradcheck(lambda a, b: (a * b.sin()).sum(), (x, w))
    with pytest.raises(GradcheckError, match="input 1"):
        torch.autograd.gradcheck(lambda a, t: (a * WrongSin.apply(t)).sum(), (x, w))
