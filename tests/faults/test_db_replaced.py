"""The database file is swapped, deleted or replaced with garbage under a reading dashboard.

Swaps use the ETL's own `etl.db.build_then_swap`. Readers must only ever see a whole database,
the old or the new one, and new queries see the new file once it is in place. A missing or
unreadable file gives the visitor a plain "database unavailable" banner (never an error page),
and the dashboard recovers by itself when a good file comes back.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import requests

from dashboard import ids
from dashboard.db import Database
from etl import db as etl_db
from tests.faults.helpers import REPO

SWAPS = 30
READERS = 2


def write_version(live: Path, v: int) -> None:
    """Build version `v` beside `live` and swap it in: t1 holds 1000 + v rows, t2 one, all `v`."""
    with etl_db.build_then_swap(live) as con:
        con.execute(
            "CREATE TABLE t1 AS SELECT ?::INTEGER AS v, range AS i FROM range(?)", [v, 1000 + v]
        )
        con.execute("CREATE TABLE t2 AS SELECT ?::INTEGER AS v", [v])


def test_door_readers_see_whole_old_or_new_files_while_swaps_replace_them(tmp_path: Path) -> None:
    live = tmp_path / "kratom.duckdb"
    write_version(live, 0)
    door = Database(live)
    stop = threading.Event()
    seen: list[list[int]] = [[] for _ in range(READERS)]
    errors: list[BaseException] = []

    def read(k: int) -> None:
        sql = "SELECT min(v), max(v), count(*), sum(i), (SELECT min(v) FROM t2) FROM t1"
        while not stop.is_set():
            try:
                low, high, n, total, other = door.query(sql).row(0)
            except BaseException as exc:  # any error a page would show
                errors.append(exc)
                return
            # one file, whole: every row and both tables of the same version
            assert low == high == other and n == 1000 + low and total == n * (n - 1) // 2
            seen[k].append(low)

    threads = [threading.Thread(target=read, args=(k,), daemon=True) for k in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        for v in range(1, SWAPS + 1):
            # swap only once every reader has read the current version, so swaps meet reads
            while not errors and any(not s or s[-1] != v - 1 for s in seen):
                time.sleep(0.001)
            write_version(live, v)
            assert door.scalar("SELECT min(v) FROM t1") == v  # new queries see the new file
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert errors == []
    for versions in seen:
        assert versions == sorted(versions)  # never back to an older file
        assert set(versions) >= set(range(SWAPS))


# --- a real dashboard server ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dashboard_url(tmp_path: Path, model_db: Path) -> Iterator[str]:
    """`kratom-dash` serving a copy of the model fixture database at tmp_path/kratom.duckdb."""
    live = tmp_path / "kratom.duckdb"
    shutil.copyfile(model_db, live)
    port = free_port()
    log = open(tmp_path / "dashboard.log", "w")  # noqa: SIM115 - closed below
    serve = "from dashboard.app import main; main()"
    proc = subprocess.Popen(
        [sys.executable, "-c", serve, "--db", str(live), "--port", str(port)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(url + "/_dash-dependencies", timeout=10)
                break
            except requests.ConnectionError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    said = (tmp_path / "dashboard.log").read_text()
                    pytest.fail(f"the dashboard did not start: {said}")
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def overview_request(url: str) -> dict:
    """The body of the Overview page's callback (headlines and charts) for the default filters."""
    deps = requests.get(url + "/_dash-dependencies", timeout=30).json()
    dep = next(d for d in deps if "overview-n-cases.children" in d["output"])
    outputs = [o.rsplit(".", 1) for o in dep["output"].strip(".").split("...")]
    return {
        "output": dep["output"],
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": [{"id": "overview-query", "property": "data", "value": ""}],
        "changedPropIds": ["overview-query.data"],
        "state": [],
    }


def find(component: object, wanted: str) -> dict | None:
    """The props of the component with id `wanted` in a /_dash-layout tree."""
    if isinstance(component, list):
        return next((p for c in component if (p := find(c, wanted)) is not None), None)
    if not isinstance(component, dict):
        return None
    props = component.get("props", {})
    if props.get("id") == wanted:
        return props
    return find(props.get("children"), wanted)


