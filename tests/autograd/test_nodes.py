"""grad_fn as PyTorch's node without torch installed: names, next_functions, identity, hooks' limits."""

from __future__ import annotations

import gc
import re

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import nn
from tinygrad_adam.core import graph_nodes
from tinygrad_adam.core.engine import Context
from tinygrad_adam.nn import functional as F


def test_a_small_network_walks_as_the_blitz_shows() -> None:
    tg.manual_seed(0)
    fc = nn.Linear(4, 3)
    loss = F.mse_loss(F.relu(fc(tg.randn(2, 4))), tg.zeros(2, 3))
    assert re.fullmatch(r"<MseLossBackward0 object at 0x[0-9a-f]+>", str(loss.grad_fn))
    relu = loss.grad_fn.next_functions[0][0]
    assert relu.name() == "ReluBackward0" and loss.grad_fn.next_functions[1] == (None, 0)
    addmm = relu.next_functions[0][0]
    assert addmm.name() == "AddmmBackward0"
    bias, x, transposed = (f for f, _ in addmm.next_functions)
    assert bias.variable is fc.bias and x is None
    assert transposed.name() == "TBackward0" and transposed.next_functions[0][0].variable is fc.weight
    assert repr(loss).endswith("grad_fn=<MseLossBackward0>)")


def test_the_node_is_the_engines_context_and_stays_one_object() -> None:
    x = tg.ones(3, requires_grad=True)
    y = (x * 2).sum()
    node = y.grad_fn
    assert node is y.grad_fn and isinstance(node, Context) and node.function is tg.core.ops.Sum
    assert type(node).__name__ == "SumBackward0"
    mul = node.next_functions[0][0]
    assert mul is node.next_functions[0][0] and mul.name() == "MulBackward0"
    node.metadata["step"] = 3
    y.backward()
    assert y.grad_fn.metadata == {"step": 3} and y.grad_fn.name() == "SumBackward0"  # kept after backward


def test_a_leafs_accumulate_grad_goes_with_the_leaf() -> None:
    before = len(graph_nodes._accumulators)
    for _ in range(20):
        x = tg.ones(2, requires_grad=True)
        assert (x + 1).grad_fn.next_functions[0][0] is (x * 1).grad_fn.next_functions[0][0]
    del x
    gc.collect()
    assert len(graph_nodes._accumulators) <= before + 1


def test_a_fused_stage_shows_pytorchs_node_but_cannot_be_hooked() -> None:
    logits = tg.randn(4, 3, requires_grad=True)
    loss = F.cross_entropy(logits, tg.tensor([0, 1, 2, 0]))
    stage = loss.grad_fn.next_functions[0][0]
    assert stage.name() == "LogSoftmaxBackward0" and stage.next_functions[0][0].variable is logits
    assert re.fullmatch(r"<LogSoftmaxBackward0 object at 0x[0-9a-f]+>", repr(stage))
    with pytest.raises(RuntimeError, match="LogSoftmaxBackward0 is part of a fused op here"):
        stage.register_hook(lambda gi, go: None)
    seen = []
    loss.grad_fn.register_prehook(lambda go: seen.append(go[0].item()))
    loss.backward()
    assert seen == [1.0]


def test_node_hooks_stay_for_a_second_backward_with_retain_graph() -> None:
    x = tg.ones(2, requires_grad=True)
    y = (x * 3).sum()
    calls = []
    handle = y.grad_fn.register_hook(lambda gi, go: calls.append(len(gi)))
    y.backward(retain_graph=True)
    y.backward()
    assert calls == [1, 1] and x.grad.tolist() == [6.0, 6.0]
    handle.remove()


def test_a_custom_function_is_named_as_pytorch_names_it() -> None:
    class Square(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):  # noqa: ANN001, ANN205
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):  # noqa: ANN001, ANN205
            (x,) = ctx.saved_tensors
            return 2 * x * grad

    x = tg.ones(2, requires_grad=True)
    y = Square.apply(x)
    assert y.grad_fn.name() == "SquareBackward" and repr(y).endswith("grad_fn=<SquareBackward>)")
    assert y.grad_fn.next_functions[0][0].variable is x


def test_an_op_can_name_its_own_node() -> None:
    class Twice(tg.Op):
        node_name = "MulBackward0"

        @staticmethod
        def forward(ctx, x):  # noqa: ANN001, ANN205
            return 2 * x

        @staticmethod
        def backward(ctx, grad):  # noqa: ANN001, ANN205
            return 2 * grad

    class HalfOp(tg.Op):
        forward = staticmethod(lambda ctx, x: x / 2)
        backward = staticmethod(lambda ctx, grad: grad / 2)

    x = tg.ones(2, requires_grad=True)
    assert Twice.apply(x).grad_fn.name() == "MulBackward0"
    assert HalfOp.apply(x).grad_fn.name() == "HalfBackward0"


