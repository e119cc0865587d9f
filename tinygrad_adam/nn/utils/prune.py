"""torch.nn.utils.prune: mask a module's parameter with zeros, as PyTorch does.

Pruning `name` moves the Parameter to `name + "_orig"`, registers the buffer `name + "_mask"` and sets the plain
attribute `name` to orig * mask, recomputed before each forward by a forward pre-hook (the pruning method itself).
Pruning the same tensor again composes the methods in a PruningContainer; `remove` makes the pruned tensor the
Parameter again. The random methods draw PyTorch's numbers after the same manual_seed.
"""

from __future__ import annotations

import numbers
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from ...core.creation import ones_like, rand
from ...core.random_ops import rand_like
from ...core.tensor import Tensor
from ...core.toplevel import norm
from ..module import Module
from .convert_parameters import parameters_to_vector

__all__ = ["BasePruningMethod", "CustomFromMask", "Identity", "L1Unstructured", "LnStructured", "PruningContainer",
           "RandomStructured", "RandomUnstructured", "custom_from_mask", "global_unstructured", "identity",
           "is_pruned", "l1_unstructured", "ln_structured", "random_structured", "random_unstructured", "remove"]


def _mask_tensor(array: np.ndarray) -> Tensor:
    return Tensor._make(array, False)


def _copy(mask: Tensor) -> Tensor:
    return _mask_tensor(np.array(mask.array, copy=True, order="C"))


def _pre_hooks(module: Module) -> list[tuple[Any, bool]]:
    hooks = module.__dict__.get("_module_hooks")
    return hooks.forward_pre if hooks is not None else []


def _pruning_hooks(module: Module, name: str | None = None) -> list[tuple[Any, bool]]:
    return [entry for entry in _pre_hooks(module)
            if isinstance(entry[0], BasePruningMethod) and (name is None or entry[0]._tensor_name == name)]


def _scores(importance_scores: Tensor | None, t: Tensor, what: str) -> Tensor:
    if importance_scores is None:
        return t
    if importance_scores.shape != t.shape:
        raise AssertionError(f"importance_scores should have the same shape as {what}, got "
                             f"{importance_scores.shape} vs {t.shape}")
    return importance_scores


class BasePruningMethod(ABC):
    """The base of the pruning methods: subclasses define compute_mask (and PRUNING_TYPE)."""

    _tensor_name: str | None = None
    PRUNING_TYPE: str

    def __call__(self, module: Module, inputs: Any) -> None:
        setattr(module, self._tensor_name, self.apply_mask(module))

    @abstractmethod
    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The new mask for `t`, combined with `default_mask` (the mask already applied)."""

    def apply_mask(self, module: Module) -> Tensor:
        """The pruned tensor: the module's `name_orig` times its `name_mask` (differentiable in orig)."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module: Module, name: str, *args: Any, importance_scores: Tensor | None = None,
              **kwargs: Any) -> BasePruningMethod:
        """Prune `module.name` in place with cls(*args, **kwargs), composing with an earlier pruning of it."""
        found = _pruning_hooks(module, name)
        if len(found) > 1:
            raise AssertionError(f"Avoid adding multiple pruning hooks to the same tensor {name} of module "
                                 f"{module}. Use a PruningContainer.")
        for entry in found:
            _pre_hooks(module).remove(entry)
        method: BasePruningMethod = cls(*args, **kwargs)
        method._tensor_name = name
        if found:
            old = found[0][0]
            if isinstance(old, PruningContainer):
                old.add_pruning_method(method)
                method = old
            else:
                container = PruningContainer(old)
                container.add_pruning_method(method)
                method = container
        orig = getattr(module, name)
        importance_scores = _scores(importance_scores, orig, f"parameter {name} of {module}")
        if not isinstance(method, PruningContainer):
            delattr(module, name)
            setattr(module, name + "_orig", orig)
            default_mask = ones_like(orig)
        else:
            default_mask = _copy(getattr(module, name + "_mask"))
        try:
            mask = method.compute_mask(importance_scores, default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if not isinstance(method, PruningContainer):
                orig = getattr(module, name + "_orig")
                delattr(module, name + "_orig")
                setattr(module, name, orig)
            raise
        return method

    def prune(self, t: Tensor, default_mask: Tensor | None = None,
              importance_scores: Tensor | None = None) -> Tensor:
        """`t` times the mask computed from `importance_scores` (t itself by default)."""
        importance_scores = _scores(importance_scores, t, "tensor t")
        default_mask = default_mask if default_mask is not None else ones_like(t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module: Module) -> None:
        """Make the pruned tensor the Parameter `name` again; drop `name_orig` and `name_mask`."""
        if self._tensor_name is None:
            raise AssertionError(f"Module {module} has to be pruned before pruning can be removed")
        name = self._tensor_name
        weight = self.apply_mask(module)
        if hasattr(module, name):
            delattr(module, name)
        orig = getattr(module, name + "_orig")
        orig.data = weight.data
        delattr(module, name + "_orig")
        del module._buffers[name + "_mask"]
        delattr(module, name + "_mask")
        setattr(module, name, orig)


class PruningContainer(BasePruningMethod):
    """A sequence of pruning methods applied one after the other to the same tensor."""

    def __init__(self, *args: BasePruningMethod) -> None:
        self._pruning_methods: tuple[BasePruningMethod, ...] = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method: BasePruningMethod | None) -> None:
        """Append `method`, which must act on this container's tensor."""
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise ValueError("Can only add pruning methods acting on the parameter named "
                             f"'{self._tensor_name}' to PruningContainer {self}. Found '{method._tensor_name}'")
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self) -> Iterator[BasePruningMethod]:
        return iter(self._pruning_methods)

    def __getitem__(self, idx: int) -> BasePruningMethod:
        return self._pruning_methods[idx]

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        """The last method's mask, computed on the part of `t` the earlier masks kept: the unpruned entries
        (unstructured), the unpruned channels (structured) or everything (global)."""
        method = self._pruning_methods[-1]
        mask = default_mask.array
        new_mask = mask.astype(t.array.dtype, copy=True)
        if method.PRUNING_TYPE == "unstructured":
            slc: Any = mask == 1
        elif method.PRUNING_TYPE == "structured":
            if not hasattr(method, "dim"):
                raise AttributeError('Pruning methods of PRUNING_TYPE "structured" need to have the attribute '
                                     "`dim` defined.")
            dim = method.dim + t.ndim if method.dim < 0 else method.dim
            if dim < 0:
                raise IndexError(f"Index is out of bounds for tensor with dimensions {t.ndim}")
            keep_channel = mask.sum(axis=tuple(d for d in range(t.ndim) if d != dim)) != 0
            slc = tuple(keep_channel if d == dim else slice(None) for d in range(t.ndim))
        elif method.PRUNING_TYPE == "global":
            slc = (slice(None),) * t.ndim
        else:
            raise ValueError(f"Unrecognized PRUNING_TYPE {method.PRUNING_TYPE}")
        partial = method.compute_mask(Tensor(t.array[slc]), default_mask=_mask_tensor(np.array(mask[slc])))
        new_mask[slc] = partial.array.astype(new_mask.dtype)
        return _mask_tensor(new_mask)


