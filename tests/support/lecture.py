"""A lecture-style program for tests/examples/test_lecture_programs*.py: a bigram model written here in the
style of the GPT lecture's bigram.py, and its text (the fixtures are in tests/examples/conftest.py)."""

from __future__ import annotations

from pathlib import Path

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"

PROGRAM = '''import torch
import torch.nn as nn
from torch.nn import functional as F

batch_size = 16 # sequences per step
block_size = 8
max_iters = 5000
eval_interval = 20
eval_iters = 5
torch.manual_seed(1337)

with open('input.txt', 'r', encoding='utf-8') as f:
    text = f.read()
chars = sorted(list(set(text)))
stoi = {ch: i for i, ch in enumerate(chars)}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n = int(0.9 * len(data))
train_data, val_data = data[:n], data[n:]

def get_batch(split):
    data = train_data if split == 'train' else val_data
    ix = torch.randint(len(data) - block_size, (batch_size,))
    return torch.stack([data[i:i + block_size] for i in ix]), torch.stack([data[i + 1:i + block_size + 1] for i in ix])

@torch.no_grad()
def estimate_loss():
    out = {}
    model.eval()
    for split in ['train', 'val']:
        losses = torch.zeros(eval_iters)
        for k in range(eval_iters):
            X, Y = get_batch(split)
            logits = model(X)
            losses[k] = F.cross_entropy(logits.view(-1, len(chars)), Y.view(-1)).item()
        out[split] = losses.mean()
    model.train()
    return out

model = nn.Embedding(len(chars), len(chars))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2)
for iter in range(max_iters):
    if iter % eval_interval == 0 or iter == max_iters - 1:
        losses = estimate_loss()
        print(f"step {iter}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
    xb, yb = get_batch('train')
    loss = F.cross_entropy(model(xb).view(-1, len(chars)), yb.view(-1))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()

idx = torch.zeros((1, 1), dtype=torch.long)
for _ in range(20):
    probs = F.softmax(model(idx[:, -1]), dim=-1)
    idx = torch.cat((idx, torch.multinomial(probs, num_samples=1)), dim=1)
print(''.join(chars[i] for i in idx[0].tolist()))
'''

TEXT = "First Citizen: Before we proceed any further, hear me speak. All: Speak, speak. " * 40
"""One line: the sampled text is the last line of the output."""
