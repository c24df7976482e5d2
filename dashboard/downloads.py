"""The download bar in the shell: the current view's case-level rows as CSV, Parquet or Excel.

The extract is the one `kratom-etl export` writes for the same link (dashboard/extracts.py);
the page path goes into its manifest as the view. Importing this module registers its callback.
"""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import extracts, ids, runtime
from dashboard.db import QueryTimeout

DOWNLOAD = "download-extract"
STATUS = "download-status"
BUTTONS = {  # button id -> (label, extract format)
    "download-csv": ("Download CSV", "csv"),
    "download-parquet": ("Download Parquet", "parquet"),
    "download-xlsx": ("Download Excel", "xlsx"),
}
WHAT = "Case-level rows for the current filters, with a manifest."
TOOLTIP = (
    "Cases, their substances and their events, with a manifest of the filters, data vintage, "
    "row counts, sources and caveats. CSV and Excel stop at 1,048,576 rows per table "
    "(a spreadsheet's limit); Parquet is complete."
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
            html.Span(WHAT, title=TOOLTIP, className="small text-muted"),
            html.Span(id=STATUS, className="small text-danger", **{"aria-live": "polite"}),
            dcc.Download(id=DOWNLOAD),
        ],
        className="download-bar d-flex flex-wrap align-items-center gap-2 mb-3",
        **{"aria-label": "Download the data of this view"},
    )


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
        extract = extracts.build_extract(runtime.database(), search, fmt, view=view)
    except (extracts.ExtractTooLarge, QueryTimeout) as exc:
        return no_update, f"Not downloaded: {exc}."
    return dcc.send_bytes(extract.content, extract.name), ""
