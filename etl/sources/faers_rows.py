"""Split one FAERS file's bytes into records and write them to raw.*, vectorised in DuckDB.

Bytes become one Arrow string per physical line (numpy finds the line breaks); DuckDB then
classifies, splits and inserts every line in bulk. No Python loop over rows.

Per data line, with n = the header's width and m = its number of `$`-separated fields (after
removing one trailing `$` in trailing-`$` mode, see faers_layout):
- blank or space-only: skipped and counted;
- m == n: one record; m < n: one record padded with NULL (counted as padded);
- m > n, trailing-`$` mode, the line ends in `$` and m is a multiple k of n: k run-on records,
  all with the line's number (counted as a split line);
- otherwise: rejected to raw.rejects (a stray `$` in a value). FAERS-layout lines are never split:
  without a trailing `$` two run-on records share one merged field, so the cut is unknown.
Empty values are stored as NULL; every other value is kept verbatim (no trimming).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from etl.sources.faers_layout import Header

BOM = b"\xef\xbb\xbf"
LINES_VIEW = "faers_member_lines"

# Text of a line without its break (one \n, then one \r), and body: also without the trailing $.
_TEXT = "CASE WHEN eol = 0 THEN line ELSE left(line, -eol) END AS text"
_BODY = "CASE WHEN eol + ended = 0 THEN line ELSE left(line, -(eol + ended)) END"

_REJECTS = f"""INSERT INTO raw.rejects
SELECT $quarter, $table_name, $source_file, line_number,
       printf('%d fields where a record has %d', m, $n) || $reason_note, {_TEXT}
FROM {LINES_VIEW} WHERE k = 0"""

_DELETED = f"""WITH t AS (SELECT line_number, blank, {_TEXT} FROM {LINES_VIEW}),
v AS (SELECT *, trim(text, ' ' || chr(9)) AS caseid FROM t)"""
_DIGITS = "regexp_full_match(caseid, '[0-9]+')"


@dataclass(frozen=True)
class FileCounts:
    """What reading one file found, for raw.manifest."""

    n_lines: int
    n_rows_read: int
    n_rows_loaded: int
    n_rows_rejected: int
    n_blank_lines: int
    n_rows_padded: int
    n_lines_split: int


def decode_member(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes without a BOM, and the file's encoding: utf-8 if valid, else latin-1."""
    if data.startswith(BOM):
        data = data[len(BOM) :]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1").encode("utf-8"), "latin-1"
    return data, "utf-8"


def _line_bounds(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive, break included) byte offsets of every physical line."""
    ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10) + 1
    if data and not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
    return starts, ends.astype(np.int64)


def _count_bytes(data: bytes, byte: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    positions = np.flatnonzero(np.frombuffer(data, np.uint8) == byte)
    return np.searchsorted(positions, ends) - np.searchsorted(positions, starts)


def _byte_before(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, byte: int) -> np.ndarray:
    """Whether each line's last byte (before `ends`) is `byte`."""
    has = ends > starts
    return has & (buf[np.where(has, ends - 1, 0)] == byte) if len(buf) else has


def lines_table(data: bytes) -> pa.Table:
    """One row per physical line of UTF-8 `data`, its text (break included) and byte statistics.

    eol: how many break characters end it (one \n, then one \r); dollars: its `$` count;
    blank: nothing but spaces and tabs; last_dollar: its text (without break) ends in `$`.
    """
    starts, ends = _line_bounds(data)
    buf = np.frombuffer(data, np.uint8)
    has_lf = _byte_before(buf, starts, ends, 10)
    has_cr = _byte_before(buf, starts, ends - has_lf, 13)
    eol = has_lf.astype(np.int64) + has_cr
    dollars = _count_bytes(data, 36, starts, ends)
    blank = ends - eol == starts
    for i in np.flatnonzero((dollars == 0) & ~blank):  # only lines without any `$`
        blank[i] = not data[starts[i] : ends[i] - eol[i]].strip(b" \t")
    offsets = np.append(starts, ends[-1:] if len(ends) else [0])
    text = pa.LargeStringArray.from_buffers(len(starts), pa.py_buffer(offsets), pa.py_buffer(data))
    return pa.table(
        {
            "line_number": np.arange(1, len(starts) + 1, dtype=np.int64),
            "line": text,
            "eol": eol,
            "dollars": dollars,
            "blank": blank,
            "last_dollar": _byte_before(buf, starts, ends - eol, 36),
        }
    )


