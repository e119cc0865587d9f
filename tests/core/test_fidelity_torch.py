"""The cases of issue 22 one by one, each against torch 2.13: the results that were silently wrong, the
gradients, the crashes and the missing errors (the op table covers them too, among its samples)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.nn import functional as F

torch = pytest.importorskip("torch")


def _both(fn):  # noqa: ANN001, ANN202 - fn(lib) run on both libraries; the exception types or results
    results = []
    for lib in (tg, torch):
        try:
            results.append(fn(lib))
        except Exception as e:  # noqa: BLE001
            results.append(e)
    return results


@pytest.mark.parametrize("update", ["+=", "-=", "*=", "/=", "add_", "sub_", "mul_", "div_"])
def test_in_place_ops_refuse_to_broadcast_into_a_smaller_tensor(update: str) -> None:
    def run(lib):  # noqa: ANN001, ANN202
        x = lib.ones(3) * 1
        other = lib.ones(2, 3)
        if update.endswith("_"):
            getattr(x, update)(other)
        else:
            exec(f"x {update} other", {"x": x, "other": other})
        return x

    ours, theirs = _both(run)
    assert isinstance(theirs, RuntimeError) and isinstance(ours, RuntimeError)
    assert str(ours) == "output with shape [3] doesn't match the broadcast shape [2, 3]"


def test_results_that_were_silently_wrong() -> None:
    a = tg.arange(6.0).reshape(2, 3)
    with pytest.raises(ValueError, match="step must be greater than zero"):
        a[::-1]
    with pytest.raises(ValueError, match="step must be greater than zero"):
        a[::-1] = 0.0
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        tg.ones(2, 2) @ tg.ones(2, 2, dtype=tg.float64)
    assert a.sum(dim=()).item() == 15.0 and a.sum(dim=()).shape == ()
    assert tg.Tensor([1, 2]).dtype == tg.float32 and tg.Tensor().shape == (0,)
    assert tg.FloatTensor([1, 2]).dtype == tg.float32 and tg.LongTensor([1.0]).dtype == tg.int64
    assert isinstance(tg.ones(2), tg.FloatTensor) and not isinstance(tg.ones(2), tg.LongTensor)
    mask = tg.tensor([1, 0], dtype=tg.uint8)
    assert a[mask].shape == (1, 3)
    bits = tg.tensor([1.0], dtype=tg.float32).view(tg.int32)
    assert bits.item() == torch.tensor([1.0]).view(torch.int32).item()
    x = tg.ones(100)
    assert F.dropout(x, 0.5, training=True, inplace=True) is x and (x.numpy() == 0).any()
    assert repr(a.shape) == "torch.Size([2, 3])" and a.size() == (2, 3) and isinstance(a.size(), tuple)


@pytest.mark.parametrize("expression", ["a - b", "-a", "abs(a)", "a.relu()", "+a", "a - 1", "1 - a"])
def test_bool_arithmetic_is_refused_with_pytorchs_message(expression: str) -> None:
    ours, theirs = _both(lambda lib: eval(expression, {"a": lib.tensor([True, False]), "b": lib.tensor([True, True])}))
    assert isinstance(theirs, RuntimeError) and type(ours) is type(theirs) and str(ours) == str(theirs)


def test_state_dict_values_and_buffers_are_tensors() -> None:
    model = tg.nn.Sequential(tg.nn.Linear(2, 3), tg.nn.BatchNorm1d(3))
    state = model.state_dict()
    assert all(isinstance(v, tg.Tensor) for v in state.values())
    assert isinstance(model[1].running_mean, tg.Tensor) and torch is not None
    assert tg.equal(state["1.running_var"].clone(), tg.ones(3)) and state["1.num_batches_tracked"].dtype == tg.int64
    opt = tg.optim.Adam(model.parameters())
    model(tg.randn(4, 2)).sum().backward()
    opt.step()
    assert isinstance(opt.state[model[0].weight]["exp_avg"], tg.Tensor)
    assert isinstance(opt.state_dict()["state"][0]["exp_avg_sq"], tg.Tensor)


def _grads(lib, fn, *arrays):  # noqa: ANN001, ANN202
    leaves = [lib.tensor(a, requires_grad=True) for a in arrays]
    fn(lib, *leaves).sum().backward()
    return [leaf.grad.numpy() for leaf in leaves]


@pytest.mark.parametrize("fn, arrays", [
    (lambda lib, x, lo: x.clamp(min=lo), (np.array([0.0, 1.0, 2.0]), np.array([1.5, 0.5, 2.0]))),
    (lambda lib, x, hi: x.clamp(max=hi), (np.array([0.0, 1.0, 2.0]), np.array([1.5, 0.5, 2.0]))),
    (lambda lib, x: x.norm(), (np.zeros(3),)),
    (lambda lib, a, b: a ** b, (np.array([0.0, 0.0, 2.0]), np.array([2.0, 0.0, 3.0]))),
    (lambda lib, x: F.mse_loss(x, x * 0) if lib is tg else torch.nn.functional.mse_loss(x, x * 0), (np.zeros(0),)),
])
def test_gradients_that_were_wrong(fn, arrays) -> None:  # noqa: ANN001
    for ours, theirs in zip(_grads(tg, fn, *arrays), _grads(torch, fn, *arrays), strict=True):
        np.testing.assert_allclose(ours, theirs)


def test_var_and_std_with_n_at_most_the_correction_run_backward() -> None:
    x = tg.tensor([1.0], dtype=tg.float64, requires_grad=True)
    x.std().backward()
    assert np.isnan(x.std().item()) and x.grad is not None


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
@pytest.mark.parametrize("target", [[0, -100, 2, -100], [-100, -100, -100, -100], [1, 1, 0, 2]])
def test_ignored_rows_get_no_gradient(target: list[int], label_smoothing: float) -> None:
    logits = np.random.default_rng(0).standard_normal((4, 3))
    weight = np.array([1.0, 2.0, 0.5])
    grads = []
    for lib, cross_entropy in ((tg, F.cross_entropy), (torch, torch.nn.functional.cross_entropy)):
        x = lib.tensor(logits, requires_grad=True)
        loss = cross_entropy(x, lib.tensor(target), weight=lib.tensor(weight), ignore_index=-100,
                             label_smoothing=label_smoothing)
        loss.backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


def test_version_counter_raises_exactly_when_pytorch_raises() -> None:
    def getitem_then_in_place(lib):  # noqa: ANN001, ANN202 - getitem saves no value: PyTorch runs
        b = lib.ones(3, requires_grad=True)
        x = b.clone()
        x[0] += 1
        x.sum().backward()
        return b.grad.numpy()

    def exp_then_in_place(lib):  # noqa: ANN001, ANN202 - exp saves its output: PyTorch refuses
        b = lib.ones(3, requires_grad=True)
        y = b.exp()
        y[0] = 0.0
        y.sum().backward()

    ours, theirs = _both(getitem_then_in_place)
    np.testing.assert_array_equal(ours, theirs)
    ours, theirs = _both(exp_then_in_place)
    assert isinstance(theirs, RuntimeError) and isinstance(ours, RuntimeError)


@pytest.mark.parametrize("expression", [
    "lib.ones(2, 3).squeeze(2)", "lib.ones(2, 3).flatten(0, 5)", "lib.cat(lib.ones(2))", "lib.zeros(2.5)",
    "lib.arange(3, 1)", "lib.ones(3) @ [1.0, 2.0, 3.0]", "lib.allclose(lib.ones(2), lib.ones(2, dtype=lib.float64))",
    "list(lib.tensor(1.0))", "lib.ones(2, requires_grad=True).numpy()",
    "lib.nn.functional.cross_entropy(lib.ones(2, 3), lib.tensor([0, 1], dtype=lib.int32))",
    "lib.ones(()).mean(0)", "lib.ones(()).softmax(0)", "lib.ones(0, 3).softmax(1)", "lib.ones(2, 0).logsumexp(1)",
    "lib.ones(2, 0).amin(0)", "lib.tensor([1, 2]).div(2, rounding_mode='floor')",
    "lib.ones(2, 3).var(1, unbiased=False)", "lib.randn(size=(2, 3)).shape",
    "lib.ones(2, 3).log_softmax(1, dtype=lib.float64)", "lib.where(lib.tensor([True, False]))",
    "f'{lib.tensor(2.5):.2f}'", "lib.tensor([1, 2]).pow_(-1)",
])
def test_errors_and_crashes_as_pytorch(expression: str) -> None:
    ours, theirs = _both(lambda lib: eval(expression, {"lib": lib}))
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs).__mro__[[c.__module__ for c in type(theirs).__mro__].index("builtins")])
    else:
        assert not isinstance(ours, Exception), ours
        assert str(ours).replace("tinygrad_adam", "torch") == str(theirs)
