"""The server's defences: security headers, callback requests checked before Dash reads them,
and error pages that never show a traceback.

Dash answers every callback at one URL, `/_dash-update-component`, with a JSON body naming the
callback (`output`) and carrying the values of its inputs and states. The renderer always sends
the ids and properties the callback was declared with, in that order; a body that does not
(not JSON, an unknown callback, missing or extra inputs, another component's property) is a
hand-made request and gets `400 Bad Request` before any callback runs. The values themselves
are the callbacks' business: each reads them as untrusted (`callbacks.choice`, the filters).

Unexpected errors are logged with their traceback on the server and answered with a plain
`500 Internal Server Error` that names nothing (`debug=True` in `kratom-dash --debug` keeps
Dash's own error pages for development).
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash
from flask import Response, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CALLBACK_PATH = "_dash-update-component"
ROUTER_OUTPUT = ".._pages_content.children..._pages_store.data.."  # Dash's page router
ROUTER_TEXT_INPUTS = ("_pages_location.pathname", "_pages_location.search")


def security_headers(response: Response) -> Response:
    """Conservative headers on every response (no CSP: Dash's renderer needs inline scripts)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _plain(status: int, text: str) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def _declared(items: Any) -> list[tuple[Any, str]]:
    """(id, property) of each Input, State or Output a callback was declared with."""
    items = items if isinstance(items, list) else [items]
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((item.get("id"), item.get("property")))
        else:  # dash.dependencies.Output
            out.append((item.component_id, item.component_property))
    return out


def _sent(items: Any) -> list[tuple[Any, str]] | None:
    """(id, property) of each item of a request body list, or None when it is malformed.

    A value may be missing: the renderer leaves out values never set.
    """
    if not isinstance(items, list):
        return None
    out = []
    for item in items:
        if not isinstance(item, dict) or "id" not in item or "property" not in item:
            return None
        out.append((item["id"], item["property"]))
    return out


def callback_problem(app: Dash, body: Any) -> str | None:
    """Why a callback request body is not one the renderer would send; None when it is."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    spec = app.callback_map.get(body.get("output")) if isinstance(body.get("output"), str) else None
    if spec is None:
        return "no such callback"
    if _sent(body.get("inputs")) != _declared(spec["inputs"]):
        return "the inputs are not the callback's"
    if _sent(body.get("state", [])) != _declared(spec.get("state", [])):
        return "the states are not the callback's"
    outputs = body.get("outputs")
    if not spec.get("no_output"):
        sent = _sent(outputs if isinstance(outputs, list) else [outputs])
        # an output with allow_duplicate=True is sent as `property@<hash>`
        sent = sent and [(i, p.split("@")[0] if isinstance(p, str) else p) for i, p in sent]
        if sent != _declared(spec["output"]):
            return "the outputs are not the callback's"
    changed = body.get("changedPropIds", [])
    names = {f"{i}.{p}" for i, p in _declared(spec["inputs"])}
    if not isinstance(changed, list) or not all(c in names for c in changed):
        return "changedPropIds names something that is not an input"
    if body["output"] == ROUTER_OUTPUT:
        values = {f"{i['id']}.{i['property']}": i.get("value") for i in body["inputs"]}
        if any(not isinstance(values.get(k), str | None) for k in ROUTER_TEXT_INPUTS):
            return "the location is not text"
    return None


def install(app: Dash) -> None:
    """Add the headers, the callback request check and the error pages to `app`'s server."""
    server = app.server
    path = app.config.routes_pathname_prefix + CALLBACK_PATH

    def check_callback_request() -> Response | None:
        if request.path != path or request.method != "POST":
            return None
        problem = callback_problem(app, request.get_json(silent=True))
        if problem:
            log.warning("refused a callback request: %s", problem)
            return _plain(400, f"Bad Request: {problem}.")
        return None

    def unexpected(error: Exception) -> Response:
        if isinstance(error, HTTPException):
            return error  # 404, 405, 400 …: Werkzeug's short pages, no traceback
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _plain(500, "Internal Server Error: the error was logged on the server.")

    server.before_request(check_callback_request)
    server.after_request(security_headers)
    if not server.debug:
        server.register_error_handler(Exception, unexpected)
