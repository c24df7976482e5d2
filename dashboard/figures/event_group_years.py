"""The Trends small multiples: kratom cases per year in each event group, on one scale."""

from __future__ import annotations

import math

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    empty_figure,
    integer_axis,
    share_text,
    subtitle,
    subtitle_margin,
    titled_figure,
    update_axes,
)
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.grid import small_multiples
from dashboard.figures.part_year import part_year_sentence
from dashboard.figures.titles import pin_title, title_margin


def _largest_first(by_year: pl.DataFrame) -> list[str]:
    totals = by_year.group_by("event_group").agg(pl.col("n_cases").sum())
    return totals.sort(["n_cases", "event_group"], descending=[True, False])[
        "event_group"
    ].to_list()


def event_group_figure(
    by_year: pl.DataFrame,
    labels: dict[str, str],
    *,
    latest_quarter: str | None = None,
    filling_in: FillingIn | None = None,
) -> Figure:
    """Small multiples: kratom cases per year in each event group, on one shared scale.

    Pass `latest_quarter` (the newest file's, for receipt dates only) to say in a subtitle that
    the last year is a part-year; by event date, `filling_in` to say which years are still
    filling in."""
    title = "Kratom cases per year, by event group"
    if by_year.is_empty():
        return empty_figure(title)
    order = _largest_first(by_year)
    years = list(range(by_year["year"].min(), by_year["year"].max() + 1))
    totals = dict(by_year.select("year", "n_year").unique().iter_rows())
    counts: dict[str, dict[int, int]] = {}
    for year, group, n in by_year.select("year", "event_group", "n_cases").iter_rows():
        counts.setdefault(group, {})[year] = n
    fig = titled_figure(title, showlegend=False)
    if filling_in:
        note = filling_in.year_sentence(years)
    else:
        note = part_year_sentence(years, latest_quarter)
    if note:
        fig["layout"]["title"]["subtitle"] = sub = subtitle(note)
        # pinned on top: placed by plotly, the title and subtitle sank into the panel titles
        pin_title(fig, 0.99)
        fig["layout"]["margin"] = {"t": 95 + subtitle_margin(sub) + title_margin(fig)}
    titles = [labels.get(g, g) for g in order]
    refs = small_multiples(fig, titles, x_title="Year", y_title="Cases")
    for group, (x_ref, y_ref) in zip(order, refs, strict=True):
        y = [counts[group].get(year, 0) for year in years]
        fig["data"].append(
            {
                "type": "bar",
                "x": years,
                "y": y,
                "xaxis": x_ref,
                "yaxis": y_ref,
                "marker": {"color": PALETTE[0]},
                "text": [share_text(v, totals.get(yr, 0)) for v, yr in zip(y, years, strict=True)],
                "textposition": "none",
                "hovertemplate": f"{labels.get(group, group)}, %{{x}}: %{{text}} of the year's "
                "cases<extra></extra>",
            }
        )
    update_axes(fig, "x", tickformat="d", dtick=max(1, math.ceil(len(years) / 4)))
    integer_axis(fig, by_year["n_cases"].max())
    return fig
