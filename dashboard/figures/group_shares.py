"""Event groups compared across a split: per group, one point per category = the share of that
category's cases reporting the group, with its Wilson 95% interval as error bars.

Rows are the event groups of the reviewed list, in its order, every one even at 0 (a row of
zeros says it was counted). The points of a row stand side by side (plotly's `scattermode`
"group"), one colour per category; a category of fewer than SMALL_N cases is drawn hollow and
light, its legend entry saying "share unstable" as the Co-exposures page's light bars do.
"""

from __future__ import annotations

import math

import polars as pl

from dashboard.figures import PALETTE, Figure, base_figure, empty_figure, subtitle, subtitle_margin
from dashboard.figures.product_years import COLOURS as PRODUCT_COLOURS
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import narrowest_figure_px
from dashboard.figures.wrapping import TEXT_EM, wrap_text
from dashboard.wilson import wilson_interval

SMALL_N = 10  # fewer cases in a category: its shares are drawn hollow and light, as unstable
UNSTABLE = "share unstable"
GREY = PALETTE[7]  # a category not known (sex, age, product not stated)
LIGHT = 0.45  # opacity of a small category's colour
SERIES = PALETTE[:6]  # the house palette without its yellow and grey
SPLIT_NAMES = {
    "product": "kratom product",
    "alone": "kratom alone or with other substances",
    "opioid": "opioid co-exposure",
    "sex": "sex",
    "age": "age band",
}
SUBTITLES = {
    "product": "A case counts once, under the most specific product its kratom drugs name "
    "(7-OH concentrate, extract, mixed, leaf / powder, then not stated)",
    "alone": "Kratom only: no substance but kratom named on the report",
    "opioid": "An opioid (not kratom) named on the case, in any role",
    "sex": "Sex as reported",
    "age": "Age band at the event (ICH E11)",
}
# the categories' labels for the splits the filter panel has no words for
LABELS = {
    "alone": {
        "kratom_only": "Kratom only",
        "with_others": "With other substances",
        "unknown": "Not known",
    },
    "opioid": {"with_opioid": "With an opioid", "without_opioid": "Without an opioid"},
    "age": {
        "0-27d": "0–27 days",
        "28d-23m": "28 days–23 months",
        "2-11": "2–11 years",
        "12-17": "12–17 years",
        "18-64": "18–64 years",
        "65-74": "65–74 years",
        "75-84": "75–84 years",
        "85+": "85 years and over",
        "unknown": "Age not known",
    },
}
NOT_KNOWN = {"unknown", "U", "unspecified"}
TOP_PX = 70  # the title pinned on top and the subtitle's first line, above the legend
LEGEND_ROW_PX = 22
ROW_PX = 11  # per point of a group's row
ROW_MIN_PX = 42  # a row: room for a two-line name and a gap to the next
GROUP_LABEL_PX = 120  # an event group's name: lines of at most 18 characters at 13 px
BOTTOM_PX = 70  # the x axis, its title and a little air


def styles(split: str, categories: list[str]) -> dict[str, tuple[str, str]]:
    """A (colour, marker symbol) per category: the products' own colours (as on Trends), other
    splits the house palette in order (no yellow: too light for a point on white), a seventh
    known category on takes the colours again with a diamond; a category not known is grey."""
    if split == "product":
        return {c: (PRODUCT_COLOURS.get(c, GREY), "circle") for c in categories}
    known = [c for c in categories if c not in NOT_KNOWN]
    picked = {
        c: (SERIES[i % len(SERIES)], "circle" if i < len(SERIES) else "diamond")
        for i, c in enumerate(known)
    }
    return {c: picked.get(c, (GREY, "circle")) for c in categories}


def legend_name(label: str, n: int) -> str:
    """'Leaf / powder (n=1,427)'; under SMALL_N cases '… (n=4, share unstable)'."""
    return f"{label} (n={n:,}, {UNSTABLE})" if n < SMALL_N else f"{label} (n={n:,})"


