"""Which window the figures are drawn for: a phone's (under 600 px) or a wider one.

The server cannot see the window, so the browser says: `assets/viewport.js` keeps a cookie,
`kratom_phone=1` under 600 px and `0` from 600 px, set before Dash's first request and again when
the window crosses 600 px. Before each request the server reads it into `figures.window.set_phone`,
and the shared figure helpers lay out that request's figures for a 360 px window (subtitles and
panel titles wrapped, year labels thinned, legends' rows counted: `dashboard/figures`). Any
other value, or none (a script, a browser without JavaScript), means a wide window. Figures
already drawn stay as they are until their page draws them again.
"""

from __future__ import annotations

from dash import Dash
from flask import request

from dashboard.figures import window

COOKIE = "kratom_phone"


def install(app: Dash) -> None:
    """Read the cookie before every request of `app`'s server."""

    @app.server.before_request
    def _window() -> None:
        window.set_phone(request.cookies.get(COOKIE) == "1")
