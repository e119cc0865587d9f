"""Save and load model / optimizer state dicts: the project's .npz format, and PyTorch's .pt/.pth format.

`save(obj, "x.pth")` (or ".pt") writes PyTorch's zip format (see pth.py); other names get the .npz
format below. `load` reads both, whatever the name, and never unpickles anything unrestricted.

The .npz format, without pickle:

Nested dicts, lists and tuples are flattened: every array becomes one .npz entry named by its dotted key
path ("state.0.exp_avg"). A JSON manifest, stored as a uint8 array named "__tinygrad_adam__", records the
format version and, per leaf, its kind and key path as a JSON list (so int keys come back as ints and keys
containing dots are safe). Python scalars, None, strings and lists/tuples of numbers (betas=(0.9, 0.999),
params=[0, 1, 2]) live in the manifest itself. Tensors (anything with an ndarray `.array` and a `.numpy()`)
are saved as arrays. An .npz without the manifest (e.g. from np.savez) loads as a flat {name: array} dict.
"""

from __future__ import annotations

import io
import json
import math
import os
import pickle
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np

from .._platform.atomic import atomic_write, is_file_object
from ..core.tensor import Tensor
from . import pth
from .checked_zip import CheckpointError, CheckpointZip

__all__ = ["save", "load", "CheckpointError", "MANIFEST_KEY", "FORMAT_VERSION", "PYTORCH_SUFFIXES"]

MANIFEST_KEY = "__tinygrad_adam__"
FORMAT_NAME = "tinygrad_adam.checkpoint"
FORMAT_VERSION = 1
_SCALARS = {bool: "bool", int: "int", float: "float", str: "str", type(None): "none"}
_NUMBERS = (bool, int, float)
PYTORCH_SUFFIXES = (".pt", ".pth")


def _is_tensor(obj: Any) -> bool:
    return isinstance(getattr(obj, "array", None), np.ndarray) and callable(getattr(obj, "numpy", None))


def _flatten(obj: Any, path: list[Any], entries: list[dict], arrays: dict[str, np.ndarray]) -> None:
    """Append manifest entries for obj (pre-order: containers before their children)."""
    where = ".".join(map(str, path)) or "<root>"
    if _is_tensor(obj):
        obj = np.asarray(obj.array)
    if isinstance(obj, np.ndarray | np.generic):
        if obj.dtype.hasobject:
            raise TypeError(f"{where}: object arrays cannot be saved without pickle (dtype {obj.dtype})")
        name = ".".join(map(str, path)).replace("\0", "_") or "_"  # zip member names cannot hold NUL
        unique, i = name, 1
        while unique in arrays or unique == MANIFEST_KEY:
            unique, i = f"{name}~{i}", i + 1
        arrays[unique] = np.asarray(obj)
        kind = "array" if isinstance(obj, np.ndarray) else "npscalar"
        entries.append({"path": path, "kind": kind, "name": unique})
    elif type(obj) in _SCALARS:
        entries.append({"path": path, "kind": _SCALARS[type(obj)], "value": obj})
    elif type(obj) in (list, tuple) and all(type(v) in _NUMBERS for v in obj):
        entries.append({"path": path, "kind": type(obj).__name__, "value": list(obj)})
    elif isinstance(obj, Mapping) or type(obj) in (list, tuple):
        container = "dict" if isinstance(obj, Mapping) else type(obj).__name__
        entries.append({"path": path, "kind": "container", "type": container})
        items = obj.items() if isinstance(obj, Mapping) else enumerate(obj)
        for key, value in items:
            if type(key) not in (str, int):
                raise TypeError(f"{where}: dict keys must be str or int, got {type(key).__name__} {key!r}")
            _flatten(value, [*path, key], entries, arrays)
    else:
        hint = " (convert list/tuple subclasses such as namedtuples to plain ones)" * isinstance(obj, list | tuple)
        raise TypeError(f"{where}: cannot save a value of type {type(obj).__name__}{hint}")


