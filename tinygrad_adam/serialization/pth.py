"""PyTorch's checkpoint format (torch.save since 1.6), read and written without importing torch.

A .pth file is a zip archive whose members all sit in one folder (`archive/` here, the file's stem
when torch.save is given a path):

    archive/data.pkl       the saved object, pickled (protocol 2). Each tensor in it is the call
                           torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks),
                           and each storage is the persistent id ("storage", torch.FloatStorage, key, "cpu", numel)
    archive/data/<key>     the storage's raw bytes, numel * itemsize of them, uncompressed, 64-byte aligned
    archive/byteorder      "little" or "big": the byte order of every storage
    archive/version        "3": the format version

Reading runs the pickle through `RestrictedUnpickler`, whose `find_class` hands out only the few
globals listed in `ALLOWED_GLOBALS` (our own stand-ins, never torch's or anything importable), and
refuses every other global with a CheckpointError naming the file and the global. Storage keys,
dtypes, sizes, strides and offsets are checked against the bytes in the archive before any array is
made, and the opcodes are scanned first so no memo index can make the unpickler allocate more than
the pickle's own size. Writing is pickle.Pickler's, with torch.save's persistent ids for the storages;
the only globals it writes are torch's own names, so torch is not imported either.
"""

from __future__ import annotations

import io
import math
import pickle
import pickletools
import struct
import warnings
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

from .._platform.atomic import writable
from .checked_zip import ZIP_ERRORS, CheckpointError, CheckpointZip

__all__ = ["ALLOWED_GLOBALS", "RestrictedUnpickler", "read_pth", "write_pth", "SUPPORTED_DTYPES"]

# torch's storage classes by name, and the NumPy dtype of their elements.
SUPPORTED_DTYPES = {
    "FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
    "LongStorage": np.int64, "IntStorage": np.int32, "ShortStorage": np.int16, "CharStorage": np.int8,
    "ByteStorage": np.uint8, "BoolStorage": np.bool_,
}
_STORAGE_OF_DTYPE = {np.dtype(dtype): name for name, dtype in SUPPORTED_DTYPES.items()}
MAX_DEPTH = 100  # containers nested deeper than this (or cyclic) are refused
MAX_DIMS = 64
# Opcodes a checkpoint needs; the others (INST, OBJ, NEWOBJ, EXT*, out-of-band buffers) build
# arbitrary objects or are never written by torch.save, so a file using them is refused.
_ALLOWED_OPCODES = frozenset("""
    PROTO FRAME STOP MARK POP POP_MARK DUP NONE NEWTRUE NEWFALSE INT BININT BININT1 BININT2 LONG LONG1 LONG4
    FLOAT BINFLOAT UNICODE SHORT_BINUNICODE BINUNICODE BINUNICODE8 SHORT_BINBYTES BINBYTES BINBYTES8
    EMPTY_TUPLE TUPLE TUPLE1 TUPLE2 TUPLE3 EMPTY_LIST LIST APPEND APPENDS EMPTY_DICT DICT SETITEM SETITEMS
    EMPTY_SET ADDITEMS FROZENSET GLOBAL STACK_GLOBAL REDUCE BUILD BINPERSID
    PUT BINPUT LONG_BINPUT GET BINGET LONG_BINGET MEMOIZE
""".split())


class _Invalid(ValueError):
    """Raised while unpickling; the reader adds the file name and turns it into a CheckpointError."""


class _StorageType:
    """Stands for torch.FloatStorage & co. inside the pickle: names a dtype, cannot be called."""

    __slots__ = ("torch_name", "dtype")

    def __init__(self, torch_name: str, dtype: Any):
        self.torch_name, self.dtype = torch_name, np.dtype(dtype)

    def __setstate__(self, state: Any) -> None:
        raise _Invalid(f"the pickle tries to set the state of torch.{self.torch_name}")


class _Storage:
    """One storage read from the archive: a 1-D array of `numel` elements of one dtype."""

    __slots__ = ("array",)

    def __init__(self, array: np.ndarray):
        self.array = array

    def __setstate__(self, state: Any) -> None:
        raise _Invalid("the pickle tries to set the state of a storage")


