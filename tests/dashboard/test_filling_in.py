"""Quarters still filling in by event date: the rule on hand-made lag distributions, the bands
and notes of every chart counted by event date on tiny frames, and the lag query on the
hand-counted model fixture (tests/fixtures/model/README.md)."""

from __future__ import annotations

import polars as pl

from dashboard.figures import event_group_years, overview, rate_per_100k, receipt_vs_event
from dashboard.figures.filling_in import filling_in, quarters_to_complete
from dashboard.queries.filling_in import lag_quarters
from dashboard.queries.overview import TIMELINE_SCHEMA
from tests.dashboard.helpers import plotly_figure, rows

# 100 cases dated to the day: 40 received in their event's quarter, 45 one quarter later, 10
# two, 5 three. Arrived within 0, 1, 2, 3 quarters: 40%, 85%, 95%, 100%: N = 2.
LAG = pl.DataFrame({"lag_quarters": [0, 1, 2, 3], "n_cases": [40, 45, 10, 5]})
REASON = "95% of cases dated to the day reach FDA within 2 quarters of the event"
NO_EVENTS = pl.DataFrame(schema=TIMELINE_SCHEMA)


def test_n_is_the_fewest_quarters_within_which_90_percent_arrived():
    assert quarters_to_complete(LAG) == (2, 0.95)
    assert quarters_to_complete(LAG.reverse()) == (2, 0.95)  # row order does not matter
    assert quarters_to_complete(LAG, complete=0.85) == (1, 0.85)  # reaching the share is enough
    assert quarters_to_complete(LAG.head(0)) == (0, 0.0)


def test_the_newest_file_and_the_n_minus_1_quarters_before_it_are_filling_in():
    found = filling_in(LAG, "2021Q1")
    assert (found.first, found.last, found.n_quarters) == ("2020Q4", "2021Q1", 2)
    periods = ["2020Q2", "2020Q3", "2020Q4", "2021Q1"]
    assert found.flags(periods) == [False, False, True, True]
    (band,) = found.bands(periods)
    assert (band["x0"], band["x1"], band["yref"]) == (1.5, 3.5, "paper")
    assert band["name"] == f"Still filling in: {REASON}"
    # an event dated after the newest file (a date error) is inside the band too
    assert found.bands([*periods, "2021Q3"])[0]["x1"] == 4.5
    assert found.bands(["2019Q4", "2020Q3"]) == []  # the chart stops before the band


def test_no_band_when_90_percent_arrive_in_the_event_quarter_or_the_filter_ends_before():
    same_quarter = pl.DataFrame({"lag_quarters": [0, 1], "n_cases": [9, 1]})  # 90% within 0
    assert filling_in(same_quarter, "2021Q1") is None
    assert filling_in(LAG.head(0), "2021Q1") is None  # no case dated to the day
    assert filling_in(LAG, None) is None  # no quarterly file
    assert filling_in(LAG, "2021Q1", date_to="2020Q3") is None
    assert filling_in(LAG, "2021Q1", date_to="2020Q4").last == "2020Q4"
    assert filling_in(LAG, "2021Q1", date_to="2022Q2").last == "2021Q1"


def test_years_holding_a_quarter_filling_in():
    found = filling_in(LAG, "2021Q1")  # 2020Q4 and 2021Q1
    assert found.years([2019, 2020, 2021]) == {2020: "filling in", 2021: "Q1 only,<br>filling in"}
    assert found.year_sentence([2019, 2020, 2021]) == (
        f"By event date, 2020 and 2021 (Q1 only) are still filling in: {REASON}"
    )
    assert found.year_sentence([2018, 2019]) == ""
    whole = filling_in(LAG, "2020Q4")  # 2020Q3 and 2020Q4: the year's files are all loaded
    assert whole.years([2020]) == {2020: "filling in"}
    assert whole.year_sentence([2020]) == f"By event date, 2020 is still filling in: {REASON}"


