"""One refresh at a time: `<db>.lock` beside the database, held with flock(2).

The file holds one JSON line (pid, host, started_at) for people to read; the lock itself is the
kernel's flock, so a process that dies (even by kill -9) releases it. A lock file that exists
while nobody holds the flock is stale: it is reported and replaced. Keep the database on a local
disk: flock over NFS is not reliable.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


class LockHeld(RuntimeError):
    """Another process holds the lock; `holder` is what its lock file says."""

    def __init__(self, path: Path, holder: dict) -> None:
        self.path = path
        self.holder = holder
        who = describe_holder(holder)
        super().__init__(f"another refresh holds {path}" + (f" ({who})" if who else ""))


def describe_holder(holder: dict) -> str:
    """'pid 12, host web1, started_at 2026-05-01T12:00:00+00:00' from a lock file's JSON."""
    if "text" in holder:
        return f"unreadable: {holder['text']!r}"
    return ", ".join(f"{k} {holder[k]}" for k in ("pid", "host", "started_at") if k in holder)


def lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def _read_holder(fd: int) -> dict:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", "replace").strip()
    if not text:
        return {}
    try:
        holder = json.loads(text)
    except ValueError:
        return {"text": text[:200]}
    return holder if isinstance(holder, dict) else {"text": text[:200]}


def _is_same_file(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        return False


def _acquire(path: Path) -> int:
    """An fd holding the flock on the file now at `path` (retrying if it was swapped under us)."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockHeld(path, holder) from None
        if _is_same_file(fd, path):
            return fd
        os.close(fd)  # the last holder removed the file between our open and flock


def _write_holder(fd: int, started_at: datetime) -> None:
    holder = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": started_at.isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, (json.dumps(holder) + "\n").encode())
    os.fsync(fd)


@contextlib.contextmanager
def hold_lock(db_path: Path | str) -> Iterator[dict]:
    """Hold `<db>.lock` for the block, or raise LockHeld at once if another process holds it.

    Yields what a stale lock file said ({} when there was none), so the caller can report it.
    """
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = _acquire(path)
    try:
        stale = _read_holder(fd)
        if stale:
            log.warning(
                "cleared a stale lock %s (%s): no process holds it", path, describe_holder(stale)
            )
        _write_holder(fd, datetime.now(UTC))
        yield stale
    finally:
        if _is_same_file(fd, path):
            path.unlink(missing_ok=True)
        os.close(fd)
