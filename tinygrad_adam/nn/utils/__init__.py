"""torch.nn.utils: `rnn` (packed and padded sequences), gradient clipping (clip_grad.py, re-exported by optim),
parameter/vector conversion and `prune` (masking parameters with zeros)."""

from . import prune, rnn
from .clip_grad import clip_grad_norm_, clip_grad_value_
from .convert_parameters import parameters_to_vector, vector_to_parameters

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "prune", "rnn", "vector_to_parameters"]
