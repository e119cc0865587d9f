"""The backward engine: seeding, accumulation, release of saved arrays, no_grad, deep graphs."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from tinygrad_adam import Op, Tensor, no_grad
from tinygrad_adam.core.engine import Context, unbroadcast


def test_scalar_output_seeds_one_and_chain_rule_values() -> None:
    x = Tensor([2.0, -1.0], requires_grad=True)
    y = (x * x * x).sum()  # dy/dx = 3x^2
    y.backward()
    np.testing.assert_allclose(x.grad, [12.0, 3.0])


def test_non_scalar_output_needs_grad() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"scalar output.*shape torch.Size\(\[2\]\)"):
        (x * 2).backward()
    y = x * 2
    y.backward(np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad, [2.0, 20.0])


def test_backward_rejects_grad_of_wrong_shape() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match=r"grad has shape \(3,\).*output has shape torch.Size\(\[2\]\)"):
        (x * 2).backward(np.ones(3))


def test_zero_output_gradient_gives_zero_input_gradients() -> None:
    x = Tensor(np.random.default_rng(0).standard_normal((3, 4)), requires_grad=True)
    w = Tensor(np.random.default_rng(1).standard_normal((4, 2)), requires_grad=True)
    out = (x @ w).tanh()
    out.backward(np.zeros((3, 2)))
    np.testing.assert_array_equal(x.grad, np.zeros((3, 4)))
    np.testing.assert_array_equal(w.grad, np.zeros((4, 2)))


def test_gradients_accumulate_over_two_backward_calls() -> None:
    x = Tensor([1.0, 3.0], requires_grad=True)
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [2.0, 6.0])
    (x * 5).sum().backward()
    np.testing.assert_allclose(x.grad, [7.0, 11.0])
    x.grad = None
    (x * 5).sum().backward()
    np.testing.assert_allclose(x.grad, [5.0, 5.0])


def test_shared_subexpression_gets_summed_gradient() -> None:
    x = Tensor(2.0, requires_grad=True)
    a = x * 3
    y = a * a + a  # y = 9x^2 + 3x -> dy/dx = 18x + 3
    y.backward()
    assert x.grad == pytest.approx(39.0)


def test_leaf_grad_is_not_aliased_with_engine_buffers() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = Tensor([1.0, 2.0], requires_grad=True)
    (x + y).sum().backward()
    x.grad += 100
    np.testing.assert_array_equal(y.grad, [1.0, 1.0])


def test_intermediate_grads_only_when_retained() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    k = x * 3
    k.retain_grad()
    (h * k).sum().backward()
    with pytest.warns(UserWarning, match="not a leaf Tensor"):
        assert h.grad is None
    np.testing.assert_allclose(k.grad, 2 * x.array)


def test_saved_arrays_are_released_after_backward() -> None:
    x = Tensor(np.ones(4), requires_grad=True)
    y = x.leaky_relu()  # saves a mask array that nothing else holds
    saved = weakref.ref(y._ctx.saved_tensors[0])
    loss = (y * 2).sum()
    del y
    gc.collect()
    assert saved() is not None
    loss.backward()
    gc.collect()
    assert saved() is None


def test_retain_graph_allows_a_second_backward() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = np.array(x.grad)
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * first)


def test_second_backward_through_freed_graph_is_a_clear_error() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        y.backward()


def test_no_grad_records_and_saves_nothing() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        y = (x * x).exp()
    assert not y.requires_grad and y._ctx is None and y.is_leaf

    @no_grad()
    def doubled(t: Tensor) -> Tensor:
        return t * 2

    z = doubled(x)
    assert not z.requires_grad and z._ctx is None
    assert (x * 2).requires_grad  # recording is back on after the block


def test_no_record_when_no_input_requires_grad() -> None:
    saved = []

    class Spy(Op):
        @staticmethod
        def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
            ctx.save_for_backward(x)
            saved.append(ctx.saved_tensors)
            return x + 1

        @staticmethod
        def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
            return grad

    out = Spy.apply(Tensor([1.0]))
    assert out._ctx is None and not out.requires_grad
    assert saved == [()]


def test_no_grad_restores_state_after_exception() -> None:
    x = Tensor([1.0], requires_grad=True)
    with pytest.raises(ZeroDivisionError), no_grad():
        raise ZeroDivisionError
    assert (x * 2).requires_grad


def test_chain_of_100k_ops_backpropagates_without_recursion() -> None:
    x = Tensor(np.array(1.0), requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1e-6
    y.backward()
    assert x.grad.item() == 1.0
    np.testing.assert_allclose(y.array, 1.1, rtol=1e-6)


def test_backward_on_tensor_without_graph_errors() -> None:
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor([1.0]).sum().backward()


@pytest.mark.parametrize("grad_shape,target,expected", [
    ((2, 3), (3,), [2.0, 2.0, 2.0]),
    ((2, 3), (1, 3), [[2.0, 2.0, 2.0]]),
    ((2, 3), (2, 1), [[3.0], [3.0]]),
    ((4, 2, 3), (2, 1), [[12.0], [12.0]]),
    ((2, 3), (), 6.0),
])
def test_unbroadcast_handles_different_ranks(grad_shape, target, expected) -> None:
    out = unbroadcast(np.ones(grad_shape), target)
    assert out.shape == target
    np.testing.assert_array_equal(out, expected)


def test_custom_function_defined_like_torch() -> None:
    class Cube(Op):
        @staticmethod
        def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * grad

    x = Tensor([1.0, -2.0], requires_grad=True)
    Cube.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 12.0])


def test_custom_function_with_wrong_gradient_shape_names_the_op() -> None:
    class Broken(Op):
        @staticmethod
        def forward(ctx: Context, x: np.ndarray) -> np.ndarray:
            return x.sum()

        @staticmethod
        def backward(ctx: Context, grad: np.ndarray) -> np.ndarray:
            return np.ones(7)

    with pytest.raises(RuntimeError,
                       match=r"Broken.backward returned a gradient of shape \(7,\).*torch.Size\(\[2, 2\]\)"):
        Broken.apply(Tensor(np.ones((2, 2)), requires_grad=True)).backward()


def test_grad_is_a_tensor_without_history_and_data_shares_memory() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * x).sum().backward()
    assert isinstance(x.grad, Tensor) and x.grad.is_leaf and not x.grad.requires_grad
    np.testing.assert_array_equal(x.grad.array, [2.0, 4.0])
    d = x.data
    assert isinstance(d, Tensor) and not d.requires_grad and d.array is x.array
    d.array[0] = 5.0
    assert x.array[0] == 5.0


def test_post_accumulate_grad_hook_runs_once_per_accumulation_and_can_be_removed() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    seen: list[np.ndarray] = []
    handle = x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.array.copy()))
    (x * 3).sum().backward()
    (x * 2).sum().backward()
    np.testing.assert_array_equal(seen, [[3.0, 3.0], [5.0, 5.0]])
    handle.remove()
    (x * 2).sum().backward()
    assert len(seen) == 2


def test_backward_observer_sees_every_node_in_the_engine_order() -> None:
    from tinygrad_adam.core.engine import observe_backward

    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    visited: list[str] = []
    handle = observe_backward(lambda ctx, grad, input_grads: visited.append(ctx.function.__name__))
    try:
        y.backward()
    finally:
        handle.remove()
    assert visited == ["Sum", "Mul", "Exp"]


def test_a_gradient_has_its_inputs_dtype() -> None:
    """As PyTorch's engine: a float32 leaf used in float64 arithmetic gets a float32 gradient, in .grad and from
    autograd.grad, and a cast's backward needs no cast of its own."""
    import tinygrad_adam as tg

    leaf = tg.ones(3, dtype=tg.float32, requires_grad=True)
    out = (leaf * tg.ones(3, dtype=tg.float64)).sum() + leaf.double().sum()
    (grad,) = tg.autograd.grad(out, leaf, retain_graph=True)
    out.backward()
    assert grad.dtype == tg.float32 and leaf.grad.dtype == tg.float32
    assert leaf.grad.tolist() == [2.0, 2.0, 2.0]
