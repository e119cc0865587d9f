"""ShowsArguments: the base of layers that print as their constructor's arguments, `name=value`."""

from __future__ import annotations

import inspect

from ..module import Module


class ShowsArguments(Module):
    """print(layer) lists the arguments of its __init__ (read back from the attributes of the same names) the way
    PyTorch prints these layers: `negative_slope=0.01, inplace=True`, with `inplace` only when True."""

    def extra_repr(self) -> str:
        names = [name for name in inspect.signature(type(self).__init__).parameters if name not in ("self", "inplace")]
        shown = [f"{name}={getattr(self, name)!r}" for name in names]
        return ", ".join(shown + (["inplace=True"] if getattr(self, "inplace", False) else []))
