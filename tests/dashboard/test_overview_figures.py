"""Overview figures on tiny frames, counted by hand; each is validated by plotly's schema."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import runtime
from dashboard.db import Database
from dashboard.figures import EMPTY_MESSAGE, share_text
from dashboard.figures import overview as fig
from dashboard.figures.legends import legend_rows
from dashboard.figures.window import phone_layout
from dashboard.filter_codes import AGE_BANDS
from tests.dashboard.helpers import annotation_texts, isolated_page, plotly_figure

EVENTS = pl.DataFrame(
    {
        "event_date": [dt.date(2001, 1, 1), dt.date(2020, 5, 1)],
        "date_precision": ["day", "month"],
        "label": ["Too early", "A warning"],
        "kind": ["regulatory", "regulatory"],
        "status": ["V", "V-3p"],
    }
)


# The overview's legend with every kind of event (texts 5 + 16 + 17 + 23 + 14 + 17 + 17 chars)
SEVEN_ENTRIES = (
    "Cases",
    "regulatory event",
    "data-format event",
    "events of several kinds",
    "outbreak event",
    "publication event",
    "enforcement event",
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
    # the legend sits between a title pinned on top and the plot, in the rows it takes in the
    # narrowest chart: "Cases" and "regulatory event" one row (was two kept for seven entries)
    assert (f.layout.title.yref, f.layout.title.yanchor, f.layout.margin.t) == (
        "container",
        "top",
        60 + 25,
    )
    hidden = plotly_figure(fig.trend_figure(df, EVENTS, show_events=False, date_label="event date"))
    assert len(hidden.data) == 1
    assert hidden.layout.margin.t is None  # one legend entry: the template's margin
    # on a phone the triangles leave the legend (their hover names the kind), so "Cases" alone
    # would be left: no legend, the template's margin
    with phone_layout():
        phone = plotly_figure(fig.trend_figure(df, EVENTS, show_events=True, date_label="x"))
        assert [t.showlegend for t in phone.data] == [None, False]
        assert phone.layout.showlegend is False and phone.layout.margin.t is None
    # 45 px of symbol and 6.5 px a character an entry (77.5, 149, 155.5, 194.5, 136, 155.5,
    # 155.5 px): rows of 700 px at 768 px take two rows, of 310 px five
    seven = {"data": [{"name": n} for n in SEVEN_ENTRIES], "layout": {}}
    assert legend_rows(seven, px=330) == 5
    assert legend_rows(seven) == 2  # 1,023.5 px of entries in rows of 700 px


def test_outcome_and_breakdown_figures_show_counts_and_shares():
    outcomes = pl.DataFrame(
        {"outcome": ["Death", "Hospitalisation"], "n_cases": [1, 3], "n_total": [4, 4]}
    )
    f = plotly_figure(fig.outcome_figure(outcomes))
    assert list(f.data[0].text) == ["1 (25.0%)", "3 (75.0%)"]
    # shares of every case selected, not of the serious ones: the axis and the hover say so
    assert f.layout.xaxis.title.text == "Cases (% of the 4 kratom cases selected)"
    assert f.data[0].hovertemplate == "%{y}: %{text} of the 4 kratom cases selected<extra></extra>"
    assert f.layout.xaxis.range[1] > 3
    every = plotly_figure(fig.outcome_figure(outcomes, "FAERS cases (all drugs)"))
    assert every.layout.xaxis.title.text == "Cases (% of the 4 FAERS cases (all drugs) selected)"
    sexes = pl.DataFrame({"category": ["F", None], "n_cases": [3, 1], "n_total": [4, 4]})
    b = plotly_figure(fig.breakdown_figure(sexes, "Sex", {"F": "Female"}))
    assert list(b.data[0].y) == ["Female", "Unknown"]  # horizontal bars: categories on y
    assert list(b.data[0].x) == [3, 1]
    assert list(b.data[0].customdata) == ["3 (75.0%)", "1 (25.0%)"]
    assert b.layout.xaxis.title.text == "Cases" and b.layout.xaxis.range[1] > 3


def test_age_breakdown_names_every_band_and_keeps_its_counts_readable():
    # all nine bands in a quarter-width card: upright bars lost every other name (28d-23m,
    # 12-17, 65-74, 85+) and shrank the counts above them to a few pixels
    counts = [470, 2388, 3734, 2437, 33621, 6750, 6882, 4004, 19582]
    ages = pl.DataFrame(
        {"category": list(reversed(AGE_BANDS)), "n_cases": counts[::-1], "n_total": [79868] * 9}
    )
    f = plotly_figure(fig.breakdown_figure(ages, "Age band", order=AGE_BANDS))
    bars = f.data[0]
    assert bars.orientation == "h" and list(bars.y) == list(AGE_BANDS)  # youngest on top
    assert f.layout.yaxis.autorange == "reversed"
    # explicit ticks: plotly does not thin them out as it does its own
    assert f.layout.yaxis.tickmode == "array"
    assert list(f.layout.yaxis.ticktext) == list(AGE_BANDS)
    assert list(bars.text) == [f"{n:,}" for n in counts]
    assert bars.textposition == "outside" and bars.constraintext == "inside"  # never shrunk
    assert f.layout.xaxis.range[1] >= 1.4 * 33621  # room past the longest bar for its count


def test_age_breakdown_draws_every_band_even_without_cases():
    # the demo has no case aged 28d-23m, 2-11 or 85+: those bands were missing, not 0
    ages = pl.DataFrame(
        {"category": ["18-64", "unknown", "12-17"], "n_cases": [5, 2, 1], "n_total": [8, 8, 8]}
    )
    bars = plotly_figure(fig.breakdown_figure(ages, "Age band", order=AGE_BANDS)).data[0]
    assert list(bars.y) == list(AGE_BANDS)
    assert list(bars.x) == [0, 0, 0, 1, 5, 0, 0, 0, 2]
    assert list(bars.text) == ["0", "0", "0", "1", "5", "0", "0", "0", "2"]
    assert bars.customdata[0] == "0 (0.0%)"
    sexes = pl.DataFrame({"category": ["M"], "n_cases": [3], "n_total": [3]})
    assert list(plotly_figure(fig.breakdown_figure(sexes, "Sex")).data[0].y) == ["M"]  # no order


def test_empty_states():
    empty = pl.DataFrame(schema={"period": pl.String, "n_cases": pl.Int64})
    for f in (
        fig.trend_figure(empty, EVENTS, show_events=True, date_label="x"),
        fig.outcome_figure(pl.DataFrame({"outcome": ["Death"], "n_cases": [0], "n_total": [0]})),
        fig.breakdown_figure(pl.DataFrame(), "Sex"),
    ):
        assert annotation_texts(plotly_figure(f)) == [EMPTY_MESSAGE]


def test_overview_page_titles_the_age_card_without_a_unit(monkeypatch, model_db):
    # the bands start in days and months (0-27d, 28d-23m): "Age band (years)" was wrong
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    page = isolated_page("overview", monkeypatch)
    *_, sex, age = page.update("")
    assert plotly_figure(sex).layout.title.text == "Sex"
    assert plotly_figure(age).layout.title.text == "Age band"


def test_overview_outcome_shares_are_of_every_case_selected(monkeypatch, model_db):
    """Model fixture: one death (900005) of 3 kratom cases, or of 6 FAERS cases under
    population=all; the hover names the cases the share is of."""
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    page = isolated_page("overview", monkeypatch)
    for query, words in (
        ("", "of the 3 kratom cases selected"),
        ("population=all", "of the 6 FAERS cases (all drugs) selected"),
    ):
        outcomes = plotly_figure(page.update(query)[6])
        death = list(outcomes.data[0].y).index("Death")
        assert outcomes.data[0].text[death] == share_text(1, int(words.split()[2]))
        assert outcomes.data[0].hovertemplate == f"%{{y}}: %{{text}} {words}<extra></extra>"


def test_trend_figure_says_how_many_selected_cases_it_cannot_draw():
    df = pl.DataFrame(
        {"period": ["2020Q1", "2020Q3"], "n_cases": [2, 5], "n_serious": [1, 5], "n_deaths": [0, 1]}
    )
    f = plotly_figure(
        fig.trend_figure(df, EVENTS, show_events=True, date_label="event date", n_selected=10)
    )
    assert sum(f.data[0].y) == 7
    assert f.layout.title.subtitle.text == (
        "3 of the 10 kratom cases selected give no event date and are not drawn"
    )
    # the title, its subtitle (20) and the legend's one row ("Cases", "regulatory event")
    assert f.layout.margin.t == 60 + 20 + 25
    one = plotly_figure(
        fig.trend_figure(
            df,
            EVENTS,
            show_events=False,
            date_label="receipt by FDA",
            counted="FAERS cases (all drugs)",
            n_selected=8,
        )
    )
    assert one.layout.title.subtitle.text == (
        "1 of the 8 FAERS cases (all drugs) selected gives no date of receipt and is not drawn"
    )
    every = plotly_figure(
        fig.trend_figure(df, EVENTS, show_events=True, date_label="x", n_selected=7)
    )
    assert every.layout.title.subtitle.text is None  # every selected case is drawn
    none_dated = fig.trend_figure(
        df.head(0), EVENTS, show_events=True, date_label="event date", n_selected=1
    )
    assert annotation_texts(plotly_figure(none_dated)) == [
        "1 kratom case selected, none with an event date"
    ]


def test_overview_by_event_date_counts_the_undated_openfda_case(monkeypatch, openfda_model_db):
    """Kratom cases of the quarterly files and openFDA drug/event (tests/etl/test_openfda_model.py):
    900001 (event 2012-03-01), 900005 (2021-09-01), 900006 (2021-01-01) and 900009 (no event
    date): the headline says 4, the bars draw 3, and the chart says so."""
    monkeypatch.setitem(runtime._state, "db", Database(openfda_model_db))
    page = isolated_page("overview", monkeypatch)
    query = "date=event&source=faers-quarterly&source=openfda-faers&marks=false"
    n_cases, *_, trend, _outcomes, _sex, _age = page.update(query)
    trend = plotly_figure(trend)
    assert n_cases == "4"
    # 900005 (7-OH, 2021Q3) is drawn in the 7-OH concentrate bars, stacked on the others
    other, seven_oh = trend.data
    drawn = {x: y for x, y in zip(other.x, other.y, strict=True) if y}
    assert drawn == {"2012Q1": 1, "2021Q1": 1}
    assert {x: y for x, y in zip(seven_oh.x, seven_oh.y, strict=True) if y} == {"2021Q3": 1}
    assert sum(other.y) + sum(seven_oh.y) == 3
    assert trend.layout.title.subtitle.text == (
        "1 of the 4 kratom cases selected gives no event date and is not drawn"
    )
    *_, by_receipt, _outcomes, _sex, _age = page.update(query.replace("=event", "=received"))
    assert plotly_figure(by_receipt).layout.title.subtitle.text is None  # all 4 received


def test_kratom_bars_split_off_the_7oh_concentrate_cases():
    """Of 2, 0 and 5 cases, 0, 0 and 3 had a 7-OH concentrate product: stacked bars of 2, 0, 2
    other and 0, 0, 3 7-OH, each hover with the quarter's whole count."""
    df = pl.DataFrame(
        {
            "period": ["2024Q4", "2025Q2"],
            "n_cases": [2, 5],
            "n_serious": [1, 4],
            "n_deaths": [0, 2],
            "n_7oh": [0, 3],
        }
    )
    f = plotly_figure(
        fig.trend_figure(df, EVENTS, show_events=False, date_label="x", products=True)
    )
    other, seven_oh = f.data
    assert (other.name, seven_oh.name) == (fig.OTHER_KRATOM, fig.SEVEN_OH)
    assert list(other.x) == list(seven_oh.x) == ["2024Q4", "2025Q1", "2025Q2"]
    assert list(other.y) == [2, 0, 2] and list(seven_oh.y) == [0, 0, 3]
    assert [list(c) for c in seven_oh.customdata] == [[2, 1, 0], [0, 0, 0], [5, 4, 2]]
    assert "with a 7-OH concentrate product" in seven_oh.hovertemplate
    assert f.layout.barmode == "stack" and seven_oh.marker.color == fig.SEVEN_OH_COLOUR
    # no 7-OH case (or every drug's cases, products=False): one "Cases" bar as before
    none = df.with_columns(n_7oh=pl.lit(0))
    for frame, products in ((none, True), (df, False)):
        one = plotly_figure(
            fig.trend_figure(frame, EVENTS, show_events=False, date_label="x", products=products)
        )
        assert [t.name for t in one.data] == ["Cases"] and list(one.data[0].y) == [2, 0, 5]


def test_the_overview_splits_the_model_fixtures_7oh_case(monkeypatch, model_db):
    """The model fixture's kratom cases by receipt: 900001 (2012Q2, KRATUM: leaf), 900005
    (2021Q4, 7-OH) and 900006 (2021Q4, Mitragyna): 2021Q4 has 1 other and 1 7-OH case."""
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    page = isolated_page("overview", monkeypatch)
    *_, trend, _outcomes, _sex, _age = page.update("marks=false")
    other, seven_oh = plotly_figure(trend).data
    assert {x: y for x, y in zip(other.x, other.y, strict=True) if y} == {
        "2012Q2": 1,
        "2021Q4": 1,
    }
    assert {x: y for x, y in zip(seven_oh.x, seven_oh.y, strict=True) if y} == {"2021Q4": 1}
    *_, every, _outcomes, _sex, _age = page.update("population=all&marks=false")
    assert [t.name for t in plotly_figure(every).data] == ["Cases"]  # every drug: no split
