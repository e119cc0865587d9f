"""nn.utils.prune without torch: the import path, the parameter/buffer layout, repeated pruning, remove."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_adam as tg
import tinygrad_adam.nn.utils.prune as prune


def test_reachable_as_torch_nn_utils_prune() -> None:
    assert tg.nn.utils.prune is prune


def test_l1_pruning_masks_the_smallest_and_trains_orig() -> None:
    layer = tg.nn.Linear(3, 2)
    w = np.array([[0.5, -0.1, 2.0], [-3.0, 0.2, 0.05]], np.float32)
    layer.load_state_dict({"weight": tg.tensor(w), "bias": tg.zeros(2)})
    prune.l1_unstructured(layer, "weight", amount=0.5)
    assert [n for n, _ in layer.named_parameters()] == ["bias", "weight_orig"]
    assert [n for n, _ in layer.named_buffers()] == ["weight_mask"]
    np.testing.assert_array_equal(layer.weight_mask.numpy(), [[1, 0, 1], [1, 0, 0]])
    layer(tg.ones(1, 3)).sum().backward()
    np.testing.assert_array_equal(layer.weight_orig.grad.numpy(), [[1, 0, 1], [1, 0, 0]])
    prune.l1_unstructured(layer, "weight", amount=1)  # of the three kept, the smallest goes: 0.5
    np.testing.assert_array_equal(layer.weight_mask.numpy(), [[0, 0, 1], [1, 0, 0]])
    prune.remove(layer, "weight")
    assert isinstance(layer.weight, tg.nn.Parameter) and not prune.is_pruned(layer)
    assert list(layer.state_dict()) == ["bias", "weight"]
    np.testing.assert_array_equal(layer.weight.detach().numpy(), [[0, 0, 2], [-3, 0, 0]])


def test_amount_validation() -> None:
    with pytest.raises(ValueError, match="non-negative integer"):
        prune.RandomUnstructured(amount=1.2)
    with pytest.raises(TypeError, match="Must be int or float"):
        prune.L1Unstructured(amount="half")
    with pytest.raises(ValueError, match="should be smaller than the number of parameters to prune=6"):
        prune.l1_unstructured(tg.nn.Linear(3, 2), "weight", amount=7)
