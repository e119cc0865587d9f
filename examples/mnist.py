"""Train the classic MNIST convolutional network with tinygrad_adam and NumPy only.

    python examples/mnist.py                       # CNN, Adam, 2 epochs: >= 99.0% test accuracy
    python examples/mnist.py --model mlp --epochs 2
    python examples/mnist.py --dataset digits      # scikit-learn's 8x8 digits, offline, seconds
    python examples/mnist.py --save ckpt.npz --plot curves.png
    python examples/mnist.py --resume ckpt.npz --epochs 6
    mpiexec -n 2 python -m mpi4py examples/mnist.py   # data-parallel: the same model, two processes

The model is PyTorch's tutorial network (`build_model` in common.py, the code the examples share),
trained with Adam (peak lr 3e-3, batch 64) under a cosine learning-rate decay to zero over the run.

Ctrl-C stops after the current step; with --save it first writes a checkpoint of exactly that
point, and --resume continues it to the same numbers as a run that was never interrupted: the
order of the images in an epoch is a pure function of (seed, epoch), so a resumed run skips the
steps already done. Under mpiexec every rank computes on its share of each global batch and
DistributedDataParallel averages the gradients, so the steps are those of one process; only
rank 0 prints and writes files.
"""

from __future__ import annotations

import tinygrad_adam as tg  # isort: skip  (before NumPy: it sets OpenBLAS's workers to sleep, see tinygrad_adam/_platform/threads.py)
import argparse
import math
import os
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from common import MODELS, build_model, evaluate, load_data, plot_training_curves
from sklearn.metrics import confusion_matrix
from tqdm import tqdm

import tinygrad_adam.distributed as dist
from tinygrad_adam import nn, optim
from tinygrad_adam.cli import check_at_least, run_cli
from tinygrad_adam.extras import require
from tinygrad_adam.nn import functional as F

PAUSE_ENV = "MNIST_EXAMPLE_PAUSE_AT"  # "EPOCH:STEP": wait there for Ctrl-C (lets tests interrupt at a known step)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    # The training recipe: its defaults live here and nowhere else.
    p.add_argument("--epochs", type=int, default=2, help="total epochs of the run (default 2)")
    p.add_argument("--batch-size", type=int, default=64, help="images per step, over all ranks of an MPI job")
    p.add_argument("--lr", type=float, default=3e-3, help="Adam's peak learning rate (default 3e-3)")
    p.add_argument("--schedule", choices=["cosine", "constant"], default="cosine",
                   help="learning-rate schedule over the whole run (default cosine decay to 0)")
    p.add_argument("--model", choices=MODELS, default="cnn")
    p.add_argument("--dataset", choices=["mnist", "digits"], default="mnist")
    p.add_argument("--data-dir", default=None, help="an existing folder holding (or to download) the four MNIST files; "
                   "without it they are searched for, or downloaded, as README's Data section says")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--limit-train", type=int, default=None, metavar="N", help="train on the first N images only")
    p.add_argument("--limit-test", type=int, default=None, metavar="N", help="test on the first N images only")
    p.add_argument("--save", default=None, metavar="PATH",
                   help="checkpoint after every epoch and on Ctrl-C (model, optimizer, schedule, position)")
    p.add_argument("--resume", default=None, metavar="PATH", help="continue the run saved in this checkpoint")
    p.add_argument("--plot", default=None, metavar="PATH", help="write loss and accuracy curves as a PNG")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="progress bars on stderr (default: only when stderr is a terminal)")
    args = p.parse_args(argv)
    if args.progress is None:
        args.progress = sys.stderr.isatty()
    check_at_least(args, 1, "epochs", "batch_size", "limit_train", "limit_test")
    if not (math.isfinite(args.lr) and args.lr > 0):
        raise ValueError(f"--lr must be a positive finite number, got {args.lr}")
    if args.resume and not Path(args.resume).is_file():
        raise FileNotFoundError(f"--resume {args.resume}: no such file")
    if args.data_dir is not None and not Path(args.data_dir).is_dir():
        raise FileNotFoundError(f"--data-dir {args.data_dir}: no such folder (create it, or leave --data-dir out "
                                "to search the usual places)")
    for flag, path in (("--save", args.save), ("--plot", args.plot)):
        if path is not None and not Path(path).resolve().parent.is_dir():
            raise FileNotFoundError(f"{flag} {path}: the folder {Path(path).parent} does not exist")
    if args.plot:
        require("plot", "--plot")
    if dist.launcher_world_size() is not None:
        require("distributed", "running under mpiexec")
    return args


