"""Post Dash callbacks to a running dashboard the way the browser does (shared by the benches).

After a filter change the browser posts, at once, the page router (`_pages_content`, which
renders the page for the new query string) and the shell's callbacks fed by `url.search` (the
filter panel and the description sentence); when the router answers, every callback fed by the
page's query store (`<page>-query`) is posted in parallel. `App.from_server` reads that map
from `/_dash-dependencies`; `payload` builds a request body from component values.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[1]
UPDATE = "/_dash-update-component"
# A fixed set of filter links: every filter kind, alone and combined.
QUERIES = [
    "",
    "role=suspect",
    "role=primary&serious=true",
    "sex=F",
    "sex=M&age=18-64",
    "from=2018Q1&to=2022Q4",
    "kratom_only=true",
    "kratom_only=false&class=opioids",
    "event_group=death",
    "event_group=dependence_withdrawal&event_group=seizure",
    "outcome=death&outcome=hospitalisation",
    "product=concentrate_7oh",
    "date=event&from=2020Q1",
    "reporter=consumer",
    "class=benzodiazepines&sex=M",
    "pt=Seizure",
    "substance=fentanyl",
    "country=US",
]


class CallbackFailed(RuntimeError):
    """A callback answered with an HTTP error or without a Dash response."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, alive, seconds: float = 120.0) -> None:
    """Wait until `url` serves the callback map; `alive()` False means the server died."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive():
            raise SystemExit("the dashboard server exited while starting")
        try:
            if requests.get(url + "/_dash-dependencies", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the dashboard at {url} was not ready after {seconds:.0f} s")


def output_spec(dep: dict) -> tuple[str, list]:
    outs = dep["output"]
    parts = outs.strip(".").split("...") if outs.startswith("..") else [outs]
    specs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        specs.append({"id": ident, "property": prop})
    return outs, specs


def walk(node: Any, found: dict) -> None:
    """Collect every component's props by id from a serialised Dash layout."""
    if isinstance(node, list):
        for child in node:
            walk(child, found)
    elif isinstance(node, dict) and "props" in node:
        props = node["props"]
        if isinstance(props.get("id"), str):
            found[props["id"]] = props
        for value in props.values():
            walk(value, found)
    elif isinstance(node, dict):  # the callback response: {output id: {prop: value}}
        for value in node.values():
            walk(value, found)


def payload(dep: dict, values: dict, changed: list[str] | None = None) -> dict:
    """The body of one callback request; `values` is {component id: {property: value}}."""
    outs, specs = output_spec(dep)

    def filled(items: list[dict]) -> list[dict]:
        return [{**i, "value": values.get(i["id"], {}).get(i["property"])} for i in items]

    return {
        "output": outs,
        "outputs": specs if outs.startswith("..") else specs[0],
        "inputs": filled(dep["inputs"]),
        "changedPropIds": changed or [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
        "state": filled(dep["state"]),
    }


def response_of(r: requests.Response, what: str) -> dict:
    """The `response` of a callback answer (empty for 204 PreventUpdate); else CallbackFailed."""
    if r.status_code == 204:
        return {}
    if r.status_code != 200:
        raise CallbackFailed(f"{what}: HTTP {r.status_code}: {r.text[:200]}")
    try:
        body = r.json()
    except ValueError:
        raise CallbackFailed(f"{what}: not JSON: {r.text[:200]}") from None
    if not isinstance(body, dict) or "response" not in body:
        raise CallbackFailed(f"{what}: no Dash response: {r.text[:200]}")
    return body["response"]


def post(session: requests.Session, url: str, dep: dict, values: dict, **kw: Any) -> dict:
    """Post one callback; its `response` (raises CallbackFailed)."""
    r = session.post(url + UPDATE, json=payload(dep, values, kw.get("changed")), timeout=120)
    return response_of(r, dep["output"][:60])


def location(path: str, query: str) -> dict:
    search = f"?{query}" if query else ""
    return {"_pages_location": {"pathname": path, "search": search}, "url": {"search": search}}


@dataclass(frozen=True)
class App:
    """The dashboard's callback map, as the browser reads it from `/_dash-dependencies`."""

    router: dict
    shell: list[dict]  # fed by url.search: the filter panel and the description sentence
    pages: dict[str, list[dict]]  # page -> the callbacks fed by its query store
    paths: dict[str, str]  # page -> path
    extras: dict[str, dict]  # download, cases-grid rows

    @classmethod
    def from_server(cls, session: requests.Session, url: str) -> App:
        deps = session.get(url + "/_dash-dependencies", timeout=30).json()
        router = next(d for d in deps if "_pages_content" in d["output"])
        shell = [
            d
            for d in deps
            if any(i["id"] == "url" and i["property"] == "search" for i in d["inputs"])
        ]
        pages: dict[str, list[dict]] = {}
        for d in deps:
            for i in d["inputs"]:
                if i["id"].endswith("-query") and i["property"] == "data":
                    pages.setdefault(i["id"][: -len("-query")], []).append(d)
                    break
        paths = {p: "/" if p == "overview" else "/" + p.replace("_", "-") for p in sorted(pages)}
        extras = {
            "download": next(d for d in deps if "download-extract.data" in d["output"]),
            "cases_rows": next(d for d in deps if d["output"] == "cases-grid.getRowsResponse"),
        }
        return cls(router, shell, dict(sorted(pages.items())), paths, extras)

    def render(self, session: requests.Session, url: str, path: str, query: str) -> dict:
        """Post the router for `path?query`; every rendered component's props by id."""
        values = location(path, query)
        changed = ["_pages_location.pathname", "_pages_location.search"]
        found: dict = {}
        walk(post(session, url, self.router, values, changed=changed), found)
        return found
