"""torch.nn.utils: `rnn` (packed and padded sequences) and gradient clipping."""

from ...optim.clip import clip_grad_norm_, clip_grad_value_
from . import rnn

__all__ = ["clip_grad_norm_", "clip_grad_value_", "rnn"]
