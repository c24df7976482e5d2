"""About: sources, what FAERS can and cannot show, data vintage, the deduplication funnels (all
drugs, openFDA, and kratom's report versions per year), the probable duplicates, the kratom term
list with the spellings it matched, the input issues the build recorded, and the data dictionary
of the extracts."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components, runtime
from dashboard.about_dictionary import dictionary_accordion
from dashboard.about_text import (
    CAVEATS,
    DEDUPLICATION,
    INTRO,
    SOURCES,
    SPELLINGS,
    TERMS,
)
from dashboard.callbacks import page_query
from dashboard.duplicates_block import duplicates_block
from dashboard.figures import about as fig
from dashboard.input_issues import input_issues_outputs, input_issues_section
from dashboard.kratom_funnel import kratom_funnel_block
from dashboard.openfda_funnel import openfda_funnel_block
from dashboard.queries import about as q

dash.register_page(
    __name__, path="/about", name="About", title="Kratom harms watch: about", order=9
)

P = "about"

_TERM_COLUMNS = [
    {"field": "pattern_id", "headerName": "Pattern id", "width": 170},
    {"field": "pattern", "headerName": "Pattern (regular expression)", "width": 280},
    {"field": "product_type", "headerName": "Product type", "width": 150},
    {"field": "priority", "headerName": "Priority", "width": 95},
    {
        "field": "source",
        "headerName": "Source",
        "flex": 1,
        "minWidth": 300,
        "tooltipField": "source",
    },
]
# counts with thousands separators (1,114, not 1114), as everywhere else on the page
_THOUSANDS = {
    "type": "numericColumn",
    "valueFormatter": {"function": "params.value == null ? '' : d3.format(',')(params.value)"},
}
_SPELLING_COLUMNS = [
    {"field": "spelling", "headerName": "Spelling matched", "flex": 2, "minWidth": 180},
    {"field": "pattern_id", "headerName": "Pattern id", "flex": 1, "minWidth": 130},
    {"field": "pattern", "headerName": "Pattern", "flex": 2, "minWidth": 160},
    {"field": "product_type", "headerName": "Product type", "flex": 1, "minWidth": 130},
    {"field": "n_cases", "headerName": "Cases kept", "width": 120} | _THOUSANDS,
    {"field": "n_report_rows", "headerName": "Report rows", "width": 125} | _THOUSANDS,
]


def _grid(id_: str, columns: list[dict]) -> dag.AgGrid:
    return dag.AgGrid(
        id=id_,
        columnDefs=columns,
        rowData=[],
        defaultColDef={"sortable": True, "resizable": True, "filter": True},
        dashGridOptions={"tooltipShowDelay": 300, "localeText": {"noRowsToShow": "Nothing loaded"}},
        style={"height": "360px", "width": "100%"},
    )


def _section(title: str, *children) -> html.Section:
    return html.Section([html.H2(title, className="h5 mt-4"), *children])


def _funnel_table(df) -> dbc.Table:
    head = ["Era", *fig.STEPS.values()]
    rows = [
        html.Tr(
            [html.Td(fig.ERA_LABELS.get(r["era"], "All eras"))]
            + [html.Td(f"{r[c]:,}") for c in fig.STEPS]
        )
        for r in df.iter_rows(named=True)
    ]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
        size="sm",
        className="small",
        id=f"{P}-funnel-table",
        responsive=True,  # scrolls in its own box on a phone
    )


def _reference_sections() -> list:
    """Deduplication, the kratom terms and spellings: skeletons the callback fills."""
    return [
        _section(
            "Deduplication",
            html.P(DEDUPLICATION, className="small"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            html.H3("FAERS quarterly files", className="h6"),
                            html.Div(id=f"{P}-funnel-body"),
                        ],
                        lg=6,
                    ),
                    dbc.Col(html.Div(id=f"{P}-openfda-funnel"), lg=6),
                ]
            ),
            components.chart_card(
                f"{P}-funnel",
                "Counted: report versions read from the FAERS quarterly files loaded, by the "
                "layout of the file each was read from; the last step counts cases kept "
                "(kratom and background). Source: FDA FAERS quarterly data files.",
                height=360,
            ),
            html.Div(id=f"{P}-kratom-funnel", className="mt-3"),  # after the all-drug chart
            html.Div(id=f"{P}-duplicates", className="mt-3"),
        ),
        _section(
            "Kratom term list", html.P(TERMS, className="small"), _grid(f"{P}-terms", _TERM_COLUMNS)
        ),
        _section(
            "Spellings matched",
            html.P(SPELLINGS, className="small"),
            _grid(f"{P}-spellings", _SPELLING_COLUMNS),
        ),
    ]


def _dictionary_section() -> html.Section:
    return _section(
        "Data dictionary",
        html.P(
            [
                "The columns of the extracts (CSV, Parquet, XLSX) that the download buttons and ",
                html.Code("kratom-etl export"),
                " write.",
            ],
            className="small",
        ),
        dictionary_accordion(f"{P}-dictionary"),
    )


def layout(**query) -> html.Div:
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=page_query(query)),
            html.H1("About this dashboard", className="h4"),
            dbc.Alert(components.SYNTHETIC, id=f"{P}-synthetic", color="warning", is_open=False),
            html.P(INTRO),
            _section("Sources", html.Ul(SOURCES)),
            _section(
                "What FAERS can and cannot show",
                html.Ul([html.Li([html.Strong(k), " ", v]) for k, v in CAVEATS]),
                html.P(components.CAUSATION, className="small text-muted"),
            ),
            _section("Data vintage", html.Div(id=f"{P}-vintage")),
            *_reference_sections(),
            input_issues_section(),
            _dictionary_section(),
        ]
    )


def vintage_facts(v: dict) -> html.Ul:
    """The data vintage as a short list."""
    built = f"{v['built_at']:%Y-%m-%d %H:%M} UTC" if v.get("built_at") else "not recorded"
    quarters = (
        f"{v['first_quarter']} to {v['last_quarter']} ({v['n_quarters']} quarterly files read)"
        if v.get("first_quarter")
        else "none"
    )
    return html.Ul(
        [
            html.Li(f"Database built: {built}"),
            html.Li(f"FAERS quarters holding kept cases: {quarters}"),
            html.Li(
                f"Cases kept: {v['n_cases']:,}, of which naming kratom: {v['n_kratom_cases']:,}"
            ),
            html.Li(
                "FAERS data: "
                + ("synthetic (demonstration)" if v["is_synthetic"] else "FDA's files")
            ),
        ],
        className="small",
    )


@callback(
    Output(f"{P}-synthetic", "is_open"),
    Output(f"{P}-vintage", "children"),
    Output(f"{P}-funnel-body", "children"),
    Output(f"{P}-openfda-funnel", "children"),
    Output(f"{P}-kratom-funnel", "children"),
    Output(f"{P}-duplicates", "children"),
    Output(f"{P}-funnel", "figure"),
    Output(f"{P}-terms", "rowData"),
    Output(f"{P}-spellings", "rowData"),
    Output(f"{P}-input-issues-summary", "children"),
    Output(f"{P}-input-issues", "rowData"),
    Input(f"{P}-query", "data"),
)
def update(_query: str):
    db = runtime.database()
    v, funnel = q.vintage(db), q.funnel(db)
    return (
        bool(v["is_synthetic"]),
        vintage_facts(v),
        _funnel_table(funnel),
        openfda_funnel_block(q.openfda_funnel(db)),
        kratom_funnel_block(q.kratom_funnel(db)),
        duplicates_block(q.probable_duplicates(db)),
        fig.funnel_figure(funnel),
        q.kratom_terms(db).to_dicts(),
        q.kratom_spellings(db).to_dicts(),
        *input_issues_outputs(q.input_issues(db)),
    )
