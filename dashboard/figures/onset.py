"""Time to onset (Indications page): kratom cases by days from starting kratom to the event,
with the cases that could not be counted, and why, in grey beside them."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    axis_name,
    base_figure,
    empty_figure,
    share_text,
    subtitle,
    subtitle_margin,
)
from dashboard.figures.grid import subplot_grid
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone, narrowest_plot_px
from dashboard.figures.wrapping import wrap_text

TITLE = "Time from starting kratom to the event"
ONSET_LABELS = {
    "same_day": "Same day",
    "1_7_days": "1–7 days",
    "8_30_days": "8–30 days",
    "31_90_days": "31–90 days",
    "91_365_days": "91–365 days",
    "over_1_year": "Over 1 year",
}
NOT_COUNTED_LABELS = {
    "no_start_date": "No kratom start date",
    "no_event_date": "No event date",
    "not_to_the_day": "A date not to the day",
    "start_after_event": "Kratom started after the event",
}
COUNTED_TITLE = "Counted: both dates to the day, kratom started on or before the event"
NOT_COUNTED_TITLE = "Not counted, and why (each case under the first reason that applies)"
MUTED = "#999999"
Y_TITLE = "Days from kratom start to event"
NOT_STORED = (
    "This database was built before therapy dates' precision was kept: rebuild it to see "
    "the time to onset"
)


def _cases(n: int) -> str:
    return f"{n:,} kratom case" if n == 1 else f"{n:,} kratom cases"


def text_positions(counts: list[int]) -> list[str]:
    """Each bar's text position: outside a bar of none, else plotly's choice. On a zero-width bar
    `auto` draws no text, so a fixed category with 0 cases showed neither bar nor label."""
    return ["outside" if n == 0 else "auto" for n in counts]


def onset_figure(onset: pl.DataFrame) -> Figure:
    """Two panels of horizontal bars, each on its own scale: above, the cases counted per onset
    bin (blue); below, the cases not counted, by reason (grey).

    `onset` is `queries.onset.time_to_onset`: no rows for a file without the dates' precision.
    Shares: of the cases counted (bins) and of every filtered kratom case (both panels)."""
    if onset.is_empty():
        return empty_figure(TITLE, NOT_STORED)
    n_total = int(onset["n_cases"].sum())
    if n_total == 0:
        return empty_figure(TITLE)
    counted = onset.filter(pl.col("counted"))
    skipped = onset.filter(~pl.col("counted"))
    n_counted = int(counted["n_cases"].sum())
    fig = base_figure(TITLE)
    (x1, y1), (x2, y2) = subplot_grid(
        fig,
        rows=2,
        titles=[COUNTED_TITLE, NOT_COUNTED_TITLE],
        row_heights=[counted.height, skipped.height],
        vertical_spacing=0.24,
        plot_px=narrowest_plot_px() - 140,  # the reasons' labels take a wider margin than most
    )
    bin_counts = counted["n_cases"].to_list()
    fig["data"].append(
        {
            "type": "bar",
            "orientation": "h",
            "xaxis": x1,
            "yaxis": y1,
            "y": [ONSET_LABELS[c] for c in counted["category"].to_list()],
            "x": bin_counts,
            "marker": {"color": PALETTE[0]},
            "text": [share_text(n, n_counted) for n in bin_counts],  # a bin of none reads 0
            "textposition": text_positions(bin_counts),
            "customdata": [[share_text(n, n_counted), share_text(n, n_total)] for n in bin_counts],
            "hovertemplate": f"<b>%{{y}}</b><br>%{{customdata[0]}} of the {n_counted:,} "
            f"cases counted<br>%{{customdata[1]}} of all {n_total:,} kratom cases<extra></extra>",
        }
    )
    skipped_counts = skipped["n_cases"].to_list()
    fig["data"].append(
        {
            "type": "bar",
            "orientation": "h",
            "xaxis": x2,
            "yaxis": y2,
            "y": [NOT_COUNTED_LABELS[c] for c in skipped["category"].to_list()],
            "x": skipped_counts,
            "marker": {"color": MUTED},
            "text": [share_text(n, n_total) for n in skipped_counts],
            "textposition": text_positions(skipped_counts),
            "customdata": [share_text(n, n_total) for n in skipped_counts],
            "hovertemplate": "<b>%{y}</b> (not counted)<br>%{customdata} of all "
            f"{n_total:,} kratom cases<extra></extra>",
        }
    )
    layout = fig["layout"]
    sub = subtitle(
        f"{share_text(n_counted, n_total)} of {_cases(n_total)} give a kratom start "
        "and an event date both to the day, the start on or before the event"
    )
    # the title on top, the subtitle's lines under it, then the first panel's title
    layout["title"]["subtitle"] = sub
    pin_title(fig, 0.98)
    layout["margin"] = {"t": 96 + subtitle_margin(sub) + title_margin(fig)}
    layout["showlegend"] = False
    for n, values in ((1, bin_counts), (2, skipped_counts)):
        x_axis = layout[axis_name("x", n)]
        x_axis |= {"rangemode": "tozero", "tickformat": ",d"}
        if n == 2 or not for_phone():  # on a phone the lower panel's title (five lines) ran
            x_axis["title"] = {"text": "Kratom cases"}  # over the upper one's: the lower says it
        if max(values) <= 8:  # counts are whole: no 0.5 ticks on a small panel
            x_axis["dtick"] = 1
        layout[axis_name("y", n)] |= {"autorange": "reversed", "type": "category"}
    # two lines: in one, the title ran past the top of its panel (about 180 px high)
    layout["yaxis"]["title"] = {"text": wrap_text(Y_TITLE, 150, 13)}
    return fig
