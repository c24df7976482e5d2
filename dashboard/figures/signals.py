"""Figures of the signals page: a forest plot of ROR with its 95% interval, and its history."""

from __future__ import annotations

import polars as pl

from dashboard.figures import PALETTE, Figure, base_figure, empty_figure, share_text
from dashboard.figures.log_axis import log_axis
from dashboard.figures.part_year import part_year

TOP = 30
ORDERS = {"a": "most cases", "ror_lower": "highest lower bound"}
NO_CASES = "No kratom case reports an event for these filters"
NO_ROR = "No term has a finite ROR for these filters (a cell of its 2×2 table is zero)"


def reference_line(letter: str) -> dict:
    """A dotted line at ratio 1 across the whole plot: vertical for "x", horizontal for "y"."""
    across = "y" if letter == "x" else "x"
    return {
        "type": "line",
        f"{letter}0": 1,
        f"{letter}1": 1,
        f"{letter}ref": letter,
        f"{across}0": 0,
        f"{across}1": 1,
        f"{across}ref": f"{across} domain",
        "line": {"color": "#52606d", "dash": "dot", "width": 1},
    }


def forest_rows(table: pl.DataFrame, order_by: str, top: int = TOP) -> pl.DataFrame:
    """The `top` terms with a finite ROR, by cases (`a`) or by ROR lower bound, largest first."""
    if order_by not in ORDERS:
        raise ValueError(f"not a forest order: {order_by}")
    finite = table.filter(pl.col("ror").is_not_null())
    other = "ror_lower" if order_by == "a" else "a"
    return finite.sort([order_by, other, "term"], descending=[True, True, False]).head(top)


def forest_figure(
    table: pl.DataFrame, order_by: str, level_label: str, labels: dict[str, str] | None = None
) -> Figure:
    """ROR and Woolf 95% interval per term on a log axis, a reference line at 1; `labels` name
    the terms (event groups: 'Dependence and withdrawal', not the code)."""
    title = f"Reporting odds ratio by {level_label.lower()}, top {TOP} by {ORDERS[order_by]}"
    rows = table if table.is_empty() else forest_rows(table, order_by)
    if rows.is_empty():
        return empty_figure(title, NO_CASES if table.is_empty() else NO_ROR)
    shares = [share_text(a, a + b) for a, b in rows.select("a", "b").iter_rows()]
    fig = base_figure(title, x_title="Reporting odds ratio (log scale; 95% CI)", y_title="")
    columns = rows.select("ror_lower", "ror_upper", "c")
    fig["data"].append(
        {
            "type": "scatter",
            "x": rows["ror"].to_list(),
            "y": [(labels or {}).get(t, t) for t in rows["term"].to_list()],
            "mode": "markers",
            "marker": {"color": PALETTE[0], "size": 8, "symbol": "square"},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": (rows["ror_upper"] - rows["ror"]).to_list(),
                "arrayminus": (rows["ror"] - rows["ror_lower"]).to_list(),
                "color": PALETTE[0],
                "thickness": 1.5,
            },
            "customdata": [[s, *r] for s, r in zip(shares, columns.iter_rows(), strict=True)],
            "hovertemplate": "%{y}<br>ROR %{x:.2f} (95% CI %{customdata[1]:.2f}–"
            "%{customdata[2]:.2f})<br>%{customdata[0]} of kratom cases have the event"
            "<br>%{customdata[3]:,} other cases with the event<extra></extra>",
            "name": "ROR",
        }
    )
    fig["layout"]["shapes"] = [reference_line("x")]
    # every tick written out in full (plotly's own log ticks read "5 6 7 8 9" for 0.5 to 0.9)
    fig["layout"]["xaxis"] |= log_axis([*rows["ror_lower"], *rows["ror_upper"]])
    fig["layout"]["yaxis"] |= {"autorange": "reversed", "type": "category", "automargin": True}
    fig["layout"]["showlegend"] = False
    return fig


def cumulative_figure(
    history: pl.DataFrame,
    term: str | None,
    *,
    latest_quarter: str | None = None,
    labels: dict[str, str] | None = None,
) -> Figure:
    """A term's ROR with 95% CI over all cases received up to each year; screens on hover.

    `latest_quarter` is the newest quarterly file's: when it is not a fourth quarter, its year
    has not ended, and the axis and hover say the last point counts cases up to that quarter.
    `labels` name the term (an event group's label, not its code)."""
    term = (labels or {}).get(term, term) if term else term
    title = f"Cumulative ROR by year: {term}" if term else "Cumulative ROR by year"
    if not term or history.is_empty():
        return empty_figure(title, "Select a term in the table to see its history")
    rows = history.filter(pl.col("ror").is_not_null())
    if rows.is_empty():
        return empty_figure(title, f"'{term}' never had a finite ROR (a zero cell every year)")
    screens = [
        ", ".join(k for k, v in zip(("ROR", "PRR", "IC"), flags, strict=True) if v) or "none"
        for flags in rows.select(
            "passes_ror_screen", "passes_prr_screen", "passes_ic_screen"
        ).iter_rows()
    ]
    years = rows["year"].to_list()
    part = part_year(years, latest_quarter)
    up_to = [latest_quarter if part and y == part[0] else str(y) for y in years]
    x_title = "Year (cases received up to its end" + (
        f"; {part[0]}: up to {latest_quarter}, the newest file)" if part else ")"
    )
    fig = base_figure(title, x_title=x_title, y_title="ROR (log scale; 95% CI)")
    fig["data"].append(
        {
            "type": "scatter",
            "x": years,
            "y": rows["ror"].to_list(),
            "mode": "lines+markers",
            "line": {"color": PALETTE[0]},
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": (rows["ror_upper"] - rows["ror"]).to_list(),
                "arrayminus": (rows["ror"] - rows["ror_lower"]).to_list(),
            },
            "customdata": [
                list(r)
                for r in zip(rows["a"].to_list(), rows["c"].to_list(), screens, up_to, strict=True)
            ],
            "hovertemplate": "Up to %{customdata[3]}: ROR %{y:.2f}<br>%{customdata[0]:,} kratom "
            "cases, %{customdata[1]:,} other cases with the event<br>screens passed: "
            "%{customdata[2]}<extra></extra>",
            "name": "ROR",
        }
    )
    fig["layout"]["shapes"] = [reference_line("y")]
    fig["layout"]["yaxis"] |= log_axis([*rows["ror_lower"], *rows["ror_upper"]])
    fig["layout"]["yaxis"]["rangemode"] = "normal"
    fig["layout"]["xaxis"]["tickformat"] = "d"
    if rows.height <= 12:
        fig["layout"]["xaxis"]["dtick"] = 1
    fig["layout"]["showlegend"] = False
    return fig