def _validate_amount_init(amount: Any) -> None:
    if not isinstance(amount, numbers.Real):
        raise TypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    if (isinstance(amount, numbers.Integral) and amount < 0) or (
            not isinstance(amount, numbers.Integral) and (float(amount) > 1.0 or float(amount) < 0.0)):
        raise ValueError(f"amount={amount} should either be a float in the range [0, 1] or a non-negative integer")


def _nparams_toprune(amount: Any, tensor_size: int) -> int:
    """The number to prune, checked against `tensor_size`."""
    if isinstance(amount, numbers.Integral):
        if amount > tensor_size:
            raise ValueError(f"amount={amount} should be smaller than the number of parameters to "
                             f"prune={tensor_size}")
        return int(amount)
    return round(amount * tensor_size)


def _channels(t: Tensor, dim: int, amount: Any) -> tuple[int, int]:
    """(channels along dim, how many to prune) for the structured methods, with PyTorch's checks."""
    if t.ndim <= 1:
        raise ValueError("Structured pruning can only be applied to multidimensional tensors. Found tensor of "
                         f"shape {t.shape} with {t.ndim} dims")
    if dim >= t.ndim:
        raise IndexError(f"Invalid index {dim} for tensor of size {t.shape}")
    size = t.shape[dim]
    return size, _nparams_toprune(amount, size)


def _with_channels(t: Tensor, dim: int, channels: np.ndarray, default_mask: Tensor) -> Tensor:
    """Ones on the given channels (a boolean mask or indices along dim), zeros elsewhere, times default_mask."""
    mask = np.zeros(t.shape, t.array.dtype)
    slc = [slice(None)] * t.ndim
    slc[dim] = channels
    mask[tuple(slc)] = 1
    return _mask_tensor(mask * default_mask.array.astype(mask.dtype))


def _zeroed(default_mask: Tensor, amount: Any, t: Tensor, topk: Callable[[int], Any]) -> Tensor:
    """default_mask with zeros at the flat indices topk(k) picks, k from `amount` of t's entries."""
    k = _nparams_toprune(amount, t.numel())
    mask = _copy(default_mask)
    if k != 0:
        mask.array.reshape(-1)[topk(k).indices.array] = 0
    return mask


class Identity(BasePruningMethod):
    """Prunes nothing: the mask stays all ones."""

    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return default_mask

    @classmethod
    def apply(cls, module: Module, name: str) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name)


class _UnstructuredByAmount(BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount: int | float) -> None:
        _validate_amount_init(amount)
        self.amount = amount


class RandomUnstructured(_UnstructuredByAmount):
    """Prunes `amount` entries (a count, or a fraction) chosen at random."""

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return _zeroed(default_mask, self.amount, t, lambda k: rand_like(t).reshape(-1).topk(k))

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name, amount=amount)


