"""Small helpers for reading what the browser shows."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def graph_data(page: Page, graph_id: str) -> list[dict]:
    """The plotly traces drawn in a dcc.Graph (waits until it has data)."""
    selector = f"#{graph_id} .js-plotly-plot"
    page.wait_for_function(
        f"() => {{ const g = document.querySelector('{selector}'); return g && g.data; }}"
    )
    return page.evaluate(f"() => document.querySelector('{selector}').data")


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
