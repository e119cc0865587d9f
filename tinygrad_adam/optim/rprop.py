"""Rprop: resilient backpropagation (Riedmiller & Braun, 1993), as PyTorch implements it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class Rprop(Optimizer):
    r"""Move each weight by its own step size, by the sign of its gradient only.

    ::

        g_t ← ∇θ f_t(θ_{t−1})                              (−g_t if maximize)
        η_t ← clamp(η⁺·η_{t−1}, Γ_min, Γ_max)   if g_t·g_{t−1} > 0     step_size, η_0 = lr
        η_t ← clamp(η⁻·η_{t−1}, Γ_min, Γ_max),  g_t ← 0   if g_t·g_{t−1} < 0
        η_t ← η_{t−1}                           otherwise
        θ_t ← θ_{t−1} − η_t·sign(g_t)
        g_{t−1} ← g_t                                                  prev

    (η⁻, η⁺) = etas, (Γ_min, Γ_max) = step_sizes. After a sign change the step is skipped and the
    gradient forgotten, so the next step only grows or keeps its size. Meant for full batches.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, etas: tuple[float, float] = (0.5, 1.2),
                 step_sizes: tuple[float, float] = (1e-6, 50), *, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False):
        super().__init__(params, {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable, "capturable": capturable})

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        etaminus, etaplus = group["etas"]
        if not 0.0 < etaminus < 1.0 < etaplus:
            raise ValueError(f"Rprop: invalid etas {group['etas']!r}; they must satisfy 0 < etaminus < 1 < etaplus")

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"prev": np.zeros_like(param.array), "step_size": np.full_like(param.array, group["lr"])}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        prev, step_size = state["prev"], state["step_size"]

        sign = np.sign(grad * prev)
        step_size *= np.where(sign > 0, etaplus, np.where(sign < 0, etaminus, 1.0))
        np.clip(step_size, step_size_min, step_size_max, out=step_size)
        grad = np.where(sign < 0, 0.0, grad)         # after a sign change: no step, and no sign remembered
        param.array -= np.sign(grad) * step_size
        prev[...] = grad
