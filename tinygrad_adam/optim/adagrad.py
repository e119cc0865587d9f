"""AdaGrad (Duchi, Hazan & Singer, JMLR 2011), in PyTorch's formulation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class Adagrad(Optimizer):
    r"""Per-coordinate step sizes from the sum of all past squared gradients.

    ::

        t ← t + 1
        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        η_t ← lr / (1 + (t − 1)·lr_decay)
        s_t ← s_{t−1} + g_t²                 sum (starts at initial_accumulator_value)
        θ_t ← θ_{t−1} − η_t·g_t / (√s_t + ε)

    The sum only grows, so the steps shrink like 1/√t: good for sparse gradients, too cautious
    for long non-convex runs (the problem RMSprop and Adam's moving averages fix).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None):
        super().__init__(params, {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                                  "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable, "fused": fused})
        for group in self.param_groups:  # PyTorch makes Adagrad's state at once, not at the first update
            for p in group["params"]:
                self.state[p] = self._new_state(p, group)

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        self._require(group, "lr_decay", 0.0)
        self._require(group, "initial_accumulator_value", 0.0)

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        return {"sum": np.full_like(param.array, group["initial_accumulator_value"])}

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])

        state_sum = state["sum"]
        state_sum += np.square(grad)
        std = np.sqrt(state_sum)
        std += group["eps"]
        param.array -= clr * grad / std
