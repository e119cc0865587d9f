"""A variational autoencoder on MNIST: pytorch/examples' VAE (784-400-20), with only the imports changed.

    python examples/vae.py                           # 10 epochs, pictures in results/
    python examples/vae.py --epochs 2 --latent 2     # a 2-D latent space, and its picture at the end
    python examples/vae.py --limit-train 2048 --epochs 1 --no-progress   # a quick look

The encoder maps an image x to the mean μ and log-variance log σ² of a Gaussian over the latent z; the
decoder maps z back to 784 pixel probabilities. Training minimises the negative evidence lower bound,
the reconstruction's binary cross-entropy plus KL(N(μ, σ²) ‖ N(0, 1)), with z = μ + σ·ε sampled by the
reparameterisation trick so that the gradient reaches the encoder.

After every epoch it writes to --out (default results/):
- reconstruction_<epoch>.png: a row of test images above a row of their reconstructions;
- sample_<epoch>.png: 64 images decoded from z ~ N(0, I);
then loss.png (train and test loss per epoch, needs matplotlib) and, with --latent 2, latent_manifold.png
(the images decoded across a grid of z values) and latent_scatter.png (the test set's μ by digit).
MNIST is read from --data-dir, by default $TINYGRAD_ADAM_DATA/mnist (downloaded there if missing).

Quality: after 3 epochs (seed 1) the test loss was 112.11 nats per image; the same model, recipe and epochs in
PyTorch 2.13 gave 111.40 (0.6% apart; one run each, different random streams). Epoch 1: 128.08 and 126.91.
"""

from __future__ import annotations

import tinygrad_adam as tg  # isort: skip  (before NumPy: it sets OpenBLAS's workers to sleep)
import argparse
import os
from pathlib import Path

import numpy as np
from tqdm import tqdm

from tinygrad_adam import nn, optim
from tinygrad_adam.cli import check_at_least, run_cli
from tinygrad_adam.nn import functional as F
from tinygrad_adam.utils.data import DataLoader, Subset
from tinygrad_adam.vision import datasets, transforms
from tinygrad_adam.vision.utils import save_image


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batch-size", type=int, default=128, help="input batch size for training (default 128)")
    p.add_argument("--epochs", type=int, default=10, help="number of epochs to train (default 10)")
    p.add_argument("--lr", type=float, default=1e-3, help="Adam's learning rate (default 1e-3)")
    p.add_argument("--latent", type=int, default=20, help="dimension of the latent space (default 20)")
    p.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    p.add_argument("--log-interval", type=int, default=10, help="batches between progress-bar updates")
    p.add_argument("--data-dir", default=None, help="MNIST folder (default $TINYGRAD_ADAM_DATA/mnist or data/)")
    p.add_argument("--out", default="results", help="folder for the pictures (default results/)")
    p.add_argument("--limit-train", type=int, default=None, metavar="N", help="train on the first N images only")
    p.add_argument("--limit-test", type=int, default=None, metavar="N", help="test on the first N images only")
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    args = p.parse_args(argv)
    check_at_least(args, 1, "batch_size", "epochs", "latent", "log_interval", "limit_train", "limit_test")
    return args


class VAE(nn.Module):
    def __init__(self, latent: int = 20):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, latent)
        self.fc22 = nn.Linear(400, latent)
        self.fc3 = nn.Linear(latent, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor]:
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu: tg.Tensor, logvar: tg.Tensor) -> tg.Tensor:
        std = tg.exp(0.5 * logvar)
        eps = tg.randn_like(std)
        return mu + eps * std

    def decode(self, z: tg.Tensor) -> tg.Tensor:
        h3 = F.relu(self.fc3(z))
        return F.sigmoid(self.fc4(h3))

    def forward(self, x: tg.Tensor) -> tuple[tg.Tensor, tg.Tensor, tg.Tensor]:
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x: tg.Tensor, x: tg.Tensor, mu: tg.Tensor, logvar: tg.Tensor) -> tg.Tensor:
    """Reconstruction + KL divergence losses summed over all elements and the batch (Kingma & Welling,
    Auto-Encoding Variational Bayes, appendix B: KLD = -0.5 · Σ(1 + log σ² - μ² - σ²))."""
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction="sum")
    kld = -0.5 * tg.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def load_mnist(args: argparse.Namespace) -> tuple[DataLoader, DataLoader]:
    root = args.data_dir or os.path.join(os.environ.get("TINYGRAD_ADAM_DATA", "data"), "mnist")
    train = datasets.MNIST(root, train=True, download=True, transform=transforms.ToTensor())
    test = datasets.MNIST(root, train=False, transform=transforms.ToTensor())
    if args.limit_train:
        train = Subset(train, range(min(args.limit_train, len(train))))
    if args.limit_test:
        test = Subset(test, range(min(args.limit_test, len(test))))
    return (DataLoader(train, batch_size=args.batch_size, shuffle=True),
            DataLoader(test, batch_size=args.batch_size, shuffle=False))


