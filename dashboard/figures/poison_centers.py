"""Figures of the poison-center page: published series as published, beside FAERS cases by year.

Rules: each published series is its own trace, named after its source; figures from different
sources are never joined into one line. A figure for one calendar year is a point at mid-year; a
total over several years (or part of a year) is a horizontal segment across its whole period,
labelled, never drawn as a yearly value. Rows checked only against a third-party restatement
(verification `V-3p`) get open diamond markers and say so on hover. Nothing is computed: bars
show the count or percent the source published.

This module holds the time chart and what both charts share (styles per source, the empty text);
the breakdown charts are in `poison_center_breakdown.py`, the words in `poison_center_text.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from dashboard.figures import (
    MUTED_TEXT,
    PALETTE,
    TEMPLATE_JSON,
    Figure,
    axis_name,
    empty_figure,
)
from dashboard.figures.grid import subplot_grid
from dashboard.figures.poison_center_text import hover_text, period_text, series_name

EMPTY_PUBLISHED = "No published figures for this geography and these dates"
# Below the chart, anchored left (an automatic anchor lets a tall legend squeeze the plot).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}
LEGEND |= {"font": {"size": 11}}
SERIES_KEY = ("source_id", "geography", "unit", "population")
_SYMBOLS = ("circle", "square", "triangle-up")
_DASHES = ("solid", "dash", "longdash")


def source_styles(
    sources: list[str], together: Iterable[Iterable[str]] = ()
) -> dict[str, tuple[str, str, str]]:
    """(colour, marker symbol, line dash) per source; grey stays FAERS's.

    There are more sources than colours: sources drawn in one panel (each set of `together`)
    get different colours wherever the palette allows, the sources with the most such
    neighbours choosing first; a colour used again gets the next marker symbol and line dash.
    """
    names = sorted(set(sources))
    groups = [set(group) for group in together]
    neighbours = {s: set().union(*(g for g in groups if s in g)) - {s} for s in names}
    colours, n = PALETTE[:-1], len(PALETTE) - 1
    uses = [0] * n
    chosen: dict[str, int] = {}
    for s in sorted(names, key=lambda s: (-len(neighbours[s]), s)):
        taken = {chosen[o] for o in neighbours[s] if o in chosen}
        free = [i for i in range(n) if i not in taken] or list(range(n))
        chosen[s] = min(free, key=lambda i: (uses[i], i))
        uses[chosen[s]] += 1
    styles, seen = {}, [0] * n
    for s in names:  # symbols and dashes in name order, whatever the order colours were chosen in
        i = chosen[s]
        styles[s] = (colours[i], _SYMBOLS[seen[i] % 3], _DASHES[seen[i] % 3])
        seen[i] += 1
    return styles


def _groups(df: pl.DataFrame) -> list[tuple[str, list[dict]]]:
    """(series key, rows) per published series, in the frame's order."""
    out: dict[str, list[dict]] = {}
    for row in df.to_dicts():
        out.setdefault("|".join(str(row[k]) for k in SERIES_KEY), []).append(row)
    return list(out.items())


# The time chart --------------------------------------------------------------------------------


def _mid_year(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def _yearly_trace(rows: list[dict], style: tuple[str, str, str]) -> dict:
    """Points at mid-year, joined only between consecutive years (a gap breaks the line)."""
    colour, symbol, _ = style
    x, y, text, symbols = [], [], [], []
    for row in sorted(rows, key=lambda r: r["period_start"]):
        year = row["period_start"].year
        if x and x[-1] is not None and x[-1].year != year - 1:
            x, y, text, symbols = [*x, None], [*y, None], [*text, ""], [*symbols, symbol]
        x.append(_mid_year(year))
        y.append(row["count"])
        text.append(hover_text(row))
        symbols.append("diamond-open" if row["verification"] == "V-3p" else symbol)
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "line": {"color": colour, "width": 2},
        "marker": {"symbol": symbols, "size": 9, "color": colour, "line": {"width": 2}},
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
        "connectgaps": False,
    }


