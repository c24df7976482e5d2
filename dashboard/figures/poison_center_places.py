"""Where the poison-center time chart puts each published figure.

One-year figures are points at mid-year on a count axis; when several series published the
same year, their points are spread across that year so that near values do not hide each other.

Totals over a period and deaths go in lanes: one row per published figure, its period across the
shared time axis and its count written above it, not as a height on a count axis. On such an
axis, figures of different sources a few units apart drew on top of each other (8 deaths in
2000–2017 and 11 in 2011–2017 lie 3 of 600 apart: one segment hid the other), and the sources
count in different ways over different periods, so their heights were never comparable. Lanes
run from the earliest period at the top to the latest.

A label sits just above its lane's line, clear of the segment's end ticks (14 px tall: 7 px
above the line). It starts at its figure's start and runs right when the figure lies in the
left half of the time axis, else it ends at the figure's end: either way it has half the
chart's width, enough for the longest label at the page's widths. The rest of the figure
(geography, method, published wording) is in its hover text, the page's table and CSV.

On a phone half of a 216 px plot holds no label (the longest, 59 characters, is about 280 px):
labels ran past the plot's right edge, and those ending at a late figure's end ran left into
the lane's axis title. There a label is two lines (the source; the count and period), its lane
a line taller, and it is placed in the plot's own units (`x domain`) on the time axis's fixed
range: from its figure's start (or ending at its end, as above), moved in as far as it must
to lie inside the plot of a 360 px window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dashboard.figures.poison_center_text import period_text, source_label
from dashboard.figures.window import for_phone

LANE_PX = 36  # a lane: a label 8 px above the line and 14 px tall, the end ticks 7 px below
PHONE_LANE_PX = LANE_PX + 13  # a phone's two-line label: one 10 px line more
# The time chart's plot in a 360 px window (measured in Chromium: a 318 px figure less 62 px
# on the left for the count axis and 40 px of toolbar), and a 10 px label's characters taken
# wide (drawn 4.5 to 5.6 px; the overlap test measures 6.2).
PHONE_PLOT_PX = 216
LABEL_CHAR_PX = 6.2
TOP_LANES, BOTTOM_LANES = 0.75, 0.4  # room above the first line (its label) and below the last
LABEL_SHIFT = 8


def mid_year(year: int) -> dt.date:
    return dt.date(year, 7, 1)


def spread_years(rows: list[dict], key: Callable[[dict], str]) -> None:
    """Each one-year row's point (`x`): mid-year, or, when several series published the same
    year, spread across that year in series order (two points 260 days apart), so that near
    values of different sources do not hide each other. The point stays inside its year."""
    keys: dict[int, list[str]] = {}
    for row in rows:
        year_keys = keys.setdefault(row["period_start"].year, [])
        if key(row) not in year_keys:
            year_keys.append(key(row))
    for row in rows:
        year_keys = keys[row["period_start"].year]
        k, i = len(year_keys), year_keys.index(key(row))
        step = min(260.0, 330.0 / (k - 1)) if k > 1 else 0.0
        offset = dt.timedelta(days=round((i - (k - 1) / 2) * step))
        row["x"] = mid_year(row["period_start"].year) + offset


def lane_order(rows: list[dict]) -> list[dict]:
    """The rows of a panel as they go down its lanes: by period, then source and unit."""
    return sorted(
        rows,
        key=lambda r: (r["period_start"], r["period_end"], r["source_id"], r["unit"]),
    )


def lane_px() -> int:
    """A lane's height in px: a line taller on a phone, for its two-line label."""
    return PHONE_LANE_PX if for_phone() else LANE_PX


def lanes_px(n: int) -> int:
    """The height of a panel of `n` lanes, in px."""
    return round(lane_px() * (n - 1 + TOP_LANES + BOTTOM_LANES))


def lane_axis(n: int, title: str) -> dict:
    """The y axis of a panel of `n` lanes: lane 0 on top, no count ticks (counts are written)."""
    return {
        "title": {"text": title},
        "range": [n - 1 + BOTTOM_LANES, -TOP_LANES],
        "showticklabels": False,
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
    }


def lane_label(
    row: dict,
    x: dt.date,
    refs: tuple[str, str],
    middle: dt.date,
    x_range: tuple[dt.date, dt.date] | None = None,
) -> dict:
    """The words of one figure above its lane's line; a one-year figure's start at its point
    `x` (mid-year), a period's at its segment's start or end, the side of `middle`. On a phone
    (give the time axis's `x_range`) in two lines, moved inside the plot (`phone_label`)."""
    start, end = row["period_start"], row["period_end"]
    left = start + (end - start) / 2 <= middle
    source = source_label(row["source_id"], row["citation"], row["publisher"])
    period = period_text(start, end)
    if for_phone() and x_range:
        text = f"{source}:<br>{row['count']:,} {row['unit']}, {period}"
        begin = x if row["is_calendar_year"] else start
        return phone_label(text, begin if left else None, end, refs, x_range) | {"y": row["y"]}
    return {
        "x": x if row["is_calendar_year"] else start if left else end,
        "y": row["y"],
        "xref": refs[0],
        "yref": refs[1],
        "text": f"{source}: {row['count']:,} {row['unit']}, {period}",
        "showarrow": False,
        "xanchor": "left" if left else "right",
        "yanchor": "bottom",
        "yshift": LABEL_SHIFT,
        "font": {"size": 10},
    }


def phone_label(
    text: str,
    begin: dt.date | None,
    end: dt.date,
    refs: tuple[str, str],
    x_range: tuple[dt.date, dt.date],
) -> dict:
    """A label starting at `begin` (None: ending at `end`), in fractions of the plot's width on
    `x_range`, moved in so that it lies inside a PHONE_PLOT_PX plot (a wider one leaves it more
    room: its characters take a smaller fraction)."""
    low, high = x_range
    width = LABEL_CHAR_PX * max(len(line) for line in text.split("<br>")) / PHONE_PLOT_PX
    at = (begin - low) / (high - low) if begin else (end - low) / (high - low) - width
    return {
        "x": min(max(at, 0.0), max(1.0 - width, 0.0)),
        "xref": f"{refs[0]} domain",
        "yref": refs[1],
        "text": text,
        "showarrow": False,
        "xanchor": "left",
        "align": "left",
        "yanchor": "bottom",
        "yshift": LABEL_SHIFT,
        "font": {"size": 10},
    }
