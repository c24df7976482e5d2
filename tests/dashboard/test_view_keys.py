"""The pages' own controls as view keys of the link, through the real layouts and callbacks.

Event types' `top` and `split`, Signals' `level`, `plot` and `term`, Cases' `sort` and `page`,
Overview's and Trends' `marks` (docs/dashboard.md "How a page works", step 5): the layout sets
the control from the link, the data callbacks read the link, and the control's callback writes
the link only when it differs from what the page shows. Over the hand-counted model fixture
(tests/fixtures/model/README.md; kratom cases 900001, 900005, 900006), and for two pages of
cases over tests/paged_quarter.py (60 kratom cases).
"""

from __future__ import annotations

import dash._callback as dash_callbacks
import pytest
from dash import html, no_update

from dashboard import callbacks, link_writers, runtime
from dashboard.db import Database
from dashboard.filters import Filters
from tests.dashboard.helpers import (
    dash_page,
    find_component,
    isolated_page,
    plotly_figure,
    text_of,
)
from tests.paged_quarter import case_aged

RAW = callbacks.RAW_SEARCH  # the router hands each layout the raw query under this keyword


@pytest.fixture
def pages(model_db, monkeypatch):
    """The page modules as Dash imports them; the app's database is the model fixture."""
    dash_page(model_db, "pages.events")
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    import sys

    return {name: sys.modules[f"pages.{name}"] for name in PAGES}


PAGES = ("events", "signals", "cases", "overview", "trends")


def words(component) -> str:
    return " ".join(text_of(component).split())


# Event types: top --------------------------------------------------------------------------------


def test_events_top_comes_from_the_link(pages):
    events = pages["events"]
    layout = events.layout(**{RAW: "?role=primary&top=50"})
    assert find_component(layout, "events-top").value == 50
    assert find_component(layout, "events-top").options[2] == {"label": "50", "value": 50}
    pts = plotly_figure(events.update("role=primary&top=10")[0])
    assert pts.layout.title.text.startswith("Top 10 preferred terms")
    assert plotly_figure(events.update("top=30")[0]).layout.title.text.startswith("Top 20")


def test_events_top_writes_the_link(pages):
    write = pages["events"].top_to_url
    assert write(50, "?role=primary") == "?role=primary&top=50"
    assert write(20, "?role=primary&top=50") == "?role=primary"
    assert write(20, "?top=50") == ""  # the default: the query is cleared, not left alone
    assert write(50, "?top=50") is no_update  # the page was drawn from this link
    assert write(20, "?top=30") is no_update  # a bad value shows the default: nothing to write
    for hostile in ("50", 30, None, [50], True):
        assert write(hostile, "?role=primary") is no_update


def test_events_split_comes_from_the_link_and_writes_it(pages):
    events = pages["events"]
    layout = events.layout(**{RAW: "?role=primary&split=opioid"})
    assert find_component(layout, "events-split").value == "opioid"
    assert [o["value"] for o in find_component(layout, "events-split").options] == [
        "product",
        "alone",
        "opioid",
        "sex",
        "age",
    ]
    title = plotly_figure(events.update_comparison("split=sex")[0]).layout.title.text
    assert title == "Event groups compared across sex"
    write = events.split_to_url
    assert write("age", "?role=primary&top=50") == "?role=primary&top=50&split=age"
    assert write("product", "?split=age") == ""  # the default: left out of the link
    assert write("sex", "?split=sex") is no_update
    assert write("product", "?split=drug") is no_update  # a bad value shows the default
    for hostile in ("Sex", 1, None, ["sex"], True):
        assert write(hostile, "?role=primary") is no_update


# Signals: level, plot, term ----------------------------------------------------------------------


def test_signals_controls_come_from_the_link(pages):
    layout = pages["signals"].layout(**{RAW: "?level=event_group&plot=ror_lower&term=death"})
    assert find_component(layout, "signals-level").value == "event_group"
    assert find_component(layout, "signals-order").value == "ror_lower"
    assert find_component(layout, "signals-grid").getRowId == "params.data.term"


def test_signals_term_selects_its_row_and_draws_its_history(pages):
    signals = pages["signals"]
    # suspect, by event group: 900001 dependence_withdrawal; 900005 death, overdose_toxicity
    rows, forest, notes, selected, scroll = signals.update(
        "role=suspect&level=event_group&plot=ror_lower&term=overdose_toxicity"
    )
    assert sorted(r["term"] for r in rows) == [
        "death",
        "dependence_withdrawal",
        "overdose_toxicity",
    ]
    assert selected == [{"term": "overdose_toxicity"}]
    assert scroll == {"rowId": "overdose_toxicity", "rowPosition": "middle"}
    assert plotly_figure(forest).layout.title.text.endswith("top 30 by highest lower bound")
    assert "ignored" not in text_of(notes)
    history = plotly_figure(signals.history("level=event_group&term=overdose_toxicity", rows))
    assert history.layout.title.text == "Cumulative ROR by year: Overdose and toxicity"  # its label


