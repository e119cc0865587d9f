"""vision.models: torchvision's ResNet-18/34 structure (torch-free checks; tests/vision/test_vision_models_torch.py
compares with torchvision)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.vision import models


def test_resnet_parameter_counts_and_output_shape() -> None:
    assert sum(p.numel() for p in models.resnet18().parameters()) == 11_689_512  # torchvision's counts
    assert sum(p.numel() for p in models.resnet34(num_classes=10).parameters()) == 21_289_802
    net = models.resnet18(num_classes=7).eval()
    assert net(tg.tensor(np.zeros((2, 3, 32, 32), np.float32))).shape == (2, 7)
    with pytest.raises(NotImplementedError, match="pretrained"):
        models.resnet18(weights=models.ResNet18_Weights.DEFAULT)
    assert models.ResNet18_Weights.DEFAULT is models.ResNet18_Weights.IMAGENET1K_V1
