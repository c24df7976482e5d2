"""Pure DataFrame → figure builders: one template, a colour-blind-safe palette, no DB or Dash.

Figures are plain dicts in plotly's JSON form (`{"data": [...], "layout": {...}}`), which
dcc.Graph takes as they are. Building them through plotly's `go.Figure` objects cost most of a
page's callback time (every property set goes through plotly's validators and path parsing);
the tests wrap each figure in `go.Figure(...)`, which validates it against plotly's schema.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito's colour-blind-safe palette (black dropped: it is kept for text and annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
EMPTY_MESSAGE = "No cases match these filters"
EMPTY_WRAP = 22  # characters a line of an empty chart's sentence: fits a quarter-width card
MUTED_TEXT = "#52606d"

Figure = dict[str, Any]

pio.templates["kratom"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 40, "t": 56, "b": 48},  # r: room for the vertical modebar
        title={"x": 0, "xanchor": "left", "font": {"size": 16}},
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
    """An empty figure in the house template with a title and axis titles (units included)."""
    return {
        "data": [],
        "layout": {
            "template": TEMPLATE_JSON,
            "title": {"text": title},
            "xaxis": {"title": {"text": x_title}},
            "yaxis": {"title": {"text": y_title}},
        },
    }


def balanced_lines(text: str, width: int) -> list[str]:
    """`text` in as few lines of at most `width` characters as it needs, made as even as
    possible ('No cases match', 'these filters', not 'No cases match these', 'filters')."""
    lines = textwrap.wrap(text, width)
    shortest = -(-len(text) // max(len(lines), 1))
    for narrower in range(shortest, width):
        even = textwrap.wrap(text, narrower)
        if len(even) == len(lines):
            return even
    return lines


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> Figure:
    """The empty state: the chart's title and a sentence saying why nothing is drawn.

    The sentence is broken into short, even lines (`EMPTY_WRAP` characters at most) and the
    side margins are small: in a narrow card (a quarter of the page) a one-line sentence ran
    past the plot and under the toolbar.
    """
    fig = base_figure(title)
    fig["layout"]["xaxis"]["visible"] = False
    fig["layout"]["yaxis"]["visible"] = False
    fig["layout"]["margin"] = {"l": 12, "r": 40}  # r: the vertical toolbar
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
    """A chart's one-line subtitle (what is counted), in the house's muted small type."""
    return {"text": text, "font": {"size": 12, "color": MUTED_TEXT}}


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


def quarter_ticks(fig: Figure, periods: list[str]) -> None:
    """Label a long quarter axis by year (at each Q1) so labels stay readable."""
    if len(periods) > 16:
        years = [p for p in periods if p.endswith("Q1")]
        step = max(1, len(years) // 12)
        shown = years[::step]
        update_axes(fig, "x", tickvals=shown, ticktext=[p[:4] for p in shown], tickangle=0)
