"""Learning-rate schedulers: their closed forms, the paper's α/√t, state dicts and resuming."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_adam import Tensor
from tinygrad_adam.optim import SGD, Adam
from tinygrad_adam.optim.lr_scheduler import CosineAnnealingLR, ExponentialLR, LambdaLR, StepLR


def _opt(lr: float = 0.1, groups: int = 1) -> SGD:
    return SGD([{"params": [Tensor(np.zeros(1), requires_grad=True)], "lr": lr * (i + 1)} for i in range(groups)])


def _lrs(scheduler, n: int) -> list[float]:
    out = []
    for _ in range(n):
        out.append(scheduler.get_last_lr()[0])
        scheduler.step()
    return out


def test_step_lr() -> None:
    opt = _opt()
    sched = StepLR(opt, step_size=2, gamma=0.5)
    assert _lrs(sched, 6) == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.025], rel=1e-15)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0125) and opt.param_groups[0]["initial_lr"] == 0.1


def test_exponential_lr_with_two_groups() -> None:
    opt = _opt(groups=2)
    sched = ExponentialLR(opt, gamma=0.9)
    sched.step()
    sched.step()
    assert sched.get_last_lr() == pytest.approx([0.1 * 0.81, 0.2 * 0.81], rel=1e-15)
    assert [g["lr"] for g in opt.param_groups] == sched.get_last_lr()


def test_cosine_annealing() -> None:
    sched = CosineAnnealingLR(_opt(), T_max=4, eta_min=0.01)
    lrs = _lrs(sched, 9)
    half = 0.01 + 0.09 * (1 + math.cos(math.pi / 4)) / 2
    assert lrs[:5] == pytest.approx([0.1, half, 0.055, 0.01 + 0.09 - (half - 0.01), 0.01], rel=1e-14)
    assert lrs[8] == pytest.approx(0.1)  # the cosine continues past T_max, back to the start


def test_lambda_lr_gives_the_papers_inverse_sqrt_decay() -> None:
    opt = _opt(lr=0.001)
    sched = LambdaLR(opt, lambda epoch: 1 / math.sqrt(epoch + 1))  # α_t = α/√t with t = epoch + 1
    assert _lrs(sched, 4) == pytest.approx([0.001, 0.001 / math.sqrt(2), 0.001 / math.sqrt(3), 0.0005], rel=1e-15)
    two = _opt(groups=2)
    sched2 = LambdaLR(two, [lambda e: 1.0, lambda e: 0.5**e])
    sched2.step()
    assert sched2.get_last_lr() == pytest.approx([0.1, 0.1])
    with pytest.raises(ValueError, match="one per group"):
        LambdaLR(two, [lambda e: 1.0])


def test_scheduler_drives_the_optimizer() -> None:
    p = Tensor(np.array([1.0]), requires_grad=True)
    opt = SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=1, gamma=0.5)
    for _ in range(3):
        p.grad = Tensor(np.array([1.0]))
        opt.step()
        sched.step()
    assert p.array[0] == 1.0 - (1.0 + 0.5 + 0.25)


@pytest.mark.parametrize("make", [
    lambda o: StepLR(o, step_size=3, gamma=0.3),
    lambda o: ExponentialLR(o, gamma=0.95),
    lambda o: CosineAnnealingLR(o, T_max=7, eta_min=1e-4),
    lambda o: LambdaLR(o, lambda e: 1 / (e + 1)),
])
def test_state_dict_resumes(make) -> None:
    straight_opt = _opt()
    straight = make(straight_opt)
    for _ in range(10):
        straight.step()

    first_opt = _opt()
    first = make(first_opt)
    for _ in range(4):
        first.step()
    saved, saved_opt = first.state_dict(), first_opt.state_dict()
    assert "optimizer" not in saved and not any(callable(v) for v in saved.values())
    assert saved["last_epoch"] == 4 and isinstance(saved["base_lrs"], list)

    resumed_opt = _opt(lr=0.7)
    resumed = make(resumed_opt)
    resumed.load_state_dict(saved)
    resumed_opt.load_state_dict(saved_opt)
    for _ in range(6):
        resumed.step()
    assert resumed.get_last_lr() == straight.get_last_lr()
    assert resumed_opt.param_groups[0]["lr"] == straight_opt.param_groups[0]["lr"]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="step_size"):
        StepLR(_opt(), step_size=0)
    with pytest.raises(ValueError, match="T_max"):
        CosineAnnealingLR(_opt(), T_max=0)
    with pytest.raises(ValueError, match="gamma"):
        ExponentialLR(_opt(), gamma=-1.0)
    with pytest.raises(KeyError, match="initial_lr"):
        StepLR(_opt(), step_size=1, last_epoch=3)
    with pytest.raises(TypeError, match="Optimizer"):
        StepLR(object(), step_size=1)


def test_initial_lr_is_saved_with_the_optimizer() -> None:
    opt = Adam([Tensor(np.zeros(1), requires_grad=True)], lr=0.01)
    ExponentialLR(opt, gamma=0.5).step()
    group = opt.state_dict()["param_groups"][0]
    assert group["initial_lr"] == 0.01 and group["lr"] == 0.005
