"""PyTorch's .pth format without torch: our writer read back, malicious pickles refused, bad files named."""

from __future__ import annotations

import math
import os
import pickle
import pickletools
import struct
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

import tinygrad_adam as tg
from tinygrad_adam import CheckpointError, Tensor
from tinygrad_adam.serialization.pth import ALLOWED_GLOBALS


def _state() -> dict:
    rng = np.random.default_rng(0)
    return {
        "model": OrderedDict([
            ("0.weight", rng.standard_normal((4, 1, 3, 3)).astype(np.float32)),
            ("0.bias", Tensor(rng.standard_normal(4).astype(np.float32))),
            ("bn.num_batches_tracked", np.array(7, dtype=np.int64)),
            ("f64", rng.standard_normal((2, 3))),
            ("half", np.array([1.5, -0.0, np.inf], np.float16)),
            ("i32", np.array([-(2**31), 2**31 - 1], np.int32)),
            ("i16", np.array([-5, 300], np.int16)),
            ("i8", np.array([-128, 127], np.int8)),
            ("u8", np.arange(250, 256, dtype=np.uint8)),
            ("mask", np.array([True, False, True])),
            ("empty", np.zeros((0, 3), np.float32)),
            ("big_endian", np.arange(3, dtype=">i4")),
            ("fortran", np.asfortranarray(np.arange(6.0).reshape(2, 3))),
            ("strided", np.arange(10.0, dtype=np.float32)[::3]),
        ]),
        "optimizer": {
            "state": {0: {"step": 3, "exp_avg": np.full(4, 0.5, np.float32)}},
            "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False,
                              "foreach": None, "params": [0, 1]}],
        },
        "floats": [math.inf, -0.0, 1e-310, math.nan],
        "ints": (0, 255, 256, 65536, -1, 2**31, -(2**31) - 1, 2**70, -(2**70)),
        "text": "naïve ✓",
        "empty": ([], (), {}),
        7: "int key",
    }


def _same(a, b) -> bool:
    """Equal in every bit: same container types, dtypes, shapes and bytes (NaN equals NaN)."""
    if isinstance(b, np.ndarray | Tensor):
        expected = np.asarray(b.detach().numpy() if isinstance(b, Tensor) else b)
        got = a.detach().numpy()
        return (isinstance(a, Tensor) and got.dtype == expected.dtype.newbyteorder("=") and got.shape == expected.shape
                and got.tobytes() == np.ascontiguousarray(expected, expected.dtype.newbyteorder("=")).tobytes())
    if type(a) is not type(b):
        return False
    if isinstance(b, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(b, float):
        return struct.pack("<d", a) == struct.pack("<d", b)
    return a == b


def test_round_trip_is_exact(tmp_path):
    state = _state()
    tg.save(state, tmp_path / "ck.pth")
    loaded = tg.load(tmp_path / "ck.pth")
    assert _same(loaded, state)
    assert loaded["model"]["empty"].shape == (0, 3)
    assert not _same(loaded, {**state, "text": "other"})  # the comparison can fail


def test_file_layout_matches_torch_save(tmp_path):
    tg.save({"w": np.ones((3, 5), np.float32), "b": np.arange(7)}, tmp_path / "m.pt")
    with zipfile.ZipFile(tmp_path / "m.pt") as zf:
        names = zf.namelist()
        assert names[0] == "archive/data.pkl"
        assert {"archive/byteorder", "archive/version", "archive/data/0", "archive/data/1"} <= set(names)
        assert zf.read("archive/byteorder") == b"little"
        assert all(info.compress_type == zipfile.ZIP_STORED for info in zf.infolist())
        raw = (tmp_path / "m.pt").read_bytes()
        for key, array in (("0", np.ones((3, 5), np.float32)), ("1", np.arange(7))):
            info = zf.getinfo(f"archive/data/{key}")
            name_len, extra_len = struct.unpack("<HH", raw[info.header_offset + 26 : info.header_offset + 30])
            start = info.header_offset + 30 + name_len + extra_len
            assert start % 64 == 0
            assert raw[start : start + array.nbytes] == array.tobytes()
        globals_used = {arg for op, arg, _ in pickletools.genops(zf.read("archive/data.pkl")) if op.name == "GLOBAL"}
    assert globals_used == {"torch._utils _rebuild_tensor_v2", "torch FloatStorage", "torch LongStorage",
                            "collections OrderedDict"}


def test_suffix_picks_the_format_and_load_reads_the_content(tmp_path):
    tg.save({"w": np.ones(2)}, tmp_path / "a.pth")
    tg.save({"w": np.ones(2)}, tmp_path / "a.npz")
    tg.save({"w": np.ones(2)}, tmp_path / "A.PT")
    with zipfile.ZipFile(tmp_path / "a.npz") as zf:
        assert "archive/data.pkl" not in zf.namelist()
    with zipfile.ZipFile(tmp_path / "A.PT") as zf:
        assert "archive/data.pkl" in zf.namelist()
    os.replace(tmp_path / "a.pth", tmp_path / "renamed.bin")  # the content decides, not the name
    assert isinstance(tg.load(tmp_path / "renamed.bin")["w"], Tensor)
    assert isinstance(tg.load(tmp_path / "a.npz")["w"], np.ndarray)


def test_load_arguments(tmp_path):
    tg.save({"w": np.ones(2)}, tmp_path / "a.pth")
    for kwargs in ({"map_location": "cpu"}, {"map_location": None}, {"weights_only": False}):
        assert tg.load(tmp_path / "a.pth", **kwargs)["w"].detach().numpy().tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="map_location='cuda:0'.*CPU"):
        tg.load(tmp_path / "a.pth", map_location="cuda:0")
    with pytest.raises(FileNotFoundError):
        tg.load(tmp_path / "missing.pth")


