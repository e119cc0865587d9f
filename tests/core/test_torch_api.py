"""PyTorch's Tensor surface without torch: in-place rules, version counter, ==, max(dim), devices, anomaly mode."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as torch
from tinygrad_adam import Tensor, autograd, nn


# ----- in-place ops ----------------------------------------------------------------------------
def test_silent_rebinding_program_now_trains() -> None:
    """`param -= lr * param.grad` under no_grad must change the model's own parameters."""
    torch.manual_seed(0)
    x = torch.randn(64, 3)
    y = x @ torch.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1)
    params_before = [id(p) for p in model.parameters()]
    losses = []
    for _ in range(100):
        loss = ((model(x) - y) ** 2).mean()
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= 0.1 * param.grad
        losses.append(loss.item())
    assert [id(p) for p in model.parameters()] == params_before
    assert all(p.is_leaf and p.requires_grad for p in model.parameters())
    assert losses[-1] < 1e-3 * losses[0]


def test_leaf_that_requires_grad_refuses_in_place_change_outside_no_grad() -> None:
    w = torch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"leaf Tensor that requires grad.*no_grad"):
        w -= 1
    with pytest.raises(RuntimeError, match="leaf Tensor"):
        w.add_(1)
    np.testing.assert_array_equal(w.detach().numpy(), [1, 1, 1])
    with torch.no_grad():
        w.mul_(3).add_(torch.ones(3), alpha=2).clamp_(max=4.5)
    np.testing.assert_array_equal(w.detach().numpy(), [4.5, 4.5, 4.5])


def test_in_place_methods_write_into_the_same_memory() -> None:
    t = torch.zeros(2, 3)
    shared = t.detach().numpy()
    t.fill_(2).sub_(torch.ones(3)).div_(4)
    assert np.shares_memory(shared, t.detach().numpy()) and np.all(shared == 0.25)
    t.copy_(torch.tensor([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(t.detach().numpy(), [[1, 2, 3], [1, 2, 3]])
    t.normal_(5.0, 0.01)
    assert abs(float(t.mean()) - 5) < 0.1
    t.uniform_(-1, 1)
    assert float(t.abs().max()) <= 1
    t.zero_()
    assert not t.any()
    g = torch.ones(2)
    g += torch.tensor([1, 2])  # int into float: allowed
    np.testing.assert_array_equal(g.detach().numpy(), [2, 3])
    i = torch.tensor([1, 2])
    with pytest.raises(RuntimeError, match="can't be cast"):
        i += 0.5


def test_grad_is_a_tensor_that_can_be_zeroed_in_place() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    w.grad.zero_()
    (w * 3).sum().backward()
    np.testing.assert_array_equal(w.grad.detach().numpy(), [3, 3])


def test_in_place_on_a_non_leaf_is_recorded() -> None:
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    h = x.sin()  # sin saves its input, not its output: changing h in place leaves its gradient right
    h *= 3
    h += 1
    h.sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), 3 * np.cos([0.5, 1.0]), rtol=1e-6)
    assert h.grad_fn is not None and repr(h).endswith("grad_fn=<AddBackward0>)")
    e = torch.tensor([0.5, 1.0], requires_grad=True).exp()  # exp saves its output: backward refuses, as PyTorch
    e *= 3
    with pytest.raises(RuntimeError, match="ExpBackward0? has been modified by an in-place operation"):
        e.sum().backward()


def test_version_counter_refuses_backward_through_a_modified_saved_tensor() -> None:
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0])
    y = (x * w).sum()  # Mul saved x for w's gradient
    x.add_(1)
    with pytest.raises(RuntimeError, match=r"MulBackward.*modified by an in-place operation.*input 0"):
        y.backward()
    h = w.sigmoid()
    z = (h * 2).sum()
    h.mul_(3)  # h is recorded by the Mul that made z
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.backward()
    y2 = (x * w).sum()  # recorded after the change: fine
    y2.backward()
    np.testing.assert_array_equal(w.grad.detach().numpy(), [4, 5])


def test_setitem_writes_in_place_and_keeps_gradients() -> None:
    t = torch.zeros(3)
    t[1] = 5
    np.testing.assert_array_equal(t.detach().numpy(), [0, 5, 0])
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y[0] = 0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [0, 2, 2])