def init_distributed() -> tuple[int, int]:
    """(rank, world size): the MPI job's when a launcher (mpiexec) started this script, else (0, 1)."""
    if dist.launcher_world_size() is None:
        return 0, 1
    if not dist.is_initialized():
        dist.init_process_group("mpi")
    return dist.get_rank(), dist.get_world_size()


def epoch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    """The order of the n training images in `epoch`: the same for every rank and for a resumed run."""
    return np.random.default_rng(seed * 1000 + epoch).permutation(n)


class CtrlC:
    """Within `with CtrlC() as ctrl_c:`, a first Ctrl-C sets `ctrl_c.pressed` (the loop stops after the
    current step, leaving a consistent state to save); a second one interrupts at once."""

    pressed = False

    def __enter__(self) -> CtrlC:
        self.previous = signal.signal(signal.SIGINT, self.press)
        return self

    def press(self, signum: int, frame: Any) -> None:
        self.pressed = True
        signal.signal(signal.SIGINT, signal.default_int_handler)

    def __exit__(self, *exc: object) -> None:
        signal.signal(signal.SIGINT, self.previous)


def train_one_epoch(model: nn.Module, optimizer: optim.Optimizer, scheduler: Any, x: np.ndarray, y: np.ndarray,
                    batch_size: int, epoch: int, seed: int, first_step: int, loss_sum: float, ctrl_c: CtrlC,
                    rank: int, world: int, progress: bool) -> tuple[float, int]:
    """Steps `first_step`, ... of the epoch: returns (the images' summed loss, over all ranks, and the steps
    done), early on Ctrl-C.

    Each rank computes on its share of every global batch. Its loss is the sum over the share times
    world / batch: DDP averages the gradients over the ranks, which gives the gradient of the mean
    loss over the whole global batch (in one process: just the batch's mean).
    """
    model.train()
    order = epoch_order(len(x), seed, epoch)
    batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
    pause_at = os.environ.get(PAUSE_ENV)
    seen = min(first_step * batch_size, len(x))
    bar = tqdm(range(first_step, len(batches)), desc=f"epoch {epoch}", unit="batch", initial=first_step,
               total=len(batches), disable=not progress or rank != 0, leave=False, file=sys.stderr)
    for step in bar:
        rows = batches[step]
        mine = rows[rank::world]
        loss = F.cross_entropy(model(tg.Tensor(x[mine])), y[mine], reduction="sum")
        optimizer.zero_grad()
        (loss * (world / len(rows))).backward()
        optimizer.step()
        scheduler.step()
        if pause_at == f"{epoch}:{step + 1}":
            if rank == 0:
                print(f"paused after epoch {epoch} step {step + 1}", flush=True)
            while not ctrl_c.pressed:
                time.sleep(0.01)
        totals = np.array([loss.item(), ctrl_c.pressed])
        if world > 1:
            dist.all_reduce(totals)  # the global batch's loss; whether Ctrl-C reached any rank
        if not math.isfinite(totals[0]):
            if rank == 0:
                print(f"error: the loss became {totals[0]} in epoch {epoch} at step {step + 1}: lower the "
                      "learning rate (--lr) or find the op with tinygrad_adam.autograd.detect_anomaly()",
                      file=sys.stderr)
            raise SystemExit(1)
        loss_sum += totals[0]
        seen += len(rows)
        bar.set_postfix(loss=f"{loss_sum / seen:.4f}", refresh=False)
        if totals[1]:
            return loss_sum, step + 1
    return loss_sum, len(batches)


