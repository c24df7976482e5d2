"""Co-exposures in a real browser: numbers counted by hand from tests/fixtures/model/README.md.

Kratom cases and what else their kept report names: 900001 ALCOHOL (kratom PS; Drug dependence,
Withdrawal syndrome), 900005 FENTANYL (kratom PS; Toxicity to various agents, Death), 900006
NEURONTIN = gabapentin (kratom concomitant; Somnolence). None names kratom only, none names
two other substances.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import graph_data, page_problems
from tests.e2e.test_events_e2e import click_bar, empty_message, wait_for_bars, wait_for_graph

pytestmark = pytest.mark.e2e

SUBSTANCES = {"alcohol": 1, "fentanyl": 1, "gabapentin": 1}
CLASSES = {"Alcohol": 1, "Opioids": 1, "Gabapentinoids": 1}
P = "coexposures"
ALL_CHARTS = ("substances", "classes", "kratom-only", "class-years", "heatmap", "pairs")


def heat_cells(page: Page) -> dict[tuple[str, str], int]:
    """The non-zero cells of the class × event-group heatmap."""
    heat = graph_data(page, f"{P}-heatmap")[0]
    return {
        (row, col): n
        for row, line in zip(heat["y"], heat["z"], strict=True)
        for col, n in zip(heat["x"], line, strict=True)
        if n
    }


def test_substances_classes_kratom_only_heatmap_and_pairs(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/coexposures")
    expect(page.locator("h1")).to_have_text("Co-exposures")
    assert wait_for_bars(page, f"{P}-substances", set(SUBSTANCES)) == SUBSTANCES
    assert wait_for_bars(page, f"{P}-classes", set(CLASSES)) == CLASSES
    # two traces: years of 10 cases or more, and fewer (here all: 1 case, then 2)
    bars = wait_for_graph(page, f"{P}-kratom-only", "data.length === 2")
    shares = {
        x: (y, n)
        for trace in bars
        for x, y, n in zip(trace["x"], trace["y"], trace["text"], strict=True)
        if y is not None
    }
    # cases received in 2012 and 2021; none kratom-only
    assert shares == {"2012": (0, "n=<br>1"), "2021": (0, "n=<br>2")}  # n over two lines
    # classes by year: of 1 case in 2012 and 2 in 2021; every bar light (fewer than 10 cases)
    panels = wait_for_graph(page, f"{P}-class-years", "data.length === 6")
    class_shares = {
        (re.match(r"<b>(.+?)</b>", trace["hovertemplate"]).group(1), x): y
        for trace in panels
        for x, y in zip(trace["x"], trace["y"], strict=True)
        if y is not None
    }
    assert class_shares == {
        ("Alcohol", "2012"): 100,
        ("Alcohol", "2021"): 0,
        ("Gabapentinoids", "2012"): 0,
        ("Gabapentinoids", "2021"): 50,
        ("Opioids", "2012"): 0,
        ("Opioids", "2021"): 50,
    }
    assert heat_cells(page) == {
        ("Alcohol", "Dependence and withdrawal"): 1,
        ("Opioids", "Death"): 1,
        ("Opioids", "Overdose and toxicity"): 1,
        ("Gabapentinoids", "Cognitive and neurological"): 1,
    }
    expect(
        empty_message(page, f"{P}-pairs", "names two substances other than kratom")
    ).to_be_visible()
    assert problems == []  # no console error, no failed callback


def test_primary_suspect_survives_reload_and_a_class_click_adds_to_it(page: Page, live_server):
    page.goto(live_server + "/coexposures")
    wait_for_bars(page, f"{P}-substances", set(SUBSTANCES))
    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"/coexposures\?.*role=primary"))
    primary = {"alcohol": 1, "fentanyl": 1}  # 900001 and 900005; kratom is C on 900006
    assert wait_for_bars(page, f"{P}-substances", set(primary)) == primary
    assert wait_for_bars(page, f"{P}-classes", {"Alcohol", "Opioids"}) == {
        "Alcohol": 1,
        "Opioids": 1,
    }
    page.reload()
    assert wait_for_bars(page, f"{P}-substances", set(primary)) == primary
    expect(page.get_by_label("Primary suspect")).to_be_checked()
    # a click on a class bar adds the class and keeps the role
    wait_for_bars(page, f"{P}-classes", {"Alcohol", "Opioids"})
    click_bar(page, f"{P}-classes", "Opioids")
    expect(page).to_have_url(re.compile(r"role=primary.*class=opioids"))
    expect(page.locator("#filters-description")).to_contain_text("co-exposure to opioids")
    assert wait_for_bars(page, f"{P}-substances", {"fentanyl"}) == {"fentanyl": 1}  # 900005


def test_clicking_a_substance_bar_filters_on_it(page: Page, live_server):
    page.goto(live_server + "/coexposures")
    wait_for_bars(page, f"{P}-substances", set(SUBSTANCES))
    description = page.locator("#filters-description")
    expect(description).not_to_contain_text("fentanyl")
    click_bar(page, f"{P}-substances", "fentanyl")
    expect(page).to_have_url(re.compile(r"/coexposures\?.*substance=fentanyl"))
    expect(description).to_contain_text("co-reported with 'fentanyl'")
    assert wait_for_bars(page, f"{P}-substances", {"fentanyl"}) == {"fentanyl": 1}  # 900005
    assert wait_for_bars(page, f"{P}-classes", {"Opioids"}) == {"Opioids": 1}
    assert set(heat_cells(page)) == {("Opioids", "Death"), ("Opioids", "Overdose and toxicity")}


def test_no_matching_cases_shows_the_empty_state(page: Page, live_server):
    # Kratom was the primary suspect on 900001 (sex unknown) and 900005 (male) only.
    page.goto(live_server + "/coexposures?role=primary&sex=F")
    for chart in ALL_CHARTS:
        expect(empty_message(page, f"{P}-{chart}")).to_be_visible(timeout=15_000)
    expect(page).to_have_url(re.compile(r"/coexposures\?role=primary&sex=F$"))
