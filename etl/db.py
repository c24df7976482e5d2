"""The ETL's only door to DuckDB: connections, SQL files, and build-then-swap."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from etl.config import build_memory_limit

SQL_DIR = Path(__file__).resolve().parent / "sql"
CHECKS_DIR = Path(__file__).resolve().parent / "checks"


CATALOG = "kratom"  # the name every ETL connection gives its file (never the file's own name)


def connect(
    path: Path | str, *, read_only: bool = False, config: dict[str, str] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file as catalog `kratom`. The ETL is the only writer.

    DuckDB names a file's catalog after its stem, so a file called `model.duckdb` (or raw, ref,
    staging, meta, build) would make `model.cases` mean catalog `model`, not schema `model`. So
    the connection is in-memory and the file is ATTACHed under a fixed name and made the default
    (USE): unqualified and schema-qualified names then resolve in the file whatever it is called.
    Each call is its own DuckDB instance (no per-path instance cache); its settings (`config`)
    apply to the attached file, and it spills to `<path>.tmp/` unless `config` says otherwise, as
    a plain `duckdb.connect(path)` did. DuckDB's progress bar is off: it drew itself on stderr
    for any query over 2 s, into the logs of `kratom-etl refresh` under cron or systemd.
    """
    settings = {"temp_directory": str(_spill_dir(Path(path))), **(config or {})}
    con = duckdb.connect(config=settings)
    try:
        mode = " (READ_ONLY)" if read_only else ""
        con.execute(f"ATTACH ? AS {CATALOG}{mode}", [str(path)])
        con.execute(f"USE {CATALOG}")
        con.execute("SET enable_progress_bar = false")  # no bar in cron and systemd logs
    except BaseException:
        con.close()
        raise
    return con


def build_config(building: Path) -> dict[str, str]:
    """DuckDB settings of a build's connection: a bounded memory and a spill folder beside it.

    The limit is KRATOM_BUILD_MEMORY (etl.config.build_memory_limit); DuckDB writes what does not
    fit to `<building>.tmp/`, removed when the build ends.
    """
    return {"memory_limit": build_memory_limit(), "temp_directory": str(_spill_dir(building))}


def _spill_dir(building: Path) -> Path:
    return building.with_name(building.name + ".tmp")


def sql_text(relpath: str) -> str:
    """The text of `etl/sql/<relpath>`."""
    return (SQL_DIR / relpath).read_text(encoding="utf-8")


def run_sql_file(con: duckdb.DuckDBPyConnection, relpath: str, params: dict | None = None) -> None:
    """Run every statement of `etl/sql/<relpath>`; values only ever arrive as bound parameters."""
    text = sql_text(relpath)
    if params:
        con.execute(text, params)
    else:
        con.execute(text)


def run_sql_dir(con: duckdb.DuckDBPyConnection, reldir: str) -> list[str]:
    """Run every `*.sql` of `etl/sql/<reldir>` in name order; returns the files run."""
    names = sorted(p.name for p in (SQL_DIR / reldir).glob("*.sql"))
    for name in names:
        run_sql_file(con, f"{reldir}/{name}")
    return names


def building_path(live: Path) -> Path:
    return live.with_name(live.name + ".building")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_db_files(path: Path) -> None:
    for p in (path, _wal(path)):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def copy_live_to_building(live: Path | str) -> float:
    """Start `<live>.building` as a copy of the live file (streamed; O(1) memory); seconds taken."""
    live = Path(live)
    tmp = building_path(live)
    started = time.perf_counter()
    _remove_db_files(tmp)
    try:
        for source, target in ((live, tmp), (_wal(live), _wal(tmp))):
            if source.exists():
                shutil.copyfile(source, target)
    except BaseException:  # a full disk, or a signal: leave no half copy behind
        _remove_db_files(tmp)
        raise
    return time.perf_counter() - started


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


@contextlib.contextmanager
def build_then_swap(
    live: Path | str, *, from_copy: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a new file beside `live`; swap it in only if the block succeeds.

    The new file is `<live>.building`: empty, or (`from_copy`) the copy that
    `copy_live_to_building` made; its connection has build_config's memory limit and spill
    folder. On success it is closed (which checkpoints it, so no WAL is left), flushed to disk and
    `os.replace`d over the live file: readers holding the old file keep reading it, new readers
    see the new one. On any exception the new file is removed and the live database is untouched.
    """
    live = Path(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    tmp = building_path(live)
    if not from_copy:
        _remove_db_files(tmp)  # a stale file from a crashed build
    con = connect(tmp, config=build_config(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
    except BaseException:
        con.close()
        _remove_db_files(tmp)
        raise
    finally:
        shutil.rmtree(_spill_dir(tmp), ignore_errors=True)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, live)
    _fsync_dir(live.parent)
