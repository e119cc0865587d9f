import io
import json
import math
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tinygrad_adam.serialization import MANIFEST_KEY, CheckpointError, load, save


class FakeTensor:
    """Duck-typed stand-in for tinygrad_adam.tensor.Tensor: an ndarray `.array` and `.detach().numpy()`."""

    def __init__(self, data):
        self.array = np.asarray(data)

    def numpy(self):
        return self.array


def _state():
    return {
        "model": {
            "fc1.weight": np.arange(12, dtype=np.float32).reshape(3, 4),
            "fc1.bias": FakeTensor(np.ones(3, np.float32)),
            "big_endian": np.arange(3, dtype=">i4"),
            "fortran": np.asfortranarray(np.arange(6.0).reshape(2, 3)),
            "scalar0d": np.array(2.5),
            "empty": np.zeros((0, 4), np.int8),
            "mask": np.array([True, False]),
        },
        "optimizer": {
            "state": {
                0: {"step": 3, "exp_avg": np.full(4, 0.5), "exp_avg_sq": np.zeros(4)},
                1: {"step": np.int64(3), "exp_avg": np.zeros(2)},
            },
            "param_groups": [
                {
                    "lr": 1e-3,
                    "betas": (0.9, 0.999),
                    "eps": 1e-8,
                    "weight_decay": 0.0,
                    "amsgrad": False,
                    "maximize": None,
                    "params": [0, 1],
                    "name": "default",
                },
            ],
        },
        "epoch": 7,
        "huge": 2**70,
        "floats": [1.0, math.inf, 1e-310],
        "mixed": (1, 2.5, True),
        "empty_dict": {},
        "empty_list": [],
        "nested_tuple": ((1, 2), ("a", None)),
        "key.with.dots": {"and": np.array([1, 2])},
        "key": {"with.dots": {"and": np.array([3])}},  # same dotted name as the entry above
        5: "int key at the top",
    }


def _assert_same(a, b, where="root"):
    assert type(a) is type(b), f"{where}: {type(a)} != {type(b)}"
    if isinstance(a, dict):
        assert list(a) == list(b), where
        assert [type(k) for k in a] == [type(k) for k in b], where
        for k in a:
            _assert_same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _assert_same(x, y, f"{where}.{i}")
    elif isinstance(a, np.ndarray | np.generic):
        assert a.dtype == b.dtype and a.shape == b.shape, where
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b or (a != a and b != b), where


