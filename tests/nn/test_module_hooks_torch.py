"""Module.register_forward_pre_hook / register_forward_hook / register_full_backward_hook against torch 2.13:
what the hooks see, what their return values replace, their order, and their handles."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import nn

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((4, 3))


def _models() -> tuple[Any, Any]:
    ours = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
    theirs = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).double()
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            p.array[...] = q.detach().numpy().astype(np.float32)
    ours.double()
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.tensor(p.detach().numpy()))
    return ours, theirs


def _run(lib: Any, model: Any, register: Any) -> tuple[list[Any], Any, Any]:
    seen: list[Any] = []
    handles = register(model, seen)
    x = (tg if lib is tg else torch).tensor(X, requires_grad=True)
    out = model(x)
    (out * out).sum().backward()
    for h in handles:
        h.remove()
    return seen, out, x.grad


def _np(value: Any) -> Any:
    if value is None or isinstance(value, np.ndarray):
        return value
    if isinstance(value, tuple | list):
        return [_np(v) for v in value]
    return value.detach().numpy()


def _same(a: Any, b: Any) -> None:
    a, b = _np(a), _np(b)
    if isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b)
        for u, v in zip(a, b, strict=True):
            _same(u, v)
    elif b is None:
        assert a is None
    else:
        np.testing.assert_allclose(a, b, rtol=1e-10)


def test_forward_hooks_see_and_replace() -> None:
    def register(model: Any, seen: list[Any]) -> list[Any]:
        return [
            model[0].register_forward_pre_hook(lambda m, args: seen.append(("pre", args[0])) or (args[0] * 2,)),
            model[0].register_forward_hook(lambda m, args, out: seen.append(("fwd", args[0], out))),
            model[1].register_forward_hook(lambda m, args, out: out + 1),
            model[2].register_forward_hook(lambda m, args, kwargs, out: seen.append(("kw", kwargs)),
                                           with_kwargs=True),
            model[2].register_forward_pre_hook(lambda m, args: seen.append(("first",)), prepend=True),
        ]

    (ours_seen, ours_out, ours_grad), (theirs_seen, theirs_out, theirs_grad) = (
        _run(lib, model, register) for lib, model in zip((tg, torch), _models(), strict=True))
    assert [s[0] for s in ours_seen] == [s[0] for s in theirs_seen] == ["pre", "fwd", "first", "kw"]
    _same(ours_seen[1][1], theirs_seen[1][1])  # the forward hook sees the replaced input
    _same(ours_seen[1][2], theirs_seen[1][2])
    _same(ours_out, theirs_out)
    _same(ours_grad, theirs_grad)


def test_full_backward_hook() -> None:
    def register(model: Any, seen: list[Any]) -> list[Any]:
        def halve(m: Any, grad_input: Any, grad_output: Any) -> Any:
            seen.append(("tanh", grad_input, grad_output))
            return (grad_input[0] * 0.5,)
        return [
            model[1].register_full_backward_hook(halve),
            model[2].register_full_backward_hook(lambda m, gi, go: seen.append(("last", gi, go))),
            model[0].register_full_backward_hook(lambda m, gi, go: seen.append(("first", gi, go))),
        ]

    (ours_seen, _, ours_grad), (theirs_seen, _, theirs_grad) = (
        _run(lib, model, register) for lib, model in zip((tg, torch), _models(), strict=True))
    assert [s[0] for s in ours_seen] == [s[0] for s in theirs_seen] == ["last", "tanh", "first"]
    for ours, theirs in zip(ours_seen, theirs_seen, strict=True):
        _same(list(ours[1]), list(theirs[1]))
        _same(list(ours[2]), list(theirs[2]))
    _same(ours_grad, theirs_grad)  # the halved gradient reached the input


def test_backward_hook_without_input_grad_and_handles() -> None:
    layer = nn.Linear(3, 2)
    seen: list[Any] = []
    handle = layer.register_full_backward_hook(lambda m, gi, go: seen.append((gi, go)))
    layer(tg.tensor(X, dtype=tg.float32)).sum().backward()
    assert len(seen) == 1 and seen[0][0] == (None,) and seen[0][1][0].shape == (4, 2)
    handle.remove()
    layer(tg.tensor(X, dtype=tg.float32)).sum().backward()
    assert len(seen) == 1
    calls: list[str] = []
    h1 = layer.register_forward_hook(lambda m, a, o: calls.append("a"))
    layer.register_forward_hook(lambda m, a, o: calls.append("b"))
    layer.register_forward_hook(lambda m, a, o: calls.append("c"), prepend=True)
    layer(tg.zeros(1, 3))
    h1.remove()
    layer(tg.zeros(1, 3))
    assert calls == ["c", "a", "b", "c", "b"]
    assert "_module_hooks" not in dict(layer.named_modules()) and len(list(layer.parameters())) == 2


def test_always_call_runs_when_forward_raises() -> None:
    layer = nn.Linear(3, 2)
    seen: list[Any] = []
    layer.register_forward_hook(lambda m, a, o: seen.append(o), always_call=True)
    with pytest.raises(RuntimeError, match="mat1 and mat2 shapes cannot be multiplied"):  # PyTorch's error
        layer(tg.zeros(1, 4))
    assert seen == [None]
    with pytest.raises(RuntimeError, match="forward pre-hook must return None or a tuple"):
        bad = nn.Linear(3, 2)
        bad.register_forward_pre_hook(lambda m, a, k: 1, with_kwargs=True)
        bad(tg.zeros(1, 3))


@pytest.mark.parametrize("layer", ["Linear", "ReLU", "Tanh-leaf-input", "removed"])
def test_deprecated_backward_hook_gives_pytorchs_future_warning(layer: str) -> None:
    import warnings

    def run(lib):  # noqa: ANN001, ANN202
        module = lib.nn.Linear(3, 2) if layer == "Linear" else lib.nn.ReLU() if layer != "Tanh-leaf-input" \
            else lib.nn.Tanh()
        handle = module.register_backward_hook(lambda m, gi, go: None)
        if layer == "removed":
            handle.remove()
        x = lib.ones(2, 3, requires_grad=True)
        x = x if layer == "Tanh-leaf-input" else x * 2
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module(x).sum().backward()
        return [(w.category, str(w.message)) for w in caught if w.category is FutureWarning]

    ours, theirs = run(tg), run(torch)
    assert ours == theirs
    assert bool(ours) == (layer in ("Linear", "Tanh-leaf-input"))
