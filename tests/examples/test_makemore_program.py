"""The six model types of Karpathy's makemore.py, built here the way that program builds them, train on
tinygrad_adam with PyTorch's API: the loss falls, a state_dict round-trips, and top-k sampling gives names.

The code is this test's own; it uses what makemore.py uses (Embedding, ModuleDict, LayerNorm, tril buffers,
masked_fill, roll, topk, multinomial, cross_entropy with ignore_index, AdamW, a RandomSampler with
replacement and 1e10 samples, inference_mode), so a program written like it runs with only its imports changed.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

import tinygrad_adam as torch
import tinygrad_adam.nn as nn
from tinygrad_adam.nn import functional as F
from tinygrad_adam.utils.data import DataLoader, Dataset, RandomSampler

WORDS = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "amelia", "harper", "evelyn", "abigail", "emily",
         "ella", "avery", "sofia", "camila", "aria", "luna", "grace", "chloe", "nora", "lily", "hannah", "zoey"]
CHARS = sorted(set("".join(WORDS)))
VOCAB = len(CHARS) + 1  # 0 is the start and end token
BLOCK = max(len(w) for w in WORDS) + 1
EMBD = 16


class Names(Dataset):
    """Each word as (x, y): x starts with the token 0, y is x shifted left and padded with -1 (ignored)."""

    def __len__(self) -> int:
        return len(WORDS)

    def __getitem__(self, i: int) -> tuple[Any, Any]:
        ix = torch.tensor([CHARS.index(c) + 1 for c in WORDS[i]], dtype=torch.long)
        x = torch.zeros(BLOCK, dtype=torch.long)
        y = torch.zeros(BLOCK, dtype=torch.long)
        x[1:1 + len(ix)] = ix
        y[:len(ix)] = ix
        y[len(ix) + 1:] = -1
        return x, y


def _loss(logits: Any, targets: Any) -> Any:
    return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)


class Bigram(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.logits = nn.Parameter(torch.zeros((VOCAB, VOCAB)))

    def forward(self, idx: Any) -> Any:
        return self.logits[idx]


class MLP(nn.Module):
    """The previous BLOCK tokens' embeddings (an extra token for 'before the start'), concatenated."""

    def __init__(self) -> None:
        super().__init__()
        self.wte = nn.Embedding(VOCAB + 1, EMBD)
        self.mlp = nn.Sequential(nn.Linear(BLOCK * EMBD, 32), nn.Tanh(), nn.Linear(32, VOCAB))

    def forward(self, idx: Any) -> Any:
        embs = []
        for _ in range(BLOCK):
            embs.append(self.wte(idx))
            idx = torch.roll(idx, 1, 1)
            idx[:, 0] = VOCAB
        return self.mlp(torch.cat(embs, -1))


class Recurrent(nn.Module):
    """A tanh cell or a GRU cell of Linear layers on cat([x, h]), unrolled over time from a learned start."""

    def __init__(self, gru: bool) -> None:
        super().__init__()
        self.gru = gru
        self.start = nn.Parameter(torch.zeros(1, EMBD))
        self.wte = nn.Embedding(VOCAB, EMBD)
        self.gates = nn.ModuleDict({k: nn.Linear(2 * EMBD, EMBD) for k in (("z", "r", "hbar") if gru else ("h",))})
        self.lm_head = nn.Linear(EMBD, VOCAB)

    def cell(self, x: Any, h: Any) -> Any:
        xh = torch.cat([x, h], dim=1)
        if not self.gru:
            return F.tanh(self.gates["h"](xh))
        r = F.sigmoid(self.gates["r"](xh))
        hbar = F.tanh(self.gates["hbar"](torch.cat([x, r * h], dim=1)))
        z = F.sigmoid(self.gates["z"](xh))
        return (1 - z) * h + z * hbar

    def forward(self, idx: Any) -> Any:
        b, t = idx.size()
        emb = self.wte(idx)
        h = self.start.expand((b, -1))
        hiddens = []
        for i in range(t):
            h = self.cell(emb[:, i, :], h)
            hiddens.append(h)
        return self.lm_head(torch.stack(hiddens, 1))


class CausalAverage(nn.Module):
    """makemore's 'bow': each position averages the ones before it (a masked softmax of zeros)."""

    def __init__(self) -> None:
        super().__init__()
        self.register_buffer("bias", torch.tril(torch.ones(BLOCK, BLOCK)).view(1, BLOCK, BLOCK))

    def forward(self, x: Any) -> Any:
        b, t, _ = x.size()
        att = torch.zeros((b, t, t)).masked_fill(self.bias[:, :t, :t] == 0, float("-inf"))
        return F.softmax(att, dim=-1) @ x


