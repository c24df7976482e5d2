"""Full history at full size: generate 2004Q1-2026Q2, build it all, measure the dashboard on it.

Run (`make bench-full`): .venv/bin/python bench/full_history.py [--scale 1.0]
     [--quarters 2004Q1..2026Q2] [--out bench/out/full] [--mode one|add] [--generate-only]
     [--no-build] [--no-dashboard] [--build-memory 3GB] [--rounds 3] [--db PATH]

The goals (issue #8) are stated at --scale 1.0 over all 90 quarters (about 26M report versions:
legacy quarters 120k, FAERS quarters 400k) on 2 cores: the whole build under 20 minutes and 4 GB
of memory; on the resulting database every page's full update under 150 ms at the 95th
percentile, a cold start under 3 s and an extract of every kratom case under 2 s. Smaller
--scale or a --quarters subset are for trying the script; their pass/fail lines say so.

1. Generate (etl/demo_full.py) the zips into --out (default bench/out/full, or full-<scale>), one
   per quarter in its era's layout, keeping zips already there (same seed and scale). About 20 s
   of CPU per full-size FAERS quarter: run it alone first, e.g.
   `nice -n 19 .venv/bin/python bench/full_history.py --generate-only &`.
2. Build every zip in ONE `kratom-etl build` (--mode one), or a first build and one `build --add`
   per further quarter (--mode add: each add also copies the live file, shown apart). Prints wall
   time, the child's peak RSS, disk (db + WAL + DuckDB temp files, sampled), RSS and disk over
   time, per-quarter costs by decile and the "doesn't grow" check: mean cost of the last 10
   FAERS quarters / the first 10 (and the slope). --build-memory (or KRATOM_BUILD_MEMORY) is
   passed on as KRATOM_BUILD_MEMORY, and every DuckDB connection of the build child is opened
   with that memory_limit (a cap for builds that do not read the variable; DuckDB's default is
   80% of RAM, too much on a shared machine). The limit covers DuckDB's buffer manager only:
   the peak RSS printed is the kernel's count for the whole child.
3. Dashboard on the built database and, as the baseline of the same run, on the demo database
   (`kratom-etl demo`, built into --out once): per-page p95, cold start (median of 3), extract of
   every kratom case as CSV and Parquet (median of 3). Each with pass/fail and ratio to the demo.
Absolute times depend on what else the machine runs: read the ratios.

`--db PATH` measures the dashboard on a database built before (e.g. a copy of the last full
build) without generating or building anything; at the goal's size when it holds 90 quarters.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
from full_history_build import BuildReport, build_by_adds, build_one_process, growth
from full_history_dash import BIN, measure

from etl.demo_draw import qindex, quarter_range
from etl.demo_full import FullHistory, write_full_history

OUT = Path(__file__).resolve().parent / "out"
GOAL_BUILD_S, GOAL_RSS_MB, GOAL_P95_MS, GOAL_COLD_S, GOAL_EXTRACT_S = 1200, 4000, 150, 3.0, 2.0
GROWTH_OK = 1.25  # last-10 / first-10 FAERS quarters: above this, per-quarter cost grows


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def parse_quarters(specs: list[str]) -> list[str]:
    quarters: list[str] = []
    for spec in specs:
        first, _, last = spec.upper().partition("..")
        quarters += quarter_range(first, last or first)
    return sorted(set(quarters), key=qindex)


def generate(out: Path, quarters: list[str], scale: float, seed: int) -> list[Path]:
    started = time.perf_counter()
    history = FullHistory(seed=seed, scale=scale)
    n_reports = sum(history.reports(qindex(q)) for q in quarters)
    print(f"{len(quarters)} quarters {quarters[0]}..{quarters[-1]}, scale {scale}: "
          f"{n_reports:,} report versions into {out}", file=sys.stderr)  # fmt: skip

    def written(path: Path) -> None:
        t = time.perf_counter() - started
        print(f"  wrote {path.name} ({path.stat().st_size / 1e6:.0f} MB) at {t:.0f} s",
              file=sys.stderr)  # fmt: skip

    paths = write_full_history(out, quarters, scale=scale, seed=seed, on_written=written)
    size = sum(p.stat().st_size for p in paths) / 1e9
    print(
        f"zips: {len(paths)} files, {size:.1f} GB, ready in {time.perf_counter() - started:.0f} s"
    )
    return paths


def print_build(report: BuildReport, at_goal_size: bool) -> None:
    note = "" if at_goal_size else " (indicative: not the goal's size)"
    print(
        f"\nbuild ({report.mode}): wall {report.wall_s:.0f} s "
        f"[goal {GOAL_BUILD_S} s: {verdict(report.wall_s <= GOAL_BUILD_S)}{note}]"
    )
    print(
        f"peak RSS {report.peak_rss_mb:,.0f} MB "
        f"[goal {GOAL_RSS_MB} MB: {verdict(report.peak_rss_mb <= GOAL_RSS_MB)}{note}]"
    )
    print(
        f"disk: database {report.db_mb:,.0f} MB; peak db + WAL + temp {report.peak_disk_mb:,.0f} MB"
    )
    if report.transform_all_s is not None:
        print(f"one transform of every quarter: {report.transform_all_s:.0f} s "
              "(no per-quarter transform lines in the log)")  # fmt: skip
    step = max(1, len(report.samples) // 12)
    print("over time:  " + "  ".join(f"{t:.0f}s {r:,.0f}MB/{d:,.0f}MB"
                                    for t, r, d in report.samples[::step]))  # fmt: skip
    costs = report.quarters
    if not costs:
        return
    print(f"{'quarter':<8}{'load s':>8}{'transf s':>9}{'add s':>8}{'copy s':>8}{'cost s':>8}"
          f"{'cpu s':>7}   (first, deciles, last; the first has the process start)")  # fmt: skip
    n = len(costs)
    for i in sorted({0, n // 10, n // 2, (9 * n) // 10, n - 1}):
        c = costs[i]
        cells = [c.load_s, c.transform_s, c.wall_s, c.copy_s, c.cost_s, c.cpu_s]
        print(f"{c.quarter:<8}" + "".join(f"{x:>{w}.1f}" if x is not None else f"{'-':>{w}}"
              for x, w in zip(cells, (8, 9, 8, 8, 8, 7), strict=True)))  # fmt: skip
    deciles = [costs[i * n // 10 : (i + 1) * n // 10] for i in range(10)]
    for what, cost in (("wall", lambda c: c.cost_s), ("CPU", lambda c: c.cpu_s)):
        if any(cost(c) is None for c in costs):
            continue
        means = [statistics.fmean(cost(c) for c in d) for d in deciles if d]
        print(f"mean {what} s per quarter by decile: " + " ".join(f"{m:.1f}" for m in means))
    faers = [c for c in costs if qindex(c.quarter) >= qindex("2012Q4")]
    if len(faers) < 2:
        return
    k = max(1, min(10, len(faers) // 2))
    for what, values in (("wall", [c.cost_s for c in faers]), ("CPU", [c.cpu_s for c in faers])):
        if None in values:
            continue
        ratio, slope = growth(values)
        check = f"[not growing if <= {GROWTH_OK}: {verdict(ratio <= GROWTH_OK)}]"
        print(
            f"FAERS quarters, {what}: mean cost of the last {k} / the first {k}: {ratio:.2f} "
            f"{check if what == 'CPU' else '(wall time follows the machine load)'}; slope "
            f"{slope:+.3f} s per quarter loaded before (mean {statistics.fmean(values):.1f} s)"
        )


def demo_db(out: Path) -> Path:
    db = out / "demo" / "demo.duckdb"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        cmd = [str(BIN / "kratom-etl"), "demo", "--db", str(db), "--out", str(db.parent / "zips")]
        subprocess.run(cmd, check=True, capture_output=True)
    return db


def print_dashboard(full: dict, demo: dict, at_goal_size: bool) -> None:
    note = "" if at_goal_size else " (indicative)"
    print(f"\n{'page':<16}{'p95 ms':>8}{'demo ms':>9}{'ratio':>7}  goal {GOAL_P95_MS} ms")
    pages = [p for p in full["latency"] if not p.startswith("_")]
    for page in [*pages, "_all"]:
        a, b = full["latency"][page], demo["latency"].get(page, float("nan"))
        print(f"{page.strip('_'):<16}{a:>8.0f}{b:>9.0f}{a / b:>7.2f}  {verdict(a <= GOAL_P95_MS)}")
    rows = [("cold start", "cold_start_s", GOAL_COLD_S),
            ("download csv", "download_csv_s", GOAL_EXTRACT_S),
            ("download parquet", "download_parquet_s", GOAL_EXTRACT_S),
            ("export csv (CLI)", "export_csv_s", None),
            ("export parquet (CLI)", "export_parquet_s", None)]  # fmt: skip
    for label, key, goal in rows:
        a, b = full[key], demo[key]
        against = f"[goal {goal} s: {verdict(a <= goal)}{note}]" if goal else "[no goal]"
        print(f"{label:<21}{a:>6.2f} s  demo {b:.2f} s  ratio {a / b:.2f}  {against}")
    print("every kratom case: " + ", ".join(
        f"{k.split('_')[1]} {k.split('_')[0]} {full[k] / 1e3:,.0f} kB"
        for k in full if k.endswith("_bytes")))  # fmt: skip


def run_build(db: Path, zips: list[Path], args: argparse.Namespace, at_goal_size: bool) -> None:
    env = dict(os.environ)
    if args.build_memory:
        env["KRATOM_BUILD_MEMORY"] = args.build_memory
    print(f"load average before the build: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"KRATOM_BUILD_MEMORY={env.get('KRATOM_BUILD_MEMORY', '(unset)')}")  # fmt: skip
    build = build_one_process if args.mode == "one" else build_by_adds
    report = build(db, zips, env)
    print_build(report, at_goal_size)
    samples = db.parent / "samples.csv"
    samples.write_text("seconds,rss_mb,disk_mb\n" + "".join(
        f"{t:.1f},{r:.0f},{d:.0f}\n" for t, r, d in report.samples))  # fmt: skip
    print(f"every sample: {samples}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--quarters", nargs="+", default=["2004Q1..2026Q2"],
                        help="quarters or ranges, e.g. 2004Q1..2004Q4 2025Q1")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None, help="zip cache (kept between runs)")
    parser.add_argument("--mode", choices=["one", "add"], default="one")
    parser.add_argument("--build-memory", default=None, help="KRATOM_BUILD_MEMORY, e.g. 3GB")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of dashboard_latency.py")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--no-dashboard", action="store_true")
    parser.add_argument("--no-build", action="store_true", help="the dashboard on the last build")
    parser.add_argument("--db", type=Path, default=None, help="the dashboard on this database")
    args = parser.parse_args(argv)
    quarters = parse_quarters(args.quarters)
    out = args.out or OUT / ("full" if args.scale == 1.0 else f"full-{args.scale:g}")
    at_goal_size = args.scale == 1.0 and len(quarters) == 90
    if args.db is not None:
        db = args.db
        with duckdb.connect(str(db), read_only=True) as con:
            at_goal_size = con.execute("SELECT count(*) FROM raw.quarters").fetchone()[0] == 90
        print(f"no build: measuring the dashboard on {db} as it is")
    else:
        zips = generate(out, quarters, args.scale, args.seed)
        if args.generate_only:
            return 0
        db = out / "build" / "full.duckdb"
        if args.no_build:
            print(f"no build: measuring the dashboard on {db} as it is")
        else:
            run_build(db, zips, args, at_goal_size)
    with duckdb.connect(str(db), read_only=True) as con:
        cases, kratom = con.execute(
            "SELECT count(*), count(*) FILTER (is_kratom) FROM model.cases"
        ).fetchone()
    print(f"database: {cases:,} cases, {kratom:,} kratom cases")
    if args.no_dashboard:
        return 0
    print(f"load average before the dashboard: {os.getloadavg()[0]:.1f}")
    baseline = measure(demo_db(out), rounds=args.rounds)
    print_dashboard(measure(db, rounds=args.rounds), baseline, at_goal_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
