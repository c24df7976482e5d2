"""The About page's data dictionary: an accordion item per extract table (dashboard.dictionary),
the codes of a coded column under its meaning."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import dictionary
from dashboard.dictionary_model import Column, Table


def _meaning(column: Column) -> list:
    """The column's meaning, and under it the codes of a coded column with their labels."""
    if not column.codes:
        return [column.meaning]
    codes = "; ".join(f"{k.code}: {k.meaning}" for k in column.codes)
    return [column.meaning, html.Br(), html.Small(f"Codes: {codes}.", className="text-muted")]


def _dictionary_table(table: Table) -> dbc.AccordionItem:
    rows = [
        html.Tr([html.Td(html.Code(c.name)), html.Td(c.type), html.Td(_meaning(c))])
        for c in table.columns
    ]
    head = html.Thead(html.Tr([html.Th("Column"), html.Th("Type"), html.Th("Meaning")]))
    return dbc.AccordionItem(
        [
            html.P(table.grain, className="small"),
            dbc.Table(
                [head, html.Tbody(rows)],
                size="sm",
                striped=True,
                responsive=True,
                className="small",
            ),
        ],
        title=f"{table.key} ({table.name}, {len(table.columns)} columns)",
        item_id=table.key,
    )


def dictionary_accordion(component_id: str) -> dbc.Accordion:
    """Every extract table, collapsed; any number may be open at once."""
    return dbc.Accordion(
        [_dictionary_table(t) for t in dictionary.TABLES],
        start_collapsed=True,
        always_open=True,
        id=component_id,
    )
