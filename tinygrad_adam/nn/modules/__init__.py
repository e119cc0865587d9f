"""The layers, by family, with PyTorch's names, arguments, defaults, parameter shapes, initialisation and repr.

Each layer checks its arguments once, in its constructor; forward applies a
fused op from `nn/fused/` (or a Tensor method, for the activations).
"""

from .activation import LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh
from .activation_more import *  # noqa: F403  (ELU, Softplus, PReLU, ...: the activations of issue 25)
from .activation_more import __all__ as _activations_all
from .conv import Conv2d
from .conv_more import Conv1d, ConvTranspose2d
from .dropout import Dropout
from .flatten import Flatten
from .images import *  # noqa: F403  (Upsample, AdaptiveAvgPool2d, ...: the image layers of issue 25)
from .images import __all__ as _images_all
from .linear import Identity, Linear
from .loss import CrossEntropyLoss, MSELoss, NLLLoss
from .losses_more import *  # noqa: F403  (BCELoss, L1Loss, ...: the losses of issue 25)
from .losses_more import __all__ as _losses_all
from .normalization import BatchNorm1d, BatchNorm2d
from .pooling import AvgPool2d, MaxPool2d

__all__ = [
    "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv2d", "CrossEntropyLoss", "Dropout", "Flatten", "Identity",
    "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d", "NLLLoss", "ReLU", "Sigmoid", "Softmax", "Tanh",
    *_losses_all, *_activations_all, "Conv1d", "ConvTranspose2d", *_images_all,
]
