"""`population=all` (every FAERS case, kratom or not) on each page: labels that say what is
counted, co-exposures that count and divide by the same kratom cases, the notes of the pages
that still show kratom cases, and the kratom criteria greyed out where they do not apply.

Model fixture (tests/fixtures/model/README.md): 6 kept cases; kratom cases 900001 (2012; alcohol;
kratom PS; HO + LT), 900005 (2021; fentanyl; kratom PS; DE) and 900006 (2021; gabapentin; kratom
concomitant; OT), none kratom-only; background 900002, 900004 and 900007, none with an outcome.
"""

from __future__ import annotations

import dash
import pytest
from dash import html

from dashboard import callbacks, components, ids, population, runtime
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import coexposures as qc
from dashboard.queries import overview as qo
from tests.dashboard.helpers import dash_page, isolated_page, plotly_figure, rows, text_of

ALL = Filters(population="all")


@pytest.fixture
def pages(monkeypatch, model_db):
    """Page modules as plain functions over the model fixture: pages("overview")."""
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    return lambda name: isolated_page(name, monkeypatch)


def layout_text(page, query: str) -> str:
    return text_of(page.layout(**{callbacks.RAW_SEARCH: query}))


# --- 1. Overview ---


def test_headline_of_every_case_counts_the_kratom_cases_among_them(db):
    assert qo.headline(db, ALL) == {
        "n_cases": 6,
        "n_serious": 3,  # 900001, 900005, 900006
        "n_deaths": 1,  # 900005
        "n_kratom": 3,
        "n_kratom_only": 0,
    }
    assert qo.headline(db, Filters())["n_kratom"] == 3  # every kratom case names kratom


def test_overview_labels_say_all_drugs_for_population_all(pages):
    page = pages("overview")
    every = layout_text(page, "population=all")
    assert "FAERS cases (all drugs)" in every and population.KRATOM_CASES not in every
    assert "Cases naming kratom" in every and "Kratom the only substance" not in every
    assert "FAERS cases of every drug, kratom or not" in every
    assert "cases naming kratom (latest version" not in every
    kratom = layout_text(page, "")
    assert "Kratom cases" in kratom and "Kratom the only substance" in kratom
    assert "FAERS cases naming kratom (latest version" in kratom


def test_overview_numbers_and_trend_title_for_population_all(pages):
    page = pages("overview")
    n_cases, n_serious, n_deaths, fourth, _, trend, *_ = page.update("population=all&marks=false")
    assert (n_cases, n_serious, n_deaths) == ("6", "3", "1")
    assert text_of(fourth) == "3  (50.0%)"  # kratom cases of all 6, not a kratom-only share
    trend = plotly_figure(trend)
    assert trend.layout.title.text == "FAERS cases (all drugs) by quarter of receipt by FDA"
    assert sum(trend.data[0].y) == 6
    n_cases, _, _, fourth, _, trend, *_ = page.update("marks=false")
    assert (n_cases, fourth) == ("3", "0%")
    assert plotly_figure(trend).layout.title.text == "Kratom cases by quarter of receipt by FDA"


# A co-exposure filter on every case: model.case_substances holds kratom cases' drugs alone, so
# fentanyl and gabapentin match 900005 (kratom PS, fentanyl C; death) and 900006 (kratom C,
# gabapentin PS; other serious), both received in 2021Q4; role=primary does not apply (greyed
# out), so 900006 counts; as kratom cases (population=kratom) role=primary keeps 900005 alone.
WITH_COEXPOSURE = "population=all&role=primary&substance=fentanyl&substance=gabapentin"


def test_overview_of_every_case_with_a_coexposure_says_kratom_cases(pages):
    page = pages("overview")
    text = layout_text(page, WITH_COEXPOSURE)
    assert "Kratom cases (any role)" in text
    assert "FAERS cases (all drugs)" not in text and "FAERS cases of every drug" not in text
    assert "FAERS cases naming kratom, in any role, and a co-exposure the filters choose" in text
    assert "only kratom cases can match its co-exposure filter" in text
    n_cases, n_serious, n_deaths, fourth, _, trend, *_ = page.update(
        WITH_COEXPOSURE + "&marks=false"
    )
    assert (n_cases, n_serious, n_deaths) == ("2", "2", "1")
    assert text_of(fourth) == "2  (100.0%)"  # every case counted names kratom
    trend = plotly_figure(trend)
    assert trend.layout.title.text == "Kratom cases (any role) by quarter of receipt by FDA"
    assert [(x, y) for x, y in zip(trend.data[0].x, trend.data[0].y, strict=True) if y] == [
        ("2021Q4", 2)
    ]
    kratom = WITH_COEXPOSURE.removeprefix("population=all&")
    assert page.update(kratom + "&marks=false")[0] == "1"  # role=primary applies to kratom cases
    assert "Kratom cases (any role)" not in layout_text(page, kratom)
    assert "FAERS cases (all drugs)" in layout_text(page, "population=all&role=primary")


