"""The poison-center time chart drawn to pixels from its own JSON: nothing overlaps.

Every published figure of data/poison_centers/*.csv (the model fixture holds them all) goes
through the page's queries and `series_figure`; each segment, marker and label is then placed in
pixels the way plotly draws it: axis domains and ranges from the figure's layout, the chart's
height from `series_height` (what the page gives the graph), a plot 760 px wide (the page at
1280 px). Labels are measured generously (6.2 px a character at 10 px, 14 px tall) and the
bottom margin (legend, x-axis title) is taken as larger than the figure plans, so the plot
measured here is no taller than the one drawn.

On a phone (`phone_layout`) the same in a plot 216 px wide (a 360 px window's, as measured),
the legend's one entry a line below it: every label inside the plot, as the phone layout
places them in the plot's own units (`x domain`), in two lines.

The published deaths that failed: 8 (2000–2017) and 11 (2011–2017) lie 3 of 600 apart on a
count axis, so one segment hid the other from 2011 to 2017; Anwar's 263 calls and Washington's
330 exposures of 2015 were two markers on top of each other.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import polars as pl
import pytest

from dashboard.figures import axis_name
from dashboard.figures import poison_centers as fig
from dashboard.figures.window import phone_layout
from dashboard.filters import Filters
from dashboard.queries import poison_centers as q

PLOT_WIDTH = 760
TOP_MARGIN = 56  # the template's
BOTTOM_MARGIN = 230  # x ticks, x-axis title and a three-row legend, with room to spare
CHAR_PX, LABEL_PX = 6.2, 14  # a 10 px label: wider and taller than it is drawn
PHONE_PLOT_WIDTH = 216
PHONE_ENTRY_PX = 30  # a phone legend's entry, one a line, taken tall (drawn 20 px)
TICK_HALF = 7  # segment end ticks are 14 px tall
MARKER_HALF = 6  # 9 px markers with a 2 px outline
D = dt.date


@dataclass(frozen=True)
class Box:
    what: str
    left: float
    right: float
    top: float
    bottom: float

    def meets(self, other: Box) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


def _days(value) -> float:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return float((value - D(1970, 1, 1)).days)


def _x_range(figure: dict) -> tuple[float, float]:
    """The shared date axis: the figure's own range, else every date drawn, padded by 5%."""
    axis = next(
        (v for k, v in figure["layout"].items() if k.startswith("xaxis") and v.get("range")),
        None,
    )
    if axis:
        return _days(axis["range"][0]), _days(axis["range"][1])
    dates = [
        _days(x)
        for t in figure["data"]
        for x in t.get("x", [])
        if x is not None and not isinstance(x, int | float)
    ]
    low, high = min(dates), max(dates)
    pad = 0.05 * (high - low)
    return low - pad, high + pad


def _bottom_margin(figure: dict) -> float:
    """The bottom margin taken: BOTTOM_MARGIN, or for a vertical legend (a phone's) its entries
    one a line below the x-axis title (80 px) with 30 px to spare."""
    if figure["layout"].get("legend", {}).get("orientation") != "v":
        return BOTTOM_MARGIN
    entries = sum(1 for t in figure["data"] if t.get("showlegend", True))
    return max(BOTTOM_MARGIN, 80 + PHONE_ENTRY_PX * entries + 30)


class Pixels:
    """Data to pixels for one figure drawn `height` px tall."""

    def __init__(self, figure: dict, height: int, width: int):
        self.layout, self.width = figure["layout"], width
        top = self.layout.get("margin", {}).get("t", TOP_MARGIN)  # a title's lines on a phone
        self.plot_height = height - top - _bottom_margin(figure)
        self.x0, self.x1 = _x_range(figure)

    def x(self, value, ref: str = "x") -> float:
        if ref.endswith(" domain"):  # a fraction of the plot's width
            return value * self.width
        return (_days(value) - self.x0) / (self.x1 - self.x0) * self.width

    def panel(self, yref: str) -> tuple[float, float]:
        """(top, bottom) of the panel drawn on y axis `yref`, in px from the plot's top."""
        low, high = self.layout[axis_name("y", int(yref[1:] or 1))]["domain"]
        return (1 - high) * self.plot_height, (1 - low) * self.plot_height

    def y(self, value: float, yref: str) -> float:
        top, bottom = self.panel(yref)
        low, high = self.layout[axis_name("y", int(yref[1:] or 1))]["range"]
        return top + (high - value) / (high - low) * (bottom - top)


def _pairs(trace: dict):
    x, y = trace["x"], trace["y"]
    return [(x[i], x[i + 1], y[i]) for i in range(len(x) - 1) if None not in (x[i], x[i + 1])]


