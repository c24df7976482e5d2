"""Questions behind the signals page: 2×2 tables summed over the model's signal strata.

The ETL stores, per variant ('any', 'suspect'), stratum (received year, sex, age band), level and
term, the kratom and other cases with the event, and per stratum the case totals. A filter on
year, sex or age band is a sum over strata:
a = Σ kratom with event, b = Σ kratom cases − a, c = Σ others with event, d = Σ other cases − c.
`add_statistics` then applies the formulas of docs/signals.md (mirroring etl.signals, which the
dashboard may not import; a test checks they agree). Other filters do not apply here.
"""

from __future__ import annotations

import dataclasses

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters

LEVELS = {"pt": "Preferred term", "event_group": "Event group"}
VARIANTS = {"any": "any", "suspect": "suspect", "primary": "suspect"}  # Filters.role -> variant
TABLES = ("model.signal_strata", "model.signal_stratum_totals", "model.signal_ebgm")
SCORE_COLUMNS = ("ebgm", "eb05", "eb95")
Z_95 = 1.96
MIN_CASES = 3
SCREENS = {
    "ror": "ROR lower 95% bound > 1 with ≥ 3 cases",
    "prr": "PRR ≥ 2 with Yates χ² ≥ 4 and ≥ 3 cases",
    "ic": "IC025 > 0",
    "ebgm": "EB05 ≥ 2",
}
# Filters fields the strata can answer; everything else is listed as not applied.
APPLIED = {"role", "date_from", "date_to", "sexes", "age_bands", "event_groups", "pts"}
COUNT_SCHEMA = {
    "term": pl.String,
    "event_group": pl.String,
    **{k: pl.Int64 for k in "abcd"},
}


@dataclasses.dataclass(frozen=True)
class Strata:
    """The part of a Filters the signal strata answer: variant, years, sexes, age bands."""

    variant: str
    first_year: int | None
    last_year: int | None
    sexes: tuple[str, ...]
    age_bands: tuple[str, ...]

    @classmethod
    def of(cls, f: Filters) -> Strata:
        first = int(f.date_from[:4]) if f.date_from else None
        last = int(f.date_to[:4]) if f.date_to else None
        return cls(VARIANTS[f.role], first, last, f.sexes, f.age_bands)

    @property
    def is_unfiltered(self) -> bool:
        """True when every stratum is summed: the table EBGM was computed for."""
        return (self.first_year, self.last_year, self.sexes, self.age_bands) == (None, None, (), ())

    def where(self) -> tuple[str, list]:
        """WHERE over a strata table (columns variant, year, sex, age_band), with parameters."""
        parts, params = ["variant = ?"], [self.variant]
        if self.first_year is not None:
            parts.append("year >= ?")
            params.append(self.first_year)
        if self.last_year is not None:
            parts.append("year <= ?")
            params.append(self.last_year)
        for column, values in (("sex", self.sexes), ("age_band", self.age_bands)):
            if values:
                parts.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += list(values)
        return " AND ".join(parts), params


def has_signal_tables(db: Database) -> bool:
    return all(db.has_table(t) for t in TABLES)


# Filters fields the signal tables cannot apply, by the name the page gives them.
NOT_APPLIED = {
    "date_field": "count by event date",
    "kratom_only": "other substances",
    "product_types": "kratom product",
    "serious_only": "serious only",
    "outcomes": "outcome",
    "reporter_types": "reporter",
    "countries": "country",
    "substances": "co-exposure substance",
    "substance_classes": "co-exposure class",
    "sources": "source",
}


def ignored_filters(f: Filters) -> list[str]:
    """Names of the selected filters that the signal tables cannot apply."""
    default = Filters()
    return [
        label
        for field, label in NOT_APPLIED.items()
        if getattr(f, field) != getattr(default, field)
    ]


def counts(db: Database, f: Filters, level: str) -> pl.DataFrame:
    """a, b, c, d per term with at least one kratom case under the filters (largest a first).

    The event-group and preferred-term filters pick rows; they do not change the counts.
    """
    if level not in LEVELS:
        raise ValueError(f"not a signal level: {level}")
    strata = Strata.of(f)
    w, params = strata.where()
    rows, row_params = _row_filter(f, level)
    return db.query(
        "WITH t AS (SELECT coalesce(sum(n_kratom_cases), 0) AS nk, "
        f"coalesce(sum(n_other_cases), 0) AS no FROM model.signal_stratum_totals WHERE {w}), "
        "e AS (SELECT term, any_value(event_group) AS event_group, "
        "sum(n_kratom_with_event) AS a, sum(n_other_with_event) AS c "
        f"FROM model.signal_strata WHERE {w} AND level = ? {rows} GROUP BY term) "
        "SELECT e.term, e.event_group, e.a::BIGINT AS a, (t.nk - e.a)::BIGINT AS b, "
        "e.c::BIGINT AS c, (t.no - e.c)::BIGINT AS d FROM e, t WHERE e.a > 0 "
        "ORDER BY e.a DESC, e.term",
        [*params, *params, level, *row_params],
    ).cast(COUNT_SCHEMA)