def evaluate_all(model: nn.Module, x: np.ndarray, y: np.ndarray, rank: int, world: int
                 ) -> tuple[float, float, np.ndarray]:
    """Test loss, accuracy and confusion matrix over all of x; each rank evaluates its slice, then they add up."""
    share = np.array_split(np.arange(len(x)), world)[rank]
    totals = np.zeros(1 + 10 * 10)
    if len(share):
        mean_loss, _, predicted = evaluate(model, x[share], y[share])
        totals[0] = mean_loss * len(share)
        totals[1:] = confusion_matrix(y[share], predicted, labels=np.arange(10)).ravel()
    if world > 1:
        dist.all_reduce(totals)
    confusion = totals[1:].reshape(10, 10).astype(np.int64)
    return totals[0] / len(x), np.trace(confusion) / len(x), confusion


def read_checkpoint(path: str, model: nn.Module, optimizer: optim.Optimizer, scheduler: Any,
                    args: argparse.Namespace, train_size: int) -> dict[str, Any]:
    """Load a checkpoint of this script into model, optimizer and scheduler; return its position and history."""
    checkpoint = tg.load(path)
    missing = [k for k in ("model", "optimizer", "scheduler", "epoch", "history") if k not in checkpoint] \
        if isinstance(checkpoint, dict) else ["everything"]
    if missing:
        raise ValueError(f"{path}: not a checkpoint of examples/mnist.py (it lacks {', '.join(missing)})")
    try:
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        scheduler.load_state_dict(checkpoint["scheduler"])
    except (RuntimeError, KeyError, ValueError) as e:
        raise ValueError(f"{path} does not fit --model {args.model}: {str(e).splitlines()[0]}") from None
    step = int(checkpoint.get("step", 0))
    stopped_with = (int(checkpoint.get("batch_size", args.batch_size)), int(checkpoint.get("seed", args.seed)),
                    int(checkpoint.get("train_size", train_size)))
    if step and stopped_with != (args.batch_size, args.seed, train_size):
        raise ValueError(f"{path} stopped in the middle of an epoch with --batch-size {stopped_with[0]} --seed "
                         f"{stopped_with[1]} on {stopped_with[2]} images; resume it with the same")
    return {"epoch": int(checkpoint["epoch"]), "step": step,
            "epoch_loss_sum": float(checkpoint.get("epoch_loss_sum", 0.0)),
            "history": {k: list(np.atleast_1d(v).astype(float)) for k, v in checkpoint["history"].items()}}


