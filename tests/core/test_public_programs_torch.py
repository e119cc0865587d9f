"""What running public PyTorch programs with their imports changed found (experiments/pytorch_programs.py),
each case against torch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_adam as tg

torch = pytest.importorskip("torch")


def _warnings(fn):  # noqa: ANN001, ANN202 - the messages of the warnings fn() gives
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("lib", [tg, torch], ids=["ours", "torch"])
def test_reading_the_grad_of_a_non_leaf_warns_unless_it_retains_it(lib) -> None:  # noqa: ANN001
    x = lib.ones(2, requires_grad=True)
    y, kept = x * 2, x * 3
    kept.retain_grad()
    (y + kept).sum().backward()
    [message] = _warnings(lambda: y.grad)
    assert message.startswith("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                              ".grad attribute won't be populated during autograd.backward(). If you indeed want")
    assert "github.com/pytorch/pytorch/pull/30531 for more information." in message
    assert _warnings(lambda: (x.grad, kept.grad, lib.ones(2).grad, (lib.ones(2) * 2).grad)) == []
    assert kept.grad.tolist() == [1.0, 1.0] and x.grad.tolist() == [5.0, 5.0]


def _micrograd_more_ops(lib):  # noqa: ANN001, ANN202 - micrograd's test_more_ops on lib, and the order gradients arrive
    a, b = lib.tensor([-4.0], dtype=lib.float64, requires_grad=True), lib.tensor([2.0], dtype=lib.float64,
                                                                               requires_grad=True)
    arrived = []

    def tap(name, t):  # noqa: ANN001, ANN202
        t.register_hook(lambda g: arrived.append(name))
        return t

    c = tap("c", a + b)
    d = tap("ab", a * b) + b**3
    c = c + c + 1
    c = c + 1 + c + tap("-a", -a)
    d = d + d * 2 + tap("b+a", b + a).relu()
    d = d + 3 * d + tap("b-a", b - a).relu()
    f = (c - d) ** 2
    g = f / 2.0 + 10.0 / f
    g.backward()
    return g.item(), a.grad.item(), b.grad.item(), arrived


def test_backward_runs_the_later_ops_first_so_repeated_uses_sum_as_pytorch() -> None:
    ours, theirs = _micrograd_more_ops(tg), _micrograd_more_ops(torch)
    assert ours == theirs  # exact: a's five gradients summed in PyTorch's order (it differed in the last bit)
    assert ours[3] == ["b-a", "b+a", "-a", "ab", "c"]


def test_number_divided_by_a_tensor_is_reciprocal_times_the_number() -> None:
    x = np.random.default_rng(0).uniform(0.1, 10, 1000).astype(np.float32)
    for number in (10.0, 7, True):
        assert np.array_equal((number / tg.tensor(x)).numpy(), (number / torch.tensor(x)).numpy())
    y = tg.tensor([3.0], requires_grad=True)
    assert type(2 / y).__name__ == "Tensor" and (2 / y).grad_fn.name() == (2 / torch.tensor([3.0],
                                                                                       requires_grad=True)).grad_fn.name()
    assert (1 / tg.tensor([2, 4])).dtype == tg.float32


def test_device_and_layout_flags_of_a_cpu_tensor() -> None:
    names = [n for n in dir(torch.ones(1)) if n.startswith("is_") and n != "is_leaf"
             and not callable(getattr(torch.ones(1), n))]
    assert len(names) >= 15 and "is_xpu" in names
    assert {n: getattr(tg.ones(1), n) for n in names} == {n: getattr(torch.ones(1), n) for n in names}


def test_custom_function_backward_may_return_trailing_nones_past_its_inputs() -> None:
    def run(lib):  # noqa: ANN001, ANN202
        class Scale(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, factor=3.0):  # noqa: ANN001, ANN205
                ctx.factor = factor
                return x * factor

            @staticmethod
            def backward(ctx, grad):  # noqa: ANN001, ANN205
                return grad * ctx.factor, None, None, None

        x = lib.ones(2, requires_grad=True)
        Scale.apply(x).sum().backward()
        return x.grad.tolist()

    assert run(tg) == run(torch) == [3.0, 3.0]


def test_the_size_average_warning_points_into_the_library_as_pytorchs() -> None:
    def where(lib):  # noqa: ANN001, ANN202
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            lib.nn.functional.nll_loss(lib.zeros(2, 3), lib.tensor([0, 1]), size_average=False)
        [w] = caught
        return str(w.message), w.filename.replace("\\", "/").split("/")[-3:]

    (ours, our_file), (theirs, their_file) = where(tg), where(torch)
    assert ours == theirs and our_file[-2:] == their_file[-2:] == ["nn", "functional.py"]


def test_the_tensor_classes_print_as_pytorchs() -> None:
    class Mine(tg.Tensor):
        pass

    assert repr(type(tg.ones(1))) == repr(type(torch.ones(1))) == "<class 'torch.Tensor'>"
    assert repr(tg.nn.Parameter(tg.ones(1)).__class__) == repr(torch.nn.Parameter(torch.ones(1)).__class__)
    assert repr(Mine).endswith(".Mine'>") and tg.Tensor.__name__ == "Tensor"
