"""`population=all` in a real browser: the labels, and the kratom criteria greyed out where the
page ignores them. Hand counts: tests/fixtures/model/README.md (6 kept cases, 3 naming kratom;
kratom is the primary suspect in 900001 and 900005)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from dashboard import downloads
from tests.e2e.helpers import csv_download, page_problems, wait_for_text

pytestmark = pytest.mark.e2e


def test_population_all_greys_out_the_kratom_criteria_where_ignored(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/?population=all&role=primary")
    wait_for_text(page, "#overview-n-cases", "6")  # role=primary does not apply to every case
    expect(page.get_by_text("FAERS cases (all drugs)", exact=True)).to_be_visible()
    expect(page.get_by_label("Primary suspect")).to_be_checked()
    expect(page.get_by_label("Primary suspect")).to_be_disabled()
    expect(page.get_by_label("Kratom only")).to_be_disabled()
    expect(page.locator("#f-product-types")).to_be_disabled()
    expect(page.locator("#f-kratom-criteria-note")).to_contain_text("Not applied here")
    expect(page.locator("#download-what")).to_have_text(downloads.EVERY_CASE)
    # Trends counts kratom cases, the criteria included: enabled again, and the page says so
    page.locator("#nav-trends").click()
    expect(page.get_by_text("Kratom cases only.")).to_be_visible()
    expect(page.get_by_label("Primary suspect")).to_be_enabled()
    expect(page.locator("#f-kratom-criteria-note")).to_be_empty()
    assert problems == []


def test_a_download_on_trends_holds_the_kratom_cases_it_shows(page: Page, live_server, tmp_path):
    """population=all&role=primary on Trends: the 2 kratom cases with kratom as the primary
    suspect (900001, 900005), not the 6 FAERS cases, and the manifest says which."""
    problems = page_problems(page)
    page.goto(live_server + "/trends?population=all&role=primary")
    expect(page.locator("#download-what")).to_have_text(downloads.KRATOM_CASES)
    cases, manifest = csv_download(page, tmp_path)
    assert [int(row["case_id"]) for row in cases] == [900001, 900005]
    assert manifest["tables"]["cases"]["rows"] == 2
    assert manifest["filters"]["description"] == (
        "Kratom cases (kratom as the primary suspect), all dates, from FAERS quarterly files."
    )
    assert manifest["filters"]["link"] == f"{live_server}/trends?role=primary"
    assert problems == []
