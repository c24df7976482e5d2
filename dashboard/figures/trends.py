"""Figures of the trends page: rate per 100,000, event groups by year, receipt vs event dating."""

from __future__ import annotations

import math

import polars as pl

from dashboard.figures import (
    MUTED_TEXT,
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    integer_axis,
    quarter_range,
    share_text,
    subtitle,
    subtitle_margin,
    titled_figure,
    update_axes,
)
from dashboard.figures.filling_in import FillingIn
from dashboard.figures.grid import small_multiples, subplot_grid
from dashboard.figures.legends import LEGEND_ROW_PX, fit_legend
from dashboard.figures.part_year import part_year_sentence
from dashboard.figures.quarters_filtered_out import outside_bands, outside_range
from dashboard.figures.timeline_marks import mark_traces
from dashboard.figures.titles import pin_title, title_margin
from dashboard.figures.window import for_phone

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


def event_markers(events: pl.DataFrame, periods: list[str], y: float) -> list[dict]:
    """Triangles at height `y` for dated events inside `periods`, one per quarter, one trace
    per kind as on the overview (`timeline_marks.mark_traces`): the legend says what each
    colour means. Each triangle's hover lists its events' labels, dates as far as they are
    known, kinds and any caveat on how far they were checked. An empty list when no event
    falls inside `periods`.
    """
    return mark_traces(list(events.iter_rows(named=True)), periods, y)


def legend_on_top(fig: Figure) -> None:
    """The legend between the title and the plot, clear of rotated quarter labels: room for at
    least two rows (the lines and up to six kinds of event at 768 px), more when the narrowest
    chart needs them (`legends.fit_legend`: one entry a line on a phone). Call it once every
    trace and shape is in."""
    layout = fig["layout"]
    pin_title(fig, 0.98)
    layout["legend"] = {"y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    # on a phone the legend's own height (one entry a line), none when it is empty: two rows
    # kept for it left 85 px empty above the rate chart, whose phone legend is empty
    legend_px = fit_legend(fig) if for_phone() else max(2 * LEGEND_ROW_PX, fit_legend(fig))
    layout["margin"] = {"t": 60 + legend_px + title_margin(fig)}


def _fill_quarters(df: pl.DataFrame, value_columns: list[str]) -> pl.DataFrame:
    """Every quarter from the first to the last, missing ones as zero counts."""
    periods = quarter_range(df["period"].min(), df["period"].max())
    full = pl.DataFrame({"period": periods}).join(df, on="period", how="left")
    return full.with_columns(pl.col(value_columns).fill_null(0))


# The rate's words when openFDA sources are selected (openFDA fetches kratom reports only, so
# it has no background of other cases to divide by).
RATE_QUARTERLY_ONLY = (
    "Line: FAERS quarterly files only; openFDA's {n} kratom {cases} (no background) "
    "are in the bars only"
)
NO_RATE = "No rate: openFDA has kratom reports only, no background of other cases"
NO_RATE_PANEL = "No background:<br>no rate per 100,000"


def _rate_traces(
    periods: list[str], n: list[int], n_all: list[int], n_rate: list[int]
) -> list[dict]:
    """Bars of kratom cases (top panel) and the line of the rate per 100,000 (bottom panel):
    the bars count `n` (every source), the line `n_rate` (the quarterly files) over `n_all`
    (their every case); no point where a quarter has no background."""
    rate = [100_000 * a / b if b else None for a, b in zip(n_rate, n_all, strict=True)]
    mixed = n != n_rate  # openFDA cases in the bars: say which of them the line counts
    bars = {
        "type": "bar",
        "x": periods,
        "y": n,
        "name": "Kratom cases",
        "showlegend": False,
        "marker": {"color": PALETTE[0]},
        "customdata": [list(pair) for pair in zip(n_rate, n_all, strict=True)],
        "hovertemplate": "%{x}: %{y:,} kratom cases"
        + (", %{customdata[0]:,} of them from the quarterly files" if mixed else "")
        + " of %{customdata[1]:,} FAERS cases<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": periods,
        "y": rate,
        "xaxis": "x2",
        "yaxis": "y2",
        "mode": "lines+markers",
        "name": "Per 100,000 FAERS cases",
        "showlegend": False,
        "line": {"color": PALETTE[5]},
        "customdata": [list(pair) for pair in zip(n_rate, n_all, strict=True)],
        "hovertemplate": "%{x}: %{y:,.1f} per 100,000<br>%{customdata[0]:,} of "
        "%{customdata[1]:,} FAERS cases"
        + (" (quarterly files only)" if mixed else "")
        + "<extra></extra>",
    }
    return [bars, line]


def rate_note(n: list[int], n_all: list[int], n_rate: list[int]) -> str | None:
    """The rate chart's subtitle when the bars hold openFDA cases: what the line counts, or
    that there is no rate (no background); None when bars and line count the same cases."""
    if not any(n_all):
        return NO_RATE
    openfda = sum(n) - sum(n_rate)
    if not openfda:
        return None
    return RATE_QUARTERLY_ONLY.format(n=f"{openfda:,}", cases="case" if openfda == 1 else "cases")


def rate_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_label: str,
    filling_in: FillingIn | None = None,
) -> Figure:
    """Kratom cases per quarter (top) and per 100,000 FAERS cases of the quarter (bottom).

    `by_quarter` is `queries.trends.rate_by_quarter`: the bars count `n_cases`, the line
    `n_rate_cases` (the quarterly files' kratom cases; a frame without the column counts every
    bar in the rate) over `n_all`. With openFDA cases in the bars a subtitle says what the line
    counts; without any background the line has no point and the subtitle and lower panel say
    why. Counted by event date, pass `filling_in`: the quarters still filling in are shaded."""
    title = "Kratom cases and rate per 100,000 FAERS cases"
    if by_quarter.is_empty() or by_quarter["n_cases"].sum() == 0:
        return empty_figure(title)
    if "n_rate_cases" not in by_quarter.columns:
        by_quarter = by_quarter.with_columns(n_rate_cases=pl.col("n_cases"))
    full = _fill_quarters(by_quarter.drop("rate_per_100k"), ["n_cases", "n_all", "n_rate_cases"])
    periods = full["period"].to_list()
    n, n_all = full["n_cases"].to_list(), full["n_all"].to_list()
    n_rate = full["n_rate_cases"].to_list()
    fig = titled_figure(title)
    subplot_grid(fig, 2, 1, share_x="columns", vertical_spacing=0.08)
    fig["data"] += _rate_traces(periods, n, n_all, n_rate)
    if show_events:
        fig["data"] += event_markers(events, periods, max(n) * 1.08)
    update_axes(fig, "x", type="category", categoryorder="array", categoryarray=periods)
    layout = fig["layout"]
    layout["xaxis2"]["title"] = {"text": f"Quarter ({date_label})"}
    layout["yaxis"] |= {"title": {"text": "Cases"}, "tickformat": ",d"}
    if max(n) <= 8:
        layout["yaxis"]["dtick"] = 1
    layout["yaxis2"] |= {"title": {"text": "Per 100,000"}, "tickformat": ","}  # 8,000
    if filling_in:
        layout["shapes"] = filling_in.bands(periods)  # across both panels (yref paper)
    layout["showlegend"] = True
    legend_on_top(fig)
    note = rate_note(n, n_all, n_rate)
    if note:
        layout["title"]["subtitle"] = sub = subtitle(note)
        layout["margin"] = {"t": layout["margin"]["t"] + 20 + subtitle_margin(sub)}
    if not any(n_all):  # the empty lower panel says why, the quarters still named under it
        layout["annotations"] = [
            *layout.get("annotations", []),
            {
                "text": NO_RATE_PANEL,
                "xref": "x2 domain",
                "yref": "y2 domain",
                "x": 0.5,
                "y": 0.5,
                "showarrow": False,
                "font": {"size": 13, "color": MUTED_TEXT},
            },
        ]
        layout["yaxis2"] |= {"showticklabels": False, "showgrid": False}
    return fig


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


