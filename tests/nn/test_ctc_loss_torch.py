"""nn.CTCLoss and F.ctc_loss against PyTorch: values, PyTorch's gradient (of the logits under log_softmax) in
float64, both target layouts, zero_infinity, unbatched input, the layer, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")

T, N, C = 7, 3, 5
LENGTHS = [([7, 6, 5], [4, 2, 0]), ([7, 7, 7], [3, 3, 3]), ([7, 3, 7], [4, 4, 1])]  # the last: one impossible


def _run(lib, logits: np.ndarray, targets, input_lengths, target_lengths, weights: np.ndarray | None, **options):
    x = lib.tensor(logits, requires_grad=True)
    loss = lib.nn.functional.ctc_loss(x.log_softmax(-1), targets, input_lengths, target_lengths, **options)
    (loss * lib.tensor(weights) if weights is not None else loss).sum().backward()
    return loss.detach().numpy(), x.grad.numpy()


def _compare(logits: np.ndarray, make_args, weights: np.ndarray | None = None, rtol: float = 1e-10, **options):
    ours = _run(tg, logits, *make_args(tg), weights, **options)
    theirs = _run(torch, logits, *make_args(torch), weights, **options)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)  # nan where PyTorch's is nan


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize(("input_lengths", "target_lengths"), LENGTHS)
def test_padded_targets_float64(reduction: str, zero_infinity: bool, input_lengths: list, target_lengths: list):
    rng = np.random.default_rng(0)
    logits, targets = rng.standard_normal((T, N, C)), rng.integers(1, C, (N, 4))
    weights = rng.standard_normal(N) if reduction == "none" else None
    _compare(logits, lambda lib: (lib.tensor(targets), input_lengths, target_lengths), weights,
             reduction=reduction, zero_infinity=zero_infinity)


@pytest.mark.parametrize("reduction", ["none", "mean"])
def test_concatenated_targets_tensor_lengths_and_blank(reduction: str) -> None:
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((T, N, C))
    lengths = np.array([3, 0, 2])
    targets = rng.integers(0, C - 1, lengths.sum())  # blank is the last class
    _compare(logits, lambda lib: (lib.tensor(targets, dtype=lib.int32), lib.tensor([7, 5, 6]), lib.tensor(lengths)),
             rng.standard_normal(N) if reduction == "none" else None, blank=C - 1, reduction=reduction)


def test_repeated_labels_need_a_blank_between() -> None:
    rng = np.random.default_rng(2)
    logits, targets = rng.standard_normal((6, 2, 3)), np.array([[1, 1, 2], [2, 2, 2]])
    _compare(logits, lambda lib: (lib.tensor(targets), [6, 5], [3, 3]), reduction="sum")


def test_unbatched_and_float32() -> None:
    rng = np.random.default_rng(3)
    logits, targets = rng.standard_normal((T, C)), rng.integers(1, C, 3)
    _compare(logits, lambda lib: (lib.tensor(targets), lib.tensor(T), lib.tensor(3)), reduction="none")
    _compare(logits.astype(np.float32)[:, None].repeat(2, 1), lambda lib: (lib.tensor(targets).repeat(2, 1), [7, 6],
                                                                           [3, 2]), rtol=1e-5)


def test_layer() -> None:
    layer = tg.nn.CTCLoss(blank=1, reduction="sum", zero_infinity=True)
    expected = torch.nn.CTCLoss(blank=1, reduction="sum", zero_infinity=True)
    assert repr(layer) == repr(expected) == "CTCLoss()"
    assert (layer.blank, layer.reduction, layer.zero_infinity) == (1, "sum", True)
    assert layer.state_dict().keys() == expected.state_dict().keys()
    logits = np.random.default_rng(4).standard_normal((T, 2, C))
    args = ([[0, 2, 3], [2, 2, 0]], [7, 7], [3, 2])
    ours = layer(tg.tensor(logits).log_softmax(2), tg.tensor(args[0]), *args[1:])
    theirs = expected(torch.tensor(logits).log_softmax(2), torch.tensor(args[0]), *args[1:])
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    assert ours.grad_fn is None


def test_grad_fn_name() -> None:
    x = tg.tensor(np.zeros((3, 1, 2)), requires_grad=True)
    assert tg.nn.functional.ctc_loss(x, tg.tensor([[1]]), [3], [1], reduction="none").grad_fn.name() == \
        "CtcLossBackward0"


ERRORS = [
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [7, 6], [2, 2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [3, 2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6], [2, 2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([1, 2]), [6, 6], [2, 1], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [-1, 6], [2, 2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [-1, 2], {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [2, 2], {"blank": 4}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [2, 2], {"reduction": "avg"}),
    (lambda lib: lib.zeros(6, 2, 4, dtype=lib.int64), lambda lib: lib.tensor([[1, 2]] * 2), [6, 6], [2, 2], {}),
    (lambda lib: lib.zeros(6), lambda lib: lib.tensor([1, 2]), [6], [2], {}),
    (lambda lib: lib.zeros(6, 4), lambda lib: lib.tensor([1, 2]), 6, 2, {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), lambda lib: lib.tensor([6.0, 6.0]),
     lambda lib: lib.tensor([2, 2]), {}),
    (lambda lib: lib.zeros(6, 2, 4), lambda lib: lib.tensor([[1, 2]] * 2), lambda lib: lib.tensor([6, 6]),
     [2, 2], {}),
]


@pytest.mark.parametrize(("log_probs", "targets", "input_lengths", "target_lengths", "options"), ERRORS)
def test_errors(log_probs, targets, input_lengths, target_lengths, options) -> None:
    def call(lib):
        lengths = [v(lib) if callable(v) else v for v in (input_lengths, target_lengths)]
        return lib.nn.functional.ctc_loss(log_probs(lib), targets(lib), *lengths, **options)

    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(type(expected.value)) as ours:
        call(tg)
    if not isinstance(expected.value, TypeError | NotImplementedError):
        assert str(ours.value) == str(expected.value)
