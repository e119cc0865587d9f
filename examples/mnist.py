"""Train the classic MNIST convolutional network with tinygrad_adam and NumPy only.

    python examples/mnist.py                       # CNN, Adam, 4 epochs: >= 99.0% test accuracy
    python examples/mnist.py --model mlp --epochs 2
    python examples/mnist.py --dataset digits      # scikit-learn's 8x8 digits, offline, seconds
    python examples/mnist.py --save ckpt.npz --plot curves.png
    python examples/mnist.py --resume ckpt.npz --epochs 6

The model is PyTorch's tutorial network (`build_model` in common.py, the code the examples share),
trained with Adam (lr 1e-3, batch 64) under a cosine learning-rate decay to zero over the run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import MODELS, build_model, evaluate, load_data, plot_training_curves, train_step
from sklearn.metrics import confusion_matrix
from tqdm import tqdm

import tinygrad_adam as tg
from tinygrad_adam import nn, optim
from tinygrad_adam.data import DatasetNotFoundError
from tinygrad_adam.utils.data import DataLoader, TensorDataset


def train_one_epoch(model: nn.Module, optimizer: optim.Optimizer, scheduler: Any, loader: DataLoader,
                    epoch: int, progress: bool) -> float:
    model.train()
    running, seen = 0.0, 0
    bar = tqdm(loader, desc=f"epoch {epoch}", unit="batch", disable=not progress, leave=False, file=sys.stdout)
    for images, labels in bar:
        loss = train_step(model, optimizer, images, labels)
        scheduler.step()
        running += loss * len(labels)
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
    p.add_argument("--model", choices=MODELS, default="cnn")
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
        x_train, y_train, x_test, y_test = load_data(args.dataset, args.data_dir, args.limit_train, args.limit_test,
                                                     args.progress)
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
        plot_training_curves(history, args.plot, title=f"{args.model} on {args.dataset}")
        print(f"plot: {Path(args.plot).resolve()}")
    return {"accuracy": accuracy, "history": history, "model": model, "optimizer": optimizer}


if __name__ == "__main__":
    main()