def test_lag_quarters_of_kratom_cases_dated_to_the_day(db):
    # 900001: event 2012-03-01 (day, 2012Q1), received 2012-04-10 (2012Q2): one quarter.
    # 900004 (2013Q1 -> 2013Q1) and 900007 (2012Q4 -> 2013Q1) are dated to the day but are not
    # kratom cases; 900005 (month) and 900006 (year) are not dated to the day.
    assert rows(lag_quarters(db)) == [(1, 1)]


def test_overview_by_event_date_reaches_the_newest_file_and_shades_it():
    df = pl.DataFrame(
        {"period": ["2020Q1", "2020Q3"], "n_cases": [2, 5], "n_serious": [1, 5], "n_deaths": [0, 1]}
    )
    recent = filling_in(LAG, "2020Q4")  # 2020Q3 and 2020Q4
    f = plotly_figure(
        overview.trend_figure(
            df, NO_EVENTS, show_events=False, date_label="event date", filling_in=recent
        )
    )
    assert list(f.data[0].x) == ["2020Q1", "2020Q2", "2020Q3", "2020Q4"]
    assert list(f.data[0].y) == [2, 0, 5, 0]  # 2020Q4: none so far
    assert [(s.x0, s.x1) for s in f.layout.shapes] == [(1.5, 3.5)]
    assert f.layout.shapes[0].showlegend and f.layout.showlegend
    plain = plotly_figure(
        overview.trend_figure(df, NO_EVENTS, show_events=False, date_label="receipt by FDA")
    )
    assert list(plain.data[0].x) == ["2020Q1", "2020Q2", "2020Q3"] and not plain.layout.shapes


def test_trends_rate_dating_and_event_groups_by_event_date():
    recent = filling_in(LAG, "2020Q4")  # 2020Q3 and 2020Q4
    rate = pl.DataFrame(
        {
            "period": ["2020Q2", "2020Q3", "2020Q4"],
            "n_cases": [1, 2, 1],
            "n_all": [10, 10, 10],
            "rate_per_100k": [1e4, 2e4, 1e4],
        }
    )
    f = plotly_figure(
        rate_per_100k.rate_figure(
            rate, NO_EVENTS, show_events=False, date_label="event date", filling_in=recent
        )
    )
    assert [(s.x0, s.x1, s.yref) for s in f.layout.shapes] == [(0.5, 2.5, "paper")]
    dated = pl.DataFrame({"period": ["2020Q1", "2020Q4"], "n_received": [1, 3], "n_event": [2, 1]})
    d = plotly_figure(
        receipt_vs_event.dating_figure(dated, NO_EVENTS, show_events=False, filling_in=recent)
    )
    assert [(s.x0, s.x1) for s in d.layout.shapes] == [(1.5, 3.5)]  # 2020Q3 and 2020Q4
    assert d.layout.shapes[0].name == f"Event line still filling in: {REASON}"
    groups = pl.DataFrame(
        {
            "year": [2019, 2020],
            "event_group": ["death", "death"],
            "n_cases": [3, 1],
            "n_year": [3, 1],
        }
    )
    g = plotly_figure(event_group_years.event_group_figure(groups, {}, filling_in=recent))
    # the subtitle wraps to fit a narrow chart: its line breaks read as spaces
    subtitle = g.layout.title.subtitle.text.replace("<br>", " ")
    assert subtitle == f"By event date, 2020 is still filling in: {REASON}"


def test_overview_page_by_event_date_shades_the_fixture_newest_file(model_page):
    # kratom events: 900001 2012Q1, 900006 2021Q1, 900005 2021Q3; the newest file is 2021Q4 and
    # the one case dated to the day took a quarter: N = 1, the band is 2021Q4 (0 cases so far)
    trend = plotly_figure(model_page("overview").update("date=event&marks=false")[5])
    assert (trend.data[0].x[-1], trend.data[0].y[-1]) == ("2021Q4", 0)
    n = len(trend.data[0].x)
    assert [(s.x0, s.x1) for s in trend.layout.shapes] == [(n - 1.5, n - 0.5)]
    received = plotly_figure(model_page("overview").update("marks=false")[5])
    assert not received.layout.shapes
