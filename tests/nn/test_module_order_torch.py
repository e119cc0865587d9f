"""Parameters, buffers and sub-modules come in PyTorch's order: a module's own parameters, then its own
buffers, then each sub-module's, whatever order the attributes were set in (state_dict keys, the
optimizer's parameter order and named_modules all follow it)."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

import tinygrad_adam
from tinygrad_adam import nn

torch = pytest.importorskip("torch")


def mixed(lib: ModuleType, tnn: ModuleType) -> Any:
    class Block(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.register_buffer("mask", lib.ones(3))
            self.norm = tnn.BatchNorm1d(3)
            self.scale = tnn.Parameter(lib.ones(3))
            self.register_buffer("cache", lib.zeros(2), persistent=False)
            self.register_buffer("step", lib.zeros(1))

    class Net(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embed = tnn.Embedding(5, 3)
            self.blocks = tnn.ModuleList([Block(), Block()])
            self.pos = tnn.Parameter(lib.zeros(4, 3))
            self.register_buffer("table", lib.arange(4))
            self.head = tnn.Sequential(tnn.Linear(3, 2), tnn.ReLU(), tnn.Linear(2, 2, bias=False))
            self.bias = tnn.Parameter(lib.zeros(2))
            self.tied = self.head[0]  # the same module under a second name

    return Net()


@pytest.mark.parametrize("method", ["state_dict", "named_parameters", "named_buffers", "named_modules"])
def test_names_come_in_pytorch_order(method: str) -> None:
    ours, theirs = mixed(tinygrad_adam, nn), mixed(torch, torch.nn)
    names = {
        "state_dict": lambda m: list(m.state_dict()),
        "named_parameters": lambda m: [n for n, _ in m.named_parameters()],
        "named_buffers": lambda m: [n for n, _ in m.named_buffers()],
        "named_modules": lambda m: [n for n, _ in m.named_modules()],
    }[method]
    assert names(ours) == names(theirs)


def test_parameters_order_matches_for_the_optimizer() -> None:
    ours, theirs = mixed(tinygrad_adam, nn), mixed(torch, torch.nn)
    assert [tuple(p.shape) for p in ours.parameters()] == [tuple(p.shape) for p in theirs.parameters()]
    assert len(list(ours.parameters())) == len(list(theirs.parameters()))


def test_state_dict_prints_as_torch() -> None:
    """An OrderedDict of PyTorch's values after the same seed: print(model.state_dict()) shows the same text."""
    tinygrad_adam.manual_seed(0)
    torch.manual_seed(0)
    ours, theirs = nn.Linear(3, 2), torch.nn.Linear(3, 2)
    assert type(ours.state_dict()) is type(theirs.state_dict())
    assert repr(ours.state_dict()) == repr(theirs.state_dict())
