"""The Signals page's table: its columns (the screens first), its rows, and the notes on what it
answers (the comparison, the years, filters not applied, EBGM's state)."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import polars as pl
from dash import html

from dashboard import components
from dashboard.filters import Filters
from dashboard.queries import signals as q

DUPLICATES_KEPT = (
    "Probable duplicates are not set aside on this page: the signal tables are counted in "
    "advance over every case, one per FAERS case number."
)


def _number(field: str, header: str, digits: int = 2, **extra: Any) -> dict:
    fmt = f"params.value == null ? '–' : d3.format(',.{digits}f')(params.value)"
    return {
        "field": field,
        "headerName": header,
        "type": "numericColumn",
        "valueFormatter": {"function": fmt},
        **extra,
    }


# The columns a screen is read from come right after the term (Term through the interval fit
# a 1280 px screen); the counts and the other statistics follow, scrolled to. The interval is
# wide enough for "109.31–131.93" and wraps rather than being cut when wider.
COLUMNS = [
    {"field": "term", "headerName": "Term", "pinned": "left", "width": 200, "tooltipField": "term"},
    {"field": "screens", "headerName": "Screens passed", "width": 180},
    _number("eb05", "EB05", 2, width=90, headerTooltip="Unfiltered tables only"),
    _number("ic025", "IC025", 2, width=90),
    _number("ror", "ROR", 2, width=90),
    {
        "field": "ror_ci",
        "headerName": "ROR 95% CI",
        "width": 140,
        "sortable": False,
        "wrapText": True,
        "autoHeight": True,
    },
    _number("a", "Cases (a)", 0, width=100, headerTooltip="Kratom cases with the event"),
    _number("expected", "Expected", 2, width=100, headerTooltip="(a+b)(a+c)/N"),
    _number("c", "Others (c)", 0, width=100, headerTooltip="Other cases with the event"),
    _number("prr", "PRR", 2, width=90),
    _number("chi2_yates", "χ² (Yates)", 2, width=110),
    {"field": "group", "headerName": "Event group", "width": 220},
    {"field": "first_year", "headerName": "First year screened", "type": "numericColumn"},
]


def grid_rows(table: pl.DataFrame) -> list[dict[str, Any]]:
    """Rows for the grid: the statistics, a readable group and the interval as text."""
    labels = components.LABELS["event_groups"]
    rows = []
    for row in table.iter_rows(named=True):
        lower, upper = row["ror_lower"], row["ror_upper"]
        row["ror_ci"] = f"{lower:.2f}–{upper:.2f}" if lower is not None else "–"
        row["group"] = labels.get(row["event_group"], row["event_group"])
        rows.append({c["field"]: row[c["field"]] for c in COLUMNS})
    return rows


def notes(f: Filters, level: str, prior: dict | None) -> list:
    """What the table answers: the comparison, the years, ignored filters (and that probable
    duplicates are counted when the link sets them aside), EBGM's state."""
    strata = q.Strata.of(f)
    role = "as a suspect (PS or SS)" if strata.variant == "suspect" else "in any role"
    lines = [f"Kratom {role} against every other case."]
    if f.role == "primary":
        lines.append("'Primary suspect' uses the suspect (PS or SS) tables.")
    if strata.first_year or strata.last_year:
        span = f"{strata.first_year or 'first'}–{strata.last_year or 'last'}"
        lines.append(f"Years of receipt {span} (quarters widened to whole years).")
    ignored = q.ignored_filters(f)
    if ignored:
        lines.append("Not applied on this page: " + ", ".join(ignored) + ".")
    out: list = [html.P(" ".join(lines), className="small mb-2")]
    if f.duplicates == "hide":
        out.append(html.P(DUPLICATES_KEPT, id="signals-duplicates-note", className="small mb-2"))
    if not strata.is_unfiltered:
        out.append(
            alert(
                "EBGM is not available for these filters: it is computed for the "
                "unfiltered tables only (clear the date, sex and age filters).",
                "info",
            )
        )
    elif prior is None or not prior["converged"]:
        why = prior["message"] if prior else "no prior was fitted"
        pairs = f" on {prior['n_pairs']:,} background pairs" if prior else ""
        out.append(
            alert(
                f"EBGM is not available: the prior fit{pairs} did not converge "
                f"({why}). EB05 is left empty and its screen is not applied.",
                "warning",
            )
        )
    return out


def alert(text: str, color: str) -> dbc.Alert:
    """A note of the table in an alert's colours (`info`, `warning`)."""
    return dbc.Alert(text, color=color, className="py-2 small")
