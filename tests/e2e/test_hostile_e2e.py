"""Hostile links in a real browser: the page renders what the valid part selects, its charts
appear, the notes name every ignored part, no script from the link runs, no console error.

The link keeps only `role=primary`: kratom cases 900001 and 900005 (tests/fixtures/model/README.md).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import page_problems, stacked_counts, wait_for_text
from tests.e2e.test_events_e2e import wait_for_bars

pytestmark = pytest.mark.e2e

HOSTILE = (
    "?role=primary"
    "&sex=%27%20OR%201%3D1%20--"  # ' OR 1=1 --
    "&pt=%ED%A0%80"  # a lone surrogate
    "&substance=%ZZ"  # malformed percent-encoding
    "&from=9999Q9"
    "&country=%E2%80%AEUS"  # a right-to-left override
    "&bogus=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"  # markup in an unknown parameter
    "&role=any" + "&utm=1" * 700  # a repeated scalar  # a long link: cut at 4,000 characters
)
NOTED = [
    "sex=' OR 1=1 --",
    "pt=%ED%A0%80': not valid UTF-8",
    "substance=%ZZ': malformed percent-encoding",
    "from=9999Q9': not a quarter",
    "country=\\u202eUS",
    "bogus=<img src=x onerror=alert(1)>': unknown parameter",
    "'role' was already given",
    "and the rest of the query: over 4,000 characters",
]


def open_hostile(page: Page, url: str) -> None:
    page.goto(url)
    notes = page.locator("#filters-notes")
    for text in NOTED:
        expect(notes).to_contain_text(text, timeout=15_000)
    expect(page.locator("#filters-description")).to_contain_text("primary suspect")


def test_hostile_link_on_three_pages(page: Page, live_server):
    problems = page_problems(page)
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    open_hostile(page, live_server + "/" + HOSTILE)
    wait_for_text(page, "#overview-n-cases", "2")
    wait_for_text(page, "#overview-n-deaths", "1")  # 900005
    assert stacked_counts(page, "overview-trend") == {"2012Q2": 1, "2021Q4": 1}

    open_hostile(page, live_server + "/events" + HOSTILE)
    pts = {"Drug dependence", "Withdrawal syndrome", "Toxicity to various agents", "Death"}
    assert wait_for_bars(page, "events-pts", pts) == dict.fromkeys(pts, 1)

    open_hostile(page, live_server + "/cases" + HOSTILE)
    wait_for_text(page, "#cases-count", "2 cases match.")
    expect(page.locator("#cases-grid")).to_contain_text("900005", timeout=15_000)
    assert problems == []
    assert page.locator("img[src='x']").count() == 0


def test_hostile_case_id(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/case/900001%27%20OR%201=1--?case_id=900005")
    expect(page.locator("#case-missing")).to_contain_text("is not a case number")
    page.goto(live_server + "/case/900001?case_id=900005")  # the path decides, not the query
    expect(page.locator("#case-title")).to_contain_text("Case 900001", timeout=15_000)
    assert problems == []
