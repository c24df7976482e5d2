"""How much room a legend above the plot takes in the window drawn for: its rows at the
narrowest chart, or on a phone one entry a line as plotly.js draws it (docs/dashboard.md,
"Titles, legends and lane labels on a phone"). A chart adds what `fit_legend` returns to its
top margin."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from dashboard.figures.window import for_phone, narrowest_figure_px
from dashboard.figures.wrapping import TEXT_EM

if TYPE_CHECKING:
    from dashboard.figures import Figure

LEGEND_FONT = 13  # the template's font size, which legends use
LEGEND_ROW_PX = 25
LEGEND_SYMBOL_PX = 45  # an entry's symbol and the gaps around it
# A vertical legend as plotly.js draws it (measured in Chromium): an entry is its lines of
# 13 px type at 1.3 line spacing plus 3 px (at least 16 + 3: 20 px for one line, 54 for
# three), the legend 10 px of padding more, and 10 px between legend groups when any entry has
# a group (then each entry without one is a group of its own).
PHONE_LEGEND_LINE_PX = LEGEND_FONT * 1.3
PHONE_LEGEND_PAD_PX = 10
PHONE_LEGEND_GROUP_GAP_PX = 10


def fit_legend(fig: Figure) -> int:
    """Pixels of top margin `fig`'s legend above the plot takes, to add to the title's.

    At 768 px and wider, its rows at the narrowest chart (`legend_rows`). On a phone the legend
    is one entry a line from the plot's left edge: plotly lays a horizontal legend in columns as
    wide as its widest entry, which in a 250 px plot is one column anyway, and then pushed the
    plot down by rows the margin had not counted."""
    if not for_phone():
        return LEGEND_ROW_PX * legend_rows(fig)
    entries = _legend_entries(fig)
    if len(entries) == 1 and fig["layout"].get("showlegend") is None:
        fig["layout"]["showlegend"] = False  # one entry, "Cases", says what the axis says
        return 0
    if not entries:
        return 0
    # each entry its lines' height (it counted 30 px a line, which left 36 px empty above the
    # Trends dating chart's three entries)
    lines = [name.count("<br>") + 1 for name in entries]
    items = sum(max(PHONE_LEGEND_LINE_PX * n, 16) + 3 for n in lines)
    groups = _legend_groups(fig)
    gaps = PHONE_LEGEND_GROUP_GAP_PX * (len(groups) - 1) if any(groups) else 0
    fig["layout"]["legend"] = fig["layout"].get("legend", {}) | {
        "orientation": "v",
        "x": 0,
        "xanchor": "left",
        "y": 1.0,
        "yanchor": "bottom",
    }
    return math.ceil(items + gaps + PHONE_LEGEND_PAD_PX)


def _legend_groups(fig: Figure) -> list[str]:
    """The legend groups of `fig`'s shown entries in the order drawn, an entry without a group
    as "" (a group of its own when any entry has one)."""
    shown = [t for t in fig["data"] if t.get("showlegend", True)]
    shown += [s for s in fig["layout"].get("shapes", []) if s.get("showlegend")]
    groups: list[str] = []
    for item in shown:
        group = str(item.get("legendgroup") or "")
        if not group or group not in groups:
            groups.append(group)
    return groups


def _legend_entries(fig: Figure) -> list[str]:
    """The names in `fig`'s legend: traces and shapes shown in it, none if it is hidden."""
    shown = fig["layout"].get("showlegend")
    entries = [t.get("name") or "" for t in fig["data"] if t.get("showlegend", True)]
    entries += [s.get("name") or "" for s in fig["layout"].get("shapes", []) if s.get("showlegend")]
    if shown is False or (shown is None and len(fig["data"]) < 2):
        return []
    return [str(name) for name in entries]


def legend_rows(fig: Figure, px: float | None = None) -> int:
    """How many rows the horizontal legend of `fig`'s traces and shapes (those shown in it)
    takes in a figure `px` wide (default: the narrowest of the window drawn for), entries
    placed left to right as plotly does, each its symbol and its text's longest line wide."""
    px = (px or narrowest_figure_px()) - 20
    entries = _legend_entries(fig)
    rows, used = 0, px
    for name in entries:
        lines = str(name).split("<br>")
        width = LEGEND_SYMBOL_PX + TEXT_EM * LEGEND_FONT * max(len(line) for line in lines)
        if used + width > px or len(lines) > 1:
            rows += len(lines)
            used = width if len(lines) == 1 else px  # a wrapped entry keeps its rows to itself
        else:
            used += width
    return rows