def _row_filter(f: Filters, level: str) -> tuple[str, list]:
    sql, params = "", []
    if f.event_groups:
        sql += f" AND event_group IN ({', '.join('?' * len(f.event_groups))})"
        params += list(f.event_groups)
    if f.pts and level == "pt":
        sql += f" AND upper(term) IN ({', '.join('?' * len(f.pts))})"
        params += [p.upper() for p in f.pts]
    return sql, params


def add_statistics(df: pl.DataFrame) -> pl.DataFrame:
    """Expected count, ROR with Woolf 95% CI, PRR, χ² (Yates), IC and IC025 for rows a, b, c, d.

    The formulas and zero-cell rules of docs/signals.md: an undefined statistic is null.
    """
    a, b, c, d = (pl.col(k).cast(pl.Float64) for k in "abcd")
    n = a + b + c + d
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    log_ror = (a * d / (b * c)).log()
    half = Z_95 * (1 / a + 1 / b + 1 / c + 1 / d).sqrt()
    no_zero = (a > 0) & (b > 0) & (c > 0) & (d > 0)
    out = df.with_columns(expected=pl.when(n > 0).then((a + b) * (a + c) / n))
    shrunk_ic = ((a + 0.5) / (pl.col("expected") + 0.5)).log(2)
    return out.with_columns(
        ror=pl.when(no_zero).then(log_ror.exp()),
        ror_lower=pl.when(no_zero).then((log_ror - half).exp()),
        ror_upper=pl.when(no_zero).then((log_ror + half).exp()),
        prr=pl.when((c > 0) & (a + b > 0)).then((a / (a + b)) / (c / (c + d))),
        chi2_yates=pl.when(margins > 0).then(
            n * pl.max_horizontal((a * d - b * c).abs() - n / 2, pl.lit(0.0)) ** 2 / margins
        ),
        ic=shrunk_ic,
        ic025=shrunk_ic - 3.3 * (a + 0.5) ** -0.5 - 2 * (a + 0.5) ** -1.5,
    )


def add_screens(df: pl.DataFrame) -> pl.DataFrame:
    """Booleans per default screen and their names ('ROR, IC'); EBGM's is null without EB05."""
    a = pl.col("a")
    out = df.with_columns(
        passes_ror=((pl.col("ror_lower") > 1) & (a >= MIN_CASES)).fill_null(False),
        passes_prr=(
            (pl.col("prr") >= 2) & (pl.col("chi2_yates") >= 4) & (a >= MIN_CASES)
        ).fill_null(False),
        passes_ic=(pl.col("ic025") > 0).fill_null(False),
        passes_ebgm=pl.col("eb05") >= 2,
    )
    names = [pl.when(pl.col(f"passes_{k}")).then(pl.lit(k.upper())) for k in SCREENS]
    return out.with_columns(screens=pl.concat_str(names, separator=", ", ignore_nulls=True))


def ebgm(db: Database, variant: str, level: str) -> pl.DataFrame:
    """EBGM, EB05 and EB95 of the unfiltered table (null when the prior did not converge)."""
    return db.query(
        "SELECT term, ebgm, eb05, eb95 FROM model.signal_ebgm WHERE variant = ? AND level = ?",
        [variant, level],
    )


def prior_fit(db: Database, level: str) -> dict | None:
    """The EBGM prior's fit record for a level (hyperparameters, converged, message, pairs)."""
    if not db.has_table("model.signal_prior"):
        return None
    rows = db.query("SELECT * FROM model.signal_prior WHERE level = ?", [level])
    return rows.row(0, named=True) if rows.height else None


def first_years(db: Database, variant: str, level: str) -> pl.DataFrame:
    """Per term, the first year (cumulative, all strata) it passed any of the 2×2 screens."""
    return db.query(
        "SELECT term, min(year) AS first_year FROM model.signal_cumulative "
        "WHERE variant = ? AND level = ? "
        "AND (passes_ror_screen OR passes_prr_screen OR passes_ic_screen) GROUP BY term",
        [variant, level],
    )


def signal_table(db: Database, f: Filters, level: str) -> pl.DataFrame:
    """Counts, statistics, EBGM (unfiltered strata only), screens and first year per term."""
    strata = Strata.of(f)
    df = add_statistics(counts(db, f, level))
    scores = ebgm(db, strata.variant, level)
    if not strata.is_unfiltered:
        scores = scores.with_columns(pl.lit(None, pl.Float64).alias(k) for k in SCORE_COLUMNS)
    df = df.join(scores.cast({k: pl.Float64 for k in SCORE_COLUMNS}), on="term", how="left")
    years = first_years(db, strata.variant, level).cast({"first_year": pl.Int64})
    return add_screens(df).join(years, on="term", how="left")


def cumulative(db: Database, variant: str, level: str, term: str) -> pl.DataFrame:
    """A term's 2×2 statistics over all cases received up to the end of each year."""
    return db.query(
        "SELECT year, a, b, c, d, ror, ror_lower, ror_upper, prr, chi2_yates, ic025, "
        "passes_ror_screen, passes_prr_screen, passes_ic_screen FROM model.signal_cumulative "
        "WHERE variant = ? AND level = ? AND term = ? ORDER BY year",
        [variant, level, term],
    )
