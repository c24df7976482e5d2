"""Signals in a real browser: 2×2 counts counted by hand from tests/fixtures/model/README.md.

Kept cases: kratom 900001 (PS; Drug dependence, Withdrawal syndrome), 900005 (PS; Toxicity to
various agents, Death), 900006 (concomitant; Somnolence); background 900002, 900004 (Rash),
900007 (Lactic acidosis): none of them reports a kratom case's event, so c = 0 everywhere.
- any role: 3 kratom cases against 3 others, N = 6: every term a = 1, expected = 3·1/6 = 0.50.
- suspect (also used for 'Primary suspect'): 900001 and 900005 against 4 others (900006 among
  them): Somnolence has no kratom case left; every other term a = 1, expected = 2·1/6 = 0.33.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.helpers import page_problems

pytestmark = pytest.mark.e2e

GRID = "signals-grid"
ANY_ROLE = {
    "Death": ("1", "0", "0.50"),
    "Drug dependence": ("1", "0", "0.50"),
    "Somnolence": ("1", "0", "0.50"),
    "Toxicity to various agents": ("1", "0", "0.50"),
    "Withdrawal syndrome": ("1", "0", "0.50"),
}
SUSPECT = {term: ("1", "0", "0.33") for term in ANY_ROLE if term != "Somnolence"}
# term -> (a, c, expected) as the grid shows them, one entry per rendered row
TABLE_JS = """(grid) => {
    const rows = {};
    document.querySelectorAll(`#${grid} .ag-row[row-index]`).forEach(r => {
        const i = r.getAttribute('row-index');
        rows[i] = rows[i] || {};
        r.querySelectorAll('.ag-cell[col-id]').forEach(c => {
            rows[i][c.getAttribute('col-id')] = c.textContent.trim();
        });
    });
    return Object.values(rows).map(r => [r.term, [r.a, r.c, r.expected]]);
}"""


def wait_for_table(page: Page, expected: dict[str, tuple[str, str, str]]) -> None:
    """Wait until the grid shows exactly `expected`; then compare (a clear diff on failure)."""
    same = f"""([grid, want]) => {{
        const got = Object.fromEntries(({TABLE_JS})(grid).filter(r => r[0]));
        const terms = Object.keys(want);
        return Object.keys(got).length === terms.length
            && terms.every(t => JSON.stringify(got[t]) === JSON.stringify(want[t]));
    }}"""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion says what the grid shows
        page.wait_for_function(same, arg=[GRID, expected], timeout=20_000)
    shown = {term: tuple(v) for term, v in page.evaluate(TABLE_JS, GRID) if term}
    assert shown == expected


def test_counts_role_filter_and_ebgm_note(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/signals")
    wait_for_table(page, ANY_ROLE)
    notes = page.locator("#signals-notes")
    expect(notes).to_contain_text("Kratom in any role against every other case.")
    # seven cases are far too few for the EBGM prior to converge: the page must say so
    expect(notes).to_contain_text("EBGM is not available")
    page.evaluate(f"dash_ag_grid.getApi('{GRID}').ensureColumnVisible('eb05')")
    eb05 = page.locator(f"#{GRID} .ag-cell[col-id='eb05']")
    expect(eb05).to_have_count(len(ANY_ROLE))
    assert set(eb05.all_text_contents()) == {"–"}  # EB05 left empty

    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"/signals\?role=primary$"))
    wait_for_table(page, SUSPECT)
    expect(notes).to_contain_text("Kratom as a suspect (PS or SS) against every other case.")
    expect(notes).to_contain_text("'Primary suspect' uses the suspect (PS or SS) tables.")
    assert problems == []


def test_event_group_level(page: Page, live_server):
    page.goto(live_server + "/signals?role=suspect")
    wait_for_table(page, SUSPECT)
    page.locator("#signals-level").get_by_label("Event group").check()
    # suspect: 900001 -> dependence/withdrawal, 900005 -> overdose/toxicity and death
    wait_for_table(
        page,
        {
            "dependence_withdrawal": ("1", "0", "0.33"),
            "overdose_toxicity": ("1", "0", "0.33"),
            "death": ("1", "0", "0.33"),
        },
    )


# Column ids whose header cell is rendered wholly inside the grid's visible area.
VISIBLE_JS = """(grid) => {
    const root = document.querySelector(`#${grid} .ag-root`).getBoundingClientRect();
    return [...document.querySelectorAll(`#${grid} .ag-header-cell[col-id]`)]
        .filter(h => h.getBoundingClientRect().right <= root.right + 0.5)
        .map(h => h.getAttribute('col-id'));
}"""


def test_screens_and_their_statistics_show_without_scrolling(page: Page, live_server):
    # at the 1280 px window of these tests, beside the filter panel
    page.goto(live_server + "/signals")
    wait_for_table(page, ANY_ROLE)
    shown = page.evaluate(VISIBLE_JS, GRID)
    assert {"term", "screens", "eb05", "ic025", "ror", "ror_ci"} <= set(shown), shown


SUSPECT_GROUPS = {
    "dependence_withdrawal": ("1", "0", "0.33"),
    "overdose_toxicity": ("1", "0", "0.33"),
    "death": ("1", "0", "0.33"),
}


def test_level_plot_and_row_are_in_the_link_and_survive_a_reload(page: Page, live_server):
    """Event group, the forest plot's order and the row picked for the history chart are in
    the link (each was lost on reload)."""
    problems = page_problems(page)
    page.goto(live_server + "/signals?role=suspect")
    wait_for_table(page, SUSPECT)
    level = page.locator("#signals-level")
    level.get_by_label("Event group").check()
    expect(page).to_have_url(re.compile(r"/signals\?role=suspect&level=event_group$"))
    wait_for_table(page, SUSPECT_GROUPS)
    page.reload()
    wait_for_table(page, SUSPECT_GROUPS)
    expect(level.get_by_label("Event group")).to_be_checked()

    plot = page.locator("#signals-order")
    plot.get_by_label("Top by highest lower bound").check()
    expect(page).to_have_url(
        re.compile(r"/signals\?role=suspect&level=event_group&plot=ror_lower$")
    )
    forest = page.locator("#signals-forest .gtitle")
    expect(forest).to_contain_text("by event group, top 30 by highest lower bound")

    history = page.locator("#signals-history .gtitle")
    page.locator(f"#{GRID} .ag-cell[col-id='term']", has_text="death").click()
    expect(page).to_have_url(re.compile(r"plot=ror_lower&term=death$"))
    expect(history).to_have_text("Cumulative ROR by year: Death")
    page.reload()
    wait_for_table(page, SUSPECT_GROUPS)
    expect(history).to_have_text("Cumulative ROR by year: Death")
    expect(plot.get_by_label("Top by highest lower bound")).to_be_checked()
    expect(forest).to_contain_text("top 30 by highest lower bound")
    expect(page.locator(f"#{GRID} .ag-row-selected .ag-cell[col-id='term']")).to_have_text("death")

    level.get_by_label("Preferred term").check()  # the other level's row is dropped
    expect(page).to_have_url(re.compile(r"/signals\?role=suspect&plot=ror_lower$"))
    wait_for_table(page, SUSPECT)
    assert problems == []


def test_a_chosen_terms_subgroups_show_their_kratom_cases(page: Page, live_server):
    """Somnolence's subgroups: 900006 is its one kratom case, female and 0-27 days; no other case
    reports Somnolence (c = 0), so every row says why it has no ROR."""
    problems = page_problems(page)
    page.goto(live_server + "/signals")
    wait_for_table(page, ANY_ROLE)
    page.locator(f"#{GRID} .ag-cell[col-id='term']", has_text="Somnolence").click()
    expect(page).to_have_url(re.compile(r"term=Somnolence$"))
    chart = page.locator("#signals-subgroups")
    expect(chart.locator(".gtitle")).to_have_text("ROR of Somnolence by sex and by age band")
    labels = chart.locator(".ytick text")
    expect(labels.filter(has_text="Female (a=1)")).to_have_count(1)
    expect(labels.filter(has_text="Age 0-27d (a=1)")).to_have_count(1)
    # Female: 900006 has Somnolence (b = 0); other cases 900002 and 900004 do not (c = 0)
    female = chart.locator(".annotation-text", has_text="not estimable (b = 0, c = 0)")
    expect(female).to_have_count(1)
    assert problems == []
