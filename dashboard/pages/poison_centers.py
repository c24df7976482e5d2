"""Poison centers: published poison-centre and death-record figures, as published, beside FAERS.

The shell's date range restricts the published figures to those whose period overlaps it; the
FAERS panel follows every shell filter. The geography selector applies to the published figures
only; like every filter it lives in the URL (key `geo`, `Filters.geography`): choosing one
rewrites the link, and the page (figures, table and CSV) is drawn from the link. A link naming a
geography without figures shows all of them, with a note. The page's CSV button downloads the
published rows it shows, with their citations; the shell's download bar gives the FAERS extract.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, ids, runtime
from dashboard.callbacks import page_query, search_of
from dashboard.db import Database
from dashboard.figures import poison_center_breakdown as breakdown
from dashboard.figures import poison_center_text as words
from dashboard.figures import poison_centers as fig
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.queries import poison_centers as q

dash.register_page(
    __name__,
    path="/poison-centers",
    name="Poison centers",
    title="Kratom harms watch: poison centers",
    order=7,
)

P = "poison-centers"
CSV_NAME = "kratom-poison-center-figures.csv"
METHODS = (
    "The methods differ: poison-centre calls, exposures and cases, deaths in death records, and "
    "FAERS cases are counted in different ways, by different systems, over different periods. "
    "Each published series is drawn on its own, named after its source, and never joined to "
    "another into one line."
)
SERIES_NOTE = (
    "Counted: kratom calls, exposures or cases reported to poison centres and deaths with kratom, "
    "exactly as each source published them; FAERS: deduplicated cases naming kratom, per "
    "calendar year of the chosen date (the latest year may be incomplete). Segments are totals "
    "over their whole period, not yearly values; open diamonds and dotted segments were checked "
    "only against a third-party restatement. Sources: listed below."
)
BREAKDOWN_NOTE = (
    "Percents and counts exactly as published (never computed here), each of the population "
    "its source states; sources differ in population and period, so bars of different sources "
    "are not comparable. Hatched bars: third-party restatement. Sources: listed below."
)
US_STATES = dict(
    pair.split("=")
    for pair in (
        "AL=Alabama AK=Alaska AZ=Arizona AR=Arkansas CA=California CO=Colorado "
        "CT=Connecticut DE=Delaware DC=District_of_Columbia FL=Florida GA=Georgia HI=Hawaii "
        "ID=Idaho IL=Illinois IN=Indiana IA=Iowa KS=Kansas KY=Kentucky LA=Louisiana ME=Maine "
        "MD=Maryland MA=Massachusetts MI=Michigan MN=Minnesota MS=Mississippi MO=Missouri "
        "MT=Montana NE=Nebraska NV=Nevada NH=New_Hampshire NJ=New_Jersey NM=New_Mexico "
        "NY=New_York NC=North_Carolina ND=North_Dakota OH=Ohio OK=Oklahoma OR=Oregon "
        "PA=Pennsylvania RI=Rhode_Island SC=South_Carolina SD=South_Dakota TN=Tennessee "
        "TX=Texas UT=Utah VT=Vermont VA=Virginia WA=Washington WV=West_Virginia WI=Wisconsin "
        "WY=Wyoming PR=Puerto_Rico"
    )
    .replace("_", " ")
    .split(" ")
    if "=" in pair
)
_KIND_WORDS = {"state": "State or province", "region": "Region", "county": "County"}
_WRAPPED = {"wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.3"}}
TABLE_COLUMNS = [
    {"field": "source", "headerName": "Source", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "where", "headerName": "Where", "flex": 1, "minWidth": 110, **_WRAPPED},
    {"field": "period", "headerName": "Period", "flex": 1, "minWidth": 120, **_WRAPPED},
    {"field": "counted", "headerName": "Counted", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "breakdown", "headerName": "Breakdown", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "published", "headerName": "As published", "flex": 1, "minWidth": 130, **_WRAPPED},
    {"field": "checked", "headerName": "Checked", "width": 110},
]


def geography_options(geos: pl.DataFrame) -> list[dict]:
    """Selector options: every geography, then US national, each state, regions, counties."""
    options = [{"label": "All geographies", "value": q.ALL_GEOGRAPHIES}]
    for kind, name in geos.select("geography_type", "geography").rows():
        if kind == "country":
            label = f"{name} national"
        else:
            label = f"{_KIND_WORDS[kind]}: {US_STATES.get(name, name)}"
        options.append({"label": label, "value": f"{kind}:{name}"})
    return options


def chosen_geography(db: Database, f: Filters) -> tuple[str, str | None]:
    """The geography the page shows for a link's filters, and a note when the link's was ignored
    (well-formed, but no published figure is of that geography)."""
    if f.geography == q.ALL_GEOGRAPHIES or q.has_geography(db, f.geography):
        return f.geography, None
    why = "no published figures for that geography; showing all geographies"
    return q.ALL_GEOGRAPHIES, ignored("geo", f.geography, why)


def _geography_note(f: Filters, note: str | None) -> dbc.Alert | None:
    if note is None:
        return None
    without = f"/poison-centers{search_of(f.with_changes(geography=q.ALL_GEOGRAPHIES))}"
    return dbc.Alert(
        [
            html.Strong("A link parameter was ignored: "),
            note,
            " (",
            dcc.Link("open the link without it", href=without),
            ").",
        ],
        id=f"{P}-geography-note",
        color="info",
        className="py-2 small",
    )


def _controls(options: list[dict], geography: str) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [
                    html.Label(
                        "Geography of the published figures",
                        htmlFor=f"{P}-geography",
                        className="form-label small fw-semibold mb-1",
                    ),
                    dcc.Dropdown(
                        id=f"{P}-geography",
                        options=options,
                        value=geography,
                        clearable=False,
                    ),
                ],
                md=6,
            ),
            dbc.Col(
                [
                    dbc.Button(
                        "Download these figures (CSV)",
                        id=f"{P}-download-button",
                        size="sm",
                        color="primary",
                        outline=True,
                    ),
                    dcc.Download(id=f"{P}-download"),
                ],
                md=6,
                className="d-flex align-items-end justify-content-md-end mt-2 mt-md-0",
            ),
        ],
        className="mb-2 g-2",
    )


def _card(name: str, what: str, height: int) -> html.Div:
    return html.Div(
        [
            components.chart_card(f"{P}-{name}", what, height=height),
            html.Div(id=f"{P}-{name}-sources", className="small mb-3"),
        ]
    )


def layout(**query) -> html.Div:
    db, text = runtime.database(), page_query(query)
    f, _ = Filters.from_query(text)
    geography, note = chosen_geography(db, f)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Poison centers", className="h4"),
            html.P(
                "Published figures on kratom from poison centres (NPDS and state centres) and "
                "death records, as published, beside FAERS cases. The dates of the filter "
                "panel keep the figures whose period overlaps them.",
                className="small mb-2",
            ),
            dbc.Alert(METHODS, color="info", className="py-2 small"),
            _controls(geography_options(q.geographies(db)), geography),
            _geography_note(f, note),
            _card("series", SERIES_NOTE, 900),
            _card("clinical-effects", BREAKDOWN_NOTE, 700),
            _card("outcomes", BREAKDOWN_NOTE, 440),
            _card("coexposures", BREAKDOWN_NOTE, 640),
            html.Details(
                [
                    html.Summary(id=f"{P}-table-summary", className="fw-semibold"),
                    html.Div(
                        dag.AgGrid(  # one component however many rows (a table: ~1 ms a row)
                            id=f"{P}-table",
                            columnDefs=TABLE_COLUMNS,
                            rowData=[],
                            defaultColDef={"sortable": True, "resizable": True, "filter": True},
                            dashGridOptions={
                                "domLayout": "autoHeight",
                                "localeText": {"noRowsToShow": fig.EMPTY_PUBLISHED},
                            },
                            style={"width": "100%"},
                        ),
                        className="mt-2",
                    ),
                ],
                className="mb-3",
            ),
        ]
    )


def source_list(*frames: pl.DataFrame) -> html.Div | None:
    """Each source shown in the frames once: its citation and a link (when one is recorded)."""
    seen: dict[str, tuple[str, str | None]] = {}
    for frame in frames:
        for source_id, citation, url in frame.select("source_id", "citation", "url").rows():
            seen.setdefault(source_id, (citation, url))
    if not seen:
        return None
    items = [
        html.Li([citation, " ", html.A(url, href=url, target="_blank", rel="noopener")])
        if url
        else html.Li([citation, " (no link recorded)"])
        for citation, url in seen.values()
    ]
    return html.Div([html.Span("Sources shown:", className="fw-semibold"), html.Ul(items)])


def table_rows(rows: pl.DataFrame) -> list[dict[str, str]]:
    """Every published row of the selection, with its figure as published, for the grid."""
    return [
        {
            "source": words.source_label(r["source_id"], r["citation"], r["publisher"]),
            "where": r["geography"],
            "period": words.period_text(r["period_start"], r["period_end"]),
            "counted": f"{r['unit']} ({r['population']})",
            "breakdown": f"{r['measure'].replace('_', ' ')}: {r['category']}",
            "published": words.published_text(r),
            "checked": "third-party" if r["verification"] == "V-3p" else "source",
        }
        for r in rows.to_dicts()
    ]


@callback(
    Output(f"{P}-series", "figure"),
    Output(f"{P}-series-sources", "children"),
    Output(f"{P}-clinical-effects", "figure"),
    Output(f"{P}-clinical-effects-sources", "children"),
    Output(f"{P}-outcomes", "figure"),
    Output(f"{P}-outcomes-sources", "children"),
    Output(f"{P}-coexposures", "figure"),
    Output(f"{P}-coexposures-sources", "children"),
    Output(f"{P}-table-summary", "children"),
    Output(f"{P}-table", "rowData"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    geography, _note = chosen_geography(db, f)
    selected = q.page_rows(db, f, geography)
    contacts, deaths = selected["contacts"], selected["deaths"]
    titles = {
        "clinical_effects": "Clinical effects, as published",
        "outcomes": "Medical outcomes and level of care, as published",
        "coexposures": "Co-exposures and single-substance exposures, as published",
    }
    rows = selected["figures"]
    out = [fig.series_figure(contacts, deaths, q.faers_cases_by_year(db, f))]
    out.append(source_list(contacts, deaths))
    for name in q.BREAKDOWNS:
        df = selected[name]
        out += [breakdown.breakdown_figure(df, titles[name]), source_list(df)]
    summary = f"Every published figure for this selection ({rows.height} rows), as published"
    return *out, summary, table_rows(rows)


@callback(
    Output(f"{P}-download", "data"),
    Input(f"{P}-download-button", "n_clicks"),
    State(f"{P}-query", "data"),
    prevent_initial_call=True,
)
def download(_clicks: int, query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    geography, _note = chosen_geography(db, f)
    return dcc.send_string(q.figures_csv(db, f, geography), CSV_NAME)


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(f"{P}-geography", "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def geography_to_url(geography: str, search: str | None):
    """The URL with the chosen geography (the router then draws the page from it).

    Dash also calls this after every drawing of the page, with the value the layout gave the
    selector (its input is inserted by the router, its output is not): that value is the one the
    link shows, so nothing is written then.
    """
    wanted = search_with_geography(runtime.database(), search, geography)
    return no_update if wanted is None else wanted


def search_with_geography(db: Database, search: str | None, geography: object) -> str | None:
    """The URL search with `geo` set to `geography` ("" when nothing is left); None when the page
    already shows that geography for this search, or it is not one a link can hold (a
    hand-made request)."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    if not isinstance(geography, str) or geography == chosen_geography(db, f)[0]:
        return None
    try:
        return search_of(f.with_changes(geography=geography))
    except ValueError:  # not `all` or `<type>:<name>`, or the link would be too long
        return None