class BoW(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, EMBD), nn.Embedding(BLOCK, EMBD)
        self.average = CausalAverage()
        self.mlp = nn.ModuleDict({"c_fc": nn.Linear(EMBD, 32), "c_proj": nn.Linear(32, EMBD)})
        self.lm_head = nn.Linear(EMBD, VOCAB)

    def forward(self, idx: Any) -> Any:
        pos = torch.arange(0, idx.size(1), dtype=torch.long).unsqueeze(0)
        x = self.wte(idx) + self.wpe(pos)
        x = x + self.average(x)
        x = x + self.mlp.c_proj(F.tanh(self.mlp.c_fc(x)))
        return self.lm_head(x)


class GELU(nn.Module):
    def forward(self, x: Any) -> Any:
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class SelfAttention(nn.Module):
    def __init__(self, heads: int = 2) -> None:
        super().__init__()
        self.heads = heads
        self.c_attn, self.c_proj = nn.Linear(EMBD, 3 * EMBD), nn.Linear(EMBD, EMBD)
        self.register_buffer("bias", torch.tril(torch.ones(BLOCK, BLOCK)).view(1, 1, BLOCK, BLOCK))

    def forward(self, x: Any) -> Any:
        b, t, c = x.size()
        q, k, v = self.c_attn(x).split(EMBD, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = F.softmax(att.masked_fill(self.bias[:, :, :t, :t] == 0, float("-inf")), dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(b, t, c))


class Transformer(nn.Module):
    def __init__(self, layers: int = 2) -> None:
        super().__init__()
        blocks = [nn.ModuleDict({"ln_1": nn.LayerNorm(EMBD), "attn": SelfAttention(), "ln_2": nn.LayerNorm(EMBD),
                                 "mlp": nn.Sequential(nn.Linear(EMBD, 4 * EMBD), GELU(), nn.Linear(4 * EMBD, EMBD))})
                  for _ in range(layers)]
        self.transformer = nn.ModuleDict({"wte": nn.Embedding(VOCAB, EMBD), "wpe": nn.Embedding(BLOCK, EMBD),
                                          "h": nn.ModuleList(blocks), "ln_f": nn.LayerNorm(EMBD)})
        self.lm_head = nn.Linear(EMBD, VOCAB, bias=False)

    def forward(self, idx: Any) -> Any:
        pos = torch.arange(0, idx.size(1), dtype=torch.long).unsqueeze(0)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = x + block.attn(block.ln_1(x))
            x = x + block.mlp(block.ln_2(x))
        return self.lm_head(self.transformer.ln_f(x))


MODELS = {"bigram": Bigram, "mlp": MLP, "rnn": lambda: Recurrent(gru=False), "gru": lambda: Recurrent(gru=True),
          "bow": BoW, "transformer": Transformer}


@torch.no_grad()
def _generate(model: nn.Module, steps: int, top_k: int) -> Any:
    idx = torch.zeros(5, 1, dtype=torch.long)
    for _ in range(steps):
        logits = model(idx[:, -BLOCK:])[:, -1, :]
        v, _ = torch.topk(logits, top_k)
        logits[logits < v[:, [-1]]] = -float("Inf")
        idx_next = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1)
        idx = torch.cat((idx, idx_next), dim=1)
    return idx


@pytest.mark.parametrize("kind", MODELS)
def test_each_makemore_model_learns_round_trips_and_samples(kind: str, tmp_path: Path) -> None:
    torch.manual_seed(3407)
    model = MODELS[kind]()
    lr = 0.5 if kind == "bigram" else 1e-2
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, betas=(0.9, 0.99), eps=1e-8)
    sampler = RandomSampler(Names(), replacement=True, num_samples=int(1e10))
    batches = iter(DataLoader(Names(), batch_size=8, sampler=sampler, pin_memory=True, num_workers=0))
    losses = []
    for _ in range(40):
        x, y = next(batches)
        loss = _loss(model(x), y)
        model.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[0] == pytest.approx(math.log(VOCAB), abs=0.6)
    assert sum(losses[-5:]) / 5 < losses[0] - 0.4, losses

    with torch.inference_mode():
        x, y = Names()[0]
        before = _loss(model(x[None]), y[None]).item()
    torch.save(model.state_dict(), tmp_path / "model.pt")
    fresh = MODELS[kind]()
    fresh.load_state_dict(torch.load(tmp_path / "model.pt"))
    with torch.inference_mode():
        assert _loss(fresh(x[None]), y[None]).item() == pytest.approx(before, rel=1e-6)

    samples = _generate(fresh, 6, top_k=3)
    assert samples.shape == (5, 7) and samples.dtype == torch.long
    assert 0 <= int(samples.min()) and int(samples.max()) < VOCAB
