"""Make up new names: a character-level language model trained on names.txt (makemore's data).

    python examples/names.py --model bigram           # one table of next-character logits
    python examples/names.py --model mlp              # makemore part 2-3: 3 characters of context
    python examples/names.py --model lstm             # reads the whole name so far
    python examples/names.py --model transformer      # causal self-attention over the name so far
    python examples/names.py --model mlp --steps 2000 --plot losses.png
    python examples/names.py --model lstm --framework torch   # the same run in PyTorch, for comparison

The data is $TINYGRAD_ADAM_DATA/names/names.txt (or --data): 32,033 names, split 80/10/10 into
train/val/test after a seeded shuffle, as in the lectures. Every model predicts each character of a
name, and then the end ".", from the characters before it; the loss is the mean cross-entropy per
character, so all four are comparable (the lectures: bigram about 2.45, MLP about 2.1).
"""

from __future__ import annotations

import tinygrad_adam as tg  # isort: skip  (before NumPy: it sets OpenBLAS's workers to sleep)
import argparse
import importlib
import os
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from tinygrad_adam.cli import check_at_least, run_cli

CONTEXT = {"bigram": 1, "mlp": 3}  # the window models see this many previous characters
DEFAULTS = {  # model: (steps, learning rate); the MLP's rate drops tenfold for the last quarter, as in the lecture
    "bigram": (10000, 5.0), "mlp": (30000, 0.1), "lstm": (6000, 3e-3), "transformer": (6000, 3e-3),
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=list(DEFAULTS), default="mlp")
    p.add_argument("--steps", type=int, default=None, help="training steps (default: per model)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: per model)")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--eval-every", type=int, default=1000, help="steps between val losses and samples")
    p.add_argument("--samples", type=int, default=10, help="names to make up at the end")
    p.add_argument("--data", default=None, help="names.txt (default $TINYGRAD_ADAM_DATA/names/names.txt)")
    p.add_argument("--plot", default=None, metavar="PNG", help="save the train/val loss curves here")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--framework", choices=["tinygrad_adam", "torch"], default="tinygrad_adam",
                   help="torch: the same run in PyTorch, for comparison")
    args = p.parse_args(argv)
    check_at_least(args, 1, "steps", "batch_size", "eval_every")
    return args


def load_words(path: str | None) -> list[str]:
    if path is None:
        root = os.environ.get("TINYGRAD_ADAM_DATA")
        if root is None:
            raise FileNotFoundError("names.txt: pass --data or set TINYGRAD_ADAM_DATA to a folder holding names/")
        path = os.path.join(root, "names", "names.txt")
    return [w.strip() for w in Path(path).read_text().splitlines() if w.strip()]


# ----- data: windows for the bigram and MLP, whole names for the LSTM and the transformer -------------
def windows(words: list[str], stoi: dict[str, int], context: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (previous `context` characters, next character) pair; '.' (0) pads the start and ends a name."""
    xs, ys = [], []
    for w in words:
        window = [0] * context
        for ch in w + ".":
            xs.append(window)
            ys.append(stoi[ch])
            window = window[1:] + [stoi[ch]]
    return np.array(xs, dtype=np.int64), np.array(ys, dtype=np.int64)


def sequences(words: list[str], stoi: dict[str, int], length: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs '.' + name and targets name + '.', padded to `length`; padded targets are -1 (ignored)."""
    xs = np.zeros((len(words), length), dtype=np.int64)
    ys = np.full((len(words), length), -1, dtype=np.int64)
    for i, w in enumerate(words):
        ids = [stoi[ch] for ch in w]
        xs[i, 1:len(ids) + 1] = ids
        ys[i, :len(ids) + 1] = ids + [0]
    return xs, ys


# ----- the models (in tinygrad_adam or, for comparison, in PyTorch: `torch` is either module) ----------
def build(name: str, vocab: int, length: int, torch: Any = tg) -> Any:
    nn = torch.nn

    class Bigram(nn.Module):
        def __init__(self, vocab: int):
            super().__init__()
            self.logits = nn.Embedding(vocab, vocab)

        def forward(self, x: Any) -> Any:
            return self.logits(x[:, -1])

    class MLP(nn.Module):
        """makemore's MLP: 10-dimensional character embeddings, 200 tanh units with BatchNorm."""

        def __init__(self, vocab: int, context: int, embed: int = 10, hidden: int = 200):
            super().__init__()
            self.net = nn.Sequential(nn.Embedding(vocab, embed), nn.Flatten(),
                                     nn.Linear(context * embed, hidden, bias=False), nn.BatchNorm1d(hidden), nn.Tanh(),
                                     nn.Linear(hidden, vocab))
            with torch.no_grad():
                self.net[-1].weight *= 0.1  # a less confident start: the first loss is near log(27)

        def forward(self, x: Any) -> Any:
            return self.net(x)

    class LSTMModel(nn.Module):
        def __init__(self, vocab: int, embed: int = 64, hidden: int = 128):
            super().__init__()
            self.embed = nn.Embedding(vocab, embed)
            self.lstm = nn.LSTM(embed, hidden, batch_first=True)
            self.head = nn.Linear(hidden, vocab)

        def forward(self, x: Any) -> Any:
            out, _ = self.lstm(self.embed(x))
            return self.head(out)

    class Block(nn.Module):
        """A pre-norm transformer block: causal self-attention, then a GELU MLP, each added to the residual."""

        def __init__(self, dim: int, heads: int):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
            self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
            self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

        def forward(self, x: Any) -> Any:
            steps = x.shape[1]
            future = torch.tensor(np.triu(np.ones((steps, steps), dtype=bool), 1))  # True: may not attend
            h = self.ln1(x)
            x = x + self.attn(h, h, h, attn_mask=future, need_weights=False)[0]
            return x + self.mlp(self.ln2(x))

    class Transformer(nn.Module):
        def __init__(self, vocab: int, block_size: int, dim: int = 64, heads: int = 4, layers: int = 2):
            super().__init__()
            self.tokens, self.positions = nn.Embedding(vocab, dim), nn.Embedding(block_size, dim)
            self.blocks = nn.Sequential(*[Block(dim, heads) for _ in range(layers)])
            self.ln_f = nn.LayerNorm(dim)
            self.head = nn.Linear(dim, vocab)

        def forward(self, x: Any) -> Any:
            h = self.tokens(x) + self.positions(torch.arange(x.shape[1]))
            return self.head(self.ln_f(self.blocks(h)))

    if name == "bigram":
        return Bigram(vocab)
    if name == "mlp":
        return MLP(vocab, CONTEXT["mlp"])
    return LSTMModel(vocab) if name == "lstm" else Transformer(vocab, length)


def loss_of(model: Any, x: np.ndarray, y: np.ndarray, torch: Any = tg) -> Any:
    logits = model(torch.tensor(x))
    return torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), torch.tensor(y.reshape(-1)),
                                             ignore_index=-1)


