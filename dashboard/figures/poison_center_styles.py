"""What both poison-center charts share: a style per source (colour, marker, dash), the legend
below the chart, and the text of a chart with no published figure. The time chart is in
`poison_centers.py`, the breakdown charts in `poison_center_breakdown.py`."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.figures import PALETTE, Figure, titled_figure

EMPTY_PUBLISHED = "No published figures for this geography and these dates"
# Below the chart, anchored left (an automatic anchor lets a tall legend squeeze the plot).
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top"}
LEGEND |= {"font": {"size": 11}}
_SYMBOLS = ("circle", "square", "triangle-up")
_DASHES = ("solid", "dash", "longdash")


def source_styles(
    sources: list[str], together: Iterable[Iterable[str]] = ()
) -> dict[str, tuple[str, str, str]]:
    """(colour, marker symbol, line dash) per source; grey stays FAERS's.

    There are more sources than colours: sources drawn in one panel (each set of `together`)
    get different colours wherever the palette allows, the sources with the most such
    neighbours choosing first; a colour used again gets the next marker symbol and line dash.
    """
    names = sorted(set(sources))
    groups = [set(group) for group in together]
    neighbours = {s: set().union(*(g for g in groups if s in g)) - {s} for s in names}
    colours, n = PALETTE[:-1], len(PALETTE) - 1
    uses = [0] * n
    chosen: dict[str, int] = {}
    for s in sorted(names, key=lambda s: (-len(neighbours[s]), s)):
        taken = {chosen[o] for o in neighbours[s] if o in chosen}
        free = [i for i in range(n) if i not in taken] or list(range(n))
        chosen[s] = min(free, key=lambda i: (uses[i], i))
        uses[chosen[s]] += 1
    styles, seen = {}, [0] * n
    for s in names:  # symbols and dashes in name order, whatever the order colours were chosen in
        i = chosen[s]
        styles[s] = (colours[i], _SYMBOLS[seen[i] % 3], _DASHES[seen[i] % 3])
        seen[i] += 1
    return styles


def new_figure(title: str, **layout) -> Figure:
    return titled_figure(title, legend=LEGEND, **layout)
