"""The Indications page's time-to-onset chart in a real browser, over the model fixture.

tests/fixtures/model/README.md: the three kratom cases (900001, 900005, 900006) have no THER row
in their kept reports (the one THER row, of ISR 9000011, belongs to a superseded version), so
none is counted and all three are "No kratom start date"; with `event_group=death` only 900005.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import page_problems
from tests.e2e.test_events_e2e import wait_for_graph

pytestmark = pytest.mark.e2e

GRAPH = "indications-onset"


def panels(page: Page, n_cases: int) -> tuple[dict[str, int], dict[str, int]]:
    """(bin → cases, reason → cases) once the reasons add up to `n_cases`."""
    data = wait_for_graph(
        page, GRAPH, f"data.length === 2 && data[1].x.reduce((a, b) => a + b, 0) === {n_cases}"
    )
    return tuple(dict(zip(t["y"], t["x"], strict=True)) for t in data)


def test_onset_chart_counts_every_kratom_case(page: Page, live_server):
    problems = page_problems(page)
    page.goto(live_server + "/indications")
    counted, skipped = panels(page, 3)
    assert set(counted.values()) == {0} and len(counted) == 6
    assert skipped == {
        "No kratom start date": 3,
        "No event date": 0,
        "A date not to the day": 0,
        "Kratom started after the event": 0,
    }
    # every fixed category shows its count, 0 too: 6 bins of 0, then 3 and three reasons of 0
    # (plotly's `auto` text position drew no text on a zero-width bar)
    labels = page.locator(f"#{GRAPH} .bartext")
    expect(labels).to_have_count(10)
    assert labels.all_text_contents() == ["0 (0.0%)"] * 6 + ["3 (100.0%)"] + ["0 (0.0%)"] * 3
    subtitle = page.locator(f"#{GRAPH} .gtitle-subtitle")
    assert (subtitle.text_content() or "").startswith("0 (0.0%) of 3 kratom cases give")
    page.goto(live_server + "/indications?event_group=death")
    assert panels(page, 1)[1]["No kratom start date"] == 1
    assert problems == []  # no console error, no failed callback
