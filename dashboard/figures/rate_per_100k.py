"""The Trends rate chart: kratom cases per quarter (bars) and per 100,000 FAERS cases (line)."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    MUTED_TEXT,
    PALETTE,
    Figure,
    empty_figure,
    subtitle,
    subtitle_margin,
    titled_figure,
    update_axes,
)
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.grid import subplot_grid
from dashboard.figures.trends import event_markers, fill_quarters, legend_on_top

# The rate's words when openFDA sources are selected (openFDA fetches kratom reports only, so
# it has no background of other cases to divide by).
RATE_QUARTERLY_ONLY = (
    "Line: FAERS quarterly files only; openFDA's {n} kratom {cases} (no background) "
    "are in the bars only"
)
NO_RATE = "No rate: openFDA has kratom reports only, no background of other cases"
NO_RATE_PANEL = "No background:<br>no rate per 100,000"


def _rate_traces(
    periods: list[str], n: list[int], n_all: list[int], n_rate: list[int]
) -> list[dict]:
    """Bars of kratom cases (top panel) and the line of the rate per 100,000 (bottom panel):
    the bars count `n` (every source), the line `n_rate` (the quarterly files) over `n_all`
    (their every case); no point where a quarter has no background."""
    rate = [100_000 * a / b if b else None for a, b in zip(n_rate, n_all, strict=True)]
    mixed = n != n_rate  # openFDA cases in the bars: say which of them the line counts
    bars = {
        "type": "bar",
        "x": periods,
        "y": n,
        "name": "Kratom cases",
        "showlegend": False,
        "marker": {"color": PALETTE[0]},
        "customdata": [list(pair) for pair in zip(n_rate, n_all, strict=True)],
        "hovertemplate": "%{x}: %{y:,} kratom cases"
        + (", %{customdata[0]:,} of them from the quarterly files" if mixed else "")
        + " of %{customdata[1]:,} FAERS cases<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": periods,
        "y": rate,
        "xaxis": "x2",
        "yaxis": "y2",
        "mode": "lines+markers",
        "name": "Per 100,000 FAERS cases",
        "showlegend": False,
        "line": {"color": PALETTE[5]},
        "customdata": [list(pair) for pair in zip(n_rate, n_all, strict=True)],
        "hovertemplate": "%{x}: %{y:,.1f} per 100,000<br>%{customdata[0]:,} of "
        "%{customdata[1]:,} FAERS cases"
        + (" (quarterly files only)" if mixed else "")
        + "<extra></extra>",
    }
    return [bars, line]


def rate_note(n: list[int], n_all: list[int], n_rate: list[int]) -> str | None:
    """The rate chart's subtitle when the bars hold openFDA cases: what the line counts, or
    that there is no rate (no background); None when bars and line count the same cases."""
    if not any(n_all):
        return NO_RATE
    openfda = sum(n) - sum(n_rate)
    if not openfda:
        return None
    return RATE_QUARTERLY_ONLY.format(n=f"{openfda:,}", cases="case" if openfda == 1 else "cases")


def rate_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_label: str,
    filling_in: FillingIn | None = None,
) -> Figure:
    """Kratom cases per quarter (top) and per 100,000 FAERS cases of the quarter (bottom).

    `by_quarter` is `queries.trends.rate_by_quarter`: the bars count `n_cases`, the line
    `n_rate_cases` (the quarterly files' kratom cases; a frame without the column counts every
    bar in the rate) over `n_all`. With openFDA cases in the bars a subtitle says what the line
    counts; without any background the line has no point and the subtitle and lower panel say
    why. Counted by event date, pass `filling_in`: the quarters still filling in are shaded."""
    title = "Kratom cases and rate per 100,000 FAERS cases"
    if by_quarter.is_empty() or by_quarter["n_cases"].sum() == 0:
        return empty_figure(title)
    if "n_rate_cases" not in by_quarter.columns:
        by_quarter = by_quarter.with_columns(n_rate_cases=pl.col("n_cases"))
    full = fill_quarters(by_quarter.drop("rate_per_100k"), ["n_cases", "n_all", "n_rate_cases"])
    periods = full["period"].to_list()
    n, n_all = full["n_cases"].to_list(), full["n_all"].to_list()
    n_rate = full["n_rate_cases"].to_list()
    fig = titled_figure(title)
    subplot_grid(fig, 2, 1, share_x="columns", vertical_spacing=0.08)
    fig["data"] += _rate_traces(periods, n, n_all, n_rate)
    if show_events:
        fig["data"] += event_markers(events, periods, max(n) * 1.08)
    update_axes(fig, "x", type="category", categoryorder="array", categoryarray=periods)
    layout = fig["layout"]
    layout["xaxis2"]["title"] = {"text": f"Quarter ({date_label})"}
    layout["yaxis"] |= {"title": {"text": "Cases"}, "tickformat": ",d"}
    if max(n) <= 8:
        layout["yaxis"]["dtick"] = 1
    layout["yaxis2"] |= {"title": {"text": "Per 100,000"}, "tickformat": ","}  # 8,000
    if filling_in:
        layout["shapes"] = filling_in.bands(periods)  # across both panels (yref paper)
    layout["showlegend"] = True
    legend_on_top(fig)
    note = rate_note(n, n_all, n_rate)
    if note:
        layout["title"]["subtitle"] = sub = subtitle(note)
        layout["margin"] = {"t": layout["margin"]["t"] + 20 + subtitle_margin(sub)}
    if not any(n_all):  # the empty lower panel says why, the quarters still named under it
        layout["annotations"] = [
            *layout.get("annotations", []),
            {
                "text": NO_RATE_PANEL,
                "xref": "x2 domain",
                "yref": "y2 domain",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 13, "color": MUTED_TEXT},
            },
        ]
        layout["yaxis2"] |= {"showticklabels": False, "showgrid": False}
    return fig
