"""Module, Parameter and the containers: how a model finds its parameters and saves its state.

A Module finds its parameters, buffers and sub-modules by walking its own
attributes (`vars(self)`) in definition order, looking inside lists, tuples
and dicts, so nothing has to be registered by hand. As in PyTorch, a module's
own parameters and buffers come before those of its sub-modules:

    class Net(Module):
        def __init__(self):
            super().__init__()
            self.fc1 = Linear(784, 100)
            self.layers = [Linear(100, 100), Linear(100, 10)]

    [name for name, _ in Net().named_parameters()]
    # ['fc1.weight', 'fc1.bias', 'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']

Names follow PyTorch's state_dict keys, so weights can be exchanged with it.
Buffers (state that is saved but not trained, such as BatchNorm's running
statistics) are Tensors declared with `register_buffer`, as in PyTorch.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..core.hooks import RemovableHandle
from ..core.tensor import Tensor
from ._checks import check_device, is_device
from .hooks import ModuleHooks


class Parameter(Tensor):
    """A Tensor that a Module trains: it requires a gradient unless told otherwise.

    The data is copied; Python floats become float32 and NumPy arrays keep their
    dtype, as for Tensor.
    """

    _torch_name = "torch.nn.parameter.Parameter"

    __slots__ = ()

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None):
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """torch.nn.Buffer: a Tensor that, assigned to a Module attribute, becomes one of its buffers (in its
    state_dict unless persistent=False). It shares the memory of `data` (an empty tensor without it)."""

    __slots__ = ("persistent",)

    def __init__(self, data: Tensor | None = None, *, persistent: bool = True):
        super().__init__()
        if data is not None:
            self.array, self.requires_grad = data.detach().array, data.requires_grad
        self.persistent = persistent


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(strict=False)` could not match."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def _members(name: str, value: Any) -> Iterator[tuple[str, Module | Parameter]]:
    """The modules and parameters in one attribute value, looking inside lists, tuples and dicts."""
    if isinstance(value, Module | Parameter):
        yield name, value
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _members(f"{name}.{i}", item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _members(f"{name}.{key}", item)


def _add_indent(text: str, spaces: int) -> str:
    first, *rest = text.split("\n")
    return "\n".join([first] + [" " * spaces + line for line in rest])


class Module:
    """Base class of layers and models: subclass it, set attributes in `__init__`, define `forward`.

    The register_*_hook methods come from hooks.py."""

    training: bool = True  # a class default, so a subclass that forgets super().__init__() still works

    def __init__(self) -> None:
        self.training = True

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Buffer):
            self.__dict__.setdefault("_buffers", {})[name] = value.persistent
        object.__setattr__(self, name, value)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        hooks = self.__dict__.get("_module_hooks")
        if hooks is None:
            return self.forward(*args, **kwargs)
        return hooks.call(self, args, kwargs)

    # ----- hooks (PyTorch's; see nn/hooks.py) -----------------------------------------------------
    def _hooks(self) -> ModuleHooks:
        if "_module_hooks" not in self.__dict__:
            self._module_hooks = ModuleHooks()
        return self._module_hooks

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """hook(module, args) before forward (hook(module, args, kwargs) with_kwargs); a result replaces args
        (or is (args, kwargs))."""
        return ModuleHooks.add(self._hooks().forward_pre, (hook, with_kwargs), prepend)

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """hook(module, args, output) after forward (hook(module, args, kwargs, output) with_kwargs); a result
        replaces the output. always_call: also called, with output None, when forward raises."""
        return ModuleHooks.add(self._hooks().forward, (hook, with_kwargs, always_call), prepend)

    def register_full_backward_pre_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """hook(module, grad_output) once the gradients of the results are known; a tuple result replaces them."""
        return ModuleHooks.add(self._hooks().backward_pre, hook, prepend)

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """hook(module, grad_input, grad_output) once the gradients of the positional inputs are known (None for
        an input that is not a Tensor requiring grad); a tuple result replaces grad_input."""
        return ModuleHooks.add(self._hooks().backward, hook, prepend)

    def register_backward_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """PyTorch's deprecated hook; here the same as register_full_backward_hook (the gradients of the module's
        inputs and results, not those of its last op)."""
        return self.register_full_backward_hook(hook)

    # ----- discovery ------------------------------------------------------------------------
    def register_buffer(self, name: str, tensor: Tensor | np.ndarray | None, persistent: bool = True) -> None:
        """Declare a Tensor attribute as state: saved in state_dict (if persistent), never trained
        (a NumPy array is wrapped in a Tensor that shares its memory)."""
        if "_buffers" not in vars(self):
            self._buffers: dict[str, bool] = {}
        self._buffers[name] = persistent
        if isinstance(tensor, np.ndarray):
            tensor = Tensor._make(tensor, False)
        setattr(self, name, tensor)

    def _own_members(self) -> Iterator[tuple[str, Module | Parameter]]:
        for name, value in vars(self).items():
            if name != "_buffers":
                yield from _members(name, value)

    def _walk(self, prefix: str, ancestors: tuple[int, ...] = (), recurse: bool = True
              ) -> Iterator[tuple[str, Any, str]]:
        """Depth-first (full name, object, kind) in PyTorch's order: this module's parameters ("parameter"),
        then its buffers ("buffer", or "transient buffer" for one left out of state_dict), each in the order
        they were set, then (when `recurse`) each sub-module ("module") followed by its own walk.

        A module is entered only once along a path, so a module that refers back to its
        parent does not recurse forever.
        """
        ancestors = ancestors + (id(self),)
        buffers = vars(self).get("_buffers", {})
        members = [member for name, value in vars(self).items() if name != "_buffers" and name not in buffers
                   for member in _members(f"{prefix}{name}", value)]
        for name, member in members:
            if isinstance(member, Parameter):
                yield name, member, "parameter"
        for name, persistent in buffers.items():
            if vars(self).get(name) is not None:
                yield f"{prefix}{name}", vars(self)[name], "buffer" if persistent else "transient buffer"
        for name, member in members:
            if recurse and not isinstance(member, Parameter) and id(member) not in ancestors:
                yield name, member, "module"
                yield from member._walk(name + ".", ancestors)

    def _unique(self, kinds: tuple[str, ...], prefix: str, recurse: bool = True, remove_duplicate: bool = True,
                seen: set[int] | None = None) -> Iterator[tuple[str, Any]]:
        """The (name, object) pairs of the given kinds from `_walk`, each object once (the first name wins)
        unless not `remove_duplicate`; `seen` holds the ids already given."""
        seen = set() if seen is None else seen
        for name, obj, found in self._walk(prefix + "." if prefix else "", recurse=recurse):
            if found in kinds and (id(obj) not in seen or not remove_duplicate):
                seen.add(id(obj))
                yield name, obj

    def named_parameters(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
                         ) -> Iterator[tuple[str, Parameter]]:
        """(name, parameter) pairs in definition order (this module's own only, unless `recurse`); a parameter
        shared by two layers is listed once, unless not `remove_duplicate`."""
        return self._unique(("parameter",), prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Tensor]]:
        return self._unique(("buffer", "transient buffer"), prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_modules(self, memo: set[Module] | None = None, prefix: str = "", remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Module]]:
        """This module (named `prefix`) and every sub-module, each once (unless not `remove_duplicate`), in
        definition order; modules in `memo` are left out, and those given are added to it."""
        seen = {id(m) for m in memo} if memo is not None else set()
        if id(self) in seen and remove_duplicate:
            return
        seen.add(id(self))
        if memo is not None:
            memo.add(self)
        yield prefix, self
        for name, module in self._unique(("module",), prefix, remove_duplicate=remove_duplicate, seen=seen):
            if memo is not None:
                memo.add(module)
            yield name, module

    def modules(self, remove_duplicate: bool = True) -> Iterator[Module]:
        for _, m in self.named_modules(remove_duplicate=remove_duplicate):
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules, with names such as "fc1" or "layers.0"."""
        seen: set[int] = set()
        for name, member in self._own_members():
            if isinstance(member, Module) and id(member) not in seen and member is not self:
                seen.add(id(member))
                yield name, member

    def children(self) -> Iterator[Module]:
        for _, m in self.named_children():
            yield m

    # ----- modes and gradients ----------------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout drops, BatchNorm uses batch statistics) here and in every sub-module."""
        for m in self.modules():
            m.training = mode
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of every parameter (set them to None, or to zeros)."""
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.array = np.zeros_like(p.array)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call fn on every sub-module and then on this one (e.g. for custom initialisation): each child's
        apply in registration order, then fn(self), as PyTorch does (a shared sub-module is visited once per parent)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """PyTorch's `to(device)`, `to(dtype)`, `to(device, dtype)` or `to(tensor)`, in place; returns self.

        Floating-point parameters and buffers are cast to a floating-point dtype;
        the device must be the CPU ("cpu", or an object whose `.type` is "cpu").
        """
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        if kwargs:
            raise TypeError(f"Module.to: unexpected keyword argument(s) {', '.join(sorted(kwargs))}")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype
            elif is_device(arg):
                device = arg
            elif not isinstance(arg, bool):  # a positional non_blocking flag is ignored
                dtype = arg
        check_device(device, "Module.to")
        if dtype is not None:
            self._cast(dtype)
        return self

    def _cast(self, dtype: Any) -> None:
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        for p in self.parameters():
            if p.array.dtype.kind == "f" and p.array.dtype != dtype:
                p.array = p.array.astype(dtype)
                p.grad = None if p.grad is None else Tensor(p.grad.array, dtype=dtype)
        for m in self.modules():
            for name in vars(m).get("_buffers", {}):
                buffer = getattr(m, name)
                if buffer is not None and buffer.array.dtype.kind == "f":
                    buffer.array = buffer.array.astype(dtype)

    def cpu(self) -> Module:
        """The model is on the CPU already: returns self."""
        return self

    def cuda(self, device: Any = None) -> Module:
        check_device("cuda" if device is None else f"cuda:{device}", "Module.cuda")
        return self

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    # ----- state ------------------------------------------------------------------------------
    def _state_items(self) -> Iterator[tuple[str, Tensor]]:
        for name, obj, kind in self._walk(""):
            if kind in ("parameter", "buffer"):
                yield name, obj

    def state_dict(self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False) -> Any:
        """{name: Tensor} for every parameter and persistent buffer, with PyTorch's keys (an OrderedDict, as there),
        each key after `prefix`, written into `destination` when given.

        Values are copies without history (PyTorch's share memory with the model), so a saved
        state_dict does not change as training goes on; with `keep_vars` they are the parameters and
        buffers themselves. Positional arguments (destination, prefix, keep_vars) are deprecated, as in PyTorch.
        """
        if args:
            warnings.warn("Positional args are being deprecated, use kwargs instead. Refer to "
                          "https://pytorch.org/docs/main/generated/torch.nn.Module.html#torch.nn.Module.state_dict "
                          "for details.", FutureWarning, stacklevel=2)
            destination = args[0] if destination is None else destination
            prefix = args[1] if len(args) > 1 and prefix == "" else prefix
            keep_vars = args[2] if len(args) > 2 and keep_vars is False else keep_vars
        destination = OrderedDict() if destination is None else destination
        for name, obj in self._state_items():
            destination[prefix + name] = obj if keep_vars else Tensor._make(np.array(obj.array), False)
        return destination

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True, assign: bool = False
                        ) -> IncompatibleKeys:
        """Copy values into the existing parameters and buffers (keeping their dtypes), or with `assign` make
        them hold the given values themselves (their arrays and dtypes; a parameter stays the same object).

        Raises RuntimeError naming every missing key and unexpected key (when
        `strict`) and every shape mismatch (always); nothing is changed then.
        Returns the missing and unexpected keys.
        """
        own = dict(self._state_items())
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        values: dict[str, np.ndarray] = {}
        mismatched = []
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            value = value.array if isinstance(value, Tensor) else np.asarray(value)
            target_shape = target.shape
            if value.shape != target_shape:
                mismatched.append(f"size mismatch for {key}: copying a param with shape {tuple(value.shape)} from "
                                  f"checkpoint, the shape in current model is {tuple(target_shape)}.")
            values[key] = value
        errors = list(mismatched)
        if strict and missing:
            errors.insert(0, "Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ".")
        if strict and unexpected:
            errors.insert(int(bool(strict and missing)),
                          "Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ".")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t" + "\n\t".join(errors))
        for key, value in values.items():
            target = own[key]
            if assign and isinstance(target, Tensor):
                target.array = value
                continue
            array = target.array if isinstance(target, Tensor) else target
            np.copyto(array, value, casting="unsafe")
        return IncompatibleKeys(missing, unexpected)

    # ----- printing ---------------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The text inside this module's parentheses, e.g. "in_features=3, out_features=2, bias=True"."""
        return ""

    def __repr__(self) -> str:
        extra_lines = self.extra_repr().split("\n") if self.extra_repr() else []
        child_lines = [f"({name}): " + _add_indent(repr(m), 2) for name, m in self.named_children()]
        if len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        elif extra_lines or child_lines:
            body = "\n  " + "\n  ".join(extra_lines + child_lines) + "\n"
        else:
            body = ""
        return f"{type(self).__name__}({body})"


class Sequential(Module):
    """Modules applied one after another; children are named "0", "1", ... (or by an OrderedDict's keys)."""

    def __init__(self, *modules: Module | Mapping[str, Module]):
        super().__init__()
        items: Iterable[tuple[str, Module]]
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            items = modules[0].items()
        else:
            items = ((str(i), m) for i, m in enumerate(modules))
        for name, module in items:
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: {name!r} is a {type(module).__name__}, not a Module")
            setattr(self, name, module)

    def _layers(self) -> list[Module]:
        return [m for m in vars(self).values() if isinstance(m, Module)]

    def forward(self, input: Any) -> Any:
        for module in self._layers():
            input = module(input)
        return input

    def append(self, module: Module) -> Sequential:
        setattr(self, str(len(self)), module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        layers = self._layers()
        return Sequential(*layers[index]) if isinstance(index, slice) else layers[index]

    def __len__(self) -> int:
        return len(self._layers())

    def __iter__(self) -> Iterator[Module]:
        return iter(self._layers())


class ModuleList(Module):
    """A list of modules whose parameters are named "0.weight", "1.weight", ... (indexable, appendable)."""

    def __init__(self, modules: Iterable[Module] | None = None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _items(self) -> list[Module]:
        return [m for m in vars(self).values() if isinstance(m, Module)]

    def append(self, module: Module) -> ModuleList:
        if not isinstance(module, Module):
            raise TypeError(f"ModuleList: can only hold Modules, got a {type(module).__name__}")
        setattr(self, str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for m in modules:
            self.append(m)
        return self

    def __getitem__(self, index: int) -> Module:
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator[Module]:
        return iter(self._items())

    def __repr__(self) -> str:
        """PyTorch's: a run of equal consecutive modules is printed once, as "(0-2): 3 x Linear(...)"."""
        runs: list[list[Any]] = []  # [first index, last index, repr]
        for i, module in enumerate(self):
            text = repr(module)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        if not runs:
            return f"{type(self).__name__}()"
        lines = [_add_indent(f"({a}): {text}" if a == b else f"({a}-{b}): {b - a + 1} x {text}", 2)
                 for a, b, text in runs]
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines) + "\n)"