def drawn_boxes(figure: dict, height: int, width: int = PLOT_WIDTH) -> dict[str, list[Box]]:
    """Per panel (its y axis): a box for each segment (end ticks included), each marker and
    each label placed in the data (panel titles and notes are in paper units)."""
    px, out = Pixels(figure, height, width), {}
    for t in figure["data"]:
        if t["type"] != "scatter":
            continue
        yref, name = t.get("yaxis", "y"), t["name"]
        boxes = out.setdefault(yref, [])
        segments = t["marker"]["symbol"] == "line-ns-open"
        for start, end, value in _pairs(t) if segments else []:
            y = px.y(value, yref)
            boxes.append(
                Box(f"{name} segment {value}", px.x(start), px.x(end), y - TICK_HALF, y + TICK_HALF)
            )
        for x, value in [] if segments else zip(t["x"], t["y"], strict=True):
            if x is None:
                continue
            cx, cy = px.x(x), px.y(value, yref)
            boxes.append(
                Box(
                    f"{name} marker {value}",
                    cx - MARKER_HALF,
                    cx + MARKER_HALF,
                    cy - MARKER_HALF,
                    cy + MARKER_HALF,
                )
            )
    for a in figure["layout"].get("annotations", []):
        if a.get("yref", "paper") == "paper":
            continue
        lines, yref = a["text"].split("<br>"), a["yref"]
        width, tall = CHAR_PX * max(len(line) for line in lines), LABEL_PX * len(lines)
        x = px.x(a["x"], a.get("xref", "x"))
        left = {"left": x, "right": x - width}.get(a.get("xanchor"), x - width / 2)
        anchor = px.y(a["y"], yref) - a.get("yshift", 0)  # plotly's yshift is upwards
        top = {"bottom": anchor - tall, "top": anchor}.get(a.get("yanchor"), anchor - tall / 2)
        out.setdefault(yref, []).append(
            Box(f"label {a['text']!r}", left, left + width, top, top + tall)
        )
    return out


def collisions(figure: dict, height: int, width: int = PLOT_WIDTH) -> list[str]:
    """Every pair of boxes of one panel that meet, and every label outside its panel."""
    found, px = [], Pixels(figure, height, width)
    for yref, boxes in drawn_boxes(figure, height, width).items():
        found += [f"{a.what} / {b.what}" for a, b in itertools.combinations(boxes, 2) if a.meets(b)]
        top, bottom = px.panel(yref)
        found += [
            f"{b.what} outside its panel"
            for b in boxes
            if b.what.startswith("label")
            and (b.top < top or b.bottom > bottom or b.left < 0 or b.right > width)
        ]
    return found


@pytest.fixture(scope="module")
def every_published(db) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    f = Filters()
    rows = q.page_rows(db, f, q.ALL_GEOGRAPHIES)
    return rows["contacts"], rows["deaths"], q.faers_cases_by_year(db, f)


def test_the_measure_sees_an_overlap():
    """The pixel measure itself: two segments a value apart on a count axis meet."""
    figure = {
        "data": [
            {"type": "scatter", "name": n, "yaxis": "y", "x": [D(2011, 1, 1), D(2017, 12, 31)]}
            | {"y": [v, v], "marker": {"symbol": "line-ns-open"}}
            for n, v in (("a", 8), ("b", 11))
        ],
        "layout": {"yaxis": {"domain": [0, 1], "range": [0, 600]}},
    }
    assert collisions(figure, 600) == ["a segment 8 / b segment 11"]


def test_no_segment_marker_or_label_overlaps_another(every_published):
    contacts, deaths, faers = every_published
    assert {"natural_psychoactive_2019_clintox", "post_2019_clintox"} <= set(deaths["source_id"])
    figure = fig.series_figure(contacts, deaths, faers)
    height = fig.series_height(contacts, deaths, faers)
    assert collisions(figure, height) == []
    boxes = drawn_boxes(figure, height)
    # every published figure of the series is drawn, and every total and death has its label
    labels = [b.what for panel in boxes.values() for b in panel if b.what.startswith("label")]
    spans = contacts.filter(~pl.col("is_calendar_year")).height
    assert len(labels) == spans + deaths.height == 7 + 5


def test_a_narrower_page_still_has_room_for_every_label(every_published):
    """A label starts at its segment's start and runs right, or ends at its end, whichever
    side of the chart has more room: half the plot is enough for the longest label."""
    contacts, deaths, faers = every_published
    figure = fig.series_figure(contacts, deaths, faers)
    assert collisions(figure, fig.series_height(contacts, deaths, faers), width=560) == []


def test_on_a_phone_every_label_lies_inside_the_plot(every_published):
    """A 360 px window's plot is 216 px wide: the longest label (59 characters, 366 px
    measured) ran past its right edge, and labels ending at a late figure's end ran left
    into the lane's axis title."""
    contacts, deaths, faers = every_published
    with phone_layout():
        figure = fig.series_figure(contacts, deaths, faers)
        height = fig.series_height(contacts, deaths, faers)
    found = collisions(figure, height, width=PHONE_PLOT_WIDTH)
    assert [c for c in found if "label" in c] == []
    # one-year points of one year lie a few px apart in 216 px and may touch (not labels: a
    # limit of the phone, their hover tells them apart); nothing else meets
    assert all(c.count(" marker ") == 2 for c in found)
    labels = [a for a in figure["layout"]["annotations"] if a.get("yref", "paper") != "paper"]
    assert len(labels) == 7 + 5 and all(a["text"].count("<br>") == 1 for a in labels)
    # Anwar 2016's 660 calls of 2010-2015 (in the left half) start at the period's start
    anwar = next(a for a in labels if a["text"].startswith("Anwar et al. 2016:"))
    assert anwar["text"] == "Anwar et al. 2016:<br>660 calls, 2010–2015"
