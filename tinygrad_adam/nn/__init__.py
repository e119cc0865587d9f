"""Neural-network building blocks with PyTorch's names, by level:

    module.py      Module, Parameter, Sequential, ModuleList
    modules/       the layers, activations and losses, by family
    functional.py  the same ops as functions: check the arguments, apply one fused op
    ops/           the fused ops (one Op each, with a hand-written backward), by family
    init.py        weight initialisation
    parallel.py    DistributedDataParallel
"""

from . import functional, init, modules, parallel, utils
from .module import Module, ModuleList, Parameter, Sequential
from .modules import *  # noqa: F403  (the layers, activations and losses; listed in modules/__init__.py)

__all__ = ["Module", "ModuleList", "Parameter", "Sequential", "functional", "init", "parallel", "utils",
           *modules.__all__]
