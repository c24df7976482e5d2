"""Event types in a real browser: numbers counted by hand from tests/fixtures/model/README.md.

Kratom cases: 900001 (Drug dependence, Withdrawal syndrome; kratom PS), 900005 (Toxicity to
various agents, Death; kratom PS) and 900006 (Somnolence; kratom concomitant).
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import graph_data, page_problems

pytestmark = pytest.mark.e2e

EMPTY = "No cases match these filters"
ALL_PTS = {
    "Drug dependence": 1,
    "Withdrawal syndrome": 1,
    "Toxicity to various agents": 1,
    "Death": 1,
    "Somnolence": 1,
}
ALL_GROUPS = {
    "Dependence and withdrawal": 1,
    "Death": 1,
    "Overdose and toxicity": 1,
    "Cognitive and neurological": 1,
}


def bar_counts(page: Page, graph_id: str) -> dict[str, int]:
    """Cases per bar label of a horizontal bar chart, summed over its stacked bar traces."""
    counts: Counter[str] = Counter()
    for trace in graph_data(page, graph_id):
        if trace.get("type") == "bar":
            for label, n in zip(trace["y"], trace["x"], strict=True):
                counts[label] += n
    return dict(counts)


def wait_for_bars(page: Page, graph_id: str, labels: set[str]) -> dict[str, int]:
    """Wait until the chart's bar labels are exactly `labels`; return the counts then."""
    page.wait_for_function(
        """([id, want]) => {
            const g = document.querySelector('#' + id + ' .js-plotly-plot');
            if (!g || !g.data) return false;
            const got = new Set(g.data.filter(t => t.type === 'bar').flatMap(t => t.y));
            return got.size === want.length && want.every(w => got.has(w));
        }""",
        arg=[graph_id, sorted(labels)],
        timeout=15_000,
    )
    return bar_counts(page, graph_id)


def wait_for_graph(page: Page, graph_id: str, predicate: str) -> list[dict]:
    """Wait until the JS expression `predicate` (of the graph's traces, `data`) is true."""
    page.wait_for_function(
        f"""(id) => {{
            const g = document.querySelector('#' + id + ' .js-plotly-plot');
            if (!g || !g.data) return false;
            const data = g.data;
            return {predicate};
        }}""",
        arg=graph_id,
        timeout=15_000,
    )
    return graph_data(page, graph_id)


def empty_message(page: Page, graph_id: str, text: str = EMPTY):
    """An empty chart's sentence, broken into lines or not (each line is a tspan of its own, so
    the element's text runs the lines together without a space)."""
    words = r"\s*".join(re.escape(word) for word in text.split())
    return page.locator(f"#{graph_id} .annotation-text", has_text=re.compile(words))


def click_bar(page: Page, graph_id: str, label: str) -> None:
    """A real mouse click on the middle of the horizontal bar at y-axis label `label`."""
    tick = page.locator(f"#{graph_id} .ytick text", has_text=re.compile(f"^{re.escape(label)}$"))
    expect(tick).to_have_count(1, timeout=15_000)
    tick.scroll_into_view_if_needed()  # mouse coordinates are of the viewport
    tick_box = tick.bounding_box()
    row_y = tick_box["y"] + tick_box["height"] / 2
    for bar in page.locator(f"#{graph_id} .barlayer .point path").all():
        box = bar.bounding_box()
        if box and box["height"] and box["y"] <= row_y <= box["y"] + box["height"]:
            x, y = box["x"] + box["width"] / 2, row_y
            break
    else:
        raise AssertionError(f"no bar at {label!r} in #{graph_id}")
    page.mouse.move(x, y)
    expect(page.locator(f"#{graph_id} .hoverlayer .hovertext")).to_be_visible(timeout=5_000)
    page.mouse.click(x, y)


