"""Probable duplicates: kept cases under different caseids that look like one case.

FDA's rule (model/case_versions.sql) keeps one version per caseid. The same case can still arrive
under two caseids, e.g. a manufacturer's report and its resubmission. Two rules link such cases
(docs/architecture.md, "Probable duplicates"): the same manufacturer case number from the same
sender, or the same content (event date, age, sex, country, drug names and terms). Links are
transitive; of each linked set the case FDA received last is shown and the others are flagged in
`model.cases.duplicate_of` and listed in `model.probable_duplicates`. Nothing is deleted.

Only the region around the cases a build changes is linked again (an added quarter does not redo
every quarter held): model/case_match_keys.sql starts it, then `link_probable_duplicates` grows
it to whole groups and labels the linked sets.
"""

from __future__ import annotations

import duckdb

from etl import db

MAX_STEPS = 1_000  # a chain of linked groups longer than this would be a bug, not data


def link_probable_duplicates(con: duckdb.DuckDBPyConnection) -> None:
    """After model/case_match_keys.sql: relink build.dup_region and write the flags."""
    (n_keyed,) = con.execute("SELECT count(*) FROM model.case_match_keys").fetchone()
    if _region_size(con) < n_keyed:  # a first build's region holds every case already
        _repeat_until_stable(con, "model/duplicate_region_grow.sql", _region_size)
    db.run_sql_file(con, "model/duplicate_groups.sql")
    _repeat_until_stable(con, "model/duplicate_label_step.sql", _label_sum)
    db.run_sql_file(con, "model/probable_duplicates.sql")


def _region_size(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT count(*) FROM build.dup_region").fetchone()[0]


def _label_sum(con: duckdb.DuckDBPyConnection) -> int:
    # labels only ever fall, so an unchanged sum means no label changed
    return con.execute("SELECT coalesce(sum(label), 0)::HUGEINT FROM build.dup_label").fetchone()[0]


def _repeat_until_stable(con, relpath: str, measure) -> None:
    before = measure(con)
    for _ in range(MAX_STEPS):
        db.run_sql_file(con, relpath)
        after = measure(con)
        if after == before:
            return
        before = after
    raise RuntimeError(f"{relpath} did not settle in {MAX_STEPS} steps")
