"""Resumable, checksummed downloads: `dest.part` resumed with HTTP Range, verified, then moved."""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

from etl.download_progress import Progress, make_progress
from etl.http import (
    RETRY_ERRORS,
    FetchError,
    Sleep,
    backoff_seconds,
    get_with_retries,
    make_session,
)

CHUNK_SIZE = 1 << 16


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class _Restart(Exception):
    """The partial file cannot be resumed; it was removed and the download starts again."""


def _content_range(response: requests.Response) -> tuple[int | None, int | None]:
    """(first byte, total size) from `Content-Range: bytes A-B/N` or `bytes */N`."""
    value = response.headers.get("Content-Range", "")
    unit, _, spec = value.partition(" ")
    if unit.strip().lower() != "bytes" or "/" not in spec:
        return None, None
    span, _, total = spec.partition("/")
    first = span.partition("-")[0]
    return (
        int(first) if first.isdigit() else None,
        int(total) if total.isdigit() else None,
    )


def _fetch_into(
    session: requests.Session, url: str, part: Path, bar: Progress, **retry
) -> int | None:
    """Fetch the rest of `url` into `part` (206 appends, 200 restarts); returns the total size."""
    offset = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    with get_with_retries(session, url, headers=headers, stream=True, **retry) as response:
        status = response.status_code
        first, total = _content_range(response)
        if status == 416 and offset:
            if total == offset:
                return total
            part.unlink()
            raise _Restart
        if status == 206 and offset and first == offset:
            mode = "ab"
        elif status == 200:
            mode, offset = "wb", 0
            length = response.headers.get("Content-Length", "")
            total = int(length) if length.isdigit() else None
        else:
            part.unlink(missing_ok=True)
            raise FetchError(url, f"unexpected HTTP {status} for a download", status=status)
        bar.start(total, offset)
        try:
            with open(part, mode) as f:
                for chunk in response.iter_content(CHUNK_SIZE):
                    f.write(chunk)
                    bar.advance(len(chunk))
        except OSError as exc:  # requests' errors are OSErrors too; those pass as they are
            if isinstance(exc, requests.RequestException) or exc.filename:
                raise
            raise OSError(exc.errno, exc.strerror, str(part)) from exc  # a full disk: say where
    return total


def download_file(
    url: str,
    dest: Path | str,
    *,
    expected_size: int | None = None,
    progress: bool | Progress | None = None,
    session: requests.Session | None = None,
    verify: Callable[[Path], None] | None = None,
    sleep: Sleep = time.sleep,
    max_attempts: int = 5,
    backoff: float = 1.0,
) -> Downloaded:
    """Download `url` to `dest` through `dest.part`, resuming a partial file with HTTP Range.

    The file is checked (size, then `verify(part)`, which raises on bad content) and hashed before
    `os.replace` moves it into place, so a good `dest` is never overwritten by a bad download.
    `progress`: None shows a bar only on a terminal; a Progress object is used as given.
    """
    dest = Path(dest)
    part = dest.with_name(dest.name + ".part")
    dest.parent.mkdir(parents=True, exist_ok=True)
    if expected_size is not None and part.exists() and part.stat().st_size > expected_size:
        part.unlink()
    session = session or make_session()
    bar = make_progress(dest.name, progress)
    retry = {"sleep": sleep, "max_attempts": max_attempts, "backoff": backoff}
    for attempt in range(1, max_attempts + 1):
        try:
            total = _fetch_into(session, url, part, bar, **retry)
        except _Restart:
            continue
        except RETRY_ERRORS as exc:
            if attempt == max_attempts:
                raise FetchError(url, f"gave up after {attempt} attempts: {exc}") from exc
            sleep(backoff_seconds(attempt, backoff))
            continue
        size = part.stat().st_size
        if total is not None and size < total and attempt < max_attempts:
            sleep(backoff_seconds(attempt, backoff))  # a short body: resume it
            continue
        expected = expected_size if expected_size is not None else total
        if expected is not None and size != expected:
            part.unlink()
            raise FetchError(url, f"got {size} bytes, expected {expected}")
        break
    else:
        raise FetchError(url, f"gave up after {max_attempts} attempts")
    bar.finish()
    return _verify_and_place(part, dest, size, verify)


def _verify_and_place(
    part: Path, dest: Path, size: int, verify: Callable[[Path], None] | None
) -> Downloaded:
    digest = file_sha256(part)
    if verify is not None:
        try:
            verify(part)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    os.replace(part, dest)
    return Downloaded(dest, size, digest)
