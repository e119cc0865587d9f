"""The tutorial CNN program from issue 10 runs with only its imports changed, on a real MNIST subset.

SEED_PROGRAM is the program byte for byte after its two import lines; the imports are the
names handed to exec: `torch` is tinygrad_adam and `nn` is tinygrad_adam.nn. With torch
installed, 20 steps from the same initial weights and batches give PyTorch's losses.
"""

from __future__ import annotations

import os
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import tinygrad_adam
import tinygrad_adam.utils.data  # noqa: F401  (torch.utils.data in the program)
from tinygrad_adam.data import load_mnist

SEED_PROGRAM = '''
class NeuralNetwork(nn.Module):
    def __init__(self, input_size, num_classes):
        super(NeuralNetwork, self).__init__()
        self.layer1 = nn.Sequential(nn.Conv2d(input_size[0], 32, kernel_size=5), nn.ReLU(), nn.MaxPool2d(kernel_size=2))
        self.layer2 = nn.Sequential(nn.Conv2d(32, 64, kernel_size=5), nn.ReLU(), nn.MaxPool2d(kernel_size=2))
        self.fc1 = nn.Linear(4 * 4 * 64, num_classes)

    def forward(self, x):
        x = self.layer1(x)
        x = self.layer2(x)
        x = x.reshape(x.size(0), -1)
        x = self.fc1(x)
        return x

model = NeuralNetwork((1, 28, 28), 10)
optimizer = torch.optim.Adam(model.parameters(), 5e-4)
criterion = torch.nn.CrossEntropyLoss()
train_loader = torch.utils.data.DataLoader(dataset=train_dataset, batch_size=64, shuffle=True)
test_loader = torch.utils.data.DataLoader(dataset=test_dataset, batch_size=64, shuffle=True)
for i, (data, labels) in enumerate(train_loader):
    outputs = model(data)
    loss = criterion(outputs, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(loss.item())
for i, (data, labels) in enumerate(test_loader):
    outputs = model(data)
    _, predicted = torch.max(outputs.data, 1)
    loss = criterion(outputs, labels)
    print((predicted == labels).sum().item() / predicted.size(0))
'''

TRAIN_STEPS, TEST_BATCHES = 20, 4


@pytest.fixture(scope="module")
def datasets() -> tuple[list, list]:
    """Lists of (1x28x28 float32 array in [0, 1], int label), as torchvision's MNIST with ToTensor yields."""
    root = os.environ.get("TINYGRAD_ADAM_DATA")
    if not root:
        pytest.skip("set TINYGRAD_ADAM_DATA to the folder holding mnist/")

    def pairs(split: str, n: int) -> list[tuple[np.ndarray, int]]:
        images, labels = load_mnist(split, root=Path(root) / "mnist", download=False, progress=False)
        return [((images[i] / np.float32(255)).astype(np.float32)[None], int(labels[i])) for i in range(n)]

    return pairs("train", 64 * TRAIN_STEPS), pairs("test", 64 * TEST_BATCHES)


def run(torch: Any, nn: Any, train_dataset: list, test_dataset: list) -> list[float]:
    printed: list[float] = []
    exec(SEED_PROGRAM, {"torch": torch, "nn": nn, "train_dataset": train_dataset, "test_dataset": test_dataset,
                        "print": printed.append, "__name__": "seed_program"})
    return printed


def test_seed_program_trains_on_real_mnist(datasets) -> None:
    tinygrad_adam.manual_seed(0)
    printed = run(tinygrad_adam, tinygrad_adam.nn, *datasets)
    losses, accuracies = printed[:TRAIN_STEPS], printed[TRAIN_STEPS:]
    assert len(printed) == TRAIN_STEPS + TEST_BATCHES and all(isinstance(v, float) for v in printed)
    assert losses[0] > 2.0 and np.mean(losses[-5:]) < losses[0] - 0.25  # it learns (no silent no-op)
    assert all(0 <= a <= 1 for a in accuracies) and np.mean(accuracies) > 0.5


class _Proxy(types.SimpleNamespace):
    """A module with some attributes replaced: the rest are looked up in `real`."""

    def __init__(self, real: Any, **overrides: Any):
        super().__init__(**overrides)
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _instrumented(torch: Any, on_params: Any) -> _Proxy:
    """`torch` whose Adam first hands the parameters to on_params, and whose loaders keep dataset order."""
    def adam(params: Any, *args: Any, **kwargs: Any) -> Any:
        params = list(params)
        on_params(params)
        return torch.optim.Adam(params, *args, **kwargs)

    def loader(dataset: Any, batch_size: int, shuffle: bool) -> Any:
        return torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False)

    data = _Proxy(torch.utils.data, DataLoader=loader)
    return _Proxy(torch, optim=_Proxy(torch.optim, Adam=adam), utils=_Proxy(torch.utils, data=data))


def test_seed_program_matches_pytorch_for_20_steps(datasets) -> None:
    torch = pytest.importorskip("torch")
    initial: list[np.ndarray] = []
    ours = run(_instrumented(tinygrad_adam, lambda ps: initial.extend(p.detach().numpy().copy() for p in ps)),
               tinygrad_adam.nn, *datasets)

    def load_ours(params: list) -> None:
        assert [tuple(p.shape) for p in params] == [w.shape for w in initial]
        with torch.no_grad():
            for p, w in zip(params, initial, strict=True):
                p.copy_(torch.from_numpy(w))

    torch.manual_seed(0)
    theirs = run(_instrumented(torch, load_ours), torch.nn, *datasets)
    np.testing.assert_allclose(ours[:TRAIN_STEPS], theirs[:TRAIN_STEPS], rtol=1e-5)
    np.testing.assert_allclose(ours[TRAIN_STEPS:], theirs[TRAIN_STEPS:], atol=1 / 64 + 1e-9)


def test_seed_program_prints_pytorchs_numbers_after_the_same_seed(datasets) -> None:
    """No instrumentation: manual_seed(0) gives PyTorch's initial weights and PyTorch's shuffles (issue 23)."""
    torch = pytest.importorskip("torch")
    tinygrad_adam.manual_seed(0)
    ours = run(tinygrad_adam, tinygrad_adam.nn, *datasets)
    torch.manual_seed(0)
    theirs = run(torch, torch.nn, *datasets)
    np.testing.assert_allclose(ours[:TRAIN_STEPS], theirs[:TRAIN_STEPS], rtol=1e-4)
    np.testing.assert_allclose(ours[TRAIN_STEPS:], theirs[TRAIN_STEPS:], atol=1 / 64 + 1e-9)
