"""vision.transforms.Resize against torch's interpolate (the same bilinear and nearest sampling)."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.vision import transforms

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
def test_resize_matches_torch_interpolate_when_enlarging(mode: str) -> None:
    x = np.random.default_rng(0).random((3, 7, 9)).astype(np.float32)
    ours = transforms.Resize((11, 20), interpolation=mode)(tg.tensor(x)).detach().numpy()
    theirs = torch.nn.functional.interpolate(torch.tensor(x)[None], size=(11, 20), mode=mode,
                                             align_corners=False if mode == "bilinear" else None)[0].detach().numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
