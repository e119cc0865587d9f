"""Bounded, validated reading of zip archives, shared by the .npz and .pth checkpoint readers.

Every member's declared sizes are checked against the file's real length (and, for compressed
members, against the most that deflate can expand) before a byte is read, so no header can make
a reader allocate more than the file could hold. Every failure is a CheckpointError naming the file.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import BinaryIO

__all__ = ["CheckpointError", "CheckpointZip", "ZIP_ERRORS"]

MAX_MEMBERS = 1_000_000
DEFLATE_MAX_RATIO = 1032  # deflate cannot expand one input byte to more than 1032 output bytes

# What zipfile, zlib and struct raise on malformed input (UnicodeDecodeError is a ValueError).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error,
              NotImplementedError, zlib.error, OverflowError, KeyError, IndexError)


class CheckpointError(ValueError):
    """A file is not a valid checkpoint: not a zip, truncated, corrupt, unsupported, or asking to run code."""


class CheckpointZip:
    """A zip archive opened for reading, with every member's header checked against the file.

    `allow_deflate`: .npz files may be written compressed (np.savez_compressed); PyTorch never compresses.
    """

    def __init__(self, name: str, file: BinaryIO, allow_deflate: bool):
        self.name = name
        start = file.tell()
        file_size = file.seek(0, os.SEEK_END)  # works for files and in-memory buffers alike
        file.seek(start)
        try:
            self.zip = zipfile.ZipFile(file)
            infos = self.zip.infolist()
        except ZIP_ERRORS as e:
            raise CheckpointError(f"{name}: not a readable zip archive, truncated or corrupt ({e})") from e
        if len(infos) > MAX_MEMBERS:
            raise CheckpointError(f"{name}: the archive lists {len(infos)} members, more than {MAX_MEMBERS}")
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._check_member(info, file_size, allow_deflate)
            if info.filename in self.members:
                raise CheckpointError(f"{name}: the archive holds two members named {info.filename!r}")
            self.members[info.filename] = info

    def _check_member(self, info: zipfile.ZipInfo, file_size: int, allow_deflate: bool) -> None:
        where = f"{self.name}: zip member {info.filename!r}"
        if info.flag_bits & 0x1:
            raise CheckpointError(f"{where} is encrypted")
        if info.header_offset < 0 or info.header_offset + info.compress_size > file_size:
            raise CheckpointError(f"{where} extends past the end of the file ({file_size} bytes): truncated?")
        if info.compress_type == zipfile.ZIP_STORED:
            if info.file_size != info.compress_size:
                raise CheckpointError(f"{where} is stored uncompressed but declares {info.file_size} bytes "
                                      f"in {info.compress_size}")
        elif info.compress_type == zipfile.ZIP_DEFLATED and allow_deflate:
            if info.file_size > DEFLATE_MAX_RATIO * info.compress_size + 64:
                raise CheckpointError(f"{where} declares {info.file_size} bytes uncompressed from "
                                      f"{info.compress_size} compressed, more than deflate can produce (zip bomb?)")
        else:
            raise CheckpointError(f"{where} uses compression method {info.compress_type}, which this reader "
                                  f"does not accept")

    def read(self, member: str, expected_size: int | None = None) -> bytes:
        """The member's bytes; its declared size must equal `expected_size` when given (checked before reading)."""
        info = self.members.get(member)
        if info is None:
            raise CheckpointError(f"{self.name}: the archive has no member {member!r}")
        if expected_size is not None and info.file_size != expected_size:
            raise CheckpointError(f"{self.name}: zip member {member!r} holds {info.file_size} bytes, "
                                  f"{expected_size} expected")
        try:
            with self.zip.open(info) as f:
                data = f.read(info.file_size + 1)  # reading to the end makes zipfile check the CRC
        except ZIP_ERRORS as e:
            raise CheckpointError(f"{self.name}: zip member {member!r} is corrupt or truncated ({e})") from e
        if len(data) != info.file_size:
            raise CheckpointError(f"{self.name}: zip member {member!r} has {len(data)} bytes, "
                                  f"its header says {info.file_size}")
        return data
