"""Loss layers and functions against PyTorch: signatures (positional use included), the deprecated
size_average/reduce, per-element weights of mse_loss/l1_loss/huber_loss, when bad options are refused."""

import inspect
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

LOSSES = [n for n in dir(torch.nn) if n.endswith("Loss") and hasattr(tg.nn, n)]


@pytest.mark.parametrize("name", LOSSES)
def test_constructor_signature_equals_torch(name: str) -> None:
    ours = inspect.signature(getattr(tg.nn, name).__init__).parameters
    theirs = inspect.signature(getattr(torch.nn, name).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == \
        [(p.name, p.kind, p.default) for p in theirs.values()]


@pytest.mark.parametrize("function", ["cross_entropy", "nll_loss", "mse_loss", "l1_loss", "huber_loss",
                                      "smooth_l1_loss", "binary_cross_entropy", "kl_div"])
def test_functional_signature_equals_torch(function: str) -> None:
    ours = inspect.signature(getattr(tg.nn.functional, function)).parameters
    theirs = inspect.signature(getattr(torch.nn.functional, function)).parameters
    assert [(p.name, p.default) for p in ours.values()] == [(p.name, p.default) for p in theirs.values()]


def _both(make, *arrays):
    out = []
    for lib in (tg, torch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            tensors = [lib.tensor(a, requires_grad=i == 0) for i, a in enumerate(arrays)]
            loss = make(lib, *tensors)
            loss.sum().backward()
        out.append((loss.detach().numpy(), tensors[0].grad.numpy(), [str(w.message) for w in caught]))
    return out


def test_positional_arguments_mean_what_they_mean_in_torch() -> None:
    x = np.random.default_rng(0).standard_normal((4, 3))
    y = np.array([0, 2, 1, 2])
    w = np.array([1.0, 2.0, 0.5])
    # CrossEntropyLoss(weight, size_average, ignore_index, reduce, reduction): size_average=False sums
    ours, theirs = _both(lambda lib, a, t, ww: lib.nn.CrossEntropyLoss(ww, False, 2)(a, t), x, y, w)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    assert ours[2] == theirs[2] and ours[2]  # the deprecation warning, once, as torch's
    ours, theirs = _both(lambda lib, a, t: lib.nn.functional.nll_loss(a, t, None, None, 1, False), x, y)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    ours, theirs = _both(lambda lib, a, b: lib.nn.MSELoss(None, False)(a, b), x, x[::-1].copy())
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)


@pytest.mark.parametrize("function", ["mse_loss", "l1_loss", "huber_loss"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_element_weights_equal_torch(function: str, reduction: str) -> None:
    rng = np.random.default_rng(1)
    a, b, w = rng.standard_normal((3, 4)), rng.standard_normal((3, 4)), rng.random((3, 4))
    ours, theirs = _both(lambda lib, x, t, ww: getattr(lib.nn.functional, function)(x, t, reduction=reduction,
                                                                                  weight=ww), a, b, w)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12)
    for lib in (tg, torch):
        with pytest.raises(ValueError, match="Weights and input must have the same size."):
            getattr(lib.nn.functional, function)(lib.tensor(a), lib.tensor(b), weight=lib.ones(4))


def test_bad_options_are_refused_when_the_loss_runs_as_in_torch() -> None:
    for lib in (tg, torch):
        loss = lib.nn.CrossEntropyLoss(reduction="foo")  # accepted here, as PyTorch does
        with pytest.raises(ValueError, match="foo"):
            loss(lib.randn(2, 3), lib.tensor([0, 1]))
        with pytest.raises(TypeError):
            lib.nn.L1Loss(margin=1.0)


def test_losses_take_their_inputs_by_name_and_print_as_torch() -> None:
    x, y = np.random.default_rng(2).standard_normal((2, 5))
    values = []
    for lib in (tg, torch):
        loss = lib.nn.SmoothL1Loss(beta=0.5)
        values.append(loss(input=lib.tensor(x), target=lib.tensor(y)).item())
        assert repr(loss) == "SmoothL1Loss()" and repr(lib.nn.TripletMarginWithDistanceLoss()).startswith(
            "TripletMarginWithDistanceLoss(\n  (distance_function): PairwiseDistance()")
    assert values[0] == pytest.approx(values[1], rel=1e-12)


@pytest.mark.parametrize("function", ["cross_entropy", "nll_loss"])
def test_class_weight_and_ignore_index_refused_as_torch(function: str) -> None:
    messages = []
    for lib in (tg, torch):
        f = getattr(lib.nn.functional, function)
        x, t = lib.randn(3, 4), lib.tensor([0, 1, 2])
        found = []
        for kwargs in ({"ignore_index": 1.5}, {"ignore_index": True}, {"weight": lib.ones(4, dtype=lib.float64)}):
            with pytest.raises((TypeError, RuntimeError)) as caught:
                f(x, t, **kwargs)
            found.append((caught.type, str(caught.value)))
        messages.append(found)
    assert messages[0] == messages[1]
