"""NAdam: Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam", 2016)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class NAdam(Optimizer):
    r"""NAdam as PyTorch implements it, with Dozat's momentum schedule.

    ::

        t ← t + 1
        g_t ← ∇θ f_t(θ_{t−1})  (+ λ·θ_{t−1}; or θ ← θ·(1 − α·λ) if decoupled_weight_decay)
        μ_t     ← β1·(1 − ½·0.96^(t·ψ))              ψ = momentum_decay
        μ_{t+1} ← β1·(1 − ½·0.96^((t+1)·ψ))
        Π_t ← Π_{t−1}·μ_t                             mu_product, Π_0 = 1
        m_t ← β1·m_{t−1} + (1 − β1)·g_t               exp_avg
        v_t ← β2·v_{t−1} + (1 − β2)·g_t²              exp_avg_sq
        v̂_t ← v_t / (1 − β2^t)
        θ_t ← θ_{t−1} − α·(1 − μ_t)/(1 − Π_t)·g_t/(√v̂_t + ε)
                      − α·μ_{t+1}/(1 − Π_t·μ_{t+1})·m_t/(√v̂_t + ε)

    The update looks one step ahead: the current gradient enters with its own weight, and the
    momentum with the next step's μ. The schedule warms μ up from about β1/2 towards β1.
    """

    def __init__(self, params: ParamsT, lr: float = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False):
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                                  "momentum_decay": momentum_decay,
                                  "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize,
                                  "foreach": foreach, "capturable": capturable, "differentiable": differentiable})

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        self._require(group, "momentum_decay", 0.0)

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"mu_product": 1.0, "exp_avg": np.zeros_like(param.array),
                "exp_avg_sq": np.zeros_like(param.array)}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        lr, eps, psi = group["lr"], group["eps"], group["momentum_decay"]
        beta1, beta2 = group["betas"]
        t = state["step"]

        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        scalar = dtypes.default_float.type  # PyTorch keeps mu_product in the default dtype (float32 unless changed)
        state["mu_product"] = float(scalar(state["mu_product"]) * scalar(mu))
        mu_product = state["mu_product"]
        mu_product_next = mu_product * mu_next

        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * np.square(grad)

        denom = np.sqrt(exp_avg_sq / (1 - beta2 ** t))  # √v̂_t + ε
        denom += eps
        param.array -= lr * (1.0 - mu) / (1.0 - mu_product) * grad / denom
        param.array -= lr * mu_next / (1.0 - mu_product_next) * exp_avg / denom
