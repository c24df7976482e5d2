"""Pure DataFrame → figure builders: one template, a colour-blind-safe palette, no DB or Dash.

Figures are plain dicts in plotly's JSON form (`{"data": [...], "layout": {...}}`), which
dcc.Graph takes as they are. Building them through plotly's `go.Figure` objects cost most of a
page's callback time (every property set goes through plotly's validators and path parsing);
the tests wrap each figure in `go.Figure(...)`, which validates it against plotly's schema.

Fitting the window drawn for is in modules of its own: `window.py` (a phone's or the narrowest
chart's widths), `wrapping.py` (text in even lines), `titles.py` and `legends.py`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

from dashboard.figures.titles import TITLE_SIZE, chart_title, title_margin
from dashboard.figures.window import TOOLBAR_PX, for_phone, narrowest_figure_px, narrowest_plot_px
from dashboard.figures.wrapping import SUBTITLE_SIZE, balanced_lines, wrap_text

# Okabe & Ito's colour-blind-safe palette (black dropped: it is kept for text and annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
EMPTY_MESSAGE = "No cases match these filters"
EMPTY_WRAP = 22  # characters a line of an empty chart's sentence: fits a quarter-width card
MUTED_TEXT = "#52606d"
SUBTITLE_LINE_PX = 15  # the top margin a chart adds for each further line of its subtitle
TOP_PX = 56  # the template's top margin
YEAR_LABEL_PX = 20  # a year label at 13 px turned upright (90°), and the gap that keeps it apart

Figure = dict[str, Any]

pio.templates["kratom"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": TOOLBAR_PX, "t": TOP_PX, "b": 48},  # r: the vertical modebar
        title={"x": 0, "xanchor": "left", "font": {"size": TITLE_SIZE}},
        xaxis={"gridcolor": "#e5e7eb", "zeroline": False, "automargin": True},
        yaxis={
            "gridcolor": "#e5e7eb",
            "zeroline": False,
            "automargin": True,
            "rangemode": "tozero",
        },
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 1, "xanchor": "right"},
        hoverlabel={"font": {"family": FONT}},
        modebar={"orientation": "v", "bgcolor": "rgba(255,255,255,0.6)"},
    )
)
TEMPLATE = "kratom"
# The template as plotly.js takes it (a name means nothing in the browser); shared, never mutated.
TEMPLATE_JSON: dict[str, Any] = pio.templates[TEMPLATE].to_plotly_json()


def base_figure(title: str, *, x_title: str = "", y_title: str = "") -> Figure:
    """An empty figure in the house template with a title and axis titles (units included).

    On a phone, text on bars that plotly would shrink under 9 px to fit is hidden instead
    (`uniformtext`; the hover still says it): n over 22 thin yearly bars was drawn at 6 px.
    The title as `titled_figure` sets it."""
    fig = titled_figure(
        title, xaxis={"title": {"text": x_title}}, yaxis={"title": {"text": y_title}}
    )
    if for_phone():
        fig["layout"]["uniformtext"] = {"minsize": 9, "mode": "hide"}
    return fig


def titled_figure(title: str, **layout: Any) -> Figure:
    """An empty figure in the house template with `title` (`chart_title`) and `layout`. A title
    in several lines (on a phone) adds their height to the top margin `layout` gives (default:
    the template's); a chart that sets its top margin later adds `title_margin` itself."""
    fig = {"data": [], "layout": {"template": TEMPLATE_JSON, "title": chart_title(title), **layout}}
    if extra := title_margin(fig):
        margin = fig["layout"].get("margin", {})
        fig["layout"]["margin"] = margin | {"t": margin.get("t", TOP_PX) + extra}
    return fig


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> Figure:
    """The empty state: the chart's title and a sentence saying why nothing is drawn.

    The sentence is broken into short, even lines (`EMPTY_WRAP` characters at most) and the
    side margins are small: in a narrow card (a quarter of the page) a one-line sentence ran
    past the plot and under the toolbar.
    """
    fig = base_figure(title)
    fig["layout"]["xaxis"]["visible"] = False
    fig["layout"]["yaxis"]["visible"] = False
    fig["layout"]["margin"] = fig["layout"].get("margin", {}) | {"l": 12, "r": TOOLBAR_PX}
    fig["layout"]["annotations"] = [
        {
            "text": "<br>".join(balanced_lines(message, EMPTY_WRAP)),
            "x": 0.5,
            "y": 0.5,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 14, "color": MUTED_TEXT},
        }
    ]
    return fig


