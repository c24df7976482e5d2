"""The timeline's triangles on the overview and trends charts: which quarter each dated event
marks, its colour, and what its hover says.

One place for both, so every chart that draws `model.timeline` says the same about each event:
its label, its date to the precision the reference gives (a month- or year-precision date is
stored as the first day of that month or year, and must not read as that day), its kind, and how
far it was checked when that is less than a named source (status `V`). Events in the same quarter
share one triangle whose hover lists them all: triangles drawn on one spot hide all but one hover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard.figures import MUTED_TEXT
from dashboard.figures.window import for_phone

KIND_COLOURS = {
    "regulatory": "#D55E00",
    "enforcement": "#CC79A7",
    "publication": "#009E73",
    "data-format": "#999999",
    "outbreak": "#E69F00",
}
SEVERAL_KINDS = "several kinds"  # a quarter whose events are of more than one kind

THIRD_PARTY = "checked only against a third-party restatement"
# The event checked but not its date: no longer in timeline.csv (such rows are dropped), but a
# database built before that holds two until its next build. Its day is never shown.
DATE_NOT_CHECKED = "V, date R"
DATE_FORMATS = {"day": "%Y-%m-%d", "month": "%Y-%m (day not known)", "year": "%Y (month not known)"}

Event = dict[str, Any]  # a row of queries.overview.timeline


def quarter_of(date: dt.date) -> str:
    return f"{date.year}Q{(date.month - 1) // 3 + 1}"


def event_date_text(date: dt.date, precision: str, status: str) -> str:
    """The date as far as it is known: `2016-08-31`, `2021-07 (day not known)`, `2012 (month
    not known)`; `date not checked` for an event whose date is from memory. An unknown precision
    shows the year only: a day is shown only where the reference gives it."""
    if status == DATE_NOT_CHECKED:
        return "date not checked"
    return date.strftime(DATE_FORMATS.get(precision, DATE_FORMATS["year"]))


def status_note(status: str) -> str | None:
    """A hover line for a status weaker than `V` (None for `V` and for a date not checked, which
    the date says); an unknown status never reads as checked."""
    if status in ("V", DATE_NOT_CHECKED):
        return None
    if status == "V-3p":
        return THIRD_PARTY
    return f"not marked as checked against a named source (status {status})"


def event_hover_text(row: Event) -> str:
    """The label, then `<date>, <kind>`, then the status note when there is one, one a line.

    `row` has event_date, date_precision, label, kind and status."""
    date = event_date_text(row["event_date"], row["date_precision"], row["status"])
    lines = [row["label"], f"{date}, {row['kind']}", status_note(row["status"])]
    return "<br>".join(line for line in lines if line)


def quarter_marks(rows: list[Event], periods: list[str]) -> list[tuple[str, list[Event]]]:
    """One mark per quarter of `periods` holding events: (quarter, its events by date)."""
    if not periods:
        return []
    by_quarter: dict[str, list[Event]] = {}
    for row in sorted(rows, key=lambda r: (r["event_date"], r["label"])):
        quarter = quarter_of(row["event_date"])
        if periods[0] <= quarter <= periods[-1]:
            by_quarter.setdefault(quarter, []).append(row)
    return sorted(by_quarter.items())


def mark_hover_text(rows: list[Event]) -> str:
    """The hover of one triangle: each of its events' text, a blank line between them."""
    return "<br><br>".join(event_hover_text(r) for r in rows)


def mark_kind(rows: list[Event]) -> str:
    """The kind of a triangle's events, or `several kinds`."""
    kinds = {r["kind"] for r in rows}
    return kinds.pop() if len(kinds) == 1 else SEVERAL_KINDS


def mark_colour(rows: list[Event]) -> str:
    """Its kind's colour; grey for several kinds (or a kind without a colour)."""
    return KIND_COLOURS.get(mark_kind(rows), MUTED_TEXT)


def mark_name(kind: str) -> str:
    """A legend entry: 'regulatory event', or 'events of several kinds'."""
    return "events of several kinds" if kind == SEVERAL_KINDS else f"{kind} event"


def mark_traces(rows: list[Event], periods: list[str], y: float) -> list[dict[str, Any]]:
    """Triangles at height `y` for the events inside `periods`, one per quarter, in one trace
    per kind so that the legend says what each colour means (a quarter whose events are of
    several kinds in a grey trace of its own). An empty list when no event falls inside."""
    marks = quarter_marks(rows, periods)
    traces = []
    for kind in dict.fromkeys(mark_kind(events) for _, events in marks):
        mine = [(quarter, events) for quarter, events in marks if mark_kind(events) == kind]
        traces.append(
            {
                "type": "scatter",
                "x": [quarter for quarter, _ in mine],
                "y": [y] * len(mine),
                "mode": "markers",
                "marker": {"symbol": "triangle-down", "size": 11, "color": mark_colour(mine[0][1])},
                "name": mark_name(kind),
                # on a phone six kinds took the chart's height in legend lines: the hover
                # names each triangle's kind, and the caption says what triangles are
                "showlegend": not for_phone(),
                "text": [mark_hover_text(events) for _, events in mine],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return traces
