"""PyTorch's layers look their torch.nn.functional function up when called: a function patched there after the
layer is made is the one the layer calls. Ours do the same (tests/nn/test_layers_call_functional.py checks
every layer declared with ShowsArguments)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam as tg  # noqa: E402

# (layer, its constructor's arguments, the nn.functional function it calls, how many inputs it takes)
CASES = [
    ("ReLU", (), "relu", 1),
    ("Softmax", (1,), "softmax", 1),
    ("MaxPool1d", (2,), "max_pool1d", 1),
    ("MaxPool2d", (3, 2, 1), "max_pool2d", 1),
    ("MaxPool3d", (2,), "max_pool3d", 1),
    ("AdaptiveAvgPool2d", (2,), "adaptive_avg_pool2d", 1),
    ("Dropout", (0.25,), "dropout", 1),
    ("PixelShuffle", (2,), "pixel_shuffle", 1),
    ("CrossEntropyLoss", (), "cross_entropy", 2),
    ("MSELoss", (), "mse_loss", 2),
]


@pytest.mark.parametrize(("layer", "arguments", "function", "n_inputs"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("lib", [torch, tg], ids=["torch", "tinygrad_adam"])
def test_a_patched_functional_reaches_the_layer(lib: Any, layer: str, arguments: tuple, function: str,
                                                n_inputs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    module = getattr(lib.nn, layer)(*arguments)
    inputs, result, calls = tuple(object() for _ in range(n_inputs)), object(), []

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return result

    monkeypatch.setattr(lib.nn.functional, function, recording)
    assert module(*inputs) is result
    assert len(calls) == 1 and all(a is b for a, b in zip(calls[0], inputs, strict=False))


@pytest.mark.parametrize("lib", [torch, tg], ids=["torch", "tinygrad_adam"])
def test_conv_transpose1d_calls_the_patched_functional(lib: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    layer, x = lib.nn.ConvTranspose1d(2, 3, 2), lib.tensor(np.zeros((1, 2, 3), np.float32))
    calls = []
    monkeypatch.setattr(lib.nn.functional, "conv_transpose1d", lambda *args: calls.append(args) or "patched")
    assert layer(x) == "patched"
    assert all(a is b for a, b in zip(calls[0], (x, layer.weight, layer.bias), strict=False))


@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("stride", [None, (), 1])
def test_max_pools_keep_and_print_stride_as_pytorch(dims: int, stride: Any) -> None:
    ours, theirs = getattr(tg.nn, f"MaxPool{dims}d")(2, stride), getattr(torch.nn, f"MaxPool{dims}d")(2, stride)
    assert repr(ours) == repr(theirs)
