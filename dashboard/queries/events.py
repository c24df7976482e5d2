"""Questions behind the event-types page: which preferred terms and event groups, by year."""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import date_column, tables, where

# level -> column of model.case_events (the only identifiers this module puts into SQL)
LEVELS = {"pt": "pt", "event_group": "event_group"}
UNKNOWN_YEAR = "unknown"


def year_expr(f: Filters, alias: str = "c") -> str:
    """SQL for the calendar year ('2021') of the chosen date; 'unknown' when it is missing."""
    return f"coalesce(year({date_column(f, alias)})::VARCHAR, '{UNKNOWN_YEAR}')"


def n_cases(db: Database, f: Filters) -> int:
    """How many cases the filters select: the denominator of every share on these pages."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    return int(db.scalar(f"SELECT count(*) FROM {t.cases} c WHERE {w}", params) or 0)


def top_terms_by_level(db: Database, f: Filters, limits: dict[str, int]) -> dict[str, pl.DataFrame]:
    """`top_terms_by_year` for several levels at once (level -> limit), from one scan of the
    filtered cases' events: both charts of the page come from one query."""
    for level in limits:
        if level not in LEVELS:
            raise ValueError(f"not a term level: {level}")
    t = tables(db, f)
    w, params = where(f, "c", t)
    hits = " UNION ALL ".join(
        f"SELECT DISTINCT '{level}' AS level, case_id, year, {LEVELS[level]} AS term "
        f"FROM ev WHERE {LEVELS[level]} IS NOT NULL"
        for level in limits
    )
    keep = " ".join(f"WHEN '{level}' THEN ?" for level in limits)
    rows = db.query(
        f"WITH fc AS (SELECT c.case_id, {year_expr(f)} AS year FROM {t.cases} c WHERE {w}), "
        "years AS (SELECT year, count(*) AS n_year_cases FROM fc GROUP BY 1), "
        "ev AS MATERIALIZED (SELECT fc.case_id, fc.year, e.pt, e.event_group "
        f"FROM fc JOIN {t.case_events} e USING (case_id)), "
        f"hits AS ({hits}), "
        "top AS (SELECT level, term, count(DISTINCT case_id) AS n_term_cases FROM hits "
        "GROUP BY 1, 2 QUALIFY row_number() OVER (PARTITION BY level "
        f"ORDER BY count(DISTINCT case_id) DESC, term) <= CASE level {keep} END) "
        "SELECT h.level, h.term, h.year, count(*) AS n_cases, y.n_year_cases, t.n_term_cases, "
        "(SELECT count(*) FROM fc) AS n_total "
        "FROM hits h JOIN top t USING (level, term) JOIN years y USING (year) "
        "GROUP BY h.level, h.term, h.year, y.n_year_cases, t.n_term_cases "
        "ORDER BY h.level, t.n_term_cases DESC, h.term, h.year",
        [*params, *(int(n) for n in limits.values())],
    )
    return {level: rows.filter(pl.col("level") == level).drop("level") for level in limits}


def top_terms_by_year(db: Database, f: Filters, level: str, limit: int = 20) -> pl.DataFrame:
    """The `limit` commonest terms (preferred terms or event groups) among the filtered cases.

    A case counts once per term (two preferred terms in one group count the group once). One
    row per term and year of the chosen date: `term`, `year`, `n_cases` (cases with the term
    that year), `n_year_cases` (filtered cases that year), `n_term_cases` (cases with the term,
    all years), `n_total` (filtered cases). Ordered by `n_term_cases` (largest first), term, year.
    """
    return top_terms_by_level(db, f, {level: limit})[level]


def event_group_labels(db: Database) -> dict[str, str]:
    """Event group code -> its reviewed label (model.event_group_list), in display order.

    Read once per file; a fresh dict each call, so callers may change theirs.
    """
    return dict(db.cached("event_group_labels", lambda: _event_group_labels(db)))


def _event_group_labels(db: Database) -> dict[str, str]:
    if not db.has_table("model.event_group_list"):
        return {}
    rows = db.query(
        "SELECT event_group, label FROM model.event_group_list ORDER BY display_order, event_group"
    )
    return dict(rows.iter_rows())
