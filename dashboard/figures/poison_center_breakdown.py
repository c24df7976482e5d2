"""Breakdown charts of the poison-center page: published percents and counts by category, one bar
trace per source, each bar labelled with the figure as published."""

from __future__ import annotations

import textwrap

import polars as pl

from dashboard.figures import Figure, axis_name, empty_figure
from dashboard.figures.grid import subplot_grid
from dashboard.figures.phone_bars import LEFT_PX, names_over_bars, plot_px, rows, value_range
from dashboard.figures.poison_center_styles import EMPTY_PUBLISHED, new_figure, source_styles
from dashboard.figures.poison_center_text import (
    hover_text,
    population_text,
    published_text,
    source_label,
)
from dashboard.figures.titles import title_margin
from dashboard.figures.window import for_phone

VALUE_SIZE = 13  # the type of the figure written after each bar (the layout's)
# On a phone (`_phone_layout`): between the panels, the upper one's ticks and the lower one's
# title; above the first panel its title; under the last its ticks.
PHONE_GAP_PX, PHONE_TOP_PX, PHONE_TICKS_PX = 70, 80, 30
LEGEND_ENTRY_PX = 19  # a legend line of 11 px type (at least 16 px) and 3 px
LEGEND_PAD_PX = 10  # the legend's padding, and the gap between two sources' entries


def _bar_labels(df: pl.DataFrame, width: int = 44) -> list[str]:
    """A y label per row: the category, with its population and deaths when needed; a label
    that repeats in the frame gets its source added; in lines of `width` characters (0: one
    line)."""
    labels = []
    for row in df.to_dicts():
        label = row["category"]
        if row["population"] != "all":
            label += f" — {population_text(row['population'])}"
        if row["unit"] == "deaths" and "decedent" not in row["population"]:
            label += " (deaths)"
        labels.append(label)
    repeated = {label for label in labels if labels.count(label) > 1}
    for i, row in enumerate(df.to_dicts()):
        if labels[i] in repeated:
            labels[i] += f" · {source_label(row['source_id'], row['citation'], row['publisher'])}"
    return ["<br>".join(textwrap.wrap(label, width)) if width else label for label in labels]


def _bars(
    df: pl.DataFrame, field: str, refs: tuple[str, str], styles, shown, width: int = 44
) -> list[dict]:
    """One bar trace per source; the text on each bar is the figure as published; the labels
    in lines of `width` characters (`_bar_labels`)."""
    labels = _bar_labels(df, width)
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
    if for_phone():
        return _phone_layout(fig, panels, df)
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
        _percent_ticks(xaxis, field)
        fig["layout"][axis_name("y", n)] |= {"autorange": "reversed", "type": "category"}
    return fig


def _percent_ticks(xaxis: dict, field: str) -> None:
    if field == "percent":
        ticks = [0, 25, 50, 75, 100]
        xaxis |= {"tickvals": ticks, "ticktext": [f"{t}%" for t in ticks]}


def _phone_layout(fig: Figure, panels: list, df: pl.DataFrame) -> Figure:
    """A phone's breakdown: each row's name above its bar (`phone_bars`), each panel's value
    axis long enough for the figure written after its longest bar, the panels as tall as their
    rows, the legend one source a line under them, and the figure's own height in
    `layout.height` for the page. Beside their bars the names took most of a 360 px window and
    both ends of a row were cut ("…itted to a health-care facility", "515 of 55…")."""
    px = plot_px()
    styles, shown = source_styles(df["source_id"].to_list()), set()
    refs = [(f"x{n or ''}", f"y{n or ''}") for n in [0, *range(2, len(panels) + 1)]]
    traces = [_bars(p[2], p[1], r, styles, shown, 0) for p, r in zip(panels, refs, strict=True)]
    categories = [list(dict.fromkeys(y for t in panel for y in t["y"])) for panel in traces]
    placed = [rows(names, px) for names in categories]
    heights = [p.row_px * len(p.names) for p in placed]
    plot_height = sum(heights) + PHONE_GAP_PX * (len(panels) - 1)
    subplot_grid(
        fig,
        len(panels),
        row_heights=heights,
        vertical_spacing=PHONE_GAP_PX / plot_height,
        titles=[p[0] for p in panels],
        plot_px=px,
    )
    for n, (panel, field, names, rows_) in enumerate(
        zip(traces, [p[1] for p in panels], categories, placed, strict=True), 1
    ):
        fig["data"] += panel
        names_over_bars(fig, names, rows_, refs[n - 1])
        values = [x for t in panel for x in t["x"]]
        texts = [text for t in panel for text in t["text"]]
        top = 100 if field == "percent" else 0
        xaxis = fig["layout"][axis_name("x", n)]
        xaxis["range"] = [0, max(top, value_range(values, texts, VALUE_SIZE, px))]
        _percent_ticks(xaxis, field)
    sources = len(shown)
    legend_px = sources * LEGEND_ENTRY_PX + LEGEND_PAD_PX * sources
    legend = {"orientation": "v", "x": 0, "xanchor": "left", "yref": "container", "y": 0}
    fig["layout"]["legend"] = fig["layout"]["legend"] | legend | {"yanchor": "bottom"}
    margin = {"l": LEFT_PX, "t": PHONE_TOP_PX + title_margin(fig)}
    margin["b"] = PHONE_TICKS_PX + legend_px
    fig["layout"]["margin"] = fig["layout"].get("margin", {}) | margin
    fig["layout"]["height"] = margin["t"] + plot_height + margin["b"]
    return fig
