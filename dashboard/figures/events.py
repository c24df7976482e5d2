"""Figures of the event-types page: top terms as horizontal bars stacked by year."""

from __future__ import annotations

import polars as pl
from plotly.colors import sample_colorscale

from dashboard.figures import Figure, base_figure, empty_figure, integer_axis, share_text
from dashboard.figures.phone_bars import LEFT_PX, names_over_bars, plot_px, rows, value_range
from dashboard.figures.titles import title_margin
from dashboard.figures.window import for_phone

UNKNOWN_YEAR = "unknown"
UNKNOWN_COLOUR = "#999999"
YEAR_SCALE = "Cividis"  # sequential and colour-blind safe: early years dark, recent years light


SHARE_SIZE = 11  # the type of each bar's "1,127 (53.8%)"
RIGHT_PX = 30  # the figure's right margin


def chart_height(n_bars: int, *, minimum: int = 380) -> int:
    """Pixels for a horizontal bar chart of `n_bars` bars (room for the titles and year scale)."""
    return max(minimum, 22 * n_bars + 200)


def figure_height(fig: Figure, n_bars: int) -> int:
    """Pixels for the chart of `fig`: its own height on a phone (names above the bars), else
    `chart_height`."""
    return int(fig["layout"].get("height") or chart_height(n_bars))


def _position(year: str, first: int, last: int) -> float:
    return 0.9 * (int(year) - first) / max(last - first, 1)


def year_colours(years: list[str]) -> dict[str, str]:
    """A colour per year by its place on a sequential scale, grey for an unknown year."""
    known = sorted(y for y in years if y != UNKNOWN_YEAR)
    out = {}
    if known:
        first, last = int(known[0]), int(known[-1])
        spots = [_position(y, first, last) for y in known]
        out = dict(zip(known, sample_colorscale(YEAR_SCALE, spots), strict=True))
    if UNKNOWN_YEAR in years:
        out[UNKNOWN_YEAR] = UNKNOWN_COLOUR
    return out


def year_ticks(first: int, last: int, every: int = 5) -> list[int]:
    """The colour bar's years: each year of a span of up to 7; else the first and the last (an
    analyst reads the newest year off the key: plotly's own ticks stopped at 2025 of 2004-2026)
    and, none within 2 years of either end, the even years between them over up to 13 years,
    the multiples of `every` over more."""
    if last - first <= 6:
        return list(range(first, last + 1))
    step = 2 if last - first <= 12 else every
    inner = range(first + 3, last - 2)
    return [first, *(y for y in inner if y % step == 0), last]


def _year_scale(years: list[str]) -> dict:
    """An invisible trace whose horizontal colour bar is the key of the year colours."""
    known = sorted(int(y) for y in years if y != UNKNOWN_YEAR)
    first, last = known[0], max(known[-1], known[0] + 1)
    steps = [k / 10 for k in range(11)]
    scale = list(zip(steps, sample_colorscale(YEAR_SCALE, [0.9 * k for k in steps]), strict=True))
    bar = {"orientation": "h", "title": {"text": "Year", "side": "right"}, "thickness": 10}
    bar |= {"len": 0.5, "x": 0.5, "xanchor": "center", "yref": "container", "y": 0}
    if for_phone():  # half a phone's plot area, beside long term names, ran its years together
        bar |= {"lenmode": "pixels", "len": 170}
        bar["title"] = {"text": "Year", "side": "top"}  # beside it, it fell off the left edge
    ticks = year_ticks(known[0], known[-1], every=10 if for_phone() else 5)
    bar |= {"yanchor": "bottom", "tickformat": "d", "tickmode": "array", "tickvals": ticks}
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "showlegend": False,
        "hoverinfo": "skip",
        "marker": {
            "color": [first],
            "cmin": first,
            "cmax": last,
            "colorscale": [list(step) for step in scale],
            "showscale": True,
            "colorbar": bar,
        },
    }


