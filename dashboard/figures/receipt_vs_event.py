"""The Trends dating chart: the same cases by quarter of receipt and by quarter of the event."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    update_axes,
)
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.quarters_filtered_out import outside_bands, outside_range
from dashboard.figures.trends import event_markers, fill_quarters, legend_on_top

DATING_LINES = (
    ("n_received", "Received by FDA", PALETTE[0]),
    ("n_event", "Event date", PALETTE[1]),
)


def dating_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_field: str = "received",
    date_from: str | None = None,
    date_to: str | None = None,
    filling_in: FillingIn | None = None,
) -> Figure:
    """The same cases by quarter of receipt and by quarter of the event.

    The filter's date (`date_field`, from `date_from` to `date_to`) keeps only the cases dated
    inside its range, so its own line has no case outside it: those quarters are gaps over a
    grey band, not zeros. The other line runs wherever the kept cases fall. `filling_in` shades
    the newest quarters, where the event line is still filling in.
    """
    title = "Cases by quarter of receipt and of event"
    if by_quarter.is_empty():
        return empty_figure(title)
    full = fill_quarters(by_quarter, ["n_received", "n_event"])
    periods = full["period"].to_list()
    outside = outside_range(periods, date_from, date_to)
    filtered = "n_event" if date_field == "event" else "n_received"
    fig = base_figure(title, x_title="Quarter", y_title="Cases (deduplicated)")
    for column, name, colour in DATING_LINES:
        y = full[column].to_list()
        if column == filtered:
            y = [None if out else n for n, out in zip(y, outside, strict=True)]
        fig["data"].append(
            {
                "type": "scatter",
                "x": periods,
                "y": y,
                "mode": "lines+markers",
                "name": name,
                "line": {"color": colour},
                "hovertemplate": f"%{{x}}: %{{y:,}} cases by {name.lower()}<extra></extra>",
            }
        )
    top = max(full["n_received"].max(), full["n_event"].max())
    if show_events:
        fig["data"] += event_markers(events, periods, top * 1.08)
    update_axes(fig, "x", type="category", categoryorder="array", categoryarray=periods)
    integer_axis(fig, top * 1.1)
    fig["layout"]["shapes"] = outside_bands(
        outside, "event" if date_field == "event" else "received"
    ) + (filling_in.bands(periods, "Event line still") if filling_in else [])
    legend_on_top(fig)
    return fig
