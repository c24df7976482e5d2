"""Trends page: queries against the hand-counted model fixture, figures on tiny frames.

Hand counts (tests/fixtures/model/README.md and the DEMO files): kept cases with their received
and event dates (precision):
  900001 kratom     received 2012-04-10 (2012Q2), event 2012-03-01 (day)    -> lag 40 days
  900002 background received 2012-04-12 (2012Q2), event 2012-03-01 (month)
  900004 background received 2013-01-10 (2013Q1), event 2013-01-05 (day)
  900005 kratom     received 2021-10-01 (2021Q4), event 2021-09-01 (month), death
  900006 kratom     received 2021-10-10 (2021Q4), event 2021-01-01 (year)
  900007 background received 2013-01-01 (2013Q1), event 2012-12-20 (day)
Event groups: 900001 dependence_withdrawal; 900005 death + overdose_toxicity;
900006 cognitive_neurological.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import runtime
from dashboard.db import Database
from dashboard.figures import (
    EMPTY_MESSAGE,
    event_group_years,
    rate_per_100k,
    receipt_vs_event,
    reporting_lag,
)
from dashboard.filters import Filters
from dashboard.queries import trends as q
from tests.dashboard.helpers import isolated_page, plotly_figure


def rows(df: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in df.rows()]


# --- queries ---


def test_rate_by_quarter_of_receipt(db):
    # period, kratom cases (bars), every quarterly-file case, rate, quarterly-file kratom cases
    assert rows(q.rate_by_quarter(db, Filters())) == [
        ("2012Q2", 1, 2, 50_000.0, 1),
        ("2013Q1", 0, 2, 0.0, 0),
        ("2021Q4", 2, 2, 100_000.0, 2),
    ]


def test_rate_background_ignores_case_filters(db):
    deaths = Filters(outcomes=("death",), serious_only=True, event_groups=("death",))
    assert rows(q.rate_by_quarter(db, deaths)) == [  # only 900005 died; the background stays
        ("2012Q2", 0, 2, 0.0, 0),
        ("2013Q1", 0, 2, 0.0, 0),
        ("2021Q4", 1, 2, 50_000.0, 1),
    ]


def test_rate_background_follows_date_range_and_field(db):
    assert rows(q.rate_by_quarter(db, Filters(date_from="2013Q1"))) == [
        ("2013Q1", 0, 2, 0.0, 0),
        ("2021Q4", 2, 2, 100_000.0, 2),
    ]
    assert rows(q.rate_by_quarter(db, Filters(date_field="event"))) == [
        ("2012Q1", 1, 2, 50_000.0, 1),  # 900001, 900002
        ("2012Q4", 0, 1, 0.0, 0),  # 900007
        ("2013Q1", 0, 1, 0.0, 0),  # 900004
        ("2021Q1", 1, 1, 100_000.0, 1),  # 900006
        ("2021Q3", 1, 1, 100_000.0, 1),  # 900005
    ]


def test_rate_other_source_is_empty_and_population_all_still_counts_kratom(db):
    assert q.rate_by_quarter(db, Filters(sources=("openfda-faers",))).is_empty()
    assert rows(q.rate_by_quarter(db, Filters(population="all"))) == rows(
        q.rate_by_quarter(db, Filters())
    )


def test_background_filters_keep_only_dates_and_the_quarterly_files():
    f = Filters(
        date_field="event",
        date_from="2013Q1",
        date_to="2020Q4",
        role="primary",
        serious_only=True,
        sexes=("F",),
        event_groups=("death",),
        sources=("faers-quarterly", "openfda-faers"),
    )
    assert q.background_filters(f) == Filters(
        population="all",
        date_field="event",
        date_from="2013Q1",
        date_to="2020Q4",
        sources=("faers-quarterly",),  # openFDA has kratom reports only: no background
    )


# The openFDA fixture build (tests/etl/test_openfda_model.py): the model fixture's cases and
# 900009 (openfda-faers, received 2022-02-14, 2022Q1, kratom) and the CAERS kratom case
# (openfda-caers, received 2020-03-05, 2020Q1). openFDA fetched kratom reports only.


def test_the_rate_counts_the_quarterly_files_only(openfda_model_db):
    db = Database(openfda_model_db)
    # CAERS alone: its one case was its own background, 100,000 per 100,000; now no rate
    assert rows(q.rate_by_quarter(db, Filters(sources=("openfda-caers",)))) == [
        ("2020Q1", 1, None, None, 0)
    ]
    # with openfda-faers, 2022Q1 was 1 of 1 (100,000); its case is in the bars, not the rate
    both = Filters(sources=("faers-quarterly", "openfda-faers"))
    assert rows(q.rate_by_quarter(db, both)) == [
        ("2012Q2", 1, 2, 50_000.0, 1),
        ("2013Q1", 0, 2, 0.0, 0),
        ("2021Q4", 2, 2, 100_000.0, 2),
        ("2022Q1", 1, None, None, 0),
    ]
    every = Filters(sources=("faers-quarterly", "openfda-faers", "openfda-caers"))
    assert rows(q.rate_by_quarter(db, every))[2] == ("2020Q1", 1, None, None, 0)  # after 2013Q1
    # the quarterly files alone (the default): as the model fixture without openFDA
    assert rows(q.rate_by_quarter(db, Filters()))[-1] == ("2021Q4", 2, 2, 100_000.0, 2)
    assert q.rate_by_quarter(db, Filters()).height == 3


def test_the_rate_chart_and_its_words_with_openfda_sources(monkeypatch, openfda_model_db):
    monkeypatch.setitem(runtime._state, "db", Database(openfda_model_db))
    page = isolated_page("trends", monkeypatch)
    background, rate, *_ = page.update("source=openfda-caers&marks=false")
    rate = plotly_figure(rate)
    bars, line = rate.data
    assert list(bars.y) == [1] and list(line.y) == [None]  # no background: no rate
    assert rate.layout.title.subtitle.text == rate_per_100k.NO_RATE
    assert rate_per_100k.NO_RATE_PANEL in [a.text for a in rate.layout.annotations]
    assert background == page.NO_RATE
    background, rate, *_ = page.update("source=faers-quarterly&source=openfda-faers&marks=false")
    rate = plotly_figure(rate)
    bars, line = rate.data
    by_period = dict(zip(line.x, line.y, strict=True))
    assert (by_period["2021Q4"], by_period["2022Q1"]) == (100_000.0, None)
    assert dict(zip(bars.x, bars.y, strict=True))["2022Q1"] == 1
    assert rate.layout.title.subtitle.text == rate_per_100k.RATE_QUARTERLY_ONLY.format(
        n="1", cases="case"
    )
    assert background == (
        "Rate denominator: All cases (kratom or not), all dates, from FAERS quarterly files."
        + page.OPENFDA_NOT_IN_RATE
    )
    background, rate, *_ = page.update("marks=false")
    assert plotly_figure(rate).layout.title.subtitle.text is None
    assert background.endswith("from FAERS quarterly files.")


def test_rate_figure_says_what_the_line_counts():
    df = pl.DataFrame(
        {
            "period": ["2020Q1", "2020Q2"],
            "n_cases": [3, 2],
            "n_all": [1000, None],
            "rate_per_100k": [200.0, None],
            "n_rate_cases": [2, 0],
        }
    )
    f = plotly_figure(rate_per_100k.rate_figure(df, EVENTS, show_events=False, date_label="x"))
    bars, line = f.data
    assert list(bars.y) == [3, 2]
    assert list(line.y) == [200.0, None]  # 2 of the 3 are the quarterly files'
    assert [list(c) for c in line.customdata] == [[2, 1000], [0, 0]]
    assert "from the quarterly files" in bars.hovertemplate
    assert f.layout.title.subtitle.text == rate_per_100k.RATE_QUARTERLY_ONLY.format(
        n="3", cases="cases"
    )
    none = df.with_columns(n_all=pl.lit(None, pl.Int64), n_rate_cases=pl.lit(0, pl.Int64))
    f = plotly_figure(rate_per_100k.rate_figure(none, EVENTS, show_events=False, date_label="x"))
    assert list(f.data[1].y) == [None, None]
    assert f.layout.title.subtitle.text == rate_per_100k.NO_RATE


def test_cases_by_year_group(db):
    assert rows(q.cases_by_year_group(db, Filters())) == [
        (2012, "dependence_withdrawal", 1, 1),
        (2021, "cognitive_neurological", 1, 2),
        (2021, "death", 1, 2),
        (2021, "overdose_toxicity", 1, 2),
    ]


def test_received_vs_event(db):
    assert rows(q.received_vs_event(db, Filters())) == [
        ("2012Q1", 0, 1),
        ("2012Q2", 1, 0),
        ("2021Q1", 0, 1),
        ("2021Q3", 0, 1),
        ("2021Q4", 2, 0),
    ]


def test_reporting_lag_only_day_precision(db):
    assert rows(q.reporting_lag(db, Filters())) == [(40, 1)]
    assert q.dating_summary(db, Filters()) == {"n_cases": 3, "n_event_date": 3, "n_day": 1}
    assert q.reporting_lag(db, Filters(date_from="2021Q4")).is_empty()


# --- figures ---

EVENTS = pl.DataFrame(
    {
        "event_date": [dt.date(2020, 5, 1), dt.date(2001, 1, 1)],
        "date_precision": ["year", "day"],
        "label": ["A warning", "Too early"],
        "kind": ["regulatory", "data-format"],
        "status": ["V-3p", "V"],
    }
)


def is_empty_state(figure: go.Figure) -> bool:
    return any(a.text == EMPTY_MESSAGE or "No case" in a.text for a in figure.layout.annotations)


def test_rate_figure_fills_quarters_and_marks_events():
    df = pl.DataFrame(
        {
            "period": ["2020Q1", "2020Q3"],
            "n_cases": [2, 1],
            "n_all": [1000, 500],
            "rate_per_100k": [200.0, 200.0],
        }
    )
    f = plotly_figure(
        rate_per_100k.rate_figure(df, EVENTS, show_events=True, date_label="receipt by FDA")
    )
    assert [t.type for t in f.data] == ["bar", "scatter", "scatter"]
    assert list(f.data[0].x) == ["2020Q1", "2020Q2", "2020Q3"]
    assert list(f.data[0].y) == [2, 0, 1]
    assert list(f.data[1].y) == [200.0, None, 200.0]  # no background in 2020Q2: no rate
    assert list(f.data[2].x) == ["2020Q2"]  # the 2001 event is outside the range
    assert list(f.data[2].text) == [  # a year-precision date is not shown as 1 January
        "A warning<br>2020 (month not known), regulatory<br>"
        "checked only against a third-party restatement"
    ]
    assert f.layout.title.text == "Kratom cases and rate per 100,000 FAERS cases"
    assert f.layout.xaxis2.title.text == "Quarter (receipt by FDA)"
    assert (f.layout.yaxis.title.text, f.layout.yaxis2.title.text) == ("Cases", "Per 100,000")
    hidden = plotly_figure(
        rate_per_100k.rate_figure(df, EVENTS, show_events=False, date_label="receipt by FDA")
    )
    assert len(hidden.data) == 2


def test_rate_figure_empty_when_no_kratom_case():
    df = pl.DataFrame({"period": ["2020Q1"], "n_cases": [0], "n_all": [10], "rate_per_100k": [0.0]})
    assert is_empty_state(
        plotly_figure(rate_per_100k.rate_figure(df, EVENTS, show_events=True, date_label="x"))
    )
    assert is_empty_state(
        plotly_figure(
            rate_per_100k.rate_figure(df.head(0), EVENTS, show_events=True, date_label="x")
        )
    )


def test_event_group_figure_small_multiples():
    df = pl.DataFrame(
        {
            "year": [2018, 2020, 2020],
            "event_group": ["death", "death", "seizure"],
            "n_cases": [1, 3, 1],
            "n_year": [1, 4, 4],
        }
    )
    f = plotly_figure(
        event_group_years.event_group_figure(df, {"death": "Death", "seizure": "Seizure"})
    )
    assert [t.type for t in f.data] == ["bar", "bar"]
    assert [a.text for a in f.layout.annotations] == ["Death", "Seizure"]  # largest first
    assert list(f.data[0].x) == [2018, 2019, 2020]
    assert list(f.data[0].y) == [1, 0, 3]
    assert f.data[0].text[2] == "3 (75.0%)"  # share of the year's 4 cases
    assert f.layout.title.text == "Kratom cases per year, by event group"
    assert f.layout.title.subtitle.text is None  # no newest file given: nothing to mark
    assert is_empty_state(plotly_figure(event_group_years.event_group_figure(df.head(0), {})))
    part = plotly_figure(event_group_years.event_group_figure(df, {}, latest_quarter="2020Q2"))
    assert part.layout.title.subtitle.text == "2020: receipts of Q1–Q2 only (the newest file)"
    whole = plotly_figure(event_group_years.event_group_figure(df, {}, latest_quarter="2020Q4"))
    assert whole.layout.title.subtitle.text is None


def test_dating_figure_two_lines():
    df = pl.DataFrame({"period": ["2020Q1", "2020Q3"], "n_received": [0, 2], "n_event": [1, 1]})
    f = plotly_figure(receipt_vs_event.dating_figure(df, EVENTS, show_events=False))
    assert [t.name for t in f.data] == ["Received by FDA", "Event date"]
    assert list(f.data[0].y) == [0, 0, 2] and list(f.data[1].y) == [1, 0, 1]
    assert f.layout.xaxis.title.text == "Quarter"
    assert f.layout.yaxis.title.text == "Cases (deduplicated)"
    assert is_empty_state(
        plotly_figure(receipt_vs_event.dating_figure(df.head(0), EVENTS, show_events=True))
    )


def test_dating_figure_leaves_quarters_outside_the_filter_empty():
    # a received-date filter 2020Q2-2020Q3 kept these cases; their events reach 2020Q1 and Q4
    df = pl.DataFrame(
        {
            "period": ["2020Q1", "2020Q2", "2020Q3", "2020Q4"],
            "n_received": [0, 3, 0, 0],
            "n_event": [2, 0, 0, 1],
        }
    )
    kwargs = {"show_events": False, "date_from": "2020Q2", "date_to": "2020Q3"}
    f = plotly_figure(receipt_vs_event.dating_figure(df, EVENTS, **kwargs))
    assert list(f.data[0].y) == [None, 3, 0, None]  # 2020Q3 is inside: a true 0
    assert list(f.data[1].y) == [2, 0, 0, 1]
    bands = [(s.x0, s.x1, s.showlegend) for s in f.layout.shapes]
    assert bands == [(-0.5, 0.5, True), (2.5, 3.5, False)]  # one legend entry
    assert f.layout.shapes[0].name == "Outside the received-date filter"
    event = plotly_figure(receipt_vs_event.dating_figure(df, EVENTS, date_field="event", **kwargs))
    assert list(event.data[0].y) == [0, 3, 0, 0]
    assert list(event.data[1].y) == [None, 0, 0, None]
    assert event.layout.shapes[0].name == "Outside the event-date filter"
    unfiltered = plotly_figure(receipt_vs_event.dating_figure(df, EVENTS, show_events=False))
    assert list(unfiltered.data[0].y) == [0, 3, 0, 0] and not unfiltered.layout.shapes


def test_dating_chart_of_a_received_range_by_hand(model_page):
    # from 2021Q2 by receipt: 900005 and 900006 (received 2021Q4), events 2021Q3 and 2021Q1;
    # 2021Q1 is before the range: nothing was received there that the filter kept
    dating = plotly_figure(model_page("trends").update("from=2021Q2&marks=false")[4])
    assert list(dating.data[0].x) == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert list(dating.data[0].y) == [None, 0, 0, 2]
    assert list(dating.data[1].y) == [1, 0, 1, 0]
    # grey: 2021Q1, before the range; amber: 2021Q4, the newest file's quarter, still filling
    # in by event (the one kratom case dated to the day, 900001, arrived a quarter later)
    assert [(s.x0, s.x1) for s in dating.layout.shapes] == [(-0.5, 0.5), (2.5, 3.5)]
    assert dating.layout.shapes[1].name.startswith("Event line still filling in: 100% ")


def test_dating_chart_of_an_event_range_by_hand(model_page):
    # events up to 2021Q2: 900001 (event 2012Q1, received 2012Q2), 900006 (2021Q1, 2021Q4)
    dating = plotly_figure(model_page("trends").update("date=event&to=2021Q2&marks=false")[4])
    periods = list(dating.data[1].x)
    assert (periods[0], periods[-1], len(periods)) == ("2012Q1", "2021Q4", 40)
    event = dict(zip(periods, dating.data[1].y, strict=True))
    assert (event["2012Q1"], event["2021Q1"], event["2021Q2"]) == (1, 1, 0)
    assert (event["2021Q3"], event["2021Q4"]) == (None, None)  # after the range: gaps
    assert sum(n for n in event.values() if n) == 2
    received = dict(zip(periods, dating.data[0].y, strict=True))
    assert (received["2012Q2"], received["2021Q4"], sum(received.values())) == (1, 1, 2)
    assert [(s.x0, s.x1) for s in dating.layout.shapes] == [(37.5, 39.5), (38.5, 39.5)]
    assert dating.layout.shapes[0].name == "Outside the event-date filter"
    assert dating.layout.shapes[1].legendgroup == "filling-in"  # 2021Q4, the newest file's


def test_lag_figure_bins_and_median():
    df = pl.DataFrame({"lag_days": [-3, 10, 40, 400], "n_cases": [1, 2, 1, 1]})
    f = plotly_figure(reporting_lag.lag_figure(df))
    assert f.layout.title.text == "Reporting lag (median 10 days)"
    counts = dict(zip(f.data[0].x, f.data[0].y, strict=True))
    assert counts["Negative (date error)"] == 1
    assert counts["0–30 d"] == 2 and counts["31–90 d"] == 1 and counts["1–2 y"] == 1
    assert sum(counts.values()) == 5
    assert f.data[0].text[1] == "2 (40.0%)"
    no_negative = plotly_figure(reporting_lag.lag_figure(df.filter(pl.col("lag_days") >= 0)))
    assert "Negative (date error)" not in no_negative.data[0].x
    assert is_empty_state(plotly_figure(reporting_lag.lag_figure(df.head(0))))


@pytest.mark.parametrize(
    ("lags", "counts", "median"),
    [([10, 20], [1, 2], 20), ([10, 30], [1, 1], 20), ([5], [3], 5), ([], [], None)],
)
def test_median_lag_is_weighted(lags, counts, median):
    df = pl.DataFrame(
        {"lag_days": lags, "n_cases": counts}, schema={"lag_days": pl.Int64, "n_cases": pl.Int64}
    )
    assert reporting_lag.median_lag(df) == median


def test_on_a_synthetic_file_the_background_says_it_is_small(monkeypatch, openfda_model_db):
    """The demo's invented background is far smaller than FAERS's: its rates run high. The
    model fixture's quarters each have 2 background cases (2012Q2, 2013Q1, 2021Q4 above), so
    the median is 2; 2022Q1 and 2020Q1 (openFDA only) have none and do not count."""
    monkeypatch.setitem(runtime._state, "db", Database(openfda_model_db))
    page = isolated_page("trends", monkeypatch)
    background, *_ = page.update("marks=false")
    assert "synthetic" not in background  # the fixture is not flagged synthetic
    monkeypatch.setattr(page.runtime, "is_synthetic", lambda db: True)
    background, *_ = page.update("source=faers-quarterly&source=openfda-faers&marks=false")
    assert background == (
        "Rate denominator: All cases (kratom or not), all dates, from FAERS quarterly files."
        + page.OPENFDA_NOT_IN_RATE
        + page.SYNTHETIC_BACKGROUND.format(n="2")
    )
    frame = pl.DataFrame(
        {"n_all": [None, 0, 1_000, 1_500, 1_600, 2_000]}, schema={"n_all": pl.Int64}
    )
    assert page.median_background(frame) == 1_550  # of 1,000 to 2,000: null and 0 left out
    assert page.median_background(frame.head(5)) == 1_500
    background, *_ = page.update("source=openfda-caers&marks=false")
    assert background == page.NO_RATE  # no background, nothing to say about its size
