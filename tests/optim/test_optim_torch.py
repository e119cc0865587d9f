"""Every optimizer against torch.optim, float64, 20 steps, rtol 1e-12 (skipped without torch)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_adam
from tinygrad_adam import Tensor
from tinygrad_adam import nn as tg_nn
from tinygrad_adam import optim as tg

torch = pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _float64_default():
    """PyTorch keeps scalar state (NAdam's mu_product, every "step") in the default dtype: make it float64."""
    previous, ours = torch.get_default_dtype(), tinygrad_adam.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    tinygrad_adam.set_default_dtype(tinygrad_adam.float64)
    yield
    torch.set_default_dtype(previous)
    tinygrad_adam.set_default_dtype(ours)

CASES = [
    ("Adam", {}),
    ("Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.05}),
    ("Adam", {"lr": 0.01, "maximize": True}),
    ("AdamW", {}),
    ("AdamW", {"lr": 0.01, "weight_decay": 0.3, "amsgrad": True}),
    ("Adamax", {}),
    ("Adamax", {"lr": 0.01, "betas": (0.7, 0.9), "weight_decay": 0.1, "maximize": True}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "momentum_decay": 0.01}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("SGD", {"lr": 0.01}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True, "maximize": True}),
    ("RMSprop", {}),
    ("RMSprop", {"lr": 0.001, "alpha": 0.9, "momentum": 0.8, "centered": True, "weight_decay": 0.1}),
    ("RMSprop", {"lr": 0.001, "momentum": 0.5}),
    ("Adagrad", {}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1, "initial_accumulator_value": 0.3}),
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-4, "weight_decay": 0.1, "maximize": True}),
    ("Rprop", {}),
    ("Rprop", {"lr": 0.1, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.2), "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"lr": 0.01, "betas": (0.8, 0.9), "eps": 1e-6, "weight_decay": 0.1}),
    ("RAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("ASGD", {}),
    ("ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 5, "weight_decay": 0.1, "maximize": True}),
]


def _loss_grads(arrays: list[np.ndarray], step: int) -> list[np.ndarray]:
    """A gradient that depends on the point (so errors in the update propagate) and on the step."""
    return [np.asarray(np.sin(3 * a) + 0.5 * a + 0.1 * (step % 3) * np.cos(a)) for a in arrays]


@pytest.mark.parametrize(("name", "hyper"), CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_matches_torch_float64(name: str, hyper: dict) -> None:
    rng = np.random.default_rng(0)
    shapes = [(3, 4), (5,), ()]
    init = [rng.normal(size=s) for s in shapes]
    ours = [Tensor(a.copy(), requires_grad=True) for a in init]
    theirs = [torch.tensor(a.copy(), dtype=torch.float64, requires_grad=True) for a in init]
    opt = getattr(tg, name)(ours, **hyper)
    topt = getattr(torch.optim, name)(theirs, foreach=False, **hyper)
    for step in range(20):
        grads = _loss_grads([p.array for p in ours], step)
        tgrads = _loss_grads([p.detach().numpy() for p in theirs], step)
        for p, g in zip(ours, grads, strict=True):
            p.grad = Tensor(g)
        for p, g in zip(theirs, tgrads, strict=True):
            p.grad = torch.from_numpy(g.copy())
        opt.step()
        topt.step()
    for p, tp in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=1e-12, atol=1e-15)
    # the moment buffers too, under PyTorch's names
    for i, p in enumerate(ours):
        tstate = topt.state[theirs[i]]
        for key, value in opt.state[p].items():
            if key == "step" or key not in tstate:
                continue
            tvalue = tstate[key]
            scalar = tvalue.numel() == 1 and not isinstance(value, np.ndarray)
            tvalue = tvalue.item() if scalar else tvalue.detach().numpy()
            np.testing.assert_allclose(value, tvalue, rtol=1e-12, atol=1e-15, err_msg=f"{name} state {key}")


@pytest.mark.parametrize("kind", ["step", "exponential", "cosine", "lambda"])
def test_lr_schedulers_match_torch(kind: str) -> None:
    ours = tg.SGD([Tensor(np.zeros(2), requires_grad=True)], lr=0.1)
    theirs = torch.optim.SGD([torch.zeros(2, dtype=torch.float64, requires_grad=True)], lr=0.1)

    def make(mod, opt):
        if kind == "step":
            return mod.StepLR(opt, step_size=3, gamma=0.5)
        if kind == "exponential":
            return mod.ExponentialLR(opt, gamma=0.9)
        if kind == "cosine":
            return mod.CosineAnnealingLR(opt, T_max=10, eta_min=0.001)
        return mod.LambdaLR(opt, lambda epoch: 1 / math.sqrt(epoch + 1))

    ours_s, theirs_s = make(tg.lr_scheduler, ours), make(torch.optim.lr_scheduler, theirs)
    for _ in range(25):
        assert ours_s.get_last_lr() == pytest.approx(theirs_s.get_last_lr(), rel=1e-12)
        theirs.step()
        ours_s.step()
        theirs_s.step()


def test_clip_grad_norm_matches_torch() -> None:
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=s) for s in [(3, 4), (7,)]]
    ours = [Tensor(np.zeros_like(g), requires_grad=True) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, tp, g in zip(ours, theirs, grads, strict=True):
        p.grad, tp.grad = Tensor(g.copy()), torch.from_numpy(g.copy())
    for norm_type in (2.0, 1.0, math.inf):
        total = tg.clip_grad_norm_(ours, 0.5, norm_type=norm_type)
        ttotal = torch.nn.utils.clip_grad_norm_(theirs, 0.5, norm_type=norm_type)
        assert total == pytest.approx(ttotal.item(), rel=1e-12)
        for p, tp in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(p.grad, tp.grad.detach().numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "NAdam", "RMSprop", "Rprop",
                                  "RAdam", "ASGD", "LBFGS"])