def save(obj: Any, f: str | os.PathLike[str] | io.IOBase, pickle_module: Any = pickle, pickle_protocol: int = 2,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """Save a (nested) state dict to `f`, atomically: a failed save leaves the old file.

    A name ending in .pt or .pth gets PyTorch's format, which `torch.load(path, weights_only=True)` reads
    (arrays and Tensors become torch tensors); any other name gets the .npz format, used as given (no ".npz"
    is appended). A file object (io.BytesIO, an open file) gets PyTorch's format, written at its position.
    Raises TypeError for values that neither format can hold without pickling code. PyTorch's other
    arguments are accepted at their defaults (pickle, protocol 2, the zip format with its byte order record)
    and refused otherwise.
    """
    for given, default, name in ((pickle_module, pickle, "pickle_module"), (pickle_protocol, 2, "pickle_protocol"),
                                 (_use_new_zipfile_serialization, True, "_use_new_zipfile_serialization"),
                                 (_disable_byteorder_record, False, "_disable_byteorder_record")):
        if given is not default and given != default:
            raise NotImplementedError(f"save({name}={given!r}): only PyTorch's default ({default!r}) is written here")
    path = f
    if is_file_object(path) or os.fspath(path).lower().endswith(PYTORCH_SUFFIXES):
        pth.write_pth(obj, path)
        return
    entries: list[dict] = []
    arrays: dict[str, np.ndarray] = {}
    _flatten(obj, [], entries, arrays)
    manifest = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "entries": entries}
    arrays[MANIFEST_KEY] = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    with atomic_write(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, array in arrays.items():
            with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _read_npy(name: str, member: str, data: bytes) -> np.ndarray:
    """Parse one .npy member, checking the header's shape and dtype against the bytes actually present."""
    where = f"{name}: zip member {member!r}"
    f = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(f)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        if version not in read_header:
            raise CheckpointError(f"{where}: .npy format version {version} is not supported")
        shape, fortran_order, dtype = read_header[version](f)
    except CheckpointError:
        raise
    except Exception as e:  # NumPy parses the header with ast and tokenize, which raise many kinds of errors
        raise CheckpointError(f"{where} is not a valid .npy array ({type(e).__name__}: {e})") from e
    if dtype.itemsize == 0:
        raise CheckpointError(f"{where}: dtype {dtype} has no size")
    if dtype.hasobject:
        raise CheckpointError(f"{where}: refusing to load pickled (object) data, dtype {dtype}")
    if len(shape) > 64 or any(n < 0 for n in shape):
        raise CheckpointError(f"{where}: invalid array shape {shape}")
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes != len(data) - f.tell():
        raise CheckpointError(f"{where}: its header declares shape {shape} of {dtype} ({nbytes} bytes), "
                              f"the member holds {len(data) - f.tell()} bytes of data")
    try:
        array = np.frombuffer(data, dtype=dtype, count=math.prod(shape), offset=f.tell())
        return array.reshape(shape, order="F" if fortran_order else "C").copy(order="K")
    except (ValueError, TypeError) as e:
        raise CheckpointError(f"{where}: cannot build an array of shape {shape} and dtype {dtype}: {e}") from e


@contextmanager
def _readable(path: Any) -> Iterator[Any]:
    """A file object as it is (its owner closes it), or the file at a path opened for reading."""
    if is_file_object(path):
        yield path
        return
    with open(path, "rb") as f:
        yield f


def _read_arrays(archive: CheckpointZip) -> dict[str, np.ndarray]:
    arrays = {}
    for member in archive.members:
        if not member.endswith(".npy"):
            raise CheckpointError(f"{archive.name}: zip member {member!r} is not a .npy array; not a checkpoint")
        arrays[member[: -len(".npy")]] = _read_npy(archive.name, member, archive.read(member))
    return arrays


def _unflatten(name: str, entries: list, arrays: dict[str, np.ndarray]) -> Any:
    nodes: dict[tuple, Any] = {}
    tuples: list[tuple] = []
    root: Any = None
    for entry in entries:
        path, kind = tuple(entry["path"]), entry["kind"]
        if kind == "container":
            value = {} if entry["type"] == "dict" else []
            nodes[path] = value
            if entry["type"] == "tuple":
                tuples.append(path)
        elif kind in ("array", "npscalar"):
            value = arrays[entry["name"]]
            value = value[()] if kind == "npscalar" else value
        elif kind in ("list", "tuple"):
            value = list(entry["value"]) if kind == "list" else tuple(entry["value"])
        elif kind in _SCALARS.values():
            value = entry["value"]
        else:
            raise CheckpointError(f"{name}: unknown entry kind {kind!r} in the manifest")
        if not path:
            root = value
            continue
        parent = nodes[path[:-1]]
        if isinstance(parent, dict):
            parent[path[-1]] = value
        elif path[-1] == len(parent):
            parent.append(value)
        else:
            raise CheckpointError(f"{name}: list entries out of order at {list(path)}")
    for path in reversed(tuples):  # children before parents, so nested tuples are built first
        value = tuple(nodes[path])
        if not path:
            root = value
        else:
            nodes[path[:-1]][path[-1]] = value
    return root


def _to_tensor(array: np.ndarray, requires_grad: bool) -> Any:
    """The one place a loaded PyTorch tensor becomes a tinygrad_adam Tensor (a copy that owns its memory)."""
    return Tensor(array, requires_grad=requires_grad)


def load(f: str | os.PathLike[str] | io.IOBase, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """Load a checkpoint: the project's .npz format or PyTorch's zip format (torch.save, torch >= 1.6).

    The format is read from the file, not its name. From a PyTorch file, tensors come back as Tensors and
    everything else as Python values (dicts, OrderedDicts, lists, tuples, numbers, strings, None); from an
    .npz, arrays come back as NumPy arrays and a plain .npz without the manifest as a flat {name: array} dict.

    Nothing is ever unpickled unrestricted: PyTorch files go through an unpickler that can only rebuild
    tensors and containers, `weights_only=False` is accepted for PyTorch's signature and changes nothing
    (None means True, PyTorch's default); a `pickle_module`, `mmap=True` or arguments for pickle.load are refused.
    `f` may be a file object opened for binary reading (read from its position, as torch.load does).
    `map_location` may be None or "cpu" (tinygrad_adam runs on the CPU; storages saved from a GPU load too).
    Raises FileNotFoundError for a missing file and CheckpointError, naming the file, for anything else that
    is not a valid checkpoint: truncated or corrupt archives, sizes that disagree with the data, unsupported
    dtypes, or a pickle asking for any global outside the allowlist.
    """
    if map_location is not None and str(map_location) != "cpu":
        raise ValueError(f"load: map_location={map_location!r} is not supported; tinygrad_adam runs on the CPU, "
                         f"pass None or 'cpu'")
    if weights_only is not None and not isinstance(weights_only, bool):
        raise TypeError(f"load: weights_only must be a bool, got {type(weights_only).__name__}")
    for name, given in (("pickle_module", pickle_module), ("mmap", mmap or None),
                        *((key, value) for key, value in pickle_load_args.items())):
        if given is not None:
            raise NotImplementedError(f"load({name}=...): checkpoints are read by this library's own restricted "
                                      "unpickler, without memory mapping")
    path = f
    name = str(getattr(path, "name", "<file object>")) if is_file_object(path) else os.fspath(path)
    with _readable(path) as f:
        head = f.read(4)
        if head[:2] != b"PK":
            legacy = " (a PyTorch file from before 1.6 or saved with _use_new_zipfile_serialization=False?)"
            legacy *= head.startswith(b"\x80")  # a bare pickle
            raise CheckpointError(f"{name}: not a checkpoint (.npz and .pth files are zip archives; this file "
                                  f"starts {head!r}){legacy}")
        f.seek(-len(head), io.SEEK_CUR)
        archive = CheckpointZip(name, f, allow_deflate=True)
        if pth.find_pickle(archive) is not None:
            if any(info.compress_type != zipfile.ZIP_STORED for info in archive.members.values()):
                raise CheckpointError(f"{name}: PyTorch checkpoints are never compressed; this one is")
            return pth.read_pth(archive, _to_tensor)
        arrays = _read_arrays(archive)
    if MANIFEST_KEY not in arrays:
        return arrays
    try:
        manifest = json.loads(arrays.pop(MANIFEST_KEY).tobytes().decode())
        if manifest.get("format") != FORMAT_NAME:
            raise CheckpointError(f"{name}: unknown manifest format {manifest.get('format')!r}")
        if manifest.get("version") != FORMAT_VERSION:
            raise CheckpointError(
                f"{name}: checkpoint format version {manifest.get('version')} is not supported "
                f"(this tinygrad_adam reads version {FORMAT_VERSION})"
            )
        return _unflatten(name, manifest["entries"], arrays)
    except CheckpointError:
        raise
    except (ValueError, AttributeError, KeyError, TypeError, IndexError, RecursionError) as e:
        raise CheckpointError(f"{name}: corrupt manifest ({type(e).__name__}: {e})") from e
