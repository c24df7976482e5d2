"""The download bar in the shell: the current view's case-level rows as CSV, Parquet or Excel.

The extract is the one `kratom-etl export` writes for the same link (dashboard/extracts.py);
the page path goes into its manifest as the view, and chooses the cases of a `population=all`
link: every FAERS case matching it, or on the pages that show kratom cases whatever the
population, those kratom cases. The bar's words say which (`what_it_holds`). The manifest's
link is whole, on the address the browser sent the request to (`request_base_url`). Importing
this module registers its callbacks.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
import flask
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import extracts, ids, population, runtime, signals_extract
from dashboard.db import QueryTimeout
from dashboard.filters import Filters

DOWNLOAD = "download-extract"
STATUS = "download-status"
WHAT_ID = "download-what"
BUTTONS = {  # button id -> (label, extract format)
    "download-csv": ("Download CSV", "csv"),
    "download-parquet": ("Download Parquet", "parquet"),
    "download-xlsx": ("Download Excel", "xlsx"),
}
WHAT = "Case-level rows for the current filters, with a manifest."
EVERY_CASE = (
    "Downloads every FAERS case matching the filters (kratom or not; kratom's role, other "
    "substances and product do not apply): case-level rows, with a manifest."
)
EVERY_CASE_COEXPOSURE = (
    "Downloads every FAERS case matching the filters; with a co-exposure filter these are kratom "
    "cases only, in any role (kratom's role, other substances and product do not apply): "
    "case-level rows, with a manifest."
)
KRATOM_CASES = (
    "Downloads the kratom cases this page shows, under every filter of the link (kratom's "
    "role, other substances and product included), not every FAERS case: case-level rows, "
    "with a manifest."
)
# Latest quarter shows one quarter's new cases; its file holds what the link selects, every quarter.
LATEST_QUARTER = (
    "Downloads the kratom cases matching the filters in every quarter, not only the quarter "
    "shown: case-level rows, with a manifest."
)
LATEST_QUARTER_RANGE = (
    "Downloads the kratom cases matching the filters, not only the quarter shown: the link's "
    "date range, which this page ignores, applies to the file. Case-level rows, with a manifest."
)
TOOLTIP = (
    "Cases, their substances and their events, with a dictionary of their columns and codes and "
    "a manifest of the filters, data vintage, row counts, sources and caveats. CSV and Excel "
    "stop at 1,048,576 rows per table (a spreadsheet's limit); Parquet is complete."
)


def download_bar() -> html.Div:
    """One row: the three download buttons and a note of what they give."""
    buttons = [
        dbc.Button(label, id=id_, size="sm", color="secondary", outline=True)
        for id_, (label, _fmt) in BUTTONS.items()
    ]
    return html.Div(
        [
            html.Div(buttons, className="d-flex flex-wrap gap-2", role="group"),
            html.Span(WHAT, id=WHAT_ID, title=TOOLTIP, className="small text-muted"),
            html.Span(id=STATUS, className="small text-danger", **{"aria-live": "polite"}),
            dcc.Download(id=DOWNLOAD),
        ],
        className="download-bar d-flex flex-wrap align-items-center gap-2 mb-3",
        **{"aria-label": "Download the data of this view"},
    )


def what_it_holds(search: object, pathname: object) -> str:
    """The bar's words for the link and page: which cases its file holds (the same rule as
    `extracts.as_the_page_shows`)."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    if pathname == "/latest":
        return LATEST_QUARTER_RANGE if f.date_from or f.date_to else LATEST_QUARTER
    if pathname == signals_extract.PATH:
        return signals_extract.bar_words(f)
    if population.shows_kratom_cases(f, pathname):
        return KRATOM_CASES
    if population.counts_kratom_cases_only(f):
        return EVERY_CASE_COEXPOSURE
    return EVERY_CASE if population.is_all(f) else WHAT


def request_base_url() -> str | None:
    """The dashboard's address as the browser asked for it ('http://127.0.0.1:8050'), for a
    whole link in the manifest; None outside a request or for an implausible Host header.
    Behind a proxy it is the address the proxy forwards (its Host header and scheme)."""
    if not flask.has_request_context():
        return None
    base = flask.request.host_url.rstrip("/")
    return base if len(base) <= 200 and base.isprintable() else None


@callback(Output(WHAT_ID, "children"), Input(ids.URL, "search"), Input(ids.URL, "pathname"))
def say_what_it_holds(search, pathname):
    return what_it_holds(search, pathname)


@callback(
    Output(DOWNLOAD, "data"),
    Output(STATUS, "children"),
    [Input(id_, "n_clicks") for id_ in BUTTONS],
    State(ids.URL, "search"),
    State(ids.URL, "pathname"),
    prevent_initial_call=True,
    running=[(Output(id_, "disabled"), True, False) for id_ in BUTTONS],
)
def download(*args):
    *_clicks, search, pathname = args
    if ctx.triggered_id not in BUTTONS:
        return no_update, no_update
    fmt = BUTTONS[ctx.triggered_id][1]
    search = (
        "?" + search.removeprefix("?") if isinstance(search, str) else ""
    )  # a query, never a link
    view = pathname[:200] if isinstance(pathname, str) else None
    try:
        extract = extracts.build_extract(
            runtime.database(), search, fmt, view=view, base_url=request_base_url()
        )
    except (extracts.ExtractTooLarge, QueryTimeout) as exc:
        return no_update, f"Not downloaded: {exc}."
    return dcc.send_bytes(extract.content, extract.name), ""
