"""Questions behind the co-exposures page: what else is reported on kratom cases.

A co-exposure is a drug row of the case that is not kratom (`NOT is_kratom` in
model.case_substances), whatever its role. Counts are of distinct cases; shares are of the
filtered kratom cases. model.case_substances holds kratom cases' drugs only, so every question
here counts kratom cases: a `population=all` link still shows kratom cases (`kratom_filters`),
and counts and shares have the same cases behind them.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import kratom_filters, tables, where
from dashboard.queries.events import year_expr

# level -> column of model.case_substances (the only identifiers this module puts into SQL)
LEVELS = {"substance": "substance_name", "class": "substance_class"}
_OTHERS = "NOT s.is_kratom AND s.{col} IS NOT NULL"


def top_coexposures_by_level(
    db: Database, f: Filters, limits: dict[str, int]
) -> dict[str, pl.DataFrame]:
    """`top_coexposures` for several levels at once (level -> limit), from one query."""
    for level in limits:
        if level not in LEVELS:
            raise ValueError(f"not a substance level: {level}")
    f = kratom_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    hits = " UNION ALL ".join(
        f"SELECT DISTINCT '{level}' AS level, s.case_id, s.{LEVELS[level]} AS term "
        f"FROM fc JOIN {t.case_substances} s USING (case_id) "
        f"WHERE {_OTHERS.format(col=LEVELS[level])}"
        for level in limits
    )
    keep = " ".join(f"WHEN '{level}' THEN ?" for level in limits)
    rows = db.query(
        f"WITH fc AS (SELECT c.case_id FROM {t.cases} c WHERE {w}), "
        f"hits AS ({hits}) "
        "SELECT level, term, count(*) AS n_cases, (SELECT count(*) FROM fc) AS n_total "
        "FROM hits GROUP BY 1, 2 QUALIFY row_number() OVER (PARTITION BY level "
        f"ORDER BY count(*) DESC, term) <= CASE level {keep} END "
        "ORDER BY level, n_cases DESC, term",
        [*params, *(int(n) for n in limits.values())],
    )
    return {level: rows.filter(pl.col("level") == level).drop("level") for level in limits}


def top_coexposures(db: Database, f: Filters, level: str, limit: int = 20) -> pl.DataFrame:
    """The `limit` substances (or classes) co-reported on most filtered cases.

    Columns `term`, `n_cases` (cases naming it), `n_total` (filtered cases); largest first.
    """
    return top_coexposures_by_level(db, f, {level: limit})[level]


def kratom_only_by_year(db: Database, f: Filters) -> pl.DataFrame:
    """Per year of the chosen date: `n_cases` (filtered cases), `n_kratom_only` among them."""
    f = kratom_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    return db.query(
        f"SELECT {year_expr(f)} AS year, count(*) AS n_cases, "
        "count(*) FILTER (WHERE c.is_kratom_only) AS n_kratom_only "
        f"FROM {t.cases} c WHERE {w} GROUP BY 1 ORDER BY 1",
        params,
    )


def class_by_year(db: Database, f: Filters) -> pl.DataFrame:
    """Filtered cases naming a co-exposure of each class, per year of the chosen date.

    Columns `year` (as in `kratom_only_by_year`, 'unknown' without a date), `substance_class`,
    `n_cases`; only pairs that occur. The year's denominator is `kratom_only_by_year`'s
    `n_cases` (every filtered case, with a co-exposure or not).
    """
    f = kratom_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    return db.query(
        f"WITH fc AS (SELECT c.case_id, {year_expr(f)} AS year FROM {t.cases} c WHERE {w}) "
        "SELECT fc.year, s.substance_class, count(DISTINCT s.case_id) AS n_cases FROM fc "
        f"JOIN {t.case_substances} s USING (case_id) "
        f"WHERE {_OTHERS.format(col='substance_class')} GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )


def class_by_event_group(db: Database, f: Filters) -> pl.DataFrame:
    """Cases with both a co-exposure of the class and an event of the group.

    Columns `substance_class`, `event_group`, `n_cases`, `n_class_cases` (filtered cases with
    that class); only pairs that occur.
    """
    f = kratom_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    return db.query(
        f"WITH fc AS (SELECT c.case_id FROM {t.cases} c WHERE {w}), "
        "cls AS (SELECT DISTINCT s.case_id, s.substance_class FROM fc "
        f"JOIN {t.case_substances} s USING (case_id) "
        f"WHERE {_OTHERS.format(col='substance_class')}), "
        "n_cls AS (SELECT substance_class, count(*) AS n_class_cases FROM cls GROUP BY 1), "
        "grp AS (SELECT DISTINCT e.case_id, e.event_group FROM fc "
        f"JOIN {t.case_events} e USING (case_id) WHERE e.event_group IS NOT NULL) "
        "SELECT cls.substance_class, grp.event_group, count(*) AS n_cases, n.n_class_cases "
        "FROM cls JOIN grp USING (case_id) JOIN n_cls n USING (substance_class) "
        "GROUP BY 1, 2, 4 ORDER BY 1, 2",
        params,
    )


def substance_pairs(db: Database, f: Filters, limit: int = 15) -> pl.DataFrame:
    """The commonest pairs of two different co-reported (non-kratom) substances in one case.

    Columns `substance_a` < `substance_b` (alphabetical), `n_cases`, `n_total`; largest first.
    """
    f = kratom_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    return db.query(
        f"WITH fc AS (SELECT c.case_id FROM {t.cases} c WHERE {w}), "
        "subs AS (SELECT DISTINCT s.case_id, s.substance_name AS name FROM fc "
        f"JOIN {t.case_substances} s USING (case_id) "
        f"WHERE {_OTHERS.format(col='substance_name')}) "
        "SELECT a.name AS substance_a, b.name AS substance_b, count(*) AS n_cases, "
        "(SELECT count(*) FROM fc) AS n_total "
        "FROM subs a JOIN subs b ON a.case_id = b.case_id AND a.name < b.name "
        "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?",
        [*params, int(limit)],
    )
