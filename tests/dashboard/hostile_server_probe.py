"""Hostile requests against the real WSGI app, in a process of its own (see test_hostile_server).

`KRATOM_DB=<file> python -m tests.dashboard.hostile_server_probe` imports `dashboard.wsgi`, sends
every request through Flask's test client and prints one JSON document: a record per request
(group, name, what was asked, status, and the problem found or null), and the server defaults.

A process of its own because a Dash app takes Dash's global callback list at its first request:
serving one inside the pytest process would leave later apps (the browser tests') without the
shell's callbacks.
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from typing import Any

from dashboard.filters import Filters
from tests.hostile_values import CONTROL_VALUES, QUERIES

PATHS = {  # page path -> the id prefix of its components
    "/": "overview",
    "/latest": "latest",
    "/events": "events",
    "/coexposures": "coexposures",
    "/trends": "trends",
    "/indications": "indications",
    "/signals": "signals",
    "/cases": "cases",
    "/poison-centers": "poison-centers",
    "/about": "about",
    "/case/900001": None,
    "/no-such-page": None,
}
CASE_IDS = {  # name -> (path after /case/, text the page must show)
    "valid": ("900001", "Case 900001"),
    "deleted": ("900003", "Case 900003 is not counted"),
    "unknown": ("123", "No such case: 123 is not in the database."),
    "letters": ("abc", "'abc' is not a case number"),
    "negative": ("-1", "No such case: -1 is not in the database."),  # openFDA ids can be < 0
    "double_minus": ("--1", "'--1' is not a case number"),
    "decimal": ("1.5", "'1.5' is not a case number"),
    "over_bigint": ("9" * 20, "is not a case number"),
    "huge": ("9" * 100_000, "is not a case number"),
    "sql": ("900001%27%20OR%201%3D1--", "is not a case number"),
    "nul": ("900001%00", "is not a case number"),
    "fullwidth_digits": ("%EF%BC%99%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%90%EF%BC%91", "not a case"),
    "nested": ("900001/extra", "is not a case number"),
    "query_cannot_override": ("900001?case_id=abc&case_id=1", "Case 900001"),
}
DROP = "case_id; DROP TABLE model.cases --"
GRID_REQUESTS = {  # name -> (the grid's getRowsRequest, case ids the page must hold, in order)
    "sort_not_allowed": (
        {"startRow": 0, "sortModel": [{"colId": DROP, "sort": "asc"}]},
        [900006, 900005, 900001],
    ),  # the default: newest received first
    "sort_direction": (
        {"sortModel": [{"colId": "case_id", "sort": DROP}]},
        [900001, 900005, 900006],
    ),  # not "desc", so ascending
    "negative_row": ({"startRow": -5}, [900006, 900005, 900001]),
    "huge_row": ({"startRow": 10**30}, []),
    "text_row": ({"startRow": "abc"}, [900006, 900005, 900001]),
    "float_row": ({"startRow": 1e308}, []),
    "sort_model_text": ({"sortModel": DROP}, [900006, 900005, 900001]),
    "sort_model_numbers": ({"sortModel": [1, 2]}, [900006, 900005, 900001]),
    "sort_types": (
        {"sortModel": [{"colId": ["case_id"], "sort": {"a": 1}}]},
        [900006, 900005, 900001],
    ),
}
TRACEBACK_MARKERS = (
    "Traceback (most recent call last)",
    'File "/',
    '.py", line ',
    "Werkzeug Debugger",
)
HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)
ROUTER = ".._pages_content.children..._pages_store.data.."
CALLBACK_URL = "/_dash-update-component"


def outputs_of(output: str) -> Any:
    """The `outputs` the renderer sends for a callback's output key (`search@<hash>` for an
    output with allow_duplicate=True, as the renderer sends it)."""
    if output.startswith(".."):
        parts = output[2:-2].split("...")
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    cid, prop = output.rsplit(".", 1)
    return {"id": cid, "property": prop}


def body(dep: dict, values: dict[str, Any], changed: list[str] | None = None) -> dict:
    """A callback request as the renderer sends it; `values` by 'id.property' (default None)."""

    def items(specs: list[dict]) -> list[dict]:
        return [{**s, "value": values.get(f"{s['id']}.{s['property']}")} for s in specs]

    inputs = dep["inputs"]
    return {
        "output": dep["output"],
        "outputs": outputs_of(dep["output"]),
        "inputs": items(inputs),
        "state": items(dep["state"]),
        "changedPropIds": changed
        if changed is not None
        else [f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }


def query_values(dep: dict, query: str, control: Any) -> dict[str, Any]:
    """Each input of a callback: the query where a query goes, `control` everywhere else."""
    values = {}
    for spec in dep["inputs"] + dep["state"]:
        key = f"{spec['id']}.{spec['property']}"
        if spec["property"] == "search":
            values[key] = "?" + query
        elif spec["property"] == "pathname":
            values[key] = "/cases"
        elif spec["id"].endswith("-query"):
            values[key] = query
        else:
            values[key] = control
    return values


def reads_only_the_store(dep: dict) -> bool:
    """Whether a callback reads a page's query Store and not the URL."""
    names = [s["id"] + "." + s["property"] for s in dep["inputs"] + dep["state"]]
    return any(n.endswith("-query.data") for n in names) and "url.search" not in names


