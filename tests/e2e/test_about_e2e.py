"""About in a real browser: the funnel and the spellings counted by hand from
tests/fixtures/model/README.md and the drug rows of tests/fixtures/model/*/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dashboard.input_issues import NO_ISSUES
from tests.e2e.helpers import graph_data, page_problems

pytestmark = pytest.mark.e2e

# report versions read -> latest version of each case -> after the deleted lists
FUNNEL = {
    "Legacy AERS (to 2012Q3)": ["3", "2", "1"],
    "FAERS (2012Q4 on)": ["7", "5", "5"],
    "All eras": ["10", "7", "6"],
}
# spelling -> cases kept naming it: KRATOM was 900001's superseded 2012Q2 version (kept: KRATUM),
# MAENG DA KRATOM was 900003 (deleted), MITRAGYNA SPECIOSA LEAF is 900006's active ingredient.
SPELLINGS = {
    "KRATUM": "1",
    "7-OH TABLETS": "1",
    "MITRAGYNA SPECIOSA LEAF": "1",
    "KRATOM": "0",
    "MAENG DA KRATOM": "0",
}
GRID_JS = """([grid, cols]) => {
    const rows = {};
    document.querySelectorAll(`#${grid} .ag-row[row-index]`).forEach(r => {
        const i = r.getAttribute('row-index');
        rows[i] = rows[i] || {};
        for (const c of cols) {
            const cell = r.querySelector(`.ag-cell[col-id="${c}"]`);
            if (cell) rows[i][c] = cell.textContent.trim();
        }
    });
    return Object.values(rows);
}"""


def test_funnel_spellings_and_caveats(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/about")
    table = page.locator("#about-funnel-table tbody tr")
    expect(table).to_have_count(3, timeout=20_000)  # the callback fills it
    shown = {}
    for i in range(3):
        era, *numbers = table.nth(i).locator("td").all_inner_texts()
        shown[era] = numbers
    assert shown == FUNNEL

    drawn = {t["name"]: t["y"] for t in graph_data(page, "about-funnel")}
    named = {"All eras": "Total"}  # the totals are a text trace above the stacked bars
    assert drawn == {named.get(era, era): [int(n) for n in ns] for era, ns in FUNNEL.items()}

    grid = page.locator("#about-spellings")
    grid.scroll_into_view_if_needed()
    spellings = grid.locator(".ag-cell[col-id='spelling']")
    expect(spellings).to_have_count(len(SPELLINGS), timeout=20_000)
    rows = page.evaluate(GRID_JS, ["about-spellings", ["spelling", "n_cases"]])
    assert {r["spelling"]: r["n_cases"] for r in rows} == SPELLINGS

    expect(page.get_by_text("No causation.")).to_be_visible()
    expect(
        page.locator("#_pages_content").get_by_text("do not establish that kratom")
    ).to_be_visible()
    expect(page.locator("#about-synthetic")).to_be_hidden()  # the fixture is FDA's format, real
    expect(page.locator("#about-vintage")).to_contain_text(
        "Cases kept: 6, of which naming kratom: 3"
    )
    expect(page.locator("#about-input-issues-summary")).to_have_text(NO_ISSUES)  # clean files
    assert problems == []
