"""ShowsArguments: the base of layers that are one nn.functional call with their constructor's arguments;
`layers` makes the ones that add nothing to their base but the function.

As PyTorch's `nn.ReLU.forward` calls `F.relu`, such a layer looks its function up in nn.functional by name
each time it is called, so a function patched there (`monkeypatch.setattr(F, "relu", spy)`) is the one
the layer calls."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ...core.tensor import Tensor
from .. import functional as F
from ..module import Module

_NAMES: dict[type, tuple[str, ...]] = {}


def _argument_names(cls: type) -> tuple[str, ...]:
    """The parameters of cls.__init__ after self, looked up once per class."""
    if cls not in _NAMES:
        parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
        _NAMES[cls] = tuple(p.name for p in parameters if p.kind is not p.VAR_KEYWORD)
    return _NAMES[cls]


class ShowsArguments(Module):
    """A layer whose constructor arguments are its whole state: `__init__` keeps them as attributes of the same
    names (a deprecated alias it folds into another is not kept), `forward(*inputs)` is
    `function(*inputs, **arguments)`, the function looked up in nn.functional at each call (a layer that does
    more overrides forward), and
    print(layer) lists them the way PyTorch prints these layers: `negative_slope=0.01, inplace=True`, with
    `inplace` only when True.

        class CELU(ShowsArguments, function=F.celu):
            def __init__(self, alpha: float = 1.0, inplace: bool = False):
                super().__init__(alpha=alpha, inplace=inplace)
    """

    functional: str  # the name in nn.functional of the function forward calls

    def __init_subclass__(cls, function: Callable[..., Tensor] | None = None, **kwargs: Any):
        super().__init_subclass__(**kwargs)
        if function is not None:
            cls.functional = _name_in_functional(function)

    @property
    def function(self) -> Callable[..., Tensor]:
        """nn.functional's function of this layer as it is now (patched, if it is)."""
        return getattr(F, self.functional)

    def __init__(self, **arguments: Any):
        super().__init__()
        for name, value in arguments.items():
            setattr(self, name, value)

    def _arguments(self) -> dict[str, Any]:
        kept = vars(self)
        return {name: kept[name] for name in _argument_names(type(self)) if name in kept}

    def forward(self, *inputs: Any, **named_inputs: Any) -> Tensor:
        return getattr(F, self.functional)(*inputs, **named_inputs, **self._arguments())

    def extra_repr(self) -> str:
        shown = [f"{name}={value!r}" for name, value in self._arguments().items() if name != "inplace"]
        return ", ".join(shown + (["inplace=True"] if getattr(self, "inplace", False) else []))


def layers(module: str, base: type[ShowsArguments], **functions: Callable[..., Tensor]) -> tuple[type, ...]:
    """One layer class per `Name=function`, in order: `base` calling that function, with its docstring.

        ReLU, SiLU = layers(__name__, _InPlace, ReLU=F.relu, SiLU=F.silu)
    """
    return tuple(type(name, (base,), {"functional": _name_in_functional(function), "__doc__": function.__doc__,
                                      "__module__": module, "__qualname__": name})
                 for name, function in functions.items())


def _name_in_functional(function: Callable[..., Tensor]) -> str:
    """The name under which nn.functional holds `function`: what a layer looks up when called."""
    name = function.__name__
    if getattr(F, name, None) is not function:
        raise TypeError(f"a layer's function must be one of nn.functional's, got {function!r}")
    return name


def changed_options(layer: Module, **defaults: Any) -> str:
    """`, name=value` for each of the layer's options that differs from its default, in the order given: the
    tail of PyTorch's print of an RNN or an Embedding."""
    return "".join(f", {name}={getattr(layer, name)}" for name, default in defaults.items()
                   if getattr(layer, name) != default)
