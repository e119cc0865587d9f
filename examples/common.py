"""What the examples share: their models, the data, one training step, the evaluation, the curves.

A script's own folder is on Python's import path, so `python examples/mnist.py` imports this
module as `common` with nothing installed beyond tinygrad_adam itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import numpy as np

import tinygrad_adam as tg
import tinygrad_adam.nn
from tinygrad_adam import optim
from tinygrad_adam.data import load_digits_split, load_mnist, normalize_images
from tinygrad_adam.nn import functional as F

MODELS = ("cnn", "mlp")


def build_model(name: str, image_size: int = 28, nn: Any = tinygrad_adam.nn) -> Any:
    """The examples' networks, built from the layers of `nn`.

    "cnn" is PyTorch's tutorial network: two 5x5 convolutions (32 and 64 channels), each followed
    by ReLU and a 2x2 max-pool, then one linear layer to the 10 classes. On images too small for
    it (scikit-learn's 8x8 digits) it becomes 3x3 padded convolutions with one pool. "mlp" is
    784-256-10 with ReLU (for 28x28 images).

    `nn` is tinygrad_adam.nn, or torch.nn for PyTorch's twin of the same model: the layer names,
    their arguments and the state_dict keys are the same, so the weights load across.
    """
    if name == "cnn":
        side = ((image_size - 4) // 2 - 4) // 2  # two 5x5 valid convolutions, two 2x2 pools
        if side > 0:
            return nn.Sequential(
                nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
                nn.Flatten(), nn.Linear(64 * side * side, 10),
            )
        return nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * (image_size // 2) ** 2, 10),
        )
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(image_size * image_size, 256), nn.ReLU(), nn.Linear(256, 10))
    raise ValueError(f"unknown model {name!r}; choose one of {', '.join(MODELS)}")


def load_data(dataset: str = "mnist", data_dir: str | None = None, limit_train: int | None = None,
              limit_test: int | None = None, progress: bool = True
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Normalised (N, 1, H, W) float32 images and int64 labels: x_train, y_train, x_test, y_test.

    "mnist" finds (or downloads) the four MNIST files, in `data_dir` if given; "digits" is
    scikit-learn's bundled 8x8 digits, offline. `limit_*` keep the first N images of a split.
    """
    if dataset == "digits":
        x_train, y_train, x_test, y_test = load_digits_split(seed=0)
    else:
        x_train, y_train = load_mnist("train", root=data_dir, progress=progress)
        x_test, y_test = load_mnist("test", root=data_dir, progress=progress)
    if limit_train:
        x_train, y_train = x_train[:limit_train], y_train[:limit_train]
    if limit_test:
        x_test, y_test = x_test[:limit_test], y_test[:limit_test]
    return normalize_images(x_train), y_train.astype(np.int64), normalize_images(x_test), y_test.astype(np.int64)


def train_step(model: tinygrad_adam.nn.Module, optimizer: optim.Optimizer, images: np.ndarray,
               labels: np.ndarray) -> float:
    """One step of training: forward, cross-entropy, backward, update. Returns the batch's mean loss."""
    loss = F.cross_entropy(model(tg.Tensor(images)), labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@tg.no_grad()
def evaluate(model: tinygrad_adam.nn.Module, images: np.ndarray, labels: np.ndarray, batch_size: int = 1000
             ) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy and predictions, in batches, in eval mode, recording no graph."""
    model.eval()
    total_loss, predictions = 0.0, []
    for start in range(0, len(images), batch_size):
        logits = model(tg.Tensor(images[start:start + batch_size]))
        target = labels[start:start + batch_size]
        total_loss += F.cross_entropy(logits, target, reduction="sum").item()
        predictions.append(logits.argmax(axis=1))
    predicted = np.concatenate(predictions)
    return total_loss / len(images), float(np.mean(predicted == labels)), predicted


def plot_training_curves(history: Mapping[str, Any], path: str | os.PathLike[str], title: str | None = None) -> None:
    """Loss (train and test) and test accuracy per epoch, side by side, saved as a PNG (needs matplotlib).

    `history` holds equally long sequences under "train_loss", "test_loss" and "test_accuracy" (a fraction).
    """
    from tinygrad_adam.playground.plot import PATH_COLORS, save_figure, subplots

    fig, (loss_ax, acc_ax) = subplots(1, 2, figsize=(10.0, 4.0))
    epochs = np.arange(1, len(history["train_loss"]) + 1)
    loss_ax.plot(epochs, history["train_loss"], "o-", label="train", color=PATH_COLORS[0])
    loss_ax.plot(epochs, history["test_loss"], "s-", label="test", color=PATH_COLORS[1])
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("cross-entropy loss")
    loss_ax.set_yscale("log")
    loss_ax.legend()
    acc_ax.plot(epochs, 100 * np.asarray(history["test_accuracy"], dtype=float), "o-", color=PATH_COLORS[2])
    acc_ax.set_xlabel("epoch")
    acc_ax.set_ylabel("test accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.grid(True, alpha=0.3)
        ax.set_xticks(epochs)
    if title is not None:
        fig.suptitle(title)
    save_figure(fig, path)
