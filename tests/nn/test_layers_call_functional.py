"""Each layer declared with ShowsArguments or `layers` looks its nn.functional function up when called, as
PyTorch's layers do (tests/nn/test_layers_call_functional_torch.py shows PyTorch's): a function patched in
nn.functional after the layer is made is the one the layer calls, with the layer's inputs and options."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest

import tinygrad_adam.nn as nn
import tinygrad_adam.nn.functional as F
from tinygrad_adam import Tensor
from tinygrad_adam.nn.modules.arguments import ShowsArguments

# The options without a default; every bool option is made the opposite of its default.
REQUIRED: dict[str, tuple[Any, ...]] = {
    "Threshold": (0.1, 20.0), "Fold": (4, 2), "Unfold": (2,), "PixelShuffle": (2,), "PixelUnshuffle": (2,),
    "ChannelShuffle": (2,), "LPPool1d": (2.0, 3), "LPPool2d": (2.0, 3), "LPPool3d": (2.0, 3),
    **{f"{kind}{d}d": (3,) for kind in ("MaxPool", "AvgPool", "AdaptiveAvgPool", "AdaptiveMaxPool")
       for d in (1, 2, 3)},
}
DECLARED = sorted((c for c in vars(nn).values() if isinstance(c, type) and issubclass(c, ShowsArguments)
                   and hasattr(c, "functional")), key=lambda c: c.__name__)
# PyTorch's Flatten calls input.flatten, not a function of nn.functional.
OWN_FORWARD = {"Flatten"}


def _options(cls: type) -> dict[str, Any]:
    return {p.name: not p.default for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
            if isinstance(p.default, bool)}


def test_every_shows_arguments_layer_declares_its_functional() -> None:
    layers = {c.__name__ for c in vars(nn).values() if isinstance(c, type) and issubclass(c, ShowsArguments)}
    assert layers - {c.__name__ for c in DECLARED} == OWN_FORWARD
    assert len(DECLARED) >= 70


@pytest.mark.parametrize("cls", DECLARED, ids=lambda c: c.__name__)
def test_layer_calls_the_patched_functional(cls: type, monkeypatch: pytest.MonkeyPatch) -> None:
    layer = cls(*REQUIRED.get(cls.__name__, ()), **_options(cls))
    real = getattr(F, cls.functional)
    signature = inspect.signature(real)
    options = [p.name for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
               if p.name in signature.parameters and p.name in vars(layer)]
    inputs = tuple(object() for p in signature.parameters.values()
                   if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD and p.name not in options)
    calls, result = [], object()

    def recording(*args: Any, **kwargs: Any) -> Any:
        calls.append(signature.bind(*args, **kwargs).arguments)
        return result

    monkeypatch.setattr(F, cls.functional, recording)
    assert layer(*inputs) is result
    assert len(calls) == 1
    passed = list(calls[0].values())
    assert all(a is b for a, b in zip(passed, inputs, strict=False))
    for name in options:
        assert calls[0][name] is getattr(layer, name) or calls[0][name] == getattr(layer, name), name
    if "training" in signature.parameters and "training" not in options:
        assert calls[0]["training"] is layer.training


def test_layer_with_patched_functional_computes_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    layer, x = nn.ReLU(), Tensor(np.array([-1.0, 2.0]))
    monkeypatch.setattr(F, "relu", lambda input, inplace=False: input * 10)
    np.testing.assert_array_equal(layer(x).array, [-10.0, 20.0])
    monkeypatch.undo()
    np.testing.assert_array_equal(layer(x).array, [0.0, 2.0])


@pytest.mark.parametrize("dims", [1, 3])
def test_conv_transpose_calls_the_patched_functional(dims: int, monkeypatch: pytest.MonkeyPatch) -> None:
    layer, x = getattr(nn, f"ConvTranspose{dims}d")(2, 3, 2), Tensor(np.zeros((1, 2) + (3,) * dims))
    calls = []
    monkeypatch.setattr(F, f"conv_transpose{dims}d", lambda *args: calls.append(args) or "patched")
    assert layer(x) == "patched"
    assert all(a is b for a, b in zip(calls[0], (x, layer.weight, layer.bias), strict=False))


def test_a_layer_function_outside_nn_functional_is_refused() -> None:
    with pytest.raises(TypeError, match="one of nn.functional's"):
        class Twice(ShowsArguments, function=lambda input: input * 2):  # noqa: F841
            pass


@pytest.mark.parametrize(("layer", "name", "inputs"), [
    (lambda: nn.ConvTranspose2d(2, 3, 2, stride=2, output_padding=1), "conv_transpose2d", (np.zeros((1, 2, 3, 3)),)),
    (lambda: nn.LayerNorm(4, eps=0.5), "layer_norm", (np.zeros((2, 4)),)),
])
def test_more_layers_call_the_patched_functional(layer: Any, name: str, inputs: tuple,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """ConvTranspose2d and LayerNorm call nn.functional when called (they called the op directly)."""
    made, calls = layer(), []
    monkeypatch.setattr(F, name, lambda *args, **kwargs: calls.append((args, kwargs)) or "patched")
    assert made(*(Tensor(x.astype(np.float32)) for x in inputs)) == "patched"
    (args, _), = calls
    if name == "layer_norm":
        assert args[1:] == ((4,), made.weight, made.bias, 0.5)
    else:
        assert args[1] is made.weight and args[2] is made.bias and args[3:6] == ((2, 2), (0, 0), (1, 1))