class L1Unstructured(_UnstructuredByAmount):
    """Prunes the `amount` entries of smallest absolute value."""

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        return _zeroed(default_mask, self.amount, t, lambda k: t.detach().abs().reshape(-1).topk(k, largest=False))

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float,  # type: ignore[override]
              importance_scores: Tensor | None = None) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class RandomStructured(BasePruningMethod):
    """Prunes `amount` whole channels along `dim`, chosen at random."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: int | float, dim: int = -1) -> None:
        _validate_amount_init(amount)
        self.amount = amount
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        size, k = _channels(t, self.dim, self.amount)
        if k == 0:
            return default_mask
        prob = rand(size)
        threshold = prob.kthvalue(k).values
        return _with_channels(t, self.dim, (prob > threshold).array, default_mask)

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float,  # type: ignore[override]
              dim: int = -1) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Prunes the `amount` channels along `dim` of smallest L`n` norm."""

    PRUNING_TYPE = "structured"

    def __init__(self, amount: int | float, n: Any, dim: int = -1) -> None:
        _validate_amount_init(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        size, k = _channels(t, self.dim, self.amount)
        dims = list(range(t.ndim))
        dims.remove(dims[self.dim])
        norms = norm(t.detach(), p=self.n, dim=dims)
        keep = norms.topk(size - k, largest=True).indices.array
        if k == 0:
            return default_mask
        return _with_channels(t, self.dim, keep, default_mask)

    @classmethod
    def apply(cls, module: Module, name: str, amount: int | float, n: Any,  # type: ignore[override]
              dim: int, importance_scores: Tensor | None = None) -> BasePruningMethod:
        return super().apply(module, name, amount=amount, n=n, dim=dim, importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where the given mask is zero."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Tensor) -> None:
        self.mask = mask

    def compute_mask(self, t: Tensor, default_mask: Tensor) -> Tensor:
        if default_mask.shape != self.mask.shape:
            raise AssertionError(f"default_mask shape {default_mask.shape} must match self.mask shape "
                                 f"{self.mask.shape}")
        return _mask_tensor(default_mask.array * self.mask.array.astype(default_mask.array.dtype))

    @classmethod
    def apply(cls, module: Module, name: str, mask: Tensor) -> BasePruningMethod:  # type: ignore[override]
        return super().apply(module, name, mask=mask)


def identity(module: Module, name: str) -> Module:
    """Attach an all-ones mask to `module.name` (the pruning machinery, pruning nothing)."""
    Identity.apply(module, name)
    return module


def random_unstructured(module: Module, name: str, amount: int | float) -> Module:
    """Zero `amount` random entries of `module.name`."""
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Module, name: str, amount: int | float,
                    importance_scores: Tensor | None = None) -> Module:
    """Zero the `amount` entries of `module.name` of smallest |importance_scores| (the tensor by default)."""
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Module, name: str, amount: int | float, dim: int) -> Module:
    """Zero `amount` random channels of `module.name` along `dim`."""
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module: Module, name: str, amount: int | float, n: Any, dim: int,
                  importance_scores: Tensor | None = None) -> Module:
    """Zero the `amount` channels of `module.name` along `dim` with the smallest L`n` norm."""
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def global_unstructured(parameters: Iterable[tuple[Module, str]], pruning_method: type[BasePruningMethod],
                        importance_scores: dict[tuple[Module, str], Tensor] | None = None, **kwargs: Any) -> None:
    """Prune the (module, name) tensors together, as one vector, with an unstructured `pruning_method`."""
    if not isinstance(parameters, Iterable):
        raise TypeError("global_unstructured(): parameters is not an Iterable")
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TypeError("global_unstructured(): importance_scores must be of type dict")
    parameters = list(parameters)
    scores = parameters_to_vector([importance_scores.get((m, name), getattr(m, name)) for m, name in parameters])
    default_mask = parameters_to_vector([getattr(m, name + "_mask") if hasattr(m, name + "_mask")
                                         else ones_like(getattr(m, name)) for m, name in parameters])
    container = PruningContainer()
    container._tensor_name = "temp"
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError('Only "unstructured" PRUNING_TYPE supported for the `pruning_method`. Found method '
                        f"{pruning_method} of type {method.PRUNING_TYPE}")
    container.add_pruning_method(method)
    final_mask = container.compute_mask(scores.detach(), default_mask.detach())
    pointer = 0
    for m, name in parameters:
        param = getattr(m, name)
        custom_from_mask(m, name, mask=final_mask[pointer:pointer + param.numel()].view_as(param))
        pointer += param.numel()


def custom_from_mask(module: Module, name: str, mask: Tensor) -> Module:
    """Prune `module.name` where `mask` is zero."""
    CustomFromMask.apply(module, name, mask)
    return module


def remove(module: Module, name: str) -> Module:
    """Make the pruning of `module.name` permanent: the pruned tensor becomes the Parameter again."""
    for entry in _pruning_hooks(module, name):
        entry[0].remove(module)
        _pre_hooks(module).remove(entry)
        return module
    raise ValueError(f"Parameter '{name}' of module {module} has to be pruned before pruning can be removed")


def is_pruned(module: Module) -> bool:
    """Whether any of the module's sub-modules (itself included) carries a pruning hook."""
    return any(_pruning_hooks(sub) for _, sub in module.named_modules())
