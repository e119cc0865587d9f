"""Module: discovery of parameters and buffers, modes, gradients, state_dict, repr."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam.nn as nn
from tinygrad_adam import Tensor


class Block(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(3, 2, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.act(self.fc1(x)))


class Containers(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(np.ones(1, dtype=np.float32))
        self.layers = [nn.Linear(2, 2), nn.Linear(2, 1)]
        self.pair = (nn.Linear(1, 1), [nn.Parameter(np.zeros(2, dtype=np.float32))])
        self.heads = {"a": nn.Linear(1, 2), "b": nn.Linear(1, 3)}
        self.plain_tensor = Tensor(np.ones(3), requires_grad=True)  # not a Parameter: not listed
        self.norm = nn.BatchNorm1d(2)


def test_named_parameters_walk_attributes_in_definition_order() -> None:
    """A module's own parameters first (those in plain containers too), then each sub-module's, in order."""
    names = [name for name, _ in Containers().named_parameters()]
    assert names == [
        "scale", "pair.1.0", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
        "pair.0.weight", "pair.0.bias", "heads.a.weight", "heads.a.bias", "heads.b.weight",
        "heads.b.bias", "norm.weight", "norm.bias",
    ]
    model = Containers()
    assert [p for _, p in model.named_parameters()] == list(model.parameters())
    assert all(isinstance(p, nn.Parameter) and p.requires_grad for p in model.parameters())


def test_nested_module_names_and_sequential_indices() -> None:
    assert [n for n, _ in Block().named_parameters()] == ["fc1.weight", "fc1.bias", "fc2.weight"]
    seq = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1)))
    assert [n for n, _ in seq.named_parameters()] == ["0.weight", "0.bias", "2.0.weight", "2.0.bias",
                                                      "2.1.weight", "2.1.bias"]
    assert [n for n, _ in seq.named_modules()] == ["", "0", "1", "2", "2.0", "2.1"]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"]


def test_sequential_forward_indexing_and_ordered_dict_names() -> None:
    from collections import OrderedDict

    first, second = nn.Linear(3, 2), nn.Linear(2, 1)
    seq = nn.Sequential(first, nn.ReLU(), second)
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_allclose(seq(x).array, second(first(x).relu()).array)
    assert len(seq) == 3 and seq[0] is first and seq[-1] is second
    assert isinstance(seq[1:], nn.Sequential) and len(seq[1:]) == 2
    named = nn.Sequential(OrderedDict([("conv", nn.Conv2d(1, 2, 3)), ("act", nn.ReLU())]))
    assert list(named.state_dict()) == ["conv.weight", "conv.bias"]
    with pytest.raises(TypeError, match="not a Module"):
        nn.Sequential(nn.ReLU(), "relu")


def test_module_list_names_and_indexing() -> None:
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    layers.append(nn.Linear(2, 1))
    assert len(layers) == 4 and layers[3].out_features == 1
    assert [n for n, _ in layers.named_parameters()][-2:] == ["3.weight", "3.bias"]


def test_shared_parameters_listed_once_and_cycles_terminate() -> None:
    shared = nn.Linear(2, 2)
    model = nn.Sequential(shared, shared)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]  # as PyTorch

    parent = Block()
    parent.child = Block()
    parent.child.parent = parent  # a cycle
    assert len(list(parent.parameters())) == 6


def test_buffers_are_state_but_not_parameters() -> None:
    norm = nn.BatchNorm2d(3)
    assert [n for n, _ in norm.named_parameters()] == ["weight", "bias"]
    assert [n for n, _ in norm.named_buffers()] == ["running_mean", "running_var", "num_batches_tracked"]
    assert list(norm.state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]

    class WithScratch(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("table", np.arange(3.0))
            self.register_buffer("scratch", np.zeros(2), persistent=False)
            self.register_buffer("missing", None)

    m = WithScratch()
    assert list(m.state_dict()) == ["table"]
    assert [n for n, _ in m.named_buffers()] == ["table", "scratch"]


def test_unknown_attribute_raises_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = Block().fc3


def test_train_eval_propagate_recursively() -> None:
    model = nn.Sequential(Block(), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(2)))
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    assert model[2][0].training is False
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_sets_to_none_or_zeros() -> None:
    model = Block()
    model.fc1.bias.array[:] = 3.0  # every hidden unit active (|fc1.weight| <= 0.5), so every gradient is nonzero
    model(Tensor(np.ones((2, 4), dtype=np.float32))).sum().backward()
    assert all(p.grad is not None and np.abs(p.grad.array).sum() > 0 for p in model.parameters())
    model.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.array.any() for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_state_dict_round_trip_keys_values_and_copies() -> None:
    source, target = Block(), Block()
    state = source.state_dict()
    assert list(state) == ["fc1.weight", "fc1.bias", "fc2.weight"]
    np.testing.assert_array_equal(state["fc1.weight"], source.fc1.weight.array)
    state["fc1.weight"][...] = 7  # a copy: the model is unchanged
    assert not np.any(source.fc1.weight.array == 7)
    result = target.load_state_dict(source.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (name, p), (_, q) in zip(source.named_parameters(), target.named_parameters(), strict=True):
        np.testing.assert_array_equal(p.array, q.array, err_msg=name)
    x = Tensor(np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32))
    np.testing.assert_array_equal(source(x).array, target(x).array)


def test_load_state_dict_copies_into_existing_arrays_and_dtypes() -> None:
    model = nn.BatchNorm1d(2)
    weight_array = model.weight.array
    model.load_state_dict({"weight": np.array([2.0, 3.0]), "bias": np.array([1, 2]),
                           "running_mean": Tensor(np.array([0.5, 0.25])), "running_var": np.array([4.0, 9.0]),
                           "num_batches_tracked": np.array(5)})
    assert model.weight.array is weight_array and model.weight.dtype == np.float32
    np.testing.assert_array_equal(model.weight.array, [2.0, 3.0])
    np.testing.assert_array_equal(model.running_var, [4.0, 9.0])
    assert model.running_mean.dtype == np.float32 and int(model.num_batches_tracked) == 5
    assert model.num_batches_tracked.dtype == np.int64


def test_strict_load_names_missing_unexpected_and_mismatched_keys() -> None:
    model = Block()
    state = model.state_dict()
    del state["fc1.bias"]
    state["fc3.weight"] = np.zeros(1)
    state["fc2.weight"] = np.zeros((5, 5))
    before = model.fc2.weight.array.copy()
    with pytest.raises(RuntimeError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert 'Missing key(s) in state_dict: "fc1.bias"' in message
    assert 'Unexpected key(s) in state_dict: "fc3.weight"' in message
    assert "size mismatch for fc2.weight" in message and "(5, 5)" in message and "(2, 3)" in message
    np.testing.assert_array_equal(model.fc2.weight.array, before)  # nothing was loaded


def test_non_strict_load_reports_keys_but_still_rejects_shape_mismatch() -> None:
    model = Block()
    partial = {"fc1.weight": np.full((3, 4), 0.5), "extra": np.zeros(2)}
    result = model.load_state_dict(partial, strict=False)
    assert result.missing_keys == ["fc1.bias", "fc2.weight"] and result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(model.fc1.weight.array, np.full((3, 4), 0.5))
    with pytest.raises(RuntimeError, match="size mismatch for fc1.weight"):
        model.load_state_dict({"fc1.weight": np.zeros((4, 3))}, strict=False)


def test_repr_matches_pytorch_layout() -> None:
    model = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1024, 10))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1))\n"
        "  (1): ReLU()\n"
        "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)\n"
        "  (3): Flatten(start_dim=1, end_dim=-1)\n"
        "  (4): Linear(in_features=1024, out_features=10, bias=True)\n"
        ")"
    )
    assert repr(Block()) == (
        "Block(\n"
        "  (fc1): Linear(in_features=4, out_features=3, bias=True)\n"
        "  (act): ReLU()\n"
        "  (fc2): Linear(in_features=3, out_features=2, bias=False)\n"
        ")"
    )
    nested = nn.Sequential(nn.Sequential(nn.BatchNorm2d(3)))
    assert repr(nested) == (
        "Sequential(\n"
        "  (0): Sequential(\n"
        "    (0): BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)\n"
        "  )\n"
        ")"
    )
    assert repr(nn.Conv2d(3, 8, (3, 2), stride=2, padding=1, bias=False)) == (
        "Conv2d(3, 8, kernel_size=(3, 2), stride=(2, 2), padding=(1, 1), bias=False)")


def test_parameter_defaults() -> None:
    p = nn.Parameter([1.0, 2.0])
    assert p.requires_grad and p.dtype == np.float32 and p.is_leaf
    assert nn.Parameter(np.zeros(2)).dtype == np.float64  # arrays keep their dtype, as Tensor
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad
    assert repr(p).startswith("Parameter containing:\ntensor(")


def test_to_double_casts_parameters_and_float_buffers() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)).double()
    assert all(p.dtype == np.float64 for p in model.parameters())
    assert model[1].running_mean.dtype == np.float64 and model[1].num_batches_tracked.dtype == np.int64
    out = model(Tensor(np.ones((3, 2))))
    assert out.dtype == np.float64


def test_apply_visits_children_in_order_each_before_its_parent() -> None:
    """PyTorch's order (post-order, children in registration order): a custom init that draws random numbers,
    as the GPT lecture's `self.apply(self._init_weights)`, then draws them for the same modules."""
    visited: list[str] = []
    model = nn.Sequential(nn.Linear(1, 1), nn.Sequential(nn.ReLU()), nn.Tanh())
    model.apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "ReLU", "Sequential", "Tanh", "Sequential"]
    shared = nn.Linear(1, 1)
    visited.clear()
    nn.Sequential(shared, nn.Sequential(shared)).apply(lambda m: visited.append(type(m).__name__))
    assert visited == ["Linear", "Linear", "Sequential", "Sequential"]


