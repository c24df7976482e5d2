"""Questions behind the trends page: counts and rates over time, by event group, and dating.

Kratom counts always use the kratom population (a `population=all` link still shows kratom
cases here); the background of the rate is every kept case under the date range and sources only.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import date_column, quarter_expr, where


def kratom_filters(f: Filters) -> Filters:
    """The filters as given, restricted to kratom cases."""
    return f.with_changes(population="kratom")


def background_filters(f: Filters) -> Filters:
    """Every kept case (kratom or not) under the same date field, date range and sources only.

    Case-level filters (sex, seriousness, event groups, ...) are not applied to the background:
    the rate compares the filtered kratom count with all FAERS cases of that quarter.
    """
    return Filters(
        population="all",
        date_field=f.date_field,
        date_from=f.date_from,
        date_to=f.date_to,
        sources=f.sources,
    )


def rate_by_quarter(db: Database, f: Filters) -> pl.DataFrame:
    """Per quarter of the chosen date: kratom cases, all cases, and kratom cases per 100,000."""
    k = kratom_filters(f)
    kw, kparams = where(k)
    bw, bparams = where(background_filters(f))
    q = quarter_expr(f)
    return db.query(
        f"WITH bg AS (SELECT {q} AS period, count(*) AS n_all FROM model.cases c "
        f"WHERE {bw} AND {q} IS NOT NULL GROUP BY 1), "
        f"kr AS (SELECT {q} AS period, count(*) AS n_cases FROM model.cases c "
        f"WHERE {kw} AND {q} IS NOT NULL GROUP BY 1) "
        "SELECT bg.period, coalesce(kr.n_cases, 0) AS n_cases, bg.n_all, "
        "100000.0 * coalesce(kr.n_cases, 0) / bg.n_all AS rate_per_100k "
        "FROM bg LEFT JOIN kr USING (period) ORDER BY 1",
        [*bparams, *kparams],
    )


def cases_by_year_group(db: Database, f: Filters) -> pl.DataFrame:
    """Kratom cases per year of the chosen date and event group, with the year's case total.

    A case with events in several groups counts once in each; `n_year` counts it once.
    """
    w, params = where(kratom_filters(f))
    col = date_column(f)
    return db.query(
        f"WITH k AS (SELECT c.case_id, year({col}) AS year FROM model.cases c "
        f"WHERE {w} AND {col} IS NOT NULL), "
        "totals AS (SELECT year, count(*) AS n_year FROM k GROUP BY 1) "
        "SELECT k.year, e.event_group, count(DISTINCT k.case_id) AS n_cases, t.n_year "
        "FROM k JOIN model.case_events e USING (case_id) JOIN totals t USING (year) "
        "GROUP BY 1, 2, 4 ORDER BY 1, 2",
        params,
    )


def received_vs_event(db: Database, f: Filters) -> pl.DataFrame:
    """The filtered kratom cases counted twice: by quarter of receipt and by quarter of event.

    Cases without an event date are missing from `n_event`.
    """
    w, params = where(kratom_filters(f))
    by_received = quarter_expr(f.with_changes(date_field="received"))
    by_event = quarter_expr(f.with_changes(date_field="event"))
    return db.query(
        f"WITH k AS (SELECT {by_received} AS received, {by_event} AS event "
        f"FROM model.cases c WHERE {w}), "
        "dated AS (SELECT received AS period, 1 AS r, 0 AS e FROM k WHERE received IS NOT NULL "
        "UNION ALL SELECT event, 0, 1 FROM k WHERE event IS NOT NULL) "
        "SELECT period, sum(r)::BIGINT AS n_received, sum(e)::BIGINT AS n_event "
        "FROM dated GROUP BY 1 ORDER BY 1",
        params,
    )


def reporting_lag(db: Database, f: Filters) -> pl.DataFrame:
    """Days from the event to FDA's receipt, for kratom cases whose event date is to the day.

    One row per lag value with its case count (month- and year-precision dates are left out:
    their day is a placeholder).
    """
    w, params = where(kratom_filters(f))
    return db.query(
        "SELECT (c.received_date - c.event_date)::BIGINT AS lag_days, count(*) AS n_cases "
        f"FROM model.cases c WHERE {w} AND c.event_date_precision = 'day' "
        "AND c.received_date IS NOT NULL AND c.event_date IS NOT NULL GROUP BY 1 ORDER BY 1",
        params,
    )


def dating_summary(db: Database, f: Filters) -> dict:
    """How many filtered kratom cases have an event date, and how many to the day."""
    w, params = where(kratom_filters(f))
    return db.query(
        "SELECT count(*) AS n_cases, count(c.event_date) AS n_event_date, "
        "count(*) FILTER (WHERE c.event_date_precision = 'day' AND c.event_date IS NOT NULL "
        "AND c.received_date IS NOT NULL) AS n_day "
        f"FROM model.cases c WHERE {w}",
        params,
    ).row(0, named=True)
