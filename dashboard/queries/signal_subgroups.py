"""The chosen term's 2×2 table within each sex and each ICH E11 age band, from the signal strata.

The same sums as `signals.counts`, grouped by one dimension: for the subgroups of sex, the
strata the filters select (variant from the role, years, the age bands chosen) summed per sex;
for the age bands, per age band. A sex filter thus keeps only its sexes' rows and computes the
age rows within them, and the other way round. Every subgroup the filters allow has a row, one
without cases too (all four cells 0). The statistics are `signals.add_statistics`'s.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filter_codes import AGE_BANDS, SEXES
from dashboard.filters import Filters
from dashboard.queries.signals import LEVELS, MIN_CASES, Strata, add_statistics

# dimension -> (column of the strata tables, its values in drawing order): the only identifiers
# this module puts into SQL
DIMENSIONS = {"sex": SEXES, "age_band": AGE_BANDS}
SCHEMA = {
    "dimension": pl.String,
    "value": pl.String,
    **{k: pl.Int64 for k in "abcd"},
}


def subgroup_counts(db: Database, f: Filters, level: str, term: str) -> pl.DataFrame:
    """a, b, c, d of `term` per sex, then per age band (the orders of DIMENSIONS), for every
    subgroup the filters' sexes and age bands allow."""
    if level not in LEVELS:
        raise ValueError(f"not a signal level: {level}")
    strata = Strata.of(f)
    w, params = strata.where()
    frames = []
    for dimension, values in DIMENSIONS.items():
        chosen = strata.sexes if dimension == "sex" else strata.age_bands
        kept = [v for v in values if not chosen or v in chosen]
        counted = db.query(
            f"WITH t AS (SELECT {dimension} AS value, sum(n_kratom_cases) AS nk, "
            f"sum(n_other_cases) AS no FROM model.signal_stratum_totals WHERE {w} GROUP BY 1), "
            f"e AS (SELECT {dimension} AS value, sum(n_kratom_with_event) AS a, "
            f"sum(n_other_with_event) AS c FROM model.signal_strata "
            f"WHERE {w} AND level = ? AND term = ? GROUP BY 1) "
            "SELECT t.value, coalesce(e.a, 0)::BIGINT AS a, (t.nk - coalesce(e.a, 0))::BIGINT "
            "AS b, coalesce(e.c, 0)::BIGINT AS c, (t.no - coalesce(e.c, 0))::BIGINT AS d "
            "FROM t LEFT JOIN e USING (value)",
            [*params, *params, level, term],
        )
        every = pl.DataFrame({"value": kept}, schema={"value": pl.String})
        frames.append(
            every.join(counted.cast({"value": pl.String}), on="value", how="left")
            .fill_null(0)
            .with_columns(dimension=pl.lit(dimension))
            .select(list(SCHEMA))
            .cast(SCHEMA)
        )
    return pl.concat(frames)


def not_estimable_reason(a: int, b: int, c: int, d: int) -> str | None:
    """Why a table has no ROR, None when it has one: 'no cases', 'no kratom case' (a = b = 0),
    'no other case' (c = d = 0), else its zero cells ('c = 0', 'b = 0, c = 0')."""
    if a + b + c + d == 0:
        return "no cases"
    if a + b == 0:
        return "no kratom case"
    if c + d == 0:
        return "no other case"
    zero = [f"{k} = 0" for k, v in zip("abcd", (a, b, c, d), strict=True) if v == 0]
    return ", ".join(zero) or None


def subgroup_table(db: Database, f: Filters, level: str, term: str) -> pl.DataFrame:
    """`subgroup_counts` with `add_statistics`' ROR and interval, `few` (a < MIN_CASES, drawn
    light) and `reason` (why the ROR is not estimable; null when it is)."""
    table = add_statistics(subgroup_counts(db, f, level, term))
    reasons = [not_estimable_reason(*r) for r in table.select("a", "b", "c", "d").iter_rows()]
    return table.with_columns(
        few=pl.col("a") < MIN_CASES,
        reason=pl.Series(reasons, dtype=pl.String),
    ).select(*SCHEMA, "ror", "ror_lower", "ror_upper", "few", "reason")


def overall(table: pl.DataFrame) -> pl.DataFrame:
    """The whole table of the filters: the sum of the sex rows (they split the selected strata),
    with `add_statistics`' ROR and interval."""
    sexes = table.filter(pl.col("dimension") == "sex").select("a", "b", "c", "d").sum()
    return add_statistics(sexes).select("a", "b", "c", "d", "ror", "ror_lower", "ror_upper")
