"""Dashboard measurements on one database, for bench/full_history.py.

- latency: bench/dashboard_latency.py in a child (every page's full update, p95 per page);
- cold start: from launching `kratom-dash` to the overview page fully served (the HTML, layout,
  callback list, the page router's render and every overview callback answered);
- extract of every kratom case (no filter) as CSV and as Parquet, two ways: the download
  button's callback on a running server (what a user waits for: the goal's number), and
  `kratom-etl export --query ''` end to end (a new Python process: imports included).
The OS file cache is warm (the bench does not drop caches on a shared machine).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from dash_client import App, free_port, post  # bench/ is on sys.path

BIN = Path(sys.executable).parent
LATENCY = Path(__file__).resolve().parent / "dashboard_latency.py"
PAGE_LINE = re.compile(r"^([\w-]+)\s+(\d+)\s+(\d+)\s+(\d+)$")


def latency(db: Path, rounds: int) -> dict[str, float]:
    """p95 ms per page, and "_all" (every page's updates together) and "_baseline"."""
    cmd = [sys.executable, str(LATENCY), "--db", str(db), "--rounds", str(rounds)]
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)  # fmt: skip
    out, err = child.communicate()
    with contextlib.suppress(ProcessLookupError):  # a server the child left behind, if any
        os.killpg(child.pid, signal.SIGTERM)
    if child.returncode != 0:
        raise SystemExit(f"dashboard_latency.py failed on {db}:\n{err[-2000:]}")
    p95 = {
        m.group(1): float(m.group(3)) for line in out.splitlines() if (m := PAGE_LINE.match(line))
    }
    summary = json.loads(next(line for line in out.splitlines() if line.startswith("{")))
    return p95 | {"_all": summary["p95_ms"], "_baseline": summary["baseline_p95_ms"]}


@contextlib.contextmanager
def server(db: Path) -> Iterator[tuple[str, float]]:
    """A `kratom-dash` on a free port: (url, seconds from launch until `/` answered 200)."""
    url = f"http://127.0.0.1:{free_port()}"
    started = time.perf_counter()
    cmd = [str(BIN / "kratom-dash"), "--db", str(db), "--port", url.rsplit(":", 1)[1]]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                if requests.get(url + "/", timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if proc.poll() is not None or time.perf_counter() - started > 180:
                raise SystemExit(f"kratom-dash did not start on {db}")
            time.sleep(0.02)
        yield url, time.perf_counter() - started
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def cold_start_s(db: Path) -> float:
    """Seconds from launching kratom-dash to the overview page fully served, once."""
    started = time.perf_counter()
    with server(db) as (url, _):
        session = requests.Session()
        session.get(url + "/_dash-layout", timeout=60).raise_for_status()
        app = App.from_server(session, url)
        values = app.render(session, url, "/", "")
        page_deps = app.pages["overview"]
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda d: post(requests.Session(), url, d, values), page_deps))
        return time.perf_counter() - started


def download_s(db: Path, fmt: str, repeats: int) -> tuple[float, int]:
    """Median seconds of the download button's callback for `fmt` on one server, and the bytes."""
    with server(db) as (url, _):
        deps = requests.get(url + "/_dash-dependencies", timeout=60).json()
        dep = next(d for d in deps if "download-extract.data" in d["output"])
        button = f"download-{fmt}"
        body = {
            "output": dep["output"],
            "outputs": [{"id": o.rsplit(".", 1)[0], "property": o.rsplit(".", 1)[1]}
                        for o in dep["output"].strip(".").split("...")],
            "inputs": [{**i, "value": 1 if i["id"] == button else None} for i in dep["inputs"]],
            "state": [{**s, "value": "/" if s["property"] == "pathname" else ""}
                      for s in dep["state"]],
            "changedPropIds": [f"{button}.n_clicks"],
        }  # fmt: skip
        times, size = [], 0
        for _ in range(repeats):
            started = time.perf_counter()
            r = requests.post(url + "/_dash-update-component", json=body, timeout=120)
            times.append(time.perf_counter() - started)
            r.raise_for_status()
            size = len(r.content)
        return statistics.median(times), size


def export_s(db: Path, fmt: str) -> tuple[float, int]:
    """Seconds for `kratom-etl export` of every kratom case (no filter), and the file's bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"every_kratom_case.{fmt}.zip"
        cmd = [str(BIN / "kratom-etl"), "export", "--db", str(db), "--query", "",
               "--format", fmt, "-o", str(out)]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, text=True, check=True)
        return time.perf_counter() - started, out.stat().st_size


def measure(db: Path, *, rounds: int, repeats: int = 3) -> dict:
    """Every dashboard measurement on `db` (medians of `repeats` runs where timed once)."""
    result = {"latency": latency(db, rounds)}
    result["cold_start_s"] = statistics.median(cold_start_s(db) for _ in range(repeats))
    for fmt in ("csv", "parquet"):
        result[f"download_{fmt}_s"], result[f"download_{fmt}_bytes"] = download_s(db, fmt, repeats)
        runs = [export_s(db, fmt) for _ in range(repeats)]
        result[f"export_{fmt}_s"] = statistics.median(s for s, _ in runs)
        result[f"export_{fmt}_bytes"] = runs[0][1]
    return result
