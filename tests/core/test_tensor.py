"""Tensor construction, dtypes, properties and the errors a user can cause."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import Tensor


def test_float_data_defaults_to_float32_but_float64_arrays_stay() -> None:
    assert Tensor([1.0, 2.0]).dtype == np.float32
    assert Tensor(3.5).dtype == np.float32
    assert Tensor(np.zeros(2)).dtype == np.float64
    assert Tensor([1, 2]).dtype == np.float32  # the legacy constructor, as torch.Tensor
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_constructor_copies_so_the_caller_array_is_not_changed_in_place() -> None:
    source = np.zeros(3)
    t = Tensor(source)
    t.array += 1
    np.testing.assert_array_equal(source, np.zeros(3))


def test_properties() -> None:
    t = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert t.shape == (2, 3) and t.ndim == 2 and t.size() == (2, 3) and t.size(1) == 3 and t.numel() == 6
    assert len(t) == 2
    assert t.T.shape == (3, 2)
    assert t.grad is None and t.is_leaf
    assert Tensor([[4.0]]).item() == 4.0
    np.testing.assert_array_equal(t.detach().numpy(), np.arange(6.0).reshape(2, 3))
    d = (t * 2).detach()
    assert not d.requires_grad and d.is_leaf
    assert Tensor([1.0]).requires_grad_().requires_grad


def test_repr_is_readable() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    assert repr(t) == "tensor([1., 2.], requires_grad=True)"  # PyTorch's format
    assert repr(t * 2) == "tensor([2., 4.], grad_fn=<MulBackward0>)"


def test_constructors_are_seedable() -> None:
    tg.manual_seed(123)
    a = tg.randn(3, 4)
    tg.manual_seed(123)
    b = tg.randn((3, 4))
    np.testing.assert_array_equal(a.array, b.array)
    assert a.dtype == np.float32
    u = tg.empty(1000).uniform_(-2, 3)
    assert -2 <= u.array.min() and u.array.max() < 3
    assert tg.zeros(2, 3).array.sum() == 0 and tg.ones((2, 3)).array.sum() == 6
    np.testing.assert_array_equal(tg.arange(4).array, [0, 1, 2, 3])
    assert tg.arange(0, 1, 0.25).dtype == np.float32
    np.testing.assert_array_equal(tg.eye(3).array, np.eye(3))


def test_non_numeric_data_is_rejected() -> None:
    with pytest.raises(TypeError, match="invalid data type"):
        Tensor(["a", "b"])
    with pytest.raises(TypeError, match="invalid data type"):
        Tensor([object()])


def test_integer_tensor_cannot_require_grad() -> None:
    with pytest.raises(RuntimeError, match="only Tensors of floating point and complex dtype can require gradients"):
        Tensor(np.array([1, 2]), requires_grad=True)


def test_incompatible_shapes_name_the_op_and_shapes() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((4, 3)))
    with pytest.raises(RuntimeError, match=r"size of tensor a \(2\) must match the size of tensor b \(4\) at "
                                           r"non-singleton dimension 0"):
        a + b
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)"):
        a @ Tensor(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        a.reshape(4, 2)


def test_numpy_array_on_the_left_stays_in_the_graph() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 4.0])


def test_comparisons_give_boolean_tensors_without_graph() -> None:
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = x > 1.5
    assert mask.dtype == bool and not mask.requires_grad
    np.testing.assert_array_equal(mask.array, [False, True, True])
    assert {x: 1}[x] == 1  # tensors stay hashable