def test_a_module_hook_that_returns_gradients_needs_one_input_and_one_result() -> None:
    class Add(nn.Module):
        def forward(self, a, b):  # noqa: ANN001, ANN201
            return a + b

    m = Add()
    m.register_full_backward_hook(lambda mod, gi, go: (gi[0] * 2, gi[1]))
    a, b = tg.ones(2, requires_grad=True), tg.ones(2, requires_grad=True)
    with pytest.raises(NotImplementedError, match="only when one Tensor input and one Tensor result"):
        m(a, b).sum().backward()


def test_hooks_leave_parameters_and_state_dict_alone() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    names = [n for n, _ in model.named_parameters()]
    keys = list(model.state_dict())
    with model[0].register_forward_hook(lambda m, args, out: out * 0):
        assert model(tg.ones(1, 2)).tolist() == [[model[2].bias.item()]]
        assert [n for n, _ in model.named_parameters()] == names and list(model.state_dict()) == keys
    assert not model[0]._module_hooks.forward  # the handle removed it on leaving the block


def test_a_hook_may_not_change_a_gradients_dtype() -> None:
    x = tg.ones(2, requires_grad=True)
    x.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="has changed the type of value"):
        (x * 2).sum().backward()


def test_autograd_backward_refuses_an_empty_inputs_list_and_create_graph() -> None:
    y = (tg.ones(2, requires_grad=True) * 2).sum()
    with pytest.raises(RuntimeError, match="'inputs' argument to backward\\(\\) cannot be empty"):
        tg.autograd.backward(y, inputs=[])
    with pytest.raises(NotImplementedError, match="create_graph"):
        tg.autograd.backward(y, create_graph=True)


def test_new_tensors_take_this_tensors_dtype() -> None:
    x = tg.ones(2, 3, dtype=tg.float64)
    assert x.new_tensor([1, 2]).dtype == tg.float64 and x.new_zeros(2, 3).tolist() == [[0.0] * 3] * 2
    assert x.new_ones((4,), dtype=tg.int32).dtype == tg.int32 and x.new_full((2,), 7).tolist() == [7.0, 7.0]
    assert x.new_empty(5).shape == (5,) and x.new_zeros(2, requires_grad=True).requires_grad
    assert x.nbytes == 48 and x.itemsize == 8 and x.element_size() == 8
    assert tg.ones(2, dtype=tg.int64).type_as(x).dtype == tg.float64
    y = tg.tensor(np.array([1.0, -2.0, 3.0], np.float32))
    assert y.apply_(lambda v: v * v if v > 0 else 0.0) is y and y.tolist() == [1.0, 0.0, 9.0]
    with pytest.raises(RuntimeError, match="Can't call apply_\\(\\) on Variable that requires grad"):
        x.requires_grad_().apply_(abs)
    assert f"{tg.tensor(2.5):.2f}" == "2.50"


def test_every_register_method_returns_torch_utils_hooks_removable_handle() -> None:
    x = tg.ones(2, requires_grad=True)
    layer = nn.Linear(2, 2)
    handles = [x.register_hook(lambda g: None), (x * 2).grad_fn.register_hook(lambda gi, go: None),
               (x * 2).grad_fn.register_prehook(lambda go: None), x.register_post_accumulate_grad_hook(lambda t: None),
               layer.register_forward_pre_hook(lambda m, a: None), layer.register_forward_hook(lambda m, a, o: None),
               layer.register_full_backward_pre_hook(lambda m, go: None),
               layer.register_full_backward_hook(lambda m, gi, go: None), layer.register_backward_hook(lambda *a: None)]
    assert all(type(h) is tg.utils.hooks.RemovableHandle for h in handles)
    for h in handles:
        h.remove()
    assert layer._module_hooks.forward == [] and layer._module_hooks.backward == [] and x._backward_hooks == []


def test_every_node_is_a_torch_autograd_graph_node() -> None:
    x = tg.ones(3, requires_grad=True)
    loss = F.cross_entropy(x.reshape(1, 3), tg.tensor([1]))
    stage = loss.grad_fn.next_functions[0][0]
    accumulator = (x * 2).grad_fn.next_functions[0][0]
    for node in (loss.grad_fn, stage, accumulator):
        assert isinstance(node, tg.autograd.graph.Node)
    assert not isinstance(x, tg.autograd.graph.Node)


def test_a_custom_function_named_like_a_builtin_op_keeps_its_own_name() -> None:
    class Sum(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):  # noqa: ANN001, ANN205
            return x.sum()

        @staticmethod
        def backward(ctx, grad):  # noqa: ANN001, ANN205
            return grad * tg.ones(3)

    assert Sum.apply(tg.ones(3, requires_grad=True)).grad_fn.name() == "SumBackward"


def test_a_tensor_whose_grad_fn_was_looked_at_still_pickles_and_copies() -> None:
    import copy
    import pickle

    x = tg.ones(2, requires_grad=True)
    y = x * 3
    assert y.grad_fn.name() == "MulBackward0"
    for twin in (pickle.loads(pickle.dumps(y)), copy.deepcopy(y)):
        assert twin.grad_fn.name() == "MulBackward0" and twin.grad_fn is not y.grad_fn
        twin.sum().backward()
        assert twin.grad_fn.next_functions[0][0].variable.grad.tolist() == [3.0, 3.0]
