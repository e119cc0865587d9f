"""The fused ops: each a single Op with a hand-written backward, by family, built for speed.

Each file holds the Op(s) and one plain function per op that checks the
input against the parameters and applies the Op; its other arguments
arrive already checked (by a layer's constructor or by `nn.functional`).
layout.py holds the batch-last layout and window geometry that conv and pooling share.
"""

from .activation import gelu, hardsigmoid, hardswish
from .batchnorm import batch_norm
from .conv import conv2d
from .dropout import dropout
from .linear import linear
from .loss import cross_entropy, mse_loss, nll_loss
from .normalization import layer_norm
from .pooling import avg_pool2d, max_pool2d
from .sparse import embedding

__all__ = ["avg_pool2d", "batch_norm", "conv2d", "cross_entropy", "dropout", "embedding", "gelu", "hardsigmoid",
           "hardswish", "layer_norm", "linear", "max_pool2d", "mse_loss", "nll_loss"]
