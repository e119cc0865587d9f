"""The Optimizer skeleton: param groups, lazy state, zero_grad, grads left alone, validation, state dicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tinygrad_adam import Tensor
from tinygrad_adam.optim import (
    LABELS,
    OPTIMIZERS,
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    Adamax,
    AdamW,
    NAdam,
    Optimizer,
    RMSprop,
    clip_grad_norm_,
    clip_grad_value_,
    make_optimizer,
    optimizer_name,
)

ALL = [SGD, Adam, AdamW, Adamax, NAdam, RMSprop, Adagrad, Adadelta]
# every state a PyTorch user would expect, with options that create all buffers
RICH = {
    "sgd": {"lr": 0.01, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01},
    "momentum": {"lr": 0.01}, "nesterov": {"lr": 0.01}, "adagrad": {"lr_decay": 0.01, "weight_decay": 0.01},
    "rmsprop": {"momentum": 0.5, "centered": True, "lr": 0.001}, "adadelta": {"weight_decay": 0.01},
    "adam": {"lr": 0.01, "weight_decay": 0.01}, "adamax": {}, "amsgrad": {"lr": 0.01}, "adamw": {"lr": 0.01},
    "nadam": {"weight_decay": 0.01},
}


def _params(rng: np.random.Generator, dtype: type = np.float64) -> list[Tensor]:
    return [Tensor(rng.normal(size=s).astype(dtype), requires_grad=True) for s in [(3, 2), (4,), ()]]


def _feed(params: list[Tensor], step: int) -> None:
    """Deterministic, point-dependent gradients."""
    for i, p in enumerate(params):
        p.grad = Tensor(np.asarray(np.sin(p.array * (i + 1)) + 0.1 * step, dtype=p.dtype))


def _train(opt: Optimizer, params: list[Tensor], start: int, stop: int) -> None:
    for step in range(start, stop):
        _feed(params, step)
        opt.step()


# ----- construction and param groups ---------------------------------------------------------
def test_param_groups_have_their_own_lr() -> None:
    a, b = Tensor(np.array([1.0]), requires_grad=True), Tensor(np.array([1.0]), requires_grad=True)
    opt = SGD([{"params": [a]}, {"params": b, "lr": 0.01}], lr=0.1, momentum=0.5)
    a.grad, b.grad = Tensor(np.array([1.0])), Tensor(np.array([1.0]))
    opt.step()
    assert (a.array[0], b.array[0]) == (0.9, 0.99)
    assert opt.param_groups[1]["momentum"] == 0.5  # the missing hyperparameters come from the defaults
    c = Tensor(np.array([1.0]), requires_grad=True)
    opt.add_param_group({"params": [c], "lr": 1.0})
    c.grad = Tensor(np.array([0.5]))
    opt.step()
    assert c.array[0] == 0.5 and len(opt.param_groups) == 3


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ([], ValueError, "empty parameter list"),
        (Tensor(np.zeros(2), requires_grad=True), TypeError, "single Tensor"),
        ([np.zeros(2)], TypeError, "not a Tensor"),
        ([Tensor(np.zeros(2, dtype=np.int64))], TypeError, "floating-point"),
        ([Tensor(np.zeros(2), requires_grad=True) * 2], ValueError, "not a leaf"),
        ({"params": []}, TypeError, "single dict"),
    ],
)
def test_bad_params_are_rejected(params: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        Adam(params)


def test_a_parameter_in_two_groups_is_rejected() -> None:
    p = Tensor(np.zeros(2), requires_grad=True)
    opt = Adam([p])
    with pytest.raises(ValueError, match="appears twice"):
        opt.add_param_group({"params": [p]})
    with pytest.raises(ValueError, match="appears twice"):
        Adam([p, p])


INVALID = [
    (Adam, {"lr": -1e-3}), (Adam, {"eps": -1.0}), (Adam, {"betas": (1.0, 0.999)}), (Adam, {"betas": (0.9, -0.1)}),
    (Adam, {"betas": (0.9,)}), (Adam, {"weight_decay": -0.1}), (Adam, {"lr": math.nan}), (AdamW, {"weight_decay": -1}),
    (Adamax, {"betas": (0.9, 1.5)}), (NAdam, {"momentum_decay": -1}), (SGD, {"lr": -0.1}), (SGD, {"momentum": -0.5}),
    (SGD, {"nesterov": True}), (SGD, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}),
    (RMSprop, {"alpha": 1.5}), (RMSprop, {"eps": -1}), (Adagrad, {"lr_decay": -1}),
    (Adagrad, {"initial_accumulator_value": -1}), (Adadelta, {"rho": 1.1}), (Adadelta, {"lr": -1}),
]


@pytest.mark.parametrize(("opt_cls", "hyper"), INVALID, ids=[f"{c.__name__}-{h}" for c, h in INVALID])
def test_invalid_hyperparameters_raise(opt_cls: type[Optimizer], hyper: dict) -> None:
    p = Tensor(np.zeros(2), requires_grad=True)
    with pytest.raises(ValueError, match=opt_cls.__name__):
        opt_cls([p], **hyper)
    with pytest.raises(ValueError):  # in a later param group too
        opt_cls([Tensor(np.zeros(1), requires_grad=True)]).add_param_group({"params": [p], **hyper})


# ----- step and zero_grad ----------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(RICH))
def test_step_updates_data_in_place_and_leaves_grad_alone(name: str) -> None:
    params = _params(np.random.default_rng(0))
    opt = make_optimizer(name, params, **RICH[name], maximize=True)
    data_ids = [id(p.array) for p in params]
    _feed(params, 0)
    grads = [p.grad for p in params]
    copies = [np.array(g) for g in grads]
    before = [p.array.copy() for p in params]
    for _ in range(3):
        opt.step()
    for p, g, c, b, i in zip(params, grads, copies, before, data_ids, strict=True):
        assert p.grad is g
        np.testing.assert_array_equal(p.grad, c)
        assert id(p.array) == i and p.is_leaf
        assert not np.array_equal(p.array, b)


def test_parameters_without_grad_are_skipped() -> None:
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones(2), requires_grad=True)
    opt = Adam([a, b], lr=0.1)
    a.grad = Tensor(np.ones(2))
    opt.step()
    assert b not in opt.state and a in opt.state
    np.testing.assert_array_equal(b.array, [1.0, 1.0])
    assert opt.state_dict()["state"].keys() == {0}


def test_gradient_of_the_wrong_shape_is_named() -> None:
    p = Tensor(np.ones(3), requires_grad=True)
    p.grad = Tensor(np.ones(2))
    with pytest.raises(ValueError, match=r"shape \(3,\) has a gradient of shape \(2,\)"):
        Adam([p]).step()


def test_zero_grad() -> None:
    p = Tensor(np.ones(2), requires_grad=True)
    opt = SGD([p])
    held = np.array([1.0, 2.0])
    p.grad = Tensor(held)
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])
    np.testing.assert_array_equal(held, [1.0, 2.0])  # a fresh array: no one else's array is zeroed
    opt.zero_grad()
    assert p.grad is None


def test_step_with_closure_returns_the_loss() -> None:
    p = Tensor(np.array([3.0]), requires_grad=True)
    opt = SGD([p], lr=0.25)

    def closure() -> Tensor:
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert loss.item() == 9.0 and p.array[0] == 1.5


# ----- state dicts ----------------------------------------------------------------------------
def _walk(obj: object, path: str = "") -> None:
    """Only plain values and Tensors without history, as PyTorch's state dicts hold."""
    if isinstance(obj, Tensor):
        assert not obj.requires_grad and obj.grad_fn is None, path
    elif isinstance(obj, dict):
        for k, v in obj.items():
            assert type(k) in (int, str), f"{path}: key {k!r}"
            _walk(v, f"{path}.{k}")
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            _walk(v, f"{path}[{i}]")
    else:
        assert type(obj) in (int, float, bool, str, type(None)), f"{path}: {type(obj).__name__}"