def test_a_term_no_row_has_draws_the_first_row_with_a_note(pages):
    signals = pages["signals"]
    rows, _, notes, selected, scroll = signals.update("role=suspect&term=Somnolence")
    # Somnolence is 900006's, whose kratom is concomitant: no suspect row
    terms = [r["term"] for r in rows]
    assert terms[0] == "Death" and "Somnolence" not in terms
    assert (selected, scroll) == ([], no_update)
    note = find_component(html.Div(notes), "signals-term-note")
    assert words(note).startswith(
        "A link parameter was ignored: ignored 'term=Somnolence': no row of this table has that "
        "term; the history below is the first row's"
    )
    link = [c for c in note.children if getattr(c, "href", None)]
    assert [c.href for c in link] == ["/signals?role=suspect"]
    history = plotly_figure(signals.history("role=suspect&term=Somnolence", rows))
    assert history.layout.title.text == "Cumulative ROR by year: Death"


def test_signals_controls_write_the_link(pages):
    write = pages["signals"].controls_to_url  # (level, plot, selected rows, search)
    # a new level drops the row of the other level
    assert write("event_group", "a", [{"term": "Death"}], "?role=suspect&term=Death") == (
        "?role=suspect&level=event_group"
    )
    assert write("pt", "a", [{"term": "death"}], "?level=event_group&term=death") == ""
    assert write("pt", "ror_lower", [], "?sex=F") == "?sex=F&plot=ror_lower"
    assert write("pt", "a", [], "?plot=ror_lower") == ""
    clicked = [{"term": "Somnolence", "a": 1, "screens": "none"}]
    assert write("pt", "a", clicked, "?sex=F&term=Death") == "?sex=F&term=Somnolence"
    # as the link drew the page: the layout's level and plot, then the link's own row selected
    assert write("event_group", "a", None, "?level=event_group&term=death") is no_update
    assert write("event_group", "a", [{"term": "death"}], "?level=event_group&term=death") is (
        no_update
    )
    assert write("pt", "a", [], "?term=Notaterm") is no_update  # no row has it: none selected
    for hostile in (None, "Death", [{"term": 5}], [["Death"]], [{"term": "a\x00b"}]):
        assert write("pt", "a", hostile, "?sex=F") is no_update
    for hostile in ("PT", None, 1):
        assert write(hostile, "a", [], "") is no_update
        assert write("pt", hostile, [], "") is no_update


# Cases: sort and page ----------------------------------------------------------------------------


def grid(layout):
    return find_component(layout, "cases-grid")


def sorted_columns(layout) -> list[tuple[str, str]]:
    return [(c.get("colId", c["field"]), c["sort"]) for c in grid(layout).columnDefs if "sort" in c]


def test_cases_grid_opens_on_the_links_sort_and_page(paged_db, pages, monkeypatch):
    monkeypatch.setitem(runtime._state, "db", Database(paged_db))
    cases = pages["cases"]
    layout = cases.layout(**{RAW: "?sort=age_years:asc&page=2"})
    assert sorted_columns(layout) == [("age_years", "asc")]
    options = grid(layout).dashGridOptions
    assert options["initialState"] == {"pagination": {"page": 1}}  # AG Grid counts from 0
    assert options["infiniteInitialRowCount"] == 51  # so that its first request is page 2's
    assert find_component(layout, "cases-page-note") is None
    default = cases.layout(**{RAW: ""})
    assert sorted_columns(default) == [("received_date", "desc")]
    assert grid(default).dashGridOptions["initialState"] == {"pagination": {"page": 0}}
    # the rows the grid then asks for: ages 51-60, by construction
    answer = cases.update_rows(
        {"startRow": 50, "endRow": 100, "sortModel": [{"colId": "age_years", "sort": "asc"}]},
        "sort=age_years:asc&page=2",
    )
    assert [r["case_id"] for r in answer["rowData"]] == [case_aged(a) for a in range(51, 61)]


def test_a_page_past_the_last_opens_page_one_with_a_note(paged_db, pages, monkeypatch):
    monkeypatch.setitem(runtime._state, "db", Database(paged_db))
    layout = pages["cases"].layout(**{RAW: "?sex=F&page=3"})  # 60 cases: 2 pages
    assert grid(layout).dashGridOptions["initialState"] == {"pagination": {"page": 0}}
    note = find_component(layout, "cases-page-note")
    assert words(note).startswith(
        "A link parameter was ignored: ignored 'page=3': these filters give 1 page; showing page 1"
    )  # 30 women of 60 cases: one page
    assert [c.href for c in note.children if getattr(c, "href", None)] == ["/cases?sex=F"]


def test_model_cases_have_one_page(pages):
    layout = pages["cases"].layout(**{RAW: "?page=2"})  # 3 kratom cases
    assert "these filters give 1 page; showing page 1" in text_of(layout)


