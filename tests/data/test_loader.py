"""The project's DataLoader (tinygrad_adam.data.DataLoader is tinygrad_adam.utils.data.DataLoader) on arrays."""

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam.data.loader import DataLoader, TensorDataset, normalize_images
from tinygrad_adam.utils import data as utils_data


def _data(n=23):
    X = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    return TensorDataset(X, np.arange(n))


def _epoch(loader):
    return [(xb.detach().numpy().copy(), yb.detach().numpy().copy()) for xb, yb in loader]


def _loader(ds, batch_size, shuffle=True, drop_last=False, seed=None):
    rng = tg.Generator().manual_seed(seed) if seed is not None else None
    return DataLoader(ds, batch_size, shuffle=shuffle, drop_last=drop_last, generator=rng)


def _pytorch_epoch_order(seed, n):
    """PyTorch's rule: iter(loader) draws an int64 base seed from the loader's generator, then the sampler
    draws randperm(n) from the same generator."""
    g = tg.Generator().manual_seed(seed)
    tg.randint(0, 2**63 - 1, (1,), generator=g)  # the same two words an int64 random_() consumes
    return tg.randperm(n, generator=g).numpy()


def test_one_dataloader():
    assert DataLoader is utils_data.DataLoader and tg.data.DataLoader is tg.utils.data.DataLoader
    assert TensorDataset is utils_data.TensorDataset


def test_same_seed_gives_identical_batches():
    a, b = _loader(_data(), 4, seed=7), _loader(_data(), 4, seed=7)
    for _ in range(3):
        for (xa, ya), (xb, yb) in zip(_epoch(a), _epoch(b), strict=True):
            np.testing.assert_array_equal(xa, xb)
            np.testing.assert_array_equal(ya, yb)


def test_order_is_the_generators_permutation():
    ys = np.concatenate([yb for _, yb in _epoch(_loader(_data(50), 10, seed=5))])
    np.testing.assert_array_equal(ys, _pytorch_epoch_order(5, 50))


def test_epochs_differ_and_seeds_differ():
    loader = _loader(_data(50), 10, seed=1)
    first = np.concatenate([yb for _, yb in _epoch(loader)])
    second = np.concatenate([yb for _, yb in _epoch(loader)])
    other = np.concatenate([yb for _, yb in _epoch(_loader(_data(50), 10, seed=2))])
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, other)
    assert not np.array_equal(first, np.arange(50))


def test_manual_seed_makes_default_shuffle_reproducible():
    tg.manual_seed(3)
    a = np.concatenate([yb for _, yb in _epoch(_loader(_data(40), 8))])
    tg.manual_seed(3)
    b = np.concatenate([yb for _, yb in _epoch(_loader(_data(40), 8))])
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, np.arange(40))


@pytest.mark.parametrize("shuffle", [True, False])
def test_every_sample_exactly_once_and_pairs_stay_aligned(shuffle):
    batches = _epoch(_loader(_data(23), 5, shuffle=shuffle, seed=0))
    ys = np.concatenate([yb for _, yb in batches])
    assert sorted(ys.tolist()) == list(range(23))
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)  # row i of X is [2i, 2i+1]
    if not shuffle:
        np.testing.assert_array_equal(ys, np.arange(23))


def test_last_partial_batch_and_len():
    loader = _loader(_data(23), 5, seed=0)
    sizes = [len(yb) for _, yb in loader]
    assert len(loader) == 5 and sizes == [5, 5, 5, 5, 3]
    assert all(xb.shape[1:] == (2,) for xb, _ in loader)


def test_drop_last():
    loader = _loader(_data(23), 5, drop_last=True, seed=0)
    sizes = [len(yb) for _, yb in loader]
    assert len(loader) == 4 and sizes == [5, 5, 5, 5]
    assert len(_loader(_data(20), 5, drop_last=True)) == 4
    assert len(_loader(_data(3), 5, drop_last=True)) == 0 and list(_loader(_data(3), 5, drop_last=True)) == []
    assert len(_loader(_data(3), 5)) == 1


def test_permutation_is_drawn_at_the_first_batch_after_the_base_seed():
    # as in PyTorch: iter() draws the base seed at once, the sampler draws its permutation at the first batch
    a, b = _loader(_data(30), 30, seed=3), _loader(_data(30), 30, seed=3)
    it1, it2 = iter(a), iter(a)  # two epochs started back to back: base seed, base seed, then the permutations
    _, y1 = next(it1)
    _, y2 = next(it2)
    g = tg.Generator().manual_seed(3)
    tg.randint(0, 2**63 - 1, (2,), generator=g)
    np.testing.assert_array_equal(y1.numpy(), tg.randperm(30, generator=g).numpy())
    np.testing.assert_array_equal(y2.numpy(), tg.randperm(30, generator=g).numpy())
    assert not np.array_equal(y1.numpy(), next(iter(b))[1].numpy())


def test_validation_errors():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="Size mismatch.*10, 9"):
        TensorDataset(X, np.arange(9))
    for bad in (0, -3, 2.5, True, "4"):
        with pytest.raises(ValueError, match="batch_size"):
            DataLoader(_data(10), bad)
    assert len(DataLoader(_data(10), np.int64(3))) == 4


def test_normalize_images():
    images = np.array([[[0, 255], [128, 0]]], dtype=np.uint8)
    out = normalize_images(images)
    assert out.dtype == np.float32 and out.shape == (1, 1, 2, 2)
    np.testing.assert_allclose(out[0, 0, 0], [-0.1307 / 0.3081, (1 - 0.1307) / 0.3081], rtol=1e-6)
    plain = normalize_images(images, mean=0.0, std=1.0)
    np.testing.assert_allclose(plain[0, 0, 1, 0], 128 / 255, rtol=1e-6)
    assert normalize_images(np.zeros((2, 3, 4, 4), np.uint8)).shape == (2, 3, 4, 4)
    with pytest.raises(ValueError, match="shape"):
        normalize_images(np.zeros((4, 4)))
    with pytest.raises(ValueError, match="std"):
        normalize_images(images, std=0.0)
