"""Event-types page: queries against the hand-counted model fixture, figures on tiny frames.

Kratom cases of the fixture (tests/fixtures/model/README.md): 900001 (received 2012, event
2012-03; Drug dependence + Withdrawal syndrome, both dependence_withdrawal; kratom PS),
900005 (received 2021-10, event 2021-09; Death → death, Toxicity to various agents →
overdose_toxicity; kratom PS), 900006 (received 2021-10, event 2021-01; Somnolence →
cognitive_neurological; kratom concomitant).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import runtime
from dashboard.db import Database
from dashboard.figures import EMPTY_MESSAGE
from dashboard.figures import events as fig
from dashboard.filter_codes import EVENT_GROUPS
from dashboard.filters import Filters
from dashboard.queries import events as q
from tests.dashboard.helpers import annotation_texts, isolated_page, plotly_figure, rows

load_page = isolated_page


# --- queries ---


def test_top_preferred_terms_default(db):
    # (term, year, n_cases, n_year_cases, n_term_cases, n_total): 2012 has 1 case, 2021 has 2
    assert rows(q.top_terms_by_year(db, Filters(), "pt")) == [
        ("Death", "2021", 1, 2, 1, 3),
        ("Drug dependence", "2012", 1, 1, 1, 3),
        ("Somnolence", "2021", 1, 2, 1, 3),
        ("Toxicity to various agents", "2021", 1, 2, 1, 3),
        ("Withdrawal syndrome", "2012", 1, 1, 1, 3),
    ]


def test_event_groups_count_a_case_once(db):
    # 900001's two preferred terms fall in one group: one case, not two
    assert rows(q.top_terms_by_year(db, Filters(), "event_group", len(EVENT_GROUPS))) == [
        ("cognitive_neurological", "2021", 1, 2, 1, 3),
        ("death", "2021", 1, 2, 1, 3),
        ("dependence_withdrawal", "2012", 1, 1, 1, 3),
        ("overdose_toxicity", "2021", 1, 2, 1, 3),
    ]


def test_primary_suspect_leaves_two_cases(db):
    f = Filters(role="primary")  # 900001 and 900005
    assert q.n_cases(db, f) == 2
    assert rows(q.top_terms_by_year(db, f, "pt")) == [
        ("Death", "2021", 1, 1, 1, 2),
        ("Drug dependence", "2012", 1, 1, 1, 2),
        ("Toxicity to various agents", "2021", 1, 1, 1, 2),
        ("Withdrawal syndrome", "2012", 1, 1, 1, 2),
    ]


def test_limit_keeps_the_first_terms_in_order(db):
    # every term has one case: ties are broken alphabetically
    top = q.top_terms_by_year(db, Filters(), "pt", 2)
    assert top["term"].to_list() == ["Death", "Drug dependence"]


def test_event_date_changes_the_years_and_the_range(db):
    # from 2021Q3 on the received date: 900005 and 900006; on the event date: 900005 only
    received = Filters(date_from="2021Q3")
    event = Filters(date_field="event", date_from="2021Q3")
    assert q.n_cases(db, received) == 2
    assert rows(q.top_terms_by_year(db, event, "event_group")) == [
        ("death", "2021", 1, 1, 1, 1),
        ("overdose_toxicity", "2021", 1, 1, 1, 1),
    ]


def test_preferred_term_filter_keeps_the_case_and_all_its_terms(db):
    f = Filters(pts=("Withdrawal syndrome",))  # 900001
    assert rows(q.top_terms_by_year(db, f, "pt")) == [
        ("Drug dependence", "2012", 1, 1, 1, 1),
        ("Withdrawal syndrome", "2012", 1, 1, 1, 1),
    ]
    groups = Filters(event_groups=("death", "cognitive_neurological"))  # 900005, 900006
    assert q.top_terms_by_year(db, groups, "event_group")["term"].to_list() == [
        "cognitive_neurological",
        "death",
        "overdose_toxicity",
    ]


def test_co_exposure_filter_on_event_types(db):
    f = Filters(substance_classes=("opioids",))  # 900005 (fentanyl)
    assert rows(q.top_terms_by_year(db, f, "pt")) == [
        ("Death", "2021", 1, 1, 1, 1),
        ("Toxicity to various agents", "2021", 1, 1, 1, 1),
    ]


def test_no_case_in_range_gives_empty_frames(db):
    f = Filters(date_from="2014Q1", date_to="2020Q4")
    assert q.n_cases(db, f) == 0
    assert q.top_terms_by_year(db, f, "pt").is_empty()


def test_level_comes_from_an_allow_list(db):
    with pytest.raises(ValueError, match="not a term level"):
        q.top_terms_by_year(db, Filters(), "pt; DROP TABLE x")


def test_event_group_labels_in_display_order(db):
    labels = q.event_group_labels(db)
    assert list(labels) == list(EVENT_GROUPS)
    assert labels["dependence_withdrawal"] == "Dependence and withdrawal"
    assert labels["overdose_toxicity"] == "Overdose and toxicity"


# --- figures ---

TERMS = pl.DataFrame(
    {
        "term": ["dependence_withdrawal", "dependence_withdrawal", "death", "death"],
        "year": ["2012", "2021", "2021", "unknown"],
        "n_cases": [1, 1, 1, 1],
        "n_year_cases": [1, 2, 2, 1],
        "n_term_cases": [2, 2, 2, 2],
        "n_total": [4, 4, 4, 4],
    }
)


def test_terms_figure_stacks_years_and_keeps_term_order():
    labels = {"death": "Death", "dependence_withdrawal": "Dependence and withdrawal"}
    f = plotly_figure(
        fig.terms_by_year_figure(
            TERMS, "Event groups", field="event_groups", y_title="Event group", labels=labels
        )
    )
    bars = [t for t in f.data if isinstance(t, go.Bar)]
    assert [b.name for b in bars] == ["2012", "2021", "date not known"]
    assert all(b.orientation == "h" for b in bars)
    assert f.layout.barmode == "stack"
    assert f.layout.title.text == "Event groups"
    assert f.layout.xaxis.title.text == "Cases (deduplicated)"
    assert f.layout.yaxis.title.text == "Event group"
    assert list(f.layout.yaxis.categoryarray) == ["Dependence and withdrawal", "Death"]
    assert [list(c) for c in bars[1].customdata] == [
        ["event_groups", "dependence_withdrawal"],
        ["event_groups", "death"],
    ]
    assert "1 (50.0%) of that year's cases" in bars[1].hovertext[0]
    assert "2 (50.0%) of 4 cases" in bars[1].hovertext[0]
    assert [a.text for a in f.layout.annotations] == ["2 (50.0%)", "2 (50.0%)"]


def test_terms_figure_year_key():
    f = plotly_figure(
        fig.terms_by_year_figure(TERMS, "T", field="pts", y_title="Preferred term (MedDRA)")
    )
    scale = [t for t in f.data if isinstance(t, go.Scatter)]
    assert len(scale) == 1 and scale[0].marker.showscale
    assert (scale[0].marker.cmin, scale[0].marker.cmax) == (2012, 2021)
    bars = {t.name: t for t in f.data if isinstance(t, go.Bar)}
    assert bars["date not known"].marker.color == fig.UNKNOWN_COLOUR
    assert bars["date not known"].showlegend and not bars["2012"].showlegend
    assert bars["2012"].marker.color != bars["2021"].marker.color
    # 2012 to 2021: the ends, and the even years between not within 2 years of either
    assert list(scale[0].marker.colorbar.tickvals) == [2012, 2016, 2018, 2021]


@pytest.mark.parametrize(
    ("first", "last", "every", "ticks"),
    [
        (2004, 2026, 5, [2004, 2010, 2015, 2020, 2026]),  # the demo: 2026 was left unlabelled
        (2004, 2026, 10, [2004, 2010, 2020, 2026]),  # on a phone
        (2020, 2026, 5, [2020, 2021, 2022, 2023, 2024, 2025, 2026]),  # 7 years: each
        (2019, 2026, 5, [2019, 2022, 2026]),
        (2012, 2024, 5, [2012, 2016, 2018, 2020, 2024]),
        (2011, 2024, 5, [2011, 2015, 2020, 2024]),  # 14 years: multiples of 5
        (2021, 2021, 5, [2021]),
    ],
)
def test_the_year_key_names_the_first_and_the_newest_year(first, last, every, ticks):
    assert fig.year_ticks(first, last, every) == ticks


def test_year_colours_follow_the_calendar():
    colours = fig.year_colours(["2021", "2012", "2013"])
    gapped = fig.year_colours(["2012", "2021"])
    assert list(colours) == ["2012", "2013", "2021"]
    assert colours["2012"] == gapped["2012"] and colours["2021"] == gapped["2021"]
    assert fig.year_colours(["unknown"]) == {"unknown": fig.UNKNOWN_COLOUR}


def test_terms_figure_empty_state():
    f = plotly_figure(
        fig.terms_by_year_figure(TERMS.clear(), "Top 20 preferred terms", field="pts", y_title="")
    )
    assert f.layout.title.text == "Top 20 preferred terms"
    assert annotation_texts(f) == [EMPTY_MESSAGE]


def test_chart_height_grows_with_bars():
    assert fig.chart_height(1) == fig.chart_height(5) == 380
    assert fig.chart_height(50) > fig.chart_height(20) > fig.chart_height(10)


# --- the page ---


@pytest.fixture
def page(monkeypatch, model_db):
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    return load_page("events", monkeypatch)


def test_page_update_renders_the_model(page):
    pts, pts_style, groups, _ = page.update("role=primary&top=10")
    pts, groups = plotly_figure(pts), plotly_figure(groups)
    assert pts.layout.title.text == "Top 10 preferred terms"
    assert "receipt by FDA" in pts.layout.title.subtitle.text
    names = {t.name for t in groups.data if isinstance(t, go.Bar)}
    assert names == {"2012", "2021"}
    assert list(groups.layout.yaxis.categoryarray) == [
        "Death",
        "Dependence and withdrawal",
        "Overdose and toxicity",
    ]
    assert pts_style == {"height": "380px"}


def test_page_update_event_date_and_empty(page):
    pts, _, groups, _ = page.update("date=event&from=2014Q1&to=2020Q4")
    pts, groups = plotly_figure(pts), plotly_figure(groups)
    assert annotation_texts(pts) == [EMPTY_MESSAGE]
    assert groups.layout.title.text == "Event groups"


def test_click_adds_the_term_to_its_filter(page):
    click = {"points": [{"customdata": ["pts", "Somnolence"]}]}
    assert page.search_with_click("?role=primary", click) == "?role=primary&pt=Somnolence"
    group = {"points": [{"customdata": ["event_groups", "death"]}]}
    assert page.search_with_click("?event_group=seizure", group) == (
        "?event_group=death&event_group=seizure"
    )


def test_click_that_changes_nothing(page):
    assert (
        page.search_with_click("?pt=Death", {"points": [{"customdata": ["pts", "Death"]}]}) is None
    )
    assert page.search_with_click("", {"points": [{"customdata": ["substances", "x"]}]}) is None
    assert page.search_with_click("", {"points": [{}]}) is None
    assert page.search_with_click("", None) is None
    full = "?" + "&".join(f"pt=T{i}" for i in range(20))
    assert page.search_with_click(full, {"points": [{"customdata": ["pts", "T99"]}]}) is None
