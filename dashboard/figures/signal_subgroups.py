"""The chosen term's ROR within each sex and each age band: a forest plot on a log axis.

One row per subgroup (the sexes, then the ICH E11 age bands), its ROR and Woolf 95% interval,
its kratom cases in the label ("Female (a=12)"). A subgroup with fewer than 3 kratom cases (the
screens' minimum) is drawn light and says "a < 3"; one without a ROR (a zero cell) keeps its
row, which says "not estimable" and which cell is zero, and draws nothing. A dotted line marks
ratio 1 and a dashed one the ROR of all the subgroups together (the filters' whole table).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.figures import (
    MUTED_TEXT,
    PALETTE,
    Figure,
    base_figure,
    empty_figure,
    subtitle,
    subtitle_margin,
)
from dashboard.figures.log_axis import log_axis
from dashboard.figures.signals import reference_line
from dashboard.figures.window import for_phone

SEX_NAMES = {"F": "Female", "M": "Male", "U": "Sex not known"}
LIGHT = "rgba(0, 114, 178, 0.35)"  # PALETTE[0], light
OVERALL_COLOUR = PALETTE[5]
NOT_ESTIMABLE = "not estimable"
HOVER = ("a", "b", "c", "d", "ror_lower", "ror_upper")
FEW = "a < 3"
X_TITLE = "Reporting odds ratio (log scale; 95% CI)"
NO_TERM = "Select a term in the table to see its subgroups"


def row_name(dimension: str, value: str) -> str:
    """'Female', 'Sex not known', 'Age 18-64', 'Age not known'."""
    if dimension == "sex":
        return SEX_NAMES.get(value, value)
    return "Age not known" if value == "unknown" else f"Age {value}"


def row_label(row: dict[str, Any]) -> str:
    """The row's name with its kratom cases: 'Female (a=12)', 'Male (a=2, a < 3)'."""
    few = f", {FEW}" if row["few"] and row["ror"] is not None else ""
    return f"{row_name(row['dimension'], row['value'])} (a={row['a']:,}{few})"


def _interval(ror: float, lower: float, upper: float) -> str:
    return f"{ror:.2f} (95% CI {lower:.2f}–{upper:.2f})"


def _markers(rows: list[dict], labels: dict[str, str], light: bool) -> dict:
    colour = LIGHT if light else PALETTE[0]
    return {
        "type": "scatter",
        "x": [r["ror"] for r in rows],
        "y": [labels[r["key"]] for r in rows],
        "mode": "markers",
        "marker": {"color": colour, "size": 8, "symbol": "square"},
        "error_x": {
            "type": "data",
            "symmetric": False,
            "array": [r["ror_upper"] - r["ror"] for r in rows],
            "arrayminus": [r["ror"] - r["ror_lower"] for r in rows],
            "color": colour,
            "thickness": 1.5,
        },
        "customdata": [[r[k] for k in HOVER] for r in rows],
        "hovertemplate": "%{y}<br>ROR %{x:.2f} (95% CI %{customdata[4]:.2f}–"
        "%{customdata[5]:.2f})<br>a %{customdata[0]:,}, b %{customdata[1]:,}, "
        "c %{customdata[2]:,}, d %{customdata[3]:,}<extra></extra>",
        "name": FEW if light else "ROR",
    }


def _unseen(labels: list[str]) -> dict:
    """Points nobody sees at ratio 1, so rows without a ROR keep their places on the axis."""
    return {
        "type": "scatter",
        "x": [1.0] * len(labels),
        "y": labels,
        "mode": "markers",
        "marker": {"opacity": 0},
        "hoverinfo": "skip",
        "name": NOT_ESTIMABLE,
    }


def _not_estimable(label: str, reason: str) -> dict:
    """'not estimable (a = 0)' at the row's left end, on white over the lines it crosses."""
    return {
        "text": f"{NOT_ESTIMABLE}{'<br>' if for_phone() else ' '}({reason})",  # fits a phone's plot
        "x": 0,
        "xref": "paper",
        "xanchor": "left",
        "y": label,
        "yref": "y",
        "showarrow": False,
        "bgcolor": "white",
        "font": {"color": MUTED_TEXT, "size": 12},
    }


def _rule(y: float) -> dict:
    """A faint line across the plot between two rows (`y` half-way between their indices)."""
    return {
        "type": "line",
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
        "line": {"color": "#cbd2d9", "width": 1},
    }


def subgroup_figure(
    table: pl.DataFrame, overall: dict[str, Any] | None, term: str | None
) -> Figure:
    """The forest plot of `signal_subgroups.subgroup_table`'s rows; `overall` is the filters'
    whole table (its ROR the dashed line), `term` the chosen term as the page names it."""
    title = f"ROR of {term} by sex and by age band" if term else "ROR by sex and by age band"
    if not term or table.is_empty():
        return empty_figure(title, NO_TERM)
    rows = [r | {"key": f"{r['dimension']}:{r['value']}"} for r in table.iter_rows(named=True)]
    labels = {r["key"]: row_label(r) for r in rows}
    drawn = [r for r in rows if r["ror"] is not None]
    missing = [r for r in rows if r["ror"] is None]
    values = [v for r in drawn for v in (r["ror_lower"], r["ror_upper"])]
    if overall and overall.get("ror") is not None:
        values.append(overall["ror"])
    axis = log_axis(values)
    x_title = "ROR (log scale; 95% CI)" if for_phone() else X_TITLE
    fig = base_figure(title, x_title=x_title, y_title="")
    for light in (False, True):
        chosen = [r for r in drawn if bool(r["few"]) == light]
        if chosen:
            fig["data"].append(_markers(chosen, labels, light))
    if missing:  # their rows keep their places (an unseen point each); words say why
        fig["data"].append(_unseen([labels[r["key"]] for r in missing]))
    notes = [_not_estimable(labels[r["key"]], r["reason"]) for r in missing]
    shapes = [reference_line("x")]
    if overall and overall.get("ror") is not None:
        shapes.append(reference_line("x") | {"x0": overall["ror"], "x1": overall["ror"]})
        shapes[-1]["line"] = {"color": OVERALL_COLOUR, "dash": "dash", "width": 1.5}
        said = (
            f"Dashed line: all these subgroups together, ROR "
            f"{_interval(overall['ror'], overall['ror_lower'], overall['ror_upper'])}, "
            f"a = {overall['a']:,}."
        )
    else:
        said = "All these subgroups together have no ROR (a zero cell): no dashed line."
    sub = subtitle(f"{said} Dotted line: 1. Light: {FEW}, too few for a screen.")
    layout = fig["layout"]
    layout["title"] |= {"subtitle": sub, "yref": "container", "y": 0.97, "yanchor": "top"}
    layout["margin"] = {"t": 75 + subtitle_margin(sub)}
    n_sexes = sum(r["dimension"] == "sex" for r in rows)
    if 0 < n_sexes < len(rows):  # a faint rule between the sexes and the age bands
        shapes.append(_rule(n_sexes - 0.5))
    layout["shapes"] = shapes
    layout["annotations"] = notes
    layout["xaxis"] |= axis
    layout["yaxis"] |= {
        "autorange": "reversed",
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(labels.values()),
        "automargin": True,
    }
    layout["showlegend"] = False
    return fig
