"""Serve the dashboard with gunicorn and drive it with simulated analysts while the data is swapped.

Run: .venv/bin/python bench/load_test.py [--seconds 120] [--analysts 25] [--workers 4]
(`make bench-load`). It stops by itself and exits 1 when anything failed.

1. Setup, in a temporary folder (data/ is never touched): the synthetic demo quarters (taken from
   data/demo/ when complete, else generated), and a database built by `kratom-etl build` from
   all of them but the last.
2. gunicorn with `deploy/gunicorn.conf.py` on a free loopback port (only bind, workers and threads
   overridden), `KRATOM_DB` pointing at that database.
3. Baseline, same run: one analyst alone (no think time) for 18 page updates and three extracts.
4. Load: `--analysts` threads (bench/load_analyst.py) for `--seconds`. At half time the last
   quarter arrives the way the weekly refresh adds it: `kratom-etl build --add` into the served
   path (copy of the live file, the new quarter's rows, checks, `os.replace`). A real swap of a
   different, valid database, at the cost of a real refresh (a few seconds of CPU beside the
   load). Every answer that names the data's last quarter (the page footer, extract manifests)
   must name the new quarter when it started after the swap; a layout and an extract are fetched
   once more after the load to verify that even when the build finished late.
5. Report (bench/load_report.py): requests, throughput, p50/p95/p99/max per kind, errors by
   kind, the swap and the latency around it, RSS per worker, and ratios against the
   single-analyst baseline.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from dash_client import QUERIES, REPO, App
from load_analyst import Analyst, Recorder, open_layout
from load_report import report, stale
from load_server import Gunicorn, Watcher

from etl import db as etl_db
from etl.demo import write_demo_quarters
from etl.demo_draw import quarter_range
from etl.demo_zip import zip_name

ETL = REPO / ".venv" / "bin" / "kratom-etl"
QUARTERS = quarter_range("2004Q1", "2026Q2")  # write_demo_quarters' default span


def demo_zips(tmp: Path) -> list[Path]:
    """The demo quarters in order: data/demo/ when it holds them all, else generated in `tmp`."""
    names = [zip_name(q) for q in QUARTERS]
    kept = [REPO / "data" / "demo" / n for n in names]
    if all(p.exists() for p in kept):
        return kept
    return write_demo_quarters(tmp / "demo")


def run_etl(*args: str | Path) -> float:
    """Run kratom-etl; seconds taken (SystemExit with its message on failure)."""
    started = time.perf_counter()
    out = subprocess.run([ETL, *map(str, args)], capture_output=True, text=True, cwd=REPO)
    if out.returncode:
        raise SystemExit(f"kratom-etl {args[0]} failed ({out.returncode}): {out.stderr[-500:]}")
    return time.perf_counter() - started


def swap_in(prebuilt: Path, live: Path) -> None:
    """Swap a prebuilt database in the way every build does (etl.db.build_then_swap)."""
    shutil.copyfile(prebuilt, etl_db.building_path(live))
    with etl_db.build_then_swap(live, from_copy=True) as con:
        con.execute("SELECT count(*) FROM meta.build").fetchone()


def baseline(url: str, app: App, pool: ThreadPoolExecutor) -> Recorder:
    rec = Recorder()
    solo = Analyst(0, url, app, rec, pool, random.Random(0))
    open_layout(url, rec)
    pages = list(app.pages)
    for i in range(2 * len(QUERIES)):
        solo.filter_change(pages[i % len(pages)], QUERIES[i % len(QUERIES)])
    for i, fmt in enumerate(("csv", "parquet", "xlsx")):
        solo.download(pages[i], QUERIES[i], fmt)
    return rec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--analysts", type=int, default=25)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4, help="per worker (gthread)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--swap",
        choices=("prebuilt", "build"),
        default="prebuilt",
        help="at half time, swap in a database built with the new quarter during setup "
        "(default), or run `kratom-etl build --add` then (the refresh competing with the load)",
    )
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="kratom-load-"))
    server = None
    try:
        zips = demo_zips(tmp)
        db = tmp / "kratom.duckdb"
        build_s = run_etl("build", "--db", db, "--faers", *zips[:-1])
        prebuilt = tmp / "next.duckdb"
        if args.swap == "prebuilt":
            shutil.copyfile(db, prebuilt)
            build_s += run_etl("build", "--add", "--db", prebuilt, "--faers", zips[-1])
        old_q, new_q = QUARTERS[-2:]
        server = Gunicorn(db, args.workers, args.threads, tmp / "gunicorn.log")
        server.wait_ready(args.workers)
        app = App.from_server(requests.Session(), server.url)
        pool = ThreadPoolExecutor(max_workers=max(8, args.analysts * 6))
        base = baseline(server.url, app, pool)
        extra = f" (and a copy with {new_q} added)" if args.swap == "prebuilt" else ""
        print(
            f"setup: {len(zips) - 1} demo quarters built{extra} in {build_s:.0f} s; gunicorn "
            f"{args.workers} workers x {args.threads} threads at {server.url}; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores before the run"
        )
        rec = Recorder()
        watch = Watcher(server.proc.pid, db, rec)
        watch.start()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        deadline = time.monotonic() + args.seconds
        swap: dict = {}

        def refresh() -> None:
            time.sleep(args.seconds / 2)
            swap["start"] = rec.now()
            try:
                if args.swap == "build":
                    run_etl("build", "--add", "--db", db, "--faers", zips[-1])
                else:
                    swap_in(prebuilt, db)
            except (SystemExit, OSError, RuntimeError) as exc:
                swap["error"] = str(exc)
            swap["end"] = rec.now()

        swapper = threading.Thread(target=refresh)
        swapper.start()
        rng = random.Random(args.seed)
        analysts = [
            Analyst(n, server.url, app, rec, pool, random.Random(rng.random()))
            for n in range(args.analysts)
        ]
        threads = [threading.Thread(target=a.run, args=(deadline,)) for a in analysts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = rec.now()
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        load_after = os.getloadavg()[0]
        swapper.join()
        time.sleep(1.5)  # the watcher's last look at the inode and memory
        after = Recorder(t0=rec.t0)  # one more look at the data, after the swap for sure
        open_layout(server.url, after)
        Analyst(0, server.url, app, after, pool, random.Random(0)).download("overview", "", "csv")
        rec.vintages += after.vintages
        watch.stop.set()
        problems = server.log_problems() + [f"{k}: {m}" for k, _, m in after.errors]
        report(args, rec, base, watch, swap, wall, old_q, new_q, problems)
        print(
            f"machine: load average {load_after:.1f} at the end; the load client itself used "
            f"{cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime:.0f} s CPU in "
            f"{wall:.0f} s on the same {os.cpu_count()} cores (absolute times are inflated)"
        )
        failed = rec.errors or problems or "error" in swap or watch.swapped_at is None
        return 1 if failed or stale(rec, watch, old_q, new_q) else 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
