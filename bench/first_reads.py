"""The dashboard's once-per-file reads on a big database, before and after model.quarter_totals.

    python bench/first_reads.py --db PATH [--work DIR] [--rounds 3]

`--db` is opened read-only and never written. The script copies it into `--work` (default: a
temporary folder, removed at the end), writes model.quarter_totals into the copy with the ETL's
own SQL (timed: what the step and its check add to every build), then, round after round, times
each read's first call on a fresh connection:

- before: the full-table SQL the dashboard ran (`FROM model.cases` / `model.case_versions`),
  on the original file: the baseline;
- after: the dashboard's functions on the copy, which read model.quarter_totals;
- fallback: the same functions on the original file, which lacks the table (a file built
  before it): the full tables again.

The connection is opened (and the table lookup made) before the clock starts, so each figure is
the read alone, as on the first request after a swap. It also times the case view's version
history (`model.case_versions WHERE case_id = ?`) for a kratom and a background case, which
still reads the full table. Medians of the rounds; ratios against the baseline of the same
run (absolute seconds are inflated on a shared machine).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from dashboard import runtime  # noqa: E402
from dashboard.db import Database  # noqa: E402
from dashboard.queries import about, cases, has_small_tables, overview  # noqa: E402
from dashboard.tables import QUARTER_TOTALS  # noqa: E402

OLD_SQL = {
    "is_synthetic": "SELECT bool_or(is_synthetic) FROM model.cases",
    "footer quarters": (
        "SELECT min(quarter) AS a, max(quarter) AS b FROM model.cases; "
        "SELECT max(built_at) FROM meta.build"
    ),
    "overview latest quarter": "SELECT max(quarter) FROM model.cases",
    "About vintage": (
        "SELECT min(quarter), max(quarter), count(*), count(*) FILTER (WHERE is_kratom), "
        "coalesce(bool_or(is_synthetic), false) FROM model.cases; "
        "SELECT count(DISTINCT quarter) FROM model.case_versions; "
        "SELECT max(built_at) FROM meta.build"
    ),
}
NEW_READS: dict[str, Callable[[Database], object]] = {
    "is_synthetic": runtime.is_synthetic,
    "footer quarters": runtime.vintage_text,
    "overview latest quarter": overview.latest_quarter,
    "About vintage": about.vintage,
}


def fresh(path: Path) -> Database:
    """A new door on `path`, connected and its tables looked up, before the clock starts."""
    db = Database(path)
    db.has_table(QUARTER_TOTALS[0])
    db.has_table("meta.build")
    return db


def timed(read: Callable[[], object]) -> float:
    started = time.perf_counter()
    read()
    return time.perf_counter() - started


def old_read(db: Database, *, sql: str) -> None:
    for statement in sql.split("; "):
        db.query(statement)


def write_table(copy: Path) -> tuple[float, float]:
    """Seconds to write model.quarter_totals into the copy, and to run its check."""
    from etl.db import CHECKS_DIR, run_sql_file

    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS kratom", [str(copy)])
        con.execute("USE kratom")
        step = timed(lambda: run_sql_file(con, "model/quarter_totals.sql"))
        check_sql = (CHECKS_DIR / "quarter_totals_match_model.sql").read_text(encoding="utf-8")
        rows: list = []
        check = timed(lambda: rows.extend(con.execute(check_sql).fetchall()))
        if rows:
            raise SystemExit(f"quarter_totals_match_model failed on the copy: {rows[:5]}")
    finally:
        con.close()
    return step, check


def case_ids(db: Database) -> dict[str, int]:
    kratom = db.scalar("SELECT min(case_id) FROM model.kratom_cases")
    background = db.scalar("SELECT case_id FROM model.cases WHERE NOT is_kratom LIMIT 1")
    found = {"kratom": kratom, "background": background}
    return {kind: int(case_id) for kind, case_id in found.items() if case_id is not None}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True, help="opened read-only, never written")
    ap.add_argument("--work", type=Path, help="where the copy goes (default: a temp folder)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.db.is_file():
        raise SystemExit(f"no database at {args.db}")
    work = Path(tempfile.mkdtemp(prefix="first_reads_", dir=args.work))
    try:
        copy = work / "copy.duckdb"
        copy_s = timed(lambda: shutil.copyfile(args.db, copy))
        step_s, check_s = write_table(copy)
        print(f"copy {copy_s:.1f} s; quarter_totals step {step_s:.2f} s, check {check_s:.2f} s")
        measure(args.db, copy, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(original: Path, copy: Path, rounds: int) -> None:
    seconds: dict[tuple[str, str], list[float]] = {}

    def record(name: str, label: str, path: Path, read: Callable[[Database], object]) -> None:
        db = fresh(path)
        seconds.setdefault((name, label), []).append(timed(partial(read, db)))

    ids = case_ids(Database(original))
    for _ in range(rounds):
        for name, sql in OLD_SQL.items():
            record(name, "before", original, partial(old_read, sql=sql))
            record(name, "after", copy, NEW_READS[name])
            record(name, "fallback", original, NEW_READS[name])
        for kind, case_id in ids.items():
            name = f"case versions ({kind} {case_id})"
            record(name, "before", original, partial(cases.case_versions, case_id=case_id))
    print(f"{'read':36} {'before s':>9} {'after s':>8} {'after/before':>12} {'fallback s':>10}")
    for name in dict.fromkeys(name for name, _ in seconds):
        before = statistics.median(seconds[(name, "before")])
        if (name, "after") not in seconds:
            print(f"{name:36} {before:9.3f}   (unchanged: a filter on case_id)")
            continue
        after = statistics.median(seconds[(name, "after")])
        fallback = statistics.median(seconds[(name, "fallback")])
        print(f"{name:36} {before:9.3f} {after:8.4f} {after / before:12.3f} {fallback:10.3f}")
    same = {n: read(Database(copy)) == read(Database(original)) for n, read in NEW_READS.items()}
    print(f"same answers from the small table as from the full tables: {same}")
    print("the copy has the small table:", has_small_tables(Database(copy), QUARTER_TOTALS))


if __name__ == "__main__":
    main()
