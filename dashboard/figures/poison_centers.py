"""Figures of the poison-center page: published series as published, beside FAERS cases by year.

Rules: each published series is its own trace, named after its source; figures from different
sources are never joined into one line. A figure for one calendar year is a point at mid-year; a
total over several years (or part of a year) is a horizontal segment across its whole period,
labelled, never drawn as a yearly value. Rows checked only against a third-party restatement
(verification `V-3p`) get open diamond markers and say so on hover. Nothing is computed: bars
show the count or percent the source published.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap

import polars as pl

from dashboard.figures import PALETTE, TEMPLATE_JSON, Figure, axis_name, empty_figure
from dashboard.figures.grid import subplot_grid

EMPTY_PUBLISHED = "No published figures for this geography and these dates"
THIRD_PARTY = "(third-party restatement)"
# Below the chart, anchored left (an automatic anchor lets a tall legend squeeze the plot).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}
LEGEND |= {"font": {"size": 11}}
SERIES_KEY = ("source_id", "geography", "unit", "population")
_AUTHOR = re.compile(r"^([A-Z][\w'’-]+)(?: [A-Z]{1,3}[,.]| et al\.)")
_YEAR = re.compile(r"(?:19|20)\d\d")
_QUALIFIERS = {"about": "about ", "at_least": "≥ "}
_SYMBOLS = ("circle", "square", "triangle-up")
_DASHES = ("solid", "dash", "longdash")
_STATISTICS = {"odds_ratio": "OR", "adjusted_odds_ratio": "adjusted OR"}


# Text ------------------------------------------------------------------------------------------


def source_label(source_id: str, citation: str, publisher: str) -> str:
    """A short name for legends: 'Anwar et al. 2016', else the publisher (or the first word of
    the source id, when the publisher is not a name) and the year."""
    year = _YEAR.search(source_id or "") or _YEAR.search(citation or "")
    year_text = f" {year.group(0)}" if year else ""
    author = _AUTHOR.match(citation or "")
    if author:
        return f"{author.group(1)} et al.{year_text}"
    if publisher and publisher[0].isupper():
        return f"{_abbreviated(publisher)}{year_text}"
    return f"{(source_id or 'unnamed').split('_')[0].title()}{year_text}"


def _abbreviated(name: str) -> str:
    """'Texas DSHS' for 'Texas Department of State Health Services'; short names unchanged."""
    words = name.split()
    if len(name) <= 30:
        return name
    return words[0] + " " + "".join(w[0] for w in words[1:] if w[0].isupper())


def period_text(start: dt.date, end: dt.date) -> str:
    """'2015', '2010–2015', 'Jan 2016–Jun 2020' (whole months) or '1 Jan–27 Aug 2025'."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    whole_months = start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    form = "%b %Y" if whole_months else "%-d %b %Y"
    first = start.strftime(form.removesuffix(" %Y") if start.year == end.year else form)
    return f"{first}–{end.strftime(form)}"


def published_text(row: dict) -> str:
    """The figure exactly as published: '496 of 660 (75.2%)', 'about 60%', '≥ 1 of 3', 'OR 2.8'."""
    qualifier = _QUALIFIERS.get(row.get("qualifier") or "", "")
    count, percent, denominator = row.get("count"), row.get("percent"), row.get("denominator")
    if row.get("statistic"):
        name = _STATISTICS.get(row["statistic"], row["statistic"].replace("_", " "))
        text = f"{name} {row.get('estimate'):g}"
        if row.get("statistic") == "percent_change":
            text = f"{row.get('estimate'):+g}% change"
        if row.get("ci_lower") is not None:
            text += f" (95% CI {row['ci_lower']:g}–{row['ci_upper']:g})"
        return qualifier + text
    parts = []
    if count is not None:
        parts.append(f"{count:,}" + (f" of {denominator:,}" if denominator is not None else ""))
    if percent is not None:
        pct = f"{percent:g}%"
        parts.append(f"({pct})" if parts else pct)
    return qualifier + " ".join(parts)


def series_name(row: dict) -> str:
    """Legend name of a series: its source and what it counts (where: on hover)."""
    label = source_label(row["source_id"], row["citation"], row["publisher"])
    return f"{label}, {row['unit']}"


def _hover(row: dict) -> str:
    source = source_label(row["source_id"], row["citation"], row["publisher"])
    period = period_text(row["period_start"], row["period_end"])
    lines = [f"<b>{source}</b>", f"{row['geography']}, {period}: {published_text(row)} "]
    lines[-1] += row["unit"]
    if not row.get("is_calendar_year"):
        lines.append("total over the whole period, not per year")
    if row.get("verification") == "V-3p":
        lines.append(THIRD_PARTY)
    if row.get("method_note"):
        lines.append("<br>".join(textwrap.wrap(row["method_note"], 60)))
    return "<br>".join(lines)


def _styles(sources: list[str]) -> dict[str, tuple[str, str, str]]:
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
        text.append(_hover(row))
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
        text += [_hover(row)] * 2 + [""]
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


def _new_figure(title: str, **layout) -> Figure:
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
    fig = _new_figure(title, hovermode="closest")
    refs = subplot_grid(
        fig,
        len(panels),
        share_x="columns",
        vertical_spacing=0.22 / len(panels),
        titles=[p[0] for p in panels],
    )
    styles = _styles(contacts["source_id"].to_list() + deaths["source_id"].to_list())
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


# Breakdown charts ------------------------------------------------------------------------------


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
                "customdata": [_hover(r | {"is_calendar_year": True}) for r in rows],
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
    panels = [
        ("Percent, as published", "Percent (%)", "percent", df.filter(has_pct)),
        (
            "Count, as published (no percent published)",
            "Count",
            "count",
            df.filter(~has_pct & pl.col("count").is_not_null()),
        ),
    ]
    panels = [p for p in panels if not p[3].is_empty()]
    fig = _new_figure(title, barmode="overlay", bargap=0.25)
    refs = subplot_grid(
        fig,
        len(panels),
        row_heights=[p[3].height + 1 for p in panels],
        vertical_spacing=0.2,
        titles=[p[0] for p in panels],
    )
    styles, shown = _styles(df["source_id"].to_list()), set()
    for n, ((_, x_title, field, frame), panel_refs) in enumerate(zip(panels, refs, strict=True), 1):
        fig["data"] += _bars(frame, field, panel_refs, styles, shown)
        top = 100 if field == "percent" else max(frame[field].to_list())
        xaxis = fig["layout"][axis_name("x", n)]
        xaxis |= {"title": {"text": x_title}, "range": [0, top * 1.3]}
        if field == "percent":
            xaxis["tickvals"] = [0, 25, 50, 75, 100]
        fig["layout"][axis_name("y", n)] |= {"autorange": "reversed", "type": "category"}
    return fig
