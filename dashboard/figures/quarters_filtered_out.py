"""The quarters a date filter leaves out of a quarterly chart: which they are, and grey bands
over them (a line of the filtered date has no case there: a gap, not a zero)."""

from __future__ import annotations

FILTERED_OUT = "#eef0f3"  # the quarters the date filter leaves out


def outside_range(periods: list[str], date_from: str | None, date_to: str | None) -> list[bool]:
    """Whether each quarter falls outside the filter's range (None: that end is open)."""
    low, high = date_from or "", date_to or "9999Q9"
    return [not low <= p <= high for p in periods]


def outside_bands(outside: list[bool], date_word: str) -> list[dict]:
    """A grey band over each run of quarters outside the filter, one legend entry for all."""
    bands, start = [], None
    for i, out in enumerate([*outside, False]):
        if out and start is None:
            start = i
        elif not out and start is not None:
            bands.append((start - 0.5, i - 0.5))
            start = None
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": x0,
            "x1": x1,
            "y0": 0,
            "y1": 1,
            "fillcolor": FILTERED_OUT,
            "line": {"width": 0},
            "layer": "below",
            "name": f"Outside the {date_word}-date filter",
            "legendgroup": "outside",
            "showlegend": k == 0,
        }
        for k, (x0, x1) in enumerate(bands)
    ]