def test_terms_and_groups_counted_once_per_case(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/events")
    expect(page.locator("h1")).to_have_text("Event types")
    assert wait_for_bars(page, "events-pts", set(ALL_PTS)) == ALL_PTS
    assert wait_for_bars(page, "events-groups", set(ALL_GROUPS)) == ALL_GROUPS
    # stacked by year of receipt: 900001 in 2012, 900005 and 900006 in 2021
    years = {t["name"]: set(t["y"]) for t in graph_data(page, "events-pts") if t["type"] == "bar"}
    assert years == {
        "2012": {"Drug dependence", "Withdrawal syndrome"},
        "2021": {"Toxicity to various agents", "Death", "Somnolence"},
    }
    assert problems == []  # no console error, no failed callback


def test_primary_suspect_survives_reload_and_a_group_click_adds_to_it(page: Page, live_server):
    page.goto(live_server + "/events")
    wait_for_bars(page, "events-pts", set(ALL_PTS))
    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"/events\?.*role=primary"))
    primary = {k: v for k, v in ALL_PTS.items() if k != "Somnolence"}  # 900006: kratom is C
    assert wait_for_bars(page, "events-pts", set(primary)) == primary
    groups = {k: v for k, v in ALL_GROUPS.items() if k != "Cognitive and neurological"}
    assert wait_for_bars(page, "events-groups", set(groups)) == groups
    page.reload()
    assert wait_for_bars(page, "events-pts", set(primary)) == primary
    expect(page.get_by_label("Primary suspect")).to_be_checked()
    # a click on a group bar adds the group and keeps the role
    wait_for_bars(page, "events-groups", set(groups))
    click_bar(page, "events-groups", "Dependence and withdrawal")
    expect(page).to_have_url(re.compile(r"role=primary.*event_group=dependence_withdrawal"))
    expect(page.locator("#filters-description")).to_contain_text("dependence/withdrawal")
    only_900001 = {"Drug dependence": 1, "Withdrawal syndrome": 1}
    assert wait_for_bars(page, "events-pts", set(only_900001)) == only_900001


def test_clicking_a_bar_filters_on_its_term(page: Page, live_server):
    page.goto(live_server + "/events")
    wait_for_bars(page, "events-pts", set(ALL_PTS))
    description = page.locator("#filters-description")
    expect(description).not_to_contain_text("Death")
    click_bar(page, "events-pts", "Death")
    expect(page).to_have_url(re.compile(r"/events\?.*pt=Death"))
    expect(description).to_contain_text("preferred term 'Death'")
    only_900005 = {"Toxicity to various agents": 1, "Death": 1}
    assert wait_for_bars(page, "events-pts", set(only_900005)) == only_900005
    both = {"Death": 1, "Overdose and toxicity": 1}
    assert wait_for_bars(page, "events-groups", set(both)) == both