class _TensorRecord:
    """A tensor rebuilt from a storage, before it becomes a tinygrad_adam Tensor."""

    __slots__ = ("array", "requires_grad")

    def __init__(self, array: np.ndarray, requires_grad: bool):
        self.array, self.requires_grad = array, requires_grad

    def __setstate__(self, state: Any) -> None:  # BUILD must not rewrite a tensor's fields
        raise _Invalid("the pickle tries to set the state of a tensor")


class _PickledOrderedDict(OrderedDict):
    """collections.OrderedDict as torch pickles it; BUILD may only attach state_dict `_metadata`, dropped here."""

    def __setstate__(self, state: Any) -> None:
        if not (type(state) is dict and set(state) <= {"_metadata"}):
            raise _Invalid("the pickle sets state other than _metadata on an OrderedDict")


def _int_tuple(value: Any, what: str) -> tuple[int, ...]:
    if type(value) is not tuple or len(value) > MAX_DIMS or any(type(n) is not int or n < 0 for n in value):
        raise _Invalid(f"tensor {what} must be a tuple of at most {MAX_DIMS} non-negative ints, got {value!r:.100}")
    return value


def _rebuild_tensor_v2(storage: Any, storage_offset: Any, size: Any, stride: Any, requires_grad: Any,
                       backward_hooks: Any, metadata: Any = None) -> _TensorRecord:
    """Stand-in for torch._utils._rebuild_tensor_v2: a view of the storage, checked to lie inside it."""
    if type(storage) is not _Storage:
        raise _Invalid(f"a tensor's first argument must be a storage, got {type(storage).__name__}")
    shape, strides = _int_tuple(size, "size"), _int_tuple(stride, "stride")
    if len(strides) != len(shape):
        raise _Invalid(f"tensor size {shape} and stride {strides} have different lengths")
    if type(storage_offset) is not int or storage_offset < 0:
        raise _Invalid(f"tensor storage offset must be a non-negative int, got {storage_offset!r:.100}")
    if type(requires_grad) is not bool:
        raise _Invalid(f"tensor requires_grad must be a bool, got {requires_grad!r:.100}")
    if not isinstance(backward_hooks, dict) or backward_hooks:
        raise _Invalid("tensor backward hooks must be empty")
    source = storage.array
    if 0 in shape:
        return _TensorRecord(np.zeros(shape, source.dtype), requires_grad)
    last = storage_offset + sum((n - 1) * s for n, s in zip(shape, strides, strict=True))
    if last >= source.size:
        raise _Invalid(f"a tensor of size {shape}, stride {strides} and offset {storage_offset} reads element "
                       f"{last} of a storage of {source.size} elements")
    view = np.lib.stride_tricks.as_strided(source[storage_offset:], shape,
                                           tuple(s * source.itemsize for s in strides), writeable=False)
    return _TensorRecord(view, requires_grad)


def _rebuild_parameter(data: Any, requires_grad: Any, backward_hooks: Any) -> _TensorRecord:
    """Stand-in for torch._utils._rebuild_parameter (an nn.Parameter saved outside a state_dict)."""
    if type(data) is not _TensorRecord or type(requires_grad) is not bool:
        raise _Invalid("a parameter must wrap a tensor and a bool requires_grad")
    if not isinstance(backward_hooks, dict) or backward_hooks:
        raise _Invalid("parameter backward hooks must be empty")
    return _TensorRecord(data.array, requires_grad)


