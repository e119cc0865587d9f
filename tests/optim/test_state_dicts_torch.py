"""Optimizer and scheduler state dicts as PyTorch's (found by experiments/fuzz_nn.py): the same entries, so
a state saved by one loads into the other, and NAdam's float32 mu_product."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402


def _pair(name: str, **hyper: object) -> tuple[list, object, list, object]:
    arrays = [np.arange(3.0), np.ones((2, 2))]
    ours = [tg.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    return ours, getattr(tg.optim, name)(ours, **hyper), theirs, getattr(torch.optim, name)(theirs, **hyper)


def _step(params: list, optimizer: object, lib: object) -> None:
    optimizer.zero_grad()
    sum((p * p * lib.tensor(0.5) + lib.sin(p)).sum() for p in params).backward()
    optimizer.step()


def _entries(state_dict: dict) -> dict:
    return {k: sorted(v) for k, v in state_dict["state"].items()}


@pytest.mark.parametrize(("name", "hyper"), [("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9}),
                                             ("Adagrad", {}), ("Adam", {"amsgrad": True}), ("NAdam", {}),
                                             ("Rprop", {}), ("RAdam", {"decoupled_weight_decay": True}),
                                             ("ASGD", {"t0": 1, "lambd": 0.1})])
def test_state_entries_before_and_after_steps_as_torch(name: str, hyper: dict) -> None:
    ours, opt, theirs, topt = _pair(name, **hyper)
    assert _entries(opt.state_dict()) == _entries(topt.state_dict())  # Adagrad's state exists before any step
    for _ in range(3):
        _step(ours, opt, tg)
        _step(theirs, topt, torch)
    assert _entries(opt.state_dict()) == _entries(topt.state_dict())  # SGD keeps no "step"
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-14, atol=0)


@pytest.mark.parametrize(("name", "hyper"), [("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
                                             ("Rprop", {"lr": 0.1}), ("RAdam", {"lr": 0.1, "weight_decay": 0.1}),
                                             ("ASGD", {"lr": 0.1, "t0": 1, "lambd": 0.1})])
def test_torch_state_loads_into_ours_and_continues_the_same(name: str, hyper: dict) -> None:
    ours, opt, theirs, topt = _pair(name, **hyper)
    for _ in range(7):
        _step(theirs, topt, torch)
    for p, q in zip(ours, theirs, strict=True):
        p.array[...] = q.detach().numpy()
    opt.load_state_dict({"state": {k: {n: tg.tensor(v.numpy()) for n, v in s.items()}
                                   for k, s in topt.state_dict()["state"].items()},
                         "param_groups": topt.state_dict()["param_groups"]})
    for _ in range(3):
        _step(ours, opt, tg)
        _step(theirs, topt, torch)
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-14, atol=0)
    for key, value in opt.state_dict()["state"][0].items():
        np.testing.assert_allclose(np.asarray(value), topt.state_dict()["state"][0][key].numpy(), rtol=1e-14)


def test_nadam_mu_product_is_a_float32_scalar_by_default() -> None:
    ours, opt, theirs, topt = _pair("NAdam", lr=0.1, momentum_decay=0.01)
    for _ in range(5):
        _step(ours, opt, tg)
        _step(theirs, topt, torch)
    assert opt.state[ours[0]]["mu_product"] == topt.state[theirs[0]]["mu_product"].item()
    for p, q in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-14, atol=0)


def test_one_cycle_state_dict_names_the_annealing_as_torch() -> None:
    _, opt, _, topt = _pair("SGD", lr=0.1, momentum=0.9)
    ours = tg.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=10, anneal_strategy="linear")
    theirs = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=0.1, total_steps=10, anneal_strategy="linear")
    assert ours.state_dict()["_anneal_func_type"] == theirs.state_dict()["_anneal_func_type"] == "linear"
    assert set(ours.state_dict()) == set(theirs.state_dict()) - {"_get_lr_called_within_step"}
