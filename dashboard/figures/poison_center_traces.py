"""The traces of the poison-center time chart: one trace per published series (points for
one-year figures, segments across a period for totals, in lanes when the chart has a time
middle; `poison_center_places.py` says where), and the FAERS bars. A series is a source's
figures for one geography, unit and population; its traces share one legend entry."""

from __future__ import annotations

import polars as pl

from dashboard.figures import PALETTE, Figure
from dashboard.figures import poison_center_places as places
from dashboard.figures.poison_center_text import hover_text, series_name

SERIES_KEY = ("source_id", "geography", "unit", "population")
FAERS_NAME = "FAERS kratom cases (deduplicated)"
FAERS_FILTERED_NAME = "FAERS kratom cases matching the filters"  # the panel says deduplicated


def series_key(row: dict) -> str:
    """The series a published row belongs to (its traces' legend group)."""
    return "|".join(str(row[k]) for k in SERIES_KEY)


def _groups(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """(series key, rows) per published series, in the rows' order."""
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(series_key(row), []).append(row)
    return list(out.items())


def yearly_trace(rows: list[dict], style: tuple[str, str, str], joined: bool) -> dict:
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


def period_trace(rows: list[dict], style: tuple[str, str, str]) -> dict:
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


def add_published(
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
        places.spread_years(rows, series_key)
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
        traces = [yearly_trace(yearly, style, joined=middle is None)] if yearly else []
        traces += [period_trace(spans, style)] if spans else []
        for trace in traces:
            trace |= {"xaxis": refs[0], "yaxis": refs[1], "name": series_name(series[0])}
            trace |= {"legendgroup": key, "showlegend": key not in shown}
            fig["data"].append(trace)
            shown.add(key)
    if middle is not None:
        labels = [places.lane_label(r, r["x"], refs, middle, x_range) for r in rows]
        fig["layout"]["annotations"] = [*fig["layout"].get("annotations", []), *labels]


def faers_trace(faers: pl.DataFrame, filtered: bool = False) -> dict:
    """FAERS kratom cases per year: a grey bar at mid-year, serious and fatal cases on hover;
    `filtered`: the legend says the bars count the cases matching the filters only."""
    years = faers["year"].to_list()
    return {
        "type": "bar",
        "x": [places.mid_year(y) for y in years],
        "y": faers["n_cases"].to_list(),
        "width": [300 * 86_400_000] * len(years),
        "name": FAERS_FILTERED_NAME if filtered else FAERS_NAME,
        "marker": {"color": PALETTE[-1]},
        "customdata": [list(r) for r in faers.select("year", "n_serious", "n_deaths").rows()],
        "hovertemplate": "<b>FAERS</b><br>%{customdata[0]}: %{y:,} cases<br>"
        "%{customdata[1]:,} serious, %{customdata[2]:,} with death reported<extra></extra>",
    }
