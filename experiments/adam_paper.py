"""Reproduce the MNIST experiments of Kingma & Ba, "Adam: A Method for Stochastic Optimization" (ICLR 2015).

Figure 1 (left): L2-regularised multinomial logistic regression on the 784 raw pixels (scaled to [0, 1]),
minibatch 128, step size α_t = α/√t; Adam vs SGDNesterov vs AdaGrad. The paper reports that Adam converges
about as fast as SGD with Nesterov momentum and that both converge faster than AdaGrad.

Figure 2a: a multilayer network, 784-1000-1000-10 with ReLU and dropout, minibatch 128; Adam vs AdaGrad vs
RMSProp vs SGDNesterov vs AdaDelta. The paper reports that Adam converges faster than all of them.

    python experiments/adam_paper.py --figure 1 --out docs                 # the paper's 45 epochs
    python experiments/adam_paper.py --figure 2 --out docs                 # a reduced run (see DEFAULT_EPOCHS)
    python experiments/adam_paper.py --figure 2 --epochs 200               # the paper's length (hours on 2 cores)
    python experiments/adam_paper.py --figure 1 --search                   # redo the step-size grid search first
    python experiments/adam_paper.py --figure 2 --dataset digits --epochs 5   # scikit-learn's 8x8 digits, offline

Every optimizer starts from the same initial weights, sees the same minibatches in the same order and (in
Figure 2) the same dropout masks. What is recorded after every epoch, and plotted:

- Figure 1: the regularised cost mean NLL + (λ/2)·Σ‖W‖² (weights, not biases) on the full training set,
  evaluated after the epoch. The L2 penalty is part of the cost, so its gradient reaches every optimizer
  the same way (no optimizer weight_decay).
- Figure 2: the mean over the epoch's minibatches of the training cost the optimizer sees (cross-entropy
  with dropout active); a second panel shows the cost in eval mode (no dropout) on a fixed subset of the
  training set (the first 10,000 images).

Both columns are written to the CSV for both figures. The script writes into --out: img/paper_figN.png,
results/paper_figN.csv, results/paper_figN.md (and results/paper_figN_search.csv after --search), then
checks the orderings the paper reports and says where the reproduction agrees and where it does not.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

import tinygrad_adam as tg
from tinygrad_adam import nn
from tinygrad_adam.cli import run_cli
from tinygrad_adam.data import DatasetNotFoundError, load_digits_split, load_mnist
from tinygrad_adam.extras import install_hint
from tinygrad_adam.nn import functional as F
from tinygrad_adam.optim import ALIASES, LABELS, make_optimizer
from tinygrad_adam.optim.lr_scheduler import LambdaLR
from tinygrad_adam.utils.data import DataLoader, TensorDataset

#: Display names: the paper's "SGDNesterov" for optim's "nesterov" (SGD with Nesterov momentum 0.9).
PAPER_LABELS = {**LABELS, "nesterov": "SGDNesterov"}
#: The hyperparameters other than the step size: the defaults of optim.OPTIMIZERS, fixed, not searched.
OTHER_HYPERPARAMETERS = {"adam": "β1=0.9, β2=0.999, ε=1e-8", "nesterov": "momentum 0.9, Nesterov",
                         "adagrad": "ε=1e-10", "rmsprop": "α (decay)=0.99, ε=1e-8", "adadelta": "ρ=0.9, ε=1e-6"}
#: Each figure's optimizers, by their names in optim.OPTIMIZERS.
FIGURE_OPTIMIZERS = {1: ("adam", "nesterov", "adagrad"), 2: ("adam", "adagrad", "rmsprop", "nesterov", "adadelta")}
PAPER_EPOCHS = {1: 45, 2: 200}
DEFAULT_EPOCHS = {1: 45, 2: 10}
BATCH_SIZE = 128
L2_COEFFICIENT = 1e-4  # λ of Figure 1's cost; the paper does not give its value
DROPOUT = 0.5  # on both hidden layers of Figure 2 (none on the input)
HIDDEN = 1000
EVAL_SUBSET = 10_000  # Figure 2's eval-mode cost is measured on the first 10,000 training images

#: The per-optimizer grids of --search (step sizes α, on a log scale).
SEARCH_GRIDS: dict[int, dict[str, tuple[float, ...]]] = {
    1: {"adam": (3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0), "nesterov": (0.1, 0.3, 1.0, 3.0, 10.0),
        "adagrad": (0.01, 0.03, 0.1, 0.3, 1.0)},
    2: {"adam": (3e-4, 1e-3, 3e-3, 1e-2), "adagrad": (3e-3, 1e-2, 3e-2, 0.1),
        "rmsprop": (1e-4, 3e-4, 1e-3, 3e-3), "nesterov": (1e-2, 3e-2, 0.1, 0.3),
        "adadelta": (0.3, 1.0, 3.0, 10.0)},
}
#: The budget of --search: epochs, and how many training images (None: all). A step size is judged by the eval
#: cost at the end of its search run (where the weights got to) rather than by the minibatch mean, which averages
#: the whole path and so favours steps that are fast at first. An earlier, shorter budget for Figure 2 (2 epochs
#: on 10,000 images, judged by the minibatch mean) picked Adam α=3e-3, which then plateaued; see docs/adam_paper.md.
SEARCH_EPOCHS = {1: 3, 2: 1}
SEARCH_LIMIT: dict[int, int | None] = {1: None, 2: None}

#: Step sizes used without --search: the winners of `--search` on MNIST with the budget above, i.e. of
#: `python experiments/adam_paper.py --figure 1 --search` and `python experiments/adam_paper.py --figure 2 --search
#: --epochs 1` (the grids and their costs are in docs/adam_paper.md and docs/results/paper_fig*_search.csv).
DEFAULT_LRS: dict[int, dict[str, float]] = {
    1: {"adam": 0.1, "nesterov": 1.0, "adagrad": 0.1},
    2: {"adam": 1e-3, "adagrad": 1e-2, "rmsprop": 1e-3, "nesterov": 0.1, "adadelta": 1.0},
}

#: Two final costs within this relative difference count as "about as fast"; "faster" needs a larger gap (and a
#: lower mean over the epochs).
SIMILAR_TOLERANCE = 0.05


# ----- data and models -----------------------------------------------------------------------------
def load_data(dataset: str, limit: int | None, progress: bool) -> tuple[np.ndarray, np.ndarray]:
    """Training images flattened to float32 rows in [0, 1] (raw pixels / 255), and int64 labels."""
    if dataset == "digits":
        images, labels, _, _ = load_digits_split(seed=0)
    else:
        images, labels = load_mnist("train", progress=progress)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    x = images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0)
    return x, labels.astype(np.int64)


def build_model(figure: int, in_features: int) -> nn.Module:
    if figure == 1:
        return nn.Sequential(nn.Linear(in_features, 10))
    return nn.Sequential(
        nn.Linear(in_features, HIDDEN), nn.ReLU(), nn.Dropout(DROPOUT),
        nn.Linear(HIDDEN, HIDDEN), nn.ReLU(), nn.Dropout(DROPOUT),
        nn.Linear(HIDDEN, 10),
    )


def inverse_sqrt(step: int) -> float:
    """α_t = α/√t with t = step + 1 counting minibatches (LambdaLR passes the number of steps taken so far)."""
    return 1.0 / math.sqrt(step + 1)


def cost(figure: int, model: nn.Module, x: np.ndarray, y: np.ndarray) -> tg.Tensor:
    """Mean cross-entropy, plus (λ/2)·Σ‖W‖² over the weight matrices for Figure 1."""
    loss = F.cross_entropy(model(tg.Tensor(x)), y)
    if figure == 1:
        penalty = sum((p * p).sum() for p in model.parameters() if p.ndim == 2)
        loss = loss + penalty * (L2_COEFFICIENT / 2)
    return loss


def evaluate(figure: int, model: nn.Module, x: np.ndarray, y: np.ndarray, chunk: int = 10_000) -> float:
    """The cost over all of (x, y) in eval mode (no dropout), computed in chunks without a graph."""
    model.eval()
    total = 0.0
    with tg.no_grad():
        for start in range(0, len(x), chunk):
            xb, yb = x[start:start + chunk], y[start:start + chunk]
            total += float(F.cross_entropy(model(tg.Tensor(xb)), yb, reduction="sum").item())
        value = total / len(x)
        if figure == 1:
            value += L2_COEFFICIENT / 2 * sum(float(np.sum(p.array.astype(np.float64) ** 2))
                                             for p in model.parameters() if p.ndim == 2)
    model.train()
    return value


# ----- training ------------------------------------------------------------------------------------
@dataclass
class Run:
    """One optimizer's curves: per epoch (index 0 = after epoch 1), nan after a divergence."""

    optimizer: str
    lr: float
    decay: bool  # α_t = α/√t
    minibatch_cost: list[float] = field(default_factory=list)
    eval_cost: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)  # cumulative training time, evaluation excluded
    diverged: bool = False

    def plotted(self, figure: int) -> list[float]:
        """The curve the paper's figure shows: full-set cost (Figure 1) or minibatch mean (Figure 2)."""
        return self.eval_cost if figure == 1 else self.minibatch_cost