def resume_command(argv: list[str] | None, checkpoint: str, world: int = 1) -> str:
    """The command that continues this run from `checkpoint`: this one as it was typed (interpreter and all,
    from sys.orig_argv), run from this folder, with `--resume checkpoint` in place of any --resume."""
    if argv is None:
        args, typed = sys.argv[1:], sys.orig_argv
        split = len(typed) - len(args)
        launch = typed[:split] if split > 0 and typed[split:] == args else [sys.executable, sys.argv[0]]
    else:
        args, launch = list(argv), [sys.executable, __file__]
    if world > 1:
        launch = ["mpiexec", "-n", str(world), *launch]
    for i, arg in enumerate(args):
        if arg == "--resume":
            del args[i:i + 2]
            break
        if arg.startswith("--resume="):
            del args[i]
            break
    return f"cd {shlex.quote(os.getcwd())} && {shlex.join([*launch, *args, '--resume', checkpoint])}"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    rank, world = init_distributed()
    log = print if rank == 0 else (lambda *a, **k: None)
    if rank != 0:
        dist.barrier()  # rank 0 downloads MNIST (if it must) before the others look for it
    x_train, y_train, x_test, y_test = load_data(args.dataset, args.data_dir, args.limit_train, args.limit_test,
                                                 args.progress and rank == 0)
    if rank == 0 and world > 1:
        dist.barrier()

    tg.manual_seed(args.seed)
    net = build_model(args.model, x_train.shape[-1])
    optimizer = optim.Adam(net.parameters(), lr=args.lr)
    steps_per_epoch = math.ceil(len(x_train) / args.batch_size)
    if args.schedule == "cosine":
        scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * steps_per_epoch)
    else:
        scheduler = optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    history: dict[str, list[float]] = {"train_loss": [], "test_loss": [], "test_accuracy": [], "seconds": []}
    done, first_step, epoch_loss_sum = 0, 0, 0.0  # epochs done, steps done in the next, its summed loss
    if args.resume:
        position = read_checkpoint(args.resume, net, optimizer, scheduler, args, len(x_train))
        done, first_step, history = position["epoch"], position["step"], position["history"]
        epoch_loss_sum = position["epoch_loss_sum"]
        log(f"resumed {args.resume} after epoch {done}" + (f", step {first_step}" if first_step else ""))
    model = nn.parallel.DistributedDataParallel(net) if world > 1 else net

    def save(step: int, loss_sum: float) -> None:
        if args.save and rank == 0:
            tg.save({"model": net.state_dict(), "optimizer": optimizer.state_dict(),
                     "scheduler": scheduler.state_dict(), "epoch": done, "step": step, "epoch_loss_sum": loss_sum,
                     "batch_size": args.batch_size, "seed": args.seed, "train_size": len(x_train),
                     "history": {k: np.array(v) for k, v in history.items()}}, args.save)

    log(f"{args.model} on {args.dataset}: {len(x_train)} train / {len(x_test)} test images, "
        f"{sum(p.numel() for p in net.parameters()):,} parameters" + (f", {world} ranks" if world > 1 else ""))
    confusion = None
    with CtrlC() as ctrl_c, np.errstate(over="ignore", invalid="ignore"):  # a non-finite loss stops the run
        for epoch in range(done + 1, args.epochs + 1):
            start = time.perf_counter()
            loss_sum, steps = train_one_epoch(model, optimizer, scheduler, x_train, y_train, args.batch_size, epoch,
                                              args.seed, first_step, epoch_loss_sum, ctrl_c, rank, world,
                                              args.progress)
            if steps < steps_per_epoch:
                save(steps, loss_sum)
                if world > 1:
                    dist.barrier()  # the checkpoint is written before any rank exits
                where = f"in epoch {epoch} after step {steps} of {steps_per_epoch}"
                if args.save and rank == 0:
                    print(f"interrupted {where}; saved {args.save}. Resume with:\n"
                          f"  {resume_command(argv, args.save, world)}", file=sys.stderr)
                elif rank == 0:
                    print(f"interrupted {where}; nothing saved (--save PATH keeps a run to resume)",
                          file=sys.stderr)
                raise SystemExit(130)
            train_loss = loss_sum / len(x_train)
            first_step, epoch_loss_sum, done = 0, 0.0, epoch
            seconds = time.perf_counter() - start
            test_loss, accuracy, confusion = evaluate_all(net, x_test, y_test, rank, world)
            for key, value in zip(history, (train_loss, test_loss, accuracy, seconds), strict=True):
                history[key].append(value)
            log(f"epoch {epoch}: train loss {train_loss:.4f}  test loss {test_loss:.4f}  "
                f"test accuracy {100 * accuracy:.2f}%  {seconds:.1f} s")
            save(0, 0.0)

    if confusion is None:
        log(f"nothing to do: the checkpoint already holds {done} epochs")
        test_loss, accuracy, confusion = evaluate_all(net, x_test, y_test, rank, world)
    log("confusion matrix (rows: true digit, columns: predicted):")
    log(confusion)
    if args.save:
        log(f"checkpoint: {Path(args.save).resolve()}")
    if args.plot and rank == 0:
        plot_training_curves(history, args.plot, title=f"{args.model} on {args.dataset}")
        log(f"plot: {Path(args.plot).resolve()}")
    log(f"final: train loss {history['train_loss'][-1]:.4f}  test loss {history['test_loss'][-1]:.4f}  "
        f"test accuracy {100 * history['test_accuracy'][-1]:.2f}%")
    return {"accuracy": accuracy, "history": history, "model": net, "optimizer": optimizer}


if __name__ == "__main__":
    run_cli(main)
