"""Kratom cases per year by product type (Trends): the query on the hand-counted model fixture
(tests/fixtures/model/README.md), the figure on tiny frames and through the page.

Kratom cases and their product: 900001 KRATUM, unspecified (received 2012, event 2012);
900005 7-OH TABLETS, concentrate_7oh (received 2021, event 2021-09); 900006 MITRAGYNA SPECIOSA
LEAF, leaf_powder (received 2021, event 2021-01, year precision). Kratom is the primary suspect
on 900001 and 900005 only. The fixture's newest file is 2021Q4.
"""

from __future__ import annotations

import polars as pl

from dashboard import components
from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import product_years as fig
from dashboard.figures.filling_in import filling_in
from dashboard.figures.part_year import part_year, part_year_sentence
from dashboard.filters import Filters
from dashboard.queries import trends as q
from tests.dashboard.helpers import annotation_texts, plotly_figure, rows


def test_cases_by_year_product_on_the_model_fixture(db):
    assert rows(q.cases_by_year_product(db, Filters())) == [
        (2012, "unspecified", 1),
        (2021, "concentrate_7oh", 1),
        (2021, "leaf_powder", 1),
    ]
    assert rows(q.cases_by_year_product(db, Filters(role="primary"))) == [
        (2012, "unspecified", 1),
        (2021, "concentrate_7oh", 1),
    ]
    # the product filter picks cases; population=all still counts kratom cases only
    assert rows(q.cases_by_year_product(db, Filters(product_types=("leaf_powder",)))) == [
        (2021, "leaf_powder", 1)
    ]
    assert rows(q.cases_by_year_product(db, Filters(population="all"))) == rows(
        q.cases_by_year_product(db, Filters())
    )


FRAME = pl.DataFrame(
    {
        "year": [2019, 2019, 2021, 2021, 2021],
        "product_type": ["leaf_powder", "extract", "leaf_powder", "concentrate_7oh", "odd"],
        "n_cases": [12, 3, 2, 5, 1],
    }
)
LABELS = {"leaf_powder": "Leaf / powder", "extract": "Extract", "concentrate_7oh": "7-OH"}


def test_stacked_counts_and_shares_in_the_filter_order():
    f = plotly_figure(fig.product_year_figure(FRAME, labels=LABELS, date_label="event date"))
    names = [t.name for t in f.data[::2]]
    assert names == ["Leaf / powder", "Extract", "7-OH", "odd"]  # filter order, unknown last
    leaf, leaf_share = f.data[0], f.data[1]
    assert list(leaf.x) == [2019, 2020, 2021]
    assert list(leaf.y) == [12, 0, 2]
    # 2019: 15 cases (12 leaf); 2020: none (a gap below); 2021: 8 cases, fewer than 10: faint
    assert list(leaf_share.y) == [80.0, None, 25.0]
    assert list(leaf_share.marker.opacity) == [1.0, fig.FAINT, fig.FAINT]  # 2020: no bar at all
    assert leaf.hovertext[0] == "12 of 15 cases (80.0%)"
    assert leaf.hovertext[1] == ""
    assert list(f.data[4].y) == [0, 0, 5]  # 7-OH counts
    assert [t.showlegend for t in f.data[1::2]] == [False] * 4  # one legend entry per product
    assert f.layout.barmode == "stack"
    assert f.layout.xaxis2.title.text == "Year (event date)"
    assert not f.layout.annotations


def test_part_year_is_marked_for_receipt_dates():
    f = plotly_figure(
        fig.product_year_figure(FRAME, labels={}, date_label="", latest_quarter="2021Q2")
    )
    (note,) = f.layout.annotations
    # over 2021 (8 cases), at the height of the tallest bar (2019, 15): clear of every bar
    assert (note.text, note.x, note.y) == ("Q1–Q2 only", 2021, 15)
    assert part_year([2021], "2021Q1") == (2021, "Q1 only")
    assert part_year([2021], "2021Q4") is None  # a whole year
    assert part_year([2020], "2021Q2") is None  # the chart stops before it
    assert (
        part_year_sentence([2020, 2021], "2021Q3")
        == "2021: receipts of Q1–Q3 only (the newest file)"
    )
    assert part_year_sentence([2021], "2021Q4") == ""


def test_years_still_filling_in_are_marked_for_event_dates():
    # 10 cases dated to the day: 1 received in its event's quarter, 9 four quarters later: the
    # four newest quarters, 2020Q3 to 2021Q2, are still filling in (2020 and 2021)
    lag = pl.DataFrame({"lag_quarters": [0, 4], "n_cases": [1, 9]})
    recent = filling_in(lag, "2021Q2")
    f = plotly_figure(
        fig.product_year_figure(FRAME, labels={}, date_label="event date", filling_in=recent)
    )
    notes = [(a.text, a.x, a.y) for a in f.layout.annotations]
    # each over its year, at the tallest bar's height (2019: 15 cases), clear of every bar
    assert notes == [("filling in", 2020, 15), ("Q1–Q2 only,<br>filling in", 2021, 15)]


def test_empty_state():
    assert annotation_texts(
        plotly_figure(fig.product_year_figure(FRAME.clear(), labels={}, date_label=""))
    ) == [EMPTY_MESSAGE]


def test_page_draws_the_fixture_by_product(model_page):
    products = plotly_figure(model_page("trends").update("marks=false")[2])
    by_name = {t.name: list(t.y) for t in products.data[::2]}
    labels = components.LABELS["product_types"]
    years = 10  # 2012 … 2021
    assert by_name == {
        labels["leaf_powder"]: [0] * (years - 1) + [1],
        labels["concentrate_7oh"]: [0] * (years - 1) + [1],
        labels["unspecified"]: [1] + [0] * (years - 1),
    }
    assert products.layout.annotations == ()  # the newest file, 2021Q4, closes 2021
