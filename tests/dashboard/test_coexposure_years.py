"""Co-exposure classes by year: the query on the hand-counted model fixture and the tiny model
of test_coexposures, the small multiples on tiny frames.

Model fixture kratom cases (tests/fixtures/model/README.md): 900001 received 2012 (alcohol),
900005 and 900006 received 2021 (fentanyl: opioids; gabapentin: gabapentinoids).
"""

from __future__ import annotations

import polars as pl

from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import coexposure_years as fig
from dashboard.filters import Filters
from dashboard.queries import coexposures as q
from tests.dashboard.helpers import annotation_texts, plotly_figure, rows


def test_class_by_year_on_the_model_fixture(db):
    assert rows(q.class_by_year(db, Filters())) == [
        ("2012", "alcohol", 1),
        ("2021", "gabapentinoids", 1),
        ("2021", "opioids", 1),
    ]
    assert rows(q.class_by_year(db, Filters(substance_classes=("opioids",)))) == [
        ("2021", "opioids", 1)
    ]


def test_class_by_year_counts_cases_once_and_kratom_cases_only(tiny):
    # cases 1 and 2 (received 2020) each name two opioids or one twice, and alcohol; case 3
    # (2021) gabapentin; case 4 (2021) is kratom-only; case 5 is not a kratom case
    assert rows(q.class_by_year(tiny, Filters())) == [
        ("2020", "alcohol", 2),
        ("2020", "opioids", 2),
        ("2021", "gabapentinoids", 1),
    ]
    # by event date case 2 has none: its classes fall in 'unknown'
    assert rows(q.class_by_year(tiny, Filters(date_field="event"))) == [
        ("2020", "alcohol", 1),
        ("2020", "opioids", 1),
        ("2021", "gabapentinoids", 1),
        ("unknown", "alcohol", 1),
        ("unknown", "opioids", 1),
    ]


BY_YEAR = pl.DataFrame(
    {"year": ["2019", "2021", "unknown"], "n_cases": [20, 4, 2], "n_kratom_only": [0, 0, 0]}
)
BY_CLASS = pl.DataFrame(
    {
        "year": ["2019", "2019", "2021", "unknown"],
        "substance_class": ["alcohol", "opioids", "opioids", "opioids"],
        "n_cases": [5, 8, 3, 1],
    }
)


def test_panels_largest_class_first_with_shares_of_the_year():
    f = plotly_figure(
        fig.class_share_figure(
            BY_CLASS, BY_YEAR, labels={"opioids": "Opioids"}, date_label="event date"
        )
    )
    assert [a.text for a in f.layout.annotations] == ["Opioids", "alcohol"]  # 12 cases, then 5
    opioids, opioids_small, alcohol, alcohol_small = f.data
    years = ["2019", "2020", "2021", "date not known"]
    assert list(opioids.x) == years
    # 2019 has 20 cases (drawn dark); 2021 (4) and unknown (2) fewer than 10 (light); 2020 none
    assert list(opioids.y) == [40.0, None, None, None]
    assert list(opioids_small.y) == [None, None, 75.0, 50.0]
    assert list(alcohol.y) == [25.0, None, None, None]
    assert list(alcohol_small.y) == [None, None, 0.0, 0.0]  # cases that year, none with alcohol
    assert opioids.hovertext[0] == "8 of 20 cases (40.0%)"
    assert alcohol_small.hovertext[2] == "0 of 4 cases (0.0%)"
    assert opioids.marker.color != opioids_small.marker.color
    assert [t.showlegend for t in f.data] == [True, True, False, False]  # one legend entry each
    assert (opioids.xaxis, alcohol.xaxis) == ("x", "x2")
    assert f.layout.xaxis.title.text == "Year (event date)"
    assert list(f.layout.yaxis.range) == [0, 100]


def test_empty_states_say_why():
    empty_class = BY_CLASS.clear()
    no_cases = fig.class_share_figure(empty_class, BY_YEAR.clear(), labels={}, date_label="")
    assert annotation_texts(plotly_figure(no_cases)) == [EMPTY_MESSAGE]
    only_kratom = fig.class_share_figure(empty_class, BY_YEAR, labels={}, date_label="")
    assert annotation_texts(plotly_figure(only_kratom)) == [fig.NONE_CO_REPORTED]
