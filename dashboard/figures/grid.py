"""Subplot grids as plain layout dicts: the axis domains plotly's make_subplots computes.

make_subplots builds a `go.Figure` and sets every axis through plotly's validators, which cost
tens of milliseconds per chart; these grids are a few dict entries. Panels are numbered row by
row from the top left; panel k (from 0) draws on axes `x{k+1}` and `y{k+1}` (`x` and `y` for
the first), as in make_subplots.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from dashboard.figures import Figure, axis_name
from dashboard.figures.window import narrowest_plot_px
from dashboard.figures.wrapping import wrap_text

SUBPLOT_TITLE_FONT = {"size": 12}


def _ref(letter: str, n: int) -> str:
    return f"{letter}{n if n > 1 else ''}"


def subplot_grid(
    fig: Figure,
    rows: int,
    cols: int = 1,
    *,
    n_panels: int | None = None,
    titles: Sequence[str] = (),
    row_heights: Sequence[float] | None = None,
    vertical_spacing: float | None = None,
    horizontal_spacing: float | None = None,
    share_x: Literal["columns", "all"] | None = None,
    share_y: Literal["all"] | None = None,
    plot_px: float | None = None,
) -> list[tuple[str, str]]:
    """Add a `rows` x `cols` grid of `n_panels` panels (default: every cell) to `fig`'s layout.

    Returns each panel's (x, y) axis references for its traces. Shared x axes match the lowest
    panel of their column ("columns") or the lowest-left panel ("all"), and show tick labels
    only on the lowest panel of each column; shared y axes ("all") match the lowest-left panel
    and show tick labels only in the first column. `titles` go above their panels, in lines
    that fit the panel's width when the plot area is `plot_px` wide (default: the narrowest of
    the window drawn for; at 768 px, "Dependence and withdrawal" ran into "Overdose and
    toxicity" beside it).
    """
    plot_px = plot_px or narrowest_plot_px()
    n_panels = rows * cols if n_panels is None else n_panels
    hs = 0.2 / cols if horizontal_spacing is None else horizontal_spacing
    vs = 0.3 / rows if vertical_spacing is None else vertical_spacing
    width = (1.0 - hs * (cols - 1)) / cols
    weights = list(row_heights or [1.0] * rows)
    heights = [(1.0 - vs * (rows - 1)) * (h / float(sum(weights))) for h in weights]
    from_bottom = heights[::-1]
    layout = fig["layout"]
    cells = [divmod(k, cols) for k in range(n_panels)]  # (row, col) from the top left
    lowest = {c: max(r for r, cc in cells if cc == c) for c in {c for _, c in cells}}
    bottom_left = max(k for k, (_, c) in enumerate(cells) if c == 0) + 1
    refs, annotations = [], []
    for k, (r, c) in enumerate(cells):
        n = k + 1
        x0 = width * c + c * hs
        g = rows - 1 - r  # grid row counted from the bottom
        y0 = sum(from_bottom[:g]) + g * vs
        x_domain = [max(0.0, x0), min(1.0, x0 + width)]
        y_domain = [max(0.0, y0), min(1.0, y0 + from_bottom[g])]
        xaxis = {"domain": x_domain, "anchor": _ref("y", n)}
        yaxis = {"domain": y_domain, "anchor": _ref("x", n)}
        if share_x:
            ref = bottom_left if share_x == "all" else cells.index((lowest[c], c)) + 1
            if n != ref:
                xaxis["matches"] = _ref("x", ref)
            if r != lowest[c]:
                xaxis["showticklabels"] = False
        if share_y and n != bottom_left:
            yaxis["matches"] = _ref("y", bottom_left)
            if c > 0:
                yaxis["showticklabels"] = False
        layout[axis_name("x", n)] = xaxis
        layout[axis_name("y", n)] = yaxis
        refs.append((_ref("x", n), _ref("y", n)))
        if k < len(titles) and titles[k]:
            annotations.append(
                {
                    "text": wrap_text(
                        titles[k], (x_domain[1] - x_domain[0]) * plot_px, SUBPLOT_TITLE_FONT["size"]
                    ),
                    "x": (x_domain[0] + x_domain[1]) / 2.0,
                    "y": y_domain[1],
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": dict(SUBPLOT_TITLE_FONT),
                }
            )
    if annotations:
        layout["annotations"] = [*layout.get("annotations", []), *annotations]
    return refs


SMALL_MULTIPLE_COLUMNS = 3


def small_multiples(
    fig: Figure, titles: Sequence[str], *, x_title: str, y_title: str
) -> list[tuple[str, str]]:
    """Panels of one shared scale, SMALL_MULTIPLE_COLUMNS to a row, each under its title: the
    grid of the yearly small multiples (Trends' event groups, Co-exposures' classes). `x_title`
    goes under the lowest panel of the first column, `y_title` beside each row's first panel.
    Returns each panel's (x, y) axis references."""
    columns = SMALL_MULTIPLE_COLUMNS
    rows = -(-len(titles) // columns)  # ceiling
    refs = subplot_grid(
        fig,
        rows,
        columns,
        n_panels=len(titles),
        titles=titles,
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.06,
        share_x="all",
        share_y="all",
    )
    layout = fig["layout"]
    layout[axis_name("x", columns * (rows - 1) + 1)]["title"] = {"text": x_title}
    for k in range(0, len(titles), columns):  # the first column
        layout[axis_name("y", k + 1)]["title"] = {"text": y_title}
    return refs