def axis_name(letter: str, n: int = 1) -> str:
    """The layout key of axis `n` ('xaxis', 'xaxis2', ...); `letter` is 'x' or 'y'."""
    return f"{letter}axis{n if n > 1 else ''}"


def axes(fig: Figure, letter: str) -> Iterator[dict[str, Any]]:
    """Every x (or y) axis the figure's layout has, as the dicts to update."""
    prefix = f"{letter}axis"
    for key, value in fig["layout"].items():
        suffix = key[len(prefix) :]
        if key.startswith(prefix) and (suffix == "" or suffix.isdigit()):
            yield value


def update_axes(fig: Figure, letter: str, **props: Any) -> None:
    """Set `props` on every x (or y) axis; a None value removes the property."""
    for axis in axes(fig, letter):
        for key, value in props.items():
            if value is None:
                axis.pop(key, None)
            else:
                axis[key] = value


def subtitle(text: str) -> dict:
    """A chart's subtitle (what is counted), in the house's muted small type, in as many lines
    as the narrowest chart needs (a line cut at the figure's edge lost its end); a chart whose
    subtitle takes more lines adds `subtitle_margin` to its top margin."""
    wrapped = wrap_text(text, narrowest_figure_px() - 60)  # less the left padding and the toolbar
    return {"text": wrapped, "font": {"size": SUBTITLE_SIZE, "color": MUTED_TEXT}}


def subtitle_margin(sub: dict) -> int:
    """Pixels of top margin a subtitle's lines after its first need."""
    return SUBTITLE_LINE_PX * sub["text"].count("<br>")


def share_text(n: int, total: int) -> str:
    """'12 (34.5%)': a count with its share of a total, for hover text."""
    pct = 100.0 * n / total if total else 0.0
    return f"{n:,} ({pct:.1f}%)"


def quarter_range(first: str, last: str) -> list[str]:
    """Every quarter from `first` to `last` inclusive ('2019Q3' form), so gaps show as zero."""
    y, q = int(first[:4]), int(first[-1])
    out = []
    while f"{y}Q{q}" <= last:
        out.append(f"{y}Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def integer_axis(fig: Figure, max_value: float, axis: str = "y") -> None:
    """Counts are whole numbers: no 0.5 ticks on small charts (every axis of that letter)."""
    update_axes(fig, axis, tickformat=",d", dtick=1 if max_value <= 8 else None)


def year_label_step(n_years: int, plot_px: float | None = None) -> int:
    """Label every how many years so `n_years` year labels fit a plot `plot_px` wide (default:
    the narrowest of the window drawn for) even turned upright (1, 2, 3, ...: at most one
    label per YEAR_LABEL_PX)."""
    return max(1, math.ceil(n_years * YEAR_LABEL_PX / (plot_px or narrowest_plot_px())))


def quarter_ticks(fig: Figure, periods: list[str]) -> None:
    """Label a long quarter axis by year (a tick and grid line at each Q1): level where the
    labels fit side by side, turned upright where they do not (plotly takes the first angle of
    `autotickangles` whose labels do not overlap; held level, 22 years in a 768 px window ran
    together as "200520062007"); only the years divisible by `year_label_step` are named when
    even upright labels would not fit the narrowest chart."""
    if len(periods) > 16:
        years = [p for p in periods if p.endswith("Q1")]
        step = year_label_step(len(years))
        text = [p[:4] if int(p[:4]) % step == 0 else "" for p in years]
        update_axes(fig, "x", tickvals=years, ticktext=text, autotickangles=[0, -90])
