"""What the Trends page's quarter charts share: the timeline's triangles, the legend on top
and every quarter from the first to the last.
"""

from __future__ import annotations

import polars as pl

from dashboard.figures import Figure, quarter_range
from dashboard.figures.legends import LEGEND_ROW_PX, fit_legend
from dashboard.figures.timeline_marks import mark_traces
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone


def event_markers(events: pl.DataFrame, periods: list[str], y: float) -> list[dict]:
    """Triangles at height `y` for dated events inside `periods`, one per quarter, one trace
    per kind as on the overview (`timeline_marks.mark_traces`): the legend says what each
    colour means. Each triangle's hover lists its events' labels, dates as far as they are
    known, kinds and any caveat on how far they were checked. An empty list when no event
    falls inside `periods`.
    """
    return mark_traces(list(events.iter_rows(named=True)), periods, y)


def legend_on_top(fig: Figure) -> None:
    """The legend between the title and the plot, clear of rotated quarter labels: room for at
    least two rows (the lines and up to six kinds of event at 768 px), more when the narrowest
    chart needs them (`legends.fit_legend`: one entry a line on a phone). Call it once every
    trace and shape is in."""
    layout = fig["layout"]
    pin_title(fig, 0.98)
    layout["legend"] = {"y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    # on a phone the legend's own height (one entry a line), none when it is empty: two rows
    # kept for it left 85 px empty above the rate chart, whose phone legend is empty
    legend_px = fit_legend(fig) if for_phone() else max(2 * LEGEND_ROW_PX, fit_legend(fig))
    layout["margin"] = {"t": 60 + legend_px + title_margin(fig)}


def fill_quarters(df: pl.DataFrame, value_columns: list[str]) -> pl.DataFrame:
    """Every quarter from the first to the last, missing ones as zero counts."""
    periods = quarter_range(df["period"].min(), df["period"].max())
    full = pl.DataFrame({"period": periods}).join(df, on="period", how="left")
    return full.with_columns(pl.col(value_columns).fill_null(0))
