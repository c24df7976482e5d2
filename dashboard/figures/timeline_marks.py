"""The timeline's triangles on the overview and trends charts: which quarter each dated event
marks, its colour, and what its hover says.

One place for both, so every chart that draws `model.timeline` says the same about each event:
its label, its date to the precision the reference gives (a month- or year-precision date is
stored as the first day of that month or year, and must not read as that day), its kind, and how
far it was checked when that is less than a named source (status `V`). Events in the same quarter
share one triangle whose hover lists them all: triangles drawn on one spot hide all but one hover.

Plotly draws no hover label at all that is taller than the whole figure (it cannot place it, and
drops it), and lets one wider than the figure run past both edges. A triangle of several events
therefore lists them one a line (two on a phone), labels cut at a fixed length, the status as a
mark explained once below; at most `MAX_LISTED` of them. Triangles are sized so that neighbours
do not overlap in the narrowest plot the page gives (`window.narrowest_plot_px`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dashboard.figures import MUTED_TEXT
from dashboard.figures.window import for_phone, narrowest_plot_px
from dashboard.figures.wrapping import balanced_lines

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
# A triangle of several events: one line each, "<date> · <label> · <kind> <mark>", its label cut
# to LABEL_CHARS (an ellipsis the last), the status as a mark explained once at the bottom. A
# line of the longest date, label and kind is about 560 px at 13 px: the narrowest figure is 720.
# On a phone (330 px) each event takes two lines, the label and "<date> · <kind> <mark>", and
# every line is kept to PHONE_LINE_CHARS (about 260 px), the label's after a bullet.
LABEL_CHARS = 48
PHONE_LINE_CHARS = 40
SEP = " · "
MARKS = {"V-3p": "†"}  # any other status weaker than V: OTHER_MARK
OTHER_MARK = "‡"
# The most events one hover lists (a line is about 17 px): ten take 14 lines, about 250 px, of the
# overview's 380 px figure (the shortest that draws triangles), and 26 lines, about 450 px, of
# its 480 px on a phone (two lines an event, the notes broken in two).
MAX_LISTED = 10
MARK_SIZE = 11  # the triangles' size where the quarters leave room for it
MIN_MARK_SIZE = 5  # smaller is hard to see and to point at: neighbours may overlap on a phone
TRIANGLE_WIDTH = 2 / 3**0.5  # plotly draws a triangle of size s 1.15 s wide
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


def event_hover_text(row: Event, phone: bool = False) -> str:
    """The label, then `<date>, <kind>`, then the status note when there is one, one a line; on
    a phone the label and the note broken into lines of `PHONE_LINE_CHARS` at most.

    `row` has event_date, date_precision, label, kind and status."""
    date = event_date_text(row["event_date"], row["date_precision"], row["status"])
    lines = [row["label"], f"{date}, {row['kind']}", status_note(row["status"])]
    if phone:
        lines = ["<br>".join(balanced_lines(line, PHONE_LINE_CHARS)) for line in lines if line]
    return "<br>".join(line for line in lines if line)


def shortened(label: str, chars: int) -> str:
    """`label` whole if it has at most `chars` characters, else cut to `chars` with an ellipsis
    as the last (trailing spaces and punctuation before it dropped)."""
    if len(label) <= chars:
        return label
    return label[: chars - 1].rstrip(" ,;:-(") + "…"


def status_mark(status: str) -> str:
    """The mark of a status weaker than `V` in a list of events ('' for `V` and for a date not
    checked, which the date says)."""
    return "" if status_note(status) is None else MARKS.get(status, OTHER_MARK)


def event_list_line(row: Event, phone: bool = False) -> str:
    """One event of a triangle's list: `2025-07-15 · FDA warning letters to 7 firms… ·
    enforcement`, a mark after the kind when its status is weaker than `V`; on a phone the label
    after a bullet on a line of its own, above `<date> · <kind>`."""
    date = event_date_text(row["event_date"], row["date_precision"], row["status"])
    tail = f"{row['kind']} {status_mark(row['status'])}".rstrip()
    if phone:
        return f"• {shortened(row['label'], PHONE_LINE_CHARS - 2)}<br>{date}{SEP}{tail}"
    return f"{date}{SEP}{shortened(row['label'], LABEL_CHARS)}{SEP}{tail}"


def mark_notes(rows: list[Event], phone: bool = False) -> list[str]:
    """What the list's marks mean, one note a mark used (on a phone broken into short lines)."""
    notes = []
    if any(status_mark(r["status"]) == MARKS["V-3p"] for r in rows):
        notes.append(f"{MARKS['V-3p']} {THIRD_PARTY}")
    if other := sorted({r["status"] for r in rows if status_mark(r["status"]) == OTHER_MARK}):
        codes = f"status {other[0]}" if len(other) == 1 else f"statuses {', '.join(other)}"
        notes.append(f"{OTHER_MARK} not marked as checked against a named source ({codes})")
    if phone:
        return ["<br>".join(balanced_lines(note, PHONE_LINE_CHARS)) for note in notes]
    return notes


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


def mark_hover_text(rows: list[Event], phone: bool = False) -> str:
    """The hover of one triangle. One event: its text (`event_hover_text`). Several: a bold
    head `2025Q3: 7 events`, then one line each by date (`event_list_line`; on a phone two), the
    first `MAX_LISTED` - 1 and `and 3 more` past `MAX_LISTED`, then after a blank line what the
    marks mean."""
    if len(rows) == 1:
        return event_hover_text(rows[0], phone)
    shown = rows if len(rows) <= MAX_LISTED else rows[: MAX_LISTED - 1]
    lines = [f"<b>{quarter_of(rows[0]['event_date'])}: {len(rows)} events</b>"]
    lines += [event_list_line(r, phone) for r in shown]
    if len(shown) < len(rows):
        lines.append(f"and {len(rows) - len(shown)} more")
    if notes := mark_notes(shown, phone):
        lines += ["", *notes]
    return "<br>".join(lines)


def mark_size(n_periods: int) -> float:
    """The triangles' size: as wide as a quarter's slot in the narrowest plot at most (to a
    tenth of a pixel, rounded down), `MARK_SIZE` at the most and `MIN_MARK_SIZE` at the least."""
    slot = narrowest_plot_px() / max(n_periods, 1)
    return max(MIN_MARK_SIZE, min(MARK_SIZE, int(slot / TRIANGLE_WIDTH * 10) / 10))


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
    phone, size = for_phone(), mark_size(len(periods))
    traces = []
    for kind in dict.fromkeys(mark_kind(events) for _, events in marks):
        mine = [(quarter, events) for quarter, events in marks if mark_kind(events) == kind]
        traces.append(
            {
                "type": "scatter",
                "x": [quarter for quarter, _ in mine],
                "y": [y] * len(mine),
                "mode": "markers",
                "marker": {
                    "symbol": "triangle-down",
                    "size": size,
                    "color": mark_colour(mine[0][1]),
                },
                "name": mark_name(kind),
                # on a phone six kinds took the chart's height in legend lines: the hover
                # names each triangle's kind, and the caption says what triangles are
                "showlegend": not phone,
                "text": [mark_hover_text(events, phone) for _, events in mine],
                "hovertemplate": "%{text}<extra></extra>",
                "hoverlabel": {"align": "left"},  # a list reads down its left edge
            }
        )
    return traces
