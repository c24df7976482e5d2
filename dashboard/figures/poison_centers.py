"""Figures of the poison-center page: published series as published, beside FAERS cases by year.

Rules: each published series is its own trace, named after its source; figures from different
sources are never joined into one line. A figure for one calendar year is a point at mid-year
on a count axis; a total over several years (or part of a year), and every death figure, is a
row of its own (a lane) with a segment across its whole period (a one-year death figure: a
point) and its count written above it, never drawn as a yearly value
(`poison_center_places.py`). Rows checked only against a third-party restatement (verification
`V-3p`) get open diamond markers and say so on hover. Nothing is computed: bars show the count
or percent the source published.

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
    Figure,
    axis_name,
    empty_figure,
    titled_figure,
    update_axes,
)
from dashboard.figures import poison_center_places as places
from dashboard.figures.grid import subplot_grid
from dashboard.figures.poison_center_text import hover_text, series_name
from dashboard.figures.titles import chart_title, title_margin
from dashboard.figures.window import for_phone

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


def _key(row: dict) -> str:
    return "|".join(str(row[k]) for k in SERIES_KEY)


def _groups(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """(series key, rows) per published series, in the rows' order."""
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(_key(row), []).append(row)
    return list(out.items())


# The time chart --------------------------------------------------------------------------------

# Heights in px: the page gives the graph `series_height`, so a lane keeps its px (`lane_px`).
YEARLY_PX, FAERS_PX, NOTE_PX = 120, 110, 50
GAP_PX = 52  # between panels: the lower panel's title
TOP_PX, BOTTOM_PX = 56, 200  # the template's top margin; x ticks and title, a 3-row legend
LEGEND_GAP_PX = 76  # the legend's top under the plot: below the x-axis title
PHONE_ENTRY_PX = 30  # a legend entry's row on a phone (a line and its marker)
EMPTY_HEIGHT = 400
SERIES_TITLE = "Published kratom figures beside FAERS cases, by year"


def _yearly_trace(rows: list[dict], style: tuple[str, str, str], joined: bool) -> dict:
    """Points at `x`; `joined`: lines between consecutive years (a gap breaks the line)."""
    colour, symbol, _ = style
    x, y, text, symbols, last = [], [], [], [], None
    for row in sorted(rows, key=lambda r: r["period_start"]):
        year = row["period_start"].year
        if joined and last is not None and last != year - 1:
            x, y, text, symbols = [*x, None], [*y, None], [*text, ""], [*symbols, symbol]
        x.append(row["x"])
        y.append(row["y"])
        text.append(hover_text(row))
        symbols.append("diamond-open" if row["verification"] == "V-3p" else symbol)
        last = year
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if joined else "markers",
        "line": {"color": colour, "width": 2},
        "marker": {"symbol": symbols, "size": 9, "color": colour, "line": {"width": 2}},
        "text": text,
        "hovertemplate": "%{text}<extra></extra>",
        "connectgaps": False,
    }


def _period_trace(rows: list[dict], style: tuple[str, str, str]) -> dict:
    """One horizontal segment per row across its whole period (at `y`), with bracket ends."""
    colour, _, dash = style
    x, y, text = [], [], []
    for row in rows:
        x += [row["period_start"], row["period_end"], None]
        y += [row["y"], row["y"], None]
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


