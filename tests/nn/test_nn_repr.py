"""print(model) prints what PyTorch prints for the same model: literal strings, and torch's own repr."""

from __future__ import annotations

from collections import OrderedDict
from types import ModuleType
from typing import Any

import pytest

from tinygrad_adam import nn


def seed_cnn(lib: ModuleType) -> Any:
    """The tutorial CNN of issue 10, written once for either library."""

    class NeuralNetwork(lib.Module):
        def __init__(self, input_size: tuple[int, int, int], num_classes: int):
            super().__init__()
            self.layer1 = lib.Sequential(lib.Conv2d(input_size[0], 32, kernel_size=5), lib.ReLU(),
                                         lib.MaxPool2d(kernel_size=2))
            self.layer2 = lib.Sequential(lib.Conv2d(32, 64, kernel_size=5), lib.ReLU(), lib.MaxPool2d(kernel_size=2))
            self.fc1 = lib.Linear(4 * 4 * 64, num_classes)

    return NeuralNetwork((1, 28, 28), 10)


def every_layer(lib: ModuleType) -> Any:
    return lib.Sequential(OrderedDict([
        ("same", lib.Conv2d(3, 8, 3, padding="same", bias=False)),
        ("valid", lib.Conv2d(8, 8, (3, 2), stride=2, padding="valid", dilation=2)),
        ("padded", lib.Conv2d(8, 4, 3, padding=(1, 2))),
        ("bn", lib.BatchNorm2d(4, momentum=None)),
        ("relu", lib.ReLU(inplace=True)),
        ("maxpool", lib.MaxPool2d(3, 2, 1)),
        ("avgpool", lib.AvgPool2d((3, 2), 1, 1)),
        ("drop", lib.Dropout(0.25)),
        ("flat", lib.Flatten()),
        ("fc", lib.Linear(16, 8, bias=False)),
        ("bn1d", lib.BatchNorm1d(8, eps=1e-3, affine=False, track_running_stats=False)),
        ("leaky", lib.LeakyReLU(0.2, inplace=True)),
        ("tanh", lib.Tanh()), ("sigmoid", lib.Sigmoid()), ("identity", lib.Identity()),
        ("softmax", lib.Softmax(dim=1)), ("log_softmax", lib.LogSoftmax(dim=-1)),
    ]))


def module_lists(lib: ModuleType) -> Any:
    class Stack(lib.Module):
        def __init__(self) -> None:
            super().__init__()
            self.blocks = lib.ModuleList([lib.Linear(4, 4) for _ in range(3)] + [lib.ReLU(), lib.Linear(4, 2)])
            self.empty = lib.ModuleList()
            self.pairs = lib.ModuleList([lib.Sequential(lib.Linear(2, 2), lib.ReLU()) for _ in range(2)])

    return Stack()


def losses(lib: ModuleType) -> list[Any]:
    return [lib.CrossEntropyLoss(), lib.CrossEntropyLoss(label_smoothing=0.1), lib.NLLLoss(),
            lib.MSELoss(reduction="sum")]


SEED_CNN = """NeuralNetwork(
  (layer1): Sequential(
    (0): Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1))
    (1): ReLU()
    (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  )
  (layer2): Sequential(
    (0): Conv2d(32, 64, kernel_size=(5, 5), stride=(1, 1))
    (1): ReLU()
    (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
  )
  (fc1): Linear(in_features=1024, out_features=10, bias=True)
)"""


def test_seed_cnn_prints_as_pytorch_prints_it() -> None:
    assert repr(seed_cnn(nn)) == SEED_CNN
    assert str(seed_cnn(nn)) == SEED_CNN  # print() uses str


@pytest.mark.parametrize(("layer", "expected"), [
    (nn.Dropout(), "Dropout(p=0.5, inplace=False)"),
    (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (nn.AvgPool2d(2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
    (nn.Conv2d(1, 32, 5), "Conv2d(1, 32, kernel_size=(5, 5), stride=(1, 1))"),
    (nn.Conv2d(3, 8, 3, padding="same"), "Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=same)"),
    (nn.Linear(1024, 10), "Linear(in_features=1024, out_features=10, bias=True)"),
    (nn.BatchNorm2d(32), "BatchNorm2d(32, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"),
    (nn.ReLU(), "ReLU()"),
    (nn.ReLU(inplace=True), "ReLU(inplace=True)"),
    (nn.LeakyReLU(0.2, True), "LeakyReLU(negative_slope=0.2, inplace=True)"),
    (nn.CrossEntropyLoss(), "CrossEntropyLoss()"),
    (nn.ModuleList(), "ModuleList()"),
])
def test_single_layers_print_as_pytorch_prints_them(layer: nn.Module, expected: str) -> None:
    assert repr(layer) == expected


def test_module_list_folds_repeated_modules() -> None:
    assert repr(nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])) == (
        "ModuleList(\n"
        "  (0-1): 2 x Linear(in_features=2, out_features=2, bias=True)\n"
        "  (2): ReLU()\n"
        "  (3): Linear(in_features=2, out_features=2, bias=True)\n"
        ")"
    )


@pytest.mark.parametrize("build", [seed_cnn, every_layer, module_lists])
def test_models_print_exactly_what_pytorch_prints(build: Any) -> None:
    torch = pytest.importorskip("torch")
    assert repr(build(nn)) == repr(build(torch.nn))


def test_losses_print_exactly_what_pytorch_prints() -> None:
    torch = pytest.importorskip("torch")
    assert [repr(m) for m in losses(nn)] == [repr(m) for m in losses(torch.nn)]
