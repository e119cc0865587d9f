"""ASGD: averaged stochastic gradient descent (Polyak & Juditsky, 1992), as PyTorch implements it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core import dtypes
from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class ASGD(Optimizer):
    r"""SGD with a decaying step size, keeping a running average of the iterates from step t0 on.

    ::

        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        θ_t ← θ_{t−1}·(1 − λ·η_{t−1}) − η_{t−1}·g_t          η_0 = lr
        θ̄_t ← θ_t                    if μ_{t−1} = 1          ax, μ_0 = 1
        θ̄_t ← θ̄_{t−1} + μ_{t−1}·(θ_t − θ̄_{t−1})   otherwise
        η_t ← lr / (1 + λ·lr·t)^α                             eta
        μ_t ← 1 / max(1, t − t0)                              mu

    λ = lambd. The averaged parameters θ̄ are only kept in the state ("ax"): copy them into the
    model to evaluate it. PyTorch keeps η and μ in the default dtype (float32 unless changed), so
    they are rounded to it here too.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lambd: float = 1e-4, alpha: float = 0.75,
                 t0: float = 1e6, weight_decay: float = 0, foreach: bool | None = None, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False):
        super().__init__(params, {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                                  "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                                  "capturable": capturable})

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"eta": _scalar(group["lr"]), "mu": 1.0, "ax": np.zeros_like(param.array)}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        lr, lambd, t = group["lr"], group["lambd"], state["step"]
        eta, mu, ax = state["eta"], state["mu"], state["ax"]

        param.array *= 1 - lambd * eta
        param.array -= eta * grad
        if mu != 1:
            ax += (param.array - ax) * mu
        else:
            ax[...] = param.array
        state["eta"] = _scalar(lr / ((1 + lambd * lr * t) ** group["alpha"]))
        state["mu"] = _scalar(1 / max(1, t - group["t0"]))


def _scalar(value: float) -> float:
    """`value` rounded to the default dtype, as PyTorch's 0-d state tensors hold it."""
    return float(dtypes.default_float.type(value))
