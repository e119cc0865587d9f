"""Stochastic gradient descent, with momentum and Nesterov momentum as PyTorch defines them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..core.tensor import Tensor
from .optimizer import Optimizer, ParamsT


class SGD(Optimizer):
    r"""Gradient descent, optionally with (Nesterov) momentum, in PyTorch's formulation.

    ::

        g_t ← ∇θ f_t(θ_{t−1})  (+ weight_decay·θ_{t−1})
        if momentum μ ≠ 0:
            b_t ← g_t                               at t = 1
            b_t ← μ·b_{t−1} + (1 − dampening)·g_t   afterwards       (momentum_buffer)
            d_t ← g_t + μ·b_t   if nesterov  (the gradient plus a look-ahead along the momentum)
            d_t ← b_t           otherwise
        else:
            d_t ← g_t
        θ_t ← θ_{t−1} − lr·d_t

    This is the velocity form PyTorch uses (Sutskever et al. write v ← μv − lr·g instead); the
    two agree for a constant lr. Nesterov needs momentum > 0 and dampening 0.
    """

    def __init__(self, params: ParamsT, lr: float = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None):
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                                  "foreach": foreach, "differentiable": differentiable, "fused": fused})

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        super()._check_hyperparameters(group)
        self._require(group, "momentum", 0.0)
        self._require(group, "dampening", 0.0, 1.0, high_inclusive=True)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("SGD: Nesterov momentum requires a momentum > 0 and zero dampening")

    counts_steps = False  # as PyTorch's SGD: the state is only the momentum buffer, made at the first update
    lazy_state = ("momentum_buffer",)

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        momentum = group["momentum"]
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:  # the first update (or momentum switched on mid-run): b_1 = g_1
                buf = state["momentum_buffer"] = np.array(grad, dtype=param.dtype)
            else:
                buf *= momentum
                buf += (1 - group["dampening"]) * grad
            grad = grad + momentum * buf if group["nesterov"] else buf
        param.array -= group["lr"] * grad
