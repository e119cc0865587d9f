"""AdaDelta (Zeiler, "ADADELTA: An Adaptive Learning Rate Method", 2012, Algorithm 1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class Adadelta(Optimizer):
    r"""Step sizes from the ratio of two running RMS values: past updates over past gradients.

    ::

        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        v_t ← ρ·v_{t−1} + (1 − ρ)·g_t²                     square_avg
        Δ_t ← √(u_{t−1} + ε) / √(v_t + ε) · g_t             (RMS[Δθ]_{t−1} / RMS[g]_t · g_t)
        u_t ← ρ·u_{t−1} + (1 − ρ)·Δ_t²                     acc_delta
        θ_t ← θ_{t−1} − lr·Δ_t

    The ratio carries the units of θ, so the paper needs no learning rate (lr = 1.0, the default);
    PyTorch keeps lr as a multiplier. The first steps are tiny (about √ε·sign(g)), so AdaDelta
    starts slowly on small problems with the default ε = 1e-6.
    """

    def __init__(self, params: ParamsT, lr: float = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False):
        super().__init__(params, {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                                  "maximize": maximize, "capturable": capturable, "foreach": foreach,
                                  "differentiable": differentiable})

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        self._require(group, "rho", 0.0, 1.0, high_inclusive=True)

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"square_avg": np.zeros_like(param.array), "acc_delta": np.zeros_like(param.array)}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        rho, eps = group["rho"], group["eps"]
        square_avg, acc_delta = state["square_avg"], state["acc_delta"]

        square_avg *= rho
        square_avg += (1 - rho) * np.square(grad)
        std = np.sqrt(square_avg + eps)
        delta = np.sqrt(acc_delta + eps)
        delta /= std
        delta *= grad
        acc_delta *= rho
        acc_delta += (1 - rho) * np.square(delta)
        param.array -= group["lr"] * delta