def _expected(obj):
    """What load should return: Tensors become ndarrays, everything else as it was."""
    if isinstance(obj, FakeTensor):
        return obj.array
    if isinstance(obj, dict):
        return {k: _expected(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return type(obj)(_expected(v) for v in obj)
    return obj


def test_nested_round_trip(tmp_path):
    state = _state()
    save(state, tmp_path / "ckpt.npz")
    _assert_same(_expected(state), load(tmp_path / "ckpt.npz"))


def test_round_trip_is_exact_for_types(tmp_path):
    save(_state(), str(tmp_path / "c"))
    out = load(str(tmp_path / "c"))
    group = out["optimizer"]["param_groups"][0]
    assert group["betas"] == (0.9, 0.999) and type(group["betas"]) is tuple
    assert group["params"] == [0, 1] and all(type(p) is int for p in group["params"])
    assert group["amsgrad"] is False and group["maximize"] is None
    assert list(out["optimizer"]["state"]) == [0, 1]  # int keys stay ints
    assert type(out["optimizer"]["state"][1]["step"]) is np.int64
    assert out["huge"] == 2**70 and out[5] == "int key at the top"
    assert [type(v) for v in out["mixed"]] == [int, float, bool]
    assert out["model"]["fortran"].flags.f_contiguous


def test_arrays_are_stored_under_dotted_names(tmp_path):
    save(_state(), tmp_path / "c.npz")
    with np.load(tmp_path / "c.npz", allow_pickle=False) as npz:
        names = set(npz.files)
        np.testing.assert_array_equal(npz["optimizer.state.0.exp_avg"], np.full(4, 0.5))
    assert {"model.fc1.weight", "model.fc1.bias", MANIFEST_KEY} <= names
    assert {"key.with.dots.and", "key.with.dots.and~1"} <= names  # the collision gets a unique name


def test_path_is_used_as_given(tmp_path):
    save({"a": np.zeros(2)}, tmp_path / "model.ckpt")
    assert os.listdir(tmp_path) == ["model.ckpt"]  # np.savez would have added ".npz"
    mode = os.stat(tmp_path / "model.ckpt").st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_plain_npz_loads_as_flat_dict(tmp_path):
    np.savez(tmp_path / "w.npz", weight=np.eye(2), bias=np.zeros(2))
    out = load(tmp_path / "w.npz")
    assert set(out) == {"weight", "bias"}
    np.testing.assert_array_equal(out["weight"], np.eye(2))


def test_load_is_eager_and_closes_the_file(tmp_path):
    save({"w": np.arange(5)}, tmp_path / "c")
    out = load(tmp_path / "c")
    os.remove(tmp_path / "c")
    np.testing.assert_array_equal(out["w"], np.arange(5))
    if os.path.isdir("/proc/self/fd"):
        assert not any(str(tmp_path) in os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd"))


def test_failed_save_keeps_previous_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    save({"w": np.arange(3), "step": 1}, path)
    before = path.read_bytes()
    real_write_array = np.lib.format.write_array
    calls = []

    def write_then_fail(fp, array, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # the first array is already in the temp file
            raise OSError("disk full")
        return real_write_array(fp, array, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", write_then_fail)
    with pytest.raises(OSError, match="disk full"):
        save({"w": np.zeros(1000), "v": np.ones(1000), "step": 2}, path)
    monkeypatch.undo()
    assert calls == [1, 1]
    assert path.read_bytes() == before
    old = load(path)
    assert old["step"] == 1 and set(old) == {"w", "step"}
    np.testing.assert_array_equal(old["w"], np.arange(3))
    assert os.listdir(tmp_path) == ["ckpt.npz"]  # no temp file left


@pytest.mark.parametrize(
    "bad, match",
    [
        ({"x": np.array([1, "a"], dtype=object)}, "object"),
        ({"x": {1, 2}}, "set"),
        ({(1, 2): 3}, "keys must be str or int"),
        ({"x": [np.zeros(1), object()]}, "object"),
    ],
)
def test_unsaveable_values_are_refused_and_nothing_written(tmp_path, bad, match):
    with pytest.raises(TypeError, match=match):
        save(bad, tmp_path / "c")
    assert os.listdir(tmp_path) == []


def test_pickled_npz_is_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, x=np.array([{"a": 1}], dtype=object))
    with pytest.raises(CheckpointError, match="evil.npz.*pickle"):
        load(path)


def test_plain_pickle_file_is_refused(tmp_path):
    path = tmp_path / "model.pkl"
    path.write_bytes(b"\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.")  # pickle of {"a": 1}
    with pytest.raises(CheckpointError, match="model.pkl"):
        load(path)


def test_random_bytes_and_truncated_files(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(np.random.default_rng(0).bytes(500))
    with pytest.raises(CheckpointError, match="junk.npz"):
        load(junk)
    save(_state(), tmp_path / "full.npz")
    data = (tmp_path / "full.npz").read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 3):
        (tmp_path / "cut.npz").write_bytes(data[:cut])
        with pytest.raises(CheckpointError, match="cut.npz"):
            load(tmp_path / "cut.npz")
    (tmp_path / "empty.npz").write_bytes(b"")
    with pytest.raises(CheckpointError, match="empty.npz"):
        load(tmp_path / "empty.npz")


def _zip(path, members):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _npy(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


def test_bad_archives_and_manifests(tmp_path):
    _zip(tmp_path / "notnpy.npz", {"readme.txt": b"hello"})
    with pytest.raises(CheckpointError, match="notnpy.npz.*not a .npy"):
        load(tmp_path / "notnpy.npz")
    _zip(tmp_path / "badjson.npz", {f"{MANIFEST_KEY}.npy": _npy(np.frombuffer(b"{oops", np.uint8))})
    with pytest.raises(CheckpointError, match="badjson.npz.*manifest"):
        load(tmp_path / "badjson.npz")
    future = {"format": "tinygrad_adam.checkpoint", "version": 99, "entries": []}
    _zip(tmp_path / "future.npz", {f"{MANIFEST_KEY}.npy": _npy(np.frombuffer(json.dumps(future).encode(), np.uint8))})
    with pytest.raises(CheckpointError, match="future.npz.*version 99"):
        load(tmp_path / "future.npz")
    dangling = {
        "format": "tinygrad_adam.checkpoint",
        "version": 1,
        "entries": [{"path": ["a"], "kind": "array", "name": "missing"}],
    }
    _zip(tmp_path / "dangling.npz", {f"{MANIFEST_KEY}.npy": _npy(np.frombuffer(json.dumps(dangling).encode(), "u1"))})
    with pytest.raises(CheckpointError, match="dangling.npz"):
        load(tmp_path / "dangling.npz")


def test_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(Path(tmp_path) / "nope.npz")


def test_save_and_load_through_file_objects(tmp_path):
    """torch.save(obj, buffer) / torch.load(buffer): a file object gets PyTorch's format at its position."""
    import tinygrad_adam as tg

    state = {"weight": tg.arange(6.0).reshape(2, 3), "step": 7, "betas": (0.9, 0.999)}
    buffer = io.BytesIO()
    tg.save(state, buffer)
    assert buffer.getvalue()[:2] == b"PK" and b"archive/data.pkl" in buffer.getvalue()
    buffer.seek(0)
    loaded = tg.load(buffer)
    assert loaded["step"] == 7 and loaded["betas"] == (0.9, 0.999)
    assert loaded["weight"].tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    path = tmp_path / "state.npz"  # an open file: the file object decides the format, not the name
    with open(path, "wb") as f:
        tg.save(state, f)
    with open(path, "rb") as f:
        assert tg.load(f)["weight"].tolist() == loaded["weight"].tolist()
    with pytest.raises(CheckpointError, match="<file object>: not a checkpoint"):
        tg.load(io.BytesIO(b"not a zip"))
