"""The About page's kratom funnel: how report versions naming kratom become kratom cases.

FDA's public FAERS dashboard counts reports (every version it received); this dashboard counts
cases (one kept version each). The counts are model.kratom_funnel's
(queries.about.kratom_funnel), never computed here.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import polars as pl
from dash import html

P = "about"

KRATOM_FUNNEL = (
    "FDA's public FAERS dashboard counts reports: every version of a case it received. The counts "
    "here are cases. Of the report versions with a drug row naming kratom, only the latest "
    "version of each case counts, and only when the case is on no deleted list; a case whose "
    "kept follow-up no longer names kratom is not a kratom case. Years are those of the "
    "quarterly file each version was read from (FDA files a version in the quarter it received "
    "it); kratom cases and follow-ups count in their kept version's year."
)
KRATOM_FUNNEL_LABELS = {
    "report_versions": "Report versions naming kratom",
    "latest_versions": "Latest version of their case",
    "after_deleted": "After deleted lists",
    "kratom_cases": "Kratom cases",
    "kratom_dropped_in_followup": "Follow-up drops kratom",
}
NOT_BUILT = "This database was built before the kratom funnel was recorded; the next build adds it."


def kratom_funnel_block(df: pl.DataFrame | None) -> html.Div:
    """A sentence on the steps, a line of totals and a small table per year."""
    body: list = [
        html.H3("Kratom reports behind the counts", className="h6"),
        html.P(KRATOM_FUNNEL, className="small"),
    ]
    if df is None:
        return html.Div([*body, html.P(NOT_BUILT, className="small text-muted")])
    total = next((r for r in df.iter_rows(named=True) if r["year"] == "total"), None)
    if total is not None:
        body.append(html.P(totals_line(total), className="small", id=f"{P}-kratom-funnel-totals"))
    head = ["Year", *KRATOM_FUNNEL_LABELS.values()]
    rows = [
        html.Tr(
            [html.Td("All years" if r["year"] == "total" else r["year"])]
            + [html.Td(f"{r[c]:,}") for c in KRATOM_FUNNEL_LABELS]
        )
        for r in df.iter_rows(named=True)
    ]
    body.append(
        dbc.Table(
            [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
            size="sm",
            className="small",
            id=f"{P}-kratom-funnel-table",
            responsive=True,  # scrolls in its own box on a phone
        )
    )
    return html.Div(body)


def totals_line(total: dict) -> str:
    """All years in one sentence."""
    return (
        f"All years: {total['report_versions']:,} report versions naming kratom → "
        f"{total['latest_versions']:,} latest versions → {total['after_deleted']:,} after the "
        f"deleted lists = {total['kratom_cases']:,} kratom cases. Cases that named kratom only "
        f"in an earlier version: {total['kratom_dropped_in_followup']:,}."
    )
