"""Latest quarter in a real browser over the model fixture (tests/fixtures/model/README.md):
2021Q4, the newest file, brought kratom cases 900005 and 900006; 2012Q2 brought 900001."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import page_problems

pytestmark = pytest.mark.e2e


def test_pick_a_quarter_and_open_a_case(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/latest")
    expect(page.locator("h1")).to_have_text("Latest quarter")
    expect(page.locator("#latest-n-new")).to_have_text("2")  # 900005, 900006
    expect(page.locator("#latest-n-deaths")).to_have_text("1")  # 900005
    expect(page.locator("#latest-serious a")).to_have_text(["900005", "900006"])

    page.locator("#latest-quarter").select_option("2012Q2")
    expect(page).to_have_url(re.compile(r"/latest\?q=2012Q2$"))
    expect(page.locator("#latest-n-new")).to_have_text("1")  # 900001
    expect(page.locator("#latest-n-deaths")).to_have_text("0")
    expect(page.locator("#latest-pts-list li")).to_have_text(
        ["Drug dependence (1)", "Withdrawal syndrome (1)"]
    )

    page.locator("#latest-serious a", has_text="900001").click()
    expect(page).to_have_url(re.compile(r"/case/900001\?q=2012Q2$"))
    expect(page.locator("h1")).to_contain_text("Case 900001")
    assert problems == []