# ----- comparisons, hashing, reductions ---------------------------------------------------------
def test_comparisons_are_elementwise_and_hash_stays_by_identity() -> None:
    pred, y = torch.tensor([1, 2, 3]), torch.tensor([1, 0, 3])
    assert (pred == y).dtype == torch.bool and (pred == y).tolist() == [True, False, True]
    assert (pred == y).sum().item() == 2 and (pred != y).sum().item() == 1
    assert pred.eq(y).tolist() == [True, False, True] and pred.lt(2).tolist() == [True, False, False]
    assert (pred == None) is False  # noqa: E711 - what PyTorch gives too
    a, b = torch.ones(2), torch.ones(2)
    table = {a: "a", b: "b"}
    assert table[a] == "a" and table[b] == "b" and a in {a} and b not in {a}
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(a == b)
    opt = torch.optim.SGD([a.requires_grad_()], lr=0.1)
    assert b not in opt.state


def test_max_with_dim_returns_values_and_int64_indices() -> None:
    t = torch.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 1.0]])
    values, indices = torch.max(t, 1)
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0] and indices.dtype == torch.int64
    result = t.min(dim=0, keepdim=True)
    assert result.values.tolist() == [[1.0, 0.0, 1.0]] and result.indices.shape == (1, 3)
    assert t.max().item() == 7.0 and t.argmax().item() == 3 and t.argmax(dim=1, keepdim=True).shape == (2, 1)
    assert torch.max(t, torch.full((2, 3), 3.0)).tolist() == [[3, 5, 3], [7, 3, 3]]


def test_var_and_std_default_to_the_unbiased_estimate() -> None:
    t = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert t.var().item() == pytest.approx(np.var([1, 2, 3, 4], ddof=1))
    assert t.var(unbiased=False).item() == pytest.approx(1.25) and t.var(ddof=0).item() == pytest.approx(1.25)
    assert t.std(correction=0).item() == pytest.approx(np.sqrt(1.25))


# ----- dtypes ----------------------------------------------------------------------------------
def test_dtype_objects_print_and_compare_like_pytorch() -> None:
    t = torch.tensor([1.0, 2.0])
    assert t.dtype == torch.float32 == torch.float and t.dtype == np.float32 and repr(t.dtype) == "torch.float32"
    assert torch.tensor([1, 2]).dtype == torch.long and torch.tensor([True]).dtype == torch.bool
    assert t.type() == "torch.FloatTensor" and t.type(torch.int64).dtype == torch.int64
    assert t.double().dtype == torch.float64 and t.long().dtype == torch.int64 and t.int().dtype == torch.int32
    assert np.zeros(2, dtype=torch.float64).dtype == np.float64  # NumPy accepts our dtypes


def test_promotion_follows_pytorch() -> None:
    f, i = torch.ones(2), torch.tensor([1, 2])
    assert (f * i).dtype == torch.float32 and (f ** i).dtype == torch.float32
    assert (i / i).dtype == torch.float32 and (i * 2).dtype == torch.int64 and (i * 2.5).dtype == torch.float32
    assert (f * 2.5).dtype == torch.float32 and (f * np.float64(2)).dtype == torch.float32
    assert (f + torch.ones(2, dtype=torch.float64)).dtype == torch.float64
    assert (i.int() + torch.tensor(1)).dtype == torch.int32  # a 0-dim tensor does not widen
    assert (f < i).dtype == torch.bool


def test_integer_tensors_never_require_grad() -> None:
    w = torch.ones(2, requires_grad=True)
    assert not w.long().requires_grad and w.double().requires_grad
    with pytest.raises(RuntimeError, match="only Tensors of floating point and complex dtype can require gradients"):
        torch.tensor([1, 2], requires_grad=True)


