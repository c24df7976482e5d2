"""Latest quarter over the hand-counted model fixture (tests/fixtures/model/README.md): kratom
cases 900001 (first received 2012-04-10, 2012Q2; its kept version from 2013Q1's file; Drug
dependence + Withdrawal syndrome; alcohol; hospitalisation + life-threatening), 900005 (received
2021-10-01, 2021Q4; death; 7-OH concentrate; Death + Toxicity to various agents; fentanyl) and
900006 (2021-10-10, 2021Q4; other serious; leaf/powder; Somnolence; gabapentin). Files loaded:
2012Q2, 2013Q1, 2021Q4."""

from __future__ import annotations

import pytest
from dash import no_update

from dashboard import callbacks, downloads, extracts
from dashboard import latest_tables as tbl
from dashboard.filters import Filters
from dashboard.latest_view import chosen_quarter, compare
from dashboard.queries import latest as q
from tests.dashboard.helpers import find_component, text_of

RAW = callbacks.RAW_SEARCH
LOADED = ("2021Q4", "2013Q1", "2012Q2")


def words(component) -> str:
    return " ".join(text_of(component).split())


def update(page, query: str) -> tuple[list, ...]:
    """The page callback's outputs: the 7 cards' texts, then the event groups, first-time
    terms, first-time substances and serious cases."""
    out = page.update(query)
    return (list(out[:7]), *out[7:])


def test_loaded_quarters(db):
    assert q.loaded_quarters(db) == LOADED


@pytest.mark.parametrize(
    ("quarter", "expected"),
    [
        # 900005 and 900006: both serious, 900005 a death and a 7-OH concentrate
        ("2021Q4", {"n_new": 2, "n_serious": 2, "n_deaths": 1, "n_7oh": 1, "n_updated": 0}),
        # none first received; 900001 (received 2012Q2) kept from this file: updated
        ("2013Q1", {"n_new": 0, "n_serious": 0, "n_deaths": 0, "n_7oh": 0, "n_updated": 1}),
        ("2012Q2", {"n_new": 1, "n_serious": 1, "n_deaths": 0, "n_7oh": 0, "n_updated": 0}),
    ],
)
def test_headline(db, quarter, expected):
    assert q.headline(db, Filters(), quarter) == expected


def test_headline_ignores_dates_and_applies_the_rest(db):
    every = q.headline(db, Filters(), "2021Q4")
    dated = Filters.from_query("from=2013Q1&to=2013Q1&date=event")[0]
    assert q.headline(db, dated, "2021Q4") == every
    assert q.headline(db, Filters(population="all"), "2021Q4") == every  # kratom cases here
    assert q.headline(db, Filters(sexes=("F",)), "2021Q4")["n_new"] == 1  # 900006
    assert q.headline(db, Filters(role="primary"), "2021Q4")["n_new"] == 1  # 900005 (PS)


def test_comparisons(db):
    # 2013Q1: a year earlier is 2012Q1 (no file); of 2012Q1-2012Q4 only 2012Q2 is loaded, with
    # 900001: mean 1
    counts = q.new_by_quarter(db, Filters(), "2012Q1", "2013Q1")
    assert counts == {"2012Q2": 1}
    c = compare(counts, "2013Q1", set(LOADED))
    assert (c.n, c.year_before, c.prior_mean, c.n_prior_loaded) == (0, None, 1.0, 1)
    c = compare(q.new_by_quarter(db, Filters(), "2020Q4", "2021Q4"), "2021Q4", set(LOADED))
    assert (c.n, c.year_before, c.prior_mean) == (2, None, None)  # 2020Q4-2021Q3: no file


def test_event_groups(db):
    rows = q.groups_by_quarter(db, Filters(), "2020Q4", "2021Q4").rows()
    assert rows == [
        ("cognitive_neurological", "2021Q4", 1),  # 900006 Somnolence
        ("death", "2021Q4", 1),  # 900005 Death
        ("overdose_toxicity", "2021Q4", 1),  # 900005 Toxicity to various agents
    ]


def test_first_time(db):
    assert q.first_time(db, Filters(), "2021Q4", "pt").rows() == [
        ("Death", 1),
        ("Somnolence", 1),
        ("Toxicity to various agents", 1),
    ]
    assert q.first_time(db, Filters(), "2021Q4", "substance").rows() == [
        ("fentanyl", 1),
        ("gabapentin", 1),
    ]
    assert q.first_time(db, Filters(), "2012Q2", "pt").rows() == [
        ("Drug dependence", 1),
        ("Withdrawal syndrome", 1),
    ]
    assert q.first_time(db, Filters(), "2013Q1", "substance").is_empty()  # none received


