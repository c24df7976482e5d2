"""FAERS quarterly ASCII files (zip or folder) into raw.* tables, every era and its quirks.

`load_quarter` checks every header first (reading first lines only), then loads table by table
inside one transaction when the caller has none open; a worker thread reads (inflates, hashes,
splits into lines) the next member while DuckDB inserts the current one. Rules for headers are in
faers_layout, for bytes and lines in faers_lines, for records in faers_rows, for archives in
faers_archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from etl import db
from etl.errors import InputError
from etl.sources.faers_archive import (
    MAX_COMPRESSION_RATIO,
    MAX_MEMBER_BYTES,
    ArchiveReader,
    QuarterFiles,
    find_quarter_files,
    open_archive,
    quarter_files,
)
from etl.sources.faers_layout import TABLES, Header, parse_header
from etl.sources.faers_limits import (
    DELETED_COLUMNS,
    refuse_binary,
    refuse_header_only,
    refuse_long_lines,
)
from etl.sources.faers_rows import (
    FileCounts,
    classify_lines,
    decode_member,
    insert_table_lines,
    lines_table,
    load_deleted_lines,
)

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_MEMBER_BYTES",
    "TABLES",
    "LoadSummary",
    "QuarterFiles",
    "find_quarter_files",
    "load_quarter",
]

_Ready = pa.Table | tuple[pa.Table, FileCounts]  # deleted-list lines | classified table lines
_PROVENANCE = {"quarter", "layout", "source_file", "line_number"}
_HEADER_READ_LIMIT = 1 << 16
_MANIFEST_COLUMNS = (
    "quarter, table_name, archive, source_file, layout, header, encoding, sha256, n_lines, "
    "n_rows_read, n_rows_loaded, n_rows_rejected, n_blank_lines, n_rows_padded, n_lines_split, "
    "ignored_columns"
)
_INSERT_MANIFEST = (
    f"INSERT INTO raw.manifest ({_MANIFEST_COLUMNS}) VALUES ({', '.join(['?'] * 16)})"
)


@dataclass(frozen=True)
class LoadSummary:
    """What one load_quarter call wrote."""

    quarter: str
    rows_loaded: dict[str, int]  # table -> rows written to raw.<table>
    rows_rejected: int  # lines written to raw.rejects (tables and deleted lists)
    deleted_listings: int  # rows written to raw.deleted_cases
    header_only_tables: tuple[str, ...]  # tables whose file had a header and no data


def _known_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'raw' AND table_name = ?",
        [table],
    ).fetchall()
    return {name for (name,) in rows} - _PROVENANCE


def _read_header(
    con: duckdb.DuckDBPyConnection, reader: ArchiveReader, table: str, member: str, ignore: bool
) -> Header:
    where = reader.display(member)
    if reader.size(member) == 0:
        raise InputError(where, f"empty file (0 bytes) for table {table.upper()}")
    raw_first = reader.read(member, limit=_HEADER_READ_LIMIT)
    refuse_binary(raw_first, where, None)
    if len(raw_first) == _HEADER_READ_LIMIT and not raw_first.endswith(b"\n"):
        raise InputError(where, f"header line is over {_HEADER_READ_LIMIT:,} bytes", line=1)
    first, _ = decode_member(raw_first)
    line = first.decode("utf-8").rstrip("\r\n")
    if not line.strip():
        raise InputError(where, "first line is blank: expected a $-separated header", line=1)
    return parse_header(line, table, _known_columns(con, table), file=where, ignore_unknown=ignore)


def _manifest_row(
    files: QuarterFiles, table: str, member: str, header: Header | None, meta: tuple, n: FileCounts
) -> list:
    digest, encoding = meta
    layout = header.layout if header else "deleted-list"
    ignored = ",".join(header.ignored) if header and header.ignored else None
    return [
        files.quarter, table, str(files.archive), member, layout, header.text if header else None,
        encoding, digest, n.n_lines, n.n_rows_read, n.n_rows_loaded, n.n_rows_rejected,
        n.n_blank_lines, n.n_rows_padded, n.n_lines_split, ignored,
    ]  # fmt: skip


@dataclass(frozen=True)
class _Job:
    """One member to load: a table file (with its header) or a deleted-case list (no header)."""

    table: str
    member: str
    header: Header | None


def _read_member(reader: ArchiveReader, job: _Job) -> tuple[_Ready, tuple[str, str]]:
    """The member's lines (classified for a table file), and its (sha256, encoding)."""
    where, columns = reader.display(job.member), job.header.columns if job.header else None
    raw_bytes = reader.read_whole(job.member)
    refuse_binary(raw_bytes, where, columns or DELETED_COLUMNS)
    digest = hashlib.sha256(raw_bytes).hexdigest()
    data, encoding = decode_member(raw_bytes)
    del raw_bytes
    lines = lines_table(data)
    del data
    refuse_long_lines(lines, where, columns or DELETED_COLUMNS)
    if job.header is None:
        return lines, (digest, encoding)
    ready = classify_lines(lines, job.header)
    refuse_header_only(job.table, ready[1].n_rows_read, where)
    return ready, (digest, encoding)