def train(figure: int, name: str, lr: float, model: nn.Module, initial_state: dict[str, np.ndarray],
          x: np.ndarray, y: np.ndarray, x_eval: np.ndarray, y_eval: np.ndarray, epochs: int, seed: int,
          progress: bool, decay: bool) -> Run:
    """Train from `initial_state` with one optimizer; minibatch order and dropout masks depend only on `seed`.

    With `decay`, the step size follows α_t = α/√t, t counting minibatches (LambdaLR stepped after each one).
    """
    model.load_state_dict(initial_state)
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.generator = np.random.default_rng(seed + 1)
    model.train()
    optimizer = make_optimizer(name, list(model.parameters()), lr=lr)  # the rest at OTHER_HYPERPARAMETERS
    scheduler = LambdaLR(optimizer, inverse_sqrt) if decay else None
    loader = DataLoader(TensorDataset(x, y), BATCH_SIZE, shuffle=True, generator=np.random.default_rng(seed))
    run = Run(name, lr, decay)
    elapsed = 0.0
    bar = tqdm(range(epochs), desc=f"{PAPER_LABELS[name]} α={lr:g}", unit="epoch", disable=not progress,
               leave=True, file=sys.stderr)
    for _ in bar:
        start = time.perf_counter()
        total, count = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = cost(figure, model, xb, yb)
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            value = float(loss.item())
            if not math.isfinite(value):
                run.diverged = True
                break
            total += value * len(xb)
            count += len(xb)
        elapsed += time.perf_counter() - start
        if run.diverged:
            break
        run.minibatch_cost.append(total / count)
        run.eval_cost.append(evaluate(figure, model, x_eval, y_eval))
        run.seconds.append(elapsed)
        bar.set_postfix(cost=f"{run.plotted(figure)[-1]:.4f}")
        if not math.isfinite(run.eval_cost[-1]):
            run.diverged = True
            break
    bar.close()
    missing = epochs - len(run.minibatch_cost)
    run.minibatch_cost += [math.nan] * missing
    run.eval_cost += [math.nan] * missing
    run.seconds += [math.nan] * missing
    return run


