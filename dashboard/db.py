"""The dashboard's only door to DuckDB: read-only, capped, and following the ETL's file swaps.

The ETL builds a new file and `os.replace`s it over the live one. Each query stats the path
(inode, mtime); when it changed, a new connection is opened for new queries. The old connection
is simply dropped: cursors already taken from it keep its DuckDB instance (and the old, unlinked
file) alive until they are closed, so queries in flight finish on the data they started with.

Connections are `duckdb.connect()` + `ATTACH '<path>' AS kdb (READ_ONLY)`: every ATTACH makes a
new instance, which bypasses DuckDB's per-path instance cache (a plain `duckdb.connect(path)`
would hand back the old, cached instance). Each query runs on its own cursor, so a threaded
server may call `query()` from many threads at once. (Cursors are not pooled: reusing them saved
about half a millisecond a query, and idle cursors left to the interpreter's exit made DuckDB
abort the process, "terminate called ... exception not rethrown".)

`cached(key, compute)` keeps what depends only on the file (reference lists, the timeline,
which tables exist): computed once per file, forgotten when the file is swapped.

Nothing but reading: the file is attached READ_ONLY (DuckDB refuses INSERT, UPDATE, DELETE,
CREATE, DROP on it), then external access is switched off and the configuration locked, so no
statement can write or read another file (COPY … TO, read_csv, ATTACH), load an extension or
reach the network. The dashboard sends only its own SQL with bound values; this is the floor
beneath that rule.

Caps: a query returning more than `max_rows` rows raises `RowCapExceeded` (no silent
truncation: ask for aggregates or a page instead); a query running longer than `timeout_s`
seconds is interrupted and raises `QueryTimeout`.

Caveat: while a `Database` holds a file, DuckDB refuses a read-write connection to the same
path *in the same process* ("Unique file handle conflict"); a writer in another process (the
ETL) is not affected.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl
import pyarrow as pa

CATALOG = "kdb"
DEFAULT_MAX_ROWS = 2_000_000
DEFAULT_TIMEOUT_S = 30.0
_BATCH_ROWS = 100_000
T = TypeVar("T")


class DatabaseMissing(FileNotFoundError):
    """The database file does not exist (yet): build it with `kratom-etl demo` or `build`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(f"no database at {path}: build one with `kratom-etl demo`")


class DatabaseUnreadable(RuntimeError):
    """The file exists but DuckDB cannot open it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"cannot open the database {path}: {reason}")


class QueryTimeout(RuntimeError):
    """A query ran longer than the time cap and was interrupted."""


class RowCapExceeded(RuntimeError):
    """A query returned more rows than the row cap."""


class Database:
    """Read-only access to the DuckDB file at `path`; reconnects when the ETL swaps it."""

    def __init__(
        self,
        path: Path | str,
        *,
        max_rows: int = DEFAULT_MAX_ROWS,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.path = Path(path)
        self.max_rows = max_rows
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stamp: tuple[int, int] | None = None
        self._memo: dict[Hashable, Any] = {}  # cached() values for the file of self._con

    def _file_stamp(self) -> tuple[int, int]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseMissing(self.path) from None
        return st.st_ino, st.st_mtime_ns

    def _connection(self) -> tuple[duckdb.DuckDBPyConnection, dict]:
        """The connection to the current file and its memo (both new after a swap)."""
        stamp = self._file_stamp()
        with self._lock:
            if self._con is None or stamp != self._stamp:
                self._con = _open_read_only(self.path)  # the old one lives on in its cursors
                self._stamp = stamp
                self._memo = {}
            return self._con, self._memo

    def _new_cursor(self) -> duckdb.DuckDBPyConnection:
        cur = self._connection()[0].cursor()
        try:
            cur.execute(f"USE {CATALOG}")  # a cursor starts in the in-memory catalog
        except BaseException:
            cur.close()
            raise
        return cur

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor on the current file, for several statements that must see the same data."""
        cur = self._new_cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextlib.contextmanager
    def _timed_cursor(self, sql: str) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor interrupted after `timeout_s`; an error after that becomes QueryTimeout."""
        cur = self._new_cursor()
        fired = threading.Event()

        def interrupt() -> None:
            fired.set()
            cur.interrupt()

        timer = threading.Timer(self.timeout_s, interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield cur
        except Exception as exc:  # an interrupt surfaces as duckdb or pyarrow errors
            if fired.is_set():
                raise QueryTimeout(
                    f"the query took over {self.timeout_s:g} s: {_first_line(sql)}"
                ) from exc
            raise
        finally:
            timer.cancel()
            cur.close()

    def query(self, sql: str, params: Sequence[Any] = ()) -> pl.DataFrame:
        """Run one statement with bound `?` parameters; the result as a polars DataFrame."""
        with self._timed_cursor(sql) as cur:
            relation = cur.sql(sql, params=list(params) or None)
            if relation is None:
                return pl.DataFrame()
            reader = relation.to_arrow_reader(_BATCH_ROWS)
            batches, n_rows = [], 0
            for batch in reader:
                n_rows += batch.num_rows
                if n_rows > self.max_rows:
                    raise RowCapExceeded(
                        f"the query returned more than {self.max_rows:,} rows; "
                        f"aggregate or page it: {_first_line(sql)}"
                    )
                batches.append(batch)
            return pl.DataFrame(pl.from_arrow(pa.Table.from_batches(batches, reader.schema)))

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` once per database file, then the same value until the file is swapped.

        For what depends only on the file (never on filters). Callers must not change the value.
        """
        _, memo = self._connection()
        if key not in memo:
            memo[key] = compute()  # into the memo of the file seen before computing
        return memo[key]

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None when there is no row."""
        with self._timed_cursor(sql) as cur:
            row = cur.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]

    def has_table(self, name: str) -> bool:
        """Whether `schema.table` (or `table` in schema main) exists, as a table or a view."""
        schema, _, table = name.rpartition(".")
        return self.cached(
            ("has_table", schema or "main", table),
            lambda: bool(
                self.scalar(
                    "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_catalog = ? AND table_schema = ? AND table_name = ?",
                    [CATALOG, schema or "main", table],
                )
            ),
        )

    def has_column(self, name: str, column: str) -> bool:
        """Whether table or view `schema.table` has a column `column` (looked up once per file)."""
        schema, _, table = name.rpartition(".")
        return self.cached(
            ("has_column", schema or "main", table, column),
            lambda: bool(
                self.scalar(
                    "SELECT count(*) FROM information_schema.columns WHERE table_catalog = ? "
                    "AND table_schema = ? AND table_name = ? AND column_name = ?",
                    [CATALOG, schema or "main", table, column],
                )
            ),
        )

    def vintage(self) -> dict[str, Any] | None:
        """The newest row of `meta.build` (by `built_at` when present) as a dict, else None."""
        if not self.has_table("meta.build"):
            return None
        rows = self.query("SELECT * FROM meta.build")
        if rows.is_empty():
            return None
        if "built_at" in rows.columns:
            rows = rows.sort("built_at", nulls_last=False)
        return rows.row(-1, named=True)


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH ? AS {CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {CATALOG}")
        con.execute("SET enable_external_access = false")  # no other file, URL or extension
        con.execute("SET lock_configuration = true")  # and no statement may turn it back on
    except duckdb.Error as exc:
        con.close()
        raise DatabaseUnreadable(path, str(exc).splitlines()[0]) from exc
    return con


def _first_line(sql: str) -> str:
    return " ".join(sql.split())[:120]
