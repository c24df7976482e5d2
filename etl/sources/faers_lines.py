"""A FAERS file's bytes as UTF-8 and as one Arrow row per physical line, with numpy statistics.

No Python loop over lines (only over dollar-less lines, to spot space-only ones) and no copy of
the text: the Arrow strings point into the file's bytes. Scans run in line-aligned chunks so
their temporary masks stay small, whatever the file's size.
"""

from __future__ import annotations

import codecs

import numpy as np
import pyarrow as pa

BOM = b"\xef\xbb\xbf"
_CHUNK = 1 << 24  # bytes scanned at once (temporary masks are this big)


def _is_utf8(data: bytes | bytearray) -> bool:
    """Whether `data` is valid UTF-8, checked in chunks (no full-size str is built)."""
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for at in range(0, len(data), _CHUNK):
            decoder.decode(view[at : at + _CHUNK], final=at + _CHUNK >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def decode_member(data: bytes | bytearray) -> tuple[bytes | bytearray, str]:
    """UTF-8 bytes without a BOM, and the file's encoding: utf-8 if valid, else latin-1.

    A bytearray loses its BOM in place; valid UTF-8 comes back as the very object given.
    """
    if data.startswith(BOM):
        if isinstance(data, bytearray):
            del data[: len(BOM)]
        else:
            data = data[len(BOM) :]
    if _is_utf8(data):
        return data, "utf-8"
    return data.decode("latin-1").encode("utf-8"), "latin-1"


def _line_ends(buf: np.ndarray) -> np.ndarray:
    """End offset (exclusive, break included) of every physical line."""
    chunks = range(0, len(buf), _CHUNK)
    parts = [np.flatnonzero(buf[at : at + _CHUNK] == 10) + (at + 1) for at in chunks]
    ends = np.concatenate(parts).astype(np.int64) if parts else np.empty(0, np.int64)
    if len(buf) and buf[-1] != 10:
        ends = np.append(ends, np.int64(len(buf)))
    return ends


def _count_per_line(buf: np.ndarray, byte: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many times `byte` occurs in each line (lines are contiguous and never empty)."""
    counts = np.empty(len(starts), np.int64)
    first = 0
    while first < len(starts):
        last = max(int(np.searchsorted(starts, starts[first] + _CHUNK)), first + 1)
        low, high = int(starts[first]), int(ends[last - 1])
        hits = (buf[low:high] == byte).view(np.uint8)
        wide = np.int32 if high - low < 2**31 else np.int64
        counts[first:last] = np.add.reduceat(hits, starts[first:last] - low, dtype=wide)
        first = last
    return counts


def _byte_before(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, byte: int) -> np.ndarray:
    """Whether each line's last byte (before `ends`) is `byte`."""
    has = ends > starts
    return has & (buf[np.where(has, ends - 1, 0)] == byte) if len(buf) else has


def lines_table(data: bytes | bytearray) -> pa.Table:
    """One row per physical line of UTF-8 `data`: its bytes and their statistics.

    line: the line with each break character turned into `$` (in `data` itself when it is a
    bytearray, else in a copy), so splitting it on `$` only adds empty fields after its last one;
    its text is `line` less `eol` characters.
    eol: how many break characters end it (one \n, then one \r); dollars: its `$` count;
    blank: nothing but spaces and tabs; last_dollar: its text (without break) ends in `$`.
    """
    buf = np.frombuffer(data, np.uint8)
    ends = _line_ends(buf)
    starts = np.zeros(len(ends), np.int64)
    starts[1:] = ends[:-1]
    has_lf = _byte_before(buf, starts, ends, 10)
    has_cr = _byte_before(buf, starts, ends - has_lf, 13)
    eol = has_lf.astype(np.int64) + has_cr
    dollars = _count_per_line(buf, 36, starts, ends)
    blank = ends - eol == starts
    for i in np.flatnonzero((dollars == 0) & ~blank):  # only lines without any `$`
        blank[i] = not data[starts[i] : ends[i] - eol[i]].strip(b" \t")
    last_dollar = _byte_before(buf, starts, ends - eol, 36)
    if not isinstance(data, bytearray):
        data = bytearray(data)
        buf = np.frombuffer(data, np.uint8)
    buf[ends[has_lf] - 1] = 36
    buf[ends[has_cr] - 1 - has_lf[has_cr]] = 36
    offsets = np.append(starts, ends[-1:] if len(ends) else [0])
    text = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))
    return pa.table(
        {
            "line_number": np.arange(1, len(starts) + 1, dtype=np.int64),
            "line": text,
            "eol": eol,
            "dollars": dollars,
            "blank": blank,
            "last_dollar": last_dollar,
        }
    )