def test_no_matching_cases_shows_the_empty_state(page: Page, live_server):
    # Seizure was reported only on 900003, which the 2021Q4 deleted list removes.
    page.goto(live_server + "/events?event_group=seizure")
    expect(empty_message(page, "events-pts")).to_be_visible(timeout=15_000)
    expect(empty_message(page, "events-groups")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/events\?event_group=seizure$"))
    expect(page.locator("#filters-description")).to_contain_text("event group seizure")


def test_link_with_quarters_without_cases_is_kept_and_shows_the_empty_state(
    page: Page, live_server
):
    # 2014Q1 and 2015Q4 are not among the quarter dropdown's options; the link keeps them.
    page.goto(live_server + "/events?from=2014Q1&to=2015Q4")  # no kratom case received then
    expect(empty_message(page, "events-pts")).to_be_visible(timeout=15_000)
    expect(empty_message(page, "events-groups")).to_be_visible()
    expect(page.locator("#filters-description")).to_contain_text("received 2014Q1–2015Q4")
    page.wait_for_load_state("networkidle")  # every callback of the first render has answered
    expect(page).to_have_url(re.compile(r"/events\?from=2014Q1&to=2015Q4$"))
    expect(empty_message(page, "events-pts")).to_be_visible()


def test_top_50_is_in_the_link_and_survives_a_reload(page: Page, live_server):
    """Choosing "Show the top 50" writes `top=50` into the link (was lost on reload)."""
    problems = page_problems(page)
    page.goto(live_server + "/events?role=primary")
    title = page.locator("#events-pts .gtitle")
    expect(title).to_have_text("Top 20 preferred terms")
    top = page.locator("#events-top")
    top.get_by_label("50", exact=True).check()
    expect(page).to_have_url(re.compile(r"/events\?role=primary&top=50$"))
    expect(title).to_have_text("Top 50 preferred terms")
    primary = {k: v for k, v in ALL_PTS.items() if k != "Somnolence"}  # the role still applies
    assert wait_for_bars(page, "events-pts", set(primary)) == primary
    expect(page.locator("#nav-overview")).to_have_attribute("href", "/?role=primary&top=50")

    page.reload()
    expect(title).to_have_text("Top 50 preferred terms")
    expect(top.get_by_label("50", exact=True)).to_be_checked()
    assert wait_for_bars(page, "events-pts", set(primary)) == primary

    page.go_back()
    expect(page).to_have_url(re.compile(r"/events\?role=primary$"))
    expect(title).to_have_text("Top 20 preferred terms")
    expect(top.get_by_label("20", exact=True)).to_be_checked()
    top.get_by_label("10", exact=True).check()
    expect(page).to_have_url(re.compile(r"/events\?role=primary&top=10$"))
    expect(title).to_have_text("Top 10 preferred terms")
    top.get_by_label("20", exact=True).check()  # the default again: left out of the link
    expect(page).to_have_url(re.compile(r"/events\?role=primary$"))
    expect(title).to_have_text("Top 20 preferred terms")
    assert problems == []


def test_a_value_no_case_has_and_a_criterion_not_applied_are_said(page: Page, live_server):
    """A typo in a shared link showed "No cases match" with no note; kratom_only under
    population=all was dropped without a word under the sentence."""
    problems = page_problems(page)
    page.goto(live_server + "/events?pt=Notaterm")
    notes = page.locator("#filters-link-notes")
    expect(notes).to_have_text(
        "Note: no kratom case in this database has the preferred term 'Notaterm'."
    )
    expect(empty_message(page, "events-pts")).to_be_visible()
    expect(page.locator("#filters-notes")).to_be_empty()  # well-formed: nothing was ignored
    page.goto(live_server + "/events?kratom_only=true&population=all")
    expect(notes).to_have_text(
        "Note: 'kratom_only=true' not applied: this page counts every FAERS case (population=all)."
    )
    page.locator("#nav-trends").click()  # applied there: no note
    expect(page).to_have_url(re.compile(r"/trends\?population=all&kratom_only=true$"))
    expect(notes).to_be_empty()
    assert problems == []


def legend_names(page: Page) -> list[str]:
    return [t["name"] for t in graph_data(page, "events-compare")]


def test_event_groups_compared_across_a_split(page: Page, live_server):
    """The comparison's split is in the link; its legend gives each category's n and its hover
    k of n with the Wilson interval. Hand counts: 900005 names FENTANYL (an opioid); 900001
    (ALCOHOL) and 900006 (gabapentin) do not, 900001 reporting dependence and withdrawal."""
    problems = page_problems(page)
    page.goto(live_server + "/events")
    by_product = [
        "Leaf / powder (n=1, share unstable)",
        "7-OH concentrate (n=1, share unstable)",
        "Not stated (n=1, share unstable)",
    ]
    wait_for_graph(
        page, "events-compare", f"data.length === 3 && data[0].name === {by_product[0]!r}"
    )
    assert legend_names(page) == by_product
    page.locator("#events-split").get_by_label("Opioid co-exposure").check()
    expect(page).to_have_url(re.compile(r"/events\?split=opioid$"))
    wait_for_graph(page, "events-compare", "data.length === 2")
    assert legend_names(page) == [
        "With an opioid (n=1, share unstable)",
        "Without an opioid (n=2, share unstable)",
    ]
    expect(page.locator("#events-compare .legendtext").nth(1)).to_have_text(
        "Without an opioid (n=2, share unstable)"
    )
    # the hollow point of 'Without an opioid' in the third row, Dependence and withdrawal:
    # 1 of 2 cases, Wilson 95% interval 9.5% to 90.5%
    point = page.locator("#events-compare .scatterlayer .trace").nth(1).locator(".point").nth(2)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator("#events-compare .hoverlayer .hovertext")
    expect(hover).to_contain_text("Without an opioid: 1 of 2 cases (50.0%)")
    expect(hover).to_contain_text("95% interval 9.5–90.5%")
    page.reload()
    expect(page.locator("#events-split").get_by_label("Opioid co-exposure")).to_be_checked()
    assert problems == []
