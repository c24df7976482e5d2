"""The Dash shell: navigation, the filter panel, banners and caveats around the pages.

`kratom-dash` serves it with Flask's server for one analyst; production runs
`gunicorn -c deploy/gunicorn.conf.py dashboard.wsgi:server` (several workers over the same
read-only database file).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from pathlib import Path

import dash
import dash_bootstrap_components as dbc
import flask_bootstrap
from dash import Dash, State, dcc, html
from flask import send_from_directory

from dashboard import (
    callbacks,
    components,
    downloads,
    filter_toggle,
    guard,
    ids,
    navbar,
    runtime,
    viewport,
)
from dashboard.guard import SECURITY_HEADERS  # noqa: F401  (re-exported)

HERE = Path(__file__).resolve().parent
BOOTSTRAP_DIR = Path(flask_bootstrap.__file__).parent / "static" / "bootstrap5" / "css"
BOOTSTRAP_URL = "/vendor/bootstrap.min.css"
TITLE = navbar.TITLE
ROUTER_LOCATION = "_pages_location"  # the dcc.Location inside dash.page_container


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
            navbar.navbar(),
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
                            dbc.Col(
                                filter_toggle.closable(components.filter_panel(choices)),
                                lg=3,
                                className="mb-3",
                            ),
                            dbc.Col(
                                [
                                    html.P(
                                        id=ids.DESCRIPTION,
                                        className="lead fs-6 mb-1",
                                        **{"aria-live": "polite"},
                                    ),
                                    html.Div(id=ids.NOTES),
                                    html.Div(id=ids.LINK_NOTES),
                                    downloads.download_bar(),
                                    dash.page_container,
                                ],
                                lg=9,
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


def _on_callback_error(err: Exception) -> None:
    """A callback that cannot open the database opens the banner and leaves its outputs as they
    are; any other error stays an error."""
    if not isinstance(err, runtime.UNAVAILABLE):
        raise err
    dash.set_props(ids.DB_UNAVAILABLE, {"is_open": True, "children": runtime.unavailable_text(err)})


def default_db_path(env: Mapping[str, str] | None = None) -> Path:
    """The database the ETL writes when not told (`etl/config.py`, which the dashboard does not
    import): KRATOM_DB, else `kratom.duckdb` in KRATOM_DATA_DIR, else in the repository's data/."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("KRATOM_DATA_DIR") or HERE.parent / "data")
    return Path(env.get("KRATOM_DB") or data_dir / "kratom.duckdb")


def port_number(text: str) -> int:
    """A TCP port from --port or KRATOM_PORT, or a usage error naming the value."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return port


def create_app(db_path: Path | str | None = None) -> Dash:
    """Build the Dash app over the database at `db_path` (default: `default_db_path`)."""
    runtime.configure(db_path or default_db_path())
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        external_stylesheets=[BOOTSTRAP_URL],
        suppress_callback_exceptions=True,
        title=TITLE,
        update_title=None,
        # the page router also hands each layout the raw query string and path (callbacks.py)
        routing_callback_inputs={
            callbacks.RAW_SEARCH: State(ROUTER_LOCATION, "search"),
            callbacks.RAW_PATH: State(ROUTER_LOCATION, "pathname"),
        },
        on_error=_on_callback_error,
    )
    app.server.add_url_rule(
        BOOTSTRAP_URL,
        "bootstrap_css",
        lambda: send_from_directory(BOOTSTRAP_DIR, "bootstrap.min.css", max_age=86400),
    )
    guard.install(app)
    viewport.install(app)
    app.layout = shell
    callbacks.register()
    filter_toggle.register()
    navbar.register()
    return app


def set_up_now(app: Dash) -> Dash:
    """Run Dash's first-request setup now, before the server takes any request.

    Dash registers the callbacks and the pages router in a before-request hook that marks itself
    done before doing the work. Requests arriving together at a fresh process (a gunicorn worker
    booted under traffic) could get an incomplete callback map, and if that first setup failed
    (no database yet) the process never registered its callbacks at all.
    """
    with app.server.test_request_context("/"):
        app.server.preprocess_request()
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kratom-dash", description="Serve the kratom dashboard.")
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="database file (default: KRATOM_DB, else kratom.duckdb in KRATOM_DATA_DIR, "
        "else in the repository's data/)",
    )
    parser.add_argument("--host", default=os.environ.get("KRATOM_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=port_number, default=os.environ.get("KRATOM_PORT", "8050")
    )  # argparse passes a string default through `type` too: a bad KRATOM_PORT is a usage error
    parser.add_argument(
        "--debug", action="store_true", help="Dash debug mode (never in production)"
    )
    args = parser.parse_args(argv)
    app = set_up_now(create_app(args.db))
    print(f"serving {runtime.db_path()} at http://{args.host}:{args.port}/", flush=True)
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0
