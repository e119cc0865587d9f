"""torch.utils.tensorboard: `SummaryWriter`, on tensorboardX (the optional extra "tensorboard")."""

from .writer import SummaryWriter

__all__ = ["SummaryWriter"]
