"""Every optimizer by name: the one table behind `make_optimizer`, `minimize`, the examples and the paper."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..core.tensor import Tensor
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .nadam import NAdam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

#: Optimizers by name. "momentum" and "nesterov" are SGD with momentum 0.9, "amsgrad" is Adam's
#: variant; hyperparameters passed to `make_optimizer` override these presets.
OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": SGD,
    "momentum": functools.partial(SGD, momentum=0.9),
    "nesterov": functools.partial(SGD, momentum=0.9, nesterov=True),
    "adagrad": Adagrad,
    "rmsprop": RMSprop,
    "adadelta": Adadelta,
    "adam": Adam,
    "adamax": Adamax,
    "amsgrad": functools.partial(Adam, amsgrad=True),
    "adamw": AdamW,
    "nadam": NAdam,
}

#: How tables and plot legends print each name.
LABELS: dict[str, str] = {
    "sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad", "rmsprop": "RMSProp",
    "adadelta": "AdaDelta", "adam": "Adam", "adamax": "AdaMax", "amsgrad": "AMSGrad", "adamw": "AdamW",
    "nadam": "NAdam",
}

#: Other spellings of a name: Kingma & Ba call SGD with Nesterov momentum "SGDNesterov".
ALIASES: dict[str, str] = {"sgdnesterov": "nesterov"}


def optimizer_name(name: str) -> str:
    """The key in OPTIMIZERS for `name` (any case, or an alias); ValueError for an unknown one."""
    key = name.lower()
    key = ALIASES.get(key, key)
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return key


def make_optimizer(optimizer: str | Callable[..., Optimizer], params: list[Tensor],
                   **hyperparameters: Any) -> Optimizer:
    """Build an optimizer from a name in OPTIMIZERS or from a class (or any factory of params)."""
    if isinstance(optimizer, str):
        optimizer = OPTIMIZERS[optimizer_name(optimizer)]
    return optimizer(params, **hyperparameters)
