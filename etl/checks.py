"""Checks are SQL files in etl/checks/ that select offending rows; any row fails the build."""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl.db import CHECKS_DIR
from etl.errors import CheckFailed


def check_files() -> list[Path]:
    return sorted(CHECKS_DIR.glob("*.sql"))


def run_checks(con: duckdb.DuckDBPyConnection, *, sample: int = 5) -> list[str]:
    """Run every check; raise CheckFailed naming each failing check with a sample of its rows."""
    failures = []
    for path in check_files():
        rows = con.execute(path.read_text(encoding="utf-8")).fetchmany(sample + 1)
        if rows:
            more = " ..." if len(rows) > sample else ""
            failures.append(f"{path.stem}: {rows[:sample]}{more}")
    if failures:
        raise CheckFailed("checks failed: " + "; ".join(failures))
    return [p.stem for p in check_files()]
