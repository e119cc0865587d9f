"""Numerical gradients by central differences, and `gradcheck` to test an op's backward.

    from tinygrad_adam import Tensor, gradcheck
    x = Tensor(np.random.randn(3, 4), requires_grad=True)   # float64
    gradcheck(lambda t: (t.tanh() * t).sum(), x)            # True, or GradcheckError

Every element of every input that requires a gradient is perturbed by ±eps
(in float64), so the check is complete, not sampled. For a non-scalar output
the whole Jacobian is compared when it has at most `full_jacobian_limit`
rows; otherwise a few random projections vᵀJ are compared.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.grad_mode import no_grad
from ..core.tensor import Tensor


class GradcheckError(RuntimeError):
    """The analytic gradient disagrees with the numerical one."""


def _checked_copies(inputs: tuple[Any, ...], warn: bool) -> list[Any]:
    """Fresh float64 leaves for the inputs that require grad; other arguments unchanged."""
    copies = []
    for i, t in enumerate(inputs):
        if isinstance(t, Tensor) and t.requires_grad:
            if warn and t.dtype != np.float64:
                warnings.warn(
                    f"gradcheck: input {i} has dtype {t.dtype}; checking a float64 copy of it "
                    "(pass float64 inputs to check exactly what you run)",
                    stacklevel=3,
                )
            t = Tensor(t.array.astype(np.float64), requires_grad=True)
        copies.append(t)
    return copies


def _evaluate(fn: Callable[..., Tensor], args: list[Any]) -> np.ndarray:
    with no_grad():
        out = fn(*args)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, it returned {type(out).__name__}")
    return np.array(out.array, dtype=np.float64)


def numerical_jacobian(fn: Callable[..., Tensor], *inputs: Any, eps: float = 1e-6) -> list[np.ndarray]:
    """d fn(inputs).ravel() / d input.ravel() by central differences, one matrix per input that
    requires grad, each of shape (output size, input size)."""
    args = _checked_copies(inputs, warn=False)
    jacobians = []
    for t in args:
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        flat = t.array.reshape(-1)  # a view: perturbing it perturbs the input
        columns = []
        for j in range(flat.size):
            original = flat[j]
            flat[j] = original + eps
            plus = _evaluate(fn, args)
            flat[j] = original - eps
            minus = _evaluate(fn, args)
            flat[j] = original
            columns.append(((plus - minus) / (2 * eps)).reshape(-1))
        jacobians.append(np.stack(columns, axis=1) if columns else np.zeros((0, 0)))
    return jacobians


def numerical_grad(fn: Callable[..., Tensor], *inputs: Any, eps: float = 1e-6) -> list[np.ndarray]:
    """Gradient of a scalar fn by central differences: (f(x + eps) - f(x - eps)) / (2 eps) for
    each element, one array per input that requires grad."""
    shapes = [t.shape for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    jacobians = numerical_jacobian(fn, *inputs, eps=eps)
    if jacobians and jacobians[0].shape[0] != 1:
        raise ValueError("numerical_grad needs a scalar output; use numerical_jacobian for others")
    return [jac.reshape(shape) for jac, shape in zip(jacobians, shapes, strict=True)]


def _analytic_vjp(fn: Callable[..., Tensor], args: list[Any], v: np.ndarray, check_dtypes: bool = False
                  ) -> list[np.ndarray]:
    """vᵀJ for every input that requires grad, from one backward pass of a fresh graph."""
    checked = [t for t in args if isinstance(t, Tensor) and t.requires_grad]
    for t in checked:
        t.grad = None
    out = fn(*args)
    if not isinstance(out, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, it returned {type(out).__name__}")
    if out.requires_grad:
        out.backward(v.reshape(out.shape).astype(out.dtype))
    for t in checked:
        if check_dtypes and t.grad is not None and t.grad.dtype != t.dtype:
            raise GradcheckError(f"Gradient has dtype mismatch: the input's dtype is {t.dtype}, its gradient's "
                                 f"{t.grad.dtype}")
    return [np.zeros(t.size) if t.grad is None else t.grad.array.reshape(-1).astype(np.float64) for t in checked]


def gradcheck(func: Callable[..., Tensor], inputs: Any, *more_inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False, check_batched_grad: bool = False,
              check_batched_forward_grad: bool = False, check_forward_ad: bool = False,
              check_backward_ad: bool = True, fast_mode: bool = False, masked: bool | None = None,
              full_jacobian_limit: int = 256, projections: int = 4, seed: int = 0) -> bool:
    """Compare the analytic gradient of `func` with central differences for every input element.

    `func` takes the inputs and returns a Tensor. The inputs come as one tuple, as in
    torch.autograd.gradcheck(func, (x, w)), or one by one. Inputs that are Tensors with requires_grad are checked
    (as float64 copies; a warning says when an input is not float64); other arguments are passed
    through. An element passes when |analytic - numerical| <= atol + rtol * |numerical|. On
    failure raises GradcheckError naming the input, the worst element and both values (or returns
    False when raise_exception is False).

    PyTorch's switches: `check_grad_dtypes` compares each gradient's dtype with its input's;
    `check_backward_ad=False` is refused, as PyTorch refuses it without forward AD; `fast_mode` and
    `nondet_tol` are accepted (the check here is always the full one, and backward is deterministic); there
    are no undefined gradients to check. Batched gradients, forward-mode AD and masked (sparse) gradients do
    not exist here: asking for them raises.
    """
    if not check_backward_ad:
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    for name, wanted in (("check_batched_grad", check_batched_grad), ("check_forward_ad", check_forward_ad),
                         ("check_batched_forward_grad", check_batched_forward_grad), ("masked", masked)):
        if wanted:
            raise NotImplementedError(f"gradcheck({name}=True): there is no vmap, forward-mode AD or sparse "
                                      "tensor here")
    inputs = (inputs, *more_inputs)
    if len(inputs) == 1 and isinstance(inputs[0], tuple | list):
        inputs = tuple(inputs[0])
    fn = func
    args = _checked_copies(inputs, warn=True)
    positions = [i for i, t in enumerate(args) if isinstance(t, Tensor) and t.requires_grad]
    if not positions:
        raise ValueError("gradcheck: no input requires grad; pass Tensors created with requires_grad=True")
    numerical = numerical_jacobian(fn, *args, eps=eps)
    n_out = numerical[0].shape[0]
    if n_out <= full_jacobian_limit:
        probes = np.eye(n_out)
        kind = "output element (flat index)"
    else:
        probes = np.random.default_rng(seed).standard_normal((projections, n_out))
        kind = "random projection"
    for row, v in enumerate(probes):
        analytic = _analytic_vjp(fn, args, v, check_grad_dtypes)
        for position, num_jac, ana in zip(positions, numerical, analytic, strict=True):
            num = v @ num_jac
            excess = np.abs(ana - num) - (atol + rtol * np.abs(num))
            if ana.size == 0 or excess.max() <= 0:
                continue
            worst = int(np.argmax(excess))
            shape = args[position].shape
            index = np.unravel_index(worst, shape) if shape else ()
            where = f" for {kind} {row}" if n_out > 1 else ""
            message = (
                f"gradcheck failed for input {position} (shape {shape}) at index {tuple(int(i) for i in index)}"
                f"{where}: analytic {ana[worst]:.10g}, numerical {num[worst]:.10g} "
                f"(|difference| {abs(ana[worst] - num[worst]):.3g} > atol {atol:g} + rtol {rtol:g} * |numerical|)"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True
