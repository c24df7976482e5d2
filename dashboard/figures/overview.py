"""Figures of the overview page."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    quarter_range,
    quarter_ticks,
    share_text,
)
from dashboard.figures.timeline_marks import (
    SEVERAL_KINDS,
    mark_colour,
    mark_hover_text,
    mark_kind,
    quarter_marks,
)


def trend_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_label: str,
    counted: str = "Kratom cases",
) -> Figure:
    """Cases per quarter (`counted` says which: kratom cases, or FAERS cases of every drug),
    with regulatory and data-format events marked above the bars: one triangle per quarter, its
    hover listing the events, one trace per kind (quarters with events of several kinds in a
    grey trace of their own)."""
    title = f"{counted} by quarter of {date_label}"
    if by_quarter.is_empty():
        return empty_figure(title)
    periods = quarter_range(by_quarter["period"].min(), by_quarter["period"].max())
    full = pl.DataFrame({"period": periods}).join(by_quarter, on="period", how="left").fill_null(0)
    fig = base_figure(title, x_title=f"Quarter ({date_label})", y_title="Cases (deduplicated)")
    fig["data"].append(
        {
            "type": "bar",
            "x": periods,
            "y": full["n_cases"].to_list(),
            "name": "Cases",
            "marker": {"color": PALETTE[0]},
            "customdata": [list(r) for r in full.select("n_serious", "n_deaths").rows()],
            "hovertemplate": "%{x}: %{y:,} cases<br>%{customdata[0]:,} serious, "
            "%{customdata[1]:,} deaths<extra></extra>",
        }
    )
    integer_axis(fig, max(full["n_cases"].to_list()) * 1.1)
    if show_events and not events.is_empty():
        top = max(by_quarter["n_cases"].to_list()) * 1.08
        marks = quarter_marks(list(events.iter_rows(named=True)), periods)
        for kind in dict.fromkeys(mark_kind(rows) for _, rows in marks):
            mine = [(quarter, rows) for quarter, rows in marks if mark_kind(rows) == kind]
            fig["data"].append(
                {
                    "type": "scatter",
                    "x": [quarter for quarter, _ in mine],
                    "y": [top] * len(mine),
                    "mode": "markers",
                    "marker": {
                        "symbol": "triangle-down",
                        "size": 11,
                        "color": mark_colour(mine[0][1]),
                    },
                    "name": "events of several kinds" if kind == SEVERAL_KINDS else f"{kind} event",
                    "text": [mark_hover_text(rows) for _, rows in mine],
                    "hovertemplate": "%{text}<extra></extra>",
                }
            )
        # up to seven legend entries wrap to two rows: room for them under a title pinned on top
        fig["layout"]["title"] |= {"yref": "container", "y": 0.98, "yanchor": "top"}
        fig["layout"]["margin"] = {"t": 110}
    fig["layout"]["xaxis"] |= {"type": "category", "categoryorder": "array"}
    fig["layout"]["xaxis"]["categoryarray"] = periods
    quarter_ticks(fig, periods)
    return fig


def outcome_figure(outcomes: pl.DataFrame) -> Figure:
    """Cases with each serious outcome; one case can have several."""
    title = "Serious outcomes reported"
    if outcomes.is_empty() or outcomes["n_total"][0] == 0:
        return empty_figure(title)
    fig = base_figure(title, x_title="Cases", y_title="")
    total = outcomes["n_total"][0]
    fig["data"].append(
        {
            "type": "bar",
            "y": outcomes["outcome"].to_list(),
            "x": outcomes["n_cases"].to_list(),
            "orientation": "h",
            "marker": {"color": PALETTE[5]},
            "text": [share_text(n, total) for n in outcomes["n_cases"].to_list()],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{text} of cases<extra></extra>",
        }
    )
    fig["layout"]["yaxis"]["autorange"] = "reversed"
    top = max(outcomes["n_cases"].to_list())
    fig["layout"]["xaxis"]["range"] = [0, top * 1.35]  # room for the labels past the bars
    integer_axis(fig, top, axis="x")
    return fig


def breakdown_figure(
    df: pl.DataFrame,
    title: str,
    labels: dict[str, str] | None = None,
    order: tuple[str, ...] | None = None,
) -> Figure:
    """Cases by one category (sex, age band, ...), with counts and shares on hover.

    Bars follow `order` when given (age bands read youngest first), else the largest first.
    """
    if df.is_empty():
        return empty_figure(title)
    if order:
        rank = {c: i for i, c in enumerate(order)}
        df = df.sort(pl.col("category").replace_strict(rank, default=len(rank)))
    labels = labels or {}
    cats = [labels.get(c, c or "Unknown") for c in df["category"].to_list()]
    total = int(df["n_total"][0])
    fig = base_figure(title, x_title="", y_title="Cases")
    counts = df["n_cases"].to_list()
    fig["data"].append(
        {
            "type": "bar",
            "x": cats,
            "y": counts,
            "marker": {"color": PALETTE[2]},
            "text": [f"{n:,}" for n in counts],
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [share_text(n, total) for n in counts],
            "hovertemplate": "%{x}: %{customdata} of cases<extra></extra>",
        }
    )
    fig["layout"]["xaxis"]["type"] = "category"
    top = max(counts)
    fig["layout"]["yaxis"]["range"] = [0, top * 1.15]  # room for the counts above the bars
    integer_axis(fig, top)
    return fig
