"""Helpers for tests that compare full builds with incremental ones."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.pipeline import build


def build_in_steps(db_path: Path, steps: list[list[Path]]) -> Path:
    """A full build of the first step's quarters, then one `--add` build per later step."""
    db_path.unlink(missing_ok=True)
    build(db_path, steps[0])
    for paths in steps[1:]:
        build(db_path, paths, incremental=True)
    return db_path


def table_rows(db_path: Path, tables: tuple[str, ...]) -> dict[str, list]:
    """Every row of each table, in a stable order, for whole-table comparisons."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


def query_rows(db_path: Path, sql: str) -> list[tuple]:
    """The rows of `sql` on the database at `db_path`, opened read-only for the one query."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
