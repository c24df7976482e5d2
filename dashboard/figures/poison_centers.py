"""Figures of the poison-center page: published series as published, beside FAERS cases by year.

Rules: each published series is its own trace, named after its source; figures from different
sources are never joined into one line. A figure for one calendar year is a point at mid-year
on a count axis; a total over several years (or part of a year), and every death figure, is a
row of its own (a lane) with a segment across its whole period (a one-year death figure: a
point) and its count written above it, never drawn as a yearly value
(`poison_center_places.py`). Rows checked only against a third-party restatement (verification
`V-3p`) get open diamond markers and say so on hover. Nothing is computed: bars show the count
or percent the source published.

This module lays out the time chart (its panels, their heights, the time axis); its traces are
in `poison_center_traces.py`, the styles and empty text both charts share in
`poison_center_styles.py`, the breakdown charts in `poison_center_breakdown.py`, the words in
`poison_center_text.py`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.figures import MUTED_TEXT, Figure, axis_name, empty_figure, update_axes
from dashboard.figures import poison_center_places as places
from dashboard.figures.grid import subplot_grid
from dashboard.figures.poison_center_styles import (
    EMPTY_PUBLISHED,
    LEGEND,
    new_figure,
    source_styles,
)
from dashboard.figures.poison_center_traces import add_published, faers_trace, series_key
from dashboard.figures.titles import chart_title, title_margin
from dashboard.figures.window import for_phone

# Heights in px: the page gives the graph `series_height`, so a lane keeps its px (`lane_px`).
YEARLY_PX, FAERS_PX, NOTE_PX = 120, 110, 50
GAP_PX = 52  # between panels: the lower panel's title
TOP_PX, BOTTOM_PX = 56, 200  # the template's top margin; x ticks and title, a 3-row legend
LEGEND_GAP_PX = 76  # the legend's top under the plot: below the x-axis title
PHONE_ENTRY_PX = 30  # a legend entry's row on a phone (a line and its marker)
EMPTY_HEIGHT = 400
SERIES_TITLE = "Published kratom figures beside FAERS cases, by year"
FAERS_TITLE = "FAERS kratom cases by year (deduplicated)"
# with filters set the bars are a slice, beside unfiltered published totals: the panel says so
FAERS_FILTERED_TITLE = "FAERS kratom cases by year (deduplicated), matching the filters only"


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


def _panels(
    contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame, filtered: bool = False
) -> list[Panel]:
    """The time chart's panels, top to bottom; kinds: values (one-year figures on a count
    axis), lanes (one labelled row per figure), note (nothing published), faers (its title
    saying `filtered` when filters beyond the defaults select the cases)."""
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
        title = FAERS_FILTERED_TITLE if filtered else FAERS_TITLE
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
        series = {
            series_key(r) for frame in (contacts, deaths) for r in frame.iter_rows(named=True)
        }
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


def series_figure(
    contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame, filtered: bool = False
) -> Figure:
    """Small multiples on one time axis: per-year poison-centre figures, totals over a period,
    deaths, and FAERS cases per year. Empty panels are left out; with FAERS cases but no
    published figure, a panel says so above the FAERS one. Drawn `series_height` px tall.
    `filtered`: the filters select some of the cases (the FAERS panel's title and legend entry
    say so; the published figures are never filtered but by their dates)."""
    title = SERIES_TITLE
    panels = _panels(contacts, deaths, faers, filtered)
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
            add_published(fig, frame, panel_refs, styles, shown, middle, x_range)
            y_axis |= places.lane_axis(frame.height, y_title)
        elif kind == "values":
            add_published(fig, frame, panel_refs, styles, shown)
            y_axis |= {"title": {"text": y_title}, "tickformat": ",d"}
            y_axis["range"] = _value_range(frame)
        else:
            trace = faers_trace(frame, filtered) | {"xaxis": panel_refs[0], "yaxis": panel_refs[1]}
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
