"""Reader and writer for the IDX format used by MNIST and its relatives.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions), one big-endian
uint32 per dimension, then the values in C order, big-endian. Files may be gzip-compressed; the reader decides
by the gzip magic bytes, not by the file name.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .._platform.atomic import atomic_write

__all__ = ["IDXError", "read_idx", "write_idx"]

GZIP_MAGIC = b"\x1f\x8b"

# IDX type code -> big-endian NumPy dtype
_CODE_TO_DTYPE = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_KIND_SIZE_TO_CODE = {(dt.kind, dt.itemsize): code for code, dt in _CODE_TO_DTYPE.items()}


class IDXError(ValueError):
    """An IDX file is truncated, corrupt, or not an IDX file at all."""


# The most a deflate stream can expand (about 1032:1), with slack for the gzip header; a header that promises
# more data than the compressed file could hold is refused before anything is decompressed.
_MAX_GZIP_RATIO = 1100
_MAX_NDIM = 32  # NumPy 1.x's limit (2.x allows 64); MNIST-style files have 1 to 4
_CHUNK = 1 << 20


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file (plain or gzip-compressed) into a native-endian, writable ndarray.

    The header (magic number, type code, number of dimensions, each dimension and their product) is checked
    against the file's actual length before anything is allocated; a gzip file is decompressed no further
    than the header promises plus one byte. Raises IDXError, naming the file and what was expected, otherwise.
    """
    name = os.fspath(path)
    with open(name, "rb") as raw:
        size = os.fstat(raw.fileno()).st_size
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        if not compressed:
            return _read_stream(raw, name, size, compressed=False)
        try:
            with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
                return _read_stream(gz, name, size, compressed=True)
        except (EOFError, zlib.error, gzip.BadGzipFile) as e:
            raise IDXError(f"{name}: corrupt or truncated gzip stream ({e})") from e


def _read_exact(f: BinaryIO, buf: bytearray | memoryview) -> int:
    """Fill buf from f; return how many bytes were read (less than len(buf) only at end of file)."""
    view, done = memoryview(buf), 0
    while done < len(view):
        chunk = f.read(len(view) - done)
        if not chunk:
            break
        view[done : done + len(chunk)] = chunk
        done += len(chunk)
    return done


def _read_header(f: BinaryIO, name: str, where: str) -> tuple[np.dtype, tuple[int, ...]]:
    magic = bytearray(4)
    got = _read_exact(f, magic)
    if got < 4:
        raise IDXError(f"{name}: file is {got} bytes{where}; an IDX file starts with a 4-byte magic number")
    if magic[0] != 0 or magic[1] != 0:
        raise IDXError(f"{name}: not an IDX file (magic number {bytes(magic).hex()} must start with 0000)")
    code, ndim = magic[2], magic[3]
    if code not in _CODE_TO_DTYPE:
        known = ", ".join(f"0x{c:02X} {d.name}" for c, d in _CODE_TO_DTYPE.items())
        raise IDXError(f"{name}: unknown IDX type code 0x{code:02X} (known: {known})")
    if ndim > _MAX_NDIM:
        raise IDXError(f"{name}: header claims {ndim} dimensions, expected at most {_MAX_NDIM}")
    dims = bytearray(4 * ndim)
    got = _read_exact(f, dims)
    if got < len(dims):
        raise IDXError(
            f"{name}: truncated header, expected {4 + len(dims)} bytes for {ndim} dimensions, found {4 + got}{where}"
        )
    dtype = _CODE_TO_DTYPE[code]
    shape = struct.unpack(f">{ndim}I", dims)
    # NumPy refuses a shape whose nonzero dimensions multiply past its index range, even when one of them is 0
    if math.prod(max(d, 1) for d in shape) * dtype.itemsize > np.iinfo(np.intp).max:
        raise IDXError(f"{name}: header shape {shape} {dtype.name} is too large for any array")
    return dtype, shape


def _read_stream(f: BinaryIO, name: str, size: int, compressed: bool) -> np.ndarray:
    where = " after decompression" if compressed else ""
    dtype, shape = _read_header(f, name, where)
    header = 4 + 4 * len(shape)
    nbytes = math.prod(shape) * dtype.itemsize
    expected = (
        f"expected {header + nbytes} bytes ({header}-byte header + {nbytes} bytes of data "
        f"for shape {shape} {dtype.name})"
    )
    if not compressed:
        if size != header + nbytes:
            extra = size - header - nbytes
            detail = f" ({extra} trailing bytes)" if extra > 0 else ""
            kind = "truncated file, " if extra < 0 else ""
            raise IDXError(f"{name}: {kind}{expected}, found {size}{detail}")
        data = bytearray(nbytes)
        got = _read_exact(f, data)
        if got < nbytes:  # the file shrank while we read it
            raise IDXError(f"{name}: truncated file, {expected}, found {header + got}")
    else:
        if header + nbytes > _MAX_GZIP_RATIO * size:
            raise IDXError(f"{name}: {expected}, but a {size}-byte gzip file cannot hold that much")
        data = bytearray()
        while len(data) <= nbytes:  # read at most one byte past the promise, to detect trailing data
            chunk = f.read(min(_CHUNK, nbytes + 1 - len(data)))
            if not chunk:
                break
            data += chunk
        if len(data) < nbytes:
            raise IDXError(f"{name}: truncated file, {expected}, found {header + len(data)}{where}")
        if len(data) > nbytes:
            raise IDXError(f"{name}: {expected}, found more{where} (trailing bytes)")
    array = np.frombuffer(data, dtype=dtype).reshape(shape)
    # astype copies into native byte order; single-byte types are a writable view of `data` already
    return array.astype(dtype.newbyteorder("=")) if dtype.itemsize > 1 else array


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> None:
    """Write an array as an IDX file, gzip-compressed if the name ends in .gz, atomically."""
    arr = np.asarray(array)
    code = _KIND_SIZE_TO_CODE.get((arr.dtype.kind, arr.dtype.itemsize))
    if code is None:
        supported = ", ".join(d.name for d in _CODE_TO_DTYPE.values())
        raise IDXError(f"{os.fspath(path)}: IDX cannot store dtype {arr.dtype} (supported: {supported})")
    if arr.ndim > 255 or any(d >= 2**32 for d in arr.shape):
        raise IDXError(f"{os.fspath(path)}: shape {arr.shape} does not fit the IDX header")
    header = bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape)
    payload = arr.astype(_CODE_TO_DTYPE[code]).tobytes(order="C")
    final = Path(path)
    with atomic_write(final) as f:
        if final.name.lower().endswith(".gz"):
            inner = final.name[:-3]  # the name recorded in the gzip header
            with gzip.GzipFile(filename=inner, mode="wb", fileobj=f, compresslevel=6, mtime=0) as gz:
                gz.write(header)
                gz.write(payload)
        else:
            f.write(header)
            f.write(payload)
