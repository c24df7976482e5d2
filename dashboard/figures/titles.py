"""Chart titles that fit the window drawn for: plotly never wraps a title, so on a phone it is
broken into lines here and the top margin takes the lines after the first (docs/dashboard.md,
"Titles, legends and lane labels on a phone"). Figures take their titles through
`dashboard.figures.titled_figure`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dashboard.figures.window import TOOLBAR_PX, for_phone, narrowest_figure_px
from dashboard.figures.wrapping import wrap_text

if TYPE_CHECKING:
    from dashboard.figures import Figure

TITLE_SIZE = 16  # the template's title type
TITLE_LINE_PX = 21  # a further line of a title: 16 px type at plotly's line spacing (1.3)


def chart_title(text: str) -> dict:
    """A chart's title as plotly takes it. Plotly never wraps a title: on a phone one longer
    than the figure was cut at its edge ("Published kratom figures beside FAERS cases, by ye"),
    so there it is broken into even lines that fit the narrowest figure less the toolbar; a
    chart adds `title_margin` to its top margin for the lines after the first."""
    if for_phone():
        text = wrap_text(text, narrowest_figure_px() - TOOLBAR_PX, TITLE_SIZE)
    return {"text": text}


def title_margin(fig: Figure) -> int:
    """Pixels of top margin the lines of `fig`'s title after its first need (0 but on a phone:
    titles wrap only there)."""
    return TITLE_LINE_PX * str(fig["layout"].get("title", {}).get("text") or "").count("<br>")


def pin_title(fig: Figure, y: float, pad: int = 0) -> None:
    """Pin `fig`'s title near the figure's top: at `y` of its height, hanging from its top,
    `pad` px lower. Plotly ignores that anchor for a title in several lines and draws the lines
    after the first above it (on a phone the first line was cut off at the top): the title is
    padded down by their height."""
    fig["layout"]["title"] |= {"yref": "container", "y": y, "yanchor": "top"}
    if pad or title_margin(fig):
        fig["layout"]["title"]["pad"] = {"t": pad + title_margin(fig)}
