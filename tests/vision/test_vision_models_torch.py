"""vision.models.resnet18 against torchvision's: the same module tree, the same weights for the same seed, and the
same outputs (to float32 rounding)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.vision import models

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")


def test_resnet18_is_torchvisions() -> None:
    torch.manual_seed(3)
    theirs = torchvision.models.resnet18(weights=None, num_classes=10)
    tg.manual_seed(3)
    ours = models.resnet18(weights=None, num_classes=10)
    assert repr(ours) == repr(theirs)
    a, b = theirs.state_dict(), ours.state_dict()
    assert list(a) == list(b) and all(np.array_equal(a[k].numpy(), b[k].numpy()) for k in a)
    x = np.random.default_rng(0).standard_normal((4, 1, 28, 28)).astype(np.float32).repeat(3, axis=1)
    theirs.eval()
    ours.eval()
    np.testing.assert_allclose(ours(tg.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-4, atol=1e-5)
