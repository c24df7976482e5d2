"""Pure DataFrame → go.Figure builders: one template, a colour-blind-safe palette, no DB or Dash."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito's colour-blind-safe palette (black dropped: it is kept for text and annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
EMPTY_MESSAGE = "No cases match these filters"

pio.templates["kratom"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 60, "r": 20, "t": 56, "b": 48},
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


def new_figure() -> go.Figure:
    """An empty figure that skips plotly's per-property validation.

    Validation costs about 40% of a page's callback time; the builders here are tested, so
    every figure they make is checked once in the tests instead of on every request.
    """
    return go.Figure(_validate=False)


def base_figure(title: str, *, x_title: str = "", y_title: str = "") -> go.Figure:
    """An empty figure in the house template with a title and axis titles (units included)."""
    fig = new_figure()
    fig.update_layout(template=TEMPLATE, title={"text": title})
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def empty_figure(title: str, message: str = EMPTY_MESSAGE) -> go.Figure:
    """The empty state: the chart's title and a sentence saying why nothing is drawn."""
    fig = base_figure(title)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": "#52606d"},
    )
    return fig


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


def integer_axis(fig: go.Figure, max_value: float, axis: str = "y") -> None:
    """Counts are whole numbers: no 0.5 ticks on small charts."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickformat=",d", dtick=1 if max_value <= 8 else None)


def quarter_ticks(fig: go.Figure, periods: list[str]) -> None:
    """Label a long quarter axis by year (at each Q1) so labels stay readable."""
    if len(periods) > 16:
        years = [p for p in periods if p.endswith("Q1")]
        step = max(1, len(years) // 12)
        shown = years[::step]
        fig.update_xaxes(tickvals=shown, ticktext=[p[:4] for p in shown], tickangle=0)
