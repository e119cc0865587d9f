"""Every scheduler of torch.optim.lr_scheduler against torch 2.13: the learning rates (and cycled momentum)
of two param groups over 100 steps, and resuming from state_dict mid-way."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import optim

torch = pytest.importorskip("torch")

STEPS = 100


def _optimizers(kind: str) -> tuple[Any, Any]:
    ours_p = [tg.tensor(np.zeros(2), requires_grad=True) for _ in range(2)]
    theirs_p = [torch.zeros(2, requires_grad=True) for _ in range(2)]
    if kind == "adam":
        return (optim.Adam([{"params": [ours_p[0]]}, {"params": [ours_p[1]], "lr": 0.02}], lr=0.1),
                torch.optim.Adam([{"params": [theirs_p[0]]}, {"params": [theirs_p[1]], "lr": 0.02}], lr=0.1))
    return (optim.SGD([{"params": [ours_p[0]]}, {"params": [ours_p[1]], "lr": 0.02}], lr=0.1, momentum=0.9),
            torch.optim.SGD([{"params": [theirs_p[0]]}, {"params": [theirs_p[1]], "lr": 0.02}], lr=0.1,
                            momentum=0.9))


def _scale(epoch: int) -> float:
    return 0.97 ** epoch


SCHEDULERS: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {
    "StepLR": ("sgd", lambda m, o: m.StepLR(o, step_size=7, gamma=0.5)),
    "StepLR float step": ("sgd", lambda m, o: m.StepLR(o, 2.5, gamma=0.95)),  # the Transformer tutorial's 1.0
    "MultiStepLR": ("sgd", lambda m, o: m.MultiStepLR(o, milestones=[10, 30, 30, 80], gamma=0.3)),
    "ConstantLR": ("sgd", lambda m, o: m.ConstantLR(o, factor=0.25, total_iters=12)),
    "LinearLR": ("sgd", lambda m, o: m.LinearLR(o, start_factor=0.1, end_factor=0.8, total_iters=40)),
    "ExponentialLR": ("sgd", lambda m, o: m.ExponentialLR(o, gamma=0.96)),
    "PolynomialLR": ("sgd", lambda m, o: m.PolynomialLR(o, total_iters=60, power=2.0)),
    "CosineAnnealingLR": ("sgd", lambda m, o: m.CosineAnnealingLR(o, T_max=30, eta_min=0.001)),
    "LambdaLR": ("sgd", lambda m, o: m.LambdaLR(o, [_scale, lambda e: 1 / math.sqrt(e + 1)])),
    "MultiplicativeLR": ("sgd", lambda m, o: m.MultiplicativeLR(o, lambda e: 0.95 if e % 3 else 1.01)),
    "CosineAnnealingWarmRestarts": ("sgd", lambda m, o: m.CosineAnnealingWarmRestarts(o, T_0=10, T_mult=2,
                                                                                     eta_min=0.002)),
    "CyclicLR": ("sgd", lambda m, o: m.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.05], step_size_up=15,
                                                step_size_down=10, mode="triangular2")),
    "CyclicLR_exp_range_adam": ("adam", lambda m, o: m.CyclicLR(o, base_lr=0.001, max_lr=0.1, step_size_up=20,
                                                                mode="exp_range", gamma=0.99)),
    "CyclicLR_scale_fn": ("sgd", lambda m, o: m.CyclicLR(o, 0.01, 0.1, step_size_up=8, cycle_momentum=False,
                                                         scale_fn=lambda x: 0.5 ** x, scale_mode="iterations")),
    "OneCycleLR": ("sgd", lambda m, o: m.OneCycleLR(o, max_lr=[0.3, 0.1], total_steps=STEPS + 1)),
    "OneCycleLR_linear_three_phase_adam": ("adam", lambda m, o: m.OneCycleLR(
        o, max_lr=0.2, epochs=10, steps_per_epoch=11, anneal_strategy="linear", three_phase=True, pct_start=0.25)),
    "ChainedScheduler": ("sgd", lambda m, o: m.ChainedScheduler([m.ConstantLR(o, factor=0.5, total_iters=8),
                                                                  m.ExponentialLR(o, gamma=0.98),
                                                                  m.StepLR(o, step_size=20, gamma=0.5)])),
    "SequentialLR": ("sgd", lambda m, o: m.SequentialLR(o, [m.LinearLR(o, start_factor=0.1, total_iters=10),
                                                            m.CosineAnnealingLR(o, T_max=40),
                                                            m.ExponentialLR(o, gamma=0.9)], milestones=[10, 60])),
}


def _momentum(opt: Any) -> list[float]:
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def _run(make: Callable[[Any, Any], Any], kind: str, steps: int = STEPS) -> tuple[list[Any], list[Any]]:
    ours_opt, theirs_opt = _optimizers(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = make(optim.lr_scheduler, ours_opt), make(torch.optim.lr_scheduler, theirs_opt)
        ours_lrs, theirs_lrs = [], []
        for _ in range(steps):
            ours_lrs.append((ours.get_last_lr(), _momentum(ours_opt), [g["lr"] for g in ours_opt.param_groups]))
            theirs_lrs.append((theirs.get_last_lr(), _momentum(theirs_opt),
                               [g["lr"] for g in theirs_opt.param_groups]))
            theirs_opt.step()
            ours.step()
            theirs.step()
    return ours_lrs, theirs_lrs


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_learning_rates_equal_torchs(name: str) -> None:
    kind, make = SCHEDULERS[name]
    ours, theirs = _run(make, kind)
    np.testing.assert_allclose(np.array(ours, dtype=float), np.array(theirs, dtype=float), rtol=1e-12, atol=1e-15)
    assert len({tuple(lr) for lr, _, _ in ours}) >= 2  # the schedule does change the rate


@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_state_dict_resumes(name: str) -> None:
    kind, make = SCHEDULERS[name]
    straight_opt, _ = _optimizers(kind)
    first_opt, _ = _optimizers(kind)
    resumed_opt, _ = _optimizers(kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        straight, first = make(optim.lr_scheduler, straight_opt), make(optim.lr_scheduler, first_opt)
        for _ in range(37):
            straight.step()
            first.step()
        saved, saved_opt = first.state_dict(), first_opt.state_dict()
        resumed = make(optim.lr_scheduler, resumed_opt)
        resumed.load_state_dict(saved)
        resumed_opt.load_state_dict(saved_opt)
        for _ in range(40):
            straight.step()
            resumed.step()
    assert resumed.get_last_lr() == straight.get_last_lr()
    assert [g["lr"] for g in resumed_opt.param_groups] == [g["lr"] for g in straight_opt.param_groups]


@pytest.mark.parametrize("kwargs", [dict(), dict(mode="max", threshold_mode="abs", threshold=0.1, patience=2),
                                    dict(factor=0.5, patience=3, cooldown=4, min_lr=[0.01, 0.005]),
                                    dict(patience=0, eps=0.05)])
def test_reduce_lr_on_plateau(kwargs: dict[str, Any]) -> None:
    metrics = [1.0 / (1 + i) if i < 15 else 0.07 + 0.01 * math.sin(i) for i in range(STEPS)]
    ours_opt, theirs_opt = _optimizers("sgd")
    ours = optim.lr_scheduler.ReduceLROnPlateau(ours_opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(theirs_opt, **kwargs)
    for metric in metrics:
        ours.step(metric)
        theirs.step(metric)
        assert ours.get_last_lr() == pytest.approx(theirs.get_last_lr(), rel=1e-12)
        assert (ours.num_bad_epochs, ours.cooldown_counter, ours.best) == (theirs.num_bad_epochs,
                                                                          theirs.cooldown_counter, theirs.best)
    saved = ours.state_dict()
    again = optim.lr_scheduler.ReduceLROnPlateau(_optimizers("sgd")[0], **kwargs)
    again.load_state_dict(saved)
    assert again.best == ours.best and again.num_bad_epochs == ours.num_bad_epochs


def test_step_with_epoch_uses_the_closed_form() -> None:
    ours_opt, theirs_opt = _optimizers("sgd")
    ours, theirs = optim.lr_scheduler.StepLR(ours_opt, 5, 0.5), torch.optim.lr_scheduler.StepLR(theirs_opt, 5, 0.5)
    with pytest.warns(UserWarning, match="epoch parameter"):
        ours.step(17)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs.step(17)
    assert ours.get_last_lr() == theirs.get_last_lr()


def test_errors_as_pytorch() -> None:
    opt, _ = _optimizers("sgd")
    sched = optim.lr_scheduler
    with pytest.raises(ValueError, match="between 0 and 1"):
        sched.ConstantLR(opt, factor=2.0)
    with pytest.raises(ValueError, match="Starting multiplicative factor"):
        sched.LinearLR(opt, start_factor=0)
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        sched.ReduceLROnPlateau(opt, factor=1.0)
    with pytest.raises(ValueError, match="mode max2 is unknown"):
        sched.ReduceLROnPlateau(opt, mode="max2")
    with pytest.raises(ValueError, match="positive integer T_0"):
        sched.CosineAnnealingWarmRestarts(opt, T_0=0)
    with pytest.raises(ValueError, match="total_steps OR"):
        sched.OneCycleLR(opt, max_lr=0.1)
    with pytest.raises(ValueError, match="number of milestones"):
        sched.SequentialLR(opt, [sched.ExponentialLR(opt, 0.9)], milestones=[3])
    with pytest.raises(ValueError, match="does not support `ReduceLROnPlateau`"):
        sched.ChainedScheduler([sched.ReduceLROnPlateau(opt)])
    one = sched.OneCycleLR(opt, max_lr=0.1, total_steps=2)
    one.step()
    one.step()
    with pytest.raises(ValueError, match="Tried to step 3 times"):
        one.step()
    with pytest.raises(ValueError, match="momentum"):
        sched.CyclicLR(optim.Adagrad([tg.tensor(np.zeros(1), requires_grad=True)]), 0.01, 0.1)
