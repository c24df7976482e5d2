"""Trends: counts and rate per 100,000 FAERS cases by quarter, product types and event groups
by year, dating.

Whether the charts mark the dated events is the link's `marks` (`marks=false` hides them).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, callback, dcc, html

from dashboard import components, link_writers, population, runtime
from dashboard.callbacks import page_query
from dashboard.figures import (
    event_group_years,
    product_years,
    rate_per_100k,
    receipt_vs_event,
    reporting_lag,
)
from dashboard.figures.filling_in import filling_in
from dashboard.filters import Filters
from dashboard.queries import filling_in as fq
from dashboard.queries import overview as oq
from dashboard.queries import run_together
from dashboard.queries import trends as q

dash.register_page(
    __name__, path="/trends", name="Trends", title="Kratom harms watch: trends", order=3
)

P = "trends"
SOURCE = "Source: FDA FAERS quarterly data files; deduplicated cases (latest version of each case)."
RATE_NOTE = (
    "Bars: kratom cases matching the filters. Line: those of the FAERS quarterly files per "
    "100,000 cases of the quarterly files (all kept cases, kratom or not) dated in the same "
    "quarter; only the date range applies to that background. openFDA cases count in the bars "
    "only: openFDA is searched for kratom reports, so it has no background. Triangles mark "
    "dated events; hover for each one's date as far as it is known and how it was checked. By "
    "event date, the newest quarters are shaded: still filling in, as reports reach FDA after "
    "the event. " + SOURCE
)
OPENFDA_NOT_IN_RATE = " openFDA's kratom cases are in the bars, not in the rate."
NO_RATE = (
    "No rate per 100,000: the sources selected are openFDA's, which hold kratom reports only "
    "(no background of other cases); select the FAERS quarterly files for the rate."
)
DUPLICATES_IN_BACKGROUND = (
    " The bars and the other charts set probable duplicates aside; the rate's background still "
    "counts every case, one per FAERS case number."
)
SYNTHETIC_BACKGROUND = (
    " On this synthetic demo the background is a small invented sample (a median of {n} cases a "
    "quarter), not FAERS's real background, so the rates run far above what the real files "
    "give: read the line's shape, not its level."
)
PRODUCTS_NOTE = (
    "Cases per year of the chosen date by kratom product: the most specific product among the "
    "case's kratom drug rows (7-OH concentrate, then extract, mixed product, leaf or powder; "
    "'not stated' when the name says kratom but not the form), from the reviewed term list. "
    "Below, each product's share of the year's cases; faint: fewer than 10 cases that year. A "
    "year not yet complete in the files loaded is marked, and by event date so is a year still "
    "filling in (reports reach FDA after the event). " + SOURCE
)
GROUPS_NOTE = (
    "Cases per year of the chosen date in each event group (reviewed groupings of MedDRA "
    "preferred terms); a case with events in several groups counts in each. Panels share one "
    "scale. " + SOURCE
)
DATING_NOTE = (
    "The same filtered cases dated two ways. Month- or year-precise event dates fall on the "
    "first day of the month or year, so they pile up in the first quarter. Under a date "
    "range, the quarters outside it are shaded grey: the filter's own date has no case there (a "
    "gap, not a zero). The newest quarters are shaded amber: the event line is still filling "
    "in there, as reports reach FDA after the event. " + SOURCE
)
LAG_NOTE = (
    "Days from the event date to FDA's receipt of the case, only for cases whose event date is "
    "given to the day. " + SOURCE
)
ONLY_KRATOM = (
    "this page counts the kratom cases matching the other filters (kratom's role, other "
    "substances and product included); every FAERS case is only the background of the rate "
    "per 100,000 (the line in the first chart)."
)
LAG_EXPLAINED = (
    "Reports reach FDA weeks to years after the event: patients and clinicians report late, "
    "manufacturers forward reports in batches, and lawsuits bring in old cases. So the most "
    "recent quarters by event date are always incomplete, and counts by quarter of receipt "
    "reflect reporting activity as much as harm."
)


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Trends", className="h4"),
            population.kratom_page_note(f, ONLY_KRATOM),
            html.P(id=f"{P}-background", className="small text-muted"),
            dbc.Switch(
                id=f"{P}-show-events",
                label="Show regulatory and data-format events",
                value=f.show_marks,
                className="small",
            ),
            components.chart_card(f"{P}-rate", RATE_NOTE, height=460),
            components.chart_card(f"{P}-products", PRODUCTS_NOTE, height=520),
            components.chart_card(f"{P}-groups", GROUPS_NOTE, height=680),
            html.H2("When it happened and when it was reported", className="h5 mt-2"),
            components.chart_card(f"{P}-dating", DATING_NOTE, height=400),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H3("Reporting lag", className="h6"),
                            html.P(LAG_EXPLAINED, className="small"),
                            html.P(id=f"{P}-dating-text", className="small"),
                        ],
                        lg=5,
                    ),
                    dbc.Col(components.chart_card(f"{P}-lag", LAG_NOTE, height=360), lg=7),
                ]
            ),
        ]
    )


def background_text(f: Filters, synthetic_median: int | None = None) -> str:
    """What the rate divides by (the quarterly files' cases only: openFDA's are kratom reports),
    and, when the link sets probable duplicates aside, that the background still counts them.
    `synthetic_median` (the median background of the chart's quarters, given for a synthetic
    file only): the demo's background is small, and its rates no guide to real levels."""
    if not q.has_rate(f):
        return NO_RATE
    text = "Rate denominator: " + q.background_filters(f).describe()
    text += OPENFDA_NOT_IN_RATE if set(f.sources) - {q.RATE_SOURCE} else ""
    text += DUPLICATES_IN_BACKGROUND if f.duplicates == "hide" else ""
    if synthetic_median is not None:
        text += SYNTHETIC_BACKGROUND.format(n=f"{synthetic_median:,}")
    return text


