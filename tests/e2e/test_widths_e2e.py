"""Every page at 768 px (a tablet, half a laptop screen), at 420 px and at 360 px (phones) in a
real browser: no sideways scroll of the page, the content as wide as the window (the filter
panel above it, closed behind its toggle on the phone), the navbar no taller than it must be,
no chart text under 9 px, no two tick labels of an axis drawn over each other, no legend over a
plot area, no chart title cut at the figure's edge or under its legend or plot, no text placed
in a chart (lane labels, notes) past the figure's edge or over an axis title, and no text on
the traces (bar values, totals) or tick label past the figure's edge, nor two texts of the
traces over each other (`chart_problems`; docs/dashboard.md, "Widths")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.chart_problems import PROBLEMS

pytestmark = pytest.mark.e2e

WIDTHS = (768, 420, 360)
# The navbar's height (a row of it is 40 px and its padding 16): at 768 px the name and two rows
# of links, on a phone the name and the "Pages" button (its links closed).
NAV_MAX_PX = {768: 100, 420: 60, 360: 60}
PAGES = (
    "/",
    "/latest",
    "/events",
    "/coexposures",
    "/trends",
    "/indications",
    "/signals",
    "/cases",
    "/case/900001",
    "/poison-centers",
    "/about",
)
# The page settled: no Dash callback running, every chart drawn.
SETTLED = """() => !document.querySelector('[data-dash-is-loading="true"], ._dash-loading')
    && [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_window(page: Page, live_server, width: int):
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    for path in PAGES:
        page.goto(live_server + path)
        page.wait_for_load_state("networkidle")
        page.wait_for_function(SETTLED, timeout=30_000)
        scroll, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > window:
            problems.append(f"{path}: the page is {scroll} px wide in a {window} px window")
        nav = page.evaluate("() => document.querySelector('.navbar').offsetHeight")
        if nav > NAV_MAX_PX[width]:  # four rows at 420 px (176 px), three at 768 px (136 px)
            problems.append(f"{path}: the navbar is {nav} px tall")
        content = page.evaluate("() => document.getElementById('_pages_content').offsetWidth")
        if content < 0.9 * window:
            problems.append(f"{path}: the page's content is only {content} px wide")
        problems += [f"{path}: {p}" for p in page.evaluate(PROBLEMS)]
    assert not problems, "\n".join(problems)


def test_on_a_phone_the_filters_wait_behind_their_toggle(page: Page, live_server):
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(live_server + "/?sex=F&from=2019Q1")
    toggle = page.locator("#filters-toggle")
    expect(toggle).to_have_text("Filters (2 set)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#f-sexes")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#f-sexes")).to_be_visible()
    scroll = "() => document.documentElement.scrollWidth - window.innerWidth"
    assert page.evaluate(scroll) <= 0  # the open panel fits too (a dropdown's input stuck out)
    page.locator("#f-serious").get_by_text("Serious cases only").click()  # still writes the link
    expect(page).to_have_url(re.compile(r"serious=true"))
    expect(toggle).to_have_text("Filters (3 set)")
    toggle.click()
    expect(page.locator("#f-sexes")).to_be_hidden()
    page.set_viewport_size({"width": 800, "height": 900})  # from 600 px: always open, no toggle
    expect(page.locator("#f-sexes")).to_be_visible()
    expect(toggle).to_be_hidden()


def test_a_narrow_tab_does_not_give_a_wide_one_phone_figures(page: Page, live_server, monkeypatch):
    """The phone cookie is the browser's, shared by its tabs: each window sets it again before
    each of its requests, so a wide tab's callbacks are drawn wide after a narrow tab said
    "phone". What the server decided is recorded per request, with the tab that sent it (a
    header each tab adds): the browser's own record of a request's cookie header is not always
    kept (a test that read it failed in CI on a request recorded without one)."""
    from flask import request

    from dashboard import viewport

    told: list[tuple[str, bool]] = []
    decide = viewport.window.set_phone

    def record(phone: bool) -> None:
        if "_dash-update-component" in request.path:
            told.append((request.headers.get("X-Tab", ""), phone))
        decide(phone)

    monkeypatch.setattr(viewport.window, "set_phone", record)
    page.set_extra_http_headers({"X-Tab": "wide"})
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/trends")
    page.wait_for_function(SETTLED)
    narrow = page.context.new_page()
    narrow.set_extra_http_headers({"X-Tab": "narrow"})
    narrow.set_viewport_size({"width": 420, "height": 900})
    narrow.goto(live_server + "/events")
    narrowed = sent_from(narrow, "narrow", told)
    assert narrowed and all(narrowed)
    told.clear()  # the narrow tab said "phone" last: the wide tab's next requests must say wide
    page.locator("#f-role").get_by_text("Primary suspect").click()
    expect(page).to_have_url(re.compile(r"role=primary"))
    wide = sent_from(page, "wide", told)
    assert wide and not any(wide)
    told.clear()
    narrow.reload()
    narrowed = sent_from(narrow, "narrow", told)
    assert narrowed and all(narrowed)
    narrow.close()


def sent_from(tab: Page, name: str, told: list[tuple[str, bool]]) -> list[bool]:
    """What the server decided for each request the tab called `name` sent, once it sent one and
    settled (the server runs in a thread of this process, so its record grows while we wait)."""
    for _ in range(200):
        if any(sender == name for sender, _phone in told):
            break
        tab.wait_for_timeout(50)
    tab.wait_for_function(SETTLED)
    return [phone for sender, phone in told if sender == name]


def test_on_a_phone_the_page_links_wait_behind_the_pages_button(page: Page, live_server):
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(live_server + "/trends?sex=F")
    button, trends = page.locator("#nav-toggle"), page.locator("#nav-trends")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "nav-box")
    expect(page.locator("#nav-cases")).to_be_hidden()
    button.focus()
    page.keyboard.press("Enter")  # the keyboard opens it as a click does
    expect(button).to_have_attribute("aria-expanded", "true")
    for link in page.locator("#nav a.nav-link").all():  # every page, the link's filters kept
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", re.compile(r"\?sex=F$"))
    assert page.locator("#nav a.nav-link").count() == 10
    page.keyboard.press("Tab")  # the next stop after the button is the first page link
    expect(page.locator("#nav-overview")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(trends).to_be_hidden()
    button.click()
    page.locator("#nav-cases").click()  # following a link closes the menu on the new page
    expect(page).to_have_url(re.compile(r"/cases\?sex=F$"))
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(trends).to_be_hidden()
    page.set_viewport_size({"width": 800, "height": 900})  # from 768 px: links shown, no button
    expect(trends).to_be_visible()
    expect(button).to_be_hidden()
