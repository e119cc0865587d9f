"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", 2019)."""

from __future__ import annotations

from .adam import Adam
from .optimizer import ParamsT


class AdamW(Adam):
    r"""Adam whose weight decay shrinks the parameter directly instead of joining the gradient.

    Before the Adam update of step t::

        θ_{t−1} ← θ_{t−1} − α·λ·θ_{t−1}        (α = lr, λ = weight_decay)

    and the gradient g_t stays the plain ∇f. The decay is coupled to the learning rate (so a
    scheduler scales both) but not divided by √v̂, unlike Adam's L2 ``weight_decay``. This is
    PyTorch's AdamW (default λ = 1e-2); the paper writes the decay as η_t·λ·θ with a separate
    schedule multiplier η_t. All other options are Adam's. The decay itself is Optimizer.step's.
    """

    decoupled_weight_decay = True

    def __init__(self, params: ParamsT, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False, foreach: bool | None = None, capturable: bool = False,
                 differentiable: bool = False, fused: bool | None = None, eps_hat: bool = False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True, eps_hat=eps_hat)
