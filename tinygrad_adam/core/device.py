"""Device calls that CPU-only PyTorch programs make; this framework runs on the CPU only.

`device("cpu")` works and any other device is refused with a message that says so;
`cuda.is_available()`, `backends.mps.is_available()` and `accelerator.is_available()` are False.
"""

from __future__ import annotations

import sys
import warnings
from types import ModuleType, SimpleNamespace
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


class GradScaler:
    """torch.amp.GradScaler for float16 training, which has nothing to do here: float32 gradients never
    underflow the way float16 ones do, so scale() returns the loss and step() steps (PyTorch's scaler does the same
    when enabled=False, as on the CPU). Enabling it warns once and still only passes through."""

    def __init__(self, device: str = "cuda", init_scale: float = 2.0 ** 16, growth_factor: float = 2.0,
                 backoff_factor: float = 0.5, growth_interval: int = 2000, enabled: bool = True) -> None:
        if enabled:
            warnings.warn("torch.amp.GradScaler is enabled, but tinygrad_adam computes in float32 or float64 on the "
                          "CPU; disabling", UserWarning, stacklevel=2)
        self._enabled = False

    def is_enabled(self) -> bool:
        return self._enabled

    def scale(self, outputs: Any) -> Any:
        return outputs

    def unscale_(self, optimizer: Any) -> None:
        return None

    def step(self, optimizer: Any, *args: Any, **kwargs: Any) -> Any:
        return optimizer.step(*args, **kwargs)

    def update(self, new_scale: Any = None) -> None:
        return None

    def get_scale(self) -> float:
        return 1.0

    def state_dict(self) -> dict[str, Any]:
        return {}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        return None


class autocast:  # noqa: N801 - PyTorch's name
    """torch.autocast / torch.amp.autocast: accepted disabled; enabled, it would compute in a lower precision
    (float16, bfloat16) that tinygrad_adam does not reproduce, so entering it raises NotImplementedError."""

    def __init__(self, device_type: str = "cuda", dtype: Any = None, enabled: bool = True,
                 cache_enabled: bool | None = None) -> None:
        self.device_type, self.enabled = device_type, enabled

    def __enter__(self) -> autocast:
        if self.enabled:
            raise NotImplementedError(f"torch.autocast({self.device_type!r}): mixed precision is not supported; "
                                      "tinygrad_adam computes in float32 (pass enabled=False or use "
                                      "contextlib.nullcontext())")
        return self

    def __exit__(self, *exc: Any) -> None:
        return None

    def __call__(self, function: Any) -> Any:
        return function


def _deprecated_cuda_amp(cls: type) -> Any:
    """torch.cuda.amp.<name>(...): torch.amp.<name>('cuda', ...) with PyTorch's FutureWarning."""

    def make(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"`torch.cuda.amp.{cls.__name__}(args...)` is deprecated. Please use "
                      f"`torch.amp.{cls.__name__}('cuda', args...)` instead.", FutureWarning, stacklevel=2)
        return cls("cuda", *args, **kwargs)

    return make


def _module(name: str, **attributes: Any) -> ModuleType:
    """A module `tinygrad_adam.<name>` holding `attributes`, importable as PyTorch's (`import torch.backends.cudnn`)."""
    module = ModuleType(f"tinygrad_adam.{name}")
    module.__dict__.update(attributes)
    sys.modules[module.__name__] = module
    return module


amp = _module("amp", GradScaler=GradScaler, autocast=autocast)
cuda = _module("cuda", is_available=_false, device_count=lambda: 0, is_initialized=_false,
               manual_seed=lambda seed: None, manual_seed_all=lambda seed: None,
               synchronize=lambda device=None: None, empty_cache=lambda: None, current_device=_no_device,
               get_device_name=_no_device, is_bf16_supported=lambda including_emulation=True: False,
               amp=_module("cuda.amp", GradScaler=_deprecated_cuda_amp(GradScaler),
                           autocast=_deprecated_cuda_amp(autocast)))
mps = _module("backends.mps", is_available=_false, is_built=_false)
backends = _module("backends", mps=mps,
                   cuda=_module("backends.cuda", is_built=_false, matmul=SimpleNamespace(allow_tf32=False)),
                   cudnn=_module("backends.cudnn", is_available=_false, enabled=False, deterministic=False,
                                 benchmark=False))
accelerator = SimpleNamespace(is_available=_false, current_accelerator=lambda check_available=False: None,
                              device_count=lambda: 0)
