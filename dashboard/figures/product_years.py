"""Kratom cases per year by product type: counts stacked (top), each type's share (bottom).

The products sold have changed (leaf powder, then extracts, lately concentrated 7-OH tablets
and drinks), so the question is both how many cases each kind brings and how the mix moves.
Shares of years with fewer than SMALL_N cases are drawn faint: one case swings them.
"""

from __future__ import annotations

import polars as pl

from dashboard.figures import PALETTE, Figure, empty_figure, titled_figure, update_axes
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.grid import subplot_grid
from dashboard.figures.legends import fit_legend
from dashboard.figures.part_year import part_year
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone

TITLE = "Kratom cases per year, by kratom product"
SMALL_N = 10  # fewer cases in a year: its shares are drawn faint, as unstable
FAINT = 0.35
# the filter's product types in its order, each with its colour (colour-blind-safe palette)
COLOURS = {
    "leaf_powder": PALETTE[2],
    "extract": PALETTE[0],
    "concentrate_7oh": PALETTE[5],
    "mixed_product": PALETTE[3],
    "unspecified": PALETTE[7],
}


def _share(n: int, total: int) -> str:
    return f"{n:,} of {total:,} cases ({100.0 * n / total:.1f}%)"


def product_year_figure(
    df: pl.DataFrame,
    *,
    labels: dict[str, str],
    date_label: str,
    latest_quarter: str | None = None,
    filling_in: FillingIn | None = None,
) -> Figure:
    """Two panels over every year from the first to the last with a case (a year between with
    none is 0 above and a gap below); `df` is queries.trends.cases_by_year_product. Pass
    `latest_quarter` (the newest file's, for receipt dates only) to mark a part-year; by event
    date, `filling_in` to mark the years still filling in."""
    if df.is_empty():
        return empty_figure(TITLE)
    years = list(range(df["year"].min(), df["year"].max() + 1))
    counts: dict[str, dict[int, int]] = {}
    for year, product, n in df.select("year", "product_type", "n_cases").iter_rows():
        counts.setdefault(product, {})[year] = n
    totals = {y: sum(c.get(y, 0) for c in counts.values()) for y in years}
    order = [p for p in COLOURS if p in counts] + sorted(p for p in counts if p not in COLOURS)
    fig = titled_figure(TITLE, barmode="stack", margin={"t": 90})
    (x1, y1), (x2, y2) = subplot_grid(
        fig, 2, 1, row_heights=[0.6, 0.4], share_x="columns", vertical_spacing=0.1
    )
    for k, product in enumerate(order):
        label = labels.get(product, product)
        by_year = counts[product]
        n = [by_year.get(y, 0) for y in years]
        colour = COLOURS.get(product, PALETTE[(k + 1) % len(PALETTE)])
        hover = [_share(by_year.get(y, 0), totals[y]) if totals[y] else "" for y in years]
        common = {
            "type": "bar",
            "x": years,
            "name": label,
            "legendgroup": product,
            "hovertext": hover,
            "hovertemplate": f"<b>{label}</b>, %{{x}}: %{{hovertext}}<extra></extra>",
        }
        fig["data"].append(common | {"y": n, "xaxis": x1, "yaxis": y1, "marker": {"color": colour}})
        fig["data"].append(
            common
            | {
                "y": [100.0 * by_year.get(y, 0) / totals[y] if totals[y] else None for y in years],
                "xaxis": x2,
                "yaxis": y2,
                "showlegend": False,
                "marker": {
                    "color": colour,
                    "opacity": [FAINT if totals[y] < SMALL_N else 1.0 for y in years],
                },
            }
        )
    update_axes(fig, "x", tickformat="d")
    layout = fig["layout"]
    layout["xaxis2"]["title"] = {"text": f"Year ({date_label})"}
    layout["yaxis"] |= {"title": {"text": "Cases"}, "tickformat": ",d"}
    layout["yaxis2"] |= {"title": {"text": "Share"}, "range": [0, 100], "ticksuffix": "%"}
    # the title pinned on top, the legend (two rows in a narrow chart) between it and the plot:
    # with the title placed by plotly, the legend's second row ran over it
    pin_title(fig, 0.98)
    layout["legend"] = {"y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    part = part_year(years, latest_quarter)
    notes = filling_in.years(years) if filling_in else dict([part] if part else [])
    top = max(totals.values())  # above every bar: a wide label over its year clears its neighbours
    for year, text in notes.items():
        layout.setdefault("annotations", []).append(
            {
                "x": year,
                "y": top,
                "xref": x1,
                "yref": y1,
                "text": text,
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 11},
            }
        )
    layout["showlegend"] = True
    if for_phone():  # one entry a line, counted (its three rows of two ran over the title)
        layout["margin"] = {"t": 60 + fit_legend(fig) + title_margin(fig)}
    return fig
