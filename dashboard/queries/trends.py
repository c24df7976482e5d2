"""Questions behind the trends page: counts and rates over time, by product type and event
group, and dating.

Kratom counts always use the kratom population (a `population=all` link still shows kratom
cases here); the background of the rate is every kept case of the FAERS quarterly files under the
date range only. openFDA sources fetch kratom reports alone, so they have no background: their
kratom cases count in the bars, never in the rate (its numerator and background are both the
quarterly files'; without them there is no rate).

Two reads are shared to keep a filter change to few queries: the background per quarter
depends only on the file, the date field and the sources, so it is counted once per file for
each and cut to the date range here (quarters 'YYYYQn' sort as text); and the receipt-vs-event,
lag and dating numbers all come from one row per filtered kratom case (`dated_cases`).
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import (
    date_column,
    has_small_tables,
    kratom_filters,
    quarter_expr,
    tables,
    where,
)
from dashboard.tables import CASES_PER_QUARTER

# The one source with a background of every case: openFDA is searched for kratom reports only.
RATE_SOURCE = "faers-quarterly"


def has_rate(f: Filters) -> bool:
    """Whether the rate per 100,000 exists for these sources: only with the quarterly files."""
    return RATE_SOURCE in f.sources


def background_filters(f: Filters) -> Filters:
    """Every kept case (kratom or not) of the FAERS quarterly files under the same date field and
    date range only.

    Case-level filters (sex, seriousness, event groups, ...) are not applied to the background:
    the rate compares the filtered kratom count with all FAERS cases of that quarter. Nor are
    other sources: openFDA's cases are kratom reports only, so adding them would count kratom
    cases over themselves (CAERS alone: 100,000 per 100,000).
    """
    return Filters(
        population="all",
        date_field=f.date_field,
        date_from=f.date_from,
        date_to=f.date_to,
        sources=(RATE_SOURCE,),
    )


def background_by_quarter(db: Database, f: Filters) -> pl.DataFrame:
    """Every kept case of the quarterly files per quarter of the chosen date, under the date
    range only; no rows when the filters leave the quarterly files out (`has_rate`).

    Columns `period`, `n_all`. Read once per file for each date field, from
    `model.cases_per_quarter` (the ETL's counts, a few hundred rows); a file built before that
    table groups the full `model.cases` instead (seconds at full size, same counts).
    """
    if not has_rate(f):
        return pl.DataFrame(schema={"period": pl.String, "n_all": pl.Int64})
    b = background_filters(f)

    def count_every_quarter() -> pl.DataFrame:
        if has_small_tables(db, CASES_PER_QUARTER):
            sources = f"AND source IN ({', '.join('?' * len(b.sources))}) " if b.sources else ""
            return db.query(
                "SELECT period, sum(n_cases)::BIGINT AS n_all FROM model.cases_per_quarter "
                f"WHERE date_field = ? {sources}GROUP BY 1 ORDER BY 1",
                [b.date_field, *b.sources],
            )
        t = tables(db, b)  # population=all: the full model.cases
        w, params = where(b.with_changes(date_from=None, date_to=None), "c", t)
        q = quarter_expr(b)
        return db.query(
            f"SELECT {q} AS period, count(*) AS n_all FROM {t.cases} c "
            f"WHERE {w} AND {q} IS NOT NULL GROUP BY 1 ORDER BY 1",
            params,
        )

    every = db.cached(("background_by_quarter", b.date_field, b.sources), count_every_quarter)
    period = pl.col("period")
    if f.date_from:
        every = every.filter(period >= f.date_from)
    if f.date_to:
        every = every.filter(period <= f.date_to)
    return every


def rate_by_quarter(db: Database, f: Filters) -> pl.DataFrame:
    """Per quarter of the chosen date: `n_cases` kratom cases of every source selected (the
    bars), `n_all` every case of the quarterly files (the background; null without one),
    `rate_per_100k` the quarterly files' kratom cases per 100,000 of them (null without a
    background) and `n_rate_cases`, those kratom cases (the rate's numerator: `n_cases` without
    openFDA's). A quarter with kratom cases or a background has a row."""
    k = kratom_filters(f)
    t = tables(db, k)
    kw, kparams = where(k, "c", t)
    q = quarter_expr(f)
    kratom = db.query(
        f"SELECT {q} AS period, count(*) AS n_cases, "
        "count(*) FILTER (WHERE c.source = ?) AS n_rate_cases "
        f"FROM {t.cases} c WHERE {kw} AND {q} IS NOT NULL GROUP BY 1",
        [RATE_SOURCE, *kparams],
    )
    joined = background_by_quarter(db, f).join(kratom, on="period", how="full", coalesce=True)
    n_rate = pl.col("n_rate_cases").fill_null(0)
    return joined.select(
        "period",
        pl.col("n_cases").fill_null(0),
        "n_all",
        (100000.0 * n_rate / pl.col("n_all")).alias("rate_per_100k"),
        n_rate.alias("n_rate_cases"),
    ).sort("period")


def cases_by_year_group(db: Database, f: Filters) -> pl.DataFrame:
    """Kratom cases per year of the chosen date and event group, with the year's case total.

    A case with events in several groups counts once in each; `n_year` counts it once.
    """
    k = kratom_filters(f)
    t = tables(db, k)
    w, params = where(k, "c", t)
    col = date_column(f)
    return db.query(
        f"WITH k AS (SELECT c.case_id, year({col}) AS year FROM {t.cases} c "
        f"WHERE {w} AND {col} IS NOT NULL), "
        "totals AS (SELECT year, count(*) AS n_year FROM k GROUP BY 1) "
        "SELECT k.year, e.event_group, count(DISTINCT k.case_id) AS n_cases, y.n_year "
        f"FROM k JOIN {t.case_events} e USING (case_id) JOIN totals y USING (year) "
        "GROUP BY 1, 2, 4 ORDER BY 1, 2",
        params,
    )


def cases_by_year_product(db: Database, f: Filters) -> pl.DataFrame:
    """Kratom cases per year of the chosen date and kratom product type (`kratom_product_type`
    of model.cases: each case's most specific product). Cases without that date are left out,
    as in `cases_by_year_group`. Columns `year`, `product_type`, `n_cases`; pairs that occur."""
    k = kratom_filters(f)
    t = tables(db, k)
    w, params = where(k, "c", t)
    col = date_column(f)
    return db.query(
        f"SELECT year({col}) AS year, c.kratom_product_type AS product_type, count(*) AS n_cases "
        f"FROM {t.cases} c WHERE {w} AND {col} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )


def dated_cases(db: Database, f: Filters) -> pl.DataFrame:
    """One row per filtered kratom case: `received` and `event` quarters ('2021Q3', null when
    the date is missing) and `lag_days` from event to receipt (null unless the event date is
    given to the day and both dates are present: month- and year-precision days are
    placeholders)."""
    k = kratom_filters(f)
    t = tables(db, k)
    w, params = where(k, "c", t)
    by_received = quarter_expr(f.with_changes(date_field="received"))
    by_event = quarter_expr(f.with_changes(date_field="event"))
    return db.query(
        f"SELECT {by_received} AS received, {by_event} AS event, "
        "CASE WHEN c.event_date_precision = 'day' AND c.received_date IS NOT NULL "
        "AND c.event_date IS NOT NULL THEN (c.received_date - c.event_date)::BIGINT END "
        f"AS lag_days FROM {t.cases} c WHERE {w}",
        params,
    )


def received_vs_event(db: Database, f: Filters, dated: pl.DataFrame | None = None) -> pl.DataFrame:
    """The filtered kratom cases counted twice: by quarter of receipt and by quarter of event.

    Cases without an event date are missing from `n_event`. `dated` is `dated_cases(db, f)`
    when the caller has it already.
    """
    dated = dated_cases(db, f) if dated is None else dated
    received = dated.group_by(period="received").agg(n_received=pl.len())
    event = dated.group_by(period="event").agg(n_event=pl.len())
    both = received.join(event, on="period", how="full", coalesce=True)
    return (
        both.filter(pl.col("period").is_not_null())
        .select(
            "period",
            pl.col("n_received").fill_null(0).cast(pl.Int64),
            pl.col("n_event").fill_null(0).cast(pl.Int64),
        )
        .sort("period")
    )


def reporting_lag(db: Database, f: Filters, dated: pl.DataFrame | None = None) -> pl.DataFrame:
    """Days from the event to FDA's receipt, for kratom cases whose event date is to the day.

    One row per lag value with its case count (month- and year-precision dates are left out:
    their day is a placeholder).
    """
    dated = dated_cases(db, f) if dated is None else dated
    return (
        dated.filter(pl.col("lag_days").is_not_null())
        .group_by("lag_days")
        .agg(n_cases=pl.len().cast(pl.Int64))
        .sort("lag_days")
    )


def dating_summary(db: Database, f: Filters, dated: pl.DataFrame | None = None) -> dict:
    """How many filtered kratom cases have an event date, and how many to the day."""
    dated = dated_cases(db, f) if dated is None else dated
    return {
        "n_cases": dated.height,
        "n_event_date": dated.height - dated["event"].null_count(),
        "n_day": dated.height - dated["lag_days"].null_count(),
    }