def test_serious_cases(db):
    rows = q.serious_cases(db, Filters(), "2021Q4")
    assert rows["case_id"].to_list() == [900005, 900006]  # the death first
    assert rows["co_substances"].to_list() == ["fentanyl", "gabapentin"]
    assert rows["n_total"].to_list() == [2, 2]
    assert rows["events"].to_list() == [["Death", "Toxicity to various agents"], ["Somnolence"]]


def test_serious_table_names_the_events_and_keeps_dates_on_one_line(model_page):
    serious = update(model_page("latest"), "")[-1]
    text = words(serious)
    assert text.startswith(
        "2 serious cases. Case Received Age (years) Sex Serious outcomes Reported events "
        "Kratom product Co-exposures 900005 2021-10-01"
    )
    assert "Death; Toxicity to various agents 7-OH concentrate fentanyl" in text
    assert "Other serious Somnolence Leaf / powder gabapentin" in text
    received = [c for c in _cells(serious) if c.children in ("2021-10-01", "2021-10-10")]
    assert [c.className for c in received] == ["text-nowrap", "text-nowrap"]


def test_serious_table_shows_three_terms_then_how_many_more():
    five = ["Death", "Overdose", "Seizure", "Agitation", "Nausea"]
    assert tbl.events_text(five) == "Death; Overdose; Seizure +2"
    assert tbl.events_text(five[:3]) == "Death; Overdose; Seizure"
    assert tbl.events_text(None) == tbl.events_text([]) == ""
    cell = tbl.events_cell(five)
    assert cell.children == "Death; Overdose; Seizure +2"
    assert cell.title == "Death; Overdose; Seizure; Agitation; Nausea"  # all of them on hover
    assert getattr(tbl.events_cell(five[:3]), "title", None) is None


def test_chosen_quarter_and_its_note():
    assert chosen_quarter(LOADED, Filters()) == ("2021Q4", None)
    assert chosen_quarter(LOADED, Filters(latest_quarter="2013Q1")) == ("2013Q1", None)
    shown, note = chosen_quarter(LOADED, Filters(latest_quarter="2030Q1"))
    assert shown == "2021Q4"
    assert note == (
        "ignored 'q=2030Q1': no quarterly file of that quarter is loaded (2012Q2–2021Q4); "
        "showing 2021Q4"
    )
    assert chosen_quarter((), Filters()) == (None, None)


def test_cards_help_explains_na_only_when_a_card_shows_it(model_page):
    page = model_page("latest")
    # 2021Q4: 2020Q4 (a year earlier) is not loaded and none of the 4 before: n/a explained
    assert page.cards_help("2021Q4", LOADED).startswith(page.NOT_LOADED_HELP)
    # 2013Q1: 2012Q1 is not loaded either (the mean has 2012Q2): still explained
    assert page.cards_help("2013Q1", LOADED).startswith(page.NOT_LOADED_HELP)
    # a quarter whose year-earlier file and a prior file are loaded shows no n/a
    full = ("2022Q1", "2021Q4", "2021Q3", "2021Q2", "2021Q1")
    assert page.cards_help("2022Q1", full) == page.CARDS_HELP
    assert "Deaths reported" in page.CARDS_HELP and "as known today" in page.CARDS_HELP


def test_page_default_quarter(model_page):
    page = model_page("latest")
    layout = page.layout(**{RAW: ""})
    assert find_component(layout, "latest-quarter").value == "2021Q4"
    assert find_component(layout, "latest-quarter-note") is None
    cards, groups, pts, substances, serious = update(page, "")
    # new, a year earlier, prior mean, updated, serious, deaths, 7-OH
    assert cards == ["2", "n/a", "n/a", "0", "2", "1", "1"]
    # the three groups of 900005 and 900006 first (display order), no earlier file: no screen
    assert words(groups).startswith(
        "Event group Cases, 2021Q4 Mean of the 4 quarters before Same quarter a year earlier "
        "P(X ≥ cases) Above its recent level? Death 1 n/a n/a n/a n/a Overdose and toxicity 1 "
        "n/a n/a n/a n/a Cognitive and neurological 1 n/a n/a n/a n/a Dependence and "
        "withdrawal 0 n/a"
    )
    # 2013Q1: 2012Q2's file is the one loaded of the 4 before: 900001's group has mean 1
    assert "Dependence and withdrawal 0 1 n/a 1.000 no" in words(update(page, "q=2013Q1")[1])
    assert "Death (1)" in words(pts) and "fentanyl (1)" in words(substances)
    links = [c.href for c in _links(serious)]
    assert links == ["/case/900005", "/case/900006"]


