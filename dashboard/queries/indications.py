"""Questions behind the indications page: what kratom was reported as taken for.

Only indications given on a kratom drug row count (`model.case_indications.is_kratom_drug`);
counts are of distinct cases, shares are of the filtered kratom cases. A `population=all` link
still shows kratom cases here: indications are only kept for kratom cases.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import where

_KRATOM_CASES = "SELECT c.case_id FROM model.cases c WHERE {w}"
_INDICATIONS = (
    "SELECT DISTINCT i.case_id, i.indication_pt, i.indication_group "
    "FROM model.case_indications i JOIN k USING (case_id) WHERE i.is_kratom_drug"
)


def _kratom_where(f: Filters) -> tuple[str, list]:
    return where(f.with_changes(population="kratom"))


def indication_summary(db: Database, f: Filters) -> dict:
    """Filtered kratom cases; those giving any indication for kratom; those giving only
    'unknown' (e.g. "Product used for unknown indication")."""
    w, params = _kratom_where(f)
    return db.query(
        f"WITH k AS ({_KRATOM_CASES.format(w=w)}), ind AS ({_INDICATIONS}), "
        "per_case AS (SELECT case_id, bool_and(indication_group = 'unknown') AS only_unknown "
        "FROM ind GROUP BY 1) "
        "SELECT (SELECT count(*) FROM k) AS n_cases, count(*) AS n_with_indication, "
        "count(*) FILTER (WHERE only_unknown) AS n_only_unknown FROM per_case",
        params,
    ).row(0, named=True)


def indication_groups(db: Database, f: Filters) -> pl.DataFrame:
    """Distinct kratom cases per indication group, and the filtered kratom case total.

    A case giving two groups counts in both, so the shares can add up to more than 100%.
    """
    w, params = _kratom_where(f)
    return db.query(
        f"WITH k AS ({_KRATOM_CASES.format(w=w)}), ind AS ({_INDICATIONS}) "
        "SELECT indication_group, count(DISTINCT case_id) AS n_cases, "
        "(SELECT count(*) FROM k) AS n_total FROM ind GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    )


def top_indications(db: Database, f: Filters, limit: int = 15) -> pl.DataFrame:
    """The most frequent indication terms on kratom drugs (letter case ignored), with their
    group and the filtered kratom case total."""
    w, params = _kratom_where(f)
    return db.query(
        f"WITH k AS ({_KRATOM_CASES.format(w=w)}), ind AS ({_INDICATIONS}) "
        # One row per term whatever its letter case; max() shows 'Pain' rather than 'PAIN'
        # (lower case sorts after upper case).
        "SELECT max(indication_pt) AS indication_pt, indication_group, "
        "count(DISTINCT case_id) AS n_cases, (SELECT count(*) FROM k) AS n_total "
        "FROM ind GROUP BY upper(indication_pt), 2 ORDER BY 3 DESC, 1 LIMIT ?",
        [*params, int(limit)],
    )


def indication_event_matrix(db: Database, f: Filters) -> pl.DataFrame:
    """Cases with both an indication group (on kratom) and an event group, and the number of
    cases giving that indication group."""
    w, params = _kratom_where(f)
    return db.query(
        f"WITH k AS ({_KRATOM_CASES.format(w=w)}), ind AS ({_INDICATIONS}), "
        "groups AS (SELECT DISTINCT case_id, indication_group FROM ind), "
        "n_ind AS (SELECT indication_group, count(*) AS n_indication FROM groups GROUP BY 1) "
        "SELECT g.indication_group, e.event_group, count(DISTINCT g.case_id) AS n_cases, "
        "n.n_indication FROM groups g JOIN model.case_events e USING (case_id) "
        "JOIN n_ind n USING (indication_group) GROUP BY 1, 2, 4 ORDER BY 1, 2",
        params,
    )
