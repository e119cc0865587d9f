"""ModuleDict, ParameterList and ParameterDict: containers whose members are named by key or position.

Like ModuleList (module.py), each member is an attribute of the container named by its key ("0", "1", ...
or the dict key), so Module's attribute walk finds it and state_dict keys are PyTorch's ("heads.q.weight",
"params.0").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..core.tensor import Tensor
from .module import Module, Parameter


def _check_key(container: Module, key: Any, kind: str) -> str:
    if not isinstance(key, str):
        raise TypeError(f"{type(container).__name__}: key must be a str, got {type(key).__name__}")
    if "." in key or key == "":
        raise KeyError(f'{kind} name can\'t contain ".", got: {key}' if key
                       else f'{kind} name can\'t be empty string ""')
    if key in vars(container) and not isinstance(vars(container)[key], Module | Parameter) or \
            hasattr(type(container), key):
        raise KeyError(f"attribute '{key}' already exists")
    return key


class ModuleDict(Module):
    """An ordered dict of modules; `model.blocks["attn"]`, iteration over keys, as a dict."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def _entries(self) -> dict[str, Module]:
        return {k: v for k, v in vars(self).items() if isinstance(v, Module)}

    def __getitem__(self, key: str) -> Module:
        entries = self._entries()
        if key not in entries:
            raise KeyError(key)
        return entries[key]

    def __setitem__(self, key: str, module: Module) -> None:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleDict: {key!r} is a {type(module).__name__}, not a Module")
        setattr(self, _check_key(self, key, "module"), module)

    def __delitem__(self, key: str) -> None:
        self[key]  # noqa: B018  (a KeyError for a missing key)
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._entries())

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __contains__(self, key: object) -> bool:
        return key in self._entries()

    def keys(self) -> Iterable[str]:
        return self._entries().keys()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._entries().items()

    def values(self) -> Iterable[Module]:
        return self._entries().values()

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        for key in list(self._entries()):
            del self[key]

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for pair in pairs:
            key, module = pair
            self[key] = module


def _as_parameter(value: Any) -> Any:
    """A plain Tensor becomes a Parameter (that requires grad, as PyTorch's Parameter(tensor)); other values stay."""
    if isinstance(value, Tensor) and not isinstance(value, Parameter):
        return Parameter(value.array)
    return value


def _parameter_line(key: str, value: Any) -> str:
    if isinstance(value, Tensor):
        size = "x".join(str(n) for n in value.shape)
        return f"({key}): Parameter containing: [{value.dtype} of size {size}]"
    return f"({key}): Object of type: {type(value).__name__}"


class ParameterList(Module):
    """A list of Parameters named "0", "1", ... (a plain Tensor put in becomes a Parameter)."""

    def __init__(self, values: Iterable[Any] | None = None):
        super().__init__()
        self._size = 0
        if values is not None:
            self.extend(values)

    def _index(self, index: int) -> str:
        if not -self._size <= index < self._size:
            raise IndexError(f"index {index} is out of range")
        return str(index % self._size)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return ParameterList([self[i] for i in range(self._size)[index]])
        return getattr(self, self._index(index))

    def __setitem__(self, index: int, value: Any) -> None:
        setattr(self, self._index(index), _as_parameter(value))

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return (getattr(self, str(i)) for i in range(self._size))

    def append(self, value: Any) -> ParameterList:
        setattr(self, str(self._size), _as_parameter(value))
        self._size += 1
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        for value in values:
            self.append(value)
        return self

    def extra_repr(self) -> str:
        return "\n".join(_parameter_line(str(i), p) for i, p in enumerate(self))


class ParameterDict(Module):
    """An ordered dict of Parameters named by their keys (a plain Tensor put in becomes a Parameter)."""

    def __init__(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None):
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys:
            raise KeyError(key)
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        if key not in self._keys:
            _check_key(self, key, "parameter")
        self._keys[key] = None
        setattr(self, key, _as_parameter(value))

    def __delitem__(self, key: str) -> None:
        self[key]  # noqa: B018  (a KeyError for a missing key)
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._keys))

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def keys(self) -> Iterable[str]:
        return list(self._keys)

    def items(self) -> Iterable[tuple[str, Any]]:
        return [(k, getattr(self, k)) for k in self._keys]

    def values(self) -> Iterable[Any]:
        return [getattr(self, k) for k in self._keys]

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self._keys else default

    def pop(self, key: str) -> Any:
        value = self[key]
        del self[key]
        return value

    def clear(self) -> None:
        for key in list(self._keys):
            del self[key]

    def update(self, parameters: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        pairs = parameters.items() if isinstance(parameters, Mapping) else parameters
        for key, value in pairs:
            self[key] = value

    def extra_repr(self) -> str:
        return "\n".join(_parameter_line(k, v) for k, v in self.items())