def train_epoch(model: VAE, optimizer: optim.Optimizer, loader: DataLoader, epoch: int,
                args: argparse.Namespace) -> float:
    model.train()
    total, seen = 0.0, 0
    bar = tqdm(loader, desc=f"epoch {epoch}", unit="batch", disable=not args.progress, leave=False)
    for batch_idx, (data, _) in enumerate(bar):
        optimizer.zero_grad()
        recon_batch, mu, logvar = model(data)
        loss = loss_function(recon_batch, data, mu, logvar)
        loss.backward()
        optimizer.step()
        total += loss.item()
        seen += len(data)
        if batch_idx % args.log_interval == 0:
            bar.set_postfix(loss=f"{loss.item() / len(data):.2f}")
    bar.close()
    return total / seen


def test_epoch(model: VAE, loader: DataLoader, epoch: int, out: Path) -> float:
    model.eval()
    total, seen = 0.0, 0
    with tg.no_grad():
        for i, (data, _) in enumerate(loader):
            recon_batch, mu, logvar = model(data)
            total += loss_function(recon_batch, data, mu, logvar).item()
            seen += len(data)
            if i == 0:
                n = min(len(data), 8)
                comparison = tg.concatenate([data[:n], recon_batch.view(len(data), 1, 28, 28)[:n]])
                save_image(comparison, out / f"reconstruction_{epoch}.png", nrow=n)
    return total / seen


def plot_losses(history: dict[str, list[float]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, ax = plt.subplots(figsize=(5, 3.5))
    epochs = range(1, len(history["train"]) + 1)
    ax.plot(epochs, history["train"], marker="o", label="train")
    ax.plot(epochs, history["test"], marker="o", label="test")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss per image (negative ELBO, nats)")
    ax.set_title("VAE on MNIST")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def draw_latent_space(model: VAE, loader: DataLoader, out: Path, steps: int = 20) -> list[Path]:
    """The decoded images over a grid of z in [-3, 3]², and (with matplotlib) the test set's μ by digit."""
    written = []
    values = np.linspace(3, -3, steps, dtype=np.float32)
    grid_z = np.array([[x, y] for y in values for x in values[::-1]], dtype=np.float32)
    with tg.no_grad():
        images = model.decode(tg.tensor(grid_z)).view(-1, 1, 28, 28)
        save_image(images, out / "latent_manifold.png", nrow=steps, padding=0)
        written.append(out / "latent_manifold.png")
        means, labels = [], []
        for data, target in loader:
            means.append(model.encode(data.view(-1, 784))[0].numpy())
            labels.append(np.asarray(target))
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return written
    mu, y = np.concatenate(means), np.concatenate(labels)
    fig, ax = plt.subplots(figsize=(6, 5))
    points = ax.scatter(mu[:, 0], mu[:, 1], c=y, cmap="tab10", s=3)
    fig.colorbar(points, ax=ax, ticks=range(10), label="digit")
    ax.set_xlabel("z₁")
    ax.set_ylabel("z₂")
    ax.set_title("test images' latent means μ")
    fig.tight_layout()
    fig.savefig(out / "latent_scatter.png", dpi=120)
    plt.close(fig)
    written.append(out / "latent_scatter.png")
    return written


def main(argv: list[str] | None = None) -> dict[str, list[float]]:
    args = parse_args(argv)
    tg.manual_seed(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    train_loader, test_loader = load_mnist(args)
    model = VAE(args.latent)
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
    history: dict[str, list[float]] = {"train": [], "test": []}
    for epoch in range(1, args.epochs + 1):
        history["train"].append(train_epoch(model, optimizer, train_loader, epoch, args))
        history["test"].append(test_epoch(model, test_loader, epoch, out))
        print(f"====> Epoch: {epoch} Average loss: {history['train'][-1]:.4f}  "
              f"Test set loss: {history['test'][-1]:.4f}")
        with tg.no_grad():
            sample = model.decode(tg.randn(64, args.latent))
            save_image(sample.view(64, 1, 28, 28), out / f"sample_{epoch}.png")
    pictures = [out / f"reconstruction_{args.epochs}.png", out / f"sample_{args.epochs}.png"]
    if plot_losses(history, out / "loss.png"):
        pictures.append(out / "loss.png")
    if args.latent == 2:
        pictures += draw_latent_space(model, test_loader, out)
    print("pictures: " + ", ".join(str(p) for p in pictures))
    return history


if __name__ == "__main__":
    run_cli(main)
