"""`population=all` in a real browser: the labels, and the kratom criteria greyed out where the
page ignores them. Hand counts: tests/fixtures/model/README.md (6 kept cases, 3 naming kratom;
kratom is the primary suspect in 900001 and 900005)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import page_problems, wait_for_text

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
    # Trends counts kratom cases, the criteria included: enabled again, and the page says so
    page.locator("#nav-trends").click()
    expect(page.get_by_text("Kratom cases only.")).to_be_visible()
    expect(page.get_by_label("Primary suspect")).to_be_enabled()
    expect(page.locator("#f-kratom-criteria-note")).to_be_empty()
    assert problems == []