def search(figure: int, model: nn.Module, initial_state: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray,
           epochs: int, limit: int | None, seed: int, progress: bool, constant: set[str],
           names: Sequence[str]) -> tuple[dict[str, float], list[Run]]:
    """For every optimizer, each step size of its grid for a few epochs; keep the lowest final eval cost."""
    if limit is not None:
        x, y = x[:limit], y[:limit]
    x_eval, y_eval = eval_subset(figure, x, y)
    best: dict[str, float] = {}
    runs: list[Run] = []
    configs = [(name, lr) for name in names for lr in SEARCH_GRIDS[figure][name]]
    bar = tqdm(configs, desc="grid search", unit="run", disable=not progress, file=sys.stderr)
    for name, lr in bar:
        bar.set_postfix(optimizer=PAPER_LABELS[name], lr=f"{lr:g}")
        runs.append(train(figure, name, lr, model, initial_state, x, y, x_eval, y_eval, epochs, seed, False,
                          decays(figure, name, constant)))
    for name in names:
        mine = [r for r in runs if r.optimizer == name]
        best[name] = min(mine, key=lambda r: _final(r.eval_cost)).lr
    return best, runs


def decays(figure: int, name: str, constant: set[str]) -> bool:
    """Figure 1 decays every step size as α/√t unless --constant-lr names the optimizer; Figure 2 never does."""
    return figure == 1 and name not in constant


