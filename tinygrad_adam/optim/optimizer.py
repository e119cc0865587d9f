"""The skeleton every optimizer shares: parameter groups, lazy per-parameter state, state dicts.

`step()` does what every optimizer does the same way, once, for each parameter with a gradient:

    g ← −g                            if maximize
    g ← g + λ·θ                       L2 weight decay (λ = weight_decay), or
    θ ← θ·(1 − lr·λ)                  decoupled weight decay (AdamW, NAdam's option), g unchanged
    state["step"] ← state["step"] + 1    (not SGD's: PyTorch's SGD keeps only its momentum buffer)

then hands g to the subclass, which writes only its state and its update equations (DeZero's
`update` / `update_one` split; optax chains decay and the update as separate transforms):

    class SGD(Optimizer):
        def __init__(self, params, lr=1e-3, weight_decay=0.0, *, maximize=False):
            super().__init__(params, {"lr": lr, "weight_decay": weight_decay, "maximize": maximize})

        def _update(self, param, grad, state, group):
            param.array -= group["lr"] * grad

A parameter's state is created on its first update: {"step": 0} plus what `_init_state` returns
(Adagrad makes it at construction, as PyTorch does).
Updates work on the NumPy arrays directly (`param.array` in place), so no graph is recorded, and
`.grad` is only read. The common hyperparameters (lr, eps, weight_decay, betas) are checked here,
at construction and when a state dict is loaded; a subclass checks its own after `super()`.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from ..core.grad_mode import enable_grad
from ..core.tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[Mapping[str, Any]]


class Optimizer:
    """Base class: holds `param_groups` (a list of dicts) and `state` (a dict keyed by parameter)."""

    #: Whether weight decay shrinks θ directly instead of joining the gradient, unless a group says
    #: otherwise with its own "decoupled_weight_decay" entry (NAdam's option). AdamW sets it.
    decoupled_weight_decay: bool = False
    #: Whether a parameter's state counts its updates in "step" (every optimizer of PyTorch's but SGD does).
    counts_steps: bool = True
    #: State entries the update creates when it first needs them, so a state dict may lack them (SGD's buffer).
    lazy_state: tuple[str, ...] = ()

    def __init__(self, params: ParamsT, defaults: Mapping[str, Any]):
        self.defaults: dict[str, Any] = dict(defaults)
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        self._scratch_arrays: dict[Tensor, list[np.ndarray]] = {}
        name = type(self).__name__
        if isinstance(params, Tensor) or isinstance(params, Mapping):
            raise TypeError(
                f"{name}: params must be an iterable of Tensors or of param-group dicts, got a single "
                f"{type(params).__name__}; wrap it in a list"
            )
        groups = list(params)
        if not groups:
            raise ValueError(f"{name}: got an empty parameter list")
        if isinstance(groups[0], tuple):  # model.named_parameters(): the names are kept, as in PyTorch
            groups = [{"params": [p for _, p in groups], "param_names": [n for n, _ in groups]}]
        elif not isinstance(groups[0], Mapping):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # ----- parameter groups ---------------------------------------------------------------------
    def add_param_group(self, param_group: Mapping[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (missing ones take the defaults)."""
        name = type(self).__name__
        if not isinstance(param_group, Mapping) or "params" not in param_group:
            raise TypeError(f"{name}: a param group must be a dict with a 'params' entry, got {param_group!r}")
        group = dict(param_group)
        params = group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(f"{name}: params must be an ordered collection (list or tuple), not a set")
        params = list(params)
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        for i, p in enumerate(params):
            if not isinstance(p, Tensor):
                raise TypeError(f"{name}: parameter {i} of a group is a {type(p).__name__}, not a Tensor")
            if p.dtype.kind != "f":
                raise TypeError(f"{name}: parameter {i} has dtype {p.dtype}; only floating-point tensors optimize")
            if not p.is_leaf:
                raise ValueError(f"{name}: parameter {i} is not a leaf tensor (it is the output of an op)")
            if id(p) in seen:
                raise ValueError(f"{name}: parameter {i} appears twice (in this group or an earlier one)")
            seen.add(id(p))
        group["params"] = params
        for key, default in self.defaults.items():
            group.setdefault(key, default)
        group = {key: value if key == "params" else _plain(value) for key, value in group.items()}  # NumPy → Python
        self._check_hyperparameters(group)
        self.param_groups.append(group)

    def _check_hyperparameters(self, group: Mapping[str, Any]) -> None:
        """Raise ValueError for an invalid hyperparameter; a subclass checks its own after calling this.

        PyTorch's implementation choices (foreach, fused, capturable) are accepted and change nothing here:
        there is one implementation. A differentiable step (an update autograd can go through) is refused.
        """
        if group.get("fused") and group.get("foreach"):
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        if group.get("differentiable"):
            raise NotImplementedError(f"{type(self).__name__}: differentiable=True (a step that autograd can "
                                      "differentiate through) is not supported; the update runs outside the graph")
        for key in ("lr", "eps", "weight_decay"):
            if key in group:
                self._require(group, key, 0.0)
        if "betas" in group:
            self._require_betas(group)

    def _require(self, group: Mapping[str, Any], key: str, low: float, high: float = math.inf,
                 high_inclusive: bool = False) -> None:
        """Check low <= group[key] < high (or <= high); NaN always fails."""
        value = group[key]
        try:
            ok = low <= value <= high if high_inclusive else low <= value < high
        except TypeError:
            ok = False
        if not ok:
            upper = "" if high == math.inf else f" and {'<=' if high_inclusive else '<'} {high}"
            raise ValueError(f"{type(self).__name__}: invalid {key} {value!r}; it must be >= {low}{upper}")

    def _require_betas(self, group: Mapping[str, Any]) -> None:
        betas = group["betas"]
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise ValueError(f"{type(self).__name__}: betas must be a pair (beta1, beta2), got {betas!r}")
        for i, beta in enumerate(betas):
            if not (isinstance(beta, numbers.Real) and 0.0 <= beta < 1.0):
                raise ValueError(f"{type(self).__name__}: invalid beta{i + 1} {beta!r}; it must be in [0, 1)")

    # ----- the update loop ----------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset every parameter's gradient: to None (the default), or to a fresh array of zeros."""
        for group in self.param_groups:
            for p in group["params"]:
                if set_to_none:
                    p.grad = None
                elif p.grad is not None:
                    p.grad.array = np.zeros_like(p.grad.array)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns closure() if a closure is given.

        The closure, if any, recomputes the loss and its gradients (zero_grad, forward, backward)
        before the update.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for param in group["params"]:
                if param.grad is None:
                    continue
                grad = param.grad.array
                if grad.shape != param.array.shape:
                    raise ValueError(
                        f"{type(self).__name__}.step: a parameter of shape {tuple(param.shape)} has a gradient of "
                        f"shape {grad.shape}"
                    )
                state = self.state.get(param)
                if state is None:
                    state = self.state[param] = self._new_state(param, group)
                grad = self._maximize_and_decay(param, grad, group)
                if self.counts_steps:
                    state["step"] += 1
                self._update(param, grad, _Arrays(state), group)
        return loss

    def _maximize_and_decay(self, param: Tensor, grad: np.ndarray, group: Mapping[str, Any]) -> np.ndarray:
        """The gradient the update sees: negated to maximize, with weight decay applied.

        Returns a new array when it changes the gradient; `param.grad` is never modified.
        """
        if group.get("maximize", False):
            grad = -grad
        weight_decay = group.get("weight_decay", 0.0)
        if weight_decay != 0:
            if group.get("decoupled_weight_decay", self.decoupled_weight_decay):
                param.array *= 1 - group["lr"] * weight_decay      # θ ← θ·(1 − lr·λ)
            else:
                grad = grad + weight_decay * param.array          # g ← g + λ·θ
        return grad

    def _new_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        """{"step": 0} (if counted) and the subclass's state, its arrays as Tensors (sharing memory), as PyTorch
        keeps them."""
        state = self._init_state(param, group)
        return {**({"step": 0} if self.counts_steps else {}),
                **{k: Tensor._make(v, False) if isinstance(v, np.ndarray) else v for k, v in state.items()}}

    def _init_state(self, param: Tensor, group: Mapping[str, Any]) -> dict[str, Any]:
        """A parameter's state besides "step" before its first update (arrays in the parameter's dtype)."""
        return {}

    def _scratch(self, param: Tensor, count: int) -> list[np.ndarray]:
        """`count` scratch arrays shaped like the parameter, reused from step to step.

        Writing an update into these with `out=` saves allocating fresh temporaries each step,
        which costs more than the arithmetic for large parameters. Unlike the state (and unlike
        `Module.buffers()`), they are never saved.
        """
        arrays = self._scratch_arrays.get(param)
        if (arrays is None or len(arrays) < count or arrays[0].shape != param.shape
                or arrays[0].dtype != param.dtype):
            arrays = self._scratch_arrays[param] = [np.empty_like(param.array) for _ in range(count)]
        return arrays

    def _update(self, param: Tensor, grad: np.ndarray, state: dict[str, Any], group: Mapping[str, Any]) -> None:
        """Apply one update to `param.array` in place; state["step"] already counts it. `grad` must not
        be modified (it may be `param.grad`'s array)."""
        raise NotImplementedError

    # ----- state dicts --------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """A copy of the optimizer's state, PyTorch-style, with parameters replaced by their index.

        {"state": {index: {"step": int, "exp_avg": Tensor, ...}},
         "param_groups": [{"lr": ..., "betas": (..., ...), ..., "params": [index, ...]}]}

        Indices count the parameters across groups in order. Only ints, floats, bools, strings,
        None, tuples, lists, dicts and (copied) Tensors appear, so the dict saves to .npz.
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {key: _plain(value) for key, value in group.items() if key != "params"}
            packed["params"] = [index.setdefault(id(p), len(index)) for p in group["params"]]
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if self.state.get(p):
                    state[index[id(p)]] = {key: _state_value(value) for key, value in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore a state from `state_dict()`: hyperparameters of each group, moments and step counts.

        The optimizer must hold the same number of groups with the same number of parameters, of
        the same shapes; otherwise nothing is changed and a ValueError says what differs. Arrays are
        copied (in the parameter's dtype), so the dict passed in is never aliased.
        """
        name = type(self).__name__
        if not isinstance(state_dict, Mapping) or "state" not in state_dict or "param_groups" not in state_dict:
            raise ValueError(f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups' entries")
        saved_groups = list(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: the state has {len(saved_groups)} param groups, this optimizer has "
                f"{len(self.param_groups)}"
            )
        index_to_param: dict[int, tuple[Tensor, dict[str, Any]]] = {}
        new_groups = []
        for g, (group, saved) in enumerate(zip(self.param_groups, saved_groups, strict=True)):
            saved_params = list(saved["params"])
            if len(saved_params) != len(group["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: param group {g} has {len(saved_params)} parameters in the state "
                    f"and {len(group['params'])} in this optimizer"
                )
            new_group = dict(group)
            for key, value in saved.items():
                if key == "params":
                    continue
                if isinstance(group.get(key), tuple) and isinstance(value, list | tuple | np.ndarray):
                    value = tuple(_plain(v) for v in value)
                new_group[key] = _plain(value)
            self._check_hyperparameters(new_group)
            new_groups.append(new_group)
            for index, p in zip(saved_params, group["params"], strict=True):
                index_to_param[int(index)] = (p, new_group)

        new_state: dict[Tensor, dict[str, Any]] = {}
        for index, saved_state in state_dict["state"].items():
            if int(index) not in index_to_param:
                raise ValueError(f"{name}.load_state_dict: the state names parameter {index}, which no group holds")
            p, group = index_to_param[int(index)]
            new_state[p] = self._restored_state(index, p, group, saved_state)

        for group, new_group in zip(self.param_groups, new_groups, strict=True):
            group.clear()
            group.update(new_group)
        self.state = new_state

    def _restored_state(self, index: Any, p: Tensor, group: Mapping[str, Any],
                        saved_state: Mapping[str, Any]) -> dict[str, Any]:
        """One parameter's state from a state dict, checked against what this optimizer would create."""
        name = type(self).__name__
        expected = self._new_state(p, group)
        for key in self.lazy_state:
            if key in saved_state and key not in expected:
                expected[key] = Tensor._make(np.zeros_like(p.array), False)
        if set(saved_state) != set(expected):
            raise ValueError(
                f"{name}.load_state_dict: parameter {index} has state entries {sorted(saved_state)}, "
                f"{name} with these hyperparameters expects {sorted(expected)} (a state from another optimizer?)"
            )
        restored = {}
        for key, template in expected.items():
            value = _plain(saved_state[key])
            if isinstance(template, Tensor):
                array = np.asarray(value)
                if array.shape != template.shape:
                    raise ValueError(
                        f"{name}.load_state_dict: state '{key}' of parameter {index} has shape {array.shape}, "
                        f"the parameter has shape {tuple(p.shape)}"
                    )
                restored[key] = Tensor._make(np.array(array, dtype=p.array.dtype, copy=True), False)
            else:
                restored[key] = type(template)(value)
        return restored

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)


def _state_value(value: Any) -> Any:
    """A copy of one state entry for state_dict(): Tensors stay Tensors (in lists too: LBFGS's), as in PyTorch."""
    if isinstance(value, list):
        return [_state_value(v) for v in value]
    return Tensor._make(value.array.copy(), False) if isinstance(value, Tensor) else _plain(value)


class _Arrays:
    """A parameter's state as the update equations see it: the NumPy arrays of its Tensors (an array stored
    into it becomes a Tensor that shares its memory), so `_update` works on arrays in place."""

    __slots__ = ("state",)

    def __init__(self, state: dict[str, Any]):
        self.state = state

    def __getitem__(self, key: str) -> Any:
        value = self.state[key]
        return value.array if isinstance(value, Tensor) else value

    def __setitem__(self, key: str, value: Any) -> None:
        self.state[key] = Tensor._make(value, False) if isinstance(value, np.ndarray) else value

    def __contains__(self, key: str) -> bool:
        return key in self.state

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.state else default


def _plain(value: Any) -> Any:
    """Copy arrays and turn NumPy scalars into Python ones, so state dicts hold only plain values."""
    if isinstance(value, Tensor):  # a state_dict's moments, or one loaded from a PyTorch file
        value = value.array
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