def test_page_other_quarter_and_unknown_q(model_page):
    page = model_page("latest")
    cards, *_, serious = update(page, "q=2012Q2&sex=U")
    assert cards == ["1", "n/a", "n/a", "0", "1", "0", "0"]  # 900001 (sex U)
    assert [c.href for c in _links(serious)] == ["/case/900001?sex=U&q=2012Q2"]
    layout = page.layout(**{RAW: "?sex=U&q=2030Q1"})
    note = find_component(layout, "latest-quarter-note")
    assert "ignored 'q=2030Q1': no quarterly file of that quarter is loaded" in words(note)
    assert find_component(layout, "latest-quarter").value == "2021Q4"
    assert update(page, "sex=U&q=2030Q1")[0][0] == "0"  # 2021Q4 shown: no case of sex U


def test_page_says_what_it_ignores(model_page):
    page = model_page("latest")
    layout = page.layout(**{RAW: "?from=2013Q1&date=event"})
    assert words(find_component(layout, "latest-subtitle")) == (
        "Kratom cases FDA first received in 2021Q4, beside the recent past. Not applied here: "
        "the date range (2013Q1–…) and counting by event date; this page always counts by the "
        "quarter FDA first received the case."
    )
    plain = find_component(page.layout(**{RAW: ""}), "latest-subtitle")
    assert "Not applied" not in words(plain)


def test_first_time_links_add_the_filter(model_page):
    page = model_page("latest")
    _, _, pts, substances, _ = update(page, "q=2021Q4")
    assert [c.href for c in _links(pts)] == [
        "/latest?pt=Death&q=2021Q4",
        "/latest?pt=Somnolence&q=2021Q4",
        "/latest?pt=Toxicity+to+various+agents&q=2021Q4",
    ]
    assert [c.href for c in _links(substances)] == [
        "/latest?substance=fentanyl&q=2021Q4",
        "/latest?substance=gabapentin&q=2021Q4",
    ]


def test_quarter_selector_writes_the_link_only_when_it_changes(model_page):
    page = model_page("latest")
    write = page.quarter_to_url
    assert write("2021Q4", "") is no_update  # the default, as drawn
    assert write("2013Q1", "?sex=F") == "?sex=F&q=2013Q1"
    assert write("2021Q4", "?q=2030Q1") is no_update  # the page shows 2021Q4 for that link
    assert write("2021Q4", "?q=2013Q1") == "?q=2021Q4"


def _links(component) -> list:
    """Every dcc.Link in a component tree, in order."""
    found = []
    if type(component).__name__ == "Link":
        found.append(component)
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found += _links(child)
    return found


def test_downloads_say_the_file_holds_every_quarter():
    assert downloads.what_it_holds("?q=2013Q1", "/latest") == downloads.LATEST_QUARTER
    # a date range, which the page ignores, still cuts the file: the bar says so only then
    ranged = downloads.what_it_holds("?from=2012Q1&q=2013Q1", "/latest")
    assert ranged == downloads.LATEST_QUARTER_RANGE
    assert downloads.what_it_holds("?q=2013Q1", "/") == downloads.WHAT  # elsewhere, as before
    kept, notes = extracts.without_view_keys(Filters(latest_quarter="2013Q1", sexes=("F",)), [])
    assert kept == Filters(sexes=("F",))
    assert notes == [
        "ignored 'q=2013Q1': the quarter the Latest quarter page shows; the extract holds the "
        "matching cases of every quarter"
    ]


def _cells(component) -> list:
    """Every html.Td in a component tree, in order."""
    if isinstance(component, list | tuple):
        return [c for child in component for c in _cells(child)]
    if component is None or isinstance(component, str | int | float):
        return []
    own = [component] if type(component).__name__ == "Td" else []
    return own + _cells(getattr(component, "children", None))
