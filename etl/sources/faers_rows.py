"""Split one FAERS file's bytes into records and write them to raw.*, vectorised in DuckDB.

Bytes become one Arrow string per physical line (faers_lines); numpy classifies the lines, and
DuckDB splits and inserts them all in bulk. No Python loop over rows.

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
from etl.sources.faers_lines import BOM, decode_member, lines_table

__all__ = [
    "BOM",
    "LINES_VIEW",
    "FileCounts",
    "classify_lines",
    "decode_member",
    "insert_table_lines",
    "lines_table",
    "load_deleted_lines",
    "load_table_lines",
]
LINES_VIEW = "faers_member_lines"

# Text of a line without its break (one \n, then one \r; lines_table turned them into `$`).
_TEXT = "CASE WHEN eol = 0 THEN line ELSE left(line, -eol) END AS text"

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


def classify_lines(lines: pa.Table, header: Header) -> tuple[pa.Table, FileCounts]:
    """Add m (fields, less a trailing `$` to drop) and k (records; 0 reject, -1 skip)."""
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
    columns = {"m": m, "k": k}
    for name, values in columns.items():
        lines = lines.append_column(name, pa.array(values))
    return lines, counts


def _insert_records_sql(table: str, header: Header, *, any_split: bool) -> str:
    """INSERT of every record; the run-on branch (k > 1) only when some line needs it."""
    named = [(i, c) for i, c in enumerate(header.columns, start=1) if c is not None]
    targets = ", ".join(f'"{c}"' for _, c in named)
    fields = "SELECT line_number, string_split(line, '$') AS f"
    if any_split:
        values = ", ".join(f"nullif(f[r * $n + {i}], '')" for i, _ in named)
        source = f"""{fields}, 0 AS r FROM {LINES_VIEW} WHERE k = 1
    UNION ALL
    {fields}, unnest(range(k)) AS r FROM {LINES_VIEW} WHERE k > 1"""
    else:
        values = ", ".join(f"nullif(f[{i}], '')" for i, _ in named)
        source = f"{fields}, 0 AS r FROM {LINES_VIEW} WHERE k = 1"
    return f"""INSERT INTO raw.{table} (quarter, layout, source_file, line_number, record_in_line,
    {targets})
SELECT $quarter, $layout, $source_file, line_number, r + 1, {values}
FROM ({source})"""


def insert_table_lines(
    con: duckdb.DuckDBPyConnection,
    classified: tuple[pa.Table, FileCounts],
    *,
    table: str,
    header: Header,
    quarter: str,
    source_file: str,
) -> FileCounts:
    """Insert the records and rejects of one table file (`classified` by classify_lines)."""
    lines, counts = classified
    where = {"quarter": quarter, "source_file": source_file}
    note = " (stray $ in a value?)" if header.trailing_dollar else " (stray $ or run-on line?)"
    con.register(LINES_VIEW, lines)
    try:
        if counts.n_rows_loaded:
            sql = _insert_records_sql(table, header, any_split=counts.n_lines_split > 0)
            params = {**where, "layout": header.layout}
            con.execute(sql, {**params, "n": header.width} if counts.n_lines_split else params)
        if counts.n_rows_rejected:
            params = {**where, "n": header.width, "table_name": table, "reason_note": note}
            con.execute(_REJECTS, params)
    finally:
        con.unregister(LINES_VIEW)
    return counts


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
    classified = classify_lines(lines, header)
    where = {"table": table, "header": header, "quarter": quarter, "source_file": source_file}
    return insert_table_lines(con, classified, **where)


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
