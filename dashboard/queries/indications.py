"""Questions behind the indications page: what kratom was reported as taken for.

Only indications given on a kratom drug row count (`model.case_indications.is_kratom_drug`);
counts are of distinct cases, shares are of the filtered kratom cases. A `population=all` link
still shows kratom cases here: indications are only kept for kratom cases.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import kratom_filters, tables, where
from dashboard.tables import Tables


def _kratom_ctes(db: Database, f: Filters) -> tuple[Tables, str, list]:
    """The tables read, and the CTEs `k` (the filtered kratom cases) and `ind` (the distinct
    indications given on their kratom drugs), with their parameters."""
    k = kratom_filters(f)
    t = tables(db, k)
    w, params = where(k, "c", t)
    ctes = (
        f"k AS (SELECT c.case_id FROM {t.cases} c WHERE {w}), "
        "ind AS (SELECT DISTINCT i.case_id, i.indication_pt, i.indication_group "
        f"FROM {t.case_indications} i JOIN k USING (case_id) WHERE i.is_kratom_drug)"
    )
    return t, ctes, params


def kratom_indications(db: Database, f: Filters) -> tuple[pl.DataFrame, int]:
    """The distinct (case_id, indication_pt, indication_group) given on kratom drugs of the
    filtered kratom cases, and the number of those cases: the summary, the groups and the top
    terms are all cut from this one read (a few rows per kratom case at most)."""
    _, ctes, params = _kratom_ctes(db, f)
    rows = db.query(
        f"WITH {ctes} "
        "SELECT n.n_cases, ind.* FROM (SELECT count(*) AS n_cases FROM k) n "
        "LEFT JOIN ind ON TRUE",
        params,
    )
    n_cases = int(rows["n_cases"][0])
    return rows.filter(pl.col("case_id").is_not_null()).drop("n_cases"), n_cases


def summary_of(ind: pl.DataFrame, n_cases: int) -> dict:
    """`indication_summary` from `kratom_indications`."""
    unknown = pl.col("indication_group") == "unknown"
    per_case = ind.group_by("case_id").agg(only_unknown=unknown.all() & unknown.any())
    return {
        "n_cases": n_cases,
        "n_with_indication": per_case.height,
        "n_only_unknown": int(per_case["only_unknown"].sum()),
    }


def groups_of(ind: pl.DataFrame, n_cases: int) -> pl.DataFrame:
    """`indication_groups` from `kratom_indications`."""
    return (
        ind.group_by("indication_group")
        .agg(n_cases=pl.col("case_id").n_unique().cast(pl.Int64))
        .with_columns(n_total=pl.lit(n_cases, dtype=pl.Int64))
        .sort(["n_cases", "indication_group"], descending=[True, False], nulls_last=True)
    )


def top_of(ind: pl.DataFrame, n_cases: int, limit: int = 15) -> pl.DataFrame:
    """`top_indications` from `kratom_indications`."""
    # One row per term whatever its letter case; max() shows 'Pain' rather than 'PAIN'
    # (lower case sorts after upper case).
    return (
        ind.group_by(pl.col("indication_pt").str.to_uppercase().alias("key"), "indication_group")
        .agg(
            pl.col("indication_pt").max(),
            n_cases=pl.col("case_id").n_unique().cast(pl.Int64),
        )
        .select(
            "indication_pt",
            "indication_group",
            "n_cases",
            n_total=pl.lit(n_cases, dtype=pl.Int64),
        )
        .sort(["n_cases", "indication_pt"], descending=[True, False], nulls_last=True)
        .head(int(limit))
    )


def indication_summary(db: Database, f: Filters) -> dict:
    """Filtered kratom cases; those giving any indication for kratom; those giving only
    'unknown' (e.g. "Product used for unknown indication")."""
    return summary_of(*kratom_indications(db, f))


def indication_groups(db: Database, f: Filters) -> pl.DataFrame:
    """Distinct kratom cases per indication group, and the filtered kratom case total.

    A case giving two groups counts in both, so the shares can add up to more than 100%.
    """
    return groups_of(*kratom_indications(db, f))


def top_indications(db: Database, f: Filters, limit: int = 15) -> pl.DataFrame:
    """The most frequent indication terms on kratom drugs (letter case ignored), with their
    group and the filtered kratom case total."""
    return top_of(*kratom_indications(db, f), limit)


def indication_event_matrix(db: Database, f: Filters) -> pl.DataFrame:
    """Cases with both an indication group (on kratom) and an event group, and the number of
    cases giving that indication group."""
    t, ctes, params = _kratom_ctes(db, f)
    return db.query(
        f"WITH {ctes}, "
        "groups AS (SELECT DISTINCT case_id, indication_group FROM ind), "
        "n_ind AS (SELECT indication_group, count(*) AS n_indication FROM groups GROUP BY 1) "
        "SELECT g.indication_group, e.event_group, count(DISTINCT g.case_id) AS n_cases, "
        f"n.n_indication FROM groups g JOIN {t.case_events} e USING (case_id) "
        "JOIN n_ind n USING (indication_group) GROUP BY 1, 2, 4 ORDER BY 1, 2",
        params,
    )
