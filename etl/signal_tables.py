"""Disproportionality tables in the model: the heavy aggregates the signals page filters.

`write_signal_tables(con)` runs after the model is built (`pipeline.build`) and writes

- `model.signal_stratum_totals`, `model.signal_strata`: 2×2 margins and event counts per variant
  ('any', 'suspect'), stratum (received year, sex, age band), level ('pt', 'event_group') and
  term, so any filter on those is a sum (SQL in etl/sql/model/);
- `model.background_drug_events`: every suspect-drug × event pair of the background, with its
  margins `model.background_drug_totals` and `model.background_term_totals`;
- `model.signal_prior`: DuMouchel's two-gamma prior fitted on those pairs, one per level, with
  its convergence record (a fit that did not converge is recorded, never hidden);
- `model.signal_ebgm`: EBGM, EB05 and EB95 of kratom's unfiltered pairs (null when the prior
  did not converge);
- `model.signal_cumulative`: the 2×2 statistics of all cases up to each year, with the screens.

The count tables are sums over cases, kept by changes: `etl.transform.transform` calls
`snapshot_old_contributions(con)` before it re-derives the affected cases, and
`write_signal_tables` adds their new contributions and subtracts the old ones, so an incremental
build costs O(changed cases) there. Without a snapshot (a full build) every case is counted.
The prior is fitted again on every build and the scores, the cumulative table and the expected
counts are written again: their size is the number of drug–event pairs, terms and years, not of
cases. Those frames come from etl.signal_scores (with etl.signals and etl.ebgm); nothing here
re-derives a statistic.
"""

from __future__ import annotations

import duckdb
import polars as pl

from etl import db
from etl.signal_scores import (
    LEVELS,
    cumulative_statistics,
    fit_background_prior,
    kratom_ebgm,
    prior_frame,
)

VARIANTS = ("any", "suspect")
COUNT_STEPS = ("signal_stratum_totals", "signal_strata", "background_drug_events")
# The stored counts a build changes, and what they are derived from (all in `model`).
COUNT_TABLES = (
    *("signal_stratum_totals", "signal_strata", "background_drug_events"),
    *("background_drug_totals", "background_term_totals"),
)
MODEL_INPUTS = ("cases", "case_events", "kept_reports", "pt_names")
CONTRIBUTIONS = ("totals", "strata", "drugs", "terms", "pairs")  # signal_contrib_<name> views
COUNT_COLUMNS = {
    "signal_stratum_totals": ("n_kratom_cases", "n_other_cases"),
    "signal_strata": ("n_kratom_with_event", "n_other_with_event"),
    "background_drug_events": ("n_cases", "n_drug_cases", "n_term_cases"),
    "background_drug_totals": ("n_drug_cases",),
    "background_term_totals": ("n_term_cases",),
}
# Work objects (temp catalog) of one build, dropped by write_signal_tables.
WORK_TABLES = (
    *("signal_affected", "signal_old_pt_names", "signal_case_suspects", "signal_contrib_strata"),
    *(f"signal_{sign}_{name}" for sign in ("minus", "plus") for name in CONTRIBUTIONS),
    *("signal_renames", "signal_new_terms", "signal_backfill_strata", "signal_batch"),
)
WORK_VIEWS = (
    *("signal_scope_cases", "signal_scope_case_events", "signal_scope_reports"),
    *("signal_case_strata", "signal_case_terms"),
    *(f"signal_contrib_{name}" for name in CONTRIBUTIONS if name != "strata"),
)