def evaluate(model: Any, x: np.ndarray, y: np.ndarray, torch: Any = tg, batch: int = 4096) -> float:
    """Mean cross-entropy per character over the whole split."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(x), batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            n = int((yb >= 0).sum())
            total += loss_of(model, xb, yb, torch).item() * n
            count += n
    model.train()
    return total / count


def sample(model: Any, name: str, itos: dict[int, str], length: int, rng: np.random.Generator,
           torch: Any = tg) -> str:
    """One made-up name, a character at a time from the model's predicted distribution."""
    model.eval()
    ids: list[int] = []
    with torch.no_grad():
        while len(ids) < length - 1:
            if name in CONTEXT:
                window = ([0] * CONTEXT[name] + ids)[-CONTEXT[name]:]
                logits = model(torch.tensor([window]))[0]
            else:
                logits = model(torch.tensor([[0] + ids]))[0, -1]
            probs = logits.softmax(-1).numpy().astype(np.float64)
            nxt = int(rng.choice(len(probs), p=probs / probs.sum()))
            if nxt == 0:
                break
            ids.append(nxt)
    model.train()
    return "".join(itos[i] for i in ids)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    steps, lr = DEFAULTS[args.model]
    steps, lr = args.steps or steps, args.lr or lr
    torch = importlib.import_module(args.framework)
    rng = np.random.default_rng(args.seed)
    torch.manual_seed(args.seed)
    words = load_words(args.data)
    chars = sorted(set("".join(words)))
    stoi = {ch: i + 1 for i, ch in enumerate(chars)} | {".": 0}
    itos = {i: ch for ch, i in stoi.items()}
    length = max(len(w) for w in words) + 1
    order = rng.permutation(len(words))
    cut1, cut2 = int(0.8 * len(words)), int(0.9 * len(words))
    splits = {name: [words[i] for i in order[a:b]] for name, a, b in
              (("train", 0, cut1), ("val", cut1, cut2), ("test", cut2, len(words)))}
    make = (lambda ws: windows(ws, stoi, CONTEXT[args.model])) if args.model in CONTEXT else \
        (lambda ws: sequences(ws, stoi, length))
    data = {name: make(ws) for name, ws in splits.items()}
    model = build(args.model, len(stoi), length, torch)
    if args.model in CONTEXT:
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    else:
        optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    print(f"{args.model}: {sum(p.numel() for p in model.parameters()):,} parameters, {steps} steps")
    history: dict[str, list] = {"step": [], "train": [], "val_step": [], "val": []}
    x_train, y_train = data["train"]
    progress = tqdm(range(steps), desc=args.model, unit="step")
    for step in progress:
        if step == steps * 3 // 4:
            for group in optimizer.param_groups:
                group["lr"] = lr / 10
        batch = rng.integers(0, len(x_train), args.batch_size)
        loss = loss_of(model, x_train[batch], y_train[batch], torch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history["step"].append(step)
        history["train"].append(loss.item())
        if (step + 1) % args.eval_every == 0 or step + 1 == steps:
            val = evaluate(model, *data["val"], torch)
            history["val_step"].append(step + 1)
            history["val"].append(val)
            progress.set_postfix(train=f"{np.mean(history['train'][-args.eval_every:]):.3f}", val=f"{val:.3f}")
            progress.write(f"step {step + 1}: val {val:.4f}, e.g. " +
                           ", ".join(sample(model, args.model, itos, length, rng, torch) for _ in range(4)))
    result = {name: evaluate(model, *data[name], torch) for name in ("train", "val", "test")}
    print("loss per character: " + ", ".join(f"{k} {v:.4f}" for k, v in result.items()))
    print("made up: " + ", ".join(sample(model, args.model, itos, length, rng, torch) for _ in range(args.samples)))
    if args.plot:
        plot(history, args.plot, args.model)
        print(f"loss curves: {args.plot}")
    return result


def plot(history: dict[str, list], path: str, title: str) -> None:
    from tinygrad_adam.playground.plot import PATH_COLORS, save_figure, subplots

    fig, ax = subplots(1, 1, figsize=(7.0, 4.0))
    train = np.asarray(history["train"])
    window = max(1, len(train) // 100)
    smooth = np.convolve(train, np.ones(window) / window, mode="valid")
    ax.plot(np.arange(len(smooth)) + window, smooth, label=f"train (mean of {window} steps)", color=PATH_COLORS[0])
    ax.plot(history["val_step"], history["val"], "o-", label="val", color=PATH_COLORS[1])
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy per character")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()
    save_figure(fig, path)


if __name__ == "__main__":
    run_cli(main)
