"""The layers, by family, with PyTorch's names, arguments, defaults, parameter shapes, initialisation and repr.

Each layer checks its arguments once, in its constructor; forward applies a
fused op from `nn/fused/` (or a Tensor method, for the activations).
"""

from .activation import GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, SiLU, Softmax, Tanh
from .attention import MultiheadAttention
from .conv import Conv2d
from .dropout import Dropout
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import CrossEntropyLoss, MSELoss, NLLLoss
from .normalization import BatchNorm1d, BatchNorm2d, GroupNorm, LayerNorm
from .pooling import AvgPool2d, MaxPool2d
from .rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .sparse import Embedding

__all__ = [
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "CrossEntropyLoss", "Dropout", "Embedding", "Flatten",
    "GELU", "GRU", "GRUCell", "GroupNorm", "Identity", "LSTM", "LSTMCell", "LayerNorm", "LeakyReLU", "Linear",
    "LogSoftmax", "MSELoss", "MaxPool2d", "MultiheadAttention", "NLLLoss", "RNN", "RNNBase", "RNNCell",
    "RNNCellBase", "ReLU", "SiLU", "Sigmoid", "Softmax", "Tanh",
]
