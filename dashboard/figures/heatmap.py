"""What the two case-count heatmaps (Co-exposures, Indications) share: every event group as a
column and one way of writing the counts, so the same cell reads the same on both pages."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.figures.window import for_phone

# The event groups' labels under a map: slanted while they fit so, upright (90°) when the chart
# is too narrow for that (plotly picks the first angle of the list whose labels do not overlap;
# a fixed slant ran the labels together at 768 px).
NARROWING_LABELS = {"autotickangles": [-30, -90]}  # tickangle left unset: "auto"


def event_group_columns(display_order: Iterable[str], seen: Iterable[str]) -> list[str]:
    """Every event group of `display_order` (the reviewed list), with no case or not, then any
    group of the data not in that list, alphabetically. A group no case reports stays a column
    of zeros: dropping it would hide that it was counted."""
    order = list(display_order)
    return order + sorted(set(seen) - set(order))


def cell_text(z: list[list[int]]) -> list[list[str]]:
    """Each cell's count as written on the map: thousands separated, zero written '0'."""
    return [[f"{n:,}" for n in row] for row in z]


def cell_template() -> str:
    """What each cell writes: its count, or nothing on a phone, where thirteen columns leave
    cells too narrow for a number (plotly shrank them to 1 px); the colour and the hover say it."""
    return "" if for_phone() else "%{text}"


def count_colorbar(z: list[list[int]]) -> dict:
    """The colour bar of a map of case counts: whole numbers, a tick per case when few."""
    colorbar = {"title": {"text": "Cases"}, "tickformat": ",d"}
    if max((max(row) for row in z if row), default=0) <= 8:
        colorbar["dtick"] = 1
    return colorbar
