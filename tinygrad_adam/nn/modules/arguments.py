"""ShowsArguments: the base of layers that are one nn.functional call with their constructor's arguments."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ...core.tensor import Tensor
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
    names, `forward(input)` is `function(input, *arguments)` (a layer that does more overrides it), and
    print(layer) lists them the way PyTorch prints these layers: `negative_slope=0.01, inplace=True`, with
    `inplace` only when True.

        class CELU(ShowsArguments):
            function = staticmethod(F.celu)

            def __init__(self, alpha: float = 1.0, inplace: bool = False):
                super().__init__(alpha=alpha, inplace=inplace)
    """

    function: Callable[..., Tensor]

    def __init__(self, **arguments: Any):
        super().__init__()
        for name, value in arguments.items():
            setattr(self, name, value)

    def forward(self, input: Tensor) -> Tensor:
        return self.function(input, *(getattr(self, name) for name in _argument_names(type(self))))

    def extra_repr(self) -> str:
        shown = [f"{name}={getattr(self, name)!r}" for name in _argument_names(type(self)) if name != "inplace"]
        return ", ".join(shown + (["inplace=True"] if getattr(self, "inplace", False) else []))
