"""Overview in a real browser: numbers counted by hand from tests/fixtures/model/README.md."""

from __future__ import annotations

import json
import re

import plotly.io as pio
import polars as pl
import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import graph_data, stacked_counts, wait_for_text

pytestmark = pytest.mark.e2e


def test_headlines_and_trend(page: Page, live_server):
    page.goto(live_server + "/")
    wait_for_text(page, "#overview-n-cases", "3")  # 900001, 900005, 900006
    wait_for_text(page, "#overview-n-serious", "3")
    wait_for_text(page, "#overview-n-deaths", "1")  # 900005
    wait_for_text(page, "#overview-kratom-only", "0%")
    wait_for_text(page, "#overview-latest", "2021Q4")
    bars = graph_data(page, "overview-trend")[0]
    assert bars["x"][0] == "2012Q2" and bars["x"][-1] == "2021Q4"
    assert stacked_counts(page, "overview-trend") == {"2012Q2": 1, "2021Q4": 2}
    # 900005's product is a 7-OH concentrate: the second, stacked trace
    other, seven_oh = graph_data(page, "overview-trend")[:2]
    assert (other["name"], seven_oh["name"]) == ("Other kratom products", "7-OH concentrate")
    assert dict(zip(seven_oh["x"], seven_oh["y"], strict=True))["2021Q4"] == 1
    expect(page.get_by_text("Synthetic FAERS data")).to_be_hidden()  # the fixture is not synthetic
    expect(page.get_by_text("do not establish that kratom caused")).to_be_visible()


def test_filter_changes_url_and_reload_restores_it(page: Page, live_server):
    page.goto(live_server + "/")
    wait_for_text(page, "#overview-n-cases", "3")
    page.get_by_label("Primary suspect").check()
    expect(page).to_have_url(re.compile(r"role=primary"))
    wait_for_text(page, "#overview-n-cases", "2")  # 900001 and 900005: kratom PS
    wait_for_text(page, "#overview-n-deaths", "1")
    expect(page.locator("#filters-description")).to_contain_text("primary suspect")
    page.reload()
    wait_for_text(page, "#overview-n-cases", "2")
    expect(page.get_by_label("Primary suspect")).to_be_checked()
    page.get_by_role("button", name="Reset filters").click()
    wait_for_text(page, "#overview-n-cases", "3")
    expect(page).not_to_have_url(re.compile(r"role="))


def test_malformed_link_is_ignored_with_a_note(page: Page, live_server):
    page.goto(live_server + "/?sex=Q&bogus=%27%20OR%201%3D1--&role=primary")
    wait_for_text(page, "#overview-n-cases", "2")
    notes = page.locator("#filters-notes")
    expect(notes).to_contain_text("sex=Q")
    expect(notes).to_contain_text("bogus")


def test_nav_links_keep_the_filters(page: Page, live_server):
    page.goto(live_server + "/?role=primary")
    wait_for_text(page, "#overview-n-cases", "2")
    # the shell's callback sets the links; the page's numbers may arrive first
    expect(page.locator("#nav-overview")).to_have_attribute("href", "/?role=primary")


def test_the_navbar_name_keeps_the_filters_too(page: Page, live_server):
    page.goto(live_server + "/trends?sex=F&role=primary")
    brand = page.locator("a.navbar-brand")
    expect(brand).to_have_text("Kratom harms watch")
    # it linked to a bare "/", dropping the filters every page link keeps
    expect(brand).to_have_attribute("href", "/?role=primary&sex=F")
    brand.click()
    expect(page).to_have_url(re.compile(r"/\?role=primary&sex=F$"))
    expect(page.get_by_label("Primary suspect")).to_be_checked()


def test_event_date_shades_the_quarters_still_filling_in(page: Page, live_server):
    # kratom events 2012Q1, 2021Q1, 2021Q3; the newest file is 2021Q4 and the one kratom case
    # dated to the day (900001) reached FDA a quarter after its event: 2021Q4 is filling in
    page.goto(live_server + "/?date=event")
    legend = page.locator("#overview-trend .legendtext", has_text="Still filling in: 100% of")
    expect(legend).to_be_visible()
    bars = graph_data(page, "overview-trend")[0]
    assert (bars["x"][-1], bars["y"][-1]) == ("2021Q4", 0)
    n = len(bars["x"])
    shapes = page.evaluate(
        "() => document.querySelector('#overview-trend .js-plotly-plot').layout.shapes"
    )
    assert [(s["x0"], s["x1"]) for s in shapes] == [(n - 1.5, n - 0.5)]
    expect(page.locator("#overview-trend .shapelayer path")).to_have_count(1)
    page.get_by_label("Received date").check()  # by receipt: nothing to fill in
    expect(legend).to_have_count(0)
    expect(page.locator("#overview-trend .shapelayer path")).to_have_count(0)


