"""Learning-rate schedules that set each param group's "lr" once per `step()` (PyTorch's API).

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch()          # optimizer.step() inside
        scheduler.step()

Each scheduler computes lr from the closed form at `last_epoch` (the number of `step()` calls),
starting from each group's "initial_lr", which the first scheduler records. The paper's
α_t = α/√t decay (used in its logistic-regression experiment) is
``LambdaLR(optimizer, lambda epoch: 1 / math.sqrt(epoch + 1))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .optimizer import Optimizer


class LRScheduler:
    """Base class: subclasses give `get_lr()`, the learning rates at epoch `self.last_epoch`."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{type(self).__name__}: resuming at last_epoch={last_epoch} needs 'initial_lr' in param "
                        f"group {i}; create the scheduler with last_epoch=-1 or load its state_dict"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self.step()

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch and write the new learning rates into the optimizer's groups."""
        self.last_epoch += 1
        lrs = [float(lr) for lr in self.get_lr()]
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = lrs

    def get_last_lr(self) -> list[float]:
        """The learning rates the last `step()` set, one per group."""
        return list(self._last_lr)

    def _require(self, ok: bool, what: str, value: Any) -> None:
        """Raise ValueError("<scheduler>: <what>, got <value>") unless ok (NaN compares False: it fails)."""
        if not ok:
            raise ValueError(f"{type(self).__name__}: {what}, got {value!r}")

    def state_dict(self) -> dict[str, Any]:
        """Every attribute except the optimizer and callables (plain values, saveable to .npz)."""
        return {key: (list(value) if isinstance(value, list) else value) for key, value in self.__dict__.items()
                if key != "optimizer" and not callable(value) and not key.startswith("lr_lambda")}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        for key, value in state_dict.items():
            self.__dict__[key] = list(value) if isinstance(value, list | tuple) else value


class StepLR(LRScheduler):
    """lr = initial_lr · gamma^⌊epoch / step_size⌋: decay by gamma every step_size epochs."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        self._require(isinstance(step_size, int) and step_size > 0, "step_size must be a positive int", step_size)
        self._require(gamma >= 0, "gamma must be >= 0", gamma)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * self.gamma ** (self.last_epoch // self.step_size) for base_lr in self.base_lrs]


class ExponentialLR(LRScheduler):
    """lr = initial_lr · gamma^epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1):
        self._require(gamma >= 0, "gamma must be >= 0", gamma)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * self.gamma ** self.last_epoch for base_lr in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (initial_lr − eta_min)·(1 + cos(π·epoch / T_max))/2 (SGDR without restarts).

    Falls from initial_lr at epoch 0 to eta_min at epoch T_max; past T_max the cosine rises again.
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1):  # noqa: N803
        self._require(T_max > 0, "T_max must be > 0", T_max)
        self._require(eta_min >= 0, "eta_min must be >= 0", eta_min)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        cosine = (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
        return [self.eta_min + (base_lr - self.eta_min) * cosine for base_lr in self.base_lrs]


class LambdaLR(LRScheduler):
    """lr = initial_lr · lr_lambda(epoch), with one function for all groups or one per group.

    The functions are not part of `state_dict()`: pass the same ones when resuming.
    """

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
                 last_epoch: int = -1):
        n = len(optimizer.param_groups)
        if callable(lr_lambda):
            self.lr_lambdas = [lr_lambda] * n
        else:
            self.lr_lambdas = list(lr_lambda)
            if len(self.lr_lambdas) != n or not all(callable(f) for f in self.lr_lambdas):
                raise ValueError(f"LambdaLR: expected one function or {n} functions (one per group), got {lr_lambda!r}")
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [base_lr * f(self.last_epoch) for base_lr, f in zip(self.base_lrs, self.lr_lambdas, strict=True)]
