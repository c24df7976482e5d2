"""Cases table and case view in a real browser: answers counted by hand from
tests/fixtures/model/README.md (kratom cases 900001, 900005, 900006; 900003 deleted)."""

from __future__ import annotations

import contextlib
import re
import sys

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.helpers import page_problems, wait_for_text
from tests.paged_quarter import case_aged

pytestmark = pytest.mark.e2e

GRID = "cases-grid"
# The cells of one grid column in row order (pinned and centre cells share a row-index).
COLUMN_JS = """([grid, col]) => [...document.querySelectorAll(`#${grid} .ag-row[row-index]`)]
    .map(r => [Number(r.getAttribute('row-index')), r.querySelector(`[col-id="${col}"]`)])
    .filter(([, cell]) => cell)
    .sort((x, y) => x[0] - y[0])
    .map(([, cell]) => cell.textContent.trim())"""


def column(page: Page, col: str) -> list[str]:
    return page.evaluate(COLUMN_JS, [GRID, col])


def wait_for_column(page: Page, col: str, expected: list[str]) -> None:
    """Wait until the grid column shows exactly `expected`; fail with what it shows."""
    shows = f"({COLUMN_JS})([grid, col])"
    check = f"([grid, col, want]) => JSON.stringify({shows}) === JSON.stringify(want)"
    with contextlib.suppress(PlaywrightTimeout):  # the assertion says what the grid shows
        page.wait_for_function(check, arg=[GRID, col, expected], timeout=20_000)
    assert column(page, col) == expected


def sort_by(page: Page, col_id: str) -> None:
    page.locator(f"#{GRID} .ag-header-cell[col-id='{col_id}'] .ag-header-cell-label").click()