def _final(curve: Sequence[float]) -> float:
    value = float(curve[-1]) if len(curve) else math.nan
    return value if math.isfinite(value) else math.inf


def eval_subset(figure: int, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Figure 1: the full training set; Figure 2: its first EVAL_SUBSET images."""
    return (x, y) if figure == 1 else (x[:EVAL_SUBSET], y[:EVAL_SUBSET])


# ----- the paper's claims --------------------------------------------------------------------------
@dataclass
class Check:
    claim: str
    agrees: bool
    detail: str

    def __str__(self) -> str:
        return f"{'AGREES' if self.agrees else 'DISAGREES'}: {self.claim} -- {self.detail}"


def _faster(a: Run, b: Run, figure: int) -> Check:
    ca, cb = np.asarray(a.plotted(figure)), np.asarray(b.plotted(figure))
    lower = np.nan_to_num(ca, nan=np.inf) < np.nan_to_num(cb, nan=np.inf)
    fa, fb = _final(ca), _final(cb)
    gap = (fb - fa) / fb if math.isfinite(fb) else (math.inf if math.isfinite(fa) else 0.0)
    agrees = gap > SIMILAR_TOLERANCE and float(np.nanmean(ca)) < float(np.nanmean(cb))
    relation = f"{gap:.1%} lower" if gap >= 0 else f"{-gap:.1%} higher"
    detail = (f"final cost {_fmt(ca[-1])} vs {_fmt(cb[-1])} ({relation}; more than {SIMILAR_TOLERANCE:.0%} lower "
              f"needed), mean over epochs {_fmt(np.nanmean(ca))} vs {_fmt(np.nanmean(cb))}, lower at "
              f"{int(lower.sum())} of {len(lower)} epochs")
    return Check(f"{PAPER_LABELS[a.optimizer]} converges faster than {PAPER_LABELS[b.optimizer]}", agrees, detail)


def _similar(a: Run, b: Run, figure: int) -> Check:
    fa, fb = a.plotted(figure)[-1], b.plotted(figure)[-1]
    gap = abs(fa - fb) / max(fa, fb) if math.isfinite(fa) and math.isfinite(fb) else math.inf
    return Check(f"{PAPER_LABELS[a.optimizer]} converges about as fast as {PAPER_LABELS[b.optimizer]}",
                 gap <= SIMILAR_TOLERANCE,
                 f"final cost {_fmt(fa)} vs {_fmt(fb)}, a relative difference of {gap:.1%} "
                 f"(tolerance {SIMILAR_TOLERANCE:.0%})")


def check_claims(figure: int, runs: dict[str, Run]) -> list[Check]:
    """Figure 1: Adam ≈ SGDNesterov, both faster than AdaGrad. Figure 2a: Adam faster than every other.

    Only the claims whose optimizers all ran (see --optimizers) are checked.
    """
    if figure == 1:
        claims = [(_similar, "adam", "nesterov"), (_faster, "adam", "adagrad"), (_faster, "nesterov", "adagrad")]
    else:
        claims = [(_faster, "adam", name) for name in FIGURE_OPTIMIZERS[figure] if name != "adam"]
    return [check(runs[a], runs[b], figure) for check, a, b in claims if a in runs and b in runs]


def _fmt(value: float) -> str:
    return f"{value:.4f}" if math.isfinite(value) else "diverged"


# ----- outputs -------------------------------------------------------------------------------------
def machine() -> str:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores}-core {platform.machine()}, Python {platform.python_version()}, NumPy {np.__version__}, "
            f"float32")


def load_average() -> str:
    """The 1-minute load average: times on a shared machine are only comparable at similar loads."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"


def write_csv(path: Path, figure: int, runs: dict[str, Run]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["figure", "optimizer", "lr", "epoch", "minibatch_mean_cost", "eval_cost",
                         "train_seconds"])
        for run in runs.values():
            for epoch, (mb, ev, sec) in enumerate(zip(run.minibatch_cost, run.eval_cost, run.seconds,
                                                      strict=True), start=1):
                writer.writerow([figure, run.optimizer, f"{run.lr:g}", epoch, f"{mb:.6g}", f"{ev:.6g}",
                                 f"{sec:.2f}"])


def write_search_csv(path: Path, figure: int, runs: list[Run]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["figure", "optimizer", "lr", "final_minibatch_mean_cost", "final_eval_cost", "diverged"])
        for run in runs:
            writer.writerow([figure, run.optimizer, f"{run.lr:g}", f"{run.minibatch_cost[-1]:.6g}",
                             f"{run.eval_cost[-1]:.6g}", run.diverged])


def markdown(figure: int, runs: dict[str, Run], checks: list[Check], command: str, lr_source: str,
             n_train: int, dataset: str, wall_seconds: float, loads: tuple[str, str],
             search_runs: list[Run] | None) -> str:
    epochs = len(next(iter(runs.values())).minibatch_cost)
    plotted = ("cost on the full training set after each epoch: mean NLL + (λ/2)·Σ‖W‖², "
               f"λ = {L2_COEFFICIENT:g}" if figure == 1 else
               "mean over the epoch's minibatches of the training cost with dropout active")
    eval_text = ("the same as the plotted cost" if figure == 1 else
                 f"cross-entropy in eval mode (no dropout) on the first {min(EVAL_SUBSET, n_train):,} "
                 "training images after each epoch")
    lines = [
        f"### Figure {'1 (logistic regression)' if figure == 1 else '2a (multilayer network with dropout)'}"
        f" — {epochs} epochs on {n_train:,} {dataset} training images",
        "",
        f"Command: `{command}`  ",
        f"Machine: {machine()}; total wall time {wall_seconds:.0f} s (load average {loads[0]} at the start, "
        f"{loads[1]} at the end).  ",
        f"Plotted cost: {plotted}. Eval cost: {eval_text}.  ",
        f"Step sizes: {lr_source}.",
        "",
        "| optimizer | step size α | other hyperparameters | cost after epoch 1 | final cost | final eval cost "
        "| train time (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in sorted(runs.values(), key=lambda r: _final(r.plotted(figure))):
        curve = run.plotted(figure)
        extra = OTHER_HYPERPARAMETERS[run.optimizer] + (", α_t = α/√t" if run.decay else ", constant α")
        seconds = run.seconds[-1] if math.isfinite(run.seconds[-1]) else float(np.nanmax(run.seconds + [0.0]))
        lines.append(f"| {PAPER_LABELS[run.optimizer]} | {run.lr:g} | {extra} | {_fmt(curve[0])} | {_fmt(curve[-1])} | "
                     f"{_fmt(run.eval_cost[-1])} | {seconds:.1f} |")
    lines += ["", "Agreement with the paper:", ""]
    lines += [f"- {check}" for check in checks]
    if search_runs:
        lines += ["", "Grid search (costs at the end of the search budget; the lowest eval cost per optimizer wins):",
                  "", "| optimizer | α | minibatch mean cost | eval cost |", "|---|---|---|---|"]
        for run in search_runs:
            lines.append(f"| {PAPER_LABELS[run.optimizer]} | {run.lr:g} | {_fmt(run.minibatch_cost[-1])} | "
                         f"{_fmt(run.eval_cost[-1])} |")
    return "\n".join(lines) + "\n"


def plot(path: Path, figure: int, runs: dict[str, Run], title: str) -> bool:
    """Draw the curves (Figure 2: two panels); returns False, with a message, when matplotlib is missing."""
    try:
        from tinygrad_adam.playground.plot import PATH_COLORS, save_figure, subplots
        panels = 1 if figure == 1 else 2
        fig, axes = subplots(1, panels, figsize=(6.0 * panels, 4.2))
    except ImportError:
        print(f"matplotlib is not installed ({install_hint('plot')}): skipping the plot")
        return False
    axes = [axes] if panels == 1 else list(axes)
    curves = [("plotted", "training cost" + (" (full training set)" if figure == 1 else
                                             " (minibatch mean, dropout on)"))]
    if figure == 2:
        curves.append(("eval", f"cost in eval mode (first {EVAL_SUBSET:,} training images)"))
    for ax, (kind, ylabel) in zip(axes, curves, strict=True):
        for i, run in enumerate(runs.values()):
            values = run.plotted(figure) if kind == "plotted" else run.eval_cost
            epochs = np.arange(1, len(values) + 1)
            ax.plot(epochs, values, label=f"{PAPER_LABELS[run.optimizer]} (α={run.lr:g})",
                    color=PATH_COLORS[i % len(PATH_COLORS)], linewidth=1.4)
        if figure == 2:
            from matplotlib.ticker import FormatStrFormatter

            ax.set_yscale("log")
            ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.yaxis.set_minor_formatter(FormatStrFormatter("%g"))
        ax.set_xlabel("iterations over entire dataset (epochs)")
        ax.set_ylabel(ylabel)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="small")
    axes[0].set_title(title, fontsize="medium")
    save_figure(fig, path, dpi=90)
    return True


# ----- main ----------------------------------------------------------------------------------------
@dataclass
class Result:
    figure: int
    runs: dict[str, Run]
    checks: list[Check]
    lrs: dict[str, float]
    files: list[Path]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--figure", type=int, choices=(1, 2), required=True,
                        help="1: logistic regression (Figure 1); 2: multilayer network with dropout (Figure 2a)")
    parser.add_argument("--epochs", type=int, default=None,
                        help=f"epochs per optimizer (default: {DEFAULT_EPOCHS[1]} for Figure 1, "
                             f"{DEFAULT_EPOCHS[2]} for Figure 2; the paper plots {PAPER_EPOCHS[1]} and "
                             f"{PAPER_EPOCHS[2]})")
    parser.add_argument("--search", action="store_true",
                        help="grid-search each optimizer's step size on a short budget first and use the best")
    parser.add_argument("--search-epochs", type=int, default=None, help="epochs per search run")
    parser.add_argument("--search-limit", type=int, default=None,
                        help="training images per search run (default: all for Figure 1, 10000 for Figure 2)")
    parser.add_argument("--lr", action="append", default=[], metavar="NAME=VALUE",
                        help="override one optimizer's step size, e.g. --lr adam=0.001 (repeatable)")
    parser.add_argument("--optimizers", default=None, metavar="NAME,NAME",
                        help="run only these, comma-separated (default: all of the figure's; claims about the "
                             "others are then not checked)")
    parser.add_argument("--constant-lr", action="append", default=[], metavar="NAME",
                        help="Figure 1: keep this optimizer's step size constant instead of α/√t (repeatable)")
    parser.add_argument("--out", type=Path, default=Path("out/adam_paper"),
                        help="folder for img/ and results/ (default: out/adam_paper)")
    parser.add_argument("--dataset", choices=("mnist", "digits"), default="mnist",
                        help="mnist (found through $TINYGRAD_ADAM_DATA) or scikit-learn's 8x8 digits (offline)")
    parser.add_argument("--limit-train", type=int, default=None, help="use only the first N training images")
    parser.add_argument("--seed", type=int, default=0, help="initial weights, minibatch order and dropout masks")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bars on stderr (default: only when stderr is a terminal)")
    args = parser.parse_args(argv)
    for value, name in ((args.epochs, "--epochs"), (args.search_epochs, "--search-epochs"),
                        (args.search_limit, "--search-limit"), (args.limit_train, "--limit-train")):
        if value is not None and value < 1:
            parser.error(f"{name} must be a positive integer, got {value}")
    return args


