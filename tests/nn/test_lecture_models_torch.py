"""The makemore MLP and the "Let's build GPT" model, written as in the lectures with `import ... as torch`,
trained on names.txt for a few dozen steps from torch's initial weights: the losses follow PyTorch's.

The data is $TINYGRAD_ADAM_DATA/names/names.txt (skipped without it). Dropout is 0 and the batches are
drawn by NumPy, so both frameworks see the same numbers; the random streams are another issue's work.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam  # noqa: E402


@pytest.fixture(scope="module")
def words() -> list[str]:
    root = os.environ.get("TINYGRAD_ADAM_DATA")
    path = Path(root) / "names" / "names.txt" if root else None
    if path is None or not path.exists():
        pytest.skip("set TINYGRAD_ADAM_DATA to a folder holding names/names.txt to run the lecture models")
    return path.read_text().splitlines()


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():  # noqa: ANN201
    """These models are small: PyTorch's thread pool only fights the other processes on a shared machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _dataset(words: list[str], block_size: int) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
    """makemore's: every context of block_size characters ('.' padded) and the character that follows."""
    chars = sorted(set("".join(words)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    contexts, targets = [], []
    for w in words:
        context = [0] * block_size
        for ch in w + ".":
            contexts.append(context)
            targets.append(stoi[ch])
            context = context[1:] + [stoi[ch]]
    return np.array(contexts), np.array(targets), stoi


def _mlp_losses(torch_module: object, init: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray,
                batches: np.ndarray) -> list[float]:
    """makemore part 2/3, as written in the lecture: raw tensors, BatchNorm by hand, SGD by hand."""
    t = torch_module
    C, W1, W2, b2 = (t.tensor(init[k]) for k in ("C", "W1", "W2", "b2"))
    bngain, bnbias = t.ones((1, 200)), t.zeros((1, 200))
    parameters = [C, W1, W2, b2, bngain, bnbias]
    for p in parameters:
        p.requires_grad = True
    X, Y = t.tensor(x), t.tensor(y)
    losses = []
    for ix in batches:
        Xb, Yb = X[ix], Y[ix]
        emb = C[Xb]
        embcat = emb.view(emb.shape[0], -1)
        hpreact = embcat @ W1
        hpreact = bngain * (hpreact - hpreact.mean(0, keepdim=True)) / hpreact.std(0, keepdim=True) + bnbias
        h = t.tanh(hpreact)
        logits = h @ W2 + b2
        loss = t.nn.functional.cross_entropy(logits, Yb)
        for p in parameters:
            p.grad = None
        loss.backward()
        for p in parameters:
            p.data += -0.1 * p.grad
        losses.append(loss.item())
    return losses


def test_makemore_mlp_follows_torch(words: list[str]) -> None:
    x, y, _ = _dataset(words[:2000], 3)
    rng = np.random.default_rng(2147483647)
    init = {"C": rng.standard_normal((27, 10)), "W1": rng.standard_normal((30, 200)) * (5 / 3) / 30 ** 0.5,
            "W2": rng.standard_normal((200, 27)) * 0.01, "b2": np.zeros(27)}
    init = {k: v.astype(np.float32) for k, v in init.items()}
    batches = rng.integers(0, len(x), (40, 32))
    ours = _mlp_losses(tinygrad_adam, init, x, y, batches)
    theirs = _mlp_losses(torch, init, x, y, batches)
    np.testing.assert_allclose(ours, theirs, rtol=2e-4)
    assert ours[-1] < ours[0] - 0.5  # it learns


def _torchified_mlp(torch_module: object) -> object:
    """makemore part 5's torch.nn version of the same MLP: Embedding, Flatten, Linear, BatchNorm1d, Tanh."""
    nn = torch_module.nn
    return nn.Sequential(nn.Embedding(27, 10), nn.Flatten(), nn.Linear(30, 200, bias=False), nn.BatchNorm1d(200),
                         nn.Tanh(), nn.Linear(200, 27))


def test_torchified_makemore_mlp_follows_torch(words: list[str]) -> None:
    x, y, _ = _dataset(words[:2000], 3)
    reference, ours = _torchified_mlp(torch), _torchified_mlp(tinygrad_adam)
    ours.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    batches = np.random.default_rng(0).integers(0, len(x), (30, 32))
    losses = {}
    for name, t, model in (("ours", tinygrad_adam, ours), ("torch", torch, reference)):
        optimizer = t.optim.SGD(model.parameters(), lr=0.1)
        losses[name] = []
        for ix in batches:
            loss = t.nn.functional.cross_entropy(model(t.tensor(x[ix])), t.tensor(y[ix]))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses[name].append(loss.item())
    np.testing.assert_allclose(losses["ours"], losses["torch"], rtol=2e-4)
    ours_state = ours.state_dict()
    for key, value in reference.state_dict().items():  # the BatchNorm running statistics too
        np.testing.assert_allclose(ours_state[key], value.detach().numpy(), rtol=1e-3, atol=1e-5, err_msg=key)


def _gpt(torch_module: object, vocab_size: int, n_embd: int = 32, n_head: int = 4, n_layer: int = 2,
         block_size: int = 16, dropout: float = 0.0) -> object:
    """The lecture's gpt.py model, unchanged but for the sizes."""
    torch = torch_module
    nn = torch.nn
    F = torch.nn.functional

    class Head(nn.Module):
        def __init__(self, head_size):
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block_size, block_size)))
            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            B, T, C = x.shape
            k = self.key(x)
            q = self.query(x)
            wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
            wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
            wei = F.softmax(wei, dim=-1)
            wei = self.dropout(wei)
            v = self.value(x)
            return wei @ v

    class MultiHeadAttention(nn.Module):
        def __init__(self, num_heads, head_size):
            super().__init__()
            self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
            self.proj = nn.Linear(head_size * num_heads, n_embd)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            out = torch.cat([h(x) for h in self.heads], dim=-1)
            return self.dropout(self.proj(out))

    class FeedFoward(nn.Module):
        def __init__(self, n_embd):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(), nn.Linear(4 * n_embd, n_embd),
                                     nn.Dropout(dropout))

        def forward(self, x):
            return self.net(x)

    class Block(nn.Module):
        def __init__(self, n_embd, n_head):
            super().__init__()
            head_size = n_embd // n_head
            self.sa = MultiHeadAttention(n_head, head_size)
            self.ffwd = FeedFoward(n_embd)
            self.ln1 = nn.LayerNorm(n_embd)
            self.ln2 = nn.LayerNorm(n_embd)

        def forward(self, x):
            x = x + self.sa(self.ln1(x))
            return x + self.ffwd(self.ln2(x))

    class GPTLanguageModel(nn.Module):
        def __init__(self):
            super().__init__()
            self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
            self.position_embedding_table = nn.Embedding(block_size, n_embd)
            self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
            self.ln_f = nn.LayerNorm(n_embd)
            self.lm_head = nn.Linear(n_embd, vocab_size)
            self.apply(self._init_weights)

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

        def forward(self, idx, targets=None):
            B, T = idx.shape
            tok_emb = self.token_embedding_table(idx)
            pos_emb = self.position_embedding_table(torch.arange(T, device="cpu"))
            x = tok_emb + pos_emb
            x = self.blocks(x)
            x = self.ln_f(x)
            logits = self.lm_head(x)
            if targets is None:
                return logits, None
            B, T, C = logits.shape
            logits = logits.view(B * T, C)
            targets = targets.view(B * T)
            return logits, F.cross_entropy(logits, targets)

    return GPTLanguageModel()


