"""Optimizers, learning-rate schedules (`optim.lr_scheduler`, as in PyTorch), gradient clipping, optimizers by name.

    from tinygrad_adam.optim import Adam
    optimizer = Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

Every optimizer follows PyTorch's defaults and order of operations, so hyperparameters carry over.
"""

from ..nn.utils.clip_grad import clip_grad_norm_, clip_grad_value_
from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .asgd import ASGD
from .by_name import ALIASES, LABELS, OPTIMIZERS, make_optimizer, optimizer_name
from .lbfgs import LBFGS
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .rprop import Rprop
from .sgd import SGD

__all__ = [
    "ALIASES", "ASGD", "LABELS", "LBFGS", "OPTIMIZERS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax",
    "NAdam", "Optimizer", "RAdam", "RMSprop", "Rprop", "clip_grad_norm_", "clip_grad_value_", "lr_scheduler",
    "make_optimizer", "optimizer_name",
]
