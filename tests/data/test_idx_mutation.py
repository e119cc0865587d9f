"""Mutated IDX files (truncated, bytes flipped, headers spliced) give IDXError naming the file, nothing else.

Never MemoryError, OverflowError, a hang or a crash: the header is checked against the file's length before
anything is allocated, and a gzip stream is decompressed at most one byte past what its header promises.
"""

import gzip
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinygrad_adam.data import IDXError, load_mnist, read_idx, write_idx

SETTINGS = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
HUGE = 2**32 - 1


def _valid(dtype, shape, compressed):
    rng = np.random.default_rng(0)
    array = (rng.standard_normal(shape) * 100).astype(dtype)
    header = bytes([0, 0, {np.uint8: 8, np.int16: 0x0B, np.float32: 0x0D}[dtype], len(shape)])
    raw = header + struct.pack(f">{len(shape)}I", *shape) + array.astype(np.dtype(dtype).newbyteorder(">")).tobytes()
    return gzip.compress(raw, mtime=0) if compressed else raw


def _check(path, data):
    path.write_bytes(data)
    try:
        out = read_idx(path)
    except IDXError as e:
        assert str(path) in str(e)
        return None
    assert isinstance(out, np.ndarray) and out.nbytes <= 8 * len(data) * 1100  # whatever it is, it is bounded
    return out


files = st.tuples(
    st.sampled_from([np.uint8, np.int16, np.float32]),
    st.lists(st.integers(0, 6), min_size=1, max_size=3).map(tuple),
    st.booleans(),
)


@SETTINGS
@given(spec=files, cut=st.integers(0, 10_000))
def test_truncation(tmp_path, spec, cut):
    data = _valid(*spec)
    cut %= len(data)
    assert _check(tmp_path / "cut-idx", data[:cut]) is None  # every strict prefix is refused


@SETTINGS
@given(spec=files, flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(1, 255)), min_size=1, max_size=4))
def test_flipped_bytes(tmp_path, spec, flips):
    data = bytearray(_valid(*spec))
    for position, mask in flips:
        data[position % len(data)] ^= mask
    _check(tmp_path / "flip-idx", bytes(data))


dims = st.one_of(st.integers(0, 70), st.sampled_from([HUGE, 2**31, 60000, 2**16]))


@SETTINGS
@given(code=st.sampled_from([8, 9, 0x0B, 0x0C, 0x0D, 0x0E, 0, 0xFF]), ndim=st.integers(0, 255),
       shape=st.lists(dims, max_size=8), body=st.binary(max_size=300), compressed=st.booleans(),
       extra_ndim=st.booleans())
def test_spliced_headers(tmp_path, code, ndim, shape, body, compressed, extra_ndim):
    ndim = ndim if extra_ndim else len(shape)
    header = bytes([0, 0, code, ndim]) + struct.pack(f">{len(shape)}I", *shape)
    data = header + body
    _check(tmp_path / "splice-idx", gzip.compress(data, mtime=0) if compressed else data)


@pytest.mark.parametrize("compressed", [False, True])
@pytest.mark.parametrize("shape", [(HUGE, HUGE, HUGE), (60000, 60000, 60000), (0, HUGE, HUGE, HUGE), (HUGE,)])
def test_absurd_headers_are_refused_before_allocating(tmp_path, compressed, shape):
    header = bytes([0, 0, 0x0E, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)
    data = header + bytes(64)
    path = tmp_path / "absurd-idx3-ubyte"
    path.write_bytes(gzip.compress(data) if compressed else data)
    with pytest.raises(IDXError, match="absurd-idx3-ubyte") as err:
        read_idx(path)
    assert "expected" in str(err.value) or "too large" in str(err.value)


def test_too_many_dimensions(tmp_path):
    path = tmp_path / "dims"
    path.write_bytes(bytes([0, 0, 8, 200]) + bytes(800))
    with pytest.raises(IDXError, match=r"dims: header claims 200 dimensions, expected at most 32"):
        read_idx(path)


def test_gzip_bomb_is_not_decompressed_past_the_header(tmp_path, monkeypatch):
    header = bytes([0, 0, 8, 1]) + struct.pack(">I", 10)
    path = tmp_path / "bomb.gz"
    path.write_bytes(gzip.compress(header + bytes(10) + bytes(50_000_000), compresslevel=9))
    read_sizes = []
    real_read = gzip.GzipFile.read

    def spy(self, size=-1):
        read_sizes.append(size)
        return real_read(self, size)

    monkeypatch.setattr(gzip.GzipFile, "read", spy)
    with pytest.raises(IDXError, match="bomb.gz: expected 18 bytes.*trailing"):
        read_idx(path)
    assert all(0 <= s <= 11 for s in read_sizes) and sum(read_sizes) <= 8 + 11


def test_mutated_mnist_folder_names_the_file(tmp_path):
    rng = np.random.default_rng(0)
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", rng.integers(0, 10, 3, dtype=np.uint8))
    gz = (tmp_path / "t10k-labels-idx1-ubyte.gz").read_bytes()
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gz[:-6])
    with pytest.raises(IDXError, match="t10k-labels-idx1-ubyte.gz"):
        load_mnist("test", root=tmp_path, download=False)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte.gz", rng.integers(0, 10, (3, 1), dtype=np.uint8))
    with pytest.raises(IDXError, match=r"t10k-labels-idx1-ubyte.gz: expected uint8 labels of shape \(N,\)"):
        load_mnist("test", root=tmp_path, download=False)
