"""About: sources, what FAERS can and cannot show, data vintage, the deduplication funnel, the
kratom term list with the spellings it matched, the input issues the build recorded, and the data
dictionary of the extracts."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components, dictionary, runtime
from dashboard.callbacks import page_query
from dashboard.dictionary_model import Table
from dashboard.figures import about as fig
from dashboard.input_issues import input_issues_outputs, input_issues_section
from dashboard.openfda_funnel import openfda_funnel_block
from dashboard.queries import about as q

dash.register_page(
    __name__, path="/about", name="About", title="Kratom harms watch: about", order=9
)

P = "about"
FAERS_URL = "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html"
OPENFDA_URL = "https://open.fda.gov/apis/drug/event/"

INTRO = (
    "Harms reported with kratom (Mitragyna speciosa) and its concentrated alkaloid products such "
    "as 7-OH, from FDA's adverse-event reports, for public-health analysts. Every view can be "
    "filtered, shared as a link and downloaded."
)
DEDUPLICATION = (
    "A quarterly file holds the latest version of each case as of that quarter, so a case updated "
    "later appears again in later files. Following FDA, the dashboard keeps one version per case: "
    "the highest case version, then the latest FDA receipt date, then the latest file; then it "
    "drops every case on FDA's deleted-case lists."
)
TERMS = (
    "A drug row is kratom when its reported name or active ingredient matches one of these "
    "reviewed patterns (upper case; the lowest priority wins and decides the product type). "
    "Sources are marked [V] verified, [C] constructed, [R] from memory."
)
SPELLINGS = (
    "Every distinct name that matched, for review: cases kept counts deduplicated cases naming "
    "it; report rows counts drug rows in every version read (superseded and deleted versions "
    "included)."
)

SOURCES = [
    html.Li(
        [
            html.A("FDA FAERS quarterly data files", href=FAERS_URL, target="_blank"),
            ": every report FDA received, published each quarter in its ASCII format (legacy "
            "AERS files to 2012Q3, FAERS since 2012Q4). The counts on every page come from them.",
        ]
    ),
    html.Li(
        [
            html.A("openFDA", href=OPENFDA_URL, target="_blank"),
            ": the newest FAERS reports before they reach a quarterly file, and CAERS, FDA's "
            "system for foods and dietary supplements, where kratom is also reported "
            "(kratom-etl refresh fetches them; the openFDA funnel below says what became of "
            "each report). Each is its own source in the filter panel.",
        ]
    ),
    html.Li(
        "Published poison-center summaries (papers based on the National Poison Data System, "
        "CDC's MMWR, state alerts): aggregate figures as published, each with its citation, on "
        "the Poison centers page. They are never added to FAERS counts."
    ),
]

CAVEATS = [
    (
        "No causation.",
        "A report says that someone took kratom and that something happened, not "
        "that kratom caused it. Most kratom reports name other substances too.",
    ),
    (
        "Duplicates.",
        "Each case is counted once: the latest version of each FDA case number, with "
        "cases on FDA's deleted lists removed (the funnel below). The same event reported by two "
        "people under two case numbers still counts twice.",
    ),
    (
        "Under-reporting.",
        "Reporting is voluntary for consumers and health professionals, and only "
        "a small, unknown share of events is ever reported. Counts are not rates of harm and say "
        "nothing about how many people use kratom.",
    ),
    (
        "Stimulated reporting.",
        "Reports rise after news stories, FDA or DEA announcements, "
        "outbreaks and lawsuits. The Overview marks such dates on its trend.",
    ),
    (
        "MedDRA version drift.",
        "Each quarter's reactions are coded in the MedDRA version of its time, so terms are "
        "renamed or demoted over the years; legacy files write them in capitals.",
    ),
    (
        "Free-text drug names.",
        "Kratom is found by a reviewed list of spellings and brands (below). "
        "Reports that name kratom in a way the list does not know are missed; review the matched "
        "spellings for names that should not count.",
    ),
    (
        "Changing formats.",
        "FDA changed the file layout in 2012Q4 and began padding partial event "
        "dates in 2021Q3; the data dictionary says how each is read.",
    ),
    (
        "Synthetic data.",
        "A database built by kratom-etl demo holds generated reports in FDA's format, not real "
        "ones; a banner then says so on every page, and the data vintage below says which.",
    ),
]

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
_SPELLING_COLUMNS = [
    {"field": "spelling", "headerName": "Spelling matched", "flex": 2, "minWidth": 180},
    {"field": "pattern_id", "headerName": "Pattern id", "flex": 1, "minWidth": 130},
    {"field": "pattern", "headerName": "Pattern", "flex": 2, "minWidth": 160},
    {"field": "product_type", "headerName": "Product type", "flex": 1, "minWidth": 130},
    {"field": "n_cases", "headerName": "Cases kept", "width": 120, "type": "numericColumn"},
    {"field": "n_report_rows", "headerName": "Report rows", "width": 125, "type": "numericColumn"},
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


def _dictionary_table(table: Table) -> dbc.AccordionItem:
    rows = [
        html.Tr([html.Td(html.Code(c.name)), html.Td(c.type), html.Td(c.meaning)])
        for c in table.columns
    ]
    head = html.Thead(html.Tr([html.Th("Column"), html.Th("Type"), html.Th("Meaning")]))
    return dbc.AccordionItem(
        [
            html.P(table.grain, className="small"),
            dbc.Table([head, html.Tbody(rows)], size="sm", striped=True, className="small"),
        ],
        title=f"{table.key} ({table.name}, {len(table.columns)} columns)",
        item_id=table.key,
    )


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
        dbc.Accordion(
            [_dictionary_table(t) for t in dictionary.TABLES],
            start_collapsed=True,
            always_open=True,
            id=f"{P}-dictionary",
        ),
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
        fig.funnel_figure(funnel),
        q.kratom_terms(db).to_dicts(),
        q.kratom_spellings(db).to_dicts(),
        *input_issues_outputs(q.input_issues(db)),
    )
