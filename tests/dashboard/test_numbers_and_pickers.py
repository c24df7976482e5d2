"""Small things a UX audit found: numbers without thousands separators (Trends' "8000", About's
"1114") and quarter pickers too narrow to show a chosen quarter ("201…")."""

from __future__ import annotations

import polars as pl

from dashboard import components, ids
from dashboard.figures import rate_per_100k
from tests.dashboard.helpers import isolated_page, plotly_figure


def find(component, component_id: str):
    """The component with `component_id` in a layout tree, and its parent; else (None, None)."""
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if getattr(child, "id", None) == component_id:
            return child, component
        if child is not None and not isinstance(child, str | int | float):
            found = find(child, component_id)
            if found[0] is not None:
                return found
    return None, None


def test_rate_axis_has_thousands_separators():
    # 8,000 per 100,000 (the demo's rate) read "8000"
    counts = pl.DataFrame(
        {"period": ["2020Q1", "2020Q2"], "n_cases": [80, 70], "n_all": [1000, 1000]}
    ).with_columns(rate_per_100k=pl.lit(0.0))
    figure = plotly_figure(
        rate_per_100k.rate_figure(counts, pl.DataFrame(), show_events=False, date_label="x")
    )
    assert figure.layout.yaxis2.tickformat == ","  # 8,000 and 0.5 alike
    assert figure.layout.yaxis.tickformat == ",d"


def test_about_spelling_counts_have_thousands_separators(monkeypatch):
    page = isolated_page("about", monkeypatch)
    columns = {c["field"]: c for c in page._SPELLING_COLUMNS}
    for field in ("n_cases", "n_report_rows"):  # MITRAGYNA SPECIOSA LEAF: 1114 report rows
        assert columns[field]["type"] == "numericColumn"
        assert "d3.format(',')" in columns[field]["valueFormatter"]["function"]


def test_quarter_pickers_are_wide_enough_for_a_quarter():
    panel = components.filter_panel({"quarters": ["2019Q3", "2019Q4"]})
    pickers = []
    for picker_id in (ids.F_DATE_FROM, ids.F_DATE_TO):
        dropdown, box = find(panel, picker_id)
        assert dropdown is not None
        pickers.append(box)
    # at least 10rem each (half the panel, about 126 px at 1280 px, showed "201…"); side by
    # side only when both fit, else one above the other
    assert all(box.style["flex"] == "1 1 10rem" for box in pickers)
    (row,) = [
        c
        for c in panel.children
        if isinstance(getattr(c, "children", None), list) and pickers[0] in c.children
    ]
    assert "flex-wrap" in row.className.split()
