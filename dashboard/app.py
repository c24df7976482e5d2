"""The Dash shell: navigation, the filter panel, banners and caveats around the pages.

`kratom-dash` serves it with Flask's server for one analyst; production runs
`gunicorn dashboard.wsgi:server` (several workers over the same read-only database file).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import flask_bootstrap
from dash import Dash, dcc, html
from flask import send_from_directory

from dashboard import callbacks, components, downloads, ids, runtime

HERE = Path(__file__).resolve().parent
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
BOOTSTRAP_URL = "/vendor/bootstrap.min.css"
TITLE = "Kratom harms watch"


def _navbar() -> dbc.Navbar:
    links = [
        dbc.NavItem(
            dbc.NavLink(page["name"], href=page["path"], id=f"nav-{page['module'].split('.')[-1]}")
        )
        for page in dash.page_registry.values()
        if page.get("nav", True)
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(TITLE, href="/"),
                dbc.Nav(links, id=ids.NAV, navbar=True, className="flex-wrap"),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )


def shell() -> html.Div:
    """The page frame; a function so each page load reads fresh options and data vintage."""
    db = runtime.database()
    problem = None
    try:
        choices, vintage = runtime.filter_choices(db), runtime.vintage_text(db)
        synthetic = runtime.is_synthetic(db)
    except runtime.UNAVAILABLE as exc:  # deleted, or replaced by something DuckDB cannot read
        choices, vintage, synthetic = runtime.NO_CHOICES, "Data: unavailable.", False
        problem = runtime.unavailable_text(exc)
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            _navbar(),
            dbc.Container(
                [
                    dbc.Alert(
                        components.SYNTHETIC,
                        id=ids.SYNTHETIC_BANNER,
                        color="warning",
                        className="py-2 small",
                        is_open=synthetic,
                    ),
                    dbc.Alert(
                        problem,
                        id=ids.DB_UNAVAILABLE,
                        color="danger",
                        className="py-2",
                        is_open=problem is not None,
                    ),
                    dbc.Row(
                        [
                            dbc.Col(components.filter_panel(choices), lg=3, md=4, className="mb-3"),
                            dbc.Col(
                                [
                                    html.P(
                                        id=ids.DESCRIPTION,
                                        className="lead fs-6 mb-1",
                                        **{"aria-live": "polite"},
                                    ),
                                    html.Div(id=ids.NOTES),
                                    downloads.download_bar(),
                                    dash.page_container,
                                ],
                                lg=9,
                                md=8,
                            ),
                        ]
                    ),
                    html.Footer(
                        [
                            html.P(components.CAUSATION, className="small mb-1"),
                            html.P(vintage, className="small text-muted mb-0"),
                        ],
                        className="border-top pt-2 mt-4 mb-4",
                    ),
                ],
                fluid=True,
            ),
        ]
    )


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _security_headers(response):
    """Conservative headers on every response (no CSP: Dash's renderer needs inline scripts)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _on_callback_error(err: Exception) -> None:
    """A callback that cannot open the database opens the banner and leaves its outputs as they
    are; any other error stays an error."""
    if not isinstance(err, runtime.UNAVAILABLE):
        raise err
    dash.set_props(ids.DB_UNAVAILABLE, {"is_open": True, "children": runtime.unavailable_text(err)})


def create_app(db_path: Path | str | None = None) -> Dash:
    """Build the Dash app over the database at `db_path` (default: KRATOM_DB)."""
    runtime.configure(
        db_path or os.environ.get("KRATOM_DB") or HERE.parent / "data" / "kratom.duckdb"
    )
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        external_stylesheets=[BOOTSTRAP_URL],
        suppress_callback_exceptions=True,
        title=TITLE,
        update_title=None,
        on_error=_on_callback_error,
    )
    app.server.add_url_rule(
        BOOTSTRAP_URL,
        "bootstrap_css",
        lambda: send_from_directory(BOOTSTRAP_DIR, "bootstrap.min.css", max_age=86400),
    )
    app.server.after_request(_security_headers)
    app.layout = shell
    callbacks.register()
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kratom-dash", description="Serve the kratom dashboard.")
    parser.add_argument("--db", type=Path, default=None, help="database file (default: KRATOM_DB)")
    parser.add_argument("--host", default=os.environ.get("KRATOM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("KRATOM_PORT", "8050")))
    parser.add_argument(
        "--debug", action="store_true", help="Dash debug mode (never in production)"
    )
    args = parser.parse_args(argv)
    app = create_app(args.db)
    print(f"serving {runtime.db_path()} at http://{args.host}:{args.port}/", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0