def test_unsaveable_values_are_refused_and_nothing_written(tmp_path):
    for bad, match in ((np.zeros(2, np.complex64), "complex64"), ({"f": print}, "builtin_function"),
                       (b"bytes", "bytes"), ({(1, 2): np.zeros(2, np.uint16)}, "uint16"), ({object(): 1}, "keys")):
        with pytest.raises(TypeError, match=match):
            tg.save(bad, tmp_path / "bad.pth")
    assert list(tmp_path.iterdir()) == []


def test_shared_arrays_share_one_storage(tmp_path):
    w = np.arange(4.0)
    tg.save({"a": w, "b": w, "c": w.copy()}, tmp_path / "s.pth")
    with zipfile.ZipFile(tmp_path / "s.pth") as zf:
        assert sorted(n for n in zf.namelist() if "/data/" in n) == ["archive/data/0", "archive/data/1"]
    loaded = tg.load(tmp_path / "s.pth")
    assert loaded["a"].detach().numpy().tolist() == loaded["b"].detach().numpy().tolist() == [0.0, 1.0, 2.0, 3.0]


# ----- building files by hand ---------------------------------------------------------------------------


def _zip(path: Path, pkl: bytes, storages: dict[str, bytes] | None = None, prefix: str = "archive/") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr(f"{prefix}data.pkl", pkl)
        zf.writestr(f"{prefix}byteorder", b"little")
        for key, data in (storages or {}).items():
            zf.writestr(f"{prefix}data/{key}", data)
        zf.writestr(f"{prefix}version", b"3\n")
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(path: Path, members: dict[str, bytes]) -> Path:
    path.unlink()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


class _System:
    def __init__(self, command: str):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


class _Eval:
    def __init__(self, code: str):
        self.code = code

    def __reduce__(self):
        return (eval, (self.code,))


