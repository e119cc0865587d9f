"""Save and load model / optimizer state dicts as .npz files, without pickle.

Nested dicts, lists and tuples are flattened: every array becomes one .npz entry named by its dotted key
path ("state.0.exp_avg"). A JSON manifest, stored as a uint8 array named "__tinygrad_adam__", records the
format version and, per leaf, its kind and key path as a JSON list (so int keys come back as ints and keys
containing dots are safe). Python scalars, None, strings and lists/tuples of numbers (betas=(0.9, 0.999),
params=[0, 1, 2]) live in the manifest itself. Tensors (anything with an ndarray `.array` and a `.numpy()`)
are saved as arrays. An .npz without the manifest (e.g. from np.savez) loads as a flat {name: array} dict.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np

from .atomic import atomic_write

__all__ = ["save", "load", "CheckpointError", "MANIFEST_KEY", "FORMAT_VERSION"]

MANIFEST_KEY = "__tinygrad_adam__"
FORMAT_NAME = "tinygrad_adam.checkpoint"
FORMAT_VERSION = 1
_SCALARS = {bool: "bool", int: "int", float: "float", str: "str", type(None): "none"}
_NUMBERS = (bool, int, float)


class CheckpointError(ValueError):
    """A file is not a valid checkpoint: not an .npz, truncated, corrupt, or it holds pickled objects."""


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


def save(obj: Any, path: str | os.PathLike[str]) -> None:
    """Save a (nested) state dict to `path` as an .npz file, atomically: a failed save leaves the old file.

    The name is used as given (no ".npz" is appended). Raises TypeError for values that would need pickle.
    """
    entries: list[dict] = []
    arrays: dict[str, np.ndarray] = {}
    _flatten(obj, [], entries, arrays)
    manifest = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "entries": entries}
    arrays[MANIFEST_KEY] = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    with atomic_write(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        for name, array in arrays.items():
            with zf.open(f"{name}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def _read_arrays(name: str) -> dict[str, np.ndarray]:
    with open(name, "rb") as f:
        head = f.read(4)
    if head[:2] != b"PK":
        raise CheckpointError(f"{name}: not a checkpoint (.npz files are zip archives; this file starts {head!r})")
    try:
        with np.load(name, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except ValueError as e:
        if "pickle" in str(e):
            raise CheckpointError(f"{name}: refusing to load pickled (object) data: {e}") from e
        raise CheckpointError(f"{name}: corrupt checkpoint: {e}") from e
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise CheckpointError(f"{name}: corrupt or truncated checkpoint: {e}") from e
    for key, value in arrays.items():
        if not isinstance(value, np.ndarray):  # np.load hands back raw bytes for non-.npy zip members
            raise CheckpointError(f"{name}: zip member {key!r} is not a .npy array; not a checkpoint")
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


def load(path: str | os.PathLike[str]) -> Any:
    """Load a checkpoint written by `save` (nested dicts, int keys, scalars and tuples restored).

    A plain .npz without the manifest loads as a flat {name: array} dict. Never unpickles anything; raises
    CheckpointError, naming the file, for anything that is not a valid checkpoint.
    """
    name = os.fspath(path)
    arrays = _read_arrays(name)
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
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, KeyError, TypeError, IndexError) as e:
        raise CheckpointError(f"{name}: corrupt manifest ({type(e).__name__}: {e})") from e
