"""Module hooks with PyTorch's signatures: forward pre-hooks and hooks, full backward pre-hooks and hooks.

    handle = model.fc.register_forward_hook(lambda module, args, output: print(output.shape))
    handle.remove()

A module with no hooks is called as before (Module.__call__ tests one attribute). For the backward hooks the
call routes its Tensor arguments and results through an identity op, `BackwardHookFunctionBackward` as in
PyTorch, and hooks the tensors it makes, so the hooks run inside the engine's walk: the pre-hooks when the
gradients of the results are complete, the hooks when those of the inputs are.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ..core import grad_mode
from ..core.engine import Context, Op
from ..core.hooks import RemovableHandle
from ..core.tensor import Tensor


class BackwardHookOp(Op):
    """The identity, so that a module's inputs and results are tensors of their own whose gradients can be hooked."""

    node_name = "BackwardHookFunctionBackward"

    @staticmethod
    def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
        return x

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return grad


class ModuleHooks:
    """The hooks of one module, in calling order; kept off the module's lists and dicts so that the
    parameter walk never looks inside them."""

    def __init__(self) -> None:
        self.forward_pre: list[tuple[Callable[..., Any], bool]] = []
        self.forward: list[tuple[Callable[..., Any], bool, bool]] = []
        self.backward_pre: list[Callable[..., Any]] = []
        self.backward: list[Callable[..., Any]] = []
        self.deprecated: list[Callable[..., Any]] = []  # the hooks of register_backward_hook, among `backward`
        self.warn_deprecated: Callable[..., None] | None = None  # its FutureWarnings (module.py), after forward

    @staticmethod
    def add(hooks: list, entry: Any, prepend: bool) -> RemovableHandle:
        hooks.insert(0, entry) if prepend else hooks.append(entry)
        return RemovableHandle(hooks, entry)

    def call(self, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """module.forward(*args, **kwargs) with the hooks around it, in PyTorch's order."""
        for hook, with_kwargs in tuple(self.forward_pre):
            if with_kwargs:
                result = hook(module, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                           f"but got {result!r}.")
                    args, kwargs = result
            else:
                result = hook(module, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        backward = None
        if (self.backward or self.backward_pre) and grad_mode.recording:
            backward = _BackwardCall(module, self)
            args = backward.wrap_inputs(args)
        try:
            output = module.forward(*args, **kwargs)
        except Exception:
            for hook, with_kwargs, always_call in tuple(self.forward):
                if always_call:
                    hook(module, args, kwargs, None) if with_kwargs else hook(module, args, None)
            raise
        for hook, with_kwargs, _ in tuple(self.forward):
            result = hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
            if result is not None:
                output = result
        if self.warn_deprecated is not None and any(hook in self.backward for hook in self.deprecated):
            self.warn_deprecated(args, output)
        return output if backward is None else backward.wrap_outputs(output)


class _BackwardCall:
    """The gradients of one call's results and inputs, gathered for the module's backward hooks."""

    def __init__(self, module: Any, hooks: ModuleHooks):
        self.module, self.hooks = module, hooks
        self.inputs: list[int] = []  # positions of the arguments whose gradients are awaited
        self.n_inputs = 0
        self.grad_inputs: dict[int, Tensor] = {}
        self.outputs: list[int] = []
        self.grad_outputs: list[Tensor | None] = []
        self.output_is_tuple = False
        self.pre_hooks_done = False

    def wrap_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        self.n_inputs = len(args)
        wrapped = list(args)
        for i, a in enumerate(args):
            if isinstance(a, Tensor) and a.requires_grad:
                wrapped[i] = BackwardHookOp.apply(a)
                wrapped[i].register_hook(lambda grad, i=i: self.input_grad(i, grad))
                self.inputs.append(i)
        return tuple(wrapped)

    def wrap_outputs(self, output: Any) -> Any:
        self.output_is_tuple = isinstance(output, tuple | list)
        items = list(output) if self.output_is_tuple else [output]
        self.grad_outputs = [None] * len(items)
        for j, o in enumerate(items):
            if isinstance(o, Tensor) and o.requires_grad:
                items[j] = BackwardHookOp.apply(o)
                items[j].register_hook(lambda grad, j=j: self.output_grad(j, grad))
                self.outputs.append(j)
        if not self.output_is_tuple:
            return items[0]
        return type(output)(items)

    def output_grad(self, j: int, grad: Tensor) -> Tensor | None:
        self.grad_outputs[j] = grad
        if sum(g is not None for g in self.grad_outputs) < len(self.outputs):
            return None
        replaced = self.run_pre_hooks()
        if not self.inputs:  # no input requires grad: PyTorch calls the hooks now, with None for every input
            if self.hooks.backward:
                warnings.warn("Full backward hook is firing when gradients are computed with respect to module "
                              "outputs since no inputs require gradients.", UserWarning, stacklevel=2)
            self.run_hooks((None,) * self.n_inputs)
        return replaced[j] if replaced is not None else None

    def run_pre_hooks(self) -> tuple[Any, ...] | None:
        """hook(module, grad_output) for each pre-hook; the last tuple returned, if any."""
        self.pre_hooks_done, replaced = True, None
        for hook in tuple(self.hooks.backward_pre):
            result = hook(self.module, tuple(self.grad_outputs))
            if result is not None:
                replaced = tuple(result)
                self._check_one_changed("backward pre-hook", self.outputs, self.grad_outputs, replaced)
                self.grad_outputs = list(replaced)
        return replaced

    def input_grad(self, i: int, grad: Tensor) -> Tensor | None:
        self.grad_inputs[i] = grad
        if len(self.grad_inputs) < len(self.inputs):
            return None
        if not self.pre_hooks_done:
            self.run_pre_hooks()
        packed = tuple(self.grad_inputs.get(k) for k in range(self.n_inputs))
        replaced = self.run_hooks(packed)
        return None if replaced is None else replaced[i]

    def run_hooks(self, grad_input: tuple[Any, ...]) -> tuple[Any, ...] | None:
        replaced = None
        for hook in tuple(self.hooks.backward):
            result = hook(self.module, grad_input, tuple(self.grad_outputs))
            if result is not None:
                if len(result) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(result)}, "
                                       f"but expected {len(grad_input)}")
                self._check_one_changed("backward hook", self.inputs, list(grad_input), tuple(result))
                grad_input = replaced = tuple(result)
        return replaced

    @staticmethod
    def _check_one_changed(kind: str, awaited: list[int], old: list[Any], new: tuple[Any, ...]) -> None:
        """Gradients pass on one by one as each arrives, so only a lone awaited gradient can be replaced."""
        if len(awaited) > 1 and any(old[k] is not new[k] for k in awaited):
            raise NotImplementedError(f"a module's {kind} that returns new gradients is supported here only when "
                                      "one Tensor input and one Tensor result require grad")
