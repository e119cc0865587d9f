"""Train the classic MNIST convolutional network with tinygrad_adam and NumPy only.

    python examples/mnist.py                       # CNN, Adam, 4 epochs: >= 99.0% test accuracy
    python examples/mnist.py --model mlp --epochs 2
    python examples/mnist.py --dataset digits      # scikit-learn's 8x8 digits, offline, seconds
    python examples/mnist.py --save ckpt.npz --plot curves.png
    python examples/mnist.py --resume ckpt.npz --epochs 6

The model is PyTorch's tutorial network: Conv2d(1, 32, 5) -> ReLU -> MaxPool2d(2) ->
Conv2d(32, 64, 5) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(1024, 10), trained with
Adam (lr 1e-3, batch 64) under a cosine learning-rate decay to zero over the run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import confusion_matrix
from tqdm import tqdm

import tinygrad_adam as tg
from tinygrad_adam import nn, optim
from tinygrad_adam.data import DatasetNotFoundError, load_digits_split, load_mnist, normalize_images
from tinygrad_adam.nn import functional as F
from tinygrad_adam.utils.data import DataLoader, TensorDataset


def build_model(name: str, image_size: int) -> nn.Module:
    if name == "cnn":
        side = ((image_size - 4) // 2 - 4) // 2  # two 5x5 valid convolutions, two 2x2 pools
        return nn.Sequential(
            nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * side * side, 10),
        ) if side > 0 else _small_cnn(image_size)
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(image_size * image_size, 256), nn.ReLU(), nn.Linear(256, 10))
    raise ValueError(f"unknown model {name!r}; choose cnn or mlp")


def _small_cnn(image_size: int) -> nn.Module:
    """The same idea scaled to 8x8 digits: 3x3 convolutions with padding, one pool."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * (image_size // 2) ** 2, 10),
    )


def load_data(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    if args.dataset == "digits":
        x_train, y_train, x_test, y_test = load_digits_split(seed=0)
    else:
        x_train, y_train = load_mnist("train", root=args.data_dir, progress=args.progress)
        x_test, y_test = load_mnist("test", root=args.data_dir, progress=args.progress)
    if args.limit_train:
        x_train, y_train = x_train[: args.limit_train], y_train[: args.limit_train]
    if args.limit_test:
        x_test, y_test = x_test[: args.limit_test], y_test[: args.limit_test]
    return normalize_images(x_train), y_train.astype(np.int64), normalize_images(x_test), y_test.astype(np.int64)


@tg.no_grad()
def evaluate(model: nn.Module, images: np.ndarray, labels: np.ndarray, batch_size: int = 1000
             ) -> tuple[float, float, np.ndarray]:
    """Mean loss, accuracy and predictions, in batches, recording no graph."""
    model.eval()
    total_loss, predictions = 0.0, []
    for start in range(0, len(images), batch_size):
        logits = model(tg.Tensor(images[start:start + batch_size]))
        target = labels[start:start + batch_size]
        total_loss += F.cross_entropy(logits, target, reduction="sum").item()
        predictions.append(logits.argmax(axis=1))
    predicted = np.concatenate(predictions)
    return total_loss / len(images), float(np.mean(predicted == labels)), predicted


def train_one_epoch(model: nn.Module, optimizer: optim.Optimizer, scheduler: Any, loader: DataLoader,
                    epoch: int, progress: bool) -> float:
    model.train()
    running, seen = 0.0, 0
    bar = tqdm(loader, desc=f"epoch {epoch}", unit="batch", disable=not progress, leave=False, file=sys.stdout)
    for images, labels in bar:
        loss = F.cross_entropy(model(tg.Tensor(images)), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        running += loss.item() * len(labels)
        seen += len(labels)
        bar.set_postfix(loss=f"{running / seen:.4f}", refresh=False)
    return running / seen


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--epochs", type=int, default=4, help="total epochs of the run (default 4)")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's peak learning rate")
    p.add_argument("--schedule", choices=["cosine", "constant"], default="cosine",
                   help="learning-rate schedule over the whole run (default cosine decay to 0)")
    p.add_argument("--model", choices=["cnn", "mlp"], default="cnn")
    p.add_argument("--dataset", choices=["mnist", "digits"], default="mnist")
    p.add_argument("--data-dir", default=None, help="folder holding the four MNIST files (else searched/downloaded)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit-train", type=int, default=None, metavar="N", help="train on the first N images only")
    p.add_argument("--limit-test", type=int, default=None, metavar="N", help="test on the first N images only")
    p.add_argument("--save", default=None, metavar="PATH", help="checkpoint (model + optimizer) after every epoch")
    p.add_argument("--resume", default=None, metavar="PATH", help="continue the run saved in this checkpoint")
    p.add_argument("--plot", default=None, metavar="PATH", help="write loss and accuracy curves as a PNG")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bars")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    try:
        x_train, y_train, x_test, y_test = load_data(args)
    except DatasetNotFoundError as e:
        raise SystemExit(str(e)) from None

    tg.manual_seed(args.seed)
    model = build_model(args.model, x_train.shape[-1])
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    steps_per_epoch = len(DataLoader(TensorDataset(x_train, y_train), args.batch_size))
    if args.schedule == "cosine":
        scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * steps_per_epoch)
    else:
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    history: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "test_accuracy": [], "seconds": []}
    first_epoch = 1
    if args.resume:
        checkpoint = tg.load(args.resume)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
        history = {k: list(np.atleast_1d(v).astype(float)) for k, v in checkpoint["history"].items()}
        first_epoch = int(checkpoint["epoch"]) + 1
        print(f"resumed {args.resume} after epoch {first_epoch - 1}")

    print(f"{args.model} on {args.dataset}: {len(x_train)} train / {len(x_test)} test images, "
          f"{sum(p.numel() for p in model.parameters()):,} parameters")
    for epoch in range(first_epoch, args.epochs + 1):
        start = time.perf_counter()
        loader = DataLoader(TensorDataset(x_train, y_train), args.batch_size, shuffle=True,
                            generator=np.random.default_rng(args.seed * 1000 + epoch))
        train_loss = train_one_epoch(model, optimizer, scheduler, loader, epoch, args.progress)
        seconds = time.perf_counter() - start
        test_loss, accuracy, predicted = evaluate(model, x_test, y_test)
        for key, value in zip(history, (train_loss, test_loss, accuracy, seconds), strict=True):
            history[key].append(value)
        print(f"epoch {epoch}: train loss {train_loss:.4f}  test loss {test_loss:.4f}  "
              f"test accuracy {100 * accuracy:.2f}%  {seconds:.1f} s")
        if args.save:
            tg.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                     "scheduler": scheduler.state_dict(), "epoch": epoch,
                     "history": {k: np.array(v) for k, v in history.items()}}, args.save)

    if first_epoch > args.epochs:
        print(f"nothing to do: the checkpoint already holds {args.epochs} epochs")
        _, accuracy, predicted = evaluate(model, x_test, y_test)
    print("confusion matrix (rows: true digit, columns: predicted):")
    print(confusion_matrix(y_test, predicted, labels=np.arange(10)))
    if args.save:
        print(f"checkpoint: {Path(args.save).resolve()}")
    if args.plot:
        from tinygrad_adam.plot import plot_training_curves

        plot_training_curves(history, args.plot, title=f"{args.model} on {args.dataset}")
        print(f"plot: {Path(args.plot).resolve()}")
    return {"accuracy": accuracy, "history": history, "model": model, "optimizer": optimizer}


if __name__ == "__main__":
    main()