def _add_published(
    fig: Figure,
    df: pl.DataFrame,
    refs: tuple[str, str],
    styles,
    shown: set,
    middle=None,
    x_range=None,
) -> None:
    """One trace per series: one-year points, and segments for totals over a period. With a
    `middle` date (the time axis's), in lanes, each figure labelled (`poison_center_places`;
    on a phone placed on the axis's `x_range`); else on a count axis (one-year figures only,
    the count on hover)."""
    rows = df.to_dicts()
    if middle is None:
        places.spread_years(rows, _key)
        for row in rows:
            row["y"] = row["count"]
    else:
        rows = places.lane_order(rows)
        for i, row in enumerate(rows):
            row["y"], row["x"] = i, places.mid_year(row["period_start"].year)
    for key, series in _groups(rows):
        style = styles[series[0]["source_id"]]
        yearly = [r for r in series if r["is_calendar_year"]]
        spans = [r for r in series if not r["is_calendar_year"]]
        traces = [_yearly_trace(yearly, style, joined=middle is None)] if yearly else []
        traces += [_period_trace(spans, style)] if spans else []
        for trace in traces:
            trace |= {"xaxis": refs[0], "yaxis": refs[1], "name": series_name(series[0])}
            trace |= {"legendgroup": key, "showlegend": key not in shown}
            fig["data"].append(trace)
            shown.add(key)
    if middle is not None:
        labels = [places.lane_label(r, r["x"], refs, middle, x_range) for r in rows]
        fig["layout"]["annotations"] = [*fig["layout"].get("annotations", []), *labels]


def _faers_trace(faers: pl.DataFrame) -> dict:
    years = faers["year"].to_list()
    return {
        "type": "bar",
        "x": [places.mid_year(y) for y in years],
        "y": faers["n_cases"].to_list(),
        "width": [300 * 86_400_000] * len(years),
        "name": "FAERS kratom cases (deduplicated)",
        "marker": {"color": PALETTE[-1]},
        "customdata": [list(r) for r in faers.select("year", "n_serious", "n_deaths").rows()],
        "hovertemplate": "<b>FAERS</b><br>%{customdata[0]}: %{y:,} cases<br>"
        "%{customdata[1]:,} serious, %{customdata[2]:,} with death reported<extra></extra>",
    }


def new_figure(title: str, **layout) -> Figure:
    return titled_figure(title, legend=LEGEND, **layout)


def _value_range(frame: pl.DataFrame) -> list[float]:
    """The one-year panel's y range: below zero by a little, so markers at 0 show whole."""
    top = max(frame["count"].max() or 0, 1)
    return [-0.07 * top, top * 1.12]


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


Panel = tuple[str, str, "pl.DataFrame | None", int, str]  # title, y title, rows, px, kind


