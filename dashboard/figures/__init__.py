"""Pure DataFrame → figure builders: one template, a colour-blind-safe palette, no DB or Dash.

Figures are plain dicts in plotly's JSON form (`{"data": [...], "layout": {...}}`), which
dcc.Graph takes as they are. Building them through plotly's `go.Figure` objects cost most of a
page's callback time (every property set goes through plotly's validators and path parsing);
the tests wrap each figure in `go.Figure(...)`, which validates it against plotly's schema.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito's colour-blind-safe palette (black dropped: it is kept for text and annotations).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
FONT = "Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
EMPTY_MESSAGE = "No cases match these filters"
EMPTY_WRAP = 22  # characters a line of an empty chart's sentence: fits a quarter-width card
MUTED_TEXT = "#52606d"
# The narrowest chart the layout gives (docs/dashboard.md, "Widths"): a full-width chart card in
# a 768 px window, where the filter panel sits above the page. Text plotly cannot shrink or wrap
# (subtitles, panel titles) is broken into lines that fit it, and a long axis gets no more tick
# labels than fit it upright; wider windows only leave these more room.
NARROW_FIGURE_PX = 720
NARROW_PLOT_PX = 600  # its plot area: less the axis labels' margin and the toolbar's
# A phone's window (under 600 px; the browser says so, dashboard/viewport.py) gets figures laid
# out for a full-width card in a 360 px window, the narrowest phone in common use.
PHONE_FIGURE_PX = 330
PHONE_PLOT_PX = 250
_PHONE: ContextVar[bool] = ContextVar("phone_window", default=False)
TEXT_EM = 0.5  # a generous average character width of the house font, in ems
SUBTITLE_SIZE = 12
SUBTITLE_LINE_PX = 15  # the top margin a chart adds for each further line of its subtitle
TITLE_SIZE = 16  # the template's title type
TITLE_LINE_PX = 21  # a further line of a title: 16 px type at plotly's line spacing (1.3)
TOP_PX = 56  # the template's top margin
TOOLBAR_PX = 40  # the vertical toolbar at a figure's right edge (the template's right margin)
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


def for_phone() -> bool:
    """Whether the figures being built are for a phone's window (`dashboard.viewport`)."""
    return _PHONE.get()


def set_phone(phone: bool) -> None:
    """Lay the figures built from now on in this context out for a phone's window, or not."""
    _PHONE.set(phone)


@contextmanager
def phone_layout(phone: bool = True) -> Iterator[None]:
    """Within the block, figures are laid out for a phone's window (tests, benchmarks)."""
    token = _PHONE.set(phone)
    try:
        yield
    finally:
        _PHONE.reset(token)


def narrowest_figure_px() -> int:
    """The narrowest figure of the window drawn for: 720 px, or 330 px on a phone."""
    return PHONE_FIGURE_PX if for_phone() else NARROW_FIGURE_PX


def narrowest_plot_px() -> int:
    """The narrowest plot area of the window drawn for: 600 px, or 250 px on a phone."""
    return PHONE_PLOT_PX if for_phone() else NARROW_PLOT_PX


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


def balanced_lines(text: str, width: int) -> list[str]:
    """`text` in as few lines of at most `width` characters as it needs, made as even as
    possible ('No cases match', 'these filters', not 'No cases match these', 'filters'), never
    cutting a word ('Psychiatric', 'and mood', not 'Psychiatri', 'c and mood'): a word longer
    than `width` keeps a line of its own, whole (a phone's panel titles read "Cardiovascular",
    not "Cardiov / ascular")."""
    lines = textwrap.wrap(text, width, break_long_words=False)
    shortest = -(-len(text) // max(len(lines), 1))
    for narrower in range(shortest, width):
        even = textwrap.wrap(text, narrower, break_long_words=False)
        if len(even) == len(lines):
            return even
    return lines


def line_chars(px: float, size: float) -> int:
    """How many characters of `size` px type a line `px` wide holds (never fewer than 8)."""
    return max(8, int(px / (TEXT_EM * size)))


def wrap_text(text: str, px: float, size: float = SUBTITLE_SIZE) -> str:
    """`text` broken into even lines (`<br>`) that fit `px` at `size` px; unchanged if it fits."""
    return "<br>".join(balanced_lines(text, line_chars(px, size)))


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
