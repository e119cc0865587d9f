"""Tensor, node and module hooks against torch 2.13: the same calls, in the same order, with the same gradients,
and the same effect of what they return. Each scenario runs once per library and returns a log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")


class _Values:
    """A tensor's values in a log; equal to another's within float32 rounding."""

    def __init__(self, tensor: Any):
        self.array = np.asarray(tensor.detach().numpy(), dtype=np.float64)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _Values) and self.array.shape == other.array.shape
                and np.allclose(self.array, other.array, rtol=1e-5, atol=1e-6))

    def __repr__(self) -> str:
        return f"values{self.array.tolist()}"


def _value(v: Any) -> Any:
    """Tensors become their values, tuples lists, so that logs of the two libraries compare with ==."""
    if isinstance(v, tg.Tensor | torch.Tensor):
        return _Values(v)
    if isinstance(v, tuple | list):
        return [_value(x) for x in v]
    return v


def _leaf(lib: Any, values: Any) -> Any:
    return lib.tensor(np.asarray(values, dtype=np.float32), requires_grad=True)


def order_of_tensor_and_node_hooks(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [1.0, 2.0, 3.0])
    y = x * 3
    z = (y * y).sum()
    y.register_hook(lambda g: (log.append(("tensor hook 1", _value(g))), g * 2)[1])
    y.retain_grad()
    y.register_hook(lambda g: log.append(("tensor hook 2", _value(g))))
    y.grad_fn.register_prehook(lambda go: log.append(("node pre-hook", _value(go))))
    y.grad_fn.register_hook(lambda gi, go: log.append(("node hook", _value(gi), _value(go))))
    x.register_hook(lambda g: log.append(("leaf hook", _value(g))))
    z.backward()
    log += [("y.grad", _value(y.grad)), ("x.grad", _value(x.grad)), ("retains", y.retains_grad, x.retains_grad)]
    return log


def leaf_hook_replaces_the_summed_gradient(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [[1.0, -2.0], [0.5, 4.0]])
    x.register_hook(lambda g: (log.append(_value(g)), g.clamp(min=0.0) + 1)[1])
    (x * x + x.exp() - x).sum().backward()
    log.append(_value(x.grad))
    (x * 2).sum().backward()  # the hook runs again, and .grad accumulates what it returns
    log.append(_value(x.grad))
    return log


def removed_hooks_do_not_run(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [1.0, 2.0])
    first = x.register_hook(lambda g: log.append("first"))
    x.register_hook(lambda g: log.append("second"))
    y = x * 2
    node = y.grad_fn.register_hook(lambda gi, go: log.append("node"))
    first.remove()
    node.remove()
    first.remove()  # twice is harmless
    y.sum().backward()
    return log


def the_root_tensors_hook_sees_the_seed(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [1.0, 2.0])
    y = x * x
    y.register_hook(lambda g: (log.append(_value(g)), g * 10)[1])
    y.backward(lib.tensor(np.array([1.0, 0.5], np.float32)))
    log.append(_value(x.grad))
    return log


def node_hooks_replace_gradients(lib: Any) -> list[Any]:
    a, b = _leaf(lib, [1.0, 2.0]), _leaf(lib, [3.0, 4.0])
    y = a * b
    y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
    y.grad_fn.register_hook(lambda gi, go: (gi[0], gi[1] * 0 + 7))
    y.sum().backward()
    return [_value(a.grad), _value(b.grad)]


def accumulate_grad_hooks_as_ddp_uses_them(lib: Any) -> list[Any]:
    log: list[Any] = []
    p = _leaf(lib, [1.0, 2.0])
    accumulator = p.expand_as(p).grad_fn.next_functions[0][0]
    accumulator.register_prehook(lambda go: (log.append(("pre", _value(go))), (go[0] + 1,))[1])
    accumulator.register_hook(lambda *unused: log.append(("after", _value(p.grad), len(unused[0]))))
    (p * 3).sum().backward()
    log.append(("grad", _value(p.grad)))
    return log


def autograd_grad_runs_the_hooks(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [1.0, 2.0])
    y = x * x
    y.register_hook(lambda g: g * 3)
    x.register_hook(lambda g: (log.append(_value(g)), None)[1])
    (gx,) = lib.autograd.grad(y.sum(), x)
    log += [_value(gx), x.grad is None]
    return log


def hooks_registered_before_an_in_place_change_get_the_old_values_gradient(lib: Any) -> list[Any]:
    log: list[Any] = []
    x = _leaf(lib, [1.0, 2.0])
    y = x * 2
    y.register_hook(lambda g: log.append(("before", _value(g))))
    y.mul_(3)
    y.register_hook(lambda g: log.append(("after", _value(g))))
    (y * 5).sum().backward()
    log.append(_value(x.grad))
    return log


def autograd_backward_with_grad_tensors_and_inputs(lib: Any) -> list[Any]:
    x, w = _leaf(lib, [1.0, 2.0]), _leaf(lib, [3.0, 4.0])
    a, b = x * w, (x * x).sum()
    lib.autograd.backward([a, b], [lib.tensor(np.array([1.0, 2.0], np.float32)), None], retain_graph=True)
    log = [_value(x.grad), _value(w.grad)]
    lib.autograd.backward(a.sum(), inputs=[w])
    log += [_value(x.grad), _value(w.grad)]
    lib.autograd.backward(b, grad_tensors=lib.tensor(2.0), inputs=x)
    log += [_value(x.grad)]
    return log


SCENARIOS: dict[str, Callable[[Any], list[Any]]] = {f.__name__: f for f in (
    order_of_tensor_and_node_hooks, leaf_hook_replaces_the_summed_gradient, removed_hooks_do_not_run,
    the_root_tensors_hook_sees_the_seed, node_hooks_replace_gradients, accumulate_grad_hooks_as_ddp_uses_them,
    autograd_grad_runs_the_hooks, hooks_registered_before_an_in_place_change_get_the_old_values_gradient,
    autograd_backward_with_grad_tensors_and_inputs)}


@pytest.mark.parametrize("name", SCENARIOS)
def test_hooks_run_as_in_torch(name: str) -> None:
    ours, theirs = SCENARIOS[name](tg), SCENARIOS[name](torch)
    assert ours == theirs
    assert ours  # every scenario logs something


def test_errors_as_in_torch() -> None:
    for lib in (tg, torch):
        with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
            lib.ones(2).register_hook(lambda g: g)
        with pytest.raises(RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"):
            lib.ones(2).retain_grad()
        with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
            (lib.ones(2, requires_grad=True) * 2).requires_grad_(False)
        x = lib.ones(2, requires_grad=True)
        assert x.retain_grad() is None  # a no-op on a leaf
        assert not x.retains_grad and x.is_leaf and not (x * 2).is_leaf and (lib.ones(2) * 2).is_leaf
        assert (lib.ones(2) * 2).grad_fn is None
        with lib.no_grad():
            assert (x * 2).grad_fn is None and (x * 2).is_leaf
        x.register_hook(lambda g: g.sum())
        with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the size of value"):
            (x * 2).sum().backward()


def _module_log(lib: Any) -> list[Any]:
    log: list[Any] = []
    lib.manual_seed(0)
    layer = lib.nn.Linear(3, 2)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(np.arange(6, dtype=np.float32).reshape(2, 3) / 10))
        layer.bias.copy_(lib.tensor(np.array([0.5, -0.5], np.float32)))
    layer.register_forward_pre_hook(lambda m, args: (log.append(("pre", len(args))), (args[0] * 2,))[1])
    layer.register_forward_pre_hook(lambda m, args: log.append(("pre first", _value(args))), prepend=True)
    layer.register_forward_hook(lambda m, args, out: (log.append(("fwd", _value(args), _value(out))), out + 1)[1])
    layer.register_forward_hook(lambda m, args, kwargs, out: log.append(("fwd kwargs", kwargs)), with_kwargs=True)
    layer.register_full_backward_pre_hook(lambda m, go: log.append(("bw pre", _value(go))))
    layer.register_full_backward_hook(lambda m, gi, go: (log.append(("bw", _value(gi), _value(go))),
                                                         (gi[0] * 10,))[1])
    x = _leaf(lib, [[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
    out = layer(x)
    log.append(("out", _value(out)))
    (out * out).sum().backward()
    log += [("x.grad", _value(x.grad)), ("weight.grad", _value(layer.weight.grad))]
    return log


def test_module_hooks_run_in_torchs_order_with_torchs_arguments() -> None:
    ours, theirs = _module_log(tg), _module_log(torch)
    assert ours == theirs
    assert [entry[0] for entry in ours] == ["pre first", "pre", "fwd", "fwd kwargs", "out", "bw pre", "bw",
                                           "x.grad", "weight.grad"]


def _module_without_grad_inputs(lib: Any) -> list[Any]:
    log: list[Any] = []

    class Scale(lib.nn.Module):
        def forward(self, x: Any, factor: float, y: Any) -> Any:
            return x * factor + y

    m = Scale()
    handles = [m.register_full_backward_hook(lambda mod, gi, go: log.append(("bw", _value(gi), _value(go)))),
               m.register_forward_hook(lambda mod, args, out: log.append(("fwd", len(args))))]
    x, y = _leaf(lib, [1.0, 2.0]), _leaf(lib, [3.0, 4.0])
    m(x, 3.0, y).sum().backward()
    with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are computed with respect "
                                         "to module outputs since no inputs require gradients"):
        layer = lib.nn.Linear(2, 1)
        layer.register_full_backward_hook(lambda mod, gi, go: log.append(("linear", _value(gi), len(go))))
        layer(lib.ones(3, 2)).sum().backward()
    for h in handles:
        h.remove()
    m(x, 3.0, y).sum().backward()
    return log


def test_full_backward_hooks_with_several_and_with_no_inputs_that_require_grad() -> None:
    assert _module_without_grad_inputs(tg) == _module_without_grad_inputs(torch)


def test_always_call_forward_hook_runs_when_forward_raises() -> None:
    for lib in (tg, torch):
        log: list[Any] = []

        class Broken(lib.nn.Module):
            def forward(self, x: Any) -> Any:
                raise ValueError("broken")

        m = Broken()
        m.register_forward_hook(lambda mod, args, out, log=log: log.append(("always", out)), always_call=True)
        m.register_forward_hook(lambda mod, args, out, log=log: log.append("normal"))
        with pytest.raises(ValueError, match="broken"):
            m(lib.ones(1))
        assert log == [("always", None)]


def test_variable_is_the_legacy_alias_that_returns_a_tensor() -> None:
    for lib in (tg, torch):
        base = lib.ones(2)
        v = lib.autograd.Variable(base, requires_grad=True)
        assert type(v) is lib.Tensor and v.requires_grad and v.is_leaf and not base.requires_grad
        assert isinstance(v, lib.autograd.Variable) and isinstance(base, lib.autograd.Variable)
        (v * 3).sum().backward()
        assert v.grad.tolist() == [3.0, 3.0]
        assert not lib.autograd.Variable(base).requires_grad
