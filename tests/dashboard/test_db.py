"""Database: read-only queries, following the ETL's os.replace swaps, with row and time caps."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.db import (
    Database,
    DatabaseMissing,
    DatabaseUnreadable,
    QueryTimeout,
    RowCapExceeded,
)


def write_db(path: Path, label: str, *, builds: list[tuple[str, str]] = ()) -> None:
    """A small file: model.cases with three rows tagged `label`, and optionally meta.build."""
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA model")
    con.execute(
        "CREATE TABLE model.cases AS SELECT i AS n, ? || '-' || i AS case_id FROM range(1, 4) t(i)",
        [label],
    )
    if builds:
        con.execute("CREATE SCHEMA meta")
        con.execute("CREATE TABLE meta.build (built_at TIMESTAMP, vintage VARCHAR)")
        con.executemany("INSERT INTO meta.build VALUES (?::TIMESTAMP, ?)", builds)
    con.close()


@pytest.fixture
def live(tmp_path: Path) -> Path:
    path = tmp_path / "kratom.duckdb"
    write_db(path, "old")
    return path


def ids(db: Database) -> list[str]:
    return db.query("SELECT case_id FROM model.cases ORDER BY n")["case_id"].to_list()


def test_query_returns_polars_with_bound_params(live):
    db = Database(live)
    df = db.query("SELECT n, case_id FROM model.cases WHERE n >= ? ORDER BY n", [2])
    assert df.to_dicts() == [{"n": 2, "case_id": "old-2"}, {"n": 3, "case_id": "old-3"}]
    assert df.schema == pl.Schema({"n": pl.Int64, "case_id": pl.String})
    empty = db.query("SELECT case_id FROM model.cases WHERE n > ?", [9])
    assert (empty.columns, empty.height) == (["case_id"], 0)
    assert db.scalar("SELECT count(*) FROM model.cases WHERE case_id = ?", ["old-1"]) == 1
    assert db.scalar("SELECT n FROM model.cases WHERE n > 9") is None


def test_database_is_read_only(live):
    with pytest.raises(duckdb.Error, match="read-only"):
        Database(live).query("CREATE TABLE model.x AS SELECT 1")


def test_swap_is_followed_while_old_cursors_finish_on_old_data(live, tmp_path):
    db = Database(live)
    assert ids(db) == ["old-1", "old-2", "old-3"]
    with db.cursor() as before:
        write_db(tmp_path / "next.duckdb", "new")
        os.replace(tmp_path / "next.duckdb", live)
        # another process (the ETL) can open the new file read-write while we hold the old one
        writer = (
            "import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
            "con.execute(\"UPDATE model.cases SET case_id = 'newer-' || n\"); con.close()"
        )
        subprocess.run([sys.executable, "-c", writer, str(live)], check=True, timeout=60)
        assert ids(db) == ["newer-1", "newer-2", "newer-3"]  # same Database object
        old = before.execute("SELECT case_id FROM model.cases ORDER BY n").fetchall()
        assert old == [("old-1",), ("old-2",), ("old-3",)]
    assert ids(db) == ["newer-1", "newer-2", "newer-3"]


def test_row_cap(live):
    db = Database(live, max_rows=5)
    assert db.query("SELECT * FROM range(5)").height == 5
    with pytest.raises(RowCapExceeded, match="more than 5 rows"):
        db.query("SELECT * FROM range(6)")
    assert db.query("SELECT * FROM range(5)").height == 5  # still usable afterwards


def test_time_cap_interrupts_a_slow_query(live):
    db = Database(live, timeout_s=0.5)
    slow = "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range + b.range < ?"
    with pytest.raises(QueryTimeout, match=r"took over 0\.5 s"):
        db.query(slow, [0])
    with pytest.raises(QueryTimeout):
        db.scalar(slow, [0])
    assert ids(db) == ["old-1", "old-2", "old-3"]  # still usable afterwards


def test_missing_then_present_file(tmp_path):
    path = tmp_path / "absent.duckdb"
    db = Database(path)
    with pytest.raises(DatabaseMissing) as caught:
        db.query("SELECT 1")
    assert caught.value.path == path
    assert str(path) in str(caught.value)
    write_db(path, "late")
    assert ids(db) == ["late-1", "late-2", "late-3"]


def test_unreadable_file(tmp_path):
    path = tmp_path / "not-a-db.duckdb"
    path.write_text("hello, I am not DuckDB\n")
    with pytest.raises(DatabaseUnreadable) as caught:
        Database(path).scalar("SELECT 1")
    assert caught.value.path == path


def test_has_table_and_vintage(live, tmp_path):
    db = Database(live)
    assert db.has_table("model.cases")
    assert not db.has_table("model.nope")
    assert not db.has_table("cases")  # schema main
    assert db.vintage() is None
    dated = tmp_path / "dated.duckdb"
    write_db(dated, "x", builds=[("2025-03-01 10:00", "2024Q4"), ("2025-06-01 09:00", "2025Q1")])
    vintage = Database(dated).vintage()
    assert vintage is not None
    assert (str(vintage["built_at"]), vintage["vintage"]) == ("2025-06-01 09:00:00", "2025Q1")


def test_has_column_once_per_file(live, tmp_path):
    db = Database(live)
    assert db.has_column("model.cases", "case_id")
    assert not db.has_column("model.cases", "duplicate_of")
    assert not db.has_column("model.nope", "case_id")
    flagged = tmp_path / "flagged.duckdb"
    write_db(flagged, "new")
    with duckdb.connect(str(flagged)) as con:
        con.execute("ALTER TABLE model.cases ADD COLUMN duplicate_of BIGINT")
    os.replace(flagged, live)
    assert db.has_column("model.cases", "duplicate_of")  # the swapped file is looked up again


def test_queries_from_many_threads(live):
    db = Database(live)

    def one(i: int) -> str:
        return db.scalar("SELECT case_id FROM model.cases WHERE n = ?", [i % 3 + 1])

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(one, range(60)))
    assert results == [f"old-{i % 3 + 1}" for i in range(60)]


def test_cached_once_per_file_and_again_after_a_swap(live, tmp_path):
    db = Database(live)
    calls = []

    def compute() -> list[str]:
        calls.append(1)
        return ids(db)

    assert db.cached("ids", compute) == ["old-1", "old-2", "old-3"]
    assert db.cached("ids", compute) == ["old-1", "old-2", "old-3"]
    assert len(calls) == 1 and not db.has_table("meta.build")
    write_db(tmp_path / "next.duckdb", "new", builds=[("2025-03-01 10:00", "2024Q4")])
    os.replace(tmp_path / "next.duckdb", live)
    assert db.cached("ids", compute) == ["new-1", "new-2", "new-3"]
    assert len(calls) == 2
    assert db.has_table("meta.build")  # the table list is per file too
