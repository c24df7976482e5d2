"""Figures of the overview page."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    quarter_range,
    quarter_ticks,
    share_text,
    subtitle,
    subtitle_margin,
)
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.legends import fit_legend
from dashboard.figures.timeline_marks import mark_traces
from dashboard.figures.titles import pin_title, title_margin


def trend_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_label: str,
    counted: str = "Kratom cases",
    filling_in: FillingIn | None = None,
    n_selected: int | None = None,
    products: bool = False,
) -> Figure:
    """Cases per quarter (`counted` says which: kratom cases, or FAERS cases of every drug),
    with regulatory and data-format events marked above the bars: one triangle per quarter, its
    hover listing the events, one trace per kind (quarters with events of several kinds in a
    grey trace of their own). Counted by event date, pass `filling_in`: the axis then reaches its
    `last` quarter (an empty recent quarter is a 0 so far) and the quarters still filling in are
    shaded.

    `n_selected` is the headline's count of the same cases: those of them the bars leave out
    (no date of the chosen kind) are told in a subtitle ("315 of the 2,095 kratom cases
    selected give no event date and are not drawn").

    `products` (kratom cases): each bar splits into the cases with a 7-OH concentrate product
    (`n_7oh`, their most specific kratom product, as on Trends) and the other kratom cases,
    stacked, when any quarter has one: the 2025 concentrates show on the first page."""
    title = f"{counted} by quarter of {date_label}"
    drawn = int(by_quarter["n_cases"].sum()) if not by_quarter.is_empty() else 0
    undrawn = (n_selected or 0) - drawn
    if by_quarter.is_empty():
        if undrawn > 0:
            return empty_figure(
                title,
                f"{_selected(n_selected, counted)}, none with {_date_noun(date_label, True)}",
            )
        return empty_figure(title)
    last = by_quarter["period"].max()
    if filling_in:
        last = max(last, filling_in.last)
    periods = quarter_range(by_quarter["period"].min(), last)
    full = pl.DataFrame({"period": periods}).join(by_quarter, on="period", how="left").fill_null(0)
    fig = base_figure(title, x_title=f"Quarter ({date_label})", y_title="Cases (deduplicated)")
    if products and "n_7oh" in full.columns and full["n_7oh"].sum() > 0:
        fig["data"] += product_bars(periods, full)
        fig["layout"]["barmode"] = "stack"
    else:
        fig["data"].append(
            {
                "type": "bar",
                "x": periods,
                "y": full["n_cases"].to_list(),
                "name": "Cases",
                "marker": {"color": PALETTE[0]},
                "customdata": [list(r) for r in full.select("n_serious", "n_deaths").rows()],
                "hovertemplate": "%{x}: %{y:,} cases<br>%{customdata[0]:,} serious, "
                "%{customdata[1]:,} deaths<extra></extra>",
            }
        )
    integer_axis(fig, max(full["n_cases"].to_list()) * 1.1)
    if show_events and not events.is_empty():
        top = max(by_quarter["n_cases"].to_list()) * 1.08
        fig["data"] += mark_traces(list(events.iter_rows(named=True)), periods, top)
    fig["layout"]["xaxis"] |= {"type": "category", "categoryorder": "array"}
    fig["layout"]["xaxis"]["categoryarray"] = periods
    quarter_ticks(fig, periods)
    if filling_in and (bands := filling_in.bands(periods)):
        fig["layout"]["shapes"] = bands
        fig["layout"]["showlegend"] = True
    # up to seven entries, in the rows the narrowest chart needs (two at 768 px, one a line on
    # a phone, the band's long entry on rows of its own), under a title pinned on top
    if legend_px := fit_legend(fig):
        pin_title(fig, 0.98)
    subtitle_px = 0
    if undrawn > 0:
        one = undrawn == 1
        fig["layout"]["title"]["subtitle"] = sub = subtitle(
            f"{undrawn:,} of the {_selected(n_selected, counted)} "
            f"{'gives' if one else 'give'} no {_date_noun(date_label)} and "
            f"{'is' if one else 'are'} not drawn"
        )
        subtitle_px = 20 + subtitle_margin(sub)
        pin_title(fig, 0.98)
    if legend_px or undrawn > 0:  # title, subtitle, then the legend's rows above the plot
        fig["layout"]["margin"] = {"t": 60 + subtitle_px + legend_px + title_margin(fig)}
    return fig


SEVEN_OH = "7-OH concentrate"
OTHER_KRATOM = "Other kratom products"
SEVEN_OH_COLOUR = PALETTE[5]  # as the 7-OH concentrate on Trends (product_years.COLOURS)


def product_bars(periods: list[str], full: pl.DataFrame) -> list[dict]:
    """Two stacked bar traces: the 7-OH concentrate cases, then the other kratom cases, each
    hover with the quarter's total and its serious cases and deaths."""
    other = (full["n_cases"] - full["n_7oh"]).to_list()
    custom = [list(r) for r in full.select("n_cases", "n_serious", "n_deaths").rows()]
    totals = "<br>of %{customdata[0]:,} cases: %{customdata[1]:,} serious, %{customdata[2]:,} "
    return [
        {
            "type": "bar",
            "x": periods,
            "y": other,
            "name": OTHER_KRATOM,
            "marker": {"color": PALETTE[0]},
            "customdata": custom,
            "hovertemplate": "%{x}: %{y:,} cases with other or unstated kratom products"
            + totals
            + "deaths<extra></extra>",
        },
        {
            "type": "bar",
            "x": periods,
            "y": full["n_7oh"].to_list(),
            "name": SEVEN_OH,
            "marker": {"color": SEVEN_OH_COLOUR},
            "customdata": custom,
            "hovertemplate": "%{x}: %{y:,} cases with a 7-OH concentrate product"
            + totals
            + "deaths<extra></extra>",
        },
    ]


def _selected(n: int, counted: str) -> str:
    """'2,095 kratom cases selected' ('FAERS cases (all drugs)' keeps its capitals; '1 kratom
    case selected')."""
    label = counted if n != 1 else counted.replace("cases", "case", 1)
    label = label if label[1:2].isupper() else label[:1].lower() + label[1:]
    return f"{n:,} {label} selected"


def _date_noun(date_label: str, article: bool = False) -> str:
    """What a case without the chosen date lacks: '(an) event date' or '(a) date of receipt'."""
    if date_label == "event date":
        return "an event date" if article else "event date"
    return "a date of receipt" if article else "date of receipt"


def outcome_figure(outcomes: pl.DataFrame, counted: str = "Kratom cases") -> Figure:
    """Cases with each serious outcome; one case can have several. Shares are of every case
    selected (`counted` says which: `population.cases_label`), not of the serious ones, and the
    axis title and hover say so ("of the 2,095 kratom cases selected")."""
    title = "Serious outcomes reported"
    if outcomes.is_empty() or outcomes["n_total"][0] == 0:
        return empty_figure(title)
    total = int(outcomes["n_total"][0])
    of_whom = f"of the {_selected(total, counted)}"
    fig = base_figure(title, x_title=f"Cases (% {of_whom})", y_title="")
    fig["data"].append(
        {
            "type": "bar",
            "y": outcomes["outcome"].to_list(),
            "x": outcomes["n_cases"].to_list(),
            "orientation": "h",
            "marker": {"color": PALETTE[5]},
            "text": [share_text(n, total) for n in outcomes["n_cases"].to_list()],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": f"%{{y}}: %{{text}} {of_whom}<extra></extra>",
        }
    )
    fig["layout"]["yaxis"]["autorange"] = "reversed"
    top = max(outcomes["n_cases"].to_list())
    fig["layout"]["xaxis"]["range"] = [0, top * 1.35]  # room for the labels past the bars
    integer_axis(fig, top, axis="x")
    return fig


def breakdown_figure(
    df: pl.DataFrame,
    title: str,
    labels: dict[str, str] | None = None,
    order: tuple[str, ...] | None = None,
) -> Figure:
    """Cases by one category (sex, age band, ...), with counts and shares on hover.

    Horizontal bars, the first category on top, each labelled with its count: these charts sit
    in narrow cards, where upright bars left no room for nine category names (plotly dropped
    every other one) nor for the counts above the bars (shrunk to a few pixels). Bars follow
    `order` when given (age bands read youngest first), else the largest first; with `order`,
    each of its categories gets a bar, those without cases labelled 0 (a missing band read as
    left out, not as none).
    """
    if df.is_empty():
        return empty_figure(title)
    if order:
        present = set(df["category"].to_list())
        zeros = pl.DataFrame({"category": [c for c in order if c not in present]}).with_columns(
            n_cases=pl.lit(0, dtype=df.schema["n_cases"]),
            n_total=pl.lit(df["n_total"][0], dtype=df.schema["n_total"]),
        )
        df = pl.concat([df, zeros.select(df.columns)])
        rank = {c: i for i, c in enumerate(order)}
        df = df.sort(pl.col("category").replace_strict(rank, default=len(rank)))
    labels = labels or {}
    cats = [labels.get(c, c or "Unknown") for c in df["category"].to_list()]
    total = int(df["n_total"][0])
    fig = base_figure(title, x_title="Cases", y_title="")
    counts = df["n_cases"].to_list()
    fig["data"].append(
        {
            "type": "bar",
            "orientation": "h",
            "y": cats,
            "x": counts,
            "marker": {"color": PALETTE[2]},
            "text": [f"{n:,}" for n in counts],
            "textposition": "outside",
            "constraintext": "inside",  # never shrink the counts past the bars
            "textfont": {"size": 12},
            "cliponaxis": False,
            "customdata": [share_text(n, total) for n in counts],
            "hovertemplate": "%{y}: %{customdata} of cases<extra></extra>",
        }
    )
    # every category named (explicit ticks: plotly skips automatic ones that crowd), first on top
    fig["layout"]["yaxis"] |= {"type": "category", "autorange": "reversed"}
    fig["layout"]["yaxis"] |= {"tickmode": "array", "tickvals": cats, "ticktext": cats}
    # the category names' own width (automargin); the top as base_figure set it
    fig["layout"]["margin"] = fig["layout"].get("margin", {}) | {"l": 8, "r": 40}
    # The counts are on the bars: no tick labels (a narrow card had room for two, angled), and
    # the longest bar 60% of the width, the rest for its count.
    fig["layout"]["xaxis"] |= {
        "range": [0, max(counts) * 1.7],
        "showticklabels": False,
        "showgrid": False,
    }
    return fig