@pytest.mark.parametrize("name", sorted(RICH))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_resume_from_state_dict_is_bit_identical(name: str, dtype: type) -> None:
    rng_state = np.random.default_rng(7)
    straight = _params(rng_state, dtype)
    resumed = [Tensor(p.array.copy(), requires_grad=True) for p in straight]
    opt = make_optimizer(name, straight, **RICH[name])
    _train(opt, straight, 0, 10)

    first = make_optimizer(name, resumed, **RICH[name])
    _train(first, resumed, 0, 5)
    saved = first.state_dict()
    _walk(saved)
    del first
    second = make_optimizer(name, resumed, lr=0.5)  # the hyperparameters come back from the state
    second.load_state_dict(saved)
    _train(second, resumed, 5, 10)
    for p, q in zip(straight, resumed, strict=True):
        np.testing.assert_array_equal(p.array, q.array)
        assert q.dtype == dtype


def test_state_dict_format() -> None:
    a, b = Tensor(np.ones(2), requires_grad=True), Tensor(np.ones((2, 2)), requires_grad=True)
    opt = Adam([{"params": [a]}, {"params": [b], "lr": 0.1}], betas=(0.8, 0.99), amsgrad=True)
    a.grad, b.grad = Tensor(np.ones(2)), Tensor(np.ones((2, 2)))
    opt.step()
    sd = opt.state_dict()
    flags = {"maximize": False, "foreach": None, "capturable": False, "differentiable": False, "fused": None,
             "decoupled_weight_decay": False}
    assert sd["param_groups"] == [  # PyTorch's keys and defaults (weight_decay is the int 0, as in its signature)
        {"lr": 1e-3, "betas": (0.8, 0.99), "eps": 1e-8, "weight_decay": 0, "amsgrad": True, **flags, "params": [0]},
        {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-8, "weight_decay": 0, "amsgrad": True, **flags, "params": [1]},
    ]
    assert set(sd["state"]) == {0, 1}
    assert set(sd["state"][1]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert sd["state"][1]["step"] == 1 and type(sd["state"][1]["step"]) is int
    sd["state"][0]["exp_avg"][:] = 99.0  # a copy: the optimizer is untouched
    assert opt.state[a]["exp_avg"][0] == pytest.approx(0.2)


def test_load_state_dict_copies_arrays() -> None:
    p = Tensor(np.ones(2), requires_grad=True)
    opt = Adam([p])
    p.grad = Tensor(np.ones(2))
    opt.step()
    sd = opt.state_dict()
    other = Adam([Tensor(np.ones(2), requires_grad=True)])
    other.load_state_dict(sd)
    sd["state"][0]["exp_avg"][:] = 5.0
    assert next(iter(other.state.values()))["exp_avg"][0] == pytest.approx(0.1)


def test_state_dict_survives_save_and_load(tmp_path) -> None:
    serialization = pytest.importorskip("tinygrad_adam.serialization")
    params = _params(np.random.default_rng(1))
    opt = Adam(params, lr=0.01, amsgrad=True)
    _train(opt, params, 0, 3)
    serialization.save(opt.state_dict(), tmp_path / "opt.npz")
    loaded = serialization.load(tmp_path / "opt.npz")
    copy = [Tensor(p.array.copy(), requires_grad=True) for p in params]
    resumed = Adam(copy)
    resumed.load_state_dict(loaded)
    _train(opt, params, 3, 6)
    _train(resumed, copy, 3, 6)
    for p, q in zip(params, copy, strict=True):
        np.testing.assert_array_equal(p.array, q.array)


def _trained_adam(shapes: list[tuple[int, ...]], groups: int = 1) -> Adam:
    params = [Tensor(np.ones(s), requires_grad=True) for s in shapes]
    opt = Adam([{"params": params[i::groups]} for i in range(groups)])
    for p in params:
        p.grad = Tensor(np.ones(p.shape))
    opt.step()
    return opt


@pytest.mark.parametrize(
    ("target_shapes", "target_groups", "match"),
    [
        ([(2,), (3,)], 2, "the state has 1 param groups, this optimizer has 2"),
        ([(2,)], 1, "param group 0 has 2 parameters in the state and 1 in this optimizer"),
        ([(2,), (4,)], 1, r"state 'exp_avg' of parameter 1 has shape \(3,\), the parameter has shape \(4,\)"),
    ],
)
def test_mismatched_state_dict_raises_and_changes_nothing(target_shapes, target_groups, match) -> None:
    saved = _trained_adam([(2,), (3,)]).state_dict()
    target = Adam([{"params": [Tensor(np.ones(s), requires_grad=True) for s in target_shapes[i::target_groups]]}
                   for i in range(target_groups)], lr=0.5)
    with pytest.raises(ValueError, match=match):
        target.load_state_dict(saved)
    assert target.state == {} and all(g["lr"] == 0.5 for g in target.param_groups)


def test_state_from_another_optimizer_is_rejected() -> None:
    p = Tensor(np.ones(2), requires_grad=True)
    sgd = SGD([p], momentum=0.9)
    p.grad = Tensor(np.ones(2))
    sgd.step()
    with pytest.raises(ValueError, match="expects"):
        Adam([Tensor(np.ones(2), requires_grad=True)]).load_state_dict(sgd.state_dict())


def test_load_restores_hyperparameters_and_validates_them() -> None:
    opt = _trained_adam([(2,)])
    sd = opt.state_dict()
    sd["param_groups"][0]["betas"] = [0.5, 0.6]  # a list, as from JSON: restored as a tuple
    sd["param_groups"][0]["lr"] = np.float64(0.25)
    target = Adam([Tensor(np.ones(2), requires_grad=True)])
    target.load_state_dict(sd)
    assert target.param_groups[0]["betas"] == (0.5, 0.6) and type(target.param_groups[0]["lr"]) is float
    sd["param_groups"][0]["lr"] = -1.0
    with pytest.raises(ValueError, match="invalid lr"):
        target.load_state_dict(sd)


def test_float64_state_loads_into_float32_parameters() -> None:
    sd = _trained_adam([(2,)]).state_dict()
    p = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    opt = Adam([p])
    opt.load_state_dict(sd)
    assert opt.state[p]["exp_avg"].dtype == np.float32


def test_repr_lists_the_groups() -> None:
    text = repr(Adam([Tensor(np.ones(1), requires_grad=True)], lr=0.02))
    assert text.startswith("Adam (") and "Parameter Group 0" in text and "lr: 0.02" in text


def test_every_registered_optimizer_builds() -> None:
    p = Tensor(np.ones(1), requires_grad=True)
    for name in OPTIMIZERS:
        assert isinstance(make_optimizer(name, [p]), Optimizer)
    assert make_optimizer("nesterov", [p]).defaults["nesterov"] is True
    with pytest.raises(ValueError, match="unknown optimizer 'adamm'"):
        make_optimizer("adamm", [p])
    assert optimizer_name("SGDNesterov") == "nesterov" and set(LABELS) == set(OPTIMIZERS)
    assert make_optimizer("sgdnesterov", [p]).defaults == make_optimizer("nesterov", [p]).defaults


class _PlainSGD(Optimizer):
    """Only an update: maximize, weight decay, the step count and the checks come from the skeleton."""

    def __init__(self, params, lr=0.1, weight_decay=0.0, decoupled_weight_decay=False, maximize=False):
        super().__init__(params, {"lr": lr, "weight_decay": weight_decay,
                                  "decoupled_weight_decay": decoupled_weight_decay, "maximize": maximize})

    def _update(self, param, grad, state, group):
        param.array -= group["lr"] * grad


def test_the_skeleton_applies_maximize_decay_and_step_count_for_every_optimizer() -> None:
    def one_step(**hyper) -> tuple[float, int]:
        p = Tensor(np.array([2.0]), requires_grad=True)
        opt = _PlainSGD([p], **hyper)
        p.grad = Tensor(np.array([1.0]))
        opt.step()
        assert p.grad.array[0] == 1.0  # the gradient is never modified
        return p.array[0], opt.state[p]["step"]

    assert one_step() == (2.0 - 0.1, 1)
    assert one_step(maximize=True) == (2.0 + 0.1, 1)
    assert one_step(weight_decay=0.5) == (2.0 - 0.1 * (1.0 + 0.5 * 2.0), 1)  # L2: g + λθ
    assert one_step(weight_decay=0.5, decoupled_weight_decay=True) == (2.0 * (1 - 0.1 * 0.5) - 0.1, 1)
    with pytest.raises(ValueError, match="_PlainSGD: invalid weight_decay -1"):
        _PlainSGD([Tensor(np.ones(1), requires_grad=True)], weight_decay=-1.0)


# ----- gradient clipping ------------------------------------------------------------------------
def test_clip_grad_norm_scales_all_gradients_together() -> None:
    a, b, c = (Tensor(np.zeros(2), requires_grad=True) for _ in range(3))
    a.grad, b.grad = Tensor(np.array([3.0, 0.0])), Tensor(np.array([0.0, 4.0]))
    total = clip_grad_norm_([a, b, c], max_norm=1.0)
    assert total == 5.0
    np.testing.assert_allclose(a.grad, [3.0 / (5.0 + 1e-6), 0.0])
    np.testing.assert_allclose(b.grad, [0.0, 4.0 / (5.0 + 1e-6)])
    assert c.grad is None
    assert clip_grad_norm_([a, b], max_norm=10.0) == pytest.approx(1.0, rel=1e-5)
    np.testing.assert_allclose(np.hypot(a.grad.array[0], b.grad.array[1]), 5.0 / (5.0 + 1e-6))  # below max: unchanged
    a.grad = Tensor(np.array([-7.0, 1.0]))
    assert clip_grad_norm_(a, 1.0, norm_type=math.inf) == 7.0
    np.testing.assert_allclose(a.grad, [-7.0 / (7.0 + 1e-6), 1.0 / (7.0 + 1e-6)])


def test_clip_grad_norm_nonfinite() -> None:
    a = Tensor(np.zeros(2), requires_grad=True)
    a.grad = Tensor(np.array([np.inf, 1.0]))
    with pytest.raises(RuntimeError, match="total norm"):
        clip_grad_norm_([a], 1.0, error_if_nonfinite=True)


def test_clip_grad_value() -> None:
    a = Tensor(np.zeros(3), requires_grad=True)
    a.grad = Tensor(np.array([-3.0, 0.5, 2.0]))
    clip_grad_value_([a], 1.0)
    np.testing.assert_array_equal(a.grad, [-1.0, 0.5, 1.0])