def legend_rows(names: list[str], px: float | None = None) -> int:
    """Rows a horizontal legend of `names` takes over a plot `px` wide (plotly gives a legend
    above the plot the plot's width; by default the narrowest chart's less the rows' names and
    the toolbar: 540 px, 150 on a phone, where five entries took five rows and ran over the
    subtitle): one row when all fit, else plotly lays the items out in columns as wide as the
    widest item (13 px type, the symbol and gaps about 46 px an item)."""
    px = px or narrowest_figure_px() - 180
    widths = [46 + len(name) * TEXT_EM * 13 for name in names]
    if sum(widths) <= px:
        return 1
    return math.ceil(len(names) / max(1, int(px // max(widths))))


def chart_height(n_groups: int, n_categories: int, top_px: int) -> int:
    """Pixels for `n_groups` rows of `n_categories` points each under a top margin `top_px`."""
    return top_px + n_groups * max(ROW_MIN_PX, ROW_PX * n_categories + 8) + BOTTOM_PX


def _lighter(colour: str) -> str:
    """`colour` (#rrggbb) at LIGHT opacity, as rgba."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r}, {g}, {b}, {LIGHT})"


def _trace(part: pl.DataFrame, name: str, label: str, style: tuple[str, str], groups: dict):
    """One category's points: share (%) per group with the interval as asymmetric bars."""
    colour, symbol = style
    n = int(part["n_cases"][0])
    small = n < SMALL_N
    drawn = _lighter(colour) if small else colour
    x, plus, minus, hover = [], [], [], []
    for k in part["n_group_cases"].to_list():
        low, high = wilson_interval(k, n)
        share = 100.0 * k / n
        x.append(share)
        plus.append(100.0 * high - share)
        minus.append(share - 100.0 * low)
        hover.append(
            f"{label}: {k:,} of {n:,} cases ({share:.1f}%)"
            f"<br>95% interval {100 * low:.1f}–{100 * high:.1f}%"
            + (f"<br>Fewer than {SMALL_N} cases: {UNSTABLE}" if small else "")
        )
    return {
        "type": "scatter",
        "mode": "markers",
        "orientation": "h",
        "name": name,
        "x": x,
        "y": [groups[g] for g in part["event_group"].to_list()],
        "marker": {
            "color": drawn,
            "size": 8,
            "symbol": f"{symbol}-open" if small else symbol,
            "line": {"width": 2 if small else 0, "color": drawn},
        },
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": plus,
            "arrayminus": minus,
            "color": drawn,
            "thickness": 1.5,
            "width": 3,
        },
        "hovertext": hover,
        "hovertemplate": "<b>%{y}</b><br>%{hovertext}<extra></extra>",
    }


def group_shares_figure(
    df: pl.DataFrame,
    *,
    split: str,
    labels: dict[str, str] | None = None,
    group_labels: dict[str, str] | None = None,
) -> Figure:
    """The comparison chart of `df` (queries.group_shares.group_shares_by_split): every event
    group a row, in `df`'s order; every category a point per row, in `df`'s order, named with
    its n in the legend. `labels` names the categories (else LABELS of the split, else the
    code), `group_labels` the event groups. The figure's pixel height is `layout.height`."""
    title = f"Event groups compared across {SPLIT_NAMES.get(split, split)}"
    if df.is_empty():
        return empty_figure(title)
    labels = (labels or {}) | LABELS.get(split, {})
    group_labels = group_labels or {}
    cats = df.unique("category", maintain_order=True)
    order = df.unique("event_group", maintain_order=True)["event_group"].to_list()
    # the rows' names in lines of 18 characters or fewer: the plot keeps the width a legend
    # row of two items needs in the narrowest chart
    groups = {g: wrap_text(group_labels.get(g, g), GROUP_LABEL_PX, 13) for g in order}
    palette = styles(split, cats["category"].to_list())
    names = []
    # no y title: the rows' names say what they are (a title ran into the longest names)
    fig = base_figure(title, x_title="Share of the category's cases (%)")
    for cat, n in cats.select("category", "n_cases").iter_rows():
        label = labels.get(cat, cat)
        names.append(legend_name(label, n))
        part = df.filter(pl.col("category") == cat)
        fig["data"].append(_trace(part, names[-1], label, palette[cat], groups))
    layout = fig["layout"]
    sub = subtitle(SUBTITLES.get(split, ""))
    top = TOP_PX + subtitle_margin(sub) + LEGEND_ROW_PX * legend_rows(names) + title_margin(fig)
    layout["title"]["subtitle"] = sub
    pin_title(fig, 1, pad=12)
    layout["legend"] = {"orientation": "h", "y": 1.0, "yanchor": "bottom", "traceorder": "normal"}
    layout["legend"] |= {"x": 0, "xanchor": "left"}
    layout |= {"scattermode": "group", "scattergap": 0.3, "hovermode": "closest"}
    layout["margin"] = {"t": top, "b": BOTTOM_PX - 20, "r": 40}
    layout["height"] = chart_height(len(order), len(names), top)
    labels_in_order = list(groups.values())
    layout["yaxis"] |= {"type": "category", "categoryorder": "array"}
    layout["yaxis"] |= {"categoryarray": labels_in_order, "autorange": "reversed"}
    layout["yaxis"]["showgrid"] = False
    ends = [x + p for t in fig["data"] for x, p in zip(t["x"], t["error_x"]["array"], strict=True)]
    highest = max(ends)
    end = min(100, 10 * math.ceil(highest / 10 + 0.01))
    # a little room either side, so that a share of 0 or 100% shows its whole point
    layout["xaxis"] |= {"range": [-0.02 * end, 1.02 * end], "ticksuffix": "%"}
    return fig
