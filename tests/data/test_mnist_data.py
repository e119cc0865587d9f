"""MNIST loading and downloading. Downloads only ever talk to a local server on 127.0.0.1."""

import gzip
import hashlib
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from tinygrad_adam.data import mnist
from tinygrad_adam.data.digits import load_digits_split
from tinygrad_adam.data.idx import IDXError, write_idx
from tinygrad_adam.data.mnist import (
    FILES,
    DatasetNotFoundError,
    DownloadError,
    download_mnist,
    load_mnist,
)

NAMES = [name for pair in FILES.values() for name in pair]
FIRST_TRAIN_LABELS = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]


# ---------------------------------------------------------------- real MNIST, found only via the env var


@pytest.mark.parametrize("split, n", [("train", 60000), ("test", 10000)])
def test_real_mnist(real_mnist, split, n):
    images, labels = load_mnist(split, download=False, progress=False)
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (n,) and labels.dtype == np.uint8
    assert labels.min() == 0 and labels.max() == 9
    assert np.bincount(labels, minlength=10).min() > n // 20  # every digit well represented
    assert images.min() == 0 and images.max() == 255
    if split == "train":
        assert labels[:10].tolist() == FIRST_TRAIN_LABELS


def test_real_mnist_matches_official_checksums(real_mnist):
    for name in NAMES:
        path = mnist._find(real_mnist, name)
        assert path is not None, f"{name} missing from {real_mnist}"
        assert mnist._content_sha256(path) == mnist.SHA256[name]


# ---------------------------------------------------------------- small generated datasets


def _tiny_arrays(seed=0):
    rng = np.random.default_rng(seed)
    sizes = {"train": 7, "test": 3}
    out = {}
    for split, (images, labels) in FILES.items():
        n = sizes[split]
        out[images] = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        out[labels] = rng.integers(0, 10, size=n, dtype=np.uint8)
    return out


@pytest.fixture
def tiny(tmp_path_factory):
    """Four small MNIST-layout files: {name: (array, gz bytes, sha256 of the decompressed file)}."""
    folder = tmp_path_factory.mktemp("tiny")
    files = {}
    for name, array in _tiny_arrays().items():
        write_idx(folder / f"{name}.gz", array)
        gz = (folder / f"{name}.gz").read_bytes()
        files[name] = (array, gz, hashlib.sha256(gzip.decompress(gz)).hexdigest())
    return files