def test_subclass_forgetting_super_init_still_has_training_flag() -> None:
    class Lazy(nn.Module):
        def __init__(self) -> None:
            self.fc = nn.Linear(1, 1)

    m = Lazy()
    assert m.training is True
    m.eval()
    assert m.training is False and m.fc.training is False


def test_module_without_forward_raises() -> None:
    with pytest.raises(NotImplementedError, match="must define forward"):
        nn.Module()(1)


class _Device:
    """Stands in for a torch.device-like object: only `.type` is read."""

    def __init__(self, type: str):
        self.type = type


def test_to_accepts_cpu_devices_and_leaves_the_arrays_alone() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = model[0].weight.array
    for device in ("cpu", "cpu:0", _Device("cpu")):
        assert model.to(device) is model and model.to(device=device) is model
    assert model.cpu() is model
    assert model[0].weight.array is weight and weight.dtype == np.float32  # nothing copied or cast


def test_to_dtype_forms_cast_float_parameters_and_buffers() -> None:
    model = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    assert model.to(np.float64) is model
    assert model[0].weight.dtype == np.float64 and model[1].running_var.dtype == np.float64
    model.to("cpu", np.float32)
    assert model[0].weight.dtype == np.float32 and model[1].running_mean.dtype == np.float32
    model.to(device="cpu", dtype=np.float64)
    assert model[1].weight.dtype == np.float64 and model[1].num_batches_tracked.dtype == np.int64
    model.to(Tensor(np.zeros(1, dtype=np.float32)))  # to(tensor): that tensor's dtype
    assert all(p.dtype == np.float32 for p in model.parameters())
    assert model(Tensor(np.ones((3, 2), dtype=np.float32))).dtype == np.float32


def test_to_another_device_or_an_integer_dtype_is_a_clear_error() -> None:
    model = nn.Linear(2, 2)
    for device in ("cuda", "cuda:1", "mps", _Device("cuda"), 0):
        with pytest.raises(RuntimeError, match=r"Module.to: device '.*' is not available: .* runs on the CPU only"):
            model.to(device)
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        model.cuda()
    with pytest.raises(RuntimeError, match="device 'cuda' is not available"):
        model.to("cuda", np.float64)
    assert model.weight.dtype == np.float32  # the failed call changed nothing
    with pytest.raises(TypeError, match="only accepts floating point dtypes, but got desired dtype=int64"):
        model.to(np.int64)
    with pytest.raises(RuntimeError, match="Linear: device 'cuda' is not available"):
        nn.Linear(2, 2, device="cuda")
    assert nn.Conv2d(1, 1, 1, device=_Device("cpu")).weight.dtype == np.float32
