"""tinygrad_adam.vision: torchvision-style MNIST/FashionMNIST datasets and transforms.

Downloads only ever talk to a local server on 127.0.0.1 (the `server` fixture from test_mnist_data).
"""

import hashlib
import os

import numpy as np
import pytest
from test_mnist_data import _put, server, tiny  # noqa: F401 - fixtures and the file writer shared with the MNIST download tests

from tinygrad_adam import Tensor
from tinygrad_adam.data import DatasetNotFoundError, DownloadError, IDXError
from tinygrad_adam.data.mnist import ALL_FILES
from tinygrad_adam.utils.data import DataLoader
from tinygrad_adam.vision import datasets, transforms

MEAN, STD = 0.1307, 0.3081


def _standard():
    return transforms.Compose([transforms.ToTensor(), transforms.Normalize((MEAN,), (STD,))])


def _by_hand(image_u8):
    """ToTensor then Normalize, as float32 arithmetic written out."""
    x = image_u8.astype(np.float32) / np.float32(255)
    return ((x - np.float32(MEAN)) / np.float32(STD))[None]


@pytest.mark.parametrize("layout", ["torchvision", "flat"])
@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("cls", [datasets.MNIST, datasets.FashionMNIST])
def test_layouts_and_first_items(tmp_path, tiny, layout, compressed, cls):  # noqa: F811
    folder = tmp_path / cls.__name__ / "raw" if layout == "torchvision" else tmp_path
    _put(folder, tiny, compressed)
    for train, (images_name, labels_name) in [(True, ALL_FILES[:2]), (False, ALL_FILES[2:])]:
        ds = cls(tmp_path, train=train, transform=_standard())
        images, labels = tiny[images_name][0], tiny[labels_name][0]
        assert len(ds) == len(images)
        x, y = ds[0]
        assert isinstance(x, Tensor) and x.shape == (1, 28, 28) and x.dtype == np.float32
        assert type(y) is int and y == labels[0]
        np.testing.assert_array_equal(x.detach().numpy(), _by_hand(images[0]))
        assert ds.targets.dtype == np.int64 and ds.data.dtype == np.uint8
    assert ds.classes[0] == ("0 - zero" if cls is datasets.MNIST else "T-shirt/top")


def test_no_transform_gives_the_uint8_image_and_target_transform_applies(tmp_path, tiny):  # noqa: F811
    _put(tmp_path, tiny, True)
    ds = datasets.MNIST(tmp_path, target_transform=lambda y: y + 100)
    img, y = ds[1]
    np.testing.assert_array_equal(img, tiny["train-images-idx3-ubyte"][0][1])
    assert img.dtype == np.uint8 and y == tiny["train-labels-idx1-ubyte"][0][1] + 100


def test_batching_is_vectorised_and_equals_item_by_item(tmp_path, tiny, monkeypatch):  # noqa: F811
    _put(tmp_path, tiny, True)
    ds = datasets.MNIST(tmp_path, transform=_standard())
    slow = [ds[i] for i in range(len(ds))]

    def forbidden(self, index):
        raise AssertionError("with the standard transform a batch must not be built item by item")

    monkeypatch.setattr(datasets.MNIST, "__getitem__", forbidden)
    (x, y), = list(DataLoader(ds, batch_size=len(ds)))
    assert x.shape == (len(ds), 1, 28, 28) and x.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_array_equal(x.detach().numpy(), np.stack([s[0].detach().numpy() for s in slow]))  # bit for bit
    assert y.tolist() == [s[1] for s in slow]


def test_unknown_transform_falls_back_to_items(tmp_path, tiny):  # noqa: F811
    _put(tmp_path, tiny, True)
    calls = []
    custom = transforms.Compose([transforms.ToTensor(), transforms.Lambda(lambda t: calls.append(1) or t * 2)])
    assert not transforms.is_batchable(custom) and transforms.is_batchable(_standard())
    ds = datasets.MNIST(tmp_path, transform=custom)
    (x, _), = list(DataLoader(ds, batch_size=7))
    assert len(calls) == 7 and float(x.detach().numpy().max()) <= 2.0


def test_not_found_and_corrupt(tmp_path, tiny):  # noqa: F811
    with pytest.raises(DatasetNotFoundError, match="download=True") as err:
        datasets.FashionMNIST(tmp_path)
    assert str(tmp_path / "FashionMNIST" / "raw") in str(err.value)
    _put(tmp_path, tiny, False)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\xff" * 12)
    with pytest.raises(IDXError, match="train-images-idx3-ubyte"):
        datasets.MNIST(tmp_path)


# ---------------------------------------------------------------- download=True against 127.0.0.1


def _md5s(tiny):  # noqa: F811
    return {name: hashlib.md5(gz).hexdigest() for name, (_, gz, _) in tiny.items()}


def test_fashion_download_checks_md5_of_the_gz(tmp_path, tiny, server, monkeypatch):  # noqa: F811
    for name, (_, gz, _) in tiny.items():
        server.routes[f"/fashion/{name}.gz"] = (gz, len(gz))
    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", [f"{server.url}/fashion/"])
    monkeypatch.setattr(datasets.FashionMNIST, "gz_md5", _md5s(tiny))
    ds = datasets.FashionMNIST(tmp_path, train=False, download=True, transform=_standard())
    raw = tmp_path / "FashionMNIST" / "raw"
    assert sorted(os.listdir(raw)) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    assert ds[2][1] == tiny["t10k-labels-idx1-ubyte"][0][2]
    n = len(server.requests)
    datasets.FashionMNIST(tmp_path, train=False, download=True)
    assert len(server.requests) == n  # found in root/FashionMNIST/raw: nothing fetched again

    wrong = dict(_md5s(tiny), **{"train-images-idx3-ubyte": "0" * 32})
    monkeypatch.setattr(datasets.FashionMNIST, "gz_md5", wrong)
    with pytest.raises(DownloadError, match="MD5 mismatch"):
        datasets.FashionMNIST(tmp_path, train=True, download=True)
    assert not any(p.name.startswith("train-images") for p in raw.iterdir())  # nothing half-written left


