"""Phone figures at the demo's scale, drawn by plotly.js in Chromium in a 360 px window's chart
(330 px wide) and checked as the widths test checks a page (`chart_problems`): four-digit
counts and every event group, which the model fixture's pages do not reach. On the phone
layout before names went above the bars, the event groups' "1,127 (53.8%)" ran past the
figure's right edge, and the About funnel's totals ran into each other and past its left edge
(docs/dashboard.md, "Widths")."""

from __future__ import annotations

import json

import plotly.io as pio
import polars as pl
import pytest
from playwright.sync_api import Page

from dashboard.figures import about, events
from dashboard.figures.window import phone_layout
from tests.e2e.chart_problems import PROBLEMS

pytestmark = pytest.mark.e2e

PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"
CHART_PX = 330  # a full-width chart card in a 360 px window
# The demo's event groups: cases with each, of 2,095 kratom cases (one year each: the share
# labels and names are what is checked, not the stacking).
GROUPS = {
    "Dependence and withdrawal": 1127,
    "Overdose and toxicity": 1126,
    "Death": 607,
    "Cognitive and neurological": 512,
    "Cardiovascular": 490,
    "Gastrointestinal": 458,
    "Liver injury": 393,
    "Psychiatric and mood": 378,
    "Seizure": 271,
    "Respiratory depression": 98,
    "Other": 86,
    "Product quality and contamination": 28,
    "Pregnancy and neonatal": 21,
}
# The demo's deduplication funnel: report versions read, latest versions, after the deleted lists
FUNNEL = {"aers": (22_572, 17_459, 17_178), "faers": (80_197, 63_462, 62_704)}


def draw(page: Page, server: str, figure: dict, height: int) -> list[str]:
    """`figure` drawn as dcc.Graph draws it in a phone's chart card; what is wrong with it."""
    page.set_viewport_size({"width": 360, "height": 900})
    page.set_content(f'<div id="chart" class="dash-graph" style="width:{CHART_PX}px"></div>')
    page.add_script_tag(url=server + PLOTLY_JS)
    plain = json.loads(pio.to_json(figure, validate=False))
    page.evaluate(
        """([f, h]) => {
          document.getElementById('chart').style.height = h + 'px';
          return Plotly.newPlot('chart', f.data, f.layout, {displaylogo: false});
        }""",
        [plain, height],
    )
    return page.evaluate(PROBLEMS)


def test_event_groups_fit_a_360_px_window(page: Page, live_server):
    frame = pl.DataFrame(
        {
            "term": list(GROUPS),
            "year": ["2024"] * len(GROUPS),
            "n_cases": list(GROUPS.values()),
            "n_year_cases": [2095] * len(GROUPS),
            "n_term_cases": list(GROUPS.values()),
            "n_total": [2095] * len(GROUPS),
        }
    )
    with phone_layout():
        figure = events.terms_by_year_figure(
            frame, "Event groups", field="event_groups", y_title="Event group"
        )
    # the page gives the chart the figure's own height on a phone, else its chart_height
    height = figure["layout"].get("height") or events.chart_height(len(GROUPS))
    assert draw(page, live_server, figure, height) == []


def test_the_deduplication_funnel_fits_a_360_px_window(page: Page, live_server):
    steps = ("report_versions", "latest_versions", "after_deleted")
    rows = [{"era": era} | dict(zip(steps, counts, strict=True)) for era, counts in FUNNEL.items()]
    totals = [sum(counts) for counts in zip(*FUNNEL.values(), strict=True)]
    rows.append({"era": "total"} | dict(zip(steps, totals, strict=True)))
    with phone_layout():
        figure = about.funnel_figure(pl.DataFrame(rows))
    assert draw(page, live_server, figure, 380 + 100) == []  # the card's height on a phone
    totals_drawn = next(t for t in figure["data"] if t["type"] == "scatter")["text"]
    assert totals_drawn == ["total<br>102,769", "total<br>80,921", "total<br>79,882"]
