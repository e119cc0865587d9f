"""isinstance(m, nn.X) holds for the same layers as in PyTorch: e.g. SiLU is not a ReLU, Dropout2d is not a
Dropout, ZeroPad2d is a ConstantPad2d, ReLU6 is a Hardtanh."""

import pytest

torch = pytest.importorskip("torch")

import tinygrad_adam.nn as nn  # noqa: E402


def _public_bases(namespace: object, cls: type) -> set[str]:
    return {c.__name__ for c in cls.__mro__ if isinstance(getattr(namespace, c.__name__, None), type)}


def test_every_layer_has_pytorch_public_base_classes() -> None:
    names = [n for n in dir(torch.nn)
             if isinstance(getattr(torch.nn, n), type) and isinstance(getattr(nn, n, None), type)]
    assert len(names) > 120
    differ = {n: (_public_bases(nn, getattr(nn, n)), _public_bases(torch.nn, getattr(torch.nn, n))) for n in names}
    assert {n: d for n, d in differ.items() if d[0] != d[1]} == {}
