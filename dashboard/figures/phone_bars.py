"""Horizontal bars laid out for a phone: each bar's name on its own lines above the bar, not
beside it, and the value axis long enough for the figure written after each bar's end.

Beside their bars, names such as "Product quality and contamination" left a 360 px window's
plot about 65 px, where "1,127 (53.8%)" after a bar ran past the figure's edge (Event types)
and the Poison centers breakdowns lost both ends of a row ("…itted to a health-care facility",
"515 of 55…"). Above their bars the names leave the plot the figure's whole width less the
toolbar (docs/dashboard.md, "Widths"). Only the phone's layout uses this: wider windows keep
the names beside the bars.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.figures import Figure
from dashboard.figures.window import PHONE_FIGURE_PX, TOOLBAR_PX
from dashboard.figures.wrapping import TEXT_EM, wrap_text

NAME_SIZE = 12  # the names' type, as a subplot title's
NAME_LINE_PX = 16  # a line of it at plotly's line spacing (1.3), rounded up
BAR_PX = 14  # a bar's thickness
GAP_PX = 14  # between a bar and the next row's name
FOOT_PX = 4  # of which under the bar, in its own band
LEFT_PX = 10  # the figure's left margin: no tick labels there
TEXT_GAP_PX = 8  # between a bar's end and its text (plotly's 3 px pad, an annotation's shift)


def plot_px(right_px: int = TOOLBAR_PX) -> int:
    """The plot's width in a 360 px window's figure, less the left margin and `right_px`."""
    return PHONE_FIGURE_PX - LEFT_PX - right_px


@dataclass(frozen=True)
class Rows:
    """Where a panel's rows go: each category's band `row_px` tall holds its name's lines and
    under them its bar, `width` of the band from `offset` past the category's place (an axis
    drawn top down: the bar sits at the band's foot, the name above it)."""

    names: list[str]
    row_px: int
    width: float
    offset: float

    @property
    def centre(self) -> float:
        """A bar's middle, from its category's place (for text beside the bar)."""
        return self.offset + self.width / 2


def rows(names: list[str], px: int | None = None) -> Rows:
    """`names` (plotly's `<br>` allowed) broken into lines of the plot's width; every band as
    tall as the longest name needs."""
    wrapped = [wrap_text(name.replace("<br>", " "), px or plot_px(), NAME_SIZE) for name in names]
    lines = max((name.count("<br>") + 1 for name in wrapped), default=1)
    row_px = lines * NAME_LINE_PX + BAR_PX + GAP_PX
    width = BAR_PX / row_px
    return Rows(wrapped, row_px, width, 0.5 - FOOT_PX / row_px - width)


def names_over_bars(
    fig: Figure, categories: list[str], placed: Rows, axes: tuple[str, str] = ("x", "y")
) -> None:
    """Draw `fig`'s bars on axes `axes` thin at the foot of their bands, each category's name
    (`placed.names`, in `categories`' order) above its bar from the plot's left edge; the
    category axis keeps that order top down and shows no tick labels."""
    x_ref, y_ref = axes
    y_axis = fig["layout"]["yaxis" + y_ref[1:]]
    y_axis |= {"type": "category", "categoryorder": "array", "categoryarray": categories}
    # each band whole, top down (an automatic range ends at the bars, cutting the first name)
    y_axis |= {"range": [len(categories) - 0.5, -0.5], "autorange": False}
    y_axis |= {"showticklabels": False, "title": {"text": ""}}
    for trace in fig["data"]:
        if trace.get("type") == "bar" and trace.get("yaxis", "y") == y_ref:
            # text outside a bar keeps its size (plotly shrinks it to a thin bar's thickness)
            trace |= {"width": placed.width, "offset": placed.offset, "constraintext": "inside"}
    fig["layout"]["annotations"] = [
        *fig["layout"].get("annotations", []),
        *(
            {
                "text": name,
                "x": 0,
                "xref": f"{x_ref} domain",
                "xanchor": "left",
                "y": i + placed.offset,  # a category axis places numbers by the categories' order
                "yref": y_ref,
                "yanchor": "bottom",
                "align": "left",
                "showarrow": False,
                "font": {"size": NAME_SIZE, "color": "#1f2933"},
            }
            for i, name in enumerate(placed.names)
        ),
    ]


def value_range(values: list[float], texts: list[str], size: float, px: int) -> float:
    """The value axis's end that leaves room after each bar (`values`) for its text (`texts`,
    `size` px type, half an em a character) in a plot `px` wide."""
    end = max(values, default=0) or 1
    for value, text in zip(values, texts, strict=True):
        room = px - TEXT_EM * size * len(text) - TEXT_GAP_PX
        end = max(end, value * px / max(room, px / 4))
    return end
