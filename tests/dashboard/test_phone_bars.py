"""Horizontal bars on a phone (docs/dashboard.md, "Widths"): names above the bars, the value
axis long enough for the text after each bar, the figure as tall as its rows; counted by hand.
Wider windows keep the names beside the bars (the other tests of these figures)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from pytest import approx

from dashboard.figures import about, events
from dashboard.figures import poison_center_breakdown as breakdown
from dashboard.figures.phone_bars import names_over_bars, plot_px, rows, value_range
from dashboard.figures.window import phone_layout
from tests.dashboard.helpers import plotly_figure
from tests.dashboard.test_events import TERMS
from tests.dashboard.test_poison_centers_page import published_breakdown

# a one-line name: 16 px of name, a 14 px bar and 14 px to the next name, the bar's foot 4 px
# above its band's: the bar from 4/44 to 18/44 of a band past the category's place
ONE_LINE = 44
OFFSET = 0.5 - 4 / 44 - 14 / 44


def test_rows_give_each_name_its_lines_above_a_thin_bar():
    assert plot_px() == 330 - 10 - 40
    one = rows(["Death", "Product quality and contamination"], 280)  # 46 characters a line
    assert one.names == ["Death", "Product quality and contamination"]
    assert (one.row_px, one.width, one.offset) == (ONE_LINE, 14 / 44, approx(OFFSET))
    assert one.centre == approx(OFFSET + 7 / 44)
    long = "treated at a health-care facility — kratom/7-OH reports (group not stated)"
    two = rows(["seizure", long], 280)  # 74 characters: two even lines
    assert two.names[1].count("<br>") == 1 and two.row_px == 2 * 16 + 28
    assert rows(["a<br>b"], 280).names == ["a b"]  # a name's own breaks are undone


def test_the_value_axis_leaves_room_for_each_text():
    # "1,127 (53.8%)": 13 characters of 11 px type at half an em, 71.5 px, and 8 px of gap
    assert value_range([1127], ["1,127 (53.8%)"], 11, 280) == approx(1127 * 280 / 200.5)
    # a short text after a long bar: the bar itself ends the axis
    assert value_range([10, 100], ["1", "2"], 11, 280) == approx(100 * 280 / 266.5)
    assert value_range([], [], 11, 280) == 1


def test_names_go_over_their_bars_in_the_categories_order():
    fig = {"data": [{"type": "bar", "y": ["b", "a"], "x": [1, 2]}], "layout": {"yaxis": {}}}
    names_over_bars(fig, ["a", "b"], rows(["a", "b"], 280))
    y = fig["layout"]["yaxis"]
    assert y["range"] == [1.5, -0.5] and not y["showticklabels"]
    assert y["categoryarray"] == ["a", "b"]
    assert [(a["text"], a["y"]) for a in fig["layout"]["annotations"]] == [
        ("a", approx(OFFSET)),
        ("b", approx(1 + OFFSET)),
    ]
    assert fig["data"][0]["width"] == 14 / 44 and fig["data"][0]["offset"] == approx(OFFSET)


def test_event_types_on_a_phone():
    labels = {"death": "Death", "dependence_withdrawal": "Dependence and withdrawal"}
    with phone_layout():
        fig = plotly_figure(
            events.terms_by_year_figure(
                TERMS, "Event groups", field="event_groups", y_title="Event group", labels=labels
            )
        )
    # the shares on their bars' lines, then the names above the bars
    notes = [(a.text, a.y) for a in fig.layout.annotations]
    assert notes == [
        ("2 (50.0%)", approx(OFFSET + 7 / 44)),
        ("2 (50.0%)", approx(1 + OFFSET + 7 / 44)),
        ("Dependence and withdrawal", approx(OFFSET)),
        ("Death", approx(1 + OFFSET)),
    ]
    # 290 px of plot (a 30 px right margin): "2 (50.0%)" is 49.5 px, so 232.5 px for the bar
    assert fig.layout.xaxis.range == (0, approx(2 * 290 / 232.5))
    assert fig.layout.yaxis.title.text == "" and fig.layout.margin.l == 10
    assert fig.layout.height == 76 + 110 + 2 * ONE_LINE
    assert events.figure_height(fig.to_plotly_json(), 2) == 274
    wide = events.terms_by_year_figure(TERMS, "T", field="pts", y_title="Preferred term")
    assert "height" not in wide["layout"] and events.figure_height(wide, 2) == 380


def test_a_poison_center_breakdown_on_a_phone():
    rows_ = published_breakdown(dt.date(2015, 1, 1))
    with phone_layout():
        fig = plotly_figure(breakdown.breakdown_figure(rows_, "Clinical effects, as published"))
    percent, count = fig.data
    assert list(percent.text) == ["595 of 660 (90.2%)", "18.6%"] and list(count.text) == ["5 of 7"]
    assert count.width == 14 / 44 and count.constraintext == "inside"  # the text keeps its size
    # 280 px of plot: "595 of 660 (90.2%)" is 117 px of 13 px type, so 155 px for its bar
    assert fig.layout.xaxis.range == (0, approx(90.2 * 280 / 155))
    assert fig.layout.xaxis2.range == (0, approx(5 * 280 / 233))  # "5 of 7": 39 px
    names = [(a.text, a.yref, a.y) for a in fig.layout.annotations if a.yref != "paper"]
    assert names == [
        ("ingestion", "y", approx(OFFSET)),
        ("agitation", "y", approx(1 + OFFSET)),
        ("withdrawal — neonates", "y2", approx(OFFSET)),
    ]
    # rows 88 + 44 px and 70 between the panels; 80 over them; ticks 30 and two sources' legend
    # lines (19 px and 10 apart, 10 of padding) under them
    assert fig.layout.height == 80 + (88 + 70 + 44) + 30 + 58
    assert fig.layout.yaxis.range == (1.5, -0.5) and fig.layout.yaxis2.range == (0.5, -0.5)
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.yref == "container"


def test_the_funnel_on_a_phone():
    funnel = pl.DataFrame(
        {
            "era": ["aers", "faers", "total"],
            "report_versions": [3, 7, 10],
            "latest_versions": [2, 5, 7],
            "after_deleted": [2, 4, 6],
        }
    )
    with phone_layout():
        fig = about.funnel_figure(funnel)
    assert fig["data"][-1]["text"] == ["total<br>10", "total<br>7", "total<br>6"]
    assert fig["layout"]["xaxis"]["ticktext"] == [
        "Report<br>versions<br>read",
        "Latest<br>version of<br>each case",
        "After FDA's<br>deleted-<br>case lists",
    ]
    assert fig["layout"]["yaxis"]["range"] == [0, approx(13)]
    assert all(t["textangle"] == 0 for t in fig["data"] if t["type"] == "bar")
    wide = about.funnel_figure(funnel)
    assert wide["data"][-1]["text"][0] == "total 10" and "ticktext" not in wide["layout"]["xaxis"]