def median_background(rate: pl.DataFrame) -> int | None:
    """The median number of background cases over the rate chart's quarters that have one."""
    if "n_all" not in rate.columns:
        return None
    n_all = rate["n_all"].drop_nulls()
    n_all = n_all.filter(n_all > 0)
    return None if n_all.is_empty() else round(n_all.median())


def dating_text(summary: dict) -> str:
    """One sentence on how many cases can be dated by the event, and to the day."""
    n, dated, day = summary["n_cases"], summary["n_event_date"], summary["n_day"]
    if not n:
        return ""
    cases = "case" if n == 1 else "cases"
    return (
        f"Of {n:,} kratom {cases}, {dated:,} ({100 * dated / n:.0f}%) give an event date and "
        f"{day:,} ({100 * day / n:.0f}%) give it to the day; the lag chart uses only those."
    )


@callback(
    Output(f"{P}-background", "children"),
    Output(f"{P}-rate", "figure"),
    Output(f"{P}-products", "figure"),
    Output(f"{P}-groups", "figure"),
    Output(f"{P}-dating", "figure"),
    Output(f"{P}-lag", "figure"),
    Output(f"{P}-dating-text", "children"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    events, show = oq.timeline(db), f.show_marks
    date_label = "event date" if f.date_field == "event" else "receipt by FDA"
    newest = oq.latest_quarter(db)
    latest = newest if f.date_field == "received" else None  # part-year marks
    recent = filling_in(fq.lag_quarters(db), newest)  # event-date quarters still filling in
    by_event = recent if f.date_field == "event" else None
    rate, products, groups, dated = run_together(
        lambda: q.rate_by_quarter(db, f),
        lambda: q.cases_by_year_product(db, f),
        lambda: q.cases_by_year_group(db, f),
        lambda: q.dated_cases(db, f),
    )
    synthetic = median_background(rate) if runtime.is_synthetic(db) else None
    return (
        background_text(f, synthetic),
        rate_per_100k.rate_figure(
            rate, events, show_events=show, date_label=date_label, filling_in=by_event
        ),
        product_years.product_year_figure(
            products,
            labels=components.LABELS["product_types"],
            date_label=date_label,
            latest_quarter=latest,
            filling_in=by_event,
        ),
        event_group_years.event_group_figure(
            groups, components.LABELS["event_groups"], latest_quarter=latest, filling_in=by_event
        ),
        receipt_vs_event.dating_figure(
            q.received_vs_event(db, f, dated),
            events,
            show_events=show,
            date_field=f.date_field,
            date_from=f.date_from,
            date_to=f.date_to,
            filling_in=recent,
        ),
        reporting_lag.lag_figure(q.reporting_lag(db, f, dated)),
        dating_text(q.dating_summary(db, f, dated)),
    )


marks_to_url = link_writers.view_control_to_url(f"{P}-show-events", "show_marks")