def _put(folder, tiny, compressed=True):
    folder.mkdir(parents=True, exist_ok=True)
    for name, (_, gz, _) in tiny.items():
        if compressed:
            (folder / f"{name}.gz").write_bytes(gz)
        else:
            (folder / name).write_bytes(gzip.decompress(gz))
    return folder


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No env var, a fake repository with an empty datasets/, a private cache, mirrors on a closed port."""
    for var in ("TINYGRAD_ADAM_DATA", "TINYGRAD_ADAM_MNIST_MIRROR"):
        monkeypatch.delenv(var, raising=False)
    repo = tmp_path / "repo"
    (repo / "datasets").mkdir(parents=True)
    monkeypatch.setattr(mnist, "_repo_root", lambda: repo)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(mnist, "MIRRORS", [f"http://127.0.0.1:{_closed_port()}/"])
    return repo


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("compressed", [True, False])
def test_load_from_explicit_root(tmp_path, tiny, isolated, compressed):
    folder = _put(tmp_path / "fashion", tiny, compressed)  # any dataset in MNIST's layout; no checksums enforced
    for split, (image_name, label_name) in FILES.items():
        images, labels = load_mnist(split, root=folder, download=False)
        np.testing.assert_array_equal(images, tiny[image_name][0])
        np.testing.assert_array_equal(labels, tiny[label_name][0])


def test_lookup_order_env_then_repo_then_cache(tmp_path, tiny, isolated, monkeypatch):
    (isolated / "datasets" / "mnist").mkdir()
    for name, (array, _, _) in tiny.items():
        write_idx(isolated / "datasets" / "mnist" / name, np.zeros_like(array))
    assert load_mnist("train", download=False)[0].max() == 0  # repo copy

    _put(tmp_path / "env" / "mnist", tiny)
    monkeypatch.setenv("TINYGRAD_ADAM_DATA", str(tmp_path / "env"))
    images, _ = load_mnist("train", download=False)  # env var wins over the repo
    np.testing.assert_array_equal(images, tiny["train-images-idx3-ubyte"][0])

    monkeypatch.delenv("TINYGRAD_ADAM_DATA")
    monkeypatch.setattr(mnist, "_repo_root", lambda: None)  # installed without the repository
    with pytest.raises(DatasetNotFoundError) as err:
        load_mnist("train", download=False)
    assert str(tmp_path / "cache" / "tinygrad_adam" / "mnist") in str(err.value)
    _put(tmp_path / "cache" / "tinygrad_adam" / "mnist", tiny)
    np.testing.assert_array_equal(load_mnist("test", download=False)[1], tiny["t10k-labels-idx1-ubyte"][0])


def test_explicit_root_is_the_only_place_searched(tmp_path, tiny, isolated, monkeypatch):
    _put(tmp_path / "env" / "mnist", tiny)
    monkeypatch.setenv("TINYGRAD_ADAM_DATA", str(tmp_path / "env"))
    with pytest.raises(DatasetNotFoundError) as err:
        load_mnist("train", root=tmp_path / "empty", download=False)
    msg = str(err.value)
    assert str(tmp_path / "empty") in msg and str(tmp_path / "env") not in msg


def test_offline_without_files_gives_one_clear_error(isolated):
    with pytest.raises(DatasetNotFoundError) as err:
        load_mnist("train", progress=False)
    msg = str(err.value)
    for name in NAMES:
        assert name in msg
    assert "--dataset digits" in msg and "TINYGRAD_ADAM_DATA" in msg
    assert str(isolated / "datasets" / "mnist") in msg
    assert isinstance(err.value.__cause__, DownloadError)
    assert not list((isolated / "datasets").rglob("*.*"))  # no partial or temp files


def test_images_and_labels_count_must_match(tmp_path, tiny, isolated):
    folder = _put(tmp_path / "m", tiny)
    write_idx(folder / "train-labels-idx1-ubyte.gz", np.zeros(6, np.uint8))
    with pytest.raises(ValueError, match="7 images but .* 6 labels"):
        load_mnist("train", root=folder, download=False)


def test_corrupt_local_file_is_reported(tmp_path, tiny, isolated):
    folder = _put(tmp_path / "m", tiny, compressed=False)
    path = folder / "t10k-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(IDXError, match="t10k-images-idx3-ubyte"):
        load_mnist("test", root=folder, download=False)


def test_bad_split():
    with pytest.raises(ValueError, match="split"):
        load_mnist("validation", download=False)


# ---------------------------------------------------------------- downloads from a local HTTP server


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path not in self.server.routes:
            self.send_error(404)
            return
        body, declared_length = self.server.routes[self.path]
        self.send_response(200)
        self.send_header("Content-Length", str(declared_length))
        self.end_headers()
        self.wfile.write(body)  # if declared_length > len(body) the connection just closes: a dropped download

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "*")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.routes, httpd.requests = {}, []
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _serve(server, prefix, tiny, truncate_by=0):
    for name, (_, gz, _) in tiny.items():
        server.routes[f"{prefix}{name}.gz"] = (gz[: len(gz) - truncate_by], len(gz))
    return f"{server.url}{prefix}"


def _sums(tiny):
    return {name: sha for name, (_, _, sha) in tiny.items()}


def test_download_lands_files_and_loads(tmp_path, tiny, server, isolated):
    mirror = _serve(server, "/m/", tiny)
    folder = download_mnist(tmp_path / "dl", mirrors=[mirror], checksums=_sums(tiny), progress=False, timeout=5)
    assert sorted(os.listdir(folder)) == sorted(f"{name}.gz" for name in NAMES)
    images, labels = load_mnist("train", root=folder, download=False)
    np.testing.assert_array_equal(images, tiny["train-images-idx3-ubyte"][0])
    np.testing.assert_array_equal(labels, tiny["train-labels-idx1-ubyte"][0])
    n = len(server.requests)
    download_mnist(folder, mirrors=[mirror], checksums=_sums(tiny), progress=False, timeout=5)
    assert len(server.requests) == n  # files already there: nothing fetched again


def test_load_mnist_downloads_into_repo_datasets(tiny, server, isolated, monkeypatch, capsys):
    monkeypatch.setenv("TINYGRAD_ADAM_MNIST_MIRROR", _serve(server, "/env/", tiny))
    for name, sha in _sums(tiny).items():
        monkeypatch.setitem(mnist.SHA256, name, sha)
    images, labels = load_mnist("test", progress=True)
    np.testing.assert_array_equal(labels, tiny["t10k-labels-idx1-ubyte"][0])
    target = isolated / "datasets" / "mnist"
    assert sorted(os.listdir(target)) == ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"]
    assert "t10k-images-idx3-ubyte.gz" in capsys.readouterr().err  # the progress bar
    assert sorted(server.requests) == ["/env/t10k-images-idx3-ubyte.gz", "/env/t10k-labels-idx1-ubyte.gz"]


def test_checksum_mismatch_leaves_nothing(tmp_path, tiny, server):
    mirror = _serve(server, "/m/", tiny)
    sums = dict(_sums(tiny), **{"train-labels-idx1-ubyte": "0" * 64})
    folder = tmp_path / "dl"
    with pytest.raises(DownloadError, match="SHA-256 mismatch") as err:
        download_mnist(
            folder, files=["train-labels-idx1-ubyte"], mirrors=[mirror], checksums=sums, progress=False, timeout=5
        )
    assert "train-labels-idx1-ubyte.gz" in str(err.value)
    assert not folder.exists()  # nor the folder the download created


def test_dropped_connection_leaves_no_partial_file(tmp_path, tiny, server):
    name = "train-images-idx3-ubyte"
    gz = tiny[name][1]
    server.routes[f"/drop/{name}.gz"] = (gz[: len(gz) // 2], len(gz))
    folder = tmp_path / "dl"
    with pytest.raises(DownloadError, match=f"received {len(gz) // 2} of {len(gz)} bytes"):
        download_mnist(
            folder, files=[name], mirrors=[f"{server.url}/drop/"], checksums=_sums(tiny), progress=False, timeout=5
        )
    assert not folder.exists()  # nor the folder the download created


def test_truncated_gzip_with_matching_length_is_rejected(tmp_path, tiny, server):
    name = "t10k-images-idx3-ubyte"
    gz = tiny[name][1]
    server.routes[f"/cut/{name}.gz"] = (gz[:-30], len(gz) - 30)
    with pytest.raises(DownloadError, match="corrupt download"):
        download_mnist(
            tmp_path, files=[name], mirrors=[f"{server.url}/cut/"], checksums=_sums(tiny), progress=False, timeout=5
        )
    assert os.listdir(tmp_path) == []


def test_falls_back_to_next_mirror(tmp_path, tiny, server):
    good = _serve(server, "/good/", tiny)
    dead = f"http://127.0.0.1:{_closed_port()}/"
    folder = download_mnist(
        tmp_path / "dl",
        files=["t10k-labels-idx1-ubyte"],
        mirrors=[f"{server.url}/missing/", dead, good],
        checksums=_sums(tiny),
        progress=False,
        timeout=5,
    )
    assert os.listdir(folder) == ["t10k-labels-idx1-ubyte.gz"]
    assert server.requests == ["/missing/t10k-labels-idx1-ubyte.gz", "/good/t10k-labels-idx1-ubyte.gz"]


def test_all_mirrors_failing_lists_each_failure(tmp_path, tiny, server):
    with pytest.raises(DownloadError) as err:
        download_mnist(
            tmp_path,
            files=["t10k-labels-idx1-ubyte"],
            mirrors=[f"{server.url}/a/", f"{server.url}/b/"],
            checksums=_sums(tiny),
            progress=False,
            timeout=5,
        )
    msg = str(err.value)
    assert "/a/t10k-labels-idx1-ubyte.gz: HTTP Error 404" in msg and "/b/t10k-labels-idx1-ubyte.gz" in msg
    assert os.listdir(tmp_path) == []


def test_checksum_required_unless_explicitly_skipped(tmp_path, tiny, server):
    with pytest.raises(ValueError, match="no checksum"):
        download_mnist(tmp_path, files=["t10k-labels-idx1-ubyte"], mirrors=[server.url], checksums={})
    mirror = _serve(server, "/m/", tiny)
    download_mnist(
        tmp_path,
        files=["t10k-labels-idx1-ubyte"],
        mirrors=[mirror],
        checksums={"t10k-labels-idx1-ubyte": None},
        progress=False,
        timeout=5,
    )
    assert os.listdir(tmp_path) == ["t10k-labels-idx1-ubyte.gz"]


# ---------------------------------------------------------------- scikit-learn digits


def test_digits_split_is_mnist_like_stratified_and_deterministic():
    X_train, y_train, X_test, y_test = load_digits_split(test_size=0.25, seed=0)
    assert X_train.shape[1:] == (8, 8) and X_test.shape[1:] == (8, 8)
    assert len(X_train) + len(X_test) == 1797 and len(X_test) == 450
    assert X_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert X_train.max() == 255 and X_train.min() == 0
    assert set(np.unique(y_test).tolist()) == set(range(10))
    train_frac = np.bincount(y_train, minlength=10) / len(y_train)
    test_frac = np.bincount(y_test, minlength=10) / len(y_test)
    np.testing.assert_allclose(train_frac, test_frac, atol=0.01)
    again = load_digits_split(test_size=0.25, seed=0)
    for a, b in zip((X_train, y_train, X_test, y_test), again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(load_digits_split(seed=1)[3], y_test)
    with pytest.raises(ValueError, match="test_size"):
        load_digits_split(test_size=1.5)