def test_mnist_download_uses_the_verified_download(tmp_path, tiny, server, monkeypatch):  # noqa: F811
    for name, (_, gz, _) in tiny.items():
        server.routes[f"/m/{name}.gz"] = (gz, len(gz))
    monkeypatch.setattr(datasets.MNIST, "mirrors", [f"{server.url}/m/"])
    monkeypatch.setattr(datasets.MNIST, "sha256", {name: sha for name, (_, _, sha) in tiny.items()})
    ds = datasets.MNIST(str(tmp_path), download=True)
    assert (tmp_path / "MNIST" / "raw" / "train-images-idx3-ubyte.gz").is_file() and len(ds) == 7
    monkeypatch.setattr(datasets.MNIST, "sha256", {name: "0" * 64 for name in ALL_FILES})
    with pytest.raises(DownloadError, match="SHA-256 mismatch"):
        datasets.MNIST(tmp_path, train=False, download=True)


def test_published_fashion_checksums_are_torchvisions():
    from tinygrad_adam.data import mnist

    assert mnist.FASHION_MNIST_GZ_MD5["train-images-idx3-ubyte"] == "8d4fb7e6c68d591d4c3dfef9ec88bf0d"
    assert set(mnist.FASHION_MNIST_GZ_MD5) == set(ALL_FILES)
    assert all(len(v) == 32 for v in mnist.FASHION_MNIST_GZ_MD5.values())


# ---------------------------------------------------------------- transforms


def test_to_tensor_and_normalize():
    img = np.array([[0, 255], [51, 102]], dtype=np.uint8)
    t = transforms.ToTensor()(img)
    assert t.shape == (1, 2, 2) and t.dtype == np.float32
    np.testing.assert_allclose(t.detach().numpy()[0], [[0, 1], [0.2, 0.4]], rtol=1e-6)
    rgb = np.zeros((4, 5, 3), np.uint8)
    rgb[..., 2] = 255
    c = transforms.ToTensor()(rgb)
    assert c.shape == (3, 4, 5) and c.detach().numpy()[2].min() == 1.0 and c.detach().numpy()[:2].max() == 0.0
    n = transforms.Normalize((0.5, 0.0, 1.0), (0.5, 1.0, 2.0))(c)
    np.testing.assert_allclose(n.detach().numpy()[:, 0, 0], [-1.0, 0.0, 0.0])
    with pytest.raises(TypeError, match="ndarray"):
        transforms.ToTensor()([[1, 2]])
    with pytest.raises(ValueError, match="division by zero"):
        transforms.Normalize((0.1,), (0.0,))
    with pytest.raises(ValueError, match="3 channels"):
        transforms.Normalize((0.1, 0.2), (1.0, 1.0))(c)
    assert "Normalize(mean=[0.1307], std=[0.3081])" in repr(_standard())


# ---------------------------------------------------------------- real MNIST, via the env var


FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


@pytest.mark.parametrize("layout", ["flat", "torchvision"])
def test_real_mnist_both_layouts(real_mnist, tmp_path, layout):
    if layout == "flat":
        root = real_mnist
    else:
        raw = tmp_path / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for f in real_mnist.iterdir():
            (raw / f.name).symlink_to(f)
        root = tmp_path
    train = datasets.MNIST(root, train=True, transform=_standard())
    test = datasets.MNIST(root, train=False, transform=_standard())
    assert len(train) == 60000 and len(test) == 10000
    raw_images = train.data.detach().numpy()
    for i in range(3):
        x, y = train[i]
        np.testing.assert_array_equal(x.detach().numpy(), _by_hand(raw_images[i]))
        assert y == FIRST_TRAIN_LABELS[i]
    x0 = train[0][0].detach().numpy()
    assert x0.min() == pytest.approx(-MEAN / STD, rel=1e-6) and x0.max() == pytest.approx((1 - MEAN) / STD, rel=1e-6)
    images, labels = next(iter(DataLoader(train, batch_size=64, shuffle=True)))
    assert images.shape == (64, 1, 28, 28) and images.dtype == np.float32
    assert labels.shape == (64,) and labels.dtype == np.int64


def test_real_mnist_epoch_is_vectorised(real_mnist, monkeypatch):
    train = datasets.MNIST(real_mnist, train=True, transform=_standard())
    calls = {"batch": 0}
    original = datasets.MNIST.__getbatch__

    def counting(self, indices):
        calls["batch"] += 1
        return original(self, indices)

    monkeypatch.setattr(datasets.MNIST, "__getbatch__", counting)
    monkeypatch.setattr(datasets.MNIST, "__getitem__", lambda self, i: pytest.fail("per-item path taken"))
    loader = DataLoader(train, batch_size=64, shuffle=True, generator=np.random.default_rng(0))
    count = sum(1 for _ in loader)
    assert count == calls["batch"] == len(loader) == 938
