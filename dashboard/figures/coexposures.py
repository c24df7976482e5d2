"""Figures of the co-exposures page: top substances and classes, kratom-only share, pairs."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    MUTED_TEXT,
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    share_text,
    subtitle,
    subtitle_margin,
)
from dashboard.figures.heatmap import (
    NARROWING_LABELS,
    cell_template,
    cell_text,
    count_colorbar,
    event_group_columns,
)
from dashboard.figures.legends import fit_legend
from dashboard.figures.titles import pin_title, title_margin

UNKNOWN_YEAR = "unknown"
NONE_CO_REPORTED = "No substance other than kratom is reported on these cases"
NO_PAIRS = "No case in this selection names two substances other than kratom"
KRATOM_ONLY_MEANS = "Kratom only: no substance but kratom products named on the report"
KRATOM_ONLY_N = "; n = cases that year (no bar and no n: no case)"
SMALL_N = 10  # fewer cases in a year: its share is drawn light, as unstable
SMALL_N_COLOUR = "#A6DBCB"  # PALETTE[2], lightened
PAIRS_MEANS = "Two different substances, besides kratom, named on the same case"
HEAT_SCALE = [[0.0, "#f4f7fb"], [1.0, "#0072B2"]]


def _empty(title: str, n_total: int, message: str) -> Figure:
    """The empty state: no cases at all, or cases but nothing of this kind on them."""
    return empty_figure(title, message) if n_total else empty_figure(title)


def coexposure_figure(
    df: pl.DataFrame,
    title: str,
    *,
    field: str,
    y_title: str,
    n_total: int,
    labels: dict[str, str] | None = None,
) -> Figure:
    """Cases co-reporting each substance (or class), largest first, with the share of cases.

    `df` is queries.coexposures.top_coexposures; a click on a bar adds its term to the Filters
    field `field` (`customdata` = [field, term]).
    """
    if df.is_empty():
        return _empty(title, n_total, NONE_CO_REPORTED)
    labels = labels or {}
    terms = df["term"].to_list()
    counts = df["n_cases"].to_list()
    total = int(df["n_total"][0])
    shares = [share_text(n, total) for n in counts]
    fig = base_figure(title, x_title="Cases (deduplicated)", y_title=y_title)
    fig["data"].append(
        {
            "type": "bar",
            "y": [labels.get(t, t) for t in terms],
            "x": counts,
            "orientation": "h",
            "marker": {"color": PALETTE[0]},
            "text": shares,
            "textposition": "outside",
            "cliponaxis": False,
            "customdata": [[field, t] for t in terms],
            "hovertext": [f"{s} of {total:,} cases" for s in shares],
            "hovertemplate": "<b>%{y}</b><br>%{hovertext}<extra></extra>",
        }
    )
    fig["layout"]["yaxis"] |= {"type": "category", "autorange": "reversed"}
    fig["layout"]["xaxis"]["range"] = [0, max(counts) * 1.4]
    integer_axis(fig, max(counts), axis="x")
    return fig


def year_axis(years: list[str]) -> list[str]:
    """Every calendar year from the first to the last shown, then 'unknown' when present."""
    known = sorted(int(y) for y in years if y != UNKNOWN_YEAR)
    axis = [str(y) for y in range(known[0], known[-1] + 1)] if known else []
    return axis + ([UNKNOWN_YEAR] if UNKNOWN_YEAR in years else [])


def _share_bars(years: list[str], rows: dict[str, tuple[int, int]], small: bool) -> dict:
    """The bars of the years with cases, fewer than SMALL_N (`small`) or not; n above each.

    `rows`: year -> (kratom-only cases, cases).
    """
    picked = [rows[y] if y in rows and (rows[y][1] < SMALL_N) == small else None for y in years]
    return {
        "type": "bar",
        "x": ["date not known" if y == UNKNOWN_YEAR else y for y in years],
        "y": [100.0 * r[0] / r[1] if r else None for r in picked],
        "name": f"Fewer than {SMALL_N} cases: share unstable"
        if small
        else f"{SMALL_N} cases or more",
        "marker": {"color": SMALL_N_COLOUR if small else PALETTE[2]},
        # two short lines: "n=1,234" on one shrank to 6 px over a narrow chart's thin bars
        "text": [f"n=<br>{r[1]:,}" if r else "" for r in picked],
        "textposition": "outside",
        "textfont": {"size": 10, "color": MUTED_TEXT},
        "cliponaxis": False,
        "hovertext": [f"{share_text(*r)} of {r[1]:,} cases" if r else "" for r in picked],
        "hovertemplate": "<b>%{x}</b>: %{hovertext} named kratom only<extra></extra>",
    }


def kratom_only_figure(df: pl.DataFrame, *, date_label: str) -> Figure:
    """Share of cases naming no substance but kratom, per year (`kratom_only_by_year`).

    Each bar says its number of cases (n); years with fewer than SMALL_N cases are drawn light
    (their share swings with one case), and a year without cases is a gap with no n, unlike a
    year of 0%, which has its n.
    """
    title = "Share of cases naming only kratom, by year"
    if df.is_empty():
        return empty_figure(title)
    years = year_axis(df["year"].to_list())
    rows = {y: (k, n) for y, n, k in df.select("year", "n_cases", "n_kratom_only").iter_rows()}
    fig = base_figure(title, x_title=f"Year ({date_label})", y_title="Share of cases (%)")
    fig["data"] += [_share_bars(years, rows, small) for small in (False, True)]
    layout = fig["layout"]
    sub = subtitle(KRATOM_ONLY_MEANS + KRATOM_ONLY_N)
    layout["title"]["subtitle"] = sub
    pin_title(fig, 0.97)
    layout["legend"] = {"y": 1.0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    # title, subtitle, then the legend above the plot (one row at 768 px, two lines on a
    # phone)
    layout["margin"] = {"t": 75 + fit_legend(fig) + subtitle_margin(sub) + title_margin(fig)}
    layout["barmode"] = "overlay"  # one bar per year, from one trace or the other
    layout["xaxis"]["type"] = "category"
    # room above 100% for the two lines of n over a full bar; ticks stop at 100%
    ticks = list(range(0, 101, 20))
    layout["yaxis"] |= {"range": [0, 124], "tickvals": ticks, "ticktext": [f"{t}%" for t in ticks]}
    return fig


def _cases(n: int) -> str:
    return f"{n:,} case" if n == 1 else f"{n:,} cases"


def _heat_grid(df: pl.DataFrame, group_order: list[str], class_labels: dict[str, str]):
    """Rows (classes, most cases first), columns (groups in `group_order`), counts and hovers."""
    classes = df.unique("substance_class").sort(
        ["n_class_cases", "substance_class"], descending=[True, False]
    )
    rows = classes["substance_class"].to_list()
    n_class = dict(classes.select("substance_class", "n_class_cases").iter_rows())
    cols = event_group_columns(group_order, df["event_group"].unique().to_list())
    cells = dict(
        ((c, g), n)
        for c, g, n in df.select("substance_class", "event_group", "n_cases").iter_rows()
    )
    z = [[cells.get((c, g), 0) for g in cols] for c in rows]
    hover = [
        [
            f"{share_text(n, n_class[c])} of the {_cases(n_class[c])} with "
            f"{class_labels.get(c, c).lower()}"
            for n in line
        ]
        for c, line in zip(rows, z, strict=True)
    ]
    return rows, cols, z, hover


def class_group_heatmap(
    df: pl.DataFrame,
    *,
    n_total: int,
    class_labels: dict[str, str] | None = None,
    group_labels: dict[str, str] | None = None,
) -> Figure:
    """Cases with a co-exposure of each class (rows) and an event of each group (columns).

    Rows: classes by their number of cases; columns: every group of `group_labels` in its
    order, zeros included (`figures.heatmap`, as on the Indications page).
    """
    title = "Co-exposure class by event group"
    if df.is_empty():
        return _empty(title, n_total, NONE_CO_REPORTED)
    class_labels, group_labels = class_labels or {}, group_labels or {}
    rows, cols, z, hover = _heat_grid(df, list(group_labels), class_labels)
    fig = base_figure(title, x_title="Event group", y_title="Co-exposure class")
    fig["data"].append(
        {
            "type": "heatmap",
            "z": z,
            "x": [group_labels.get(g, g) for g in cols],
            "y": [class_labels.get(c, c) for c in rows],
            "colorscale": HEAT_SCALE,
            "zmin": 0,
            "text": cell_text(z),
            "texttemplate": cell_template(),
            "hovertext": hover,
            "hovertemplate": "<b>%{y} × %{x}</b><br>%{hovertext}<extra></extra>",
            "colorbar": count_colorbar(z),
            "xgap": 2,
            "ygap": 2,
        }
    )
    fig["layout"]["xaxis"] |= {"type": "category", "showgrid": False} | NARROWING_LABELS
    fig["layout"]["yaxis"] |= {"type": "category", "autorange": "reversed", "showgrid": False}
    fig["layout"]["modebar"] = {"orientation": "h"}  # a vertical one would cover the colour bar
    return fig


def pairs_figure(df: pl.DataFrame, *, n_total: int) -> Figure:
    """The commonest pairs of two co-reported substances in one case (`substance_pairs`)."""
    title = "Substance pairs reported together"
    if df.is_empty():
        return _empty(title, n_total, NO_PAIRS)
    names = [f"{a} + {b}" for a, b in df.select("substance_a", "substance_b").iter_rows()]
    counts = df["n_cases"].to_list()
    total = int(df["n_total"][0])
    shares = [share_text(n, total) for n in counts]
    fig = base_figure(title, x_title="Cases (deduplicated)", y_title="Substance pair")
    fig["data"].append(
        {
            "type": "bar",
            "y": names,
            "x": counts,
            "orientation": "h",
            "marker": {"color": PALETTE[3]},
            "text": shares,
            "textposition": "outside",
            "cliponaxis": False,
            "hovertext": [f"{s} of {total:,} cases" for s in shares],
            "hovertemplate": "<b>%{y}</b><br>%{hovertext}<extra></extra>",
        }
    )
    sub = subtitle(PAIRS_MEANS)
    fig["layout"]["title"]["subtitle"] = sub
    fig["layout"]["margin"] = {"t": 76 + subtitle_margin(sub) + title_margin(fig)}
    fig["layout"]["yaxis"] |= {"type": "category", "autorange": "reversed"}
    fig["layout"]["xaxis"]["range"] = [0, max(counts) * 1.4]
    integer_axis(fig, max(counts), axis="x")
    return fig