def _period_trace(rows: list[dict], style: tuple[str, str, str]) -> dict:
    """One horizontal segment per row across its whole period, with bracket ends."""
    colour, _, dash = style
    x, y, text = [], [], []
    for row in rows:
        x += [row["period_start"], row["period_end"], None]
        y += [row["count"], row["count"], None]
        text += [hover_text(row)] * 2 + [""]
    dashed = all(r["verification"] == "V-3p" for r in rows)
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers",
        "line": {"color": colour, "width": 4, "dash": "dot" if dashed else dash},
        "marker": {"symbol": "line-ns-open", "size": 14, "color": colour, "line": {"width": 2}},
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
    }


# Label places beside a segment, nearest first: (pixels from the line, side). A label's near
# edge clears the segment's end ticks (14 px tall, so 7 px either side of the line).
_LABEL_PLACES = ((8, "bottom"), (-8, "top"), (22, "bottom"), (-22, "top"), (36, "bottom"))


def _segment_labels(rows: list[dict], refs: tuple[str, str]) -> list[dict]:
    """Label each segment with its count, unit and period, just above it; a label near another
    segment's goes below, or a row higher."""
    top = max((r["count"] for r in rows), default=0) or 1
    placed: list[tuple[dt.date, int, int]] = []  # (middle, count, place)
    labels = []
    for row in sorted(rows, key=lambda r: -r["count"]):
        middle = row["period_start"] + (row["period_end"] - row["period_start"]) / 2
        near = {
            place
            for m, c, place in placed
            if abs((m - middle).days) < 6 * 365 and abs(c - row["count"]) < 0.15 * top
        }
        last = len(_LABEL_PLACES) - 1
        place = next(k for k in range(len(_LABEL_PLACES)) if k not in near or k == last)
        placed.append((middle, row["count"], place))
        shift, side = _LABEL_PLACES[place]
        period = period_text(row["period_start"], row["period_end"])
        labels.append(
            {
                "x": middle,
                "y": row["count"],
                "xref": refs[0],
                "yref": refs[1],
                "text": f"{row['count']:,} {row['unit']}, {period}",
                "showarrow": False,
                "yanchor": side,
                "yshift": shift,
                "font": {"size": 10},
            }
        )
    return labels


def _add_published(
    fig: Figure, df: pl.DataFrame, refs: tuple[str, str], styles, shown: set
) -> None:
    """One trace per series: yearly points, and segments for totals over a period."""
    for key, rows in _groups(df):
        style = styles[rows[0]["source_id"]]
        yearly = [r for r in rows if r["is_calendar_year"]]
        spans = [r for r in rows if not r["is_calendar_year"]]
        for part, build in ((yearly, _yearly_trace), (spans, _period_trace)):
            if not part:
                continue
            trace = build(part, style)
            trace |= {"xaxis": refs[0], "yaxis": refs[1], "name": series_name(rows[0])}
            trace |= {"legendgroup": key, "showlegend": key not in shown}
            fig["data"].append(trace)
            shown.add(key)
    spans = [r for r in df.to_dicts() if not r["is_calendar_year"]]
    fig["layout"]["annotations"] = [*fig["layout"].get("annotations", [])]
    fig["layout"]["annotations"] += _segment_labels(spans, refs)


def _faers_trace(faers: pl.DataFrame) -> dict:
    years = faers["year"].to_list()
    return {
        "type": "bar",
        "x": [_mid_year(y) for y in years],
        "y": faers["n_cases"].to_list(),
        "width": [300 * 86_400_000] * len(years),
        "name": "FAERS kratom cases (deduplicated)",
        "marker": {"color": PALETTE[-1]},
        "customdata": [list(r) for r in faers.select("year", "n_serious", "n_deaths").rows()],
        "hovertemplate": "<b>FAERS</b><br>%{customdata[0]}: %{y:,} cases<br>"
        "%{customdata[1]:,} serious, %{customdata[2]:,} with death reported<extra></extra>",
    }


