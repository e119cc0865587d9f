"""The margin, ranking and likelihood losses and the distances against PyTorch: values, float64 gradients
(gradcheck too), grad_fn names and the modules' repr."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn.functional as GF

torch = pytest.importorskip("torch")
TF = torch.nn.functional

RNG = np.random.default_rng(1)
X, Y, Z = (RNG.standard_normal((3, 5)) for _ in range(3))
SIGNS = np.sign(RNG.standard_normal((3, 5)))
BITS = (RNG.random((3, 5)) > 0.5).astype(np.float64)
LABELS = np.array([1, 0, 4])
MULTI = np.array([[1, 3, -1, 0, 0], [4, -1, 2, 0, 0], [0, 1, 2, 3, 4]])
POS = np.abs(Y) + 0.1

# (lib, F, leaf, const) -> output
CASES: dict[str, Callable[..., Any]] = {
    "hinge": lambda lib, F, L, C: F.hinge_embedding_loss(L(X), C(SIGNS)),
    "hinge none margin": lambda lib, F, L, C: F.hinge_embedding_loss(L(X), C(SIGNS), margin=0.5, reduction="none"),
    "soft_margin": lambda lib, F, L, C: F.soft_margin_loss(L(X), C(SIGNS), reduction="none"),
    "multilabel_soft_margin weight": lambda lib, F, L, C: F.multilabel_soft_margin_loss(
        L(X), C(BITS), weight=C(POS[0]), reduction="none"),
    "multi_margin": lambda lib, F, L, C: F.multi_margin_loss(L(X), C(LABELS)),
    "multi_margin p2 weight": lambda lib, F, L, C: F.multi_margin_loss(L(X), C(LABELS), p=2, margin=0.7,
                                                                      weight=C(POS[0]), reduction="none"),
    "multi_margin 1d": lambda lib, F, L, C: F.multi_margin_loss(L(X[0]), C(np.array(2))),
    "multilabel_margin": lambda lib, F, L, C: F.multilabel_margin_loss(L(X), C(MULTI), reduction="none"),
    "multilabel_margin 1d": lambda lib, F, L, C: F.multilabel_margin_loss(L(X[0]), C(MULTI[0])),
    "triplet": lambda lib, F, L, C: F.triplet_margin_loss(L(X), L(Y), L(Z)),
    "triplet swap p1": lambda lib, F, L, C: F.triplet_margin_loss(L(X), L(Y), L(Z), p=1, swap=True, reduction="none"),
    "triplet cosine distance": lambda lib, F, L, C: F.triplet_margin_with_distance_loss(
        L(X), L(Y), L(Z), distance_function=lambda a, b: 1 - F.cosine_similarity(a, b), swap=True, reduction="sum"),
    "poisson": lambda lib, F, L, C: F.poisson_nll_loss(L(X), C(POS * 3)),
    "poisson rate full": lambda lib, F, L, C: F.poisson_nll_loss(L(POS), C(POS * 3), log_input=False, full=True,
                                                                 reduction="none"),
    "gaussian": lambda lib, F, L, C: F.gaussian_nll_loss(L(X), C(Y), L(POS)),
    "gaussian shared clamped var": lambda lib, F, L, C: F.gaussian_nll_loss(L(X), C(Y), L(POS[:, :1] * 1e-7),
                                                                            full=True, reduction="none"),
    "gaussian var one dim short": lambda lib, F, L, C: F.gaussian_nll_loss(L(X), C(Y), L(POS[:, 0]), reduction="sum"),
    "pairwise_distance": lambda lib, F, L, C: F.pairwise_distance(L(X), L(Y)),
    "pairwise_distance p1 broadcast": lambda lib, F, L, C: F.pairwise_distance(L(X), L(Y[0]), p=1, keepdim=True),
    "pdist equal rows": lambda lib, F, L, C: F.pdist(L(np.concatenate([X, X[:1]]))),
    "pdist p3": lambda lib, F, L, C: F.pdist(L(X), p=3),
    "pdist inf": lambda lib, F, L, C: F.pdist(L(X), p=float("inf")),
    "PairwiseDistance": lambda lib, F, L, C: lib.nn.PairwiseDistance(p=1.5)(L(X), L(Y)),
    "CosineSimilarity": lambda lib, F, L, C: lib.nn.CosineSimilarity(dim=0)(L(X), L(Y)),
    "TripletMarginWithDistanceLoss": lambda lib, F, L, C: lib.nn.TripletMarginWithDistanceLoss(swap=True)(
        L(X), L(Y), L(Z)),
    "MultiLabelMarginLoss": lambda lib, F, L, C: lib.nn.MultiLabelMarginLoss()(L(X), C(MULTI)),
    "HingeEmbeddingLoss": lambda lib, F, L, C: lib.nn.HingeEmbeddingLoss(2.0)(L(X), C(SIGNS)),
}


def _run(lib: Any, F: Any, case: Callable[..., Any]) -> tuple[np.ndarray, list[np.ndarray], str]:
    leaves: list[Any] = []

    def leaf(a: np.ndarray) -> Any:
        leaves.append(lib.tensor(a, requires_grad=True))
        return leaves[-1]

    out = case(lib, F, leaf, lib.tensor)
    weights = np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape))
    (out * lib.tensor(weights)).sum().backward()
    return np.asarray(out.detach().numpy()), [np.asarray(t.grad.numpy()) for t in leaves], type(out.grad_fn).__name__


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_gradients_and_node_equal_torch(name: str) -> None:
    ours, theirs = _run(tg, GF, CASES[name]), _run(torch, TF, CASES[name])
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-7, atol=1e-10)
    for g, h in zip(ours[1], theirs[1], strict=True):
        np.testing.assert_allclose(g, h, rtol=1e-7, atol=1e-10)
    assert ours[2] == theirs[2]


@pytest.mark.parametrize("name", ["hinge none margin", "multi_margin p2 weight", "multilabel_margin", "triplet",
                                  "poisson rate full", "gaussian", "pdist p3", "pairwise_distance"])
def test_gradcheck(name: str) -> None:
    def fn(*leaves: Any) -> Any:
        it = iter(leaves)
        return CASES[name](tg, GF, lambda a: next(it), tg.tensor)

    arrays: list[np.ndarray] = []
    CASES[name](tg, GF, lambda a: arrays.append(a) or tg.tensor(a), tg.tensor)
    assert tg.gradcheck(fn, *(tg.tensor(a, requires_grad=True) for a in arrays))


@pytest.mark.parametrize("make", [
    lambda nn: nn.PairwiseDistance(), lambda nn: nn.CosineSimilarity(dim=0), lambda nn: nn.TripletMarginLoss(),
    lambda nn: nn.TripletMarginWithDistanceLoss(), lambda nn: nn.PoissonNLLLoss(), lambda nn: nn.GaussianNLLLoss(),
    lambda nn: nn.MultiMarginLoss(p=2), lambda nn: nn.HingeEmbeddingLoss(), lambda nn: nn.SoftMarginLoss(),
    lambda nn: nn.MultiLabelSoftMarginLoss(), lambda nn: nn.MultiLabelMarginLoss(),
])
def test_repr_and_state_dict_equal_torch(make: Callable[[Any], Any]) -> None:
    ours, theirs = make(tg.nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("call", [
    lambda F, t: F.multi_margin_loss(t(X), t(LABELS), p=3),
    lambda F, t: F.triplet_margin_loss(t(X), t(Y[0]), t(Z)),
    lambda F, t: F.triplet_margin_loss(t(X), t(Y), t(Z), margin=0.0),
    lambda F, t: F.gaussian_nll_loss(t(X), t(Y), t(POS[:2])),
    lambda F, t: F.gaussian_nll_loss(t(X), t(Y), -1.0),
    lambda F, t: F.pdist(t(X[0])),
    lambda F, t: F.poisson_nll_loss(t(X), t(Y), reduction="avg"),
])
def test_refusals_match_torch(call: Callable[[Any, Any], Any]) -> None:
    with pytest.raises(Exception) as theirs:
        call(TF, torch.tensor)
    with pytest.raises(type(theirs.value)):
        call(GF, tg.tensor)


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.MultiMarginLoss(weight=lib.ones(3)), lambda lib: lib.nn.BCELoss(weight=lib.ones(3)),
    lambda lib: lib.nn.CrossEntropyLoss(weight=lib.ones(3)), lambda lib: lib.nn.NLLLoss(weight=lib.ones(3)),
    lambda lib: lib.nn.BCEWithLogitsLoss(pos_weight=lib.ones(3), weight=lib.ones(3)),
    lambda lib: lib.nn.MultiLabelSoftMarginLoss(weight=lib.ones(3)), lambda lib: lib.nn.NLLLoss(),
])
def test_loss_weights_are_buffers_as_in_torch(make: Callable[[Any], Any]) -> None:
    ours, theirs = make(tg), make(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
