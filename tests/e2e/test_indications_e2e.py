"""Indications in a real browser: numbers counted by hand from tests/fixtures/model/README.md.

Indications given for the kratom drug of each kratom case: 900001 Pain (kratom PS; Drug
dependence, Withdrawal syndrome), 900005 Drug withdrawal syndrome = withdrawal, drug not named
(kratom PS; Toxicity to various agents, Death), 900006 Product used for unknown indication, given
for its kratom drug (seq 2, concomitant; Somnolence). Every kratom case gives one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import graph_data, page_problems, wait_for_text
from tests.e2e.test_events_e2e import empty_message, wait_for_graph

pytestmark = pytest.mark.e2e

P = "indications"
NO_INDICATION = "No case matching these filters gives an indication for kratom"


def bars(page: Page, graph_id: str, n_bars: int) -> dict[str, int]:
    """Bar label -> count, once the chart shows `n_bars` bars."""
    data = wait_for_graph(page, graph_id, f"data.length === 1 && data[0].y.length === {n_bars}")
    return dict(zip(data[0]["y"], data[0]["x"], strict=True))


def test_summary_groups_terms_and_matrix(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/indications")
    expect(page.locator("h1")).to_have_text("Indications")
    wait_for_text(
        page,
        f"#{P}-summary",
        "Of 3 kratom cases, 0 (0%) give no indication for kratom, 1 (33%) give only an unknown "
        "indication, and 2 (67%) say why it was taken.",
    )
    assert bars(page, f"{P}-groups", 4) == {
        "Pain": 1,
        "Withdrawal (drug not named)": 1,
        "Unknown indication": 1,
        "No indication given": 0,
    }
    assert bars(page, f"{P}-terms", 3) == {
        "Pain": 1,
        "Drug withdrawal syndrome": 1,
        "Product used for unknown indication": 1,
    }
    heat = wait_for_graph(page, f"{P}-matrix", "data.length === 1")[0]
    cells = {
        (row, col): n
        for row, line in zip(heat["y"], heat["z"], strict=True)
        for col, n in zip(heat["x"], line, strict=True)
        if n
    }
    assert cells == {
        ("Pain", "Dependence and withdrawal"): 1,
        ("Withdrawal (drug not named)", "Death"): 1,
        ("Withdrawal (drug not named)", "Overdose and toxicity"): 1,
        ("Unknown indication", "Cognitive and neurological"): 1,
    }
    assert problems == []  # no console error, no failed callback


def test_primary_suspect_filter_changes_charts_url_and_survives_reload(page: Page, live_server):
    page.goto(live_server + "/indications")
    bars(page, f"{P}-groups", 4)
    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"/indications\?.*role=primary"))
    primary = (  # 900001 and 900005: both say why
        "Of 2 kratom cases, 0 (0%) give no indication for kratom, 0 (0%) give only an unknown "
        "indication, and 2 (100%) say why it was taken."
    )
    wait_for_text(page, f"#{P}-summary", primary)
    groups = {"Pain": 1, "Withdrawal (drug not named)": 1, "No indication given": 0}
    assert bars(page, f"{P}-groups", 3) == groups
    assert bars(page, f"{P}-terms", 2) == {"Pain": 1, "Drug withdrawal syndrome": 1}
    page.reload()
    wait_for_text(page, f"#{P}-summary", primary)
    assert bars(page, f"{P}-groups", 3) == groups
    expect(page.get_by_label("Primary suspect")).to_be_checked()


def test_event_group_link_narrows_the_reasons(page: Page, live_server):
    # Death was reported only on 900005, taken for drug withdrawal.
    page.goto(live_server + "/indications?event_group=death")
    wait_for_text(
        page,
        f"#{P}-summary",
        "Of 1 kratom case, 0 (0%) give no indication for kratom, 0 (0%) give only an unknown "
        "indication, and 1 (100%) say why it was taken.",
    )
    withdrawal = {"Withdrawal (drug not named)": 1, "No indication given": 0}
    assert bars(page, f"{P}-groups", 2) == withdrawal
    expect(page.locator("#filters-description")).to_contain_text("event group death")


def test_no_matching_cases_shows_the_empty_state(page: Page, live_server):
    # Kratom was the primary suspect on 900001 (sex unknown) and 900005 (male) only.
    page.goto(live_server + "/indications?role=primary&sex=F")
    expect(empty_message(page, f"{P}-groups")).to_be_visible(timeout=15_000)
    expect(empty_message(page, f"{P}-terms", NO_INDICATION)).to_be_visible()
    expect(empty_message(page, f"{P}-matrix", NO_INDICATION)).to_be_visible()
    expect(page.locator(f"#{P}-summary")).to_be_empty()
    expect(page).to_have_url(re.compile(r"/indications\?role=primary&sex=F$"))
    assert graph_data(page, f"{P}-groups") == []
