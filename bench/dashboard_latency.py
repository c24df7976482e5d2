"""Time a full filter change on every dashboard page through Dash's callback endpoint.

Run: .venv/bin/python bench/dashboard_latency.py [--db PATH] [--rounds 3]
(default database: KRATOM_DB or data/kratom.duckdb; build it with `kratom-etl demo`).

A real `kratom-dash` server is started on a free loopback port. For each page and each of a set
of filter links, the bench does what the browser does after a filter change: the page router
renders the page for the new query string, then every callback fed by the page's query store
is posted at once (the browser sends them in parallel); the time until the last answer is the
"full update". It prints p50/p95/max per page, and the ratio of the overall p95 to a baseline
measured in the same run: the shell callback that only rewrites the description sentence
(Flask + Dash overhead, no database).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [str(REPO / ".venv" / "bin" / "kratom-dash"), "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/_dash-dependencies", timeout=1)
            return proc, url
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the dashboard did not start")


def output_spec(dep: dict) -> tuple[str, list]:
    outs = dep["output"]
    parts = outs.strip(".").split("...") if outs.startswith("..") else [outs]
    specs = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        specs.append({"id": ident, "property": prop})
    return outs, specs


def walk(node, found: dict) -> None:
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


def post(session: requests.Session, url: str, dep: dict, values: dict) -> float:
    outs, specs = output_spec(dep)
    inputs = [{**i, "value": values.get(i["id"], {}).get(i["property"])} for i in dep["inputs"]]
    state = [{**s, "value": values.get(s["id"], {}).get(s["property"])} for s in dep["state"]]
    body = {
        "output": outs,
        "outputs": specs if len(specs) > 1 else specs[0],
        "inputs": inputs,
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in dep["inputs"]],
        "state": state,
    }
    start = time.perf_counter()
    r = session.post(url + "/_dash-update-component", json=body, timeout=60)
    elapsed = time.perf_counter() - start
    if r.status_code not in (200, 204):
        raise SystemExit(f"{outs}: HTTP {r.status_code}: {r.text[:300]}")
    return elapsed


def render(session, url, router, path, query) -> dict:
    values = {"_pages_location": {"pathname": path, "search": f"?{query}" if query else ""}}
    outs, specs = output_spec(router)
    inputs = [{**i, "value": values.get(i["id"], {}).get(i["property"])} for i in router["inputs"]]
    state = [{**s, "value": None} for s in router["state"]]
    body = {
        "output": outs,
        "outputs": specs,
        "inputs": inputs,
        "state": state,
        "changedPropIds": ["_pages_location.search"],
    }
    r = session.post(url + "/_dash-update-component", json=body, timeout=60)
    found: dict = {}
    walk(r.json()["response"], found)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("KRATOM_DB", REPO / "data" / "kratom.duckdb")),
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no database (run `kratom-etl demo` first)")
    proc, url = start_server(args.db)
    try:
        session = requests.Session()
        deps = session.get(url + "/_dash-dependencies").json()
        router = next(d for d in deps if "_pages_content" in d["output"])
        describe = next(d for d in deps if "filters-description" in d["output"])
        pages = sorted(
            {
                d["inputs"][0]["id"][: -len("-query")]
                for d in deps
                if any(i["id"].endswith("-query") and i["property"] == "data" for i in d["inputs"])
            }
        )
        paths = {"overview": "/"} | {p: "/" + p.replace("_", "-") for p in pages if p != "overview"}
        times: dict[str, list[float]] = {p: [] for p in pages}
        baseline = []

        def post_one(dep: dict, values: dict) -> float:
            return post(requests.Session(), url, dep, values)

        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(args.rounds):
                for query in QUERIES:
                    baseline.append(post(session, url, describe, {"url": {"search": f"?{query}"}}))
                    for page in pages:
                        start = time.perf_counter()
                        values = render(session, url, router, paths[page], query)
                        page_deps = [
                            d for d in deps if any(i["id"] == f"{page}-query" for i in d["inputs"])
                        ]
                        list(pool.map(post_one, page_deps, [values] * len(page_deps)))
                        times[page].append(time.perf_counter() - start)
        print(
            f"database: {args.db} ({args.db.stat().st_size / 1e6:.0f} MB); "
            f"{len(QUERIES)} filter links x {args.rounds} rounds per page"
        )
        print(f"{'page':<16}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
        every = []
        for page, ts in times.items():
            every += ts
            q = statistics.quantiles(ts, n=20)
            p50, p95_page, worst = statistics.median(ts), q[18], max(ts)
            print(f"{page:<16}{1000 * p50:>9.0f}{1000 * p95_page:>9.0f}{1000 * worst:>9.0f}")
        p95 = statistics.quantiles(every, n=20)[18]
        b95 = statistics.quantiles(baseline, n=20)[18]
        print(json.dumps({"p95_ms": round(1000 * p95), "baseline_p95_ms": round(1000 * b95, 1)}))
        print(f"full page update p95: {1000 * p95:.0f} ms; ratio to baseline: {p95 / b95:.1f}")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