def test_param_groups_and_repr_equal_torch(name: str) -> None:
    """The same keys, order and default values (foreach, fused, ... included) and the same print(optimizer)."""
    import inspect

    lr = {"lr": 0.1} if name == "SGD" else {}
    ours = getattr(tg, name)([Tensor(np.zeros(2), requires_grad=True)], **lr)
    theirs = getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **lr)
    assert repr(ours.state_dict()["param_groups"]) == repr(theirs.state_dict()["param_groups"])
    assert list(ours.param_groups[0]) == list(theirs.param_groups[0])
    assert repr(ours) == repr(theirs)
    ours_params = inspect.signature(getattr(tg, name)).parameters
    theirs_params = inspect.signature(getattr(torch.optim, name)).parameters
    assert [(p.name, p.kind, p.default) for p in theirs_params.values()] == \
        [(p.name, p.kind, p.default) for p in ours_params.values() if p.name != "eps_hat"]


def test_named_parameters_keep_their_names() -> None:
    ours = tg.SGD(tg_nn.Linear(2, 2).named_parameters(), lr=0.1)
    theirs = torch.optim.SGD(torch.nn.Linear(2, 2).named_parameters(), lr=0.1)
    assert repr(ours.state_dict()["param_groups"]) == repr(theirs.state_dict()["param_groups"])
    with pytest.raises(NotImplementedError, match="differentiable=True"):
        tg.Adam([Tensor(np.zeros(2), requires_grad=True)], differentiable=True)
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        tg.SGD([Tensor(np.zeros(2), requires_grad=True)], fused=True, foreach=True)


@pytest.mark.parametrize(("name", "hyper"), [("Rprop", {"etas": (1.1, 1.2)}), ("Rprop", {"etas": (0.5, 0.9)}),
                                             ("RAdam", {"betas": (0.9, 1.0)}), ("ASGD", {"weight_decay": -1.0}),
                                             ("Rprop", {"lr": -1.0})])
def test_invalid_hyperparameters_raise_as_torch(name: str, hyper: dict) -> None:
    with pytest.raises(ValueError):
        getattr(torch.optim, name)([torch.zeros(2, requires_grad=True)], **hyper)
    with pytest.raises(ValueError):
        getattr(tg, name)([Tensor(np.zeros(2), requires_grad=True)], **hyper)
