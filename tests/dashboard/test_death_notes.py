"""The three "death" numbers say which field they count and point at each other.

Overview's "Deaths reported" is the serious outcome DE (model.cases.has_death); Event types'
Death event group counts cases reporting a fatal reaction term, and its preferred term Death one
of those terms. On the model fixture (tests/fixtures/model/README.md) they are all 900005 (DE;
Death + Toxicity to various agents), so the numbers agree there; on the demo they are 810, 607
and 447, which is why each page says what it counts.
"""

from __future__ import annotations

from dashboard import callbacks
from dashboard.filter_codes import EVENT_GROUPS
from dashboard.filters import Filters
from dashboard.queries import events as qe
from dashboard.queries import overview as qo
from tests.dashboard.helpers import text_of


def by_id(component, id_: str):
    """The component of a layout tree with this id (None when there is none)."""
    if getattr(component, "id", None) == id_:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        found = by_id(child, id_) if child is not None else None
        if found is not None:
            return found
    return None


def test_the_three_numbers_on_the_fixture(db):
    assert qo.headline(db, Filters())["n_deaths"] == 1  # 900005, outcome DE
    groups = qe.top_terms_by_level(db, Filters(), {"event_group": len(EVENT_GROUPS), "pt": 20})
    by_group = dict(groups["event_group"].select("term", "n_term_cases").iter_rows())
    by_pt = dict(groups["pt"].select("term", "n_term_cases").iter_rows())
    assert (by_group["death"], by_pt["Death"]) == (1, 1)  # 900005's reaction terms


def test_overview_says_deaths_reported_is_the_outcome_not_the_event_group(model_page):
    page = model_page("overview")
    layout = page.layout(**{callbacks.RAW_SEARCH: ""})
    note = text_of(by_id(layout, "overview-deaths-note"))  # just under the headline numbers
    assert note.startswith("Deaths reported: cases whose reporter recorded the serious outcome")
    assert "Death event group" in note and "preferred term Death" in note
    headlines = text_of(layout).split(note)[0]
    assert "Deaths reported" in headlines


def test_event_types_say_which_death_each_chart_counts(model_page):
    text = text_of(model_page("events").layout(**{callbacks.RAW_SEARCH: ""}))
    assert "The term Death counts the cases reporting that reaction term only" in text
    assert "Death here: cases reporting a fatal reaction term" in text
    assert text.count("Overview's 'Deaths reported'") == 2
    assert text.count("the serious outcome 'death' the reporter recorded") == 2
