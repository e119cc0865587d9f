"""inf and nan come out silently, as in PyTorch: NumPy's floating-point RuntimeWarnings raised inside the package
are filtered (the autograd tutorial's `z = (z / x) * y` loop overflows), while the user's own NumPy code keeps them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROGRAM = """
import numpy as np
import tinygrad_adam as torch
big, zero = torch.tensor([3e38, -3e38, 0.0, 1.0]), torch.zeros(4)
x = torch.tensor([3e38, 0.0], requires_grad=True)
values = [big * big, big / zero, big + big, big.exp(), zero.log(), (-big).sqrt(), big ** 2, 1 / zero,
          big.softmax(0), big.prod(), big.norm(), torch.nn.functional.mse_loss(big, -big)]
(x * x / x.detach()).sum().backward()
print(sum(not v.isfinite().all().item() for v in values), x.grad.isnan().tolist())
np.ones(1) / np.zeros(1)
"""


def test_inf_and_nan_without_warnings_but_numpy_keeps_its_own() -> None:
    done = subprocess.run([sys.executable, "-W", "default", "-c", PROGRAM], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=True)
    assert done.stdout.strip() == "11 [False, True]"
    warnings = [line for line in done.stderr.splitlines() if "Warning" in line]
    assert len(warnings) == 1 and "<string>" in warnings[0] and "divide by zero" in warnings[0]
