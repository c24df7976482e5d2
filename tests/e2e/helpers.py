"""Small helpers for reading what the browser shows."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect


def graph_data(page: Page, graph_id: str) -> list[dict]:
    """The plotly traces drawn in a dcc.Graph (waits until it has data)."""
    selector = f"#{graph_id} .js-plotly-plot"
    page.wait_for_function(
        f"() => {{ const g = document.querySelector('{selector}'); return g && g.data; }}"
    )
    return page.evaluate(f"() => document.querySelector('{selector}').data")


def stacked_counts(page: Page, graph_id: str) -> dict[str, int]:
    """Each x's total over the bar traces of a dcc.Graph (stacked bars: the Overview's split of
    the 7-OH concentrate cases), the x with none left out."""
    totals: dict[str, int] = {}
    for trace in graph_data(page, graph_id):
        if trace.get("type") == "bar":
            for x, y in zip(trace["x"], trace["y"], strict=True):
                totals[x] = totals.get(x, 0) + (y or 0)
    return {x: n for x, n in totals.items() if n}


def csv_download(page: Page, folder: Path) -> tuple[list[dict], dict]:
    """Click "Download CSV", save the zip into `folder`: its cases.csv rows and its manifest."""
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download CSV").click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    with zipfile.ZipFile(path) as zf:
        cases = list(csv.DictReader(io.StringIO(zf.read("cases.csv").decode("utf-8-sig"))))
        return cases, json.loads(zf.read("manifest.json"))


def wait_for_text(page: Page, selector: str, text: str) -> None:
    expect(page.locator(selector)).to_have_text(text, timeout=15_000)


def page_problems(page: Page) -> list[str]:
    """From now on, collect the page's console errors and failed Dash callback requests."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.status} {r.url}")
            if "_dash-update-component" in r.url and r.status >= 400
            else None
        ),
    )
    return problems