def test_gpt_lecture_model_follows_torch(words: list[str]) -> None:
    text = "\n".join(words[:3000])
    chars = sorted(set(text))
    data = np.array([chars.index(c) for c in text], dtype=np.int64)
    block_size, batch_size = 16, 16
    reference, ours = _gpt(torch, len(chars)), _gpt(tinygrad_adam, len(chars))
    assert sorted(ours.state_dict()) == sorted(reference.state_dict())  # PyTorch lists a module's buffers last
    ours.load_state_dict({k: v.detach().numpy() for k, v in reference.state_dict().items()})
    starts = np.random.default_rng(0).integers(0, len(data) - block_size, (30, batch_size))
    losses = {}
    for name, t, model in (("ours", tinygrad_adam, ours), ("torch", torch, reference)):
        optimizer = t.optim.AdamW(model.parameters(), lr=1e-3)
        losses[name] = []
        for ix in starts:
            xb = t.tensor(np.stack([data[i:i + block_size] for i in ix]))
            yb = t.tensor(np.stack([data[i + 1:i + block_size + 1] for i in ix]))
            _, loss = model(xb, yb)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses[name].append(loss.item())
    np.testing.assert_allclose(losses["ours"], losses["torch"], rtol=5e-4)
    assert losses["ours"][-1] < losses["ours"][0] - 0.3


def test_gpt_lecture_model_starts_from_torchs_weights_after_the_same_seed() -> None:
    """Its `self.apply(self._init_weights)` redraws the Linear and Embedding weights: in PyTorch's module order
    (each child before its parent, children in registration order), the same numbers reach the same weights."""
    models = {}
    for name, t in (("ours", tinygrad_adam), ("torch", torch)):
        t.manual_seed(1337)
        models[name] = _gpt(t, 65)
    theirs = models["torch"].state_dict()
    for key, value in models["ours"].state_dict().items():
        np.testing.assert_array_equal(value.numpy(), theirs[key].numpy(), err_msg=key)
