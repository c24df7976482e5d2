"""Overview figures on tiny frames, counted by hand; each is validated by plotly's schema."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import overview as fig
from tests.dashboard.helpers import plotly_figure

EVENTS = pl.DataFrame(
    {
        "event_date": [dt.date(2001, 1, 1), dt.date(2020, 5, 1)],
        "date_precision": ["day", "month"],
        "label": ["Too early", "A warning"],
        "kind": ["regulatory", "regulatory"],
        "status": ["V", "V-3p"],
    }
)


def test_trend_figure_fills_quarters_and_marks_events():
    df = pl.DataFrame(
        {"period": ["2020Q1", "2020Q3"], "n_cases": [2, 5], "n_serious": [1, 5], "n_deaths": [0, 1]}
    )
    f = plotly_figure(fig.trend_figure(df, EVENTS, show_events=True, date_label="receipt by FDA"))
    bars, marks = f.data
    assert list(bars.x) == ["2020Q1", "2020Q2", "2020Q3"]
    assert list(bars.y) == [2, 0, 5]
    assert [list(c) for c in bars.customdata] == [[1, 0], [0, 0], [5, 1]]
    assert list(marks.x) == ["2020Q2"]  # 2001 is outside
    assert list(marks.text) == [
        "A warning<br>2020-05 (day not known), regulatory<br>"
        "checked only against a third-party restatement"
    ]
    assert f.layout.title.text == "Kratom cases by quarter of receipt by FDA"
    assert f.layout.xaxis.title.text == "Quarter (receipt by FDA)"
    assert f.layout.yaxis.title.text == "Cases (deduplicated)"
    assert f.layout.yaxis.dtick == 1  # at most 8 cases: whole-number ticks
    # the legend (up to seven entries, two rows) sits between a title pinned on top and the plot
    assert (f.layout.title.yref, f.layout.title.yanchor, f.layout.margin.t) == (
        "container",
        "top",
        110,
    )
    hidden = plotly_figure(fig.trend_figure(df, EVENTS, show_events=False, date_label="event date"))
    assert len(hidden.data) == 1
    assert hidden.layout.margin.t is None  # one legend entry: the template's margin


def test_outcome_and_breakdown_figures_show_counts_and_shares():
    outcomes = pl.DataFrame(
        {"outcome": ["Death", "Hospitalisation"], "n_cases": [1, 3], "n_total": [4, 4]}
    )
    f = plotly_figure(fig.outcome_figure(outcomes))
    assert list(f.data[0].text) == ["1 (25.0%)", "3 (75.0%)"]
    assert f.layout.xaxis.title.text == "Cases" and f.layout.xaxis.range[1] > 3
    sexes = pl.DataFrame({"category": ["F", None], "n_cases": [3, 1], "n_total": [4, 4]})
    b = plotly_figure(fig.breakdown_figure(sexes, "Sex", {"F": "Female"}))
    assert list(b.data[0].x) == ["Female", "Unknown"]
    assert list(b.data[0].customdata) == ["3 (75.0%)", "1 (25.0%)"]
    assert b.layout.yaxis.title.text == "Cases" and b.layout.yaxis.range[1] > 3


def test_empty_states():
    empty = pl.DataFrame(schema={"period": pl.String, "n_cases": pl.Int64})
    for f in (
        fig.trend_figure(empty, EVENTS, show_events=True, date_label="x"),
        fig.outcome_figure(pl.DataFrame({"outcome": ["Death"], "n_cases": [0], "n_total": [0]})),
        fig.breakdown_figure(pl.DataFrame(), "Sex"),
    ):
        assert [a.text for a in plotly_figure(f).layout.annotations] == [EMPTY_MESSAGE]
