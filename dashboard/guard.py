"""The server's defences: security headers, callback requests checked before Dash reads them,
and error pages that never show a traceback.

Dash answers every callback at one URL, `/_dash-update-component`, with a JSON body naming the
callback (`output`) and carrying the values of its inputs and states. The renderer always sends
the ids and properties the callback was declared with, in that order; a body that does not
(not JSON, an unknown callback, missing or extra inputs, another component's property) is a
hand-made request and gets `400 Bad Request` before any callback runs; a body over 16 MiB gets
`413`. Pattern-matching inputs (ALL, MATCH) arrive as lists and are left to their callbacks.
The values themselves are the callbacks' business: each reads them as untrusted
(`callbacks.choice`, the filters).

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
MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a callback body (the signal grid's rows) is far smaller


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


def _is_pattern(component_id: Any) -> bool:
    """A pattern-matching id (ALL, MATCH …): its inputs arrive as lists, not checked here."""
    return isinstance(component_id, dict) or str(component_id).startswith("{")


def _matches(sent: Any, declared: list[tuple[Any, str]]) -> bool:
    """Whether a body's list names the declared (id, property) pairs, in order.

    A value may be missing (the renderer leaves out values never set); an output declared with
    allow_duplicate=True is sent as `property@<hash>`.
    """
    if not isinstance(sent, list) or len(sent) != len(declared):
        return False
    for item, (component_id, prop) in zip(sent, declared, strict=True):
        if _is_pattern(component_id):
            continue
        if not isinstance(item, dict) or item.get("id") != component_id:
            return False
        if str(item.get("property")).split("@")[0] != prop:
            return False
    return True


def callback_problem(app: Dash, body: Any) -> str | None:
    """Why a callback request body is not one the renderer would send; None when it is."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    spec = app.callback_map.get(output) if isinstance(output, str) else None
    if spec is None:
        return "no such callback"
    inputs = _declared(spec["inputs"])
    if not _matches(body.get("inputs"), inputs):
        return "the inputs are not the callback's"
    if not _matches(body.get("state", []), _declared(spec.get("state", []))):
        return "the states are not the callback's"
    outputs = body.get("outputs")
    sent = outputs if isinstance(outputs, list) else [outputs]
    if not spec.get("no_output") and not _matches(sent, _declared(spec["output"])):
        return "the outputs are not the callback's"
    changed = body.get("changedPropIds", [])
    names = {f"{i}.{p}" for i, p in inputs}
    if not isinstance(changed, list) or not (
        all(c in names for c in changed) or any(_is_pattern(i) for i, _ in inputs)
    ):
        return "changedPropIds names something that is not an input"
    if output == ROUTER_OUTPUT:
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

    if server.config.get("MAX_CONTENT_LENGTH") is None:
        server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES  # larger bodies: 413
    server.before_request(check_callback_request)
    server.after_request(security_headers)
    if not server.debug:
        server.register_error_handler(Exception, unexpected)
