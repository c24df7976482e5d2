"""Indications page: queries against the hand-counted model fixture, figures on tiny frames.

Hand counts (tests/fixtures/model/README.md): three kratom cases, each with one indication on
its kratom drug:
  900001 Pain (pain)                                    events: dependence_withdrawal
  900005 Drug withdrawal syndrome (drug_withdrawal)     events: death, overdose_toxicity; died
  900006 Product used for unknown indication (unknown)  events: cognitive_neurological
900001 was received in 2012Q2, 900005 and 900006 in 2021Q4.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import indications as fig
from dashboard.filters import Filters
from dashboard.queries import indications as q
from tests.dashboard.helpers import plotly_figure

REFERENCE = Path(__file__).parents[2] / "etl" / "reference" / "indication_groups.csv"


def rows(df: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in df.rows()]


# --- queries ---


def test_indication_summary(db):
    assert q.indication_summary(db, Filters()) == {
        "n_cases": 3,
        "n_with_indication": 3,
        "n_only_unknown": 1,
    }
    assert q.indication_summary(db, Filters(outcomes=("death",))) == {
        "n_cases": 1,
        "n_with_indication": 1,
        "n_only_unknown": 0,
    }


def test_indication_groups(db):
    assert rows(q.indication_groups(db, Filters())) == [
        ("drug_withdrawal", 1, 3),
        ("pain", 1, 3),
        ("unknown", 1, 3),
    ]
    assert rows(q.indication_groups(db, Filters(date_from="2013Q1"))) == [
        ("drug_withdrawal", 1, 2),
        ("unknown", 1, 2),
    ]


def test_top_indications(db):
    assert rows(q.top_indications(db, Filters())) == [
        ("Drug withdrawal syndrome", "drug_withdrawal", 1, 3),
        ("Pain", "pain", 1, 3),
        ("Product used for unknown indication", "unknown", 1, 3),
    ]
    assert rows(q.top_indications(db, Filters(), limit=1)) == [
        ("Drug withdrawal syndrome", "drug_withdrawal", 1, 3)
    ]


def test_indication_event_matrix(db):
    assert rows(q.indication_event_matrix(db, Filters())) == [
        ("drug_withdrawal", "death", 1, 1),
        ("drug_withdrawal", "overdose_toxicity", 1, 1),
        ("pain", "dependence_withdrawal", 1, 1),
        ("unknown", "cognitive_neurological", 1, 1),
    ]


def test_no_matching_case_gives_empty_answers(db):
    f = Filters(sources=("openfda-faers",))
    assert q.indication_summary(db, f) == {
        "n_cases": 0,
        "n_with_indication": 0,
        "n_only_unknown": 0,
    }
    assert q.indication_groups(db, f).is_empty()
    assert q.top_indications(db, f).is_empty()
    assert q.indication_event_matrix(db, f).is_empty()


def test_population_all_link_still_counts_kratom_cases(db):
    assert rows(q.indication_groups(db, Filters(population="all"))) == rows(
        q.indication_groups(db, Filters())
    )


# --- figures ---


def is_empty_state(figure: go.Figure) -> bool:
    return any(a.text == EMPTY_MESSAGE or "No case" in a.text for a in figure.layout.annotations)


def test_every_indication_group_has_a_readable_label():
    reviewed = pl.read_csv(REFERENCE)["indication_group"].unique().to_list()
    assert sorted(fig.INDICATION_LABELS) == sorted(reviewed)
    assert all("_" not in label for label in fig.INDICATION_LABELS.values())


def test_groups_figure_puts_unusable_answers_last():
    groups = pl.DataFrame(
        {
            "indication_group": ["unknown", "pain", "sleep"],
            "n_cases": [5, 3, 1],
            "n_total": [20, 20, 20],
        }
    )
    f = plotly_figure(fig.groups_figure(groups, n_not_given=11, n_total=20))
    bar = f.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == ["Pain", "Sleep", "Unknown indication", fig.NOT_GIVEN]
    assert list(bar.x) == [3, 1, 5, 11]
    assert list(bar.text) == ["3 (15.0%)", "1 (5.0%)", "5 (25.0%)", "11 (55.0%)"]
    assert list(bar.marker.color)[2:] == [fig.MUTED, fig.MUTED]
    assert f.layout.title.text == "What kratom was reported as taken for"
    assert f.layout.xaxis.title.text == "Kratom cases"
    assert is_empty_state(plotly_figure(fig.groups_figure(groups.head(0), 0, 0)))


def test_top_terms_figure():
    top = pl.DataFrame(
        {
            "indication_pt": ["Pain", "Product used for unknown indication"],
            "indication_group": ["pain", "unknown"],
            "n_cases": [4, 2],
            "n_total": [8, 8],
        }
    )
    f = plotly_figure(fig.top_terms_figure(top))
    assert list(f.data[0].y) == ["Pain", "Product used for unknown indication"]
    assert list(f.data[0].customdata) == ["Pain", "Unknown indication"]
    assert list(f.data[0].text) == ["4 (50.0%)", "2 (25.0%)"]
    assert f.layout.xaxis.title.text == "Kratom cases"
    assert is_empty_state(plotly_figure(fig.top_terms_figure(top.head(0))))


def test_matrix_figure_fills_zeros_and_orders_axes():
    matrix = pl.DataFrame(
        {
            "indication_group": ["unknown", "pain", "pain"],
            "event_group": ["death", "seizure", "death"],
            "n_cases": [1, 2, 1],
            "n_indication": [3, 4, 4],
        }
    )
    labels = {"death": "Death", "seizure": "Seizure"}
    f = plotly_figure(fig.matrix_figure(matrix, labels))
    heat = f.data[0]
    assert heat.type == "heatmap"
    assert list(heat.y) == ["Pain", "Unknown indication"]  # the label table's order
    assert list(heat.x) == ["Death", "Seizure"]
    assert [list(r) for r in heat.z] == [[1, 2], [1, 0]]
    assert [list(c) for c in heat.customdata[0]] == [["1 (25.0%)", 4], ["2 (50.0%)", 4]]
    assert heat.customdata[1][0][0] == "1 (33.3%)"
    assert (f.layout.xaxis.title.text, f.layout.yaxis.title.text) == (
        "Event group",
        "Indication for kratom",
    )
    assert is_empty_state(plotly_figure(fig.matrix_figure(matrix.head(0), labels)))