def _year_trace(df: pl.DataFrame, year: str, names: dict[str, str], field: str, colour: str):
    part = df.filter(pl.col("year") == year)
    shown = "date not known" if year == UNKNOWN_YEAR else year
    hover = [
        f"{shown}: {share_text(n, ny)} of that year's cases"
        f"<br>All years: {share_text(nt, total)} of {total:,} cases"
        for n, ny, nt, total in part.select(
            "n_cases", "n_year_cases", "n_term_cases", "n_total"
        ).iter_rows()
    ]
    return {
        "type": "bar",
        "y": [names[t] for t in part["term"].to_list()],
        "x": part["n_cases"].to_list(),
        "orientation": "h",
        "name": shown,
        "marker": {"color": colour},
        "showlegend": year == UNKNOWN_YEAR,
        "customdata": [[field, t] for t in part["term"].to_list()],
        "hovertext": hover,
        "hovertemplate": "<b>%{y}</b><br>%{hovertext}<extra></extra>",
    }


def _share_labels(terms: pl.DataFrame, names: dict[str, str]) -> list[dict]:
    """Each bar's total and share of all cases, just after its end."""
    return [
        {
            "x": n,
            "y": names[term],
            "text": share_text(n, total),
            "showarrow": False,
            "xanchor": "left",
            "xshift": 4,
            "font": {"size": SHARE_SIZE, "color": "#52606d"},
        }
        for term, n, total in terms.select("term", "n_term_cases", "n_total").iter_rows()
    ]


def terms_by_year_figure(
    df: pl.DataFrame,
    title: str,
    *,
    field: str,
    y_title: str,
    subtitle: str = "",
    labels: dict[str, str] | None = None,
) -> Figure:
    """Cases with each term, largest first, each bar stacked by year; share of cases at the end.

    `df` is queries.events.top_terms_by_year; `field` is the Filters field a click on a bar
    adds the term to (`customdata` = [field, term] on every point). Years are coloured along a
    sequential scale keyed by a colour bar; a missing date is grey, in the legend.
    """
    if df.is_empty():
        return empty_figure(title)
    labels = labels or {}
    terms = df.unique("term", maintain_order=True)
    names = {t: labels.get(t, t) for t in terms["term"].to_list()}
    fig = base_figure(title, x_title="Cases (deduplicated)", y_title=y_title)
    years = df["year"].unique().to_list()
    fig["data"] = [
        _year_trace(df, year, names, field, colour) for year, colour in year_colours(years).items()
    ]
    if any(y != UNKNOWN_YEAR for y in years):
        fig["data"].append(_year_scale(years))
    layout = fig["layout"]
    layout["annotations"] = _share_labels(terms, names)
    layout["title"]["subtitle"] = {"text": subtitle, "font": {"size": 12, "color": "#52606d"}}
    layout |= {"barmode": "stack", "hovermode": "closest"}
    layout["margin"] = {"t": 76 + title_margin(fig), "b": 110, "r": 30}
    layout["legend"] = {"orientation": "h", "yref": "container", "y": 0, "x": 1, "xanchor": "right"}
    order = [names[t] for t in terms["term"].to_list()]
    layout["yaxis"] |= {"type": "category", "categoryorder": "array", "categoryarray": order}
    layout["yaxis"]["autorange"] = "reversed"
    top = max(terms["n_term_cases"].to_list())
    layout["xaxis"]["range"] = [0, top * 1.35]  # room past the longest bar for its share
    integer_axis(fig, top, axis="x")
    if for_phone():
        _names_over_bars(fig, terms, order)
    return fig


def _names_over_bars(fig: Figure, terms: pl.DataFrame, order: list[str]) -> None:
    """A phone's layout: each term's name above its bar, the share after the bar's end on the
    bar's line, the value axis long enough for the longest share and the figure as tall as
    its rows (`figure_height`). Beside the bars the names left a 360 px window 65 px of plot,
    and "1,127 (53.8%)" ran past the figure's right edge."""
    layout, px = fig["layout"], plot_px(RIGHT_PX)
    placed = rows(order, px)
    shares = layout["annotations"]
    for i, note in enumerate(shares):
        note["y"] = i + placed.centre  # a number on a category axis: the term's place
    names_over_bars(fig, order, placed)
    counts = terms["n_term_cases"].to_list()
    end = value_range(counts, [note["text"] for note in shares], SHARE_SIZE, px)
    layout["xaxis"]["range"] = [0, end]
    layout["margin"]["l"] = LEFT_PX
    layout["height"] = layout["margin"]["t"] + layout["margin"]["b"] + placed.row_px * len(order)
