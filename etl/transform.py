"""Staging and model from raw, a batch of quarters at a time (docs/architecture.md).

`transform(con, quarters)` brings staging and model up to date with those raw quarters; every
staging and model step reads only them (`build.new_quarters`), so a full build and an added
quarter run the same SQL. `transform_pending` cuts the quarters raw holds but the model has not
seen into batches of about BATCH_ROWS raw rows: a full-size quarter is transformed alone (memory
stays bounded however many quarters a build is given, and each one's cost is logged), small
quarters together (each transform has a fixed cost of a few scans).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence

import duckdb

from etl import db

log = logging.getLogger(__name__)

STAGING_STEPS = (
    "00_macros",
    "new_quarters",
    "demo",
    "drug",
    "reac",
    "outc",
    "indi",
    "ther",
    "rpsr",
    "input_issues",
)
MODEL_STEPS = (
    "affected_cases",
    "case_versions",
    "kept_reports",
    "funnel",
    "drug_names",
    "kratom_drugs",
    "cases",
    "case_substances",
    "pt_names",
    "case_events",
    "case_match_keys",
    "case_indications",
    "case_therapies",
    "kratom_spellings",
    "reference_tables",
)
BATCH_ROWS = 2_000_000  # raw rows that close a batch (a full-size quarter holds about 5 million)

_RAW_ROWS = """
SELECT q.quarter, coalesce(sum(m.n_rows_loaded), 0)::BIGINT AS n_rows
FROM raw.quarters q LEFT JOIN raw.manifest m USING (quarter)
GROUP BY q.quarter ORDER BY q.quarter
"""


def transform(con: duckdb.DuckDBPyConnection, quarters: Sequence[str] | None = None) -> list[str]:
    """Bring staging and model up to date with `quarters` of raw (default: every one not seen).

    Returns the quarters transformed. Work tables live in the `build` schema, dropped at the end.
    """
    steps = [f"staging/{s}.sql" for s in STAGING_STEPS] + [f"model/{s}.sql" for s in MODEL_STEPS]
    for step in steps:
        started = time.perf_counter()
        db.run_sql_file(con, step)
        if step == "staging/new_quarters.sql" and quarters is not None:
            con.execute(
                "DELETE FROM build.new_quarters WHERE NOT list_contains(?, quarter)",
                [list(quarters)],
            )
        if step == "model/affected_cases.sql":  # signal counts change by the affected cases
            from etl.signal_tables import snapshot_old_contributions

            snapshot_old_contributions(con)
        if step == "model/case_match_keys.sql":  # grow the region and link it (Python loops)
            from etl.probable_duplicates import link_probable_duplicates

            link_probable_duplicates(con)
        log.debug("%s: %.2f s", step, time.perf_counter() - started)
    new = [
        q for (q,) in con.execute("SELECT quarter FROM build.new_quarters ORDER BY 1").fetchall()
    ]
    con.execute(
        "INSERT INTO meta.transformed_quarters SELECT quarter, ? FROM build.new_quarters",
        [dt.datetime.now(dt.UTC).replace(tzinfo=None)],
    )
    con.execute("DROP SCHEMA build CASCADE")
    return new


def pending_quarters(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(quarter, raw rows) of every quarter in raw not transformed yet, in quarter order."""
    (seen_any,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() "
        "WHERE schema_name = 'meta' AND table_name = 'transformed_quarters'"
    ).fetchone()
    done = set()
    if seen_any:
        done = {
            q for (q,) in con.execute("SELECT quarter FROM meta.transformed_quarters").fetchall()
        }
    return [(q, n) for q, n in con.execute(_RAW_ROWS).fetchall() if q not in done]


def batches(pending: Sequence[tuple[str, int]], batch_rows: int) -> list[list[str]]:
    """Consecutive quarters cut where a batch reaches `batch_rows` rows (the last may not)."""
    out: list[list[str]] = [[]]
    rows = 0
    for quarter, n_rows in pending:
        if rows >= batch_rows:
            out.append([])
            rows = 0
        out[-1].append(quarter)
        rows += n_rows
    return [b for b in out if b]


def transform_pending(
    con: duckdb.DuckDBPyConnection, *, flush: bool, batch_rows: int | None = None
) -> list[str]:
    """Transform the quarters raw holds and the model lacks, batch by batch; returns them.

    Batches close at `batch_rows` raw rows (default BATCH_ROWS). Without `flush`, a last batch
    smaller than that is left for a later call (the next quarter loaded joins it).
    """
    batch_rows = BATCH_ROWS if batch_rows is None else batch_rows
    pending = pending_quarters(con)
    rows = dict(pending)
    done: list[str] = []
    for batch in batches(pending, batch_rows):
        n_rows = sum(rows[q] for q in batch)
        if n_rows < batch_rows and not flush:
            break
        started = time.perf_counter()
        done += transform(con, batch)
        log.info(
            "transformed %s (%s raw rows) in %.1f s",
            ", ".join(batch),
            f"{n_rows:,}",
            time.perf_counter() - started,
        )
    return done