def write_signal_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Write every signal table of the model from model.cases, case_events and staging.drug."""
    write_signal_counts(con)
    priors = {level: fit_background_prior(con, level) for level in LEVELS}
    _write_frame(con, "signal_prior", prior_frame(priors))
    _write_frame(con, "signal_ebgm", kratom_ebgm(con, priors))
    db.run_sql_file(con, "model/signal_cumulative.sql")  # from the strata: terms × years
    _write_frame(con, "signal_cumulative", cumulative_statistics(con))


def snapshot_old_contributions(con: duckdb.DuckDBPyConnection) -> bool:
    """Keep what build.affected_cases contribute to the signal counts before they are re-derived.

    `etl.transform.transform` calls this right after computing build.affected_cases. Returns False
    (and keeps nothing) when the model holds no signal counts yet: every case is counted then.
    A build that transforms its quarters in several batches calls it once per batch: a later
    batch keeps only the cases no earlier batch re-derived (their state is still the live
    database's), after giving the stored counts and the kept contributions the display spellings
    the earlier batches set (signal_renamed_terms.sql), so every kept row names terms alike.
    """
    if not _holds_signal_counts(con):
        return False
    if not _has_snapshot(con):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE signal_affected AS "
            "SELECT case_id FROM build.affected_cases"
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE signal_old_pt_names AS "
            "SELECT pt_key, pt FROM model.pt_names"
        )
        _keep_contributions(con, "affected", "minus")
        return True
    db.run_sql_file(con, "model/signal_renamed_terms.sql")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE signal_old_pt_names AS SELECT pt_key, pt FROM model.pt_names"
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE signal_batch AS SELECT case_id FROM build.affected_cases "
        "EXCEPT SELECT case_id FROM signal_affected"
    )
    _keep_contributions(con, "batch", "minus", append=True)
    con.execute("INSERT INTO signal_affected FROM signal_batch")
    return True


def write_signal_counts(con: duckdb.DuckDBPyConnection) -> None:
    """The count tables: stored + changed cases' new − old contributions, else counted in full."""
    changed = _has_snapshot(con)
    try:
        if changed:
            _keep_contributions(con, "affected", "plus")
            db.run_sql_file(con, "model/signal_renamed_terms.sql")
        else:
            _keep_contributions(con, "all", "plus")
            db.run_sql_file(con, "model/signal_state_empty.sql")
        db.run_sql_file(con, "model/signal_new_terms.sql")
        _count_new_terms_elsewhere(con, changed)
        for step in COUNT_STEPS:
            db.run_sql_file(con, f"model/{step}.sql")
        _check_counts_match_model(con)
    finally:
        _drop_work_objects(con)


def _holds_signal_counts(con: duckdb.DuckDBPyConnection) -> bool:
    wanted = (*COUNT_TABLES, *MODEL_INPUTS)
    (n,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE NOT temporary AND schema_name = 'model' "
        "AND list_contains(?, table_name)",
        [list(wanted)],
    ).fetchone()
    return n == len(wanted)


def _has_snapshot(con: duckdb.DuckDBPyConnection) -> bool:
    (n,) = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = 'signal_affected'"
    ).fetchone()
    return n == 1


def _keep_contributions(
    con: duckdb.DuckDBPyConnection, scope: str, sign: str, *, append: bool = False
) -> None:
    """signal_<sign>_<name> (temp tables): the contributions of the cases in `scope`.

    `append` adds them to the rows kept already (the counts are summed, so a key may repeat).
    """
    db.run_sql_file(con, f"model/signal_scope_{scope}.sql")
    db.run_sql_file(con, "model/signal_contributions.sql")
    for name in CONTRIBUTIONS:
        table, view = f"signal_{sign}_{name}", f"signal_contrib_{name}"
        if append:
            con.execute(f"INSERT INTO {table} FROM {view}")
        else:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS FROM {view}")


def _count_new_terms_elsewhere(con: duckdb.DuckDBPyConnection, changed: bool) -> None:
    """signal_backfill_strata: the strata of signal_new_terms in the cases not changed."""
    if changed and con.execute("SELECT count(*) FROM signal_new_terms").fetchone()[0]:
        db.run_sql_file(con, "model/signal_scope_new_terms.sql")
        db.run_sql_file(con, "model/signal_contributions.sql")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE signal_backfill_strata AS "
            "FROM signal_contrib_strata SEMI JOIN signal_new_terms USING (variant, level, term)"
        )
    else:  # a full build counted every case already
        con.execute(
            "CREATE OR REPLACE TEMP TABLE signal_backfill_strata AS FROM signal_plus_strata LIMIT 0"
        )


def _check_counts_match_model(con: duckdb.DuckDBPyConnection) -> None:
    """Counts kept by changes must still add up to the model: no negative count, every case once."""
    problems = []
    for table, columns in COUNT_COLUMNS.items():
        where = " OR ".join(f"{c} < 0" for c in columns)
        (n,) = con.execute(f"SELECT count(*) FROM model.{table} WHERE {where}").fetchone()
        if n:
            problems.append(f"model.{table} has {n} row(s) with a negative count")
    stored, cases = con.execute(
        "SELECT (SELECT coalesce(sum(n_kratom_cases + n_other_cases), 0) "
        "FROM model.signal_stratum_totals WHERE variant = 'any'), "
        "(SELECT count(*) FROM model.cases)"
    ).fetchone()
    if stored != cases:
        problems.append(f"model.signal_stratum_totals counts {stored} cases, model.cases {cases}")
    if problems:
        raise RuntimeError(
            "; ".join(problems) + ": the stored signal counts did not match the model they were "
            "kept from (rebuild without --add)"
        )


def _drop_work_objects(con: duckdb.DuckDBPyConnection) -> None:
    for view in WORK_VIEWS:
        con.execute(f"DROP VIEW IF EXISTS temp.main.{view}")
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{table}")


def _write_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("signal_frame", frame.to_arrow())
    try:
        con.execute(f"CREATE OR REPLACE TABLE model.{table} AS SELECT * FROM signal_frame")
    finally:
        con.unregister("signal_frame")
