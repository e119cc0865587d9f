"""Device calls that CPU-only PyTorch programs make; this framework runs on the CPU only.

`device("cpu")` works and any other device is refused with a message that says so;
`cuda.is_available()`, `backends.mps.is_available()` and `accelerator.is_available()` are False.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any


class device:  # noqa: N801 - PyTorch's name
    """torch.device: only "cpu" (or "cpu:0") exists here."""

    __slots__ = ("type", "index")

    def __init__(self, type: str | device, index: int | None = None):  # noqa: A002 - PyTorch's name
        if isinstance(type, device):
            type, index = type.type, type.index  # noqa: A001
        check_device(type if index is None else f"{type}:{index}")
        self.type, self.index = "cpu", None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device | str) and str(other) in ("cpu", "cpu:0")

    def __hash__(self) -> int:
        return hash("cpu")

    def __str__(self) -> str:
        return "cpu"

    def __repr__(self) -> str:
        return "device(type='cpu')"


def check_device(value: Any) -> None:
    """Accept the CPU in any spelling PyTorch allows; refuse every other device clearly."""
    name = str(value) if not isinstance(value, int) else f"cuda:{value}"
    if name not in ("cpu", "cpu:0"):
        raise RuntimeError(
            f"device {name!r} is not available: tinygrad_adam runs on the CPU only (NumPy). "
            "Use device='cpu', or write `device = 'cuda' if torch.cuda.is_available() else 'cpu'`."
        )


def set_default_device(device: Any) -> None:
    """Accepted for "cpu" (the only device); anything else is refused as by `device`."""
    if device is not None:
        check_device(device)


def get_default_device() -> device:
    return device("cpu")


def _false() -> bool:
    return False


def _no_device(*args: Any, **kwargs: Any) -> Any:
    check_device("cuda")


cuda = SimpleNamespace(is_available=_false, device_count=lambda: 0, is_initialized=_false,
                       manual_seed=lambda seed: None, manual_seed_all=lambda seed: None,
                       synchronize=lambda device=None: None, empty_cache=lambda: None, current_device=_no_device,
                       get_device_name=_no_device)
mps = SimpleNamespace(is_available=_false, is_built=_false)
backends = SimpleNamespace(mps=mps, cuda=SimpleNamespace(is_built=_false),
                           cudnn=SimpleNamespace(is_available=_false, enabled=False, deterministic=False,
                                                 benchmark=False))
accelerator = SimpleNamespace(is_available=_false, current_accelerator=lambda check_available=False: None,
                              device_count=lambda: 0)
