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
cases. The statistics come from etl.signals and etl.ebgm; nothing here re-derives them.
"""

from __future__ import annotations

import logging
import math

import duckdb
import numpy as np
import polars as pl

from etl import db
from etl.ebgm import PriorFit, ebgm_scores, fit_prior, squash
from etl.signals import disproportionality

log = logging.getLogger(__name__)

LEVELS = ("pt", "event_group")
VARIANTS = ("any", "suspect")
SCORES = ("ebgm", "eb05", "eb95")
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

UNFILTERED_COUNTS = """
WITH totals AS (
    SELECT variant, sum(n_kratom_cases) AS nk, sum(n_other_cases) AS no
    FROM model.signal_stratum_totals GROUP BY variant
)
SELECT s.variant, s.level, s.term,
       sum(s.n_kratom_with_event)::BIGINT AS a,
       (any_value(t.nk) - sum(s.n_kratom_with_event))::BIGINT AS b,
       sum(s.n_other_with_event)::BIGINT AS c,
       (any_value(t.no) - sum(s.n_other_with_event))::BIGINT AS d
FROM model.signal_strata s JOIN totals t USING (variant)
GROUP BY s.variant, s.level, s.term
ORDER BY s.variant, s.level, s.term
"""

PRIOR_COLUMNS = {
    "level": pl.String,
    "alpha1": pl.Float64,
    "beta1": pl.Float64,
    "alpha2": pl.Float64,
    "beta2": pl.Float64,
    "p": pl.Float64,
    "loglik": pl.Float64,
    "converged": pl.Boolean,
    "message": pl.String,
    "n_pairs": pl.Int64,
    "n_squashed": pl.Int64,
    "n_starts_agreeing": pl.Int64,
}

CUMULATIVE_COLUMNS = (
    *("variant", "level", "term", "year", "a", "b", "c", "d", "expected"),
    *("ror", "ror_lower", "ror_upper", "prr", "chi2_yates", "ic", "ic025"),
    *("passes_ror_screen", "passes_prr_screen", "passes_ic_screen"),
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


def fit_background_prior(con: duckdb.DuckDBPyConnection, level: str) -> tuple[PriorFit, int, int]:
    """The prior fitted on the background pairs of one level: (fit, pairs, squashed pairs).

    Pairs are squashed first (etl.ebgm.squash); only pairs seen at least once are stored, so the
    zero-truncated likelihood is used (min_count=1).
    """
    pairs = con.execute(
        "SELECT n_cases, expected FROM model.background_drug_events WHERE level = ?", [level]
    ).fetchnumpy()
    n, e = pairs["n_cases"].astype(np.int64), pairs["expected"].astype(float)
    if n.size == 0:
        return _no_fit("no background drug-event pairs"), 0, 0
    sn, se, sw = squash(n, e)
    fit = fit_prior(sn, se, weights=sw, min_count=1)
    log.info("EBGM prior (%s): %s on %d pairs (%d squashed)", level, fit.message, n.size, sn.size)
    return fit, int(n.size), int(sn.size)


def prior_frame(priors: dict[str, tuple[PriorFit, int, int]]) -> pl.DataFrame:
    """One row per level: the five hyperparameters (null when not finite) and the fit record."""
    rows = []
    for level, (fit, n_pairs, n_squashed) in priors.items():
        numbers = [_finite(v) for v in (*fit.as_array(), fit.loglik)]
        record = (fit.converged, fit.message, n_pairs, n_squashed, fit.n_starts_agreeing)
        rows.append((level, *numbers, *record))
    return pl.DataFrame(rows, schema=PRIOR_COLUMNS, orient="row")


def kratom_ebgm(
    con: duckdb.DuckDBPyConnection, priors: dict[str, tuple[PriorFit, int, int]]
) -> pl.DataFrame:
    """EBGM, EB05, EB95 of kratom's unfiltered pairs: N = a, E = (a+b)(a+c)/N as for the background.

    Scores are null for a level whose prior did not converge (the page says so).
    """
    counts = con.sql(UNFILTERED_COUNTS).pl()
    n_all = counts["a"] + counts["b"] + counts["c"] + counts["d"]
    counts = counts.with_columns(
        expected=((pl.col("a") + pl.col("b")) * (pl.col("a") + pl.col("c")) / n_all)
    )
    parts = []
    for level, (fit, _, _) in priors.items():
        part = counts.filter(pl.col("level") == level)
        scores = {k: [None] * part.height for k in SCORES}
        if fit.converged and part.height:
            raw = ebgm_scores(part["a"].to_numpy(), part["expected"].to_numpy(), fit)
            scores = {k: raw[k].tolist() for k in scores}
        parts.append(part.with_columns(pl.Series(k, v, pl.Float64) for k, v in scores.items()))
    out = pl.concat(parts) if parts else counts
    return out.select("variant", "level", "term", pl.col("a").alias("n"), "expected", *SCORES)


def cumulative_statistics(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """model.signal_cumulative's counts with etl.signals' statistics and screens added."""
    counts = con.sql("SELECT * FROM model.signal_cumulative").pl()
    return disproportionality(counts).select(CUMULATIVE_COLUMNS)


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


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _no_fit(message: str) -> PriorFit:
    nan = float("nan")
    return PriorFit(nan, nan, nan, nan, nan, nan, False, message, 0)