def test_the_filter_panel_note_says_a_coexposure_keeps_kratom_cases():
    assert callbacks.kratom_criteria_state(f"?{WITH_COEXPOSURE}", "/") == (
        True,
        "Not applied here: the link selects every FAERS case (population=all), and its "
        "co-exposure filter keeps kratom cases in any role. Reset the filters to apply these.",
    )


# --- 2. Co-exposures ---


def test_coexposures_of_population_all_count_and_divide_by_kratom_cases(db):
    kratom = [("alcohol", 1, 3), ("fentanyl", 1, 3), ("gabapentin", 1, 3)]
    assert rows(qc.top_coexposures(db, ALL, "substance")) == kratom  # not n_total 6
    assert rows(qc.kratom_only_by_year(db, ALL)) == [("2012", 1, 0), ("2021", 2, 0)]
    assert rows(qc.class_by_event_group(db, ALL)) == rows(qc.class_by_event_group(db, Filters()))
    # the kratom criteria of the link apply, as on Trends and Indications
    assert rows(qc.top_coexposures(db, ALL.with_changes(role="primary"), "substance")) == [
        ("alcohol", 1, 2),
        ("fentanyl", 1, 2),
    ]


def test_coexposures_of_population_all_leave_other_cases_drugs_out(tiny):
    # tiny: kratom cases 1-4; case 5 is not kratom and names fentanyl and alcohol
    every = Filters(population="all")
    assert rows(qc.top_coexposures(tiny, every, "substance")) == [
        ("alcohol", 2, 4),
        ("fentanyl", 2, 4),
        ("gabapentin", 1, 4),
        ("heroin", 1, 4),
    ]
    assert rows(qc.substance_pairs(tiny, every))[0] == ("alcohol", "fentanyl", 2, 4)


def test_coexposures_page_says_population_all_does_not_apply(pages):
    page = pages("coexposures")
    assert "co-exposures are recorded for kratom cases only" in layout_text(page, "population=all")
    assert "population=all" not in layout_text(page, "")
    substances, *_ = map(plotly_figure, page.update("population=all"))
    assert list(substances.data[0].text) == ["1 (33.3%)"] * 3  # of the 3 kratom cases


# --- 3. Trends, Signals (and Indications): kratom cases, said at the top ---


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("trends", "every FAERS case is only the background of the rate"),
        ("signals", "always compares kratom cases with every other FAERS case"),
        ("indications", "indications are recorded for kratom cases only"),
    ],
)
def test_kratom_pages_note_population_all_at_the_top(pages, name, words):
    page = pages(name)
    note = page.layout(**{callbacks.RAW_SEARCH: "population=all"}).children[2]
    assert "Kratom cases only." in text_of(note) and words in text_of(note)
    assert "Kratom cases only." not in layout_text(page, "role=primary")


def test_kratom_pages_are_the_pages_that_show_kratom_cases(model_db):
    dash_page(model_db, "pages.trends")  # the app and its page registry
    paths = {p["path"] for p in dash.page_registry.values()}
    assert set(population.KRATOM_PAGES) <= paths


# --- 4. Event types ---


def test_event_captions_follow_the_population(pages):
    page = pages("events")
    every = layout_text(page, "population=all")
    assert "FAERS cases of every drug (kratom or not, population=all)" in every
    assert "naming kratom" not in every
    assert "FAERS cases naming kratom that report the term" in layout_text(page, "")
    coexposure = layout_text(page, WITH_COEXPOSURE)
    assert "FAERS cases naming kratom, in any role, and a co-exposure the filters choose" in (
        coexposure
    )
    assert "of every drug" not in coexposure


# --- 5. The filter panel: kratom criteria greyed out where ignored ---


@pytest.mark.parametrize(
    ("search", "path", "disabled"),
    [
        ("?population=all", "/", True),
        ("?population=all&role=primary", "/events", True),
        ("?population=all", "/cases", True),
        ("?population=all", "/trends", False),
        ("?population=all", "/coexposures", False),
        ("?population=all", "/signals", False),
        ("", "/", False),
        ("?role=primary", "/events", False),
        (None, {"not": "a path"}, False),  # a hand-made request
        ("?population=all", None, True),
    ],
)
def test_kratom_criteria_are_disabled_where_population_all_ignores_them(search, path, disabled):
    note = population.CRITERIA_IGNORED if disabled else None
    assert callbacks.kratom_criteria_state(search, path) == (disabled, note)


def test_the_kratom_criteria_share_one_fieldset():
    panel = components.filter_panel({})
    (fieldset,) = [c for c in panel.children if getattr(c, "id", None) == ids.F_KRATOM_CRITERIA]
    assert isinstance(fieldset, html.Fieldset)
    inside = {getattr(c, "id", None) for c in fieldset.children}
    assert {ids.F_ROLE, ids.F_KRATOM_ONLY, ids.F_PRODUCT_TYPES} <= inside