def find_store(tree: Any) -> Any:
    """The data of the first `*-query` Store in a rendered layout (JSON), else None."""
    if isinstance(tree, dict):
        props = tree.get("props") or {}
        if tree.get("type") == "Store" and str(props.get("id", "")).endswith("-query"):
            return props.get("data")
        return next((d for v in tree.values() if (d := find_store(v)) is not None), None)
    if isinstance(tree, list):
        return next((d for v in tree if (d := find_store(v)) is not None), None)
    return None


class Probe:
    def __init__(self, client) -> None:
        self.client = client
        self.records: list[dict] = []
        self.deps = {d["output"]: d for d in client.get("/_dash-dependencies").get_json()}
        self.deps = {k: d for k, d in self.deps.items() if not d.get("clientside_function")}

    def check(self, group: str, name: str, target: str, response, ok=(200, 204), extra=None):
        text = response.get_data(as_text=True)
        problem = None
        if response.status_code not in ok:
            problem = f"status {response.status_code}: {text[:300]}"
        elif any(m in text for m in TRACEBACK_MARKERS):
            problem = f"traceback text in the body: {text[:300]}"
        elif missing := [h for h in HEADERS if h not in response.headers]:
            problem = f"missing headers {missing}"
        elif extra:
            problem = extra(response)
        self.records.append(
            {
                "group": group,
                "name": name,
                "target": target[:120],
                "status": response.status_code,
                "problem": problem,
            }
        )

    def post(self, payload: Any, **kwargs):
        if isinstance(payload, bytes | str):
            return self.client.post(CALLBACK_URL, data=payload, content_type="application/json")
        return self.client.post(CALLBACK_URL, json=payload, **kwargs)

    def routes(self) -> None:
        """Every page rendered by the router with every hostile query; the page frame (GET) with
        every query on `/` and with one on every path (Dash serves the same frame for each)."""
        router = self.deps[ROUTER]
        for name, query in QUERIES.items():
            _, notes = Filters.from_query(query)
            for path, prefix in PATHS.items():
                if path == "/" or name == "sql_in_every_key":  # the same page frame for all
                    self.check("route", name, f"GET {path}", self.client.get(f"{path}?{query}"))
                search = "?" + query.removeprefix("?")
                values = {"_pages_location.pathname": path, "_pages_location.search": search}

                def store_holds_the_raw_query(response, query=query, prefix=prefix):
                    if prefix is None:
                        return None
                    data = find_store(response.get_json())
                    want = query.removeprefix("?")
                    return None if data == want else f"the page's Store holds {str(data)[:80]!r}"

                self.check(
                    "route",
                    name,
                    f"router {path}",
                    self.post(body(router, values)),
                    ok=(200,),
                    extra=store_holds_the_raw_query,
                )
            self.describe(name, query, bool(notes))

    def describe(self, name: str, query: str, has_notes: bool) -> None:
        """The shell's sentence: the notes box is shown exactly when something was ignored."""
        dep = next(d for k, d in self.deps.items() if "filters-notes.children" in k)

        def notes_shown(response):
            shown = "Some link parameters were ignored" in response.get_data(as_text=True)
            return None if shown == has_notes else f"notes shown: {shown}, expected {has_notes}"

        values = {"url.search": "?" + query.removeprefix("?")}
        self.check("route", name, "describe", self.post(body(dep, values)), extra=notes_shown)

    def callbacks(self) -> None:
        """Every server callback with every hostile query (controls unset, as on first load).

        A page's data callbacks read their query Store only through `Filters.from_query`, so a
        query giving the same Filters as an earlier one is not posted to them again (the shell's
        callbacks, which read the URL itself, get every query).
        """
        seen: set[Filters] = set()
        for name, query in QUERIES.items():
            f = Filters.from_query(query)[0]
            fresh = f not in seen
            seen.add(f)
            for output, dep in self.deps.items():
                if output == ROUTER or (reads_only_the_store(dep) and not fresh):
                    continue
                values = query_values(dep, query, None)
                self.check("callback", name, output, self.post(body(dep, values)))

    def controls(self) -> None:
        """Every server callback with one hostile value in every input, the query's included."""
        for name, control in CONTROL_VALUES.items():
            for output, dep in self.deps.items():
                if output == ROUTER:
                    continue
                every = {
                    f"{s['id']}.{s['property']}": control for s in dep["inputs"] + dep["state"]
                }
                self.check("control", name, output, self.post(body(dep, every)))

    def grid(self) -> None:
        """The case table's page requests with sort columns off the allow-list and odd rows."""
        dep = self.deps["cases-grid.getRowsResponse"]
        for name, (request, want) in GRID_REQUESTS.items():

            def holds(response, want=want):
                page = response.get_json()["response"]["cases-grid"]["getRowsResponse"]
                got = [row["case_id"] for row in page["rowData"]]
                return None if got == want and page["rowCount"] == 3 else f"rows {got}"

            values = {"cases-grid.getRowsRequest": request, "cases-query.data": ""}
            self.check("grid", name, "cases-grid", self.post(body(dep, values)), (200,), holds)

    def cases(self) -> None:
        router = self.deps[ROUTER]
        for name, (tail, text) in CASE_IDS.items():
            path, _, search = f"/case/{tail}".partition("?")

            def shows(response, text=text):
                return None if text in response.get_data(as_text=True) else f"no {text!r}"

            values = {"_pages_location.pathname": path, "_pages_location.search": f"?{search}"}
            self.check(
                "case",
                name,
                f"router {path[:60]}",
                self.post(body(router, values)),
                ok=(200,),
                extra=shows,
            )
            self.check("case", name, f"GET {path[:60]}", self.client.get(f"/case/{tail}"))

    def malformed(self) -> None:
        """Requests the renderer never sends: refused with 400 before any callback runs."""
        dep = self.deps[next(k for k in self.deps if k.startswith("cases-count"))]
        good = body(dep, {"cases-query.data": "sex=F"})
        router = body(self.deps[ROUTER], {"_pages_location.pathname": {"a": 1}})
        cases = {
            "not_json": b"{not json",
            "json_array": [1, 2, 3],
            "json_string": '"x"',
            "huge_number": b'{"output": ' + b"9" * 5000 + b"}",
            "unknown_output": {**good, "output": "nothing.children"},
            "output_not_text": {**good, "output": ["cases-count.children"]},
            "no_inputs": {k: v for k, v in good.items() if k != "inputs"},
            "extra_input": {**good, "inputs": [*good["inputs"], {"id": "x", "property": "y"}]},
            "other_input": {**good, "inputs": [{"id": "f-role", "property": "value"}]},
            "inputs_not_list": {**good, "inputs": {"id": "cases-query"}},
            "wrong_outputs": {**good, "outputs": {"id": "url", "property": "search"}},
            "changed_unknown": {**good, "changedPropIds": ["url.search"]},
            "router_location_not_text": router,
        }
        for name, payload in cases.items():
            self.check("malformed", name, name, self.post(payload), ok=(400,))
        too_big = b'{"output": "' + b"x" * (17 * 1024 * 1024) + b'"}'
        self.check("malformed", "too_big", "17 MiB body", self.post(too_big), ok=(413,))
        # a GET is not a callback: Dash's page route answers it with the app's page
        self.check("malformed", "get", "GET", self.client.get(CALLBACK_URL), ok=(200, 405))
        self.check("malformed", "good", "control", self.post(good), ok=(200,))

    def error_page(self) -> None:
        def hides_the_detail(response):
            return "the detail is shown" if "secret" in response.get_data(as_text=True) else None

        response = self.client.get("/_probe/boom")
        self.check("error", "boom", "GET /_probe/boom", response, ok=(500,), extra=hides_the_detail)


