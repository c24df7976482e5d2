"""One simulated analyst for bench/load_test.py, and the recorder every request reports to.

An analyst loops until its deadline: it picks a page and a filter link (seeded), opens the link
afresh now and then (`/_dash-layout`, whose footer names the quarters loaded), posts what the
browser posts after a filter change (router render and shell callbacks at once, then every
callback of the page at once, and the first page of the cases grid on /cases), thinks a little,
and every 10th action downloads the view's extract (CSV, Parquet or XLSX in turn) and checks it.
"""

from __future__ import annotations

import base64
import io
import json
import random
import re
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import pyarrow.parquet as pq
import requests
from dash_client import QUERIES, App, CallbackFailed, location, post

FORMATS = {"csv": "download-csv", "parquet": "download-parquet", "xlsx": "download-xlsx"}
QUARTER_SPAN = re.compile(r"quarterly files (\d{4}Q\d)\u2013(\d{4}Q\d)")
QUARTERS_LOADED = re.compile(r"FAERS quarters loaded \(\d+\): .*?(\d{4}Q\d)$")


class BadExtract(RuntimeError):
    """A downloaded extract is not a valid zip / workbook with a manifest."""


@dataclass
class Recorder:
    """Every request's timing and outcome, and every answer that names the data's last quarter."""

    t0: float = field(default_factory=time.monotonic)
    samples: list[tuple[str, float, float]] = field(default_factory=list)  # kind, start, secs
    actions: list[tuple[float, float]] = field(default_factory=list)  # start, secs
    errors: list[tuple[str, float, str]] = field(default_factory=list)  # kind, start, message
    vintages: list[tuple[float, float, str, str]] = field(default_factory=list)  # start, end, ...
    lock: threading.Lock = field(default_factory=threading.Lock)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def timed(self, kind: str, fn, *args: Any, **kwargs: Any) -> Any:
        """Run one request; record its time, or its error (then return None)."""
        start = self.now()
        try:
            out = fn(*args, **kwargs)
        except (CallbackFailed, BadExtract, requests.RequestException) as exc:
            with self.lock:
                self.errors.append((kind, start, f"{type(exc).__name__}: {exc}"[:300]))
            return None
        with self.lock:
            self.samples.append((kind, start, self.now() - start))
        return out

    def saw_quarter(self, start: float, what: str, quarter: str) -> None:
        with self.lock:
            self.vintages.append((start, self.now(), what, quarter))


_local = threading.local()


def session() -> requests.Session:
    """One keep-alive session per thread (a browser tab has a few connections)."""
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


def open_layout(url: str, rec: Recorder) -> None:
    """GET the page frame (what opening a link does); note the quarter span in its footer."""
    start = rec.now()

    def get() -> str:
        r = session().get(url + "/_dash-layout", timeout=120)
        if r.status_code != 200:
            raise CallbackFailed(f"/_dash-layout: HTTP {r.status_code}: {r.text[:200]}")
        found = QUARTER_SPAN.search(json.dumps(r.json(), ensure_ascii=False))
        if not found:
            raise CallbackFailed("/_dash-layout: no data vintage in the footer")
        return found.group(2)

    last = rec.timed("layout", get)
    if last:
        rec.saw_quarter(start, "layout", last)