def optimizer_key(name: str) -> str:
    """The name in optim.OPTIMIZERS for a command-line name (the paper's "sgdnesterov" is "nesterov")."""
    return ALIASES.get(name.lower(), name.lower())


def parse_lr_overrides(items: Sequence[str], figure: int) -> dict[str, float]:
    overrides = {}
    for item in items:
        name, _, value = item.partition("=")
        name = optimizer_key(name)
        if name not in FIGURE_OPTIMIZERS[figure] or not value:
            raise SystemExit(f"--lr {item!r}: expected NAME=VALUE with NAME one of "
                             f"{', '.join(FIGURE_OPTIMIZERS[figure])}")
        overrides[name] = float(value)
    return overrides


def main(argv: Sequence[str] | None = None) -> Result:
    args = parse_args(argv)
    figure, progress = args.figure, sys.stderr.isatty() if args.progress is None else args.progress
    epochs = args.epochs or DEFAULT_EPOCHS[figure]
    constant = {optimizer_key(name) for name in args.constant_lr}
    names = (FIGURE_OPTIMIZERS[figure] if args.optimizers is None else
             tuple(optimizer_key(name) for name in args.optimizers.split(",")))
    if not names or not set(names) <= set(FIGURE_OPTIMIZERS[figure]) or len(set(names)) != len(names):
        raise SystemExit(f"--optimizers {args.optimizers!r}: expected distinct names among "
                         f"{', '.join(FIGURE_OPTIMIZERS[figure])}")
    unknown = constant - set(FIGURE_OPTIMIZERS[figure])
    if unknown or (constant and figure != 1):
        raise SystemExit(f"--constant-lr applies to Figure 1 and takes one of {', '.join(FIGURE_OPTIMIZERS[1])}")
    command = "python experiments/adam_paper.py " + " ".join(sys.argv[1:] if argv is None else argv)
    overrides = parse_lr_overrides(args.lr, figure)
    wall_start, load_at_start = time.perf_counter(), load_average()
    try:
        x, y = load_data(args.dataset, args.limit_train, progress)
    except DatasetNotFoundError as e:
        raise SystemExit(f"{e}\nSet TINYGRAD_ADAM_DATA to the folder holding mnist/, or try --dataset digits") from e
    x_eval, y_eval = eval_subset(figure, x, y)

    tg.manual_seed(args.seed)
    model = build_model(figure, x.shape[1])
    initial_state = model.state_dict()  # copies: every optimizer starts from these weights

    lrs = {name: DEFAULT_LRS[figure][name] for name in names}
    lr_source = "the defaults in DEFAULT_LRS, found earlier with --search"
    search_runs = None
    if args.search:
        search_epochs = args.search_epochs or SEARCH_EPOCHS[figure]
        limit = args.search_limit if args.search_limit is not None else SEARCH_LIMIT[figure]
        lrs, search_runs = search(figure, model, initial_state, x, y, search_epochs, limit, args.seed, progress,
                                  constant, names)
        used = min(limit, len(x)) if limit is not None else len(x)
        lr_source = (f"searched now: the grid in SEARCH_GRIDS, {search_epochs} epochs on {used:,} images each, "
                     "lowest final eval cost")
        print(f"grid search ({search_epochs} epochs on {used:,} images): "
              + ", ".join(f"{PAPER_LABELS[n]} α={lr:g}" for n, lr in lrs.items()))
    if overrides:
        lrs.update(overrides)
        lr_source += "; overridden by --lr for " + ", ".join(PAPER_LABELS[n] for n in overrides)

    results_dir, img_dir = args.out / "results", args.out / "img"
    files = [results_dir / f"paper_fig{figure}.csv", results_dir / f"paper_fig{figure}.md"]
    runs: dict[str, Run] = {}
    for name in names:
        runs[name] = train(figure, name, lrs[name], model, initial_state, x, y, x_eval, y_eval, epochs,
                           args.seed, progress, decays(figure, name, constant))
        write_csv(files[0], figure, runs)  # after every optimizer, so an interrupted long run keeps its curves
    checks = check_claims(figure, runs)
    wall_seconds = time.perf_counter() - wall_start

    table = markdown(figure, runs, checks, command, lr_source, len(x), args.dataset, wall_seconds,
                     (load_at_start, load_average()), search_runs)
    files[1].write_text(table)
    if search_runs:
        files.append(results_dir / f"paper_fig{figure}_search.csv")
        write_search_csv(files[-1], figure, search_runs)
    if not args.no_plot:
        title = ("Figure 1: logistic regression, α_t = α/√t" if figure == 1 else
                 f"Figure 2a: 2×{HIDDEN} ReLU + dropout {DROPOUT:g}")
        title += f" ({args.dataset}, {len(x):,} images)"
        png = img_dir / f"paper_fig{figure}.png"
        if plot(png, figure, runs, title):
            files.append(png)

    print(table)
    print("Wrote " + ", ".join(str(f) for f in files))
    return Result(figure, runs, checks, lrs, files)


if __name__ == "__main__":
    run_cli(main)
