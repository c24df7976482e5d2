"""Refusals of damaged FAERS files: binary bytes, over-long lines, key tables with no rows.

Each raises InputError naming the file, the line and the field (a header column; `#k` for the
k-th field when the header does not name it). The scans are single C-level passes (bytes.find,
Arrow compute); the line and field are worked out only when a file is refused.
See docs/bad-input.md for the whole catalogue of bad inputs and what happens to each.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from etl.errors import InputError

# The longest line in the real samples is 400 bytes; a line over 1 MiB is missing line breaks (or is
# not FAERS), and reading it would put megabytes into one value.
MAX_LINE_BYTES = 1 << 20
# Every report has at least one drug and one reaction, so a quarter whose DEMO, DRUG or REAC holds
# only a header is broken. OUTC, RPSR, THER and INDI may legitimately be empty.
MUST_HAVE_ROWS = {
    "demo": "a quarter always has reports",
    "drug": "every report names at least one drug",
    "reac": "every report has at least one reaction",
}
DELETED_COLUMNS = ("caseid",)


def field_name(columns: Sequence[str | None] | None, index: int) -> str:
    """The header's name of the field at 0-based `index`, else `#<index + 1>`."""
    if columns is not None and index < len(columns) and columns[index]:
        return str(columns[index])
    return f"#{index + 1}"


def refuse_binary(
    data: bytes | bytearray, where: str, columns: Sequence[str | None] | None
) -> None:
    """Refuse a file holding a NUL byte: FAERS files are text, and no text holds NUL."""
    at = data.find(b"\0")
    if at < 0:
        return
    start = data.rfind(b"\n", 0, at) + 1
    raise InputError(
        where,
        "binary data (a NUL byte): not a $-separated text file",
        line=data.count(b"\n", 0, at) + 1,
        field=field_name(columns, data.count(b"$", start, at)),
    )


def refuse_long_lines(lines: pa.Table, where: str, columns: Sequence[str | None] | None) -> None:
    """Refuse a file with a line over MAX_LINE_BYTES (`lines` from faers_lines.lines_table)."""
    if lines.num_rows == 0:
        return
    lengths = pc.binary_length(lines.column("line"))
    longest = pc.max(lengths).as_py()
    if longest <= MAX_LINE_BYTES:
        return
    index = pc.index(lengths, longest).as_py()
    fields = lines.column("line")[index].as_py().split("$")
    widest = max(range(len(fields)), key=lambda k: len(fields[k]))
    raise InputError(
        where,
        f"line is {longest:,} bytes, over the cap of {MAX_LINE_BYTES:,} (line breaks missing?)",
        line=index + 1,
        field=field_name(columns, widest),
    )


def refuse_header_only(table: str, n_rows_read: int, where: str) -> None:
    """Refuse a DEMO, DRUG or REAC file that has a header and no rows."""
    if n_rows_read == 0 and table in MUST_HAVE_ROWS:
        why = MUST_HAVE_ROWS[table]
        raise InputError(where, f"{table.upper()} has a header and no rows ({why})", line=2)
