"""The scores of the signal tables: the EBGM prior, kratom's EBGM, and the cumulative statistics.

Frames for `etl.signal_tables.write_signal_tables`, computed from the count tables it has just
written (`model.background_drug_events`, `model.signal_strata`, `model.signal_stratum_totals`,
`model.signal_cumulative`'s counts) with etl.ebgm and etl.signals.
"""

from __future__ import annotations

import logging
import math

import duckdb
import numpy as np
import polars as pl

from etl.ebgm import PriorFit, ebgm_scores, fit_prior, squash
from etl.signals import disproportionality

log = logging.getLogger(__name__)

LEVELS = ("pt", "event_group")
SCORES = ("ebgm", "eb05", "eb95")
# kratom's 2×2 counts per variant, level and term over every stratum (no filter)
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


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _no_fit(message: str) -> PriorFit:
    nan = float("nan")
    return PriorFit(nan, nan, nan, nan, nan, nan, False, message, 0)