def _panels(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> list[Panel]:
    """The time chart's panels, top to bottom; kinds: values (one-year figures on a count
    axis), lanes (one labelled row per figure), note (nothing published), faers."""
    yearly = contacts.filter(pl.col("is_calendar_year"))
    spans = contacts.filter(~pl.col("is_calendar_year"))
    panels: list[Panel] = [
        ("Poison centres: one calendar year each", "Per year", yearly, YEARLY_PX, "values")
    ]
    panels += [
        (title, y_title, frame, places.lanes_px(frame.height), "lanes")
        for title, y_title, frame in (
            ("Poison centres: totals over a period (not per year)", "Total in period", spans),
            ("Deaths with kratom, as published", "Deaths", deaths),
        )
    ]
    panels = [p for p in panels if not p[2].is_empty()]
    if not panels and not faers.is_empty():
        panels.append(("Poison centres and deaths, as published", "", None, NOTE_PX, "note"))
    if not faers.is_empty():
        title = "FAERS kratom cases by year (deduplicated)"
        panels.append((title, "FAERS cases", faers, FAERS_PX, "faers"))
    return panels


def _plot_px(panels: list[Panel]) -> int:
    return sum(p[3] for p in panels) + GAP_PX * (len(panels) - 1)


def series_height(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> int:
    """The time chart's height in px: its panels' own heights, the margins and the legend (on a
    phone one entry a row, PHONE_ENTRY_PX each: a dozen sources squeezed the panels flat)."""
    panels = _panels(contacts, deaths, faers)
    if not panels:
        return EMPTY_HEIGHT
    bottom = BOTTOM_PX
    if for_phone():
        series = {_key(r) for frame in (contacts, deaths) for r in frame.iter_rows(named=True)}
        entries = len(series) + (0 if faers.is_empty() else 1)
        bottom = max(BOTTOM_PX, LEGEND_GAP_PX + PHONE_ENTRY_PX * entries + 20)
    title_px = title_margin({"layout": {"title": chart_title(SERIES_TITLE)}})  # on a phone
    return TOP_PX + title_px + _plot_px(panels) + bottom


def _time_middle(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> dt.date:
    dates = [*contacts["period_start"], *contacts["period_end"], *deaths["period_start"]]
    dates += [*deaths["period_end"], *(places.mid_year(y) for y in faers["year"])]
    low, high = min(dates), max(dates)
    return low + (high - low) / 2


def _time_range(
    contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame
) -> tuple[dt.date, dt.date]:
    """The time axis's range on a phone, fixed so that labels can be placed in the plot's own
    units: every period and FAERS bar (300 days about mid-year), and 3% of it either side."""
    bar = dt.timedelta(days=150)
    dates = [*contacts["period_start"], *contacts["period_end"], *deaths["period_start"]]
    dates += [*deaths["period_end"]]
    dates += [
        d for y in faers["year"] for d in (places.mid_year(y) - bar, places.mid_year(y) + bar)
    ]
    low, high = min(dates), max(dates)
    pad = (high - low) * 0.03
    return low - pad, high + pad


def series_figure(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> Figure:
    """Small multiples on one time axis: per-year poison-centre figures, totals over a period,
    deaths, and FAERS cases per year. Empty panels are left out; with FAERS cases but no
    published figure, a panel says so above the FAERS one. Drawn `series_height` px tall."""
    title = SERIES_TITLE
    panels = _panels(contacts, deaths, faers)
    if not panels:
        return empty_figure(title, EMPTY_PUBLISHED)
    plot_px = _plot_px(panels)
    fig = new_figure(title, hovermode="closest")
    fig["layout"]["legend"] = LEGEND | {"y": -LEGEND_GAP_PX / plot_px}
    refs = subplot_grid(
        fig,
        len(panels),
        share_x="columns",
        vertical_spacing=GAP_PX / plot_px,
        titles=[p[0] for p in panels],
        row_heights=[p[3] for p in panels],
    )
    styles = source_styles(
        contacts["source_id"].to_list() + deaths["source_id"].to_list(),
        together=[p[2]["source_id"].to_list() for p in panels if p[4] in ("values", "lanes")],
    )
    middle, shown = _time_middle(contacts, deaths, faers), set()
    x_range = _time_range(contacts, deaths, faers) if for_phone() else None
    for n, (panel, panel_refs) in enumerate(zip(panels, refs, strict=True), 1):
        _, y_title, frame, _, kind = panel
        y_axis = fig["layout"][axis_name("y", n)]
        if kind == "note":
            _no_published_panel(fig, n)
        elif kind == "lanes":
            _add_published(fig, frame, panel_refs, styles, shown, middle, x_range)
            y_axis |= places.lane_axis(frame.height, y_title)
        elif kind == "values":
            _add_published(fig, frame, panel_refs, styles, shown)
            y_axis |= {"title": {"text": y_title}, "tickformat": ",d"}
            y_axis["range"] = _value_range(frame)
        else:
            trace = _faers_trace(frame) | {"xaxis": panel_refs[0], "yaxis": panel_refs[1]}
            fig["data"].append(trace)
            y_axis |= {"title": {"text": y_title}, "tickformat": ",d", "rangemode": "tozero"}
            if faers["n_cases"].max() <= 8:  # no 0.5 ticks read as "1, 2, 2"
                y_axis["dtick"] = 1
    fig["layout"][axis_name("x", len(panels))] |= {
        "type": "date",
        "title": {"text": "Year (the period each figure covers)"},
    }
    if x_range:
        update_axes(fig, "x", range=[d.isoformat() for d in x_range])
    return fig
