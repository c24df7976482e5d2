"""Time a full filter change on every dashboard page through Dash's callback endpoint.

Run: .venv/bin/python bench/dashboard_latency.py [--db PATH] [--rounds 3] [--code DIR]
(default database: KRATOM_DB or data/kratom.duckdb; build it with `kratom-etl demo`; `--code`
serves the dashboard of another checkout, e.g. `git archive main` unpacked, for a before/after
pair in one session).

A real `kratom-dash` server is started on a free loopback port. For each page and each of a set
of filter links, the bench does what the browser does after a filter change: the page router
renders the page for the new query string, then every callback fed by the page's query store
is posted at once (the browser sends them in parallel); the time until the last answer is the
"full update". It prints p50/p95/max per page, and the ratio of the overall p95 to a baseline
measured in the same run: the shell callback that only rewrites the description sentence
(Flask + Dash overhead, no database). The "shell" row is the shell's own update for each link:
every callback fed by the URL (the filter panel, the sentence and notes, the link checks of
dashboard/link_checks.py), posted at once on each page's path.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from dash_client import QUERIES, REPO, App, CallbackFailed, free_port, post, wait_ready


def start_server(db: Path, code: Path = REPO) -> tuple[subprocess.Popen, str]:
    """`kratom-dash` over `db`, serving the dashboard package of the checkout `code`."""
    port = free_port()
    serve = "from dashboard.app import main; main()"
    cmd = [sys.executable, "-c", serve, "--db", str(db.resolve()), "--port", str(port)]
    proc = subprocess.Popen(cmd, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url, lambda: proc.poll() is None, seconds=20)
    except SystemExit:
        proc.kill()
        raise
    return proc, url


def timed_post(session: requests.Session, url: str, dep: dict, values: dict) -> float:
    start = time.perf_counter()
    try:
        post(session, url, dep, values)
    except CallbackFailed as exc:
        raise SystemExit(str(exc)) from None
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("KRATOM_DB", REPO / "data" / "kratom.duckdb")),
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--code", type=Path, default=REPO, help="checkout whose dashboard to serve")
    args = parser.parse_args(argv)
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no database (run `kratom-etl demo` first)")
    proc, url = start_server(args.db, args.code)
    try:
        session = requests.Session()
        app = App.from_server(session, url)
        pages = list(app.pages)
        describe = next(d for d in app.shell if "filters-description" in d["output"])
        times: dict[str, list[float]] = {p: [] for p in pages}
        baseline, shell = [], []

        def post_one(dep: dict, values: dict) -> float:
            return timed_post(requests.Session(), url, dep, values)

        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(args.rounds):
                for query in QUERIES:
                    search = {"url": {"search": f"?{query}"}}
                    baseline.append(timed_post(session, url, describe, search))
                    for page in pages:
                        where = {
                            "url": {
                                "search": f"?{query}" if query else "",
                                "pathname": app.paths[page],
                            }
                        }
                        start = time.perf_counter()
                        list(pool.map(post_one, app.shell, [where] * len(app.shell)))
                        shell.append(time.perf_counter() - start)
                        start = time.perf_counter()
                        values = app.render(session, url, app.paths[page], query)
                        page_deps = app.pages[page]
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
        q = statistics.quantiles(shell, n=20)
        p50, p95_shell, worst = statistics.median(shell), q[18], max(shell)
        print(f"{'shell':<16}{1000 * p50:>9.0f}{1000 * p95_shell:>9.0f}{1000 * worst:>9.0f}")
        p95 = statistics.quantiles(every, n=20)[18]
        b95 = statistics.quantiles(baseline, n=20)[18]
        summary = {"p95_ms": round(1000 * p95), "baseline_p95_ms": round(1000 * b95, 1)}
        print(json.dumps(summary | {"shell_p95_ms": round(1000 * p95_shell, 1)}))
        print(f"full page update p95: {1000 * p95:.0f} ms; ratio to baseline: {p95 / b95:.1f}")
    finally:
        proc.terminate()
        proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
