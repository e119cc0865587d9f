"""Adam: Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class Adam(Optimizer):
    r"""Adam, written to be read line by line against Algorithm 1 of the paper.

    Algorithm 1 (g² is the elementwise square; all operations are elementwise)::

        Require: α (lr), β1, β2 ∈ [0, 1) (betas), ε (eps), f(θ), θ0
        m0 ← 0, v0 ← 0, t ← 0
        while θ not converged:
            t ← t + 1                            state["step"]  (counted by Optimizer.step)
            g_t ← ∇θ f_t(θ_{t−1})               grad  (param.grad, after maximize and weight decay)
            m_t ← β1·m_{t−1} + (1 − β1)·g_t      exp_avg
            v_t ← β2·v_{t−1} + (1 − β2)·g_t²     exp_avg_sq
            m̂_t ← m_t / (1 − β1^t)              m_hat   (bias correction: m starts at 0)
            v̂_t ← v_t / (1 − β2^t)              v_hat
            θ_t ← θ_{t−1} − α·m̂_t / (√v̂_t + ε)

    ε is added after the square root of the bias-corrected v̂_t, as in PyTorch and optax, so
    results carry over from them (to rounding) with the same hyperparameters.

    Options:

    - ``weight_decay`` (λ): L2 regularisation added to the gradient, g_t ← g_t + λ·θ_{t−1}. With
      Adam this decay is divided by √v̂ like the rest of the gradient; see AdamW for the decoupled form.
    - ``amsgrad``: AMSGrad (Reddi et al., 2018) as PyTorch does it: keep v_max ← max(v_max, v_t) and
      use v_max / (1 − β2^t) in place of v̂_t, so the effective step size never grows.
    - ``maximize``: ascend, using −g_t.
    - ``eps_hat``: the paper's "more efficient" ordering (end of its section 2), where eps is ε̂::

          α_t ← α·√(1 − β2^t) / (1 − β1^t)
          θ_t ← θ_{t−1} − α_t·m_t / (√v_t + ε̂)

      This is the convention of TensorFlow 1's AdamOptimizer and of Keras. It equals the default
      form with ε = ε̂ / √(1 − β2^t): ε̂ sits beside the uncorrected √v_t, so early on (small t)
      its weight is larger than that of the same ε beside √v̂_t. With eps ≪ √v the two agree.

    The step count t is per parameter (``state["step"]``); the bias corrections are Python floats.
    Moments are kept in the parameter's dtype.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, amsgrad: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None, decoupled_weight_decay: bool = False,
                 eps_hat: bool = False):
        defaults = {"lr": lr, "betas": tuple(betas), "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        if eps_hat:  # this project's option: in param_groups only when used, so the rest reads as PyTorch's
            defaults["eps_hat"] = True
        super().__init__(params, defaults)

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        state = {"exp_avg": np.zeros_like(param.array), "exp_avg_sq": np.zeros_like(param.array)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = np.zeros_like(param.array)
        return state

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        lr, eps = group["lr"], group["eps"]
        beta1, beta2 = group["betas"]
        t = state["step"]
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        # two scratch arrays, reused every step: the update allocates nothing (see Optimizer._scratch)
        m_hat, v_hat = self._scratch(param, 2)

        exp_avg *= beta1                                # m_t ← β1·m_{t−1} + (1 − β1)·g_t
        exp_avg += np.multiply(1 - beta1, grad, out=m_hat)
        exp_avg_sq *= beta2                             # v_t ← β2·v_{t−1} + (1 − β2)·g_t²
        exp_avg_sq += np.multiply(1 - beta2, np.square(grad, out=v_hat), out=v_hat)
        if group["amsgrad"]:                            # AMSGrad: v_max ← max(v_max, v_t), used as v_t
            exp_avg_sq = np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])

        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        if group.get("eps_hat", False):
            # α_t ← α·√(1 − β2^t)/(1 − β1^t);  θ_t ← θ_{t−1} − α_t·m_t/(√v_t + ε̂)
            step_size = lr * math.sqrt(bias_correction2) / bias_correction1
            denom = np.sqrt(exp_avg_sq, out=v_hat)
            update = np.multiply(step_size, exp_avg, out=m_hat)
        else:
            np.divide(exp_avg, bias_correction1, out=m_hat)     # m̂_t ← m_t/(1 − β1^t)
            np.divide(exp_avg_sq, bias_correction2, out=v_hat)  # v̂_t ← v_t/(1 − β2^t)
            denom = np.sqrt(v_hat, out=v_hat)
            update = np.multiply(lr, m_hat, out=m_hat)
        denom += eps
        update /= denom
        param.array -= update                            # θ_t ← θ_{t−1} − α·m̂_t/(√v̂_t + ε)
