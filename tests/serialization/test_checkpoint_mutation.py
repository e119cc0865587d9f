"""Mutated checkpoints (.npz and .pth): every mutation loads the original value or raises CheckpointError naming
the file; zip bombs are refused before anything is read."""

from __future__ import annotations

import struct
import zipfile
from collections import OrderedDict

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_adam as tg
from tinygrad_adam import CheckpointError, Tensor


def _state() -> dict:
    rng = np.random.default_rng(1)
    return {
        "model": OrderedDict([("fc.weight", rng.standard_normal((3, 4)).astype(np.float32)),
                              ("fc.bias", np.zeros(3, np.float32)), ("steps", np.array(5))]),
        "optimizer": {"state": {0: {"step": 2, "exp_avg": np.full(4, 0.25)}},
                      "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0]}]},
        "epoch": 3,
    }


def _plain(obj):
    """Tensors and arrays to (dtype, shape, bytes), so two loads compare with ==."""
    if isinstance(obj, Tensor | np.ndarray):
        array = obj.detach().numpy() if isinstance(obj, Tensor) else obj
        return ("array", str(array.dtype), array.shape, array.tobytes())
    if isinstance(obj, dict):
        return (type(obj).__name__, [(k, _plain(v)) for k, v in obj.items()])
    if isinstance(obj, list | tuple):
        return (type(obj).__name__, [_plain(v) for v in obj])
    return obj


@pytest.fixture(scope="module", params=["ck.npz", "ck.pth"])
def valid(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("valid") / request.param
    tg.save(_state(), path)
    return request.param, path.read_bytes(), _plain(tg.load(path))


def _check(tmp_path, name: str, data: bytes, expected) -> None:
    path = tmp_path / f"mutated-{name}"
    path.write_bytes(data)
    try:
        loaded = tg.load(path)
    except CheckpointError as e:
        assert str(path) in str(e)
        return
    assert _plain(loaded) == expected  # a mutation that loads must not have changed any value


_SETTINGS = settings(max_examples=150, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@_SETTINGS
@given(data=st.data())
def test_truncated(valid, tmp_path, data):
    name, good, expected = valid
    cut = data.draw(st.integers(0, len(good) - 1))
    _check(tmp_path, name, good[:cut], expected)


@_SETTINGS
@given(data=st.data())
def test_flipped_bytes(valid, tmp_path, data):
    name, good, expected = valid
    mutated = bytearray(good)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(good) - 1))
        mutated[i] ^= data.draw(st.integers(1, 255))
    _check(tmp_path, name, bytes(mutated), expected)


@_SETTINGS
@given(data=st.data())
def test_spliced(valid, tmp_path, data):
    """Copy a stretch of the file over another place (headers over data, data over headers), or delete one."""
    name, good, expected = valid
    start = data.draw(st.integers(0, len(good) - 1))
    length = data.draw(st.integers(1, 64))
    piece = good[start : start + length]
    to = data.draw(st.integers(0, len(good) - 1))
    if data.draw(st.booleans()):
        mutated = good[:to] + piece + good[to + len(piece) :]
    else:
        mutated = good[:start] + good[start + length :]
    _check(tmp_path, name, mutated, expected)


@_SETTINGS
@given(data=st.data())
def test_header_fields_set_to_extremes(valid, tmp_path, data):
    """Overwrite a 2-, 4- or 8-byte field anywhere with 0, -1 or a huge value: sizes, offsets, counts."""
    name, good, expected = valid
    width = data.draw(st.sampled_from([2, 4, 8]))
    at = data.draw(st.integers(0, len(good) - width))
    value = data.draw(st.sampled_from([0, 2 ** (8 * width) - 1, 2 ** (8 * width - 1), 2 ** (8 * width - 2) + 7]))
    mutated = good[:at] + value.to_bytes(width, "little") + good[at + width :]
    _check(tmp_path, name, mutated, expected)


def _set_central_sizes(raw: bytes, member: str, file_size: int) -> bytes:
    """Rewrite `member`'s uncompressed size in the central directory (the one zipfile trusts)."""
    at = raw.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack("<H", raw[at + 28 : at + 30])[0]
        if raw[at + 46 : at + 46 + name_len].decode() == member:
            return raw[: at + 24] + struct.pack("<I", file_size) + raw[at + 28 :]
        at = raw.index(b"PK\x01\x02", at + 4)


def test_zip_bomb_is_refused_before_reading(tmp_path, monkeypatch):
    reads = []
    original_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: reads.append(a) or original_open(self, *a, **k))
    # a deflated member that claims 4 GB from a few hundred bytes
    path = tmp_path / "bomb.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("w.npy", b"\x93NUMPY" + bytes(200))
    path.write_bytes(_set_central_sizes(path.read_bytes(), "w.npy", 2**32 - 1))
    reads.clear()
    with pytest.raises(CheckpointError, match=r"bomb\.npz: zip member 'w.npy' declares 4294967295 bytes.*zip bomb"):
        tg.load(path)
    assert reads == []
    # a stored member whose declared size runs past the end of the file
    for name in ("big.npz", "big.pth"):
        tg.save({"w": np.zeros(4)}, tmp_path / name)
        member = "w.npy" if name.endswith("npz") else "archive/data/0"
        raw = _set_central_sizes((tmp_path / name).read_bytes(), member, 2**31)
        (tmp_path / name).write_bytes(raw)
        reads.clear()
        with pytest.raises(CheckpointError, match=rf"{name}: zip member"):
            tg.load(tmp_path / name)
        assert reads == []


