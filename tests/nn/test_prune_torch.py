"""nn.utils.prune against torch.nn.utils.prune on small Linear and Conv2d layers: the masks (random ones after the
same manual_seed), state_dict keys and order, outputs, gradients to weight_orig, repeated pruning, remove."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn.utils.prune as prune

torch = pytest.importorskip("torch")
tprune = pytest.importorskip("torch.nn.utils.prune")


def _linear() -> tuple[tg.nn.Module, torch.nn.Module]:
    theirs = torch.nn.Linear(5, 4)
    ours = tg.nn.Linear(5, 4)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _conv() -> tuple[tg.nn.Module, torch.nn.Module]:
    theirs = torch.nn.Conv2d(3, 4, 3)
    ours = tg.nn.Conv2d(3, 4, 3)
    ours.load_state_dict({k: tg.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _same_state(ours: tg.nn.Module, theirs: torch.nn.Module) -> None:
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    for (_, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items(), strict=True):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def _same_step(ours: tg.nn.Module, theirs: torch.nn.Module, shape: tuple[int, ...]) -> None:
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    a, b = ours(tg.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    a.square().sum().backward()
    b.square().sum().backward()
    np.testing.assert_allclose(ours.weight_orig.grad.numpy(), theirs.weight_orig.grad.numpy(), rtol=1e-5, atol=1e-5)


SEEDED = [
    ("random_unstructured", dict(amount=0.4)),
    ("random_unstructured", dict(amount=7)),
    ("l1_unstructured", dict(amount=0.3)),
    ("random_structured", dict(amount=2, dim=0)),
    ("random_structured", dict(amount=0.5, dim=-1)),
    ("ln_structured", dict(amount=1, n=2, dim=0)),
    ("ln_structured", dict(amount=0.5, n=1, dim=1)),
    ("ln_structured", dict(amount=2, n=float("inf"), dim=-1)),
    ("identity", {}),
]


@pytest.mark.parametrize("make,shape", [(_linear, (3, 5)), (_conv, (2, 3, 6, 6))])
@pytest.mark.parametrize("fn,kwargs", SEEDED)
def test_one_pruning_as_torch(make, shape, fn: str, kwargs: dict) -> None:
    ours, theirs = make()
    torch.manual_seed(7)
    getattr(tprune, fn)(theirs, "weight", **kwargs)
    tg.manual_seed(7)
    assert getattr(prune, fn)(ours, "weight", **kwargs) is ours
    _same_state(ours, theirs)
    assert isinstance(ours.weight_orig, tg.nn.Parameter) and not isinstance(ours.weight, tg.nn.Parameter)
    np.testing.assert_array_equal(ours.weight.detach().numpy(), theirs.weight.detach().numpy())
    _same_step(ours, theirs, shape)
    assert prune.is_pruned(ours)


def test_repeated_pruning_composes_in_a_container() -> None:
    ours, theirs = _conv()
    for lib, mod in ((tprune, theirs), (prune, ours)):
        (torch if lib is tprune else tg).manual_seed(3)
        lib.random_structured(mod, "weight", amount=1, dim=0)
        lib.l1_unstructured(mod, "weight", amount=0.25)
        lib.ln_structured(mod, "weight", amount=1, n=2, dim=1)
        lib.random_unstructured(mod, "weight", amount=5)
    _same_state(ours, theirs)
    hooks = [h for h, _ in ours._module_hooks.forward_pre]
    assert len(hooks) == 1 and isinstance(hooks[0], prune.PruningContainer) and len(hooks[0]) == 4
    (container,) = theirs._forward_pre_hooks.values()
    assert [type(m).__name__ for m in hooks[0]] == [type(m).__name__ for m in container]
    _same_step(ours, theirs, (2, 3, 5, 5))


def test_the_hook_recomputes_the_pruned_weight_after_a_step() -> None:
    ours, theirs = _linear()
    tprune.l1_unstructured(theirs, "weight", amount=6)
    prune.l1_unstructured(ours, "weight", amount=6)
    for mod, opt in ((theirs, torch.optim.SGD(theirs.parameters(), lr=0.5)),
                     (ours, tg.optim.SGD(ours.parameters(), lr=0.5))):
        x = (torch if mod is theirs else tg).ones(2, 5)
        mod(x).sum().backward()
        opt.step()
        mod(x)
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-6)
    assert (ours.weight.detach().numpy() == 0).sum() == 6


def test_remove_makes_the_pruned_tensor_the_parameter() -> None:
    ours, theirs = _linear()
    for lib, mod in ((tprune, theirs), (prune, ours)):
        lib.l1_unstructured(mod, "weight", amount=0.5)
        lib.l1_unstructured(mod, "bias", amount=1)
        lib.remove(mod, "weight")
    _same_state(ours, theirs)
    assert isinstance(ours.weight, tg.nn.Parameter) and prune.is_pruned(ours)
    for lib, mod in ((tprune, theirs), (prune, ours)):
        lib.remove(mod, "bias")
    _same_state(ours, theirs)
    assert not prune.is_pruned(ours)
    with pytest.raises(ValueError, match="has to be pruned before pruning can be removed"):
        prune.remove(ours, "weight")


def test_global_unstructured_as_torch() -> None:
    (a, ta), (b, tb) = _linear(), _conv()
    tprune.l1_unstructured(ta, "weight", amount=3)
    prune.l1_unstructured(a, "weight", amount=3)
    for lib, pairs in ((tprune, [(ta, "weight"), (tb, "weight"), (ta, "bias")]),
                       (prune, [(a, "weight"), (b, "weight"), (a, "bias")])):
        lib.global_unstructured(pairs, pruning_method=lib.L1Unstructured, amount=0.35)
    _same_state(a, ta)
    _same_state(b, tb)
    with pytest.raises(TypeError, match='Only "unstructured" PRUNING_TYPE'):
        prune.global_unstructured([(b, "bias")], pruning_method=prune.RandomStructured, amount=1)


def test_custom_from_mask_and_importance_scores() -> None:
    ours, theirs = _linear()
    mask = np.random.default_rng(1).integers(0, 2, (4, 5)).astype(np.float32)
    scores = np.random.default_rng(2).standard_normal((4, 5)).astype(np.float32)
    tprune.custom_from_mask(theirs, "weight", torch.tensor(mask))
    prune.custom_from_mask(ours, "weight", tg.tensor(mask))
    tprune.l1_unstructured(theirs, "weight", amount=3, importance_scores=torch.tensor(scores))
    prune.l1_unstructured(ours, "weight", amount=3, importance_scores=tg.tensor(scores))
    _same_state(ours, theirs)
    with pytest.raises(AssertionError, match="importance_scores should have the same shape as parameter weight"):
        prune.l1_unstructured(ours, "weight", amount=1, importance_scores=tg.ones(5, 4))
    _same_state(ours, theirs)


def test_prune_method_on_a_tensor() -> None:
    t = np.random.default_rng(3).standard_normal((4, 6)).astype(np.float32)
    np.testing.assert_array_equal(
        prune.LnStructured(amount=2, n=1, dim=1).prune(tg.tensor(t)).numpy(),
        tprune.LnStructured(amount=2, n=1, dim=1).prune(torch.tensor(t)).numpy())


@pytest.mark.parametrize("amount,error", [(-1, ValueError), (1.5, ValueError), ("a", TypeError), (99, ValueError)])
def test_amount_errors_as_torch(amount, error) -> None:
    ours, theirs = _linear()
    with pytest.raises(error) as expected:
        tprune.l1_unstructured(theirs, "weight", amount=amount)
    with pytest.raises(error) as got:
        prune.l1_unstructured(ours, "weight", amount=amount)
    assert str(got.value) == str(expected.value).replace("torch.Size([4, 5])", "(4, 5)")
    assert list(ours.state_dict()) == list(theirs.state_dict())  # a failure after the move restores at the end


def test_structured_errors() -> None:
    ours, theirs = _linear()
    for lib, mod in ((tprune, theirs), (prune, ours)):
        with pytest.raises(ValueError, match="multidimensional"):
            lib.ln_structured(mod, "bias", amount=1, n=2, dim=0)
        with pytest.raises(IndexError, match="Invalid index 2"):
            lib.random_structured(mod, "weight", amount=1, dim=2)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert not prune.is_pruned(ours)
