"""The About page's probable duplicates: kept cases that look like another case sent under a
different case number (the ETL's rules, docs/architecture.md "Probable duplicates").

The counts are model.probable_duplicates' (queries.about.probable_duplicates), never computed
here. FDA's rule (one version per case number) decides every count on the dashboard; the filter
`duplicates=hide` sets these cases aside.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

P = "about"

DUPLICATES = (
    "FDA's rule keeps one version per case number, yet one case can reach FDA under two case "
    "numbers, e.g. when a manufacturer sends it again as a new case. The build links kept cases "
    "that share the sender and the manufacturer's case number (a country prefix such as US- "
    "ignored; not when their sexes differ or their ages are more than 2 years apart), or that "
    "share the event date, age, sex, country, every drug name and every reaction (except a "
    "sender's 8 or more cases with the same padded date, such as 1 January). Of each linked set "
    "the case FDA received last is shown; the others are probable duplicates. Nothing is deleted: "
    "every count follows FDA's rule unless you set probable duplicates aside in the filters."
)
RULE_LABELS = {
    "manufacturer_number": "Same manufacturer case number",
    "same_content": "Same content",
    "manufacturer_number+same_content": "Both",
}
NOT_BUILT = (
    "This database was built before probable duplicates were flagged; the next build adds them."
)


def duplicates_block(df: pl.DataFrame | None) -> html.Div:
    """What the rules are, the totals, a small table by rule and a link that sets them aside."""
    body: list = [
        html.H3("Probable duplicates under another case number", className="h6"),
        html.P(DUPLICATES, className="small"),
    ]
    if df is None:
        body.append(html.P(NOT_BUILT, className="small text-muted", id=f"{P}-duplicates-none"))
        return html.Div(body)
    n_all, n_kratom = int(df["n_cases"].sum()), int(df["n_kratom_cases"].sum())
    body.append(
        html.P(
            [
                f"{n_kratom:,} kratom case{'s' if n_kratom != 1 else ''} and {n_all:,} case"
                f"{'s' if n_all != 1 else ''} in all are probable duplicates. ",
                dcc.Link("Show the kratom cases without them", href="/?duplicates=hide"),
                ".",
            ],
            className="small",
            id=f"{P}-duplicates-totals",
        )
    )
    if df.height:
        rows = [
            html.Tr(
                [
                    html.Td(RULE_LABELS.get(r["matched_on"], r["matched_on"])),
                    html.Td(f"{r['n_kratom_cases']:,}"),
                    html.Td(f"{r['n_cases']:,}"),
                ]
            )
            for r in df.iter_rows(named=True)
        ]
        head = html.Tr([html.Th("Linked by"), html.Th("Kratom cases"), html.Th("All cases")])
        body.append(
            dbc.Table(
                [html.Thead(head), html.Tbody(rows)],
                size="sm",
                className="small",
                id=f"{P}-duplicates-table",
                responsive=True,  # scrolls in its own box on a phone
            )
        )
    return html.Div(body)
