"""The Trends reporting-lag chart: cases per band of days from the event to FDA's receipt."""

from __future__ import annotations

import polars as pl

from dashboard.figures import (
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    share_text,
)

# (label, first day, last day) of the lag histogram's bins; None is open-ended.
LAG_BINS: tuple[tuple[str, int | None, int | None], ...] = (
    ("Negative (date error)", None, -1),
    ("0–30 d", 0, 30),
    ("31–90 d", 31, 90),
    ("91–180 d", 91, 180),
    ("181–365 d", 181, 365),
    ("1–2 y", 366, 730),
    ("2–5 y", 731, 1826),
    ("Over 5 y", 1827, None),
)


def _lag_bins(lag: pl.DataFrame) -> list[tuple[str, int]]:
    out = []
    for label, lo, hi in LAG_BINS:
        days = pl.col("lag_days")
        keep = (days >= (lo if lo is not None else -(10**9))) & (days <= (hi or 10**9))
        n = int(lag.filter(keep)["n_cases"].sum())
        if n or lo is not None:
            out.append((label, n))
    return out


def median_lag(lag: pl.DataFrame) -> float | None:
    """The median of lag_days weighted by n_cases."""
    total = int(lag["n_cases"].sum()) if not lag.is_empty() else 0
    if not total:
        return None
    ordered = lag.sort("lag_days").with_columns(pl.col("n_cases").cum_sum().alias("upto"))

    def nth(k: int) -> int:  # the k-th smallest lag, 1-based
        return ordered.filter(pl.col("upto") >= k)["lag_days"][0]

    return (nth((total + 1) // 2) + nth(total // 2 + 1)) / 2


def lag_figure(lag: pl.DataFrame) -> Figure:
    """How long reports take to reach FDA: cases per lag band (event dates to the day only)."""
    title = "Reporting lag"
    median = median_lag(lag)
    if median is None:
        return empty_figure(title, "No case matching these filters has an event date to the day")
    bins = _lag_bins(lag)
    total = sum(n for _, n in bins)
    fig = base_figure(
        f"{title} (median {median:,.0f} days)",
        x_title="Days (d) or years (y) from event to receipt",
        y_title="Cases",
    )
    fig["data"] = [
        {
            "type": "bar",
            "x": [label for label, _ in bins],
            "y": [n for _, n in bins],
            "marker": {"color": PALETTE[2]},
            "text": [share_text(n, total) for _, n in bins],
            "textposition": "none",
            "hovertemplate": "%{x}: %{text} of cases with a day-precise event date<extra></extra>",
        }
    ]
    fig["layout"]["xaxis"]["type"] = "category"
    integer_axis(fig, max(n for _, n in bins))
    return fig
