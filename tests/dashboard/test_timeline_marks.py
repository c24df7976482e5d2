"""The timeline's triangles: one per quarter, and a hover giving each event's date to the
precision known and its status.

Expected texts are written out by hand from etl/reference/timeline.csv and the rules in
etl/reference/README.md: a month- or year-precision date is stored as the 1st and must not read
as that day; V-3p rows say they were checked only against a third-party restatement.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.figures import overview as overview_fig
from dashboard.figures import rate_per_100k, receipt_vs_event
from dashboard.figures import trends as trends_fig
from dashboard.figures.timeline_marks import KIND_COLOURS, MUTED_TEXT, event_hover_text
from dashboard.queries import overview as q
from tests.dashboard.helpers import plotly_figure

THIRD_PARTY = "checked only against a third-party restatement"


def event(day: dt.date, precision: str, status: str, label: str = "L") -> dict:
    return {
        "event_date": day,
        "date_precision": precision,
        "label": label,
        "kind": "regulatory",
        "status": status,
    }


def test_day_checked_against_a_named_source_has_no_caveat():
    row = event(dt.date(2016, 8, 31), "day", "V", "DEA notice")
    assert event_hover_text(row) == "DEA notice<br>2016-08-31, regulatory"


def test_month_and_year_precision_do_not_show_the_first_as_a_day():
    assert event_hover_text(event(dt.date(2021, 7, 1), "month", "V")) == (
        "L<br>2021-07 (day not known), regulatory"
    )
    assert event_hover_text(event(dt.date(2019, 1, 1), "year", "V")) == (
        "L<br>2019 (month not known), regulatory"
    )


def test_third_party_status_is_said():
    assert event_hover_text(event(dt.date(2018, 2, 20), "day", "V-3p")) == (
        "L<br>2018-02-20, regulatory<br>" + THIRD_PARTY
    )
    assert event_hover_text(event(dt.date(2016, 1, 1), "year", "V-3p")) == (
        "L<br>2016 (month not known), regulatory<br>" + THIRD_PARTY
    )


def test_an_unchecked_date_from_an_older_build_never_shows_its_day():
    # timeline.csv no longer has "V, date R" rows; a file built before this change still does
    text = event_hover_text(event(dt.date(2018, 2, 6), "day", "V, date R"))
    assert text == "L<br>date not checked, regulatory"
    assert "06" not in text


def test_an_unknown_status_or_precision_never_reads_as_checked():
    assert event_hover_text(event(dt.date(2019, 3, 5), "week", "R")) == (
        "L<br>2019 (month not known), regulatory<br>"
        "not marked as checked against a named source (status R)"
    )


def test_every_chart_that_draws_the_timeline_says_the_same():
    events = pl.DataFrame(
        [
            event(dt.date(2020, 1, 1), "year", "V-3p", "A ban"),
            event(dt.date(2020, 5, 14), "day", "V", "A warning"),
        ]
    )
    expected = [
        "A ban<br>2020 (month not known), regulatory<br>" + THIRD_PARTY,
        "A warning<br>2020-05-14, regulatory",
    ]
    counts = pl.DataFrame(
        {
            "period": ["2020Q1", "2020Q2"],
            "n_cases": [2, 1],
            "n_serious": [0, 0],
            "n_deaths": [0, 0],
            "n_all": [10, 10],
            "rate_per_100k": [0.0, 0.0],
            "n_received": [2, 1],
            "n_event": [1, 1],
        }
    )
    figures = [
        overview_fig.trend_figure(counts, events, show_events=True, date_label="x"),
        rate_per_100k.rate_figure(counts, events, show_events=True, date_label="x"),
        receipt_vs_event.dating_figure(counts, events, show_events=True),
    ]
    for figure in figures:
        plotly_figure(figure)  # valid against plotly's schema
        data = figure["data"]
        (marks,) = [t for t in data if t.get("marker", {}).get("symbol") == "triangle-down"]
        assert marks["x"] == ["2020Q1", "2020Q2"]
        assert marks["text"] == expected


def test_timeline_query_reads_precision_and_status(db):
    events = q.timeline(db)
    assert events.columns == ["event_date", "date_precision", "label", "kind", "status"]
    assert set(events["status"]) == {"V", "V-3p"}
    first = events.row(0, named=True)  # the 2012 import alert: the year only, third party
    assert event_hover_text(first) == (
        "FDA import alert on kratom (54-15)<br>2012 (month not known), regulatory<br>" + THIRD_PARTY
    )
    advisory = events.filter(pl.col("event_date") == dt.date(2017, 11, 14)).row(0, named=True)
    assert event_hover_text(advisory) == (
        "FDA advisory: 36 deaths associated with kratom (FDA's case count)<br>"
        "2017-11-14, regulatory"
    )


def test_events_of_one_quarter_share_one_triangle_listing_them_all():
    # 2025Q3 in timeline.csv holds seven events; drawn on one spot, all but one hover were hidden
    events = pl.DataFrame(
        [
            event(dt.date(2025, 8, 1), "day", "V-3p", "A ban") | {"kind": "regulatory"},
            event(dt.date(2025, 7, 1), "month", "V", "A format change") | {"kind": "data-format"},
            event(dt.date(2025, 7, 15), "day", "V", "Letters") | {"kind": "enforcement"},
            event(dt.date(2025, 11, 3), "day", "V", "An advisory"),
        ]
    )
    several = (
        "A format change<br>2025-07 (day not known), data-format<br><br>"
        "Letters<br>2025-07-15, enforcement<br><br>"
        "A ban<br>2025-08-01, regulatory<br>" + THIRD_PARTY
    )
    counts = pl.DataFrame(
        {"period": ["2025Q3", "2025Q4"], "n_cases": [1, 1], "n_serious": [0, 0], "n_deaths": [0, 0]}
    )
    overview = overview_fig.trend_figure(counts, events, show_events=True, date_label="x")
    plotly_figure(overview)
    marks = [t for t in overview["data"] if t["type"] == "scatter"]
    assert [(t["name"], t["x"], t["text"], t["marker"]["color"]) for t in marks] == [
        ("events of several kinds", ["2025Q3"], [several], MUTED_TEXT),
        ("regulatory event", ["2025Q4"], ["An advisory<br>2025-11-03, regulatory"], "#D55E00"),
    ]
    # the trends charts explain the colours the same way: one legend entry per kind
    trend = trends_fig.event_markers(events, ["2025Q3", "2025Q4"], 1.0)
    assert [(t["name"], t["x"], t["text"], t["marker"]["color"]) for t in trend] == [
        ("events of several kinds", ["2025Q3"], [several], MUTED_TEXT),
        ("regulatory event", ["2025Q4"], ["An advisory<br>2025-11-03, regulatory"], "#D55E00"),
    ]
    assert KIND_COLOURS["regulatory"] == "#D55E00"


def test_trends_legend_names_each_kind_of_event_as_the_overview_does():
    # one orange triangle "Dated events" stood for triangles of six colours
    events = pl.DataFrame(
        [
            event(dt.date(2019, 2, 1), "day", "V", "A ban") | {"kind": "regulatory"},
            event(dt.date(2019, 8, 1), "day", "V", "A paper") | {"kind": "publication"},
            event(dt.date(2020, 2, 1), "day", "V", "Letters") | {"kind": "enforcement"},
        ]
    )
    counts = pl.DataFrame(
        {
            "period": ["2019Q1", "2019Q3", "2020Q1"],
            "n_cases": [1, 2, 3],
            "n_serious": [0, 0, 0],
            "n_deaths": [0, 0, 0],
            "n_all": [10, 10, 10],
            "rate_per_100k": [0.0, 0.0, 0.0],
            "n_received": [1, 2, 3],
            "n_event": [1, 2, 3],
        }
    )
    named = [("regulatory event", "#D55E00"), ("publication event", "#009E73")]
    named.append(("enforcement event", "#CC79A7"))
    for figure in (
        rate_per_100k.rate_figure(counts, events, show_events=True, date_label="x"),
        receipt_vs_event.dating_figure(counts, events, show_events=True),
        overview_fig.trend_figure(counts, events, show_events=True, date_label="x"),
    ):
        shown = plotly_figure(figure)
        marks = [t for t in shown.data if t.type == "scatter" and t.name.endswith("event")]
        assert [(t.name, t.marker.color) for t in marks] == named
        assert all(t.showlegend is not False for t in marks)
        assert shown.layout.showlegend is not False