def check_extract(fmt: str, answer: dict) -> str:
    """The last quarter loaded, from a valid extract's manifest; BadExtract otherwise."""
    data = (answer.get("download-extract") or {}).get("data")
    if not isinstance(data, dict) or not data.get("base64"):
        status = (answer.get("download-status") or {}).get("children")
        raise BadExtract(f"{fmt}: no file sent (status: {status!r})")
    content = base64.b64decode(data["content"])
    suffix = {"csv": ".csv.zip", "parquet": ".parquet.zip", "xlsx": ".xlsx"}[fmt]
    if not data.get("filename", "").endswith(suffix):
        raise BadExtract(f"{fmt}: unexpected file name {data.get('filename')!r}")
    try:
        if fmt == "xlsx":
            wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
            if wb.sheetnames != ["About", "Cases", "Substances", "Events"]:
                raise BadExtract(f"xlsx: sheets {wb.sheetnames}")
            lines = [str(row[1]) for row in wb["About"].iter_rows(values_only=True) if row[1]]
            quarters = [m.group(1) for line in lines if (m := QUARTERS_LOADED.search(line))]
            if not quarters:
                raise BadExtract("xlsx: no quarters loaded in the About sheet")
            return quarters[0]
        with zipfile.ZipFile(io.BytesIO(content)) as zf:
            bad = zf.testzip()
            names = set(zf.namelist())
            wanted = {"manifest.json", "README.txt"} | {f"{t}.{fmt}" for t in ("cases", "events")}
            if bad or not wanted <= names:
                raise BadExtract(f"{fmt}: bad member {bad} or missing {wanted - names}")
            manifest = json.loads(zf.read("manifest.json"))
            if fmt == "parquet":
                meta = pq.read_metadata(io.BytesIO(zf.read("cases.parquet"))).metadata
                if b"kratom_manifest" not in (meta or {}):
                    raise BadExtract("parquet: no manifest in cases.parquet's metadata")
        if manifest.get("format") != fmt or "cases" not in manifest.get("tables", {}):
            raise BadExtract(f"{fmt}: manifest without format or tables")
        return manifest["data_vintage"]["quarters_loaded"][-1]
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError) as exc:
        raise BadExtract(f"{fmt}: {type(exc).__name__}: {exc}") from None


@dataclass
class Analyst:
    n: int
    url: str
    app: App
    rec: Recorder
    pool: ThreadPoolExecutor
    rng: random.Random
    think: tuple[float, float] = (0.2, 1.0)
    actions: int = 0

    def post(self, kind: str, dep: dict, values: dict, changed: list[str] | None = None):
        return self.rec.timed(kind, post, session(), self.url, dep, values, changed=changed)

    def filter_change(self, page: str, query: str) -> None:
        """Router render and shell callbacks at once; then every callback of the page at once."""
        start = self.rec.now()
        values = location(self.app.paths[page], query)
        shell = [
            self.pool.submit(self.post, "shell", d, values, ["url.search"]) for d in self.app.shell
        ]
        rendered = self.rec.timed(
            "render", self.app.render, session(), self.url, self.app.paths[page], query
        )
        if rendered is not None:
            jobs = [
                self.pool.submit(self.post, "callback", d, rendered) for d in self.app.pages[page]
            ]
            if page == "cases":
                rows = {"cases-grid": {"getRowsRequest": {"startRow": 0, "endRow": 50}}}
                jobs.append(
                    self.pool.submit(
                        self.post, "callback", self.app.extras["cases_rows"], rendered | rows
                    )
                )
            for job in jobs:
                job.result()
        for job in shell:
            job.result()
        with self.rec.lock:
            self.rec.actions.append((start, self.rec.now() - start))

    def download(self, page: str, query: str, fmt: str) -> None:
        """Click a download button; check the file and note the quarters its manifest names."""
        start = self.rec.now()
        search = f"?{query}" if query else ""
        button = FORMATS[fmt]
        values = {
            button: {"n_clicks": 1},
            "url": {"search": search, "pathname": self.app.paths[page]},
        }

        def click() -> str:
            dep = self.app.extras["download"]
            return check_extract(
                fmt, post(session(), self.url, dep, values, changed=[f"{button}.n_clicks"])
            )

        last = self.rec.timed("extract", click)
        if last:
            self.rec.saw_quarter(start, f"extract {fmt}", last)

    def run(self, deadline: float) -> None:
        """Loop until `deadline` (monotonic); the first action opens a link afresh."""
        pages = list(self.app.pages)
        while time.monotonic() < deadline:
            page, query = self.rng.choice(pages), self.rng.choice(QUERIES)
            if self.actions == 0 or self.rng.random() < 0.1:
                open_layout(self.url, self.rec)
            self.filter_change(page, query)
            self.actions += 1
            if (self.actions + self.n) % 10 == 0:
                self.download(page, query, list(FORMATS)[(self.actions // 10 + self.n) % 3])
            time.sleep(self.rng.uniform(*self.think))