# The Overview's trend at the demo's span (2004Q1-2026Q2) with the fixture's timeline, which is
# etl/reference/timeline.csv: its 2025Q3 triangle lists seven events. Their old hover (23 lines,
# about 390 px) was taller than the 380 px figure, and plotly drew no label at all; on a phone
# it was wider than the figure and ran past both edges. The fixture's own cases end in 2021Q4,
# so the figure is drawn here as dcc.Graph draws it, at the chart card's sizes.
PLOTLY_JS = "/_dash-component-suites/plotly/package_data/plotly.min.js"
DEMO_QUARTERS = [f"{year}Q{n}" for year in range(2004, 2027) for n in range(1, 5)][:90]


@pytest.mark.parametrize(
    ("window", "figure_px", "height", "phone"),
    [(1280, 918, 380, False), (768, 726, 380, False), (360, 330, 480, True)],
    ids=["1280", "768", "phone"],
)
def test_the_hover_of_a_triangle_of_seven_events_is_drawn_inside_the_figure(
    page: Page, live_server, model_db, window, figure_px, height, phone
):
    from dashboard.db import Database
    from dashboard.figures.overview import trend_figure
    from dashboard.figures.window import phone_layout
    from dashboard.queries.overview import timeline

    counts = pl.DataFrame({"period": DEMO_QUARTERS}).with_columns(
        n_cases=pl.lit(100), n_serious=pl.lit(0), n_deaths=pl.lit(0)
    )
    with phone_layout(phone):
        figure = trend_figure(
            counts, timeline(Database(model_db)), show_events=True, date_label="receipt by FDA"
        )
    page.set_viewport_size({"width": window, "height": 900})
    page.set_content(
        f'<div id="chart" class="dash-graph" style="width:{figure_px}px;height:{height}px"></div>'
    )
    page.add_script_tag(url=live_server + PLOTLY_JS)
    page.evaluate(
        """(f) => Plotly.newPlot('chart', f.data, f.layout).then(g => {
          window.hovered = null;
          g.on('plotly_hover', e => { window.hovered = e.points[0].x; });
        })""",
        json.loads(pio.to_json(figure, validate=False)),
    )
    # where plotly draws the 2025Q3 triangle; on a phone the quarters are 2.8 px apart and
    # plotly's nearest point can be a neighbour's, so the mouse steps until it reports 2025Q3
    # (plotly handles a mouse move at most every 50 ms: each step waits for it)
    x, y = page.evaluate(
        """() => {
          const g = document.getElementById('chart'), L = g._fullLayout;
          const box = g.getBoundingClientRect();
          return [box.left + L.xaxis._offset + L.xaxis.c2p(L.xaxis.d2c('2025Q3')),
                  box.top + L.yaxis._offset + L.yaxis.c2p(g.data.at(-1).y[0])];
        }"""
    )
    for step in [0.0] + [sign * n / 2 for n in range(1, 13) for sign in (1, -1)]:
        page.mouse.move(x + step, y)
        page.wait_for_timeout(150)
        if page.evaluate("() => window.hovered") == "2025Q3":
            break
    label = page.locator("#chart .hoverlayer .hovertext")
    expect(label).to_be_visible(timeout=5_000)
    assert page.evaluate("() => window.hovered") == "2025Q3"
    box, drawn = label.bounding_box(), page.locator("#chart").bounding_box()
    # inside the figure: plotly places a label that reaches the top up to 2 px above it
    assert box["x"] >= drawn["x"] - 3 and box["x"] + box["width"] <= drawn["x"] + figure_px + 3
    assert box["y"] >= drawn["y"] - 3 and box["y"] + box["height"] <= drawn["y"] + height + 3
    expect(label).to_contain_text("2025Q3: 7 events")
    expect(label).to_contain_text("LA County warning: 3 deaths with 7-OH")