def new_figure(title: str, **layout) -> Figure:
    return {
        "data": [],
        "layout": {"template": TEMPLATE_JSON, "title": {"text": title}, "legend": LEGEND, **layout},
    }


def _padded_range(frame: pl.DataFrame, column: str, labelled: bool) -> list[float]:
    """A panel's y range: below zero by a little, so markers and end ticks at 0 show whole, and
    room above the highest value for its label under the panel's title."""
    top = max(frame[column].max() or 0, 1)
    return [-0.07 * top, top * (1.25 if labelled else 1.12)]


def _no_published_panel(fig: Figure, n: int) -> None:
    """Panel `n` left empty, saying that nothing was published for this selection (FAERS below
    it follows the filter panel, not the geography)."""
    layout = fig["layout"]
    x_axis, y_axis = layout[axis_name("x", n)], layout[axis_name("y", n)]
    x_axis["visible"] = y_axis["visible"] = False
    layout["annotations"] = [
        *layout.get("annotations", []),
        {
            "text": EMPTY_PUBLISHED,
            "x": sum(x_axis["domain"]) / 2,
            "y": sum(y_axis["domain"]) / 2,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 14, "color": MUTED_TEXT},
        },
    ]


def series_figure(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> Figure:
    """Small multiples on one time axis: per-year poison-centre figures, totals over a period,
    deaths, and FAERS cases per year. Empty panels are left out; with FAERS cases but no
    published figure, a panel says so above the FAERS one."""
    title = "Published kratom figures beside FAERS cases, by year"
    yearly = contacts.filter(pl.col("is_calendar_year"))
    spans = contacts.filter(~pl.col("is_calendar_year"))
    # (title, y-axis title, rows, height): labelled segments get more height, their labels
    # sitting between neighbouring segments
    panels = [
        ("Poison centres: one calendar year each", "Per year", yearly, 1.0),
        ("Poison centres: totals over a period (not per year)", "Total in period", spans, 1.8),
        ("Deaths with kratom, as published", "Deaths", deaths, 1.8),
    ]
    panels = [p for p in panels if not p[2].is_empty()]
    if not panels and faers.is_empty():
        return empty_figure(title, EMPTY_PUBLISHED)
    if not panels:
        panels.append(("Poison centres and deaths, as published", "", None, 0.5))
    if not faers.is_empty():
        panels.append(("FAERS kratom cases by year (deduplicated)", "FAERS cases", faers, 1.0))
    fig = new_figure(title, hovermode="closest")
    refs = subplot_grid(
        fig,
        len(panels),
        share_x="columns",
        vertical_spacing=0.22 / len(panels),
        titles=[p[0] for p in panels],
        row_heights=[p[3] for p in panels],
    )
    styles = source_styles(
        contacts["source_id"].to_list() + deaths["source_id"].to_list(),
        together=[
            p[2]["source_id"].to_list() for p in panels if p[2] is not None and p[2] is not faers
        ],
    )
    shown: set[str] = set()
    for n, ((_, y_title, frame, _), panel_refs) in enumerate(zip(panels, refs, strict=True), 1):
        if frame is None:
            _no_published_panel(fig, n)
            continue
        y_axis = fig["layout"][axis_name("y", n)]
        y_axis |= {"title": {"text": y_title}, "tickformat": ",d"}
        if frame is faers:
            fig["data"].append(
                _faers_trace(frame) | {"xaxis": panel_refs[0], "yaxis": panel_refs[1]}
            )
            y_axis["rangemode"] = "tozero"
            if faers["n_cases"].max() <= 8:  # no 0.5 ticks read as "1, 2, 2"
                y_axis["dtick"] = 1
        else:
            _add_published(fig, frame, panel_refs, styles, shown)
            y_axis["range"] = _padded_range(frame, "count", labelled=frame is not yearly)
    fig["layout"][axis_name("x", len(panels))] |= {
        "type": "date",
        "title": {"text": "Year (the period each figure covers)"},
    }
    return fig
