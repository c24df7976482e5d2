"""A quarterly FAERS zip or extracted folder: safe member listing, reading, and finding the tables.

Zips are read one member at a time into memory, never extracted. Members with absolute paths or
`..` parts, members larger than MAX_MEMBER_BYTES and members compressed more than
MAX_COMPRESSION_RATIO : 1 are refused, whether or not they would be read.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

from etl.errors import InputError
from etl.sources.faers_layout import (
    DELETED_FILE,
    SYNTHETIC_FILE,
    TABLES,
    archive_quarter,
    table_file_quarter,
)

MAX_MEMBER_BYTES = 4 * 1024**3
MAX_COMPRESSION_RATIO = 1000
_READ_CHUNK = 1 << 24
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


@dataclass(frozen=True)
class QuarterFiles:
    """What was found in one zip or folder."""

    quarter: str  # "2004Q1"
    archive: Path  # the zip or folder as given
    tables: dict[str, str]  # table -> member path inside the archive (or relative path in folder)
    deleted: tuple[str, ...]  # deleted-case list members
    is_synthetic: bool  # a member named SYNTHETIC.txt (any case, any depth) is present


def _check_member_name(archive: Path, name: str) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        raise InputError(str(archive), f"refusing member with an unsafe path: {name!r}")


def _check_member_size(archive: Path, name: str, size: int, compressed: int | None) -> None:
    if size > MAX_MEMBER_BYTES:
        raise InputError(str(archive), f"member {name} is {size} bytes, over the cap")
    if compressed is not None and size > 0 and size > MAX_COMPRESSION_RATIO * max(compressed, 1):
        raise InputError(str(archive), f"member {name} is compressed over 1:1000 (zip bomb?)")


class ArchiveReader:
    """Member names and bytes of a zip or a folder."""

    def __init__(self, path: Path, zf: zipfile.ZipFile | None) -> None:
        self.path = path
        self._zip = zf
        if zf is None:
            files = sorted(p for p in path.rglob("*") if p.is_file())
            self._sizes = {p.relative_to(path).as_posix(): p.stat().st_size for p in files}
        else:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            for info in infos:
                _check_member_name(path, info.filename)
                _check_member_size(path, info.filename, info.file_size, info.compress_size)
            self._sizes = {i.filename: i.file_size for i in infos}
        for name, size in self._sizes.items():
            _check_member_size(path, name, size, None)

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self._sizes)

    def display(self, member: str) -> str:
        """How errors name a member: the archive path, then the member path."""
        return f"{self.path}/{member}"

    def size(self, member: str) -> int:
        return self._sizes[member]

    def _open(self, member: str) -> IO[bytes]:
        if self._zip is None:
            return (self.path / member).open("rb")
        return self._zip.open(member)

    def read(self, member: str, limit: int | None = None) -> bytes:
        """The member's bytes (only its first line when `limit` is set)."""
        try:
            with self._open(member) as f:
                data = f.readline(limit) if limit else f.read()
        except _READ_ERRORS as exc:
            raise InputError(self.display(member), f"cannot read: {exc}") from None
        if len(data) > MAX_MEMBER_BYTES:
            raise InputError(self.display(member), "member is over the size cap")
        return data

    def read_whole(self, member: str) -> bytearray:
        """The member's bytes, inflated chunk by chunk into one bytearray of the member's size."""
        try:
            with self._open(member) as f:
                size = self._size_now(member, f)
                data = bytearray(size)
                with memoryview(data) as view:
                    got = 0
                    while got < size and (n := f.readinto(view[got : got + _READ_CHUNK])):
                        got += n
                more = f.read(1)  # at the end a zip member's CRC is checked
        except _READ_ERRORS as exc:
            raise InputError(self.display(member), f"cannot read: {exc}") from None
        if got != size or more:
            raise InputError(self.display(member), f"member is not the {size} bytes listed")
        return data

    def _size_now(self, member: str, f: IO[bytes]) -> int:
        """The listed size of a zip member; the current size of a folder's file (capped)."""
        if self._zip is not None:
            return self._sizes[member]
        size = os.fstat(f.fileno()).st_size
        if size > MAX_MEMBER_BYTES:
            raise InputError(self.display(member), "member is over the size cap")
        return size

    def sha256(self) -> str | None:
        """sha256 of the zip file; None for a folder."""
        if self._zip is None:
            return None
        digest = hashlib.sha256()
        with open(self.path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


@contextmanager
def open_archive(path: Path) -> Iterator[ArchiveReader]:
    """Open a quarterly zip or folder; bad archives raise InputError naming them."""
    path = Path(path)
    if path.is_dir():
        yield ArchiveReader(path, None)
        return
    if not path.is_file():
        raise InputError(str(path), "no such zip file or folder")
    try:
        zf = zipfile.ZipFile(path)
    except _READ_ERRORS as exc:
        raise InputError(str(path), f"not a readable zip archive ({exc})") from None
    with zf:
        yield ArchiveReader(path, zf)


def _table_members(reader: ArchiveReader) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for member in reader.members:
        named = table_file_quarter(PurePosixPath(member).name)
        if named:
            found.setdefault(named[0], []).append((member, named[1]))
    return found


def quarter_files(reader: ArchiveReader) -> QuarterFiles:
    """Find the seven tables, the deleted lists and the SYNTHETIC marker in an open archive."""
    where = str(reader.path)
    found = _table_members(reader)
    if not found:
        raise InputError(where, "no FAERS table files (DEMOyyQq.txt ...): not a FAERS quarter")
    for table, members in found.items():
        if len(members) > 1:
            names = ", ".join(m for m, _ in members)
            raise InputError(where, f"two files for table {table.upper()}: {names}")
    missing = [t.upper() for t in TABLES if t not in found]
    if missing:
        raise InputError(where, f"table file missing: {', '.join(missing)}")
    quarters = sorted({q for members in found.values() for _, q in members})
    if len(quarters) > 1:
        raise InputError(where, f"table files name different quarters: {', '.join(quarters)}")
    named = archive_quarter(reader.path.name)
    if named and named != quarters[0]:
        raise InputError(where, f"archive name says {named} but its tables are {quarters[0]}")
    names = {m: PurePosixPath(m).name for m in reader.members}
    return QuarterFiles(
        quarter=quarters[0],
        archive=reader.path,
        tables={t: found[t][0][0] for t in TABLES},
        deleted=tuple(m for m, n in names.items() if DELETED_FILE.match(n)),
        is_synthetic=any(n.lower() == SYNTHETIC_FILE for n in names.values()),
    )


def find_quarter_files(path: Path) -> QuarterFiles:
    """What one quarterly zip or folder holds; raises InputError when it is not a whole quarter."""
    with open_archive(path) as reader:
        return quarter_files(reader)
