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
from dashboard.figures.timeline_marks import (
    KIND_COLOURS,
    MUTED_TEXT,
    event_date_text,
    event_hover_text,
    mark_hover_text,
    mark_size,
    mark_traces,
    quarter_marks,
    shortened,
)
from dashboard.figures.window import phone_layout
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
    # one line an event (a list of seven with three lines each ran taller than the 380 px
    # figure, and plotly drew no label at all), the third-party status as a mark explained once
    several = (
        "<b>2025Q3: 3 events</b><br>"
        "2025-07 (day not known) · A format change · data-format<br>"
        "2025-07-15 · Letters · enforcement<br>"
        "2025-08-01 · A ban · regulatory †<br>"
        "<br>† " + THIRD_PARTY
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


def test_long_labels_are_cut_at_a_fixed_length_with_an_ellipsis():
    label = "HHS/FDA recommend Schedule I for concentrated 7-OH (not the leaf)"  # 65 characters
    assert shortened(label, 48) == "HHS/FDA recommend Schedule I for concentrated 7…"  # 47 + 1
    assert shortened(label, 65) == label
    # the cut falls after "Schedule I for": the space before it is dropped, not kept before "…"
    assert shortened(label, 30) == "HHS/FDA recommend Schedule I…"
    assert shortened("Feel Free class action filed", 48) == "Feel Free class action filed"


def test_the_overviews_2025q3_triangle_lists_its_seven_events_one_a_line(db):
    # the quarter the walk-through found without a label: seven events of etl/reference/
    # timeline.csv, three of them V-3p, one of month precision
    events = list(q.timeline(db).iter_rows(named=True))
    ((quarter, rows),) = quarter_marks(events, ["2025Q3"])
    assert quarter == "2025Q3"
    assert mark_hover_text(rows) == (
        "<b>2025Q3: 7 events</b><br>"
        '2025-07 (day not known) · FAERS: no reporter type on company reports; "EU… · '
        "data-format<br>"
        "2025-07-15 · FDA warning letters to 7 firms selling concentr… · enforcement<br>"
        "2025-07-29 · HHS/FDA recommend Schedule I for concentrated 7… · regulatory †<br>"
        "2025-08-01 · Louisiana kratom ban takes effect · regulatory †<br>"
        "2025-08-13 · Florida emergency rule: concentrated 7-OH in Sc… · regulatory<br>"
        "2025-09-02 · Texas DSHS health alert on 7-OH · regulatory<br>"
        "2025-09-12 · LA County warning: 3 deaths with 7-OH · regulatory †<br>"
        "<br>† " + THIRD_PARTY
    )
    # the head, seven events, a blank line and the note: 10 lines, 177 px in Chromium, of the
    # overview's 380 px figure (the old list took 23 lines, about 390 px: plotly dropped it)
    assert mark_hover_text(rows).count("<br>") + 1 == 10


def test_on_a_phone_each_event_takes_two_short_lines():
    rows = [
        event(
            dt.date(2025, 7, 15),
            "day",
            "V",
            "FDA warning letters to 7 firms selling concentrated 7-OH",
        )
        | {"kind": "enforcement"},
        event(dt.date(2025, 8, 1), "day", "V-3p", "Louisiana kratom ban takes effect"),
    ]
    assert mark_hover_text(rows, phone=True) == (
        "<b>2025Q3: 2 events</b><br>"
        "• FDA warning letters to 7 firms sellin…<br>"  # 37 characters and "…" after "• "
        "2025-07-15 · enforcement<br>"
        "• Louisiana kratom ban takes effect<br>"
        "2025-08-01 · regulatory †<br>"
        "<br>"
        "† checked only against a<br>third-party restatement"
    )
    # one event keeps its form, its label and note broken into lines of 40 characters at most
    post = event(
        dt.date(2019, 2, 21),
        "day",
        "V-3p",
        "Post et al.: poison-centre kratom exposures up more than 50-fold",
    )
    assert mark_hover_text([post], phone=True) == (
        "Post et al.: poison-centre kratom<br>exposures up more than 50-fold<br>"
        "2019-02-21, regulatory<br>"
        "checked only against a<br>third-party restatement"
    )


def test_other_statuses_get_their_own_mark_and_an_unchecked_date_none():
    rows = [
        event(dt.date(2019, 3, 5), "day", "R", "A"),
        event(dt.date(2019, 3, 6), "day", "V, date R", "B"),
        event(dt.date(2019, 3, 7), "day", "X", "C"),
    ]
    assert mark_hover_text(rows) == (
        "<b>2019Q1: 3 events</b><br>"
        "2019-03-05 · A · regulatory ‡<br>"
        "date not checked · B · regulatory<br>"
        "2019-03-07 · C · regulatory ‡<br>"
        "<br>‡ not marked as checked against a named source (statuses R, X)"
    )


def test_a_quarter_of_more_than_ten_events_lists_nine_and_counts_the_rest():
    rows = [event(dt.date(2020, 1, day), "day", "V", f"E{day}") for day in range(1, 13)]
    text = mark_hover_text(rows)
    assert text.startswith("<b>2020Q1: 12 events</b><br>2020-01-01 · E1 · regulatory<br>")
    assert text.endswith("<br>2020-01-09 · E9 · regulatory<br>and 3 more")
    assert text.count("<br>") + 1 == 11  # the head, nine events, the count


def test_every_dated_event_shows_its_date_kind_and_status_in_its_triangles_hover(db):
    events = list(q.timeline(db).iter_rows(named=True))
    assert len(events) == 30  # the rows of etl/reference/timeline.csv
    periods = [f"{year}Q{n}" for year in range(2012, 2027) for n in range(1, 5)]
    for phone in (False, True):
        for _, rows in quarter_marks(events, periods):
            lines = mark_hover_text(rows, phone).split("<br>")
            flat = " ".join(lines)
            for row in rows:
                date = event_date_text(row["event_date"], row["date_precision"], row["status"])
                start = row["label"][:12]  # the label's start, never cut on either layout
                if len(rows) == 1:
                    assert f"{date}, {row['kind']}" in lines and flat.startswith(start)
                    assert (THIRD_PARTY in flat) == (row["status"] == "V-3p")
                    continue
                mark = " †" if row["status"] == "V-3p" else ""
                if phone:  # "• <label>", then "<date> · <kind> <mark>"
                    at = lines.index(f"{date} · {row['kind']}{mark}")
                    assert lines[at - 1].startswith(f"• {start}")
                else:
                    (line,) = [x for x in lines if x.startswith(f"{date} · {start}")]
                    assert line.endswith(f" · {row['kind']}{mark}")
            if len(rows) > 1 and any(r["status"] == "V-3p" for r in rows):
                assert flat.endswith("† checked only against a third-party restatement")


def test_triangles_are_no_wider_than_a_quarter_in_the_narrowest_plot():
    # a triangle of size s is 2/sqrt(3) s = 1.155 s wide; the narrowest plot is 600 px (250 px
    # on a phone). 90 quarters (2004Q1-2026Q2): 6.67 px each, size 5.7 (6.6 px wide)
    assert mark_size(90) == 5.7
    assert mark_size(20) == 11  # 30 px a quarter: the largest size
    with phone_layout():
        assert mark_size(90) == 5  # 2.8 px a quarter: the smallest, they overlap on a phone
    periods = [f"{year}Q{n}" for year in range(2004, 2027) for n in range(1, 5)][:90]
    rows = [event(dt.date(2025, 8, 1), "day", "V"), event(dt.date(2025, 11, 3), "day", "V")]
    (marks,) = mark_traces(rows, periods, 1.0)
    assert marks["marker"]["size"] == 5.7
    assert marks["hoverlabel"] == {"align": "left"}
