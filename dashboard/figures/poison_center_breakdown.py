"""Breakdown charts of the poison-center page: published percents and counts by category, one bar
trace per source, each bar labelled with the figure as published."""

from __future__ import annotations

import textwrap

import polars as pl

from dashboard.figures import Figure, axis_name, empty_figure
from dashboard.figures.grid import subplot_grid
from dashboard.figures.poison_center_styles import EMPTY_PUBLISHED, new_figure, source_styles
from dashboard.figures.poison_center_text import hover_text, published_text, source_label


def _bar_labels(df: pl.DataFrame) -> list[str]:
    """A y label per row: the category, with its population and deaths when needed; a label
    that repeats in the frame gets its source added."""
    labels = []
    for row in df.to_dicts():
        label = row["category"]
        if row["population"] != "all":
            label += f" — {row['population']}"
        if row["unit"] == "deaths" and "decedent" not in row["population"]:
            label += " (deaths)"
        labels.append(label)
    repeated = {label for label in labels if labels.count(label) > 1}
    for i, row in enumerate(df.to_dicts()):
        if labels[i] in repeated:
            labels[i] += f" · {source_label(row['source_id'], row['citation'], row['publisher'])}"
    return ["<br>".join(textwrap.wrap(label, 44)) for label in labels]


def _bars(df: pl.DataFrame, field: str, refs: tuple[str, str], styles, shown) -> list[dict]:
    """One bar trace per source; the text on each bar is the figure as published."""
    labels = _bar_labels(df)
    by_source: dict[str, list[tuple[str, dict]]] = {}
    for label, row in zip(labels, df.to_dicts(), strict=True):
        by_source.setdefault(row["source_id"], []).append((label, row))
    traces = []
    for source_id, pairs in by_source.items():
        rows = [row for _, row in pairs]
        label = source_label(source_id, rows[0]["citation"], rows[0]["publisher"])
        traces.append(
            {
                "type": "bar",
                "y": [label for label, _ in pairs],
                "x": [r[field] for r in rows],
                "xaxis": refs[0],
                "yaxis": refs[1],
                "orientation": "h",
                "name": f"{label} ({rows[0]['geography']})",
                "legendgroup": source_id,
                "showlegend": source_id not in shown,
                "marker": {
                    "color": styles[source_id][0],
                    "pattern": {
                        "shape": ["/" if r["verification"] == "V-3p" else "" for r in rows]
                    },
                },
                "text": [published_text(r) for r in rows],
                "textposition": "outside",
                "cliponaxis": False,
                "customdata": [hover_text(r | {"is_calendar_year": True}) for r in rows],
                "hovertemplate": "%{customdata}<extra></extra>",
            }
        )
        shown.add(source_id)
    return traces


def breakdown_figure(df: pl.DataFrame, title: str) -> Figure:
    """Published percents (top) and counts without a published percent (below), by source."""
    if df.is_empty():
        return empty_figure(title, EMPTY_PUBLISHED)
    has_pct = pl.col("percent").is_not_null()
    # The unit is in each panel's title and on the percent ticks: no x-axis titles, which
    # sat under the upper panel's ticks, over the lower panel's title (and the legend's row).
    panels = [
        ("Percent, as published", "percent", df.filter(has_pct)),
        (
            "Count, as published (no percent published)",
            "count",
            df.filter(~has_pct & pl.col("count").is_not_null()),
        ),
    ]
    panels = [p for p in panels if not p[2].is_empty()]
    fig = new_figure(title, barmode="overlay", bargap=0.25)
    refs = subplot_grid(
        fig,
        len(panels),
        row_heights=[p[2].height + 1 for p in panels],
        vertical_spacing=0.2,
        titles=[p[0] for p in panels],
    )
    styles, shown = source_styles(df["source_id"].to_list()), set()
    for n, ((_, field, frame), panel_refs) in enumerate(zip(panels, refs, strict=True), 1):
        fig["data"] += _bars(frame, field, panel_refs, styles, shown)
        top = 100 if field == "percent" else max(frame[field].to_list())
        xaxis = fig["layout"][axis_name("x", n)]
        xaxis["range"] = [0, top * 1.3]
        if field == "percent":
            ticks = [0, 25, 50, 75, 100]
            xaxis |= {"tickvals": ticks, "ticktext": [f"{t}%" for t in ticks]}
        fig["layout"][axis_name("y", n)] |= {"autorange": "reversed", "type": "category"}
    return fig
