"""The report of bench/load_test.py: latency by kind, errors, the swap, memory, CPU and ratios.

`report` prints what one load run measured against the single-analyst baseline of the same run;
`stale` lists the answers that named the wrong last quarter for when they ran (old data after the
swap, new data before it). Latencies are printed in ms as p50/p95/p99/max by request kind.
"""

from __future__ import annotations

import argparse
import json
import statistics

from load_analyst import Recorder
from load_server import Watcher

KINDS = ("layout", "render", "shell", "callback", "extract")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def line(label: str, secs: list[float]) -> str:
    ms = [1000 * s for s in secs]
    cols = [pct(ms, 0.5), pct(ms, 0.95), pct(ms, 0.99), max(ms, default=float("nan"))]
    return f"{label:<22}{len(ms):>7}" + "".join(f"{v:>9.0f}" for v in cols)


def stale(rec: Recorder, watch: Watcher, old_q: str, new_q: str) -> list[str]:
    """Answers naming the wrong last quarter: old data after the swap, new data before it."""
    out = []
    at = watch.swapped_at if watch.swapped_at is not None else float("inf")
    for start, end, what, quarter in rec.vintages:
        if start > at and quarter != new_q:
            out.append(f"{what} started {start - at:.2f} s after the swap showed {quarter}")
        if end < at and quarter != old_q:
            out.append(f"{what} ended before the swap but showed {quarter}")
    return out


def report(
    args: argparse.Namespace,
    rec: Recorder,
    base: Recorder,
    watch: Watcher,
    swap: dict,
    wall: float,
    old_q: str,
    new_q: str,
    problems: list[str],
) -> None:
    """Print the run's figures; `swap` holds the swap's start, end and any error (seconds)."""
    n = len(rec.samples) + len(rec.errors)
    print(
        f"load: {args.analysts} analysts for {args.seconds:.0f} s: {n} requests, "
        f"{n / wall:.1f} req/s, {len(rec.actions)} page updates ({len(rec.actions) / wall:.1f}/s)"
    )
    print(f"{'latency (ms)':<22}{'n':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    print(line("all requests", [s for _, _, s in rec.samples]))
    for kind in KINDS:
        print(line(f"  {kind}", [s for k, _, s in rec.samples if k == kind]))
    print(line("page update (action)", [s for _, s in rec.actions]))
    print(line("baseline page update", [s for _, s in base.actions]))
    print(line("baseline extract", [s for k, _, s in base.samples if k == "extract"]))

    kinds = sorted({k for k, _, _ in rec.errors} | {k for k, _, _ in base.errors})
    print(f"errors: {len(rec.errors)} under load, {len(base.errors)} in the baseline", end="")
    print("".join(f"; {k}: {sum(e[0] == k for e in rec.errors + base.errors)}" for k in kinds))
    for kind, start, message in (base.errors + rec.errors)[:5]:
        print(f"  {kind} at {start:.1f} s: {message}")
    for entry in problems[:5]:
        print(f"  server log: {entry}")

    at = watch.swapped_at
    if "error" in swap or at is None:
        print(f"swap: FAILED ({swap.get('error') or 'the file was never replaced'})")
    else:
        near = [s for _, t, s in rec.samples if abs(t - at) <= 5]
        rest = [s for _, t, s in rec.samples if abs(t - at) > 5]
        errs = sum(abs(t - at) <= 5 for _, t, _ in rec.errors)
        how = f"`kratom-etl build --add {new_q}`" if args.swap == "build" else "prebuilt copy"
        print(
            f"swap ({how}): from {swap['start']:.1f} s to {swap['end']:.1f} s "
            f"({swap['end'] - swap['start']:.1f} s); file replaced at {at:.2f} s"
        )
        building = [s for _, t, s in rec.samples if swap["start"] <= t <= swap["end"]]
        quiet = [s for _, t, s in rec.samples if not swap["start"] <= t <= swap["end"]]
        if not near:
            print("  no request started within 5 s of the swap (it came after the load ended)")
        print(
            f"  requests within 5 s of the swap: {len(near)}, p95 {1000 * pct(near, 0.95):.0f} ms, "
            f"max {1000 * max(near, default=0):.0f} ms, {errs} errors "
            f"(elsewhere p95 {1000 * pct(rest, 0.95):.0f} ms)"
        )
        print(
            f"  requests while the swap step ran: {len(building)}, p95 "
            f"{1000 * pct(building, 0.95):.0f} ms (otherwise {1000 * pct(quiet, 0.95):.0f} ms)"
        )
    after = [v for v in rec.vintages if at is not None and v[0] > at]
    wrong = stale(rec, watch, old_q, new_q)
    print(
        f"  data vintage: {len(rec.vintages)} answers named the last quarter; {len(after)} "
        f"started after the swap, {sum(v[3] == new_q for v in after)} of them named {new_q}; "
        f"{len(wrong)} wrong"
    )
    for entry in wrong[:5]:
        print(f"  {entry}")

    print(f"memory (VmRSS MB)  {'start':>8}{'mean':>8}{'peak':>8}{'end':>8}  (pid)")
    peaks = []
    for pid, series in sorted(watch.rss.items()):
        mbs = [mb for _, mb in series]
        peaks.append(max(mbs))
        print(
            f"  worker{'':<12}{mbs[0]:>8.0f}{statistics.fmean(mbs):>8.0f}{max(mbs):>8.0f}"
            f"{mbs[-1]:>8.0f}  ({pid}, {len(mbs)} samples)"
        )
    if len(watch.rss) != args.workers:
        print(f"  note: {len(watch.rss)} worker pids seen for {args.workers} workers (restarts)")

    used = sum(last - first for first, last in watch.cpu.values())
    print(
        f"server CPU: the workers used {used:.0f} CPU-s in {wall:.0f} s, "
        f"{1000 * used / max(len(rec.actions), 1):.0f} ms per page update (extracts included)"
    )

    update95 = pct([s for _, s in rec.actions], 0.95)
    base95 = pct([s for _, s in base.actions], 0.95)
    shell95 = pct([s for k, _, s in rec.samples if k == "shell"], 0.95)
    base_shell95 = pct([s for k, _, s in base.samples if k == "shell"], 0.95)
    summary = {
        "requests": n,
        "req_per_s": round(n / wall, 1),
        "errors": len(rec.errors) + len(base.errors) + len(problems) + len(wrong),
        "p95_page_update_ms": round(1000 * update95),
        "baseline_p95_page_update_ms": round(1000 * base95),
        "peak_rss_mb": round(max(peaks, default=0)),
    }
    print(json.dumps(summary))
    print(
        f"ratio: page update p95 under load / alone = {update95 / base95:.1f}; "
        f"shell callback p95 under load / alone = {shell95 / base_shell95:.1f}"
    )