class Arbitrary:
    """A class whose unpickling runs code: its __reduce__ calls a function of this module."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (_touch, (self.marker,))


def _touch(path: str) -> str:
    Path(path).write_text("ran")
    return path


class _Plain:
    def __init__(self):
        self.x = 1


def _payloads(marker: Path) -> dict[str, tuple[object, str]]:
    """name -> (object whose unpickling creates `marker`, the global the error must name)."""
    return {
        "os.system": (_System(f"touch {marker}"), f"{os.system.__module__}.system"),
        "eval": (_Eval(f"open({str(marker)!r}, 'w').write('ran')"), "(__builtin__|builtins).eval"),
        "reduce": (Arbitrary(str(marker)), f"{__name__}._touch"),
        "nested": ({"model": {"w": 1.0}, "extra": [{"evil": _System(f"touch {marker}")}]},
                   f"{os.system.__module__}.system"),
    }


@pytest.mark.parametrize("protocol", [2, 4])
@pytest.mark.parametrize("kind", ["os.system", "eval", "reduce", "nested"])
def test_malicious_pickles_are_refused_and_nothing_runs(tmp_path, kind, protocol):
    marker = tmp_path / "pwned"
    payload, global_name = _payloads(marker)[kind]
    pkl = pickle.dumps(payload, protocol=protocol)
    pickle.loads(pkl)  # the control: unpickled by pickle itself, the payload does run
    assert marker.exists()
    marker.unlink()
    path = _zip(tmp_path / "evil.pth", pkl)
    with pytest.raises(CheckpointError, match=rf"evil\.pth: refusing to load.*global {global_name}"):
        tg.load(path, weights_only=False)
    assert not marker.exists()


def test_arbitrary_class_instance_is_refused(tmp_path):
    path = _zip(tmp_path / "obj.pth", pickle.dumps({"w": _Plain()}, protocol=2))
    with pytest.raises(CheckpointError, match=rf"obj\.pth: .*global {__name__}\._Plain"):
        tg.load(path)


def _valid_pth(tmp_path: Path, obj=None) -> Path:
    path = tmp_path / "ok.pth"
    tg.save({"w": np.arange(4, dtype=np.float32).reshape(2, 2)} if obj is None else obj, path)
    return path


def _patch_pickle(path: Path, old: bytes, new: bytes) -> Path:
    members = _members(path)
    assert old in members["archive/data.pkl"]
    members["archive/data.pkl"] = members["archive/data.pkl"].replace(old, new, 1)
    return _rezip(path, members)


@pytest.mark.parametrize(("old", "new", "match"), [
    (b"K\x02K\x02\x86", b"K\x03K\x02\x86", r"size \(3, 2\).*reads element 5 of a storage of 4"),  # shape too big
    (b"torch\nFloatStorage", b"torch\nDoubleStorage", "holds 16 bytes, 32 expected"),  # wrong dtype
    (b"torch\nFloatStorage", b"torch\nBFloat16Storage", "BFloat16Storage are not supported"),
    (b"torch\nFloatStorage", b"torch\nComplexFloatStorage", "ComplexFloatStorage are not supported"),
    (b"X\x01\x00\x00\x000", b"X\x01\x00\x00\x009", "no member 'archive/data/9'"),  # storage key
    (b"cpuq\x0eK\x04", b"cpuq\x0eK\x05", "holds 16 bytes, 20 expected"),  # numel
    (b"K\x00K\x02K\x02\x86", b"K\x03K\x02K\x02\x86", "offset 3"),  # storage offset
    (b"\x89c", b"\x88c", None),  # requires_grad=True is allowed for floats
    (b"OrderedDict\nq\x12)R", b"OrderedDict\nq\x12)R}K\x00K\x01sb", "_metadata"),  # BUILD on hooks
    (b"Rq\x15s.", b"Rq\x15K\x01bs.", "set the state of a tensor"),  # BUILD on a tensor
    (b"X\x01\x00\x00\x00w", b"X\x01\x00\x00\x00w\x8a\x01\x00r\xf0\xff\xff\xff0", "memo index 4294967280"),
    (b"X\x01\x00\x00\x00w", b"(cos\nsystem\nX\x01\x00\x00\x00wi", "global os.system"),
])
def test_inconsistent_pickles_are_refused(tmp_path, old, new, match):
    path = _patch_pickle(_valid_pth(tmp_path), old, new)
    if match is None:
        assert tg.load(path)["w"].requires_grad
        return
    with pytest.raises(CheckpointError, match=r"ok\.pth: .*" + match):
        tg.load(path)


def test_opcodes_that_build_objects_are_refused(tmp_path):
    path = _zip(tmp_path / "inst.pth", b"\x80\x02(K\x01K\x02l.")  # LIST is fine
    assert tg.load(path) == [1, 2]
    path = _zip(tmp_path / "newobj.pth", b"\x80\x02ccollections\nOrderedDict\n)\x81.")
    with pytest.raises(CheckpointError, match=r"newobj\.pth: .*opcode NEWOBJ"):
        tg.load(path)


def test_objects_a_checkpoint_cannot_hold_are_refused(tmp_path):
    cases = {
        "class.pth": (b"\x80\x02ccollections\nOrderedDict\n.", "type"),  # the class itself as a value
        "storage.pth": (b"\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00"
                        b"cpuK\x01tQ.", "storage appears outside a tensor"),
        "cycle.pth": (b"\x80\x02]q\x00h\x00a.", "nested more than"),
        "call.pth": (b"\x80\x02ctorch\nFloatStorage\n)R.", "not callable"),
    }
    for name, (pkl, match) in cases.items():
        path = _zip(tmp_path / name, pkl, {"0": b"\x00" * 4})
        with pytest.raises(CheckpointError, match=rf"{name}: .*{match}"):
            tg.load(path)


def test_bool_storage_with_other_bytes_is_refused(tmp_path):
    path = _valid_pth(tmp_path, {"m": np.array([True, False])})
    members = _members(path)
    members["archive/data/0"] = b"\x01\x02"
    with pytest.raises(CheckpointError, match="bytes other than 0 and 1"):
        tg.load(_rezip(path, members))


def test_corrupt_zips_and_storages_name_the_file(tmp_path):
    good = _valid_pth(tmp_path).read_bytes()
    cases = {
        "truncated.pth": good[: len(good) // 2],
        "no_directory.pth": good[:-22],
        "flipped.pth": good.replace(np.arange(4, dtype=np.float32).tobytes(),
                                    np.array([0, 1, 2, 5], np.float32).tobytes()),  # CRC mismatch
        "empty.pth": b"",
        "pickle_only.pth": pickle.dumps({"w": 1}, protocol=2),
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(CheckpointError, match=name.replace(".", r"\.")):
            tg.load(tmp_path / name)
    with pytest.raises(CheckpointError, match="before 1.6"):
        tg.load(tmp_path / "pickle_only.pth")


def test_storage_member_of_wrong_size_and_compressed_members(tmp_path):
    path = _valid_pth(tmp_path)
    members = _members(path)
    members["archive/data/0"] = members["archive/data/0"][:8]
    with pytest.raises(CheckpointError, match=r"ok\.pth: zip member 'archive/data/0' holds 8 bytes, 16 expected"):
        tg.load(_rezip(path, members))
    with zipfile.ZipFile(tmp_path / "deflated.pth", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _members(_valid_pth(tmp_path)).items():
            zf.writestr(name, data)
    with pytest.raises(CheckpointError, match=r"deflated\.pth: .*never compressed"):
        tg.load(tmp_path / "deflated.pth")


def test_allowlist_is_small():
    assert set(ALLOWED_GLOBALS) == {
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
        *(f"torch.{t}Storage" for t in ("Float", "Double", "Half", "Long", "Int", "Short", "Char", "Byte", "Bool")),
    }


def test_writing_imports_no_torch_and_the_pickle_holds_only_torch_save_opcodes(tmp_path):
    import subprocess
    import sys

    code = ("import sys, numpy as np, tinygrad_adam as tg; "
            f"tg.save({{'w': np.ones(3, np.float32), 'n': [1, 2.5, None, True]}}, {str(tmp_path / 'a.pth')!r}); "
            "print(sorted(m for m in sys.modules if m == 'torch' or m.startswith('torch.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    with zipfile.ZipFile(tmp_path / "a.pth") as zf:
        opcodes = {op.name for op, _, _ in pickletools.genops(zf.read("archive/data.pkl"))}
    # what torch.load(weights_only=True) understands: no POP, MEMOIZE, FRAME or protocol-4 strings
    assert opcodes <= {"PROTO", "GLOBAL", "BINPUT", "BINGET", "EMPTY_DICT", "EMPTY_LIST", "EMPTY_TUPLE", "MARK",
                       "BINUNICODE", "BININT1", "BINFLOAT", "NONE", "NEWTRUE", "NEWFALSE", "TUPLE", "TUPLE1", "TUPLE2",
                       "BINPERSID", "REDUCE", "SETITEM", "SETITEMS", "APPENDS", "STOP"}
    assert tg.load(tmp_path / "a.pth")["n"] == [1, 2.5, None, True]
