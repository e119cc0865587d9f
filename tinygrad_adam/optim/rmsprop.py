"""RMSprop (Hinton, Coursera lecture 6e, 2012), with PyTorch's momentum and centered variants."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class RMSprop(Optimizer):
    r"""Divide the gradient by a running root mean square of recent gradients.

    ::

        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        v_t ← α·v_{t−1} + (1 − α)·g_t²                 square_avg
        if centered:
            ḡ_t ← α·ḡ_{t−1} + (1 − α)·g_t              grad_avg
            s_t ← √(v_t − ḡ_t²) + ε                    (an estimate of the standard deviation)
        else:
            s_t ← √v_t + ε
        if momentum μ > 0:
            b_t ← μ·b_{t−1} + g_t / s_t                 momentum_buffer
            θ_t ← θ_{t−1} − lr·b_t
        else:
            θ_t ← θ_{t−1} − lr·g_t / s_t

    Like Adam without the first moment and without bias correction: v starts at 0, so the first
    steps are large (|Δθ| = lr/√(1 − α) ≈ 10·lr at t = 1 with α = 0.99).
    """

    def __init__(self, params: ParamsT, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False):
        super().__init__(params, {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                                  "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                                  "maximize": maximize, "differentiable": differentiable})

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        self._require(group, "alpha", 0.0, 1.0, high_inclusive=True)
        self._require(group, "momentum", 0.0)

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        state = {"square_avg": np.zeros_like(param.array)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = np.zeros_like(param.array)
        if group["centered"]:
            state["grad_avg"] = np.zeros_like(param.array)
        return state

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * np.square(grad)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1 - alpha) * grad
            avg = np.sqrt(square_avg - np.square(grad_avg))
        else:
            avg = np.sqrt(square_avg)
        avg += eps

        if momentum > 0:
            buf = state["momentum_buffer"]
            buf *= momentum
            buf += grad / avg
            param.array -= group["lr"] * buf
        else:
            param.array -= group["lr"] * grad / avg