ALLOWED_GLOBALS: dict[str, Any] = {
    "collections.OrderedDict": _PickledOrderedDict,
    "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
    "torch._utils._rebuild_parameter": _rebuild_parameter,
    **{f"torch.{name}": _StorageType(name, dtype) for name, dtype in SUPPORTED_DTYPES.items()},
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that can only rebuild containers, plain values and tensors of `archive`'s storages."""

    def __init__(self, data: bytes, archive: CheckpointZip, prefix: str, byteorder: str):
        super().__init__(io.BytesIO(data))
        self.archive, self.prefix, self.byteorder = archive, prefix, byteorder
        self.storages: dict[tuple[str, np.dtype], _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        allowed = ALLOWED_GLOBALS.get(f"{module}.{name}")
        if allowed is None:
            raise _forbidden_global(self.archive.name, module, name)
        return allowed

    def persistent_load(self, pid: Any) -> _Storage:
        if type(pid) is not tuple or len(pid) != 5 or pid[0] != "storage":
            raise _Invalid(f"unknown persistent id {pid!r:.100}")
        _, storage_type, key, location, numel = pid
        if type(storage_type) is not _StorageType or type(key) is not str or type(location) is not str:
            raise _Invalid(f"malformed storage reference {pid!r:.100}")
        if type(numel) is not int or numel < 0:
            raise _Invalid(f"storage {key!r} has an invalid element count {numel!r:.100}")
        cached = self.storages.get((key, storage_type.dtype))
        if cached is not None:
            if cached.array.size != numel:
                raise _Invalid(f"storage {key!r} is referenced with {numel} and {cached.array.size} elements")
            return cached
        dtype = storage_type.dtype
        raw = self.archive.read(f"{self.prefix}data/{key}", expected_size=numel * dtype.itemsize)
        array = np.frombuffer(raw, dtype=dtype.newbyteorder("<" if self.byteorder == "little" else ">"))
        array = array.astype(dtype, copy=False)  # to native byte order (a copy only for big-endian files)
        if dtype == np.bool_ and np.frombuffer(raw, np.uint8).max(initial=0) > 1:
            raise _Invalid(f"bool storage {key!r} holds bytes other than 0 and 1")
        storage = self.storages[(key, dtype)] = _Storage(array)
        return storage


def _forbidden_global(file: str, module: str, name: str) -> CheckpointError:
    if module == "torch" and name.endswith("Storage"):
        return CheckpointError(
            f"{file}: tensors stored as torch.{name} are not supported (tinygrad_adam reads "
            f"{', '.join(str(np.dtype(d)) for d in SUPPORTED_DTYPES.values())}); convert them in PyTorch first, "
            f"e.g. with tensor.float()"
        )
    return CheckpointError(f"{file}: refusing to load: the pickle asks for the global {module}.{name}, which is "
                           f"not one of the {len(ALLOWED_GLOBALS)} allowed to rebuild tensors and containers")


def _check_opcodes(file: str, data: bytes) -> None:
    """Refuse unlisted globals and opcodes before unpickling, and memo indices larger than the pickle
    (the C unpickler sizes its memo by the largest index it sees)."""
    with warnings.catch_warnings():  # pickletools warns about escapes in text STRING args, refused below anyway
        warnings.simplefilter("ignore", DeprecationWarning)
        for opcode, arg, pos in pickletools.genops(data):
            if opcode.name == "GLOBAL":
                module, _, name = str(arg).partition(" ")
                if f"{module}.{name}" not in ALLOWED_GLOBALS:
                    raise _forbidden_global(file, module, name)
            if opcode.name not in _ALLOWED_OPCODES:
                raise _Invalid(f"pickle opcode {opcode.name} at byte {pos} is not allowed in a checkpoint")
            if opcode.name in ("PUT", "BINPUT", "LONG_BINPUT", "GET", "BINGET", "LONG_BINGET") and int(arg) > len(data):
                raise _Invalid(f"pickle memo index {arg} at byte {pos} is out of range")


def _plain_tree(obj: Any, to_tensor: Callable[[np.ndarray, bool], Any], memo: dict[int, Any], depth: int) -> Any:
    """Replace tensor records by Tensors and our OrderedDict stand-in by OrderedDict; refuse anything else."""
    kind = type(obj)
    if kind in (str, bytes, int, float, bool, type(None)):
        return obj
    if depth > MAX_DEPTH:
        raise _Invalid(f"containers nested more than {MAX_DEPTH} deep (or a container that holds itself)")
    if id(obj) in memo:
        return memo[id(obj)]
    def walk(value: Any) -> Any:
        return _plain_tree(value, to_tensor, memo, depth + 1)
    if kind is _TensorRecord:
        try:
            out = to_tensor(obj.array, obj.requires_grad)
        except (TypeError, ValueError) as e:
            raise _Invalid(f"cannot make a Tensor: {e}") from e
    elif kind is _PickledOrderedDict or kind is dict:
        out = (OrderedDict if kind is _PickledOrderedDict else dict)((walk(k), walk(v)) for k, v in obj.items())
    elif kind in (list, tuple, set, frozenset):
        out = kind(walk(v) for v in obj)
    elif kind is _Storage:
        raise _Invalid("a storage appears outside a tensor")
    else:
        raise _Invalid(f"the pickle produced an object of type {kind.__name__}, which a checkpoint cannot hold")
    memo[id(obj)] = out
    return out


def find_pickle(archive: CheckpointZip) -> str | None:
    """The folder prefix ("archive/") of the archive's `data.pkl`, or None if it has none."""
    prefixes = [n[: -len("data.pkl")] for n in archive.members if n.endswith("/data.pkl") and n.count("/") == 1]
    if len(prefixes) > 1:
        raise CheckpointError(f"{archive.name}: the archive holds {len(prefixes)} data.pkl files")
    return prefixes[0] if prefixes else None


def read_pth(archive: CheckpointZip, to_tensor: Callable[[np.ndarray, bool], Any]) -> Any:
    """Load the object in a PyTorch zip checkpoint; `to_tensor(array, requires_grad)` makes each tensor."""
    name, prefix = archive.name, find_pickle(archive)
    if prefix is None:
        raise CheckpointError(f"{name}: not a PyTorch checkpoint (the zip archive holds no data.pkl)")
    byteorder = "little"
    if f"{prefix}byteorder" in archive.members:
        byteorder = archive.read(f"{prefix}byteorder").decode("ascii", "replace")
        if byteorder not in ("little", "big"):
            raise CheckpointError(f"{name}: unknown byte order {byteorder[:20]!r} (expected 'little' or 'big')")
    data = archive.read(f"{prefix}data.pkl")
    try:
        _check_opcodes(name, data)
        obj = RestrictedUnpickler(data, archive, prefix, byteorder).load()
        return _plain_tree(obj, to_tensor, {}, 0)
    except CheckpointError:
        raise
    except (pickle.UnpicklingError, _Invalid, *ZIP_ERRORS, TypeError, AttributeError, RecursionError) as e:
        raise CheckpointError(f"{name}: corrupt or unsupported PyTorch checkpoint: {type(e).__name__}: {e}") from e


# ----- writing ---------------------------------------------------------------------------------------------


class _TorchGlobal:
    """A global of torch's (a function or a storage class) as the pickle names it, without importing torch.

    pickle.Pickler checks every global it writes by importing its module, so these are written once,
    at the start of the pickle, into the memo; the Pickler finds them there and refers to them.
    """

    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str):
        self.module, self.name = module, name

    def __call__(self, *args: Any) -> Any:  # pickle requires a reduce tuple's first item to be callable
        raise TypeError(f"{self.module}.{self.name} stands for torch's global in a pickle; it cannot be called")


_REBUILD_TENSOR = _TorchGlobal("torch._utils", "_rebuild_tensor_v2")
_TORCH_GLOBALS = [_REBUILD_TENSOR, *(_TorchGlobal("torch", name) for name in SUPPORTED_DTYPES)]
_STORAGE_GLOBAL = {np.dtype(SUPPORTED_DTYPES[g.name]): g for g in _TORCH_GLOBALS[1:]}


class _StorageRef:
    """One array's bytes, written as the storage `key`; the pickle refers to it by persistent id."""

    __slots__ = ("array", "key")

    def __init__(self, array: np.ndarray, key: str):
        self.array, self.key = array, key


class _TorchPickler(pickle.Pickler):
    """torch.save's layout with pickle.Pickler: each array is _rebuild_tensor_v2 of a persistent storage."""

    def __init__(self, file: BinaryIO):
        super().__init__(file, protocol=2)
        self.memo = {id(g): (i, g) for i, g in enumerate(_TORCH_GLOBALS)}
        self.storages: dict[int, _StorageRef] = {}  # id(array) -> its storage; arrays are kept alive by the tree
        self.used = {_REBUILD_TENSOR}

    def persistent_id(self, obj: Any) -> tuple[Any, ...] | None:
        if type(obj) is not _StorageRef:
            return None
        storage_type = _STORAGE_GLOBAL[obj.array.dtype.newbyteorder("=")]
        self.used.add(storage_type)
        return ("storage", storage_type, obj.key, "cpu", obj.array.size)

    def reducer_override(self, obj: Any) -> Any:
        if type(obj) is not np.ndarray:
            if type(obj) is OrderedDict and not obj:
                return OrderedDict, ()  # a tensor's backward hooks, as torch writes them (and faster than copyreg)
            return NotImplemented  # the tree holds only arrays and plain values (see _plain)
        storage = self.storages.get(id(obj))
        if storage is None:
            data = np.ascontiguousarray(obj, dtype=obj.dtype.newbyteorder("<"))
            storage = self.storages[id(obj)] = _StorageRef(data, str(len(self.storages)))
        contiguous = tuple(math.prod(obj.shape[i + 1 :]) for i in range(obj.ndim))
        return _REBUILD_TENSOR, (storage, 0, obj.shape, contiguous, False, OrderedDict())

    def preamble(self) -> bytes:
        """PROTO 2, then each torch global the pickle uses, pushed and stored in its memo slot."""
        out = bytearray(b"\x80\x02")
        for index, g in enumerate(_TORCH_GLOBALS):
            if g in self.used:
                out += b"c" + f"{g.module}\n{g.name}\n".encode("ascii") + b"q" + bytes([index])  # GLOBAL, BINPUT
        return bytes(out)


_PLAIN = (str, int, float, bool, type(None))


def _plain(obj: Any, where: str) -> Any:
    """`obj` with Tensors as their arrays and NumPy scalars as Python numbers; TypeError for what torch cannot load."""
    kind = type(obj)
    if kind in _PLAIN:
        return obj
    if isinstance(obj, np.generic) and obj.dtype.kind in "biuf":
        return obj.item()
    if hasattr(obj, "numpy") and not isinstance(obj, np.ndarray) and isinstance(obj.numpy(), np.ndarray):
        obj, kind = obj.numpy(), np.ndarray  # a Tensor: its array, shared with other Tensors that view it
    if kind is np.ndarray:
        if obj.dtype.newbyteorder("=") not in _STORAGE_OF_DTYPE:
            raise TypeError(f"{where}: arrays of dtype {obj.dtype} cannot be saved in PyTorch's format "
                            f"(supported: {', '.join(str(d) for d in _STORAGE_OF_DTYPE)})")
        return obj
    if kind in (list, tuple):
        return kind(_plain(item, f"{where}.{i}") for i, item in enumerate(obj))
    if kind in (dict, OrderedDict):
        for key in obj:
            if type(key) not in (*_PLAIN, tuple):
                raise TypeError(f"{where}: dict keys must be str, int, float, bool, None or tuples, "
                                f"got {type(key).__name__}")
        return kind((_plain(key, where), _plain(item, f"{where}.{key}")) for key, item in obj.items())
    raise TypeError(f"{where}: cannot save a value of type {kind.__name__} in PyTorch's format")


def _write_member(zf: zipfile.ZipFile, f: BinaryIO, name: str, data: bytes | memoryview, align: int = 64) -> None:
    """Write one stored member whose data starts on an `align`-byte boundary, as torch.save does."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    zip64_extra = 20 if len(data) * 1.05 > zipfile.ZIP64_LIMIT else 0  # zipfile appends this to the local header
    header = f.tell() + 30 + len(name.encode()) + 4 + zip64_extra
    padding = -header % align
    info.extra = struct.pack("<HH", 0x4246, padding) + b"Z" * padding  # an "FB" padding field, as torch writes
    zf.writestr(info, data)


def write_pth(obj: Any, path: Any) -> None:
    """Write `obj` so that torch.load(path, weights_only=True) returns equal values, atomically."""
    body = io.BytesIO()
    pickler = _TorchPickler(body)
    pickler.dump(_plain(obj, "<root>"))
    data = pickler.preamble() + body.getbuffer()[2:]  # the body's own PROTO 2 is the preamble's
    with writable(path) as f, zipfile.ZipFile(f, "w", zipfile.ZIP_STORED, allowZip64=True) as zf:
        _write_member(zf, f, "archive/data.pkl", data)
        _write_member(zf, f, "archive/.format_version", b"1")
        _write_member(zf, f, "archive/.storage_alignment", b"64")
        _write_member(zf, f, "archive/byteorder", b"little")
        for storage in pickler.storages.values():
            _write_member(zf, f, f"archive/data/{storage.key}", memoryview(storage.array.reshape(-1).view(np.uint8)))
        _write_member(zf, f, "archive/version", b"3\n")
