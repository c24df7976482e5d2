"""The About page's openFDA funnel: what became of each openFDA report fetched, per source.

Beside the FAERS deduplication funnel; the counts are model.openfda_funnel's
(queries.about.openfda_funnel), never computed here.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import polars as pl
from dash import html

P = "about"

OPENFDA_FUNNEL = (
    "openFDA serves reports, not quarterly files: each report fetched is counted once, at the "
    "first step that leaves it out. FAERS reports already in a quarterly file, or first received "
    "before the day after the latest quarterly file, are left to the quarterly files; CAERS has "
    "no quarterly counterpart, so those two steps never apply to it."
)
OPENFDA_STEP_LABELS = {
    "n_fetched": "Reports fetched",
    "n_not_kratom": "No drug row names kratom",
    "n_in_quarterly_files": "Already in the quarterly files",
    "n_no_received_date": "No usable received date",
    "n_received_before_cutoff": "Received before the cutoff",
    "n_added": "Added as cases",
}
OPENFDA_SOURCE_LABELS = {"openfda-faers": "FAERS via openFDA", "openfda-caers": "CAERS"}
NO_OPENFDA = "No openFDA reports fetched yet (kratom-etl refresh fetches them)."


def openfda_funnel_block(df: pl.DataFrame) -> html.Div:
    """The openFDA reports funnel: one column per source, one row per step, and the cutoff."""
    body: list = [
        html.H3("openFDA reports", className="h6"),
        html.P(OPENFDA_FUNNEL, className="small"),
    ]
    if df.is_empty() or int(df["n_fetched"].sum()) == 0:
        return html.Div([*body, html.P(NO_OPENFDA, className="small text-muted")])
    sources = df.to_dicts()
    head = ["Step", *(OPENFDA_SOURCE_LABELS.get(r["source"], r["source"]) for r in sources)]
    rows = [
        html.Tr([html.Td(label), *(html.Td(f"{r[step]:,}") for r in sources)])
        for step, label in OPENFDA_STEP_LABELS.items()
    ]
    table = dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        size="sm",
        className="small",
        id=f"{P}-openfda-funnel-table",
        responsive=True,  # scrolls in its own box on a phone
    )
    body.append(table)
    cutoffs = [r["received_from"] for r in sources if r["received_from"] is not None]
    if cutoffs:
        body.append(
            html.P(
                f"Cutoff: FAERS reports via openFDA are added when first received on or after "
                f"{max(cutoffs):%Y-%m-%d}, the day after the latest quarterly file.",
                className="small text-muted",
            )
        )
    return html.Div(body)
