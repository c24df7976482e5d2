"""The "Set aside probable duplicates" checkbox in a real browser, over 2022Q1 of
tests/fixtures/duplicates/ built alone by the real pipeline (counted by hand in its README):
kratom cases 700007, 700008, 700009, of which 700007 is flagged as a probable duplicate of 700008.
So 3 kratom cases by default and 2 with the checkbox on (`duplicates=hide`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from dashboard import runtime
from tests.e2e.helpers import page_problems, wait_for_text

pytestmark = pytest.mark.e2e

CHECKBOX = "Set aside probable duplicates"


@pytest.fixture
def duplicates_server(live_server, duplicates_db):
    """The session's server pointed at the duplicates fixture, then back at its own database."""
    before = runtime.database()
    runtime.configure(duplicates_db)
    yield live_server
    runtime._state["db"] = before


def test_the_checkbox_sets_probable_duplicates_aside(
    page: Page, duplicates_server: str, tmp_path: Path
):
    problems = page_problems(page)
    page.goto(duplicates_server + "/")
    wait_for_text(page, "#overview-n-cases", "3")  # 700007, 700008, 700009
    box = page.get_by_label(CHECKBOX)
    expect(box).not_to_be_checked()
    expect(page.get_by_text("FDA's own rule keeps them")).to_be_visible()
    box.check()
    expect(page).to_have_url(re.compile(r"[?&]duplicates=hide(&|$)"))
    wait_for_text(page, "#overview-n-cases", "2")  # 700007 set aside
    expect(page.locator("#filters-description")).to_contain_text("probable duplicates set aside")
    expect(page.locator("#filters-notes")).to_have_text("")  # this file has the flags
    page.reload()
    wait_for_text(page, "#overview-n-cases", "2")
    expect(page.get_by_label(CHECKBOX)).to_be_checked()

    page.locator("#nav-cases").click()
    expect(page).to_have_url(re.compile(r"/cases\?duplicates=hide$"))
    wait_for_text(page, "#cases-count", "2 cases match.")
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as zf:
        text = zf.read("cases.csv").decode("utf-8-sig")
        manifest = json.loads(zf.read("manifest.json"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["case_id"]) for r in rows] == [700008, 700009]
    assert "duplicate_of" in rows[0] and [r["duplicate_of"] for r in rows] == ["", ""]
    assert manifest["filters"]["query"] == "duplicates=hide"
    assert "probable duplicates set aside" in manifest["filters"]["description"]

    page.get_by_label(CHECKBOX).uncheck()
    wait_for_text(page, "#cases-count", "3 cases match.")
    expect(page).not_to_have_url(re.compile(r"duplicates="))
    assert problems == []