def test_repr_is_pytorchs() -> None:
    assert repr(torch.tensor([1.5, 2.0])) == "tensor([1.5000, 2.0000])"
    assert repr(torch.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(torch.tensor([1.0], dtype=torch.float64)) == "tensor([1.], dtype=torch.float64)"
    assert repr(torch.tensor(3.5)) == "tensor(3.5000)"


def test_numpy_interop() -> None:
    t = torch.tensor([1.0, 2.0], requires_grad=True)
    out = np.array([2.0, 3.0], dtype=np.float32) * t
    assert isinstance(out, Tensor) and out.requires_grad
    assert np.asarray(t) is t.detach().numpy() or np.shares_memory(np.asarray(t), t.detach().numpy())
    assert np.isfinite(t.detach().numpy()).all() and t.isfinite().all()
    finite = np.isfinite(t)  # other ufuncs run on the array and give a Tensor outside the graph
    assert isinstance(finite, Tensor) and finite.dtype == torch.bool and bool(finite.all())
    assert np.exp(t).tolist() == pytest.approx(np.exp([1.0, 2.0]).tolist()) and not np.exp(t).requires_grad
    assert (np.float32(2) - t).requires_grad and (np.ones(2, dtype=np.float32) @ t).shape == ()


# ----- devices ---------------------------------------------------------------------------------
def test_device_calls_are_cpu_only_and_harmless() -> None:
    assert not torch.cuda.is_available() and not torch.backends.mps.is_available()
    assert not torch.accelerator.is_available() and torch.accelerator.current_accelerator() is None
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.set_default_device("cpu")
    t = torch.ones(2, device=device)
    assert t.to(device) is t and t.cpu() is t and t.to("cpu", torch.float64).dtype == torch.float64
    assert str(t.device) == "cpu" and t.device == device
    for bad in ("cuda", "mps", "cuda:0"):
        with pytest.raises(RuntimeError, match="runs on the CPU only"):
            torch.device(bad)
    with pytest.raises(RuntimeError, match="runs on the CPU only"):
        t.to("cuda")


# ----- autograd --------------------------------------------------------------------------------
class Exp(autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        y = x.exp() * scale
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * y, None


def test_custom_function_in_pytorch_style() -> None:
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    y = Exp.apply(x, 2.0)
    assert repr(y.grad_fn.function.__name__) == "'Exp'" and repr(y).endswith("grad_fn=<ExpBackward>)")
    y.sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), 2 * np.exp([0.0, 1.0]), rtol=1e-6)


def test_autograd_grad_returns_gradients_without_touching_grad() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    (gx, gh) = autograd.grad((h * 3).sum(), [x, h])
    np.testing.assert_array_equal(gx.detach().numpy(), [6, 12])
    np.testing.assert_array_equal(gh.detach().numpy(), [3, 3])
    assert x.grad is None
    with pytest.raises(NotImplementedError, match="higher-order"):
        autograd.grad((x * x).sum(), x, create_graph=True)
    unused = torch.ones(1, requires_grad=True)
    with pytest.raises(RuntimeError, match="allow_unused"):
        autograd.grad((x * 2).sum(), [unused])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the inf/nan are the point
def test_detect_anomaly_names_the_backward_that_made_inf_and_the_calling_line() -> None:
    x = torch.tensor([0.0, 4.0], requires_grad=True)
    with autograd.detect_anomaly():
        y = x.sqrt()  # the line the error must show
        with pytest.raises(RuntimeError, match=r"Function 'SqrtBackward0' returned inf") as info:
            y.sum().backward()
    assert "y = x.sqrt()  # the line the error must show" in str(info.value)
    assert "test_torch_api.py" in str(info.value)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the inf/nan are the point
def test_detect_anomaly_names_the_backward_that_made_nan() -> None:
    x = torch.tensor([-1.0, 2.0], requires_grad=True)
    w = torch.tensor([1.0, 1.0], requires_grad=True)
    with autograd.detect_anomaly():
        logs = x.log()
        loss = (logs * w).sum()  # w's gradient is log(-1) = nan
        with pytest.raises(RuntimeError, match=r"Function 'MulBackward0' returned nan values in its 1th output") as e:
            loss.backward()
    assert "loss = (logs * w).sum()" in str(e.value)
    with autograd.detect_anomaly(check_forward=True):
        with pytest.raises(RuntimeError, match=r"Function 'Log' returned nan values in its forward") as e:
            x.log()
    assert "x.log()" in str(e.value)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the inf/nan are the point
def test_anomaly_mode_is_off_outside_and_costs_one_check() -> None:
    from tinygrad_adam.core import engine
    assert engine._anomaly_hook is None and not autograd.is_anomaly_enabled()
    autograd.set_detect_anomaly(True)
    assert autograd.is_anomaly_enabled()
    autograd.set_detect_anomaly(False)
    assert engine._anomaly_hook is None
    x = torch.tensor([0.0], requires_grad=True)
    x.sqrt().sum().backward()  # no anomaly mode: inf, no error
    assert np.isinf(x.grad.detach().numpy()).all()


def test_grad_modes() -> None:
    x = torch.ones(1, requires_grad=True)
    with torch.inference_mode():
        assert not (x * 2).requires_grad
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
        with torch.enable_grad():
            assert (x * 2).requires_grad
    assert torch.is_grad_enabled()
