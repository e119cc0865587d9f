"""RAdam: Adam with a rectified adaptive learning rate (Liu et al., "On the Variance of the Adaptive
Learning Rate and Beyond", 2020)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class RAdam(Optimizer):
    r"""Adam that takes plain momentum steps while the variance of √v̂ is too uncertain.

    ::

        g_t ← ∇θ f_t(θ_{t−1})  (+ λ·θ_{t−1}; or θ ← θ·(1 − α·λ) if decoupled_weight_decay)
        m_t ← β1·m_{t−1} + (1 − β1)·g_t                   exp_avg
        v_t ← β2·v_{t−1} + (1 − β2)·g_t²                  exp_avg_sq
        m̂_t ← m_t / (1 − β1^t)
        ρ_∞ ← 2/(1 − β2) − 1
        ρ_t ← ρ_∞ − 2t·β2^t / (1 − β2^t)
        if ρ_t > 5:
            l_t ← √(1 − β2^t) / (√v_t + ε)
            r_t ← √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
            θ_t ← θ_{t−1} − α·m̂_t·l_t·r_t
        else:
            θ_t ← θ_{t−1} − α·m̂_t

    ρ_t is the length of the simple moving average that the exponential one approximates; with
    β2 = 0.999 the adaptive step starts at t = 6.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  "maximize": maximize, "foreach": foreach, "capturable": capturable,
                                  "decoupled_weight_decay": decoupled_weight_decay,
                                  "differentiable": differentiable})

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"exp_avg": np.zeros_like(param.array), "exp_avg_sq": np.zeros_like(param.array)}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        lr, eps = group["lr"], group["eps"]
        beta1, beta2 = group["betas"]
        t = state["step"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * np.square(grad)

        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        step = exp_avg / bias_correction1 * lr           # α·m̂_t
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * (beta2 ** t) / bias_correction2
        if rho_t > 5.0:
            adaptive_lr = math.sqrt(bias_correction2) / (np.sqrt(exp_avg_sq) + eps)
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            step = step * adaptive_lr * rect
        param.array -= step
