"""Trends in a real browser: numbers counted by hand from tests/fixtures/model/README.md.

Kept cases by quarter of first receipt: 2012Q2 900001 (kratom) and 900002; 2013Q1 900004 and
900007; 2021Q4 900005 and 900006 (both kratom). Event dates: 900001 2012-03-01 (day), 900002
2012-03 (month), 900007 2012-12-20, 900004 2013-01-05, 900005 2021-09 (month), 900006 2021
(year). Kratom PS: 900001 and 900005; 900006 has kratom concomitant.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import graph_data, page_problems, wait_for_text
from tests.e2e.test_events_e2e import empty_message, wait_for_graph

pytestmark = pytest.mark.e2e

P = "trends"
EVENTS_TRACE = "triangle-down"  # the dated events' marks: a trace per kind ("regulatory event")


def nonzero(xs: list, ys: list) -> dict:
    return {x: y for x, y in zip(xs, ys, strict=True) if y}


def wait_for_rate(page: Page, n_cases: int) -> tuple[dict, dict, dict]:
    """Once the bars add up to `n_cases`: kratom cases, all cases and rate, by quarter (the
    bars' hover data: the quarterly files' kratom cases and all their cases)."""
    data = wait_for_graph(
        page, f"{P}-rate", f"data.length && data[0].y.reduce((a, b) => a + b, 0) === {n_cases}"
    )
    bars = next(t for t in data if t["type"] == "bar")
    line = next(t for t in data if t.get("name") == "Per 100,000 FAERS cases")
    return (
        nonzero(bars["x"], bars["y"]),
        nonzero(bars["x"], [n_all for _n_rate, n_all in bars["customdata"]]),
        {x: y for x, y in zip(line["x"], line["y"], strict=True) if y is not None},
    )


def test_rate_groups_dating_and_lag(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/trends")
    expect(page.locator("h1")).to_have_text("Trends")
    kratom, everyone, rate = wait_for_rate(page, 3)
    assert kratom == {"2012Q2": 1, "2021Q4": 2}
    assert everyone == {"2012Q2": 2, "2013Q1": 2, "2021Q4": 2}
    assert rate == {"2012Q2": 50_000, "2013Q1": 0, "2021Q4": 100_000}
    groups = wait_for_graph(page, f"{P}-groups", "data.length === 4")  # one panel per group
    titles = page.evaluate(
        f"() => document.querySelector('#{P}-groups .js-plotly-plot').layout.annotations"
        ".map(a => a.text)"
    )
    panels = {t: nonzero(g["x"], g["y"]) for t, g in zip(titles, groups, strict=True)}
    assert panels == {
        "Dependence and withdrawal": {2012: 1},
        "Death": {2021: 1},
        "Overdose and toxicity": {2021: 1},
        "Cognitive and neurological": {2021: 1},
    }
    dating = {t["name"]: nonzero(t["x"], t["y"]) for t in graph_data(page, f"{P}-dating")}
    assert dating["Received by FDA"] == {"2012Q2": 1, "2021Q4": 2}
    assert dating["Event date"] == {"2012Q1": 1, "2021Q1": 1, "2021Q3": 1}
    lag = graph_data(page, f"{P}-lag")[0]
    assert nonzero(lag["x"], lag["y"]) == {"31–90 d": 1}  # 900001: 2012-03-01 → 2012-04-10
    expect(page.locator(f"#{P}-lag .gtitle")).to_have_text("Reporting lag (median 40 days)")
    wait_for_text(
        page,
        f"#{P}-dating-text",
        "Of 3 kratom cases, 3 (100%) give an event date and 1 (33%) give it to the day; "
        "the lag chart uses only those.",
    )
    assert problems == []  # no console error, no failed callback


def test_primary_suspect_filter_changes_charts_url_and_survives_reload(page: Page, live_server):
    page.goto(live_server + "/trends")
    wait_for_rate(page, 3)
    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"/trends\?.*role=primary"))
    kratom, everyone, rate = wait_for_rate(page, 2)  # 900001 and 900005
    assert kratom == {"2012Q2": 1, "2021Q4": 1}
    assert everyone == {"2012Q2": 2, "2013Q1": 2, "2021Q4": 2}  # the background is not filtered
    assert rate == {"2012Q2": 50_000, "2013Q1": 0, "2021Q4": 50_000}
    wait_for_text(
        page,
        f"#{P}-dating-text",
        "Of 2 kratom cases, 2 (100%) give an event date and 1 (50%) give it to the day; "
        "the lag chart uses only those.",
    )
    page.reload()
    assert wait_for_rate(page, 2)[0] == {"2012Q2": 1, "2021Q4": 1}
    expect(page.get_by_label("Primary suspect")).to_be_checked()


def test_counting_by_event_date_and_hiding_the_dated_events(page: Page, live_server):
    page.goto(live_server + "/trends")
    wait_for_rate(page, 3)
    page.get_by_label("Event date").check()
    expect(page).to_have_url(re.compile(r"/trends\?.*date=event"))
    data = wait_for_graph(page, f"{P}-rate", "data.length && data[0].x[0] === '2012Q1'")
    bars, line = data[0], data[1]
    assert nonzero(bars["x"], bars["y"]) == {"2012Q1": 1, "2021Q1": 1, "2021Q3": 1}
    # background by event quarter: 2012Q1 900001 and 900002, 2012Q4 900007, 2013Q1 900004
    assert nonzero(bars["x"], [n_all for _n_rate, n_all in bars["customdata"]]) == {
        "2012Q1": 2,
        "2012Q4": 1,
        "2013Q1": 1,
        "2021Q1": 1,
        "2021Q3": 1,
    }
    assert nonzero(line["x"], line["y"]) == {"2012Q1": 50_000, "2021Q1": 100_000, "2021Q3": 100_000}
    marks = [t for t in data if t.get("marker", {}).get("symbol") == EVENTS_TRACE]
    assert marks and all(t["name"].endswith((" event", "several kinds")) for t in marks)
    switch = page.get_by_label("Show regulatory and data-format events")
    switch.uncheck()
    expect(page).to_have_url(re.compile(r"/trends\?date=event&marks=false$"))  # in the link
    no_marks = f"data.every(t => !t.marker || t.marker.symbol !== '{EVENTS_TRACE}')"
    wait_for_graph(page, f"{P}-rate", no_marks)
    wait_for_graph(page, f"{P}-dating", no_marks)
    page.reload()  # was back on after a reload
    expect(switch).not_to_be_checked()
    wait_for_graph(page, f"{P}-rate", f"data.length && {no_marks}")


def test_no_matching_cases_shows_the_empty_state(page: Page, live_server):
    # Kratom was the primary suspect on 900001 (sex unknown) and 900005 (male) only.
    page.goto(live_server + "/trends?role=primary&sex=F")
    for chart in ("rate", "products", "groups", "dating"):
        expect(empty_message(page, f"{P}-{chart}")).to_be_visible(timeout=15_000)
    lag_empty = "No case matching these filters has an event date to the day"
    expect(empty_message(page, f"{P}-lag", lag_empty)).to_be_visible()
    expect(page.locator(f"#{P}-dating-text")).to_be_empty()
    expect(page).to_have_url(re.compile(r"/trends\?role=primary&sex=F$"))


def test_products_by_year_follow_the_product_filter(page: Page, live_server):
    # 900001 unspecified (2012), 900005 7-OH concentrate and 900006 leaf / powder (2021)
    page.goto(live_server + "/trends")
    data = wait_for_graph(page, f"{P}-products", "data.length === 6")
    counts = {t["name"]: nonzero(t["x"], t["y"]) for t in data if t.get("showlegend") is not False}
    assert counts == {
        "Leaf / powder": {2021: 1},
        "7-OH concentrate": {2021: 1},
        "Not stated": {2012: 1},
    }
    page.goto(live_server + "/trends?product=concentrate_7oh")
    data = wait_for_graph(page, f"{P}-products", "data.length === 2")
    assert nonzero(data[0]["x"], data[0]["y"]) == {2021: 1}
    assert data[1]["y"] == [100]  # the only case of its only year
