"""Poison centers: published poison-centre and death-record figures, as published, beside FAERS.

The shell's date range restricts the published figures to those whose period overlaps it; the
FAERS panel follows every shell filter, and with filters set its title and the chart's caption
say so, the caption naming them (`series_note`) and saying they leave the published figures
alone. The geography selector applies to the published figures
only; like every filter it lives in the URL (key `geo`, `Filters.geography`): choosing one
rewrites the link, and the page (figures, table and CSV) is drawn from the link. A link naming a
geography without figures shows all of them, with a note. The page's CSV button downloads the
published rows it shows, with their citations; the shell's download bar gives the FAERS extract.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, ids, runtime
from dashboard.callbacks import page_query
from dashboard.figures import poison_center_breakdown as breakdown
from dashboard.figures import poison_centers as fig
from dashboard.figures.poison_center_styles import EMPTY_PUBLISHED
from dashboard.filters import Filters
from dashboard.link_writers import search_of
from dashboard.poison_center_geography import (
    chosen_geography,
    geography_options,
    search_with_geography,
)
from dashboard.poison_center_table import TABLE_COLUMNS, source_list, table_rows
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
INTRO = (
    "Published figures on kratom from poison centres (NPDS and state centres) and death "
    "records, as published, beside FAERS cases. The dates of the filter panel keep the figures "
    "whose period overlaps them; no other filter touches a published figure (each counts whom "
    "its source counted), while the FAERS cases follow every filter."
)
PUBLISHED_NOTE = (
    "Counted: kratom calls, exposures or cases reported to poison centres and deaths with "
    "kratom, exactly as each source published them"
)
FAERS_NOTE = (
    "FAERS: deduplicated cases naming kratom, per calendar year of the chosen date (the latest "
    "year may be incomplete)"
)
# With filters set: the FAERS bars are a slice of the cases, the published figures are not.
FAERS_FILTERED_NOTE = (
    "FAERS: only the deduplicated cases the filters select, per calendar year of the chosen "
    "date (the latest year may be incomplete): {selection} The filters other than the dates "
    "do not touch the published figures, which count whom their source counted (every sex, "
    "age, product and outcome)."
)
LAYOUT_NOTE = (
    "Totals over a period and deaths: one row per published figure, written above its segment "
    "(a total over the whole period, not a yearly value); points of several sources in one "
    "year are spread across that year. Open diamonds and dotted segments were checked only "
    "against a third-party restatement. Sources: listed below."
)
SERIES_NOTE = f"{PUBLISHED_NOTE}; {FAERS_NOTE}. {LAYOUT_NOTE}"  # no filter set
SERIES_HEIGHT = 1100  # until the callback sets the chart's own (`series_height`)
# The breakdown charts' heights; on a phone each figure says its own (names above the bars).
BREAKDOWN_HEIGHTS = {"clinical_effects": 700, "outcomes": 440, "coexposures": 640}
BREAKDOWN_NOTE = (
    "Percents and counts exactly as published (never computed here), each of the population "
    "its source states; sources differ in population and period, so bars of different sources "
    "are not comparable. Hatched bars: third-party restatement. Sources: listed below."
)


def cases_filtered(f: Filters) -> bool:
    """Whether the link's filters select some of the cases (the geography selects none)."""
    return f.selection() != Filters()


def series_note(f: Filters) -> str:
    """The time chart's caption: with filters set it names them (the shell's sentence) beside
    the FAERS bars and says they leave the published figures alone."""
    if not cases_filtered(f):
        return SERIES_NOTE
    faers = FAERS_FILTERED_NOTE.format(selection=f.describe())
    return f"{PUBLISHED_NOTE}. {faers} {LAYOUT_NOTE}"


def _geography_note(f: Filters, note: str | None) -> dbc.Alert | None:
    if note is None:
        return None
    without = f"/poison-centers{search_of(f.with_changes(geography=q.ALL_GEOGRAPHIES))}"
    return components.ignored_value_note(note, without, f"{P}-geography-note")


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
            html.P(INTRO, className="small mb-2"),
            dbc.Alert(METHODS, color="info", className="py-2 small"),
            _controls(geography_options(q.geographies(db)), geography),
            _geography_note(f, note),
            _card("series", series_note(f), SERIES_HEIGHT),
            *(
                _card(name.replace("_", "-"), BREAKDOWN_NOTE, px)
                for name, px in BREAKDOWN_HEIGHTS.items()
            ),
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
                                "localeText": {"noRowsToShow": EMPTY_PUBLISHED},
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
    Output(f"{P}-series", "style"),
    *(Output(f"{P}-{name.replace('_', '-')}", "style") for name in BREAKDOWN_HEIGHTS),
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
    faers = q.faers_cases_by_year(db, f)
    series = fig.series_figure(contacts, deaths, faers, filtered=cases_filtered(f))
    out = [series, source_list(contacts, deaths)]
    styles = []
    for name in q.BREAKDOWNS:
        df = selected[name]
        figure = breakdown.breakdown_figure(df, titles[name])
        out += [figure, source_list(df)]
        styles.append(_breakdown_style(figure, BREAKDOWN_HEIGHTS[name]))
    summary = f"Every published figure for this selection ({rows.height} rows), as published"
    height = {"height": f"{fig.series_height(contacts, deaths, faers)}px"}  # lanes keep px
    return *out, summary, table_rows(rows), height, *styles


def _breakdown_style(figure: dict, default_px: int) -> dict:
    """A breakdown chart's style: the figure's own height when it has one (a phone's), else
    the page's, as `components.chart_card` gave it (a phone's stylesheet adds to that)."""
    if px := figure["layout"].get("height"):
        return {"height": f"{px}px"}
    return {"height": f"{default_px}px", "--chart-height": f"{default_px}px"}


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
