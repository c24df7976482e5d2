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

import polars as pl

from dashboard.figures import PALETTE, TEMPLATE_JSON, Figure, axis_name, empty_figure
from dashboard.figures.grid import subplot_grid
from dashboard.figures.poison_center_text import hover_text, period_text, series_name

EMPTY_PUBLISHED = "No published figures for this geography and these dates"
# Below the chart, anchored left (an automatic anchor lets a tall legend squeeze the plot).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}
LEGEND |= {"font": {"size": 11}}
SERIES_KEY = ("source_id", "geography", "unit", "population")
_SYMBOLS = ("circle", "square", "triangle-up")
_DASHES = ("solid", "dash", "longdash")


def source_styles(sources: list[str]) -> dict[str, tuple[str, str, str]]:
    """(colour, marker symbol, line dash) per source; grey stays FAERS's, symbols extend the
    palette when there are more sources than colours."""
    colours, n = PALETTE[:-1], len(PALETTE) - 1
    return {
        s: (colours[i % n], _SYMBOLS[i // n % 3], _DASHES[i // n % 3])
        for i, s in enumerate(sorted(set(sources)))
    }


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


def _segment_labels(rows: list[dict], refs: tuple[str, str]) -> list[dict]:
    """Label each segment with its count, unit and period; near neighbours go below or higher."""
    top = max((r["count"] for r in rows), default=0) or 1
    placed: list[tuple[dt.date, int, int]] = []  # (middle, count, shift)
    labels = []
    for row in sorted(rows, key=lambda r: -r["count"]):
        middle = row["period_start"] + (row["period_end"] - row["period_start"]) / 2
        near = {
            shift
            for m, c, shift in placed
            if abs((m - middle).days) < 6 * 365 and abs(c - row["count"]) < 0.15 * top
        }
        shift = next(s for s in (11, -11, 24, -24, 37) if s not in near or s == 37)
        placed.append((middle, row["count"], shift))
        period = period_text(row["period_start"], row["period_end"])
        labels.append(
            {
                "x": middle,
                "y": row["count"],
                "xref": refs[0],
                "yref": refs[1],
                "text": f"{row['count']:,} {row['unit']}, {period}",
                "showarrow": False,
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


def series_figure(contacts: pl.DataFrame, deaths: pl.DataFrame, faers: pl.DataFrame) -> Figure:
    """Small multiples on one time axis: per-year poison-centre figures, totals over a period,
    deaths, and FAERS cases per year. Empty panels are left out."""
    title = "Published kratom figures beside FAERS cases, by year"
    yearly = contacts.filter(pl.col("is_calendar_year"))
    spans = contacts.filter(~pl.col("is_calendar_year"))
    panels = [
        ("Poison centres: one calendar year each", "Per year", yearly),
        ("Poison centres: totals over a period (not per year)", "Total in period", spans),
        ("Deaths with kratom, as published", "Deaths", deaths),
        ("FAERS kratom cases by year (deduplicated)", "FAERS cases", faers),
    ]
    panels = [p for p in panels if not p[2].is_empty()]
    if not panels:
        return empty_figure(title, EMPTY_PUBLISHED)
    fig = new_figure(title, hovermode="closest")
    refs = subplot_grid(
        fig,
        len(panels),
        share_x="columns",
        vertical_spacing=0.22 / len(panels),
        titles=[p[0] for p in panels],
    )
    styles = source_styles(contacts["source_id"].to_list() + deaths["source_id"].to_list())
    shown: set[str] = set()
    for n, ((_, y_title, frame), panel_refs) in enumerate(zip(panels, refs, strict=True), 1):
        if frame is faers:
            fig["data"].append(
                _faers_trace(frame) | {"xaxis": panel_refs[0], "yaxis": panel_refs[1]}
            )
        else:
            _add_published(fig, frame, panel_refs, styles, shown)
        fig["layout"][axis_name("y", n)] |= {
            "title": {"text": y_title},
            "tickformat": ",d",
            "rangemode": "tozero",
        }
        if frame is faers and faers["n_cases"].max() <= 8:  # no 0.5 ticks read as "1, 2, 2"
            fig["layout"][axis_name("y", n)]["dtick"] = 1
    fig["layout"][axis_name("x", len(panels))] |= {
        "type": "date",
        "title": {"text": "Year (the period each figure covers)"},
    }
    return fig