def banner(url: str) -> dict:
    """What a fresh page load shows in the "database unavailable" banner."""
    page = requests.get(url + "/_dash-layout", timeout=60)
    assert page.status_code == 200, page.text
    return find(page.json(), ids.DB_UNAVAILABLE)


def swap_in(source: Path, live: Path) -> None:
    """Put a copy of `source` in place the way the ETL does (build file, checks, os.replace)."""
    shutil.copyfile(source, etl_db.building_path(live))
    with etl_db.build_then_swap(live, from_copy=True) as con:
        assert con.execute("SELECT count(*) FROM model.cases").fetchone()[0] > 0


def test_dashboard_answers_through_swaps_says_unavailable_and_recovers(
    dashboard_url: str, tmp_path: Path, model_db: Path
) -> None:
    live = tmp_path / "kratom.duckdb"
    fewer = tmp_path / "fewer.duckdb"  # the fixture less kratom case 900006: 2 cases, not 3
    shutil.copyfile(model_db, fewer)
    con = duckdb.connect(str(fewer))
    con.execute("DELETE FROM model.cases WHERE case_id = 900006")
    con.execute("DELETE FROM model.kratom_cases WHERE case_id = 900006")  # as a build would
    con.close()
    body = overview_request(dashboard_url)

    def n_cases() -> tuple[int, str | None, dict | None]:
        """Status, the headline count and any banner update of one Overview callback."""
        r = requests.post(dashboard_url + "/_dash-update-component", json=body, timeout=60)
        if r.status_code != 200:
            return r.status_code, None, None
        doc = r.json()
        count = doc["response"].get("overview-n-cases", {}).get("children")
        return 200, count, doc.get("sideUpdate")

    assert banner(dashboard_url)["is_open"] is False
    assert n_cases() == (200, "3", None)  # 900001, 900005, 900006

    # a visitor keeps clicking while the ETL swaps the two versions in, many times
    answers: list[tuple] = []
    stop = threading.Event()

    def click() -> None:
        while not stop.is_set():
            answers.append(n_cases())

    clicker = threading.Thread(target=click, daemon=True)
    clicker.start()
    try:
        for k in range(SWAPS):
            asked = len(answers)
            swap_in(fewer if k % 2 == 0 else model_db, live)
            while len(answers) < asked + 2 and clicker.is_alive():  # one answer spans the swap
                time.sleep(0.005)
    finally:
        stop.set()
        clicker.join(timeout=120)
    assert len(answers) >= 2 * SWAPS
    assert {a for a in answers} <= {(200, "3", None), (200, "2", None)}
    assert n_cases() == (200, "3", None)  # the last swap put the full fixture back

    # deleted, garbage, cut short: a banner, never an error; the charts keep what they showed
    garbage = tmp_path / "garbage"
    noise = random.Random(8).randbytes(300_000)
    header = model_db.read_bytes()[:16384]  # a copy cut short (DuckDB's headers, no catalog)
    for what, make in (
        (f"no database at {live}", lambda: live.unlink()),
        (f"cannot open the database {live}", lambda: garbage.write_bytes(noise)),
        (f"cannot open the database {live}", lambda: garbage.write_bytes(header)),
    ):
        make()
        if garbage.exists():
            os.replace(garbage, live)
        shown = banner(dashboard_url)
        assert shown["is_open"] is True, (what, shown)
        assert shown["children"].startswith(f"The database is unavailable right now ({what}")
        status, count, side = n_cases()
        assert (status, count) == (200, None)
        assert side[ids.DB_UNAVAILABLE]["is_open"] is True
        assert side[ids.DB_UNAVAILABLE]["children"] == shown["children"]

    swap_in(model_db, live)  # a good file again: no restart needed
    assert banner(dashboard_url)["is_open"] is False
    assert n_cases() == (200, "3", None)