DATING_LINES = (
    ("n_received", "Received by FDA", PALETTE[0]),
    ("n_event", "Event date", PALETTE[1]),
)


def dating_figure(
    by_quarter: pl.DataFrame,
    events: pl.DataFrame,
    *,
    show_events: bool,
    date_field: str = "received",
    date_from: str | None = None,
    date_to: str | None = None,
    filling_in: FillingIn | None = None,
) -> Figure:
    """The same cases by quarter of receipt and by quarter of the event.

    The filter's date (`date_field`, from `date_from` to `date_to`) keeps only the cases dated
    inside its range, so its own line has no case outside it: those quarters are gaps over a
    grey band, not zeros. The other line runs wherever the kept cases fall. `filling_in` shades
    the newest quarters, where the event line is still filling in.
    """
    title = "Cases by quarter of receipt and of event"
    if by_quarter.is_empty():
        return empty_figure(title)
    full = _fill_quarters(by_quarter, ["n_received", "n_event"])
    periods = full["period"].to_list()
    outside = outside_range(periods, date_from, date_to)
    filtered = "n_event" if date_field == "event" else "n_received"
    fig = base_figure(title, x_title="Quarter", y_title="Cases (deduplicated)")
    for column, name, colour in DATING_LINES:
        y = full[column].to_list()
        if column == filtered:
            y = [None if out else n for n, out in zip(y, outside, strict=True)]
        fig["data"].append(
            {
                "type": "scatter",
                "x": periods,
                "y": y,
                "mode": "lines+markers",
                "name": name,
                "line": {"color": colour},
                "hovertemplate": f"%{{x}}: %{{y:,}} cases by {name.lower()}<extra></extra>",
            }
        )
    top = max(full["n_received"].max(), full["n_event"].max())
    if show_events:
        fig["data"] += event_markers(events, periods, top * 1.08)
    update_axes(fig, "x", type="category", categoryorder="array", categoryarray=periods)
    integer_axis(fig, top * 1.1)
    fig["layout"]["shapes"] = outside_bands(
        outside, "event" if date_field == "event" else "received"
    ) + (filling_in.bands(periods, "Event line still") if filling_in else [])
    legend_on_top(fig)
    return fig


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
