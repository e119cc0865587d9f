"""Adamax: Adam with the infinity norm (Kingma & Ba 2015, section 7.1, Algorithm 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class Adamax(Optimizer):
    r"""Adamax: the second moment replaced by an exponentially weighted infinity norm.

    Algorithm 2 of the paper, with eps placed as PyTorch places it::

        t ← t + 1
        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        m_t ← β1·m_{t−1} + (1 − β1)·g_t             exp_avg
        u_t ← max(β2·u_{t−1}, |g_t| + ε)             exp_inf
        θ_t ← θ_{t−1} − (α / (1 − β1^t))·m_t / u_t

    u needs no bias correction (a max is not biased towards its zero start). The paper has no ε;
    PyTorch adds it inside the max so that u is never 0. Default lr 2e-3 as in the paper.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, capturable: bool = False):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"exp_avg": np.zeros_like(param.array), "exp_inf": np.zeros_like(param.array)}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        lr, eps = group["lr"], group["eps"]
        beta1, beta2 = group["betas"]
        exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]

        exp_avg *= beta1                            # m_t ← β1·m_{t−1} + (1 − β1)·g_t
        exp_avg += (1 - beta1) * grad
        exp_inf *= beta2                            # u_t ← max(β2·u_{t−1}, |g_t| + ε)
        abs_grad = np.abs(grad)
        abs_grad += eps
        np.maximum(exp_inf, abs_grad, out=exp_inf)

        step_size = lr / (1 - beta1 ** state["step"])  # α / (1 − β1^t)
        param.array -= step_size * exp_avg / exp_inf