def _read_ahead(
    pool: ThreadPoolExecutor, reader: ArchiveReader, jobs: list[_Job]
) -> Iterator[tuple[_Job, tuple[_Ready, tuple[str, str]]]]:
    """Each job with its member read; the next member is read (in `pool`) while this one loads.

    Inflating, hashing and numpy all release the GIL, so reading overlaps DuckDB's inserts; at most
    two members are held in memory.
    """
    ahead = [pool.submit(_read_member, reader, job) for job in jobs[:1]]
    for i, job in enumerate(jobs):
        done = ahead.pop().result()
        if i + 1 < len(jobs):
            ahead.append(pool.submit(_read_member, reader, jobs[i + 1]))
        yield job, done
        del done


def _store_member(
    con: duckdb.DuckDBPyConnection, files: QuarterFiles, job: _Job, ready: _Ready, meta: tuple
) -> FileCounts:
    where = {"quarter": files.quarter, "source_file": job.member}
    if job.header is None:
        counts = load_deleted_lines(con, ready, **where)
    else:
        counts = insert_table_lines(con, ready, table=job.table, header=job.header, **where)
    row = _manifest_row(files, job.table, job.member, job.header, meta, counts)
    con.execute(_INSERT_MANIFEST, row)
    return counts


def _load_members(
    con: duckdb.DuckDBPyConnection, reader: ArchiveReader, files: QuarterFiles, jobs: list[_Job]
) -> list[FileCounts]:
    """Counts of each job, in order; one member is read ahead in a worker thread."""
    counts = []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="faers-read") as pool:
        for job, (ready, meta) in _read_ahead(pool, reader, jobs):
            counts.append(_store_member(con, files, job, ready, meta))
            del ready
    return counts


def _load_files(
    con: duckdb.DuckDBPyConnection, reader: ArchiveReader, files: QuarterFiles, ignore: bool
) -> LoadSummary:
    headers = {t: _read_header(con, reader, t, files.tables[t], ignore) for t in TABLES}
    jobs = [_Job(t, files.tables[t], headers[t]) for t in TABLES]
    jobs += [_Job("deleted", member, None) for member in files.deleted]
    loaded = _load_members(con, reader, files, jobs)
    counts = dict(zip(TABLES, loaded[: len(TABLES)], strict=True))
    listed = loaded[len(TABLES) :]
    rejected = sum(c.n_rows_rejected for c in loaded)
    deleted = sum(c.n_rows_loaded for c in listed)
    con.execute(
        "INSERT INTO raw.quarters (quarter, era, archive, archive_sha256, is_synthetic, loaded_at) "
        "VALUES (?, ?, ?, ?, ?, current_localtimestamp())",
        [files.quarter, headers["demo"].layout, str(files.archive), reader.sha256(),
         files.is_synthetic],
    )  # fmt: skip
    empty = tuple(t for t, c in counts.items() if c.n_rows_read == 0)
    loaded_rows = {t: c.n_rows_loaded for t, c in counts.items()}
    return LoadSummary(files.quarter, loaded_rows, rejected, deleted, empty)


def _begin(con: duckdb.DuckDBPyConnection) -> bool:
    """Start a transaction unless the caller already has one; True if we started it.

    Outside an explicit transaction every statement gets a new txid_current(); inside, it repeats.
    (Probing with BEGIN would abort the caller's transaction.)
    """
    first, second = (con.execute("SELECT txid_current()").fetchone()[0] for _ in range(2))
    if first == second:
        return False
    con.begin()
    return True


def load_quarter(
    con: duckdb.DuckDBPyConnection, path: Path, *, ignore_unknown_columns: bool = False
) -> LoadSummary:
    """Append one quarterly zip or folder to raw.*; bad input raises InputError naming the file."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw")
    db.run_sql_dir(con, "raw")
    with open_archive(Path(path)) as reader:
        files = quarter_files(reader)
        seen = con.execute("SELECT 1 FROM raw.quarters WHERE quarter = ?", [files.quarter])
        if seen.fetchone():
            raise InputError(str(path), f"quarter {files.quarter} is already loaded")
        own = _begin(con)
        try:
            summary = _load_files(con, reader, files, ignore_unknown_columns)
        except BaseException:
            if own:
                con.rollback()
            raise
        if own:
            con.commit()
    return summary