def defaults() -> dict[str, Any]:
    """What `kratom-dash` binds and whether debug is on, without serving."""
    from dash import Dash

    from dashboard import app as dash_app

    seen: dict[str, Any] = {}
    Dash.run = lambda self, **kwargs: seen.update(kwargs)  # type: ignore[method-assign]
    with contextlib.redirect_stdout(sys.stderr):  # main() says where it serves
        dash_app.main([])
    return seen


# Text of the hostile values that no SQL statement may contain (values travel as parameters).
MARKERS = (
    "1=1",
    "DROP TABLE",
    "UNION SELECT",
    "__proto__",
    "9999Q9",
    "\u202e",
    "A" * 50,
    "utm_source",
    "%ZZ",
    "\U0001f48a",
    "sideways",
)


def record_sql() -> list[str]:
    """Every SQL text the DB door runs from now on (`Database.query` and `.scalar`)."""
    from dashboard.db import Database

    seen: list[str] = []
    for name in ("query", "scalar"):
        original = getattr(Database, name)

        def recorded(self, sql, params=(), _original=original):
            seen.append(sql)
            return _original(self, sql, params)

        setattr(Database, name, recorded)
    return seen


def main() -> None:
    sql = record_sql()
    from dashboard.wsgi import server

    def boom():
        raise RuntimeError("secret detail of a failure")

    server.add_url_rule("/_probe/boom", "probe_boom", boom)
    probe = Probe(server.test_client())
    seconds = {}
    for step in (
        probe.grid,
        probe.malformed,
        probe.error_page,
        probe.routes,
        probe.callbacks,
        probe.controls,
        probe.cases,
    ):
        start = time.perf_counter()
        step()
        seconds[step.__name__] = round(time.perf_counter() - start, 2)
    leaks = sorted({t for t in sql if any(m in t for m in MARKERS)})
    out = {"records": probe.records, "debug": server.debug, "seconds": seconds}
    out |= {"sql_count": len(sql), "sql_with_hostile_text": leaks, "run": defaults()}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
