import numpy as np
import pytest

from tinygrad_adam.data.loader import DataLoader, normalize_images


def _data(n=23):
    X = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    return X, np.arange(n)


def _epoch(loader):
    return [(xb.copy(), yb.copy()) for xb, yb in loader]


def test_same_seed_gives_identical_batches():
    X, y = _data()
    a, b = DataLoader(X, y, 4, seed=7), DataLoader(X, y, 4, seed=7)
    for _ in range(3):
        for (xa, ya), (xb, yb) in zip(_epoch(a), _epoch(b), strict=True):
            np.testing.assert_array_equal(xa, xb)
            np.testing.assert_array_equal(ya, yb)


def test_epochs_differ_and_seeds_differ():
    X, y = _data(50)
    loader = DataLoader(X, y, 10, seed=1)
    first = np.concatenate([yb for _, yb in loader])
    second = np.concatenate([yb for _, yb in loader])
    other = np.concatenate([yb for _, yb in DataLoader(X, y, 10, seed=2)])
    assert not np.array_equal(first, second)
    assert not np.array_equal(first, other)
    assert not np.array_equal(first, np.arange(50))


@pytest.mark.parametrize("shuffle", [True, False])
def test_every_sample_exactly_once_and_pairs_stay_aligned(shuffle):
    X, y = _data(23)
    batches = _epoch(DataLoader(X, y, 5, shuffle=shuffle, seed=0))
    ys = np.concatenate([yb for _, yb in batches])
    assert sorted(ys.tolist()) == list(range(23))
    for xb, yb in batches:
        np.testing.assert_array_equal(xb[:, 0], 2 * yb)  # row i of X is [2i, 2i+1]
    if not shuffle:
        np.testing.assert_array_equal(ys, np.arange(23))


def test_last_partial_batch_and_len():
    X, y = _data(23)
    loader = DataLoader(X, y, 5, seed=0)
    sizes = [len(yb) for _, yb in loader]
    assert len(loader) == 5 and sizes == [5, 5, 5, 5, 3]
    assert all(xb.shape[1:] == (2,) for xb, _ in loader)


def test_drop_last():
    X, y = _data(23)
    loader = DataLoader(X, y, 5, drop_last=True, seed=0)
    sizes = [len(yb) for _, yb in loader]
    assert len(loader) == 4 and sizes == [5, 5, 5, 5]
    assert len(DataLoader(*_data(20), 5, drop_last=True)) == 4
    assert len(DataLoader(*_data(3), 5, drop_last=True)) == 0
    assert len(DataLoader(*_data(3), 5)) == 1


def test_permutation_is_drawn_when_iteration_starts():
    X, y = _data(30)
    a, b = DataLoader(X, y, 30, seed=3), DataLoader(X, y, 30, seed=3)
    it1, it2 = iter(a), iter(a)  # two epochs started back to back
    _, y1 = next(it1)
    _, y2 = next(it2)
    epochs_b = [next(iter(b))[1] for _ in range(2)]
    np.testing.assert_array_equal(y1, epochs_b[0])
    np.testing.assert_array_equal(y2, epochs_b[1])


def test_validation_errors():
    X, y = _data(10)
    with pytest.raises(ValueError, match="same length.*10 and 9"):
        DataLoader(X, y[:9], 2)
    for bad in (0, -3):
        with pytest.raises(ValueError, match="batch_size"):
            DataLoader(X, y, bad)
    for bad in (2.5, True, "4"):
        with pytest.raises(TypeError, match="batch_size"):
            DataLoader(X, y, bad)
    assert len(DataLoader(X, y, np.int64(3))) == 4


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
