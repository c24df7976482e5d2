"""Co-exposure classes over time: small multiples of each class's share of the year's cases.

How the mix changes (say, opioids giving way to stimulants) is the question; the year's case
count is the denominator, so a panel reads "of the kratom cases selected that year, this share
also named a substance of the class". Years with fewer than SMALL_N cases are drawn light, as
on the kratom-only chart of the same page, and a year with no case is a gap, not 0%.
"""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    empty_figure,
    subtitle,
    subtitle_margin,
    titled_figure,
    update_axes,
)
from dashboard.figures.coexposures import (
    NONE_CO_REPORTED,
    SMALL_N,
    SMALL_N_COLOUR,
    UNKNOWN_YEAR,
    year_axis,
)
from dashboard.figures.grid import small_multiples
from dashboard.figures.legends import fit_legend
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone

TITLE = "Co-exposure classes by year: share of the year's cases"
MEANS = "Each panel: cases naming a substance of the class, of the kratom cases selected that year"
LARGE_NAME = f"{SMALL_N} cases or more that year"
SMALL_NAME = f"Fewer than {SMALL_N} cases that year: share unstable"


def _shown(year: str) -> str:
    return "date not known" if year == UNKNOWN_YEAR else year


def _of(n: int, total: int) -> str:
    return f"{n:,} of {total:,} cases ({100.0 * n / total:.1f}%)"


def _panel_bars(
    years: list[str], counts: dict[str, int], n_year: dict[str, int], label: str, small: bool
) -> dict:
    """One panel's bars of the years with `small` (fewer than SMALL_N) cases or not."""
    picked = [y if y in n_year and (n_year[y] < SMALL_N) == small else None for y in years]
    return {
        "type": "bar",
        "x": [_shown(y) for y in years],
        "y": [100.0 * counts.get(y, 0) / n_year[y] if y else None for y in picked],
        "marker": {"color": SMALL_N_COLOUR if small else PALETTE[0]},
        "hovertext": [_of(counts.get(y, 0), n_year[y]) if y else "" for y in picked],
        "hovertemplate": f"<b>{label}</b>, %{{x}}: %{{hovertext}}<extra></extra>",
        "name": SMALL_NAME if small else LARGE_NAME,
        "legendgroup": "small" if small else "large",
    }


def class_share_figure(
    by_class: pl.DataFrame,
    by_year: pl.DataFrame,
    *,
    labels: dict[str, str],
    date_label: str,
) -> Figure:
    """Panels of classes, most cases first; `by_class` is queries.coexposures.class_by_year and
    `by_year` kratom_only_by_year (its `n_cases` per year is every panel's denominator)."""
    if by_year.is_empty():
        return empty_figure(TITLE)
    if by_class.is_empty():
        return empty_figure(TITLE, NONE_CO_REPORTED)
    n_year = dict(by_year.select("year", "n_cases").iter_rows())
    years = year_axis(list(n_year))
    totals = by_class.group_by("substance_class").agg(pl.col("n_cases").sum())
    order = totals.sort(["n_cases", "substance_class"], descending=[True, False])[
        "substance_class"
    ].to_list()
    counts: dict[str, dict[str, int]] = {}
    for year, cls, n in by_class.select("year", "substance_class", "n_cases").iter_rows():
        counts.setdefault(cls, {})[year] = n
    fig = titled_figure(
        TITLE,
        barmode="overlay",
        margin={"t": 120},
        legend={"y": 1.06, "yanchor": "bottom", "x": 0, "xanchor": "left"},
    )
    fig["layout"]["title"]["subtitle"] = subtitle(MEANS)
    pin_title(fig, 0.97)
    titles = [labels.get(c, c) for c in order]
    refs = small_multiples(fig, titles, x_title=f"Year ({date_label})", y_title="Share")
    for k, (cls, (x_ref, y_ref)) in enumerate(zip(order, refs, strict=True)):
        for small in (False, True):
            bars = _panel_bars(years, counts[cls], n_year, labels.get(cls, cls), small)
            fig["data"].append(bars | {"xaxis": x_ref, "yaxis": y_ref, "showlegend": k == 0})
    update_axes(
        fig, "x", type="category", categoryorder="array", categoryarray=[_shown(y) for y in years]
    )
    update_axes(fig, "y", range=[0, 100], dtick=50, ticksuffix="%")
    if for_phone():  # the subtitle's lines, then the legend's, above the plot (it overlapped)
        sub = fig["layout"]["title"]["subtitle"]
        fig["layout"]["margin"] = {
            "t": 80 + subtitle_margin(sub) + fit_legend(fig) + title_margin(fig)
        }
    return fig