def test_table_sorting_and_filter(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/cases")
    wait_for_text(page, "#cases-count", "3 cases match.")
    # default: newest receipt first (900006 2021-10-10, 900005 2021-10-01, 900001 2012-04-10)
    wait_for_column(page, "case_id", ["900006", "900005", "900001"])
    assert column(page, "received_date") == ["2021-10-10", "2021-10-01", "2012-04-10"]

    # each sort is in the link (the page is drawn again from it: wait_for_rows)
    sort_by(page, "case_id")  # ascending
    expect(page).to_have_url(re.compile(r"/cases\?sort=case_id:asc$"))
    wait_for_rows(page, "case_id", ["900001", "900005", "900006"], whole=True)
    sort_by(page, "kratom_role")  # C (900006) before PS; the PS tie broken by case id
    expect(page).to_have_url(re.compile(r"/cases\?sort=kratom_role:asc$"))
    wait_for_rows(page, "case_id", ["900006", "900001", "900005"], whole=True)
    sort_by(page, "kratom_role")  # descending: PS (900005, 900001), then C
    expect(page).to_have_url(re.compile(r"/cases\?sort=kratom_role:desc$"))
    wait_for_rows(page, "case_id", ["900005", "900001", "900006"], whole=True)
    assert column(page, "kratom_role") == ["Primary suspect", "Primary suspect", "Concomitant"]

    page.get_by_label("Primary suspect").check()  # the sort stays in the link
    expect(page).to_have_url(re.compile(r"/cases\?role=primary&sort=kratom_role:desc$"))
    wait_for_text(page, "#cases-count", "2 cases match.")  # kratom PS: 900001, 900005
    wait_for_rows(page, "case_id", ["900005", "900001"], whole=True)
    # the case links keep the filters and the view
    link = page.locator(f"#{GRID} a", has_text="900001")
    assert link.get_attribute("href") == "/case/900001?role=primary&sort=kratom_role:desc"
    assert problems == []


def _rows(page: Page, heading: str) -> list[list[str]]:
    """The body rows (cell texts) of the table under a section heading of the case view."""
    section = page.locator("section").filter(has=page.get_by_role("heading", name=heading))
    rows = section.locator("tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_click_a_case_opens_the_whole_report(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/cases")
    wait_for_column(page, "case_id", ["900006", "900005", "900001"])
    page.locator(f"#{GRID} a", has_text="900001").click()
    expect(page).to_have_url(re.compile(r"/case/900001$"))
    expect(page.locator("#case-title")).to_contain_text("Case 900001")

    substances = _rows(page, "Substances")  # columns: #, name reported, ...
    assert [r[1] for r in substances] == ["KRATUM", "ALCOHOL"]
    assert [r[0] for r in _rows(page, "Events (MedDRA preferred terms)")] == [
        "Drug dependence",
        "Withdrawal syndrome",
    ]
    outcomes = page.locator("#case-outcomes li").all_inner_texts()
    assert sorted(outcomes) == ["Hospitalisation (initial or prolonged)", "Life-threatening"]
    # columns: drug #, indication as reported, its group (the Indications page's label), for kratom
    assert [r[1:3] for r in _rows(page, "Indications")] == [["Pain", "Pain"]]

    versions = {r[0]: r for r in _rows(page, "Report versions read")}
    assert set(versions) == {"9000011", "9000012"}
    # columns: primary id, file quarter, era, version, FDA received, kept, deleted, why
    assert versions["9000012"][1] == "2013Q1" and versions["9000012"][5] == "yes"
    assert versions["9000011"][1] == "2012Q2" and versions["9000011"][5] == "no"
    assert versions["9000011"][7].startswith("superseded by 9000012")
    expect(page.get_by_text("do not establish that kratom caused").first).to_be_visible()
    assert problems == []


def test_deleted_and_unknown_cases_are_explained(page: Page, live_server):
    problems = page_problems(page)
    response = page.goto(live_server + "/case/900003")
    assert response is not None and response.status == 200
    expect(page.locator("#case-missing")).to_contain_text("deleted")
    assert [r[0] for r in _rows(page, "Report versions read")] == ["9000031"]

    for path, shown in (("abc", "'abc' is not a case number"), ("99999999", "not in the database")):
        response = page.goto(f"{live_server}/case/{path}")
        assert response is not None and response.status == 200
        expect(page.get_by_role("heading", name="No such case")).to_be_visible()
        expect(page.locator("#case-missing")).to_contain_text(shown)
        expect(page.get_by_role("link", name="Back to the case table")).to_be_visible()
    assert problems == []


def test_link_with_a_quarter_outside_the_options_keeps_it(page: Page, live_server):
    """A link's value that the dropdown does not list (no kratom case in 2016Q1) is kept."""
    page.goto(live_server + "/cases?from=2016Q1")
    page.wait_for_load_state("networkidle")  # let the shell's callbacks settle
    assert "from=2016Q1" in page.url
    wait_for_text(page, "#cases-count", "2 cases match.")  # 900005, 900006 (2021Q4)


# For each column id: whether its header is wholly inside the grid's visible area, and the
# labels (of `labels`) wider than the column's room for text, measured in the cells' own font.
FIT_JS = """([grid, labels]) => {
    const root = document.querySelector(`#${grid} .ag-root`).getBoundingClientRect();
    const cell = document.querySelector(`#${grid} .ag-center-cols-container .ag-cell`);
    const style = getComputedStyle(cell);
    // padding and borders: what a column's width holds besides its text
    const chrome = cell.offsetWidth - cell.clientWidth
        + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const ctx = document.createElement('canvas').getContext('2d');
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const api = dash_ag_grid.getApi(grid);
    const out = {};
    for (const [col, words] of Object.entries(labels)) {
        const head = document.querySelector(`#${grid} .ag-header-cell[col-id="${col}"]`);
        const box = head && head.getBoundingClientRect();
        const room = api.getColumn(col).getActualWidth() - chrome;
        out[col] = [!!box && box.right <= root.right + 0.5,
                    words.filter(w => ctx.measureText(w).width > room)];
    }
    return out;
}"""


def test_key_columns_fit_a_1280_px_screen_and_labels_are_whole(page: Page, live_server):
    cases = sys.modules["pages.cases"]  # as the live server's app imported it
    page.goto(live_server + "/cases")
    wait_for_column(page, "case_id", ["900006", "900005", "900001"])
    key = [c.get("colId", c["field"]) for c in cases.COLUMNS[: cases.KEY_COLUMNS]]
    labels = {col: [] for col in key} | {k: list(v.values()) for k, v in cases.LABELS.items()}
    fit = page.evaluate(FIT_JS, [GRID, labels])
    assert {col: fit[col][0] for col in key} == dict.fromkeys(key, True)
    assert {col: cut for col, (_, cut) in fit.items() if cut} == {}


FIRST_ROWS_JS = f"([grid, col, n]) => ({COLUMN_JS})([grid, col]).slice(0, n)"


def wait_for_rows(page: Page, col: str, expected: list[str], *, whole: bool = False) -> None:
    """Wait until the grid shows `expected` in `col` (its first rows, or `whole` page) and goes
    on showing them for a second: a sort or page redraws the page from the new link, so the
    grid first shows the rows, then is drawn again and shows them again. A page of 50 is drawn
    only in part (rows out of view are not in the page). Fails with what the grid shows."""
    n = 10_000 if whole else len(expected)
    same = f"""([grid, col, n, want]) => {{
        const got = JSON.stringify(({FIRST_ROWS_JS})([grid, col, n]));
        const now = Date.now();
        if (got !== JSON.stringify(want)) {{ window.__since = null; return false; }}
        window.__since = window.__since || now;
        return now - window.__since >= 1000;
    }}"""
    page.evaluate("() => { window.__since = null; }")
    with contextlib.suppress(PlaywrightTimeout):  # the assertion says what the grid shows
        page.wait_for_function(same, arg=[GRID, col, n, expected], timeout=20_000, polling=100)
    assert page.evaluate(FIRST_ROWS_JS, [GRID, col, n]) == expected


def received(first: int, last: int) -> list[str]:
    """tests/paged_quarter.py's case numbers 810000+`first` to 810000+`last`, in that order
    (receipt order)."""
    step = 1 if last >= first else -1
    return [str(810000 + i) for i in range(first, last + step, step)]


def aged(first: int, last: int) -> list[str]:
    """tests/paged_quarter.py's case numbers of the cases aged `first` to `last`, in that order."""
    step = 1 if last >= first else -1
    return [str(case_aged(a)) for a in range(first, last + step, step)]


def test_sort_and_page_are_in_the_link_and_survive_a_reload(page: Page, paged_server):
    """60 cases (tests/paged_quarter.py: each age 1-60 once, in another order than receipt):
    the sort and page go into the link, and a reload opens that page of that sort (page 2
    showed `/cases`, and a reload went back to page 1, newest first)."""
    problems = page_problems(page)
    pager = page.locator(f"#{GRID} .ag-paging-description")
    page.goto(paged_server + "/cases")
    wait_for_text(page, "#cases-count", "60 cases match.")
    wait_for_rows(page, "case_id", received(60, 56))  # newest first
    expect(pager).to_have_text("Page 1 of 2")

    sort_by(page, "age_years")  # ascending: ages 1-50 on page 1
    expect(page).to_have_url(re.compile(r"/cases\?sort=age_years:asc$"))
    wait_for_rows(page, "case_id", aged(1, 5))
    page.locator(f"#{GRID}").get_by_role("button", name="Next Page").click()
    expect(page).to_have_url(re.compile(r"/cases\?sort=age_years:asc&page=2$"))
    wait_for_rows(page, "case_id", aged(51, 60), whole=True)
    expect(pager).to_have_text("Page 2 of 2")

    page.reload()
    wait_for_rows(page, "case_id", aged(51, 60), whole=True)
    expect(pager).to_have_text("Page 2 of 2")
    age = page.locator(f"#{GRID} .ag-header-cell[col-id='age_years']")
    expect(age).to_have_attribute("aria-sort", "ascending")
    # the case link keeps the view: back from a case, the same page of the same sort
    first = aged(51, 51)[0]
    expect(page.locator(f"#{GRID} a", has_text=first)).to_have_attribute(
        "href", f"/case/{first}?sort=age_years:asc&page=2"
    )

    sort_by(page, "age_years")  # a new sort starts again at page 1: ages 60 down to 11
    expect(page).to_have_url(re.compile(r"/cases\?sort=age_years:desc$"))
    wait_for_rows(page, "case_id", aged(60, 56))
    expect(pager).to_have_text("Page 1 of 2")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/cases\?sort=age_years:asc&page=2$"))
    wait_for_rows(page, "case_id", aged(51, 60), whole=True)
    assert problems == []


def test_a_tall_window_gets_a_taller_grid_with_its_pager_in_view(page: Page, live_server):
    """max(620 px, the window less 360 px): 740 px in a 1,100 px window, 620 in an 800 px one."""
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(live_server + "/cases")
    grid, pager = page.locator(f"#{GRID}"), page.locator(f"#{GRID} .ag-paging-panel")
    expect(pager).to_be_visible()
    assert grid.bounding_box()["height"] == 740
    box = pager.bounding_box()
    assert box["y"] + box["height"] <= 1100  # in view without scrolling
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(grid).to_have_css("height", "620px")
