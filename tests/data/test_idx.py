import gzip
import os
import struct

import numpy as np
import pytest

from tinygrad_adam.data.idx import IDXError, read_idx, write_idx

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]
SHAPES = [(7,), (3, 5), (2, 3, 4), (1, 2, 1, 3)]


def _random(dtype, shape, seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    return rng.standard_normal(shape).astype(dtype)


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip(tmp_path, dtype, shape, suffix):
    a = _random(dtype, shape)
    path = tmp_path / f"data-idx{suffix}"
    write_idx(path, a)
    b = read_idx(path)
    assert b.dtype == np.dtype(dtype) and b.dtype.isnative
    assert b.shape == shape
    np.testing.assert_array_equal(a, b)
    b.flat[0] = 0  # arrays come back writable
    assert (path.read_bytes()[:2] == b"\x1f\x8b") == (suffix == ".gz")
    assert sorted(os.listdir(tmp_path)) == [path.name]  # no temp files left behind


def test_written_layout_is_big_endian_idx(tmp_path):
    a = np.array([[1, -2, 3], [256, 5, -32768]], dtype=np.int16)
    write_idx(tmp_path / "x", a)
    raw = (tmp_path / "x").read_bytes()
    assert raw[:4] == b"\x00\x00\x0b\x02"
    assert struct.unpack(">II", raw[4:12]) == (2, 3)
    assert struct.unpack(">6h", raw[12:]) == (1, -2, 3, 256, 5, -32768)


def test_little_endian_input_is_written_correctly(tmp_path):
    a = np.arange(6, dtype="<f8").reshape(2, 3)
    write_idx(tmp_path / "le", a)
    np.testing.assert_array_equal(read_idx(tmp_path / "le"), a)


def test_compression_is_detected_by_magic_not_extension(tmp_path):
    a = _random(np.uint8, (4, 28, 28))
    write_idx(tmp_path / "real.gz", a)
    write_idx(tmp_path / "plain", a)
    os.replace(tmp_path / "real.gz", tmp_path / "no-extension")
    os.replace(tmp_path / "plain", tmp_path / "misnamed.gz")
    np.testing.assert_array_equal(read_idx(tmp_path / "no-extension"), a)
    np.testing.assert_array_equal(read_idx(str(tmp_path / "misnamed.gz")), a)


def test_truncated_file_names_file_and_expected_size(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte"
    write_idx(path, np.zeros((60, 28, 28), np.uint8))
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(IDXError) as err:
        read_idx(path)
    msg = str(err.value)
    assert "train-images-idx3-ubyte" in msg
    assert "expected 47056 bytes" in msg and "(60, 28, 28) uint8" in msg and "found 1000" in msg


def test_mnist_sized_header_with_short_gzip_payload(tmp_path):
    path = tmp_path / "train-images-idx3-ubyte.gz"
    header = b"\x00\x00\x08\x03" + struct.pack(">III", 60000, 28, 28)
    path.write_bytes(gzip.compress(header + bytes(1000 - len(header))))
    # refused from the header and the compressed size alone, before anything past the header is decompressed
    with pytest.raises(IDXError, match=r"train-images-idx3-ubyte\.gz: .*expected 47040016 bytes.*cannot hold"):
        read_idx(path)


def test_short_gzip_payload_names_expected_and_found(tmp_path):
    path = tmp_path / "imgs.gz"
    header = b"\x00\x00\x08\x03" + struct.pack(">III", 60, 28, 28)
    payload = np.random.default_rng(0).integers(0, 256, 1000 - len(header), dtype=np.uint8).tobytes()
    path.write_bytes(gzip.compress(header + payload))
    with pytest.raises(IDXError, match=r"imgs\.gz: truncated file, expected 47056 bytes.*found 1000 after decompr"):
        read_idx(path)


def test_truncated_gzip_stream(tmp_path):
    path = tmp_path / "t.gz"
    write_idx(path, _random(np.float32, (50, 50)))
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(IDXError, match="t.gz"):
        read_idx(path)


def test_truncated_header(tmp_path):
    path = tmp_path / "h"
    path.write_bytes(b"\x00\x00\x08\x03" + struct.pack(">I", 5))
    with pytest.raises(IDXError, match="truncated header"):
        read_idx(path)
    path.write_bytes(b"\x00\x00")
    with pytest.raises(IDXError, match="4-byte magic"):
        read_idx(path)


@pytest.mark.parametrize(
    "magic, match",
    [(b"\x01\x00\x08\x01", "not an IDX file"), (b"\x00\x07\x08\x01", "not an IDX file"), (b"\x00\x00\x0a\x01", "0x0A")],
)
def test_wrong_magic(tmp_path, magic, match):
    path = tmp_path / "bad-idx1-ubyte"
    path.write_bytes(magic + struct.pack(">I", 3) + b"\x01\x02\x03")
    with pytest.raises(IDXError, match=match) as err:
        read_idx(path)
    assert "bad-idx1-ubyte" in str(err.value)


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_trailing_garbage_is_an_error(tmp_path, suffix):
    path = tmp_path / f"labels{suffix}"
    write_idx(path, np.arange(10, dtype=np.uint8))
    data = gzip.decompress(path.read_bytes()) if suffix else path.read_bytes()
    data += b"garbage"
    path.write_bytes(gzip.compress(data) if suffix else data)
    # a plain file's length is known up front; a gzip stream is read only one byte past the header's promise
    found = r"found 25 \(7 trailing bytes\)" if not suffix else r"found more after decompression"
    with pytest.raises(IDXError, match=r"expected 18 bytes.*" + found):
        read_idx(path)


def test_unsupported_dtype_is_refused_and_nothing_written(tmp_path):
    with pytest.raises(IDXError, match="int64"):
        write_idx(tmp_path / "x", np.arange(3, dtype=np.int64))
    assert os.listdir(tmp_path) == []


def test_failed_write_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "keep.gz"
    old = np.arange(12, dtype=np.uint8)
    write_idx(path, old)

    def boom(self, data):
        raise OSError("disk full")

    monkeypatch.setattr(gzip.GzipFile, "write", boom)
    with pytest.raises(OSError, match="disk full"):
        write_idx(path, np.zeros(12, np.uint8))
    monkeypatch.undo()
    np.testing.assert_array_equal(read_idx(path), old)
    assert os.listdir(tmp_path) == ["keep.gz"]
