"""Neural-network building blocks with PyTorch's names, by level:

    module.py      Module, Parameter, Sequential, ModuleList
    containers.py  ModuleDict, ParameterList, ParameterDict
    modules/       the layers, activations and losses, by family
    functional.py  the same ops as functions: check the arguments, apply one fused op
    ops/           the fused ops (one Op each, with a hand-written backward), by family
    init.py        weight initialisation
    parallel.py    DistributedDataParallel
    utils/         rnn (packed and padded sequences), gradient clipping
"""

from . import functional, init, modules, parallel, utils
from .containers import ModuleDict, ParameterDict, ParameterList
from .module import Buffer, Module, ModuleList, Parameter, Sequential
from .modules import *  # noqa: F403  (the layers, activations and losses; listed in modules/__init__.py)

__all__ = ["Buffer", "Module", "ModuleDict", "ModuleList", "Parameter", "ParameterDict", "ParameterList", "Sequential",
           "functional", "init", "parallel", "utils", *modules.__all__]