STATE_AGE_ASC = [
    {"colId": "case_id", "sort": None, "sortIndex": None},
    {"colId": "age_years", "sort": "asc", "sortIndex": 0},
]


def info(page: int) -> dict:
    return {"currentPage": page, "totalPages": 2, "pageSize": 50, "rowCount": 60}


def opened(page: int) -> dict:
    return {"initialState": {"pagination": {"page": page}}, "pagination": True}


def test_sorting_and_paging_write_the_link(pages):
    write = pages["cases"].grid_to_url
    link = "?sex=F&sort=age_years:asc"
    assert write(STATE_AGE_ASC, info(1), link, opened(0)) == "?sex=F&sort=age_years:asc&page=2"
    assert write(STATE_AGE_ASC, info(0), link + "&page=2", opened(1)) == link
    # a new sort: back to page 1
    desc = [{"colId": "age_years", "sort": "desc", "sortIndex": 0}]
    assert write(desc, info(1), link + "&page=2", opened(1)) == "?sex=F&sort=age_years:desc"
    newest = [{"colId": "received_date", "sort": "desc", "sortIndex": 0}]
    assert write(newest, info(0), link, opened(0)) == "?sex=F"
    assert write([], info(0), link, opened(0)) == "?sex=F"  # no sorted column: the default


def test_the_grid_as_the_link_drew_it_writes_nothing(pages):
    write = pages["cases"].grid_to_url
    link = "?sort=age_years:asc&page=2"
    assert write(None, None, link, opened(1)) is no_update  # the layout's (no state yet)
    assert write(STATE_AGE_ASC, info(1), link, opened(1)) is no_update
    # a page past the last opened page 1 (with a note): page 1 is what the page shows
    assert write(STATE_AGE_ASC, info(0), "?sort=age_years:asc&page=9", opened(0)) is no_update
    for state, pagination, options in (
        ("age_years", info(1), opened(0)),
        ([{"colId": "events", "sort": "asc"}], None, opened(0)),  # not a sortable column
        (STATE_AGE_ASC, {"currentPage": "1"}, opened(0)),
        (STATE_AGE_ASC, {"currentPage": -1}, opened(0)),
        (STATE_AGE_ASC, info(1), None),
        (STATE_AGE_ASC, info(10**9), opened(0)),  # past the pages a link can hold
    ):
        assert write(state, pagination, link, options) is no_update, (state, pagination)


# Overview and Trends: marks ----------------------------------------------------------------------


def triangles(figure: dict) -> int:
    data = plotly_figure(figure).data
    return sum(1 for t in data if getattr(t.marker, "symbol", None) == "triangle-down")


@pytest.mark.parametrize(("name", "figure"), [("overview", 5), ("trends", 1)])
def test_marks_come_from_the_link_and_write_it(pages, name, figure):
    page = pages[name]
    layout = page.layout(**{RAW: "?sex=F&marks=false"})
    assert find_component(layout, f"{name}-show-events").value is False
    assert find_component(page.layout(**{RAW: ""}), f"{name}-show-events").value is True
    assert triangles(page.update("")[figure]) > 0  # the model fixture's timeline is drawn
    assert triangles(page.update("marks=false")[figure]) == 0
    assert page.marks_to_url(False, "?sex=F") == "?sex=F&marks=false"
    assert page.marks_to_url(True, "?marks=false") == ""
    assert page.marks_to_url(True, "?sex=F") is no_update
    for hostile in ("false", None, 0, []):
        assert page.marks_to_url(hostile, "?sex=F") is no_update


# Changing the cases selected goes back to the first page -----------------------------------------


def test_a_new_selection_goes_back_to_the_first_page():
    base = Filters(sexes=("F",), cases_page=3, cases_sort="age_years:asc", events_top=50)
    values = callbacks.control_values(base)
    assert callbacks.filters_from_controls(values, base) == base  # nothing changed: same page
    sex = list(callbacks.CONTROLS.values()).index("sexes")
    values[sex] = ["M"]
    assert callbacks.filters_from_controls(values, base) == base.with_changes(
        sexes=("M",), cases_page=1
    )
    click = {"points": [{"customdata": ["pts", "Death"]}]}
    assert (
        link_writers.search_with_click("?sex=F&sort=age_years:asc&page=3", click, ("pts",))
        == "?sex=F&pt=Death&sort=age_years:asc"
    )


@pytest.mark.parametrize("name", ["overview", "trends", "events", "signals", "cases"])
def test_an_isolated_page_registers_no_callback(monkeypatch, name):
    # a page's URL writers made by a helper (link_writers.view_control_to_url) must go through
    # dash.callback as patched, or they pile up in Dash's lists and break the e2e app after
    before = len(dash_callbacks.GLOBAL_CALLBACK_LIST)
    isolated_page(name, monkeypatch)
    assert len(dash_callbacks.GLOBAL_CALLBACK_LIST) == before
