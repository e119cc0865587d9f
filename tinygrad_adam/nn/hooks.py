"""Module hooks as PyTorch has them: forward pre-hooks, forward hooks and full backward hooks.

    handle = model.fc1.register_forward_hook(lambda module, args, output: print(output.shape))
    handle.remove()

Module.__call__ runs `forward` directly while a module has no hooks. With hooks it runs, in order: the
forward pre-hooks (each may replace the positional arguments), forward, the forward hooks (each may
replace the output). A full backward hook sees the gradients of the module's positional Tensor inputs
and of its outputs: the inputs and outputs pass through identity ops whose backward records them, and
when the last input's gradient arrives the hook is called; what it returns replaces that gradient.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.engine import Context, Op
from ..core.grad_mode import is_grad_enabled
from ..core.hooks import RemovableHandle
from ..core.tensor import Tensor


class _Hook:
    """One registered hook and its options (the handle removes this object, so equal functions stay apart)."""

    def __init__(self, fn: Callable[..., Any], with_kwargs: bool = False, always_call: bool = False):
        self.fn, self.with_kwargs, self.always_call = fn, with_kwargs, always_call


class ModuleHooks:
    """The hooks of one module (kept in an object, not lists, so that a Module used as a hook is not a child)."""

    def __init__(self) -> None:
        self.forward_pre: list[_Hook] = []
        self.forward: list[_Hook] = []
        self.backward: list[_Hook] = []

    def __bool__(self) -> bool:
        return bool(self.forward_pre or self.forward or self.backward)

    def add(self, hooks: list[_Hook], hook: _Hook, prepend: bool) -> RemovableHandle:
        hooks.insert(0, hook) if prepend else hooks.append(hook)
        return RemovableHandle(hooks, hook)

    def call(self, module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        for hook in list(self.forward_pre):
            if hook.with_kwargs:
                result = hook.fn(module, args, kwargs)
                if result is not None:
                    if not (isinstance(result, tuple) and len(result) == 2):
                        raise RuntimeError("forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                           f"but got {result}.")
                    args, kwargs = result
            else:
                result = hook.fn(module, args)
                if result is not None:
                    args = result if isinstance(result, tuple) else (result,)
        recorder = _BackwardRecorder(module, self.backward) if self.backward and is_grad_enabled() else None
        if recorder is not None:
            args = recorder.wrap_inputs(args)
        try:
            output = module.forward(*args, **kwargs)
        except Exception:
            for hook in self.forward:
                if hook.always_call:
                    hook.fn(module, args, kwargs, None) if hook.with_kwargs else hook.fn(module, args, None)
            raise
        for hook in list(self.forward):
            result = hook.fn(module, args, kwargs, output) if hook.with_kwargs else hook.fn(module, args, output)
            if result is not None:
                output = result
        return output if recorder is None else recorder.wrap_outputs(output)


class _Identity(Op):
    """y = x, whose backward hands the gradient to a _BackwardRecorder (and passes on what it returns)."""

    @staticmethod
    def forward(ctx: Context, x: np.ndarray, recorder: _BackwardRecorder, kind: str, position: int) -> np.ndarray:
        ctx.recorder, ctx.kind, ctx.position = recorder, kind, position
        return x.view()

    @staticmethod
    def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
        return ctx.recorder.received(ctx.kind, ctx.position, grad)


class _BackwardRecorder:
    """One call's gradients of inputs and outputs, and the call of the full backward hooks when all are in."""

    def __init__(self, module: Any, hooks: list[_Hook]):
        self.module, self.hooks = module, list(hooks)
        self.inputs: list[int] = []
        self.outputs: list[int] = []

    def _wrap(self, values: tuple[Any, ...], kind: str, positions: list[int]) -> tuple[Any, ...]:
        wrapped = list(values)
        for i, value in enumerate(values):
            if isinstance(value, Tensor) and value.requires_grad:
                wrapped[i] = _Identity.apply(value, recorder=self, kind=kind, position=i)
                positions.append(i)
        return tuple(wrapped)

    def wrap_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        self.n_args = len(args)
        return self._wrap(args, "input", self.inputs)

    def wrap_outputs(self, output: Any) -> Any:
        outs = tuple(output) if isinstance(output, tuple | list) else (output,)
        self.n_outputs = len(outs)
        wrapped = self._wrap(outs, "output", self.outputs)
        self._reset()
        if isinstance(output, tuple | list):
            return type(output)(wrapped)
        return wrapped[0]

    def _reset(self) -> None:
        self.grad_inputs: list[Any] = [None] * self.n_args
        self.grad_outputs: list[Any] = [None] * self.n_outputs
        self.pending_inputs, self.pending_outputs = set(self.inputs), set(self.outputs)

    def received(self, kind: str, position: int, grad: np.ndarray) -> np.ndarray:
        if kind == "output":
            self.grad_outputs[position] = Tensor(grad)
            self.pending_outputs.discard(position)
            if not self.inputs and not self.pending_outputs:  # no input needs a gradient: call the hooks now
                self._call_hooks()
            return grad
        self.grad_inputs[position] = Tensor(grad)
        self.pending_inputs.discard(position)
        if self.pending_inputs:
            return grad
        replaced = self._call_hooks()
        if replaced is None:
            return grad
        if len(self.inputs) > 1:
            raise NotImplementedError(f"{type(self.module).__name__}: a full backward hook that returns new input "
                                      "gradients is supported for modules with one input that requires grad")
        new = replaced[position]
        return grad if new is None else np.asarray(new.array if isinstance(new, Tensor) else new, dtype=grad.dtype)

    def _call_hooks(self) -> tuple[Any, ...] | None:
        grad_input, grad_output = tuple(self.grad_inputs), tuple(self.grad_outputs)
        replaced = None
        for hook in self.hooks:
            result = hook.fn(self.module, grad_input, grad_output)
            if result is not None:
                result = tuple(result) if isinstance(result, tuple | list) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got "
                                       f"{len(result)}, but expected {len(grad_input)}")
                grad_input = replaced = result
        self._reset()  # ready for another backward through the same graph (retain_graph=True)
        return replaced


class HooksMixin:
    """Module's register_forward_pre_hook, register_forward_hook and register_full_backward_hook."""

    def _module_hooks_(self) -> ModuleHooks:
        hooks = self.__dict__.get("_module_hooks")
        if hooks is None:
            hooks = self.__dict__["_module_hooks"] = ModuleHooks()
        return hooks

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """hook(module, args) (or (module, args, kwargs)) before each forward; may return new args."""
        hooks = self._module_hooks_()
        return hooks.add(hooks.forward_pre, _Hook(hook, with_kwargs), prepend)

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False, with_kwargs: bool = False,
                              always_call: bool = False) -> RemovableHandle:
        """hook(module, args, output) (or (module, args, kwargs, output)) after each forward; may return a new
        output. With always_call it also runs (with output None) when forward raises."""
        hooks = self._module_hooks_()
        return hooks.add(hooks.forward, _Hook(hook, with_kwargs, always_call), prepend)

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False) -> RemovableHandle:
        """hook(module, grad_input, grad_output) once the gradients of the module's inputs are computed;
        may return new grad_input (tuples of Tensors, None for arguments without a gradient)."""
        hooks = self._module_hooks_()
        return hooks.add(hooks.backward, _Hook(hook), prepend)