def _npy(header: bytes, data: bytes) -> bytes:
    body = header.ljust(117) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body + data


def test_real_deflate_bomb_within_the_ratio_still_needs_a_consistent_npy_header(tmp_path):
    path = tmp_path / "zeros.npz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("w.npy", _npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }", bytes(2_000_000)))
    assert path.stat().st_size < 10_000
    with pytest.raises(CheckpointError, match=r"zeros\.npz: .*shape \(10,\).*80 bytes.*2000000 bytes"):
        tg.load(path)


def test_npy_header_claiming_a_huge_array_is_refused_without_allocating(tmp_path):
    path = tmp_path / "huge.npz"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("w.npy", _npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", bytes(24)))
    with pytest.raises(CheckpointError, match=r"huge\.npz: .*shape \(1000000000000,\).*holds 24 bytes"):
        tg.load(path)


def test_npy_object_dtype_and_bad_headers_are_refused(tmp_path):
    for name, header, match in (
        ("object.npz", b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", "pickled"),
        ("negative.npz", b"{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", "shape"),
        ("garbage.npz", b"{'descr': __import__('os'), }", "not a valid .npy"),
        ("void.npz", b"{'descr': '|V0', 'fortran_order': False, 'shape': (99999999999,), }", "no size"),
    ):
        with zipfile.ZipFile(tmp_path / name, "w") as zf:
            zf.writestr("w.npy", _npy(header, bytes(8)))
        with pytest.raises(CheckpointError, match=rf"{name}: .*{match}"):
            tg.load(tmp_path / name)


def test_compressed_npz_still_loads(tmp_path):
    np.savez_compressed(tmp_path / "c.npz", w=np.arange(1000.0))
    assert tg.load(tmp_path / "c.npz")["w"].tolist() == list(np.arange(1000.0))


@_SETTINGS
@given(data=st.data())
def test_mutated_members_with_valid_crc(valid, tmp_path, data):
    """Mutate one member's content and re-zip it with a correct CRC, so the pickle or .npy parser sees the
    damage: the load either succeeds (a changed number is still a valid file) or raises CheckpointError."""
    name, good, _ = valid
    (tmp_path / "source").write_bytes(good)
    with zipfile.ZipFile(tmp_path / "source") as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    names = sorted(members)
    target = data.draw(st.sampled_from([n for n in names if n.endswith(("data.pkl", "__tinygrad_adam__.npy"))]
                                       + names))
    content = bytearray(members[target])
    if content and data.draw(st.booleans()):
        for _ in range(data.draw(st.integers(1, 3))):
            content[data.draw(st.integers(0, len(content) - 1))] ^= data.draw(st.integers(1, 255))
    else:
        cut = data.draw(st.integers(0, len(content)))
        content = content[:cut] + bytearray(data.draw(st.binary(max_size=8))) + content[cut + 1 :]
    members[target] = bytes(content)
    path = tmp_path / f"rezipped-{name}"
    with zipfile.ZipFile(path, "w") as zf:
        for member, value in members.items():
            zf.writestr(member, value)
    try:
        tg.load(path)
    except CheckpointError as e:
        assert str(path) in str(e)