def classify_lines(lines: pa.Table, header: Header) -> tuple[pa.Table, FileCounts]:
    """Add ended (a trailing `$` to drop), m (fields) and k (records; 0 reject, -1 skip)."""
    n = header.width
    data_line = lines["line_number"].to_numpy() > 1
    blank = lines["blank"].to_numpy()
    ended = header.trailing_dollar & lines["last_dollar"].to_numpy()
    m = lines["dollars"].to_numpy() - ended + 1
    split = ended & (m > n) & (m % n == 0)
    k = np.where(m <= n, 1, np.where(split, m // n, 0))
    k = np.where(blank | ~data_line, -1, k)
    counts = FileCounts(
        n_lines=lines.num_rows,
        n_rows_read=int(k[k > 0].sum() + (k == 0).sum()),
        n_rows_loaded=int(k[k > 0].sum()),
        n_rows_rejected=int((k == 0).sum()),
        n_blank_lines=int((blank & data_line).sum()),
        n_rows_padded=int(((k == 1) & (m < n)).sum()),
        n_lines_split=int((k > 1).sum()),
    )
    columns = {"ended": ended.astype(np.int64), "m": m, "k": k}
    for name, values in columns.items():
        lines = lines.append_column(name, pa.array(values))
    return lines, counts


def _insert_records_sql(table: str, header: Header) -> str:
    named = [(i, c) for i, c in enumerate(header.columns, start=1) if c is not None]
    targets = ", ".join(f'"{c}"' for _, c in named)
    values = ", ".join(f"nullif(f[r * $n + {i}], '')" for i, _ in named)
    return f"""INSERT INTO raw.{table} (quarter, layout, source_file, line_number, record_in_line,
    {targets})
SELECT $quarter, $layout, $source_file, line_number, r + 1, {values}
FROM (
    SELECT line_number, string_split({_BODY}, '$') AS f, 0 AS r FROM {LINES_VIEW} WHERE k = 1
    UNION ALL
    SELECT line_number, string_split({_BODY}, '$') AS f, unnest(range(k)) AS r
    FROM {LINES_VIEW} WHERE k > 1
)"""


def load_table_lines(
    con: duckdb.DuckDBPyConnection,
    lines: pa.Table,
    *,
    table: str,
    header: Header,
    quarter: str,
    source_file: str,
) -> FileCounts:
    """Insert the records of one table file (`lines` from lines_table) into raw.<table>."""
    lines, counts = classify_lines(lines, header)
    where = {"quarter": quarter, "source_file": source_file, "n": header.width}
    note = " (stray $ in a value?)" if header.trailing_dollar else " (stray $ or run-on line?)"
    con.register(LINES_VIEW, lines)
    try:
        con.execute(_insert_records_sql(table, header), {**where, "layout": header.layout})
        con.execute(_REJECTS, {**where, "table_name": table, "reason_note": note})
    finally:
        con.unregister(LINES_VIEW)
    return counts


def load_deleted_lines(
    con: duckdb.DuckDBPyConnection, lines: pa.Table, *, quarter: str, source_file: str
) -> FileCounts:
    """Insert one deleted-case list (no header, one caseid a line) into raw.deleted_cases."""
    where = {"quarter": quarter, "source_file": source_file}
    con.register(LINES_VIEW, lines)
    try:
        blank, loaded, rejected = con.execute(
            f"""{_DELETED} SELECT count(*) FILTER (WHERE blank), count(*) FILTER (WHERE {_DIGITS}),
                count(*) FILTER (WHERE NOT blank AND NOT {_DIGITS}) FROM v"""
        ).fetchone()
        con.execute(
            f"""INSERT INTO raw.deleted_cases {_DELETED}
            SELECT $quarter, $source_file, line_number, caseid FROM v WHERE {_DIGITS}""",
            where,
        )
        con.execute(
            f"""INSERT INTO raw.rejects {_DELETED}
            SELECT $quarter, 'deleted', $source_file, line_number,
                   'deleted-case list line is not a caseid (digits only)', text
            FROM v WHERE NOT blank AND NOT {_DIGITS}""",
            where,
        )
    finally:
        con.unregister(LINES_VIEW)
    return FileCounts(lines.num_rows, loaded + rejected, loaded, rejected, blank, 0, 0)
