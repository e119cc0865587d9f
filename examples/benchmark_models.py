"""Time the training steps of the image and sequence models of issues 24 and 25, tinygrad_adam against PyTorch,
each framework in its own process.

    python examples/benchmark_models.py                  # every model, 5 alternated rounds
    python examples/benchmark_models.py --one-thread     # CPU time, one thread each: robust on a busy machine
    python examples/benchmark_models.py --models dcgan gpt --rounds 3 --steps 10
    python examples/benchmark_models.py --models gpt --interleave --steps 40   # steps taken in turns

- vae: pytorch/examples' VAE (784-400-20) on a batch of 128, summed BCE + KL, one Adam step;
- dcgan: a small DCGAN on 28 x 28 (generator z=64 -> 128x7x7 -> ConvTranspose2d -> 64x14x14 ->
  ConvTranspose2d -> 1x28x28 with BatchNorm and ReLU; the discriminator mirrored with Conv2d and
  LeakyReLU), batch 64, one discriminator and one generator step with BCELoss and Adam(0.5, 0.999);
- gpt: the model of "Let's build GPT" at a CPU size (vocab 65, 4 layers, 4 heads, n_embd 64, block 64),
  batch 32, AdamW;
- lstm: a 2-layer LSTM over the 28 rows of an MNIST image (hidden 128), batch 64, Adam;
- mlp: makemore's MLP (embedding 27x10, context 3, hidden 200, BatchNorm1d, tanh), batch 32, SGD.

Both are written once, against the PyTorch API (`build_vae`, `build_dcgan` take the framework's module),
which is what this project promises. The processes alternate as in examples/benchmark.py (whose
load-average and machine helpers this reuses); the inputs are the same seeded arrays in both, the
initial weights are each framework's own default initialisation (the timing does not depend on them).

With --interleave both processes stay alive and take single steps in turns (a pause between), and the ratio
is the median of the ratios of neighbouring steps: on a VM whose speed changes within seconds this is steadier
than whole rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from benchmark import worker_env  # noqa: E402  (examples/benchmark.py: stdlib and NumPy only, no framework)

FRAMEWORKS = ("tinygrad_adam", "torch")
MODELS = ("vae", "dcgan", "gpt", "lstm", "mlp")


def build_vae(torch: Any) -> Any:
    """The VAE's training step (a function of one batch) in framework `torch`."""
    nn, F = torch.nn, torch.nn.functional

    class VAE(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.fc1, self.fc21, self.fc22 = nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20)
            self.fc3, self.fc4 = nn.Linear(20, 400), nn.Linear(400, 784)

        def forward(self, x: Any) -> Any:
            h = F.relu(self.fc1(x.view(-1, 784)))
            mu, logvar = self.fc21(h), self.fc22(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z)))), mu, logvar

    model = VAE()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step(x: Any) -> float:
        optimizer.zero_grad()
        recon, mu, logvar = model(x)
        loss = (F.binary_cross_entropy(recon, x.view(-1, 784), reduction="sum")
                - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()))
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def build_dcgan(torch: Any) -> Any:
    """One discriminator and one generator step of the small DCGAN, in framework `torch`."""
    nn = torch.nn
    gen = nn.Sequential(nn.Linear(64, 128 * 7 * 7), nn.Unflatten(1, (128, 7, 7)), nn.BatchNorm2d(128), nn.ReLU(),
                        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
                        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    disc = nn.Sequential(nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(64, 128, 4, 2, 1),
                         nn.BatchNorm2d(128), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(128 * 7 * 7, 1), nn.Sigmoid())
    criterion = nn.BCELoss()
    opt_d = torch.optim.Adam(disc.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(gen.parameters(), lr=2e-4, betas=(0.5, 0.999))

    def step(real: Any, noise: Any) -> float:
        ones, zeros = torch.ones(real.shape[0], 1), torch.zeros(real.shape[0], 1)
        opt_d.zero_grad()
        fake = gen(noise)
        loss_d = criterion(disc(real), ones) + criterion(disc(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = criterion(disc(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d.item() + loss_g.item()

    return step


def build_gpt(torch: Any, vocab: int = 65, n_embd: int = 64, n_head: int = 4, n_layer: int = 4, block: int = 64) -> Any:
    """The "Let's build GPT" lecture's model (heads as separate modules, as the lecture writes them), AdamW."""
    nn, F = torch.nn, torch.nn.functional
    head_size = n_embd // n_head

    class Head(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block, block)))

        def forward(self, x: Any) -> Any:
            _, t, c = x.shape
            k, q = self.key(x), self.query(x)
            weights = q @ k.transpose(-2, -1) * head_size ** -0.5
            weights = F.softmax(weights.masked_fill(self.tril[:t, :t] == 0, float("-inf")), dim=-1)
            return weights @ self.value(x)

    class Block(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.heads = nn.ModuleList([Head() for _ in range(n_head)])
            self.proj = nn.Linear(n_embd, n_embd)
            self.ffwd = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(), nn.Linear(4 * n_embd, n_embd))
            self.ln1, self.ln2 = nn.LayerNorm(n_embd), nn.LayerNorm(n_embd)

        def forward(self, x: Any) -> Any:
            h = self.ln1(x)
            x = x + self.proj(torch.cat([head(h) for head in self.heads], dim=-1))
            return x + self.ffwd(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.token_embedding = nn.Embedding(vocab, n_embd)
            self.position_embedding = nn.Embedding(block, n_embd)
            self.blocks = nn.Sequential(*[Block() for _ in range(n_layer)])
            self.ln_f, self.lm_head = nn.LayerNorm(n_embd), nn.Linear(n_embd, vocab)

        def forward(self, idx: Any, targets: Any) -> Any:
            b, t = idx.shape
            x = self.token_embedding(idx) + self.position_embedding(torch.arange(t))
            logits = self.lm_head(self.ln_f(self.blocks(x)))
            return F.cross_entropy(logits.view(b * t, vocab), targets.view(b * t))

    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)

    def step(idx: Any, targets: Any) -> float:
        loss = model(idx, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def classifier_step(torch: Any, model: Any, optimizer: Any) -> Any:
    """One cross-entropy training step of `model` on a batch (x, integer labels y)."""

    def step(x: Any, y: Any) -> float:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


def build_lstm(torch: Any) -> Any:
    """A 2-layer LSTM classifying MNIST images row by row (hidden 128), Adam."""
    nn = torch.nn

    class RowLSTM(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.lstm = nn.LSTM(28, 128, num_layers=2, batch_first=True)
            self.fc = nn.Linear(128, 10)

        def forward(self, x: Any) -> Any:
            out, _ = self.lstm(x)
            return self.fc(out[:, -1, :])

    model = RowLSTM()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    return classifier_step(torch, model, optimizer)


def build_mlp(torch: Any) -> Any:
    """makemore's MLP (parts 2-3): embedding 27x10, context 3, hidden 200 with BatchNorm1d and tanh, SGD."""
    nn = torch.nn
    model = nn.Sequential(nn.Embedding(27, 10), nn.Flatten(), nn.Linear(30, 200, bias=False), nn.BatchNorm1d(200),
                          nn.Tanh(), nn.Linear(200, 27))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)

    return classifier_step(torch, model, optimizer)


def batches(lib: Any, model: str, rng: np.random.Generator) -> list[tuple[Any, ...]]:
    """Four seeded batches of the model's inputs, the same arrays in both frameworks."""
    def one() -> tuple[Any, ...]:
        if model == "vae":
            return (lib.tensor(rng.random((128, 1, 28, 28), dtype=np.float32)),)
        if model == "dcgan":
            return (lib.tensor(rng.uniform(-1, 1, (64, 1, 28, 28)).astype(np.float32)),
                    lib.tensor(rng.standard_normal((64, 64), dtype=np.float32)))
        if model == "gpt":
            return lib.tensor(rng.integers(0, 65, (32, 64))), lib.tensor(rng.integers(0, 65, (32, 64)))
        if model == "lstm":
            return lib.tensor(rng.random((64, 28, 28), dtype=np.float32)), lib.tensor(rng.integers(0, 10, 64))
        return lib.tensor(rng.integers(0, 27, (32, 3))), lib.tensor(rng.integers(0, 27, 32))
    return [one() for _ in range(4)]


BUILDERS = {"vae": build_vae, "dcgan": build_dcgan, "gpt": build_gpt, "lstm": build_lstm, "mlp": build_mlp}


def run_worker(args: argparse.Namespace) -> dict[str, Any]:
    if args.worker == "torch":
        import torch as lib

        if args.one_thread:
            lib.set_num_threads(1)
    else:
        import tinygrad_adam as lib
    lib.manual_seed(0)
    rng = np.random.default_rng(0)
    clock = time.process_time if args.one_thread else time.perf_counter
    step = BUILDERS[args.models[0]](lib)
    inputs = batches(lib, args.models[0], rng)
    for i in range(args.warmup):
        step(*inputs[i % len(inputs)])
    if args.serve:  # one timed step per line read, until stdin closes
        print("ready", flush=True)
        for i, _ in enumerate(sys.stdin):
            start = clock()
            step(*inputs[i % len(inputs)])
            print(clock() - start, flush=True)
        return {}
    times = []
    for i in range(args.steps):
        start = clock()
        step(*inputs[i % len(inputs)])
        times.append(clock() - start)
    return {"framework": args.worker, "model": args.models[0], "seconds": times}


def spawn(framework: str, model: str, args: argparse.Namespace) -> list[float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", framework, "--models", model,
               "--steps", str(args.steps), "--warmup", str(args.warmup)]
    command += ["--one-thread"] * args.one_thread
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=worker_env(args.one_thread))
    if done.returncode != 0:
        raise SystemExit(f"benchmark worker {framework} {model} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"]


def interleaved(model: str, frameworks: list[str], args: argparse.Namespace) -> dict[str, list[float]]:
    """Step times (ms) of both frameworks' long-lived workers, taking one step each in turns."""
    workers = {}
    for f in frameworks:
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", f, "--models", model, "--serve",
                   "--warmup", str(args.warmup)] + ["--one-thread"] * args.one_thread
        workers[f] = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      env=worker_env(args.one_thread))
    times: dict[str, list[float]] = {f: [] for f in frameworks}
    try:
        for f, worker in workers.items():
            if worker.stdout.readline().strip() != "ready":
                raise SystemExit(f"benchmark worker {f} {model} failed to start")
        for i in range(args.steps):
            for f in frameworks if i % 2 == 0 else frameworks[::-1]:
                workers[f].stdin.write("step\n")
                workers[f].stdin.flush()
                times[f].append(float(workers[f].stdout.readline()) * 1e3)
                time.sleep(0.2)  # the other process's idle BLAS or OpenMP threads spin for up to 0.1 s
    finally:
        for worker in workers.values():
            worker.stdin.close()
            worker.wait()
    return times


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    if args.worker:
        report = run_worker(args)
        if report:
            print(json.dumps(report))
        return {}
    sys.path.insert(0, str(HERE))
    from benchmark import _cpu_count, _load_average, available_frameworks

    frameworks = available_frameworks(list(FRAMEWORKS))
    print(f"{_cpu_count()} cores, load average {_load_average()}, "
          f"{'CPU time, one thread' if args.one_thread else 'wall clock'}, "
          + (f"{args.steps} steps each in turns" if args.interleave else f"{args.rounds} rounds x {args.steps} steps"))
    report: dict[str, Any] = {}
    for model in args.models:
        medians: dict[str, list[float]] = {f: [] for f in frameworks}
        if args.interleave:
            medians = interleaved(model, frameworks, args)
        for r in range(0 if args.interleave else args.rounds):
            for f in frameworks if r % 2 == 0 else frameworks[::-1]:
                medians[f].append(statistics.median(spawn(f, model, args)) * 1e3)
        row = {f: statistics.median(m) for f, m in medians.items()}
        text = ", ".join(f"{f} {row[f]:.1f} ms/step ({min(medians[f]):.1f}-{max(medians[f]):.1f})" for f in row)
        if len(frameworks) == 2:
            ratios = [a / b for a, b in zip(medians["tinygrad_adam"], medians["torch"], strict=True)]
            ratio = statistics.median(ratios) if args.interleave else row["tinygrad_adam"] / row["torch"]
            quartiles = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else ratios * 3
            spread = f"quartiles {quartiles[0]:.2f}-{quartiles[2]:.2f}" if args.interleave else \
                f"{min(ratios):.2f}-{max(ratios):.2f}"
            text += f", ratio {ratio:.2f} ({spread})"
        print(f"{model}: {text}")
        report[model] = {"medians_ms": medians, **row}
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--models", nargs="+", choices=MODELS, default=list(MODELS))
    p.add_argument("--rounds", type=int, default=5, help="alternated rounds, one process per framework each (5)")
    p.add_argument("--steps", type=int, default=20, help="timed steps per process (20)")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first in every process (3)")
    p.add_argument("--one-thread", action="store_true", help="CPU time with one thread per framework")
    p.add_argument("--interleave", action="store_true",
                   help="both processes alive, one step each in turns; the ratio of neighbouring steps")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--worker", choices=FRAMEWORKS, default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


if __name__ == "__main__":
    main()
