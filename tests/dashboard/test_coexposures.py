"""Co-exposures page: queries on the hand-counted model fixture and on a tiny hand-made model
(the fixture has no case with two co-reported substances, so pairs need their own: `tiny`, in
conftest.py), figures on tiny frames, the page's callback and click helper.

Model fixture kratom cases (tests/fixtures/model/README.md): 900001 (received 2012; alcohol,
class alcohol; dependence_withdrawal), 900005 (2021; fentanyl, opioids; death and
overdose_toxicity), 900006 (2021; gabapentin, gabapentinoids; cognitive_neurological); kratom
is the primary suspect in 900001 and 900005; none is kratom-only.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import components, runtime
from dashboard.db import Database
from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import coexposures as fig
from dashboard.filters import Filters
from dashboard.queries import coexposures as q
from tests.dashboard.helpers import annotation_texts, isolated_page, plotly_figure, rows

load_page = isolated_page


# --- queries on the model fixture ---


def test_top_substances_and_classes_default(db):
    assert rows(q.top_coexposures(db, Filters(), "substance")) == [
        ("alcohol", 1, 3),
        ("fentanyl", 1, 3),
        ("gabapentin", 1, 3),
    ]
    assert rows(q.top_coexposures(db, Filters(), "class")) == [
        ("alcohol", 1, 3),
        ("gabapentinoids", 1, 3),
        ("opioids", 1, 3),
    ]


def test_top_substances_primary_suspect(db):
    assert rows(q.top_coexposures(db, Filters(role="primary"), "substance")) == [
        ("alcohol", 1, 2),
        ("fentanyl", 1, 2),
    ]


def test_top_substances_with_filters(db):
    assert rows(q.top_coexposures(db, Filters(substances=("Fentanyl",)), "class")) == [
        ("opioids", 1, 1)
    ]
    assert rows(q.top_coexposures(db, Filters(date_to="2012Q4"), "substance")) == [
        ("alcohol", 1, 1)
    ]
    assert q.top_coexposures(db, Filters(kratom_only=True), "substance").is_empty()
    assert q.top_coexposures(db, Filters(), "substance", 1)["term"].to_list() == ["alcohol"]


def test_kratom_only_by_year_default(db):
    assert rows(q.kratom_only_by_year(db, Filters())) == [("2012", 1, 0), ("2021", 2, 0)]
    assert rows(q.kratom_only_by_year(db, Filters(role="primary"))) == [
        ("2012", 1, 0),
        ("2021", 1, 0),
    ]


def test_class_by_event_group_default(db):
    assert rows(q.class_by_event_group(db, Filters())) == [
        ("alcohol", "dependence_withdrawal", 1, 1),
        ("gabapentinoids", "cognitive_neurological", 1, 1),
        ("opioids", "death", 1, 1),
        ("opioids", "overdose_toxicity", 1, 1),
    ]
    assert rows(q.class_by_event_group(db, Filters(event_groups=("death",)))) == [
        ("opioids", "death", 1, 1),
        ("opioids", "overdose_toxicity", 1, 1),
    ]


def test_no_pairs_in_the_model_fixture(db):
    # every fixture case names a single substance besides kratom
    assert q.substance_pairs(db, Filters()).is_empty()


def test_level_comes_from_an_allow_list(db):
    with pytest.raises(ValueError, match="not a substance level"):
        q.top_coexposures(db, Filters(), "drugname")


# --- queries on the tiny model ---


def test_tiny_pairs_count_cases_once(tiny):
    # case 1: alcohol+fentanyl, alcohol+heroin, fentanyl+heroin; case 2: alcohol+fentanyl (its
    # fentanyl twice counts once); case 5 is not a kratom case
    assert rows(q.substance_pairs(tiny, Filters())) == [
        ("alcohol", "fentanyl", 2, 4),
        ("alcohol", "heroin", 1, 4),
        ("fentanyl", "heroin", 1, 4),
    ]
    assert rows(q.substance_pairs(tiny, Filters(), 1)) == [("alcohol", "fentanyl", 2, 4)]
    assert rows(q.substance_pairs(tiny, Filters(date_from="2020Q2"))) == [
        ("alcohol", "fentanyl", 1, 3)
    ]


def test_tiny_distinct_cases_and_kratom_only(tiny):
    assert rows(q.top_coexposures(tiny, Filters(), "class")) == [
        ("alcohol", 2, 4),
        ("opioids", 2, 4),
        ("gabapentinoids", 1, 4),
    ]
    assert rows(q.kratom_only_by_year(tiny, Filters())) == [("2020", 2, 0), ("2021", 2, 1)]
    # on the event date, case 2 has none: its year is unknown
    assert rows(q.kratom_only_by_year(tiny, Filters(date_field="event"))) == [
        ("2020", 1, 0),
        ("2021", 2, 1),
        ("unknown", 1, 0),
    ]


def test_tiny_class_by_event_group_shares(tiny):
    # case 3 (gabapentin) has no event, case 4 (seizure) no co-exposure: neither makes a cell
    assert rows(q.class_by_event_group(tiny, Filters())) == [
        ("alcohol", "death", 1, 2),
        ("alcohol", "overdose_toxicity", 1, 2),
        ("opioids", "death", 1, 2),
        ("opioids", "overdose_toxicity", 1, 2),
    ]


# --- figures ---


def test_coexposure_figure_bars_and_clicks():
    df = pl.DataFrame({"term": ["opioids", "alcohol"], "n_cases": [3, 1], "n_total": [4, 4]})
    f = plotly_figure(
        fig.coexposure_figure(
            df,
            "Co-reported substance classes",
            field="substance_classes",
            y_title="Substance class",
            n_total=4,
            labels={"opioids": "Opioids"},
        )
    )
    (bar,) = f.data
    assert isinstance(bar, go.Bar) and bar.orientation == "h"
    assert list(bar.y) == ["Opioids", "alcohol"]
    assert list(bar.text) == ["3 (75.0%)", "1 (25.0%)"]
    assert [list(c) for c in bar.customdata] == [
        ["substance_classes", "opioids"],
        ["substance_classes", "alcohol"],
    ]
    assert f.layout.title.text == "Co-reported substance classes"
    assert f.layout.xaxis.title.text == "Cases (deduplicated)"
    assert f.layout.yaxis.title.text == "Substance class"


def test_empty_states_say_why():
    empty = pl.DataFrame(schema={"term": pl.String, "n_cases": pl.Int64, "n_total": pl.Int64})
    no_cases = plotly_figure(
        fig.coexposure_figure(empty, "T", field="substances", y_title="", n_total=0)
    )
    only_kratom = plotly_figure(
        fig.coexposure_figure(empty, "T", field="substances", y_title="", n_total=5)
    )
    assert annotation_texts(no_cases) == [EMPTY_MESSAGE]
    assert annotation_texts(only_kratom) == [fig.NONE_CO_REPORTED]
    pairs = plotly_figure(fig.pairs_figure(pl.DataFrame(), n_total=5))
    assert annotation_texts(pairs) == [fig.NO_PAIRS]
    heat = plotly_figure(fig.class_group_heatmap(pl.DataFrame(), n_total=0))
    assert annotation_texts(heat) == [EMPTY_MESSAGE]
    only = plotly_figure(fig.kratom_only_figure(pl.DataFrame(), date_label="receipt by FDA"))
    assert annotation_texts(only) == [EMPTY_MESSAGE]


def test_kratom_only_figure_fills_missing_years():
    df = pl.DataFrame(
        {
            "year": ["2019", "2021", "2022", "unknown"],
            "n_cases": [40, 2, 10, 1],
            "n_kratom_only": [10, 0, 3, 1],
        }
    )
    f = plotly_figure(fig.kratom_only_figure(df, date_label="event date"))
    share, small = f.data  # 10 cases or more; fewer than 10, drawn light
    assert list(share.x) == list(small.x) == ["2019", "2020", "2021", "2022", "date not known"]
    assert list(share.y) == [25.0, None, None, 30.0, None]
    assert list(small.y) == [None, None, 0.0, None, 100.0]
    # n over two short lines: on one, a narrow chart's thin bars shrank it to 6 px
    assert list(share.text) == ["n=<br>40", "", "", "n=<br>10", ""]
    assert list(small.text) == ["", "", "n=<br>2", "", "n=<br>1"]  # 2020: no case, no n
    assert share.hovertext[0] == "10 (25.0%) of 40 cases"
    assert small.hovertext[2] == "0 (0.0%) of 2 cases"
    assert (small.name, share.name) == ("Fewer than 10 cases: share unstable", "10 cases or more")
    assert small.marker.color != share.marker.color
    assert f.layout.barmode == "overlay"  # one bar a year, whichever trace holds it
    assert f.layout.xaxis.title.text == "Year (event date)"
    assert f.layout.yaxis.title.text == "Share of cases (%)"
    # the subtitle in lines that fit the narrowest chart, the margin grown by a line for it
    lines = f.layout.title.subtitle.text.split("<br>")
    assert " ".join(lines) == fig.KRATOM_ONLY_MEANS + fig.KRATOM_ONLY_N
    assert len(lines) == 2 and all(len(line) <= 110 for line in lines)
    assert f.layout.margin.t == 100 + 15
    # room above 100% for the two lines of n; the ticks stop at 100%
    assert f.layout.yaxis.range[1] > 120 and list(f.layout.yaxis.tickvals)[-1] == 100


def test_kratom_only_figure_of_the_model_fixture(db):
    # 900001 received 2012, 900005 and 900006 2021, none kratom-only: 0% of 1 and of 2 cases
    df = q.kratom_only_by_year(db, Filters())
    share, small = plotly_figure(fig.kratom_only_figure(df, date_label="receipt by FDA")).data
    years = [str(y) for y in range(2012, 2022)]
    assert list(small.x) == years
    assert list(small.y) == [0.0] + [None] * 8 + [0.0]  # 2013-2020 have no case: gaps
    assert list(small.text) == ["n=<br>1"] + [""] * 8 + ["n=<br>2"]  # a 0% year shows its n
    assert list(share.y) == [None] * 10  # no year reaches 10 cases


def test_heatmap_grid_order_and_hover():
    df = pl.DataFrame(
        {
            "substance_class": ["alcohol", "opioids", "opioids"],
            "event_group": ["death", "death", "overdose_toxicity"],
            "n_cases": [1, 2, 1],
            "n_class_cases": [1, 4, 4],
        }
    )
    groups = {"overdose_toxicity": "Overdose and toxicity", "death": "Death"}
    f = plotly_figure(
        fig.class_group_heatmap(
            df, n_total=5, class_labels={"opioids": "Opioids"}, group_labels=groups
        )
    )
    (heat,) = f.data
    assert isinstance(heat, go.Heatmap)
    assert list(heat.y) == ["Opioids", "alcohol"]  # the class with more cases first
    assert list(heat.x) == ["Overdose and toxicity", "Death"]  # the groups' display order
    assert [list(r) for r in heat.z] == [[1, 2], [0, 1]]
    assert [list(r) for r in heat.text] == [["1", "2"], ["0", "1"]]  # zero written, as counted
    assert heat.hovertext[0][1] == "2 (50.0%) of the 4 cases with opioids"
    assert heat.hovertext[1][0] == "0 (0.0%) of the 1 case with alcohol"
    assert f.layout.xaxis.title.text == "Event group"
    assert f.layout.yaxis.title.text == "Co-exposure class"


def test_pairs_figure():
    df = pl.DataFrame(
        {
            "substance_a": ["alcohol", "fentanyl"],
            "substance_b": ["fentanyl", "heroin"],
            "n_cases": [2, 1],
            "n_total": [4, 4],
        }
    )
    f = plotly_figure(fig.pairs_figure(df, n_total=4))
    (bar,) = f.data
    assert list(bar.y) == ["alcohol + fentanyl", "fentanyl + heroin"]
    assert list(bar.x) == [2, 1]
    assert list(bar.text) == ["2 (50.0%)", "1 (25.0%)"]
    assert f.layout.yaxis.title.text == "Substance pair"


# --- the page ---


@pytest.fixture
def page(monkeypatch, model_db):
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    return load_page("coexposures", monkeypatch)


def test_page_update_renders_the_model(page):
    substances, classes, only, class_years, heat, pairs = map(
        plotly_figure, page.update("role=primary")
    )
    assert list(substances.data[0].y) == ["alcohol", "fentanyl"]
    assert list(substances.data[0].text) == ["1 (50.0%)", "1 (50.0%)"]
    assert list(classes.data[0].y) == ["Alcohol", "Opioids"]
    assert list(only.data[1].y) == [0.0, *[None] * 8, 0.0]  # 2012 … 2021, 1 case each: light
    # primary suspect: 900001 (2012, alcohol) and 900005 (2021, opioids), one case each year
    assert [a.text for a in class_years.layout.annotations] == ["Alcohol", "Opioids"]
    assert list(class_years.data[1].y) == [100.0, *[None] * 8, 0.0]  # alcohol, light bars
    assert list(class_years.data[3].y) == [0.0, *[None] * 8, 100.0]  # opioids, light bars
    # every event group, in the list's order, the 10 no case reports included
    assert list(heat.data[0].x) == list(components.LABELS["event_groups"].values())
    assert [list(r) for r in heat.data[0].z] == [
        [0, 0, 1] + [0] * 10,  # alcohol (900001): dependence and withdrawal
        [1, 1, 0] + [0] * 10,  # opioids (900005): death, overdose and toxicity
    ]
    assert annotation_texts(pairs) == [fig.NO_PAIRS]


def test_page_update_no_cases(page):
    figures = map(plotly_figure, page.update("from=2014Q1&to=2020Q4"))
    assert all(annotation_texts(f) == [EMPTY_MESSAGE] for f in figures)


def test_click_adds_the_substance_or_class(page):
    click = {"points": [{"customdata": ["substances", "fentanyl"]}]}
    assert page.search_with_click("", click) == "?substance=fentanyl"
    cls = {"points": [{"customdata": ["substance_classes", "opioids"]}]}
    assert page.search_with_click("?class=alcohol", cls) == "?class=opioids&class=alcohol"
    assert page.search_with_click("?class=opioids", cls) is None
    assert page.search_with_click("", {"points": [{"customdata": ["pts", "Death"]}]}) is None
