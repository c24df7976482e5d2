"""Signal tables at full scale: `write_signal_tables` on a database of one full-size quarter.

Run: .venv/bin/python bench/signals_full_scale.py [--cases 400000] [--keep DIR]
Writes a synthetic current-layout quarter (etl.demo.write_full_size_quarter), builds it with
the real pipeline, then times, each in a fresh process so peak memory is its own:
- the baseline: `SELECT count(*) FROM model.case_events` and one GROUP BY pt over it;
- `etl.signal_tables.write_signal_tables` alone (re-run on the built database).
Prints wall times, peak RSS and the ratio of the signal tables to the baseline. Never a test.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import duckdb


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_database(out_dir: Path, n_cases: int) -> tuple[Path, float, float]:
    """The full-size quarter and its built database; seconds to write and to build."""
    from etl.demo import write_full_size_quarter
    from etl.demo_zip import zip_name
    from etl.pipeline import build

    start = time.perf_counter()
    zip_path = write_full_size_quarter(out_dir / zip_name("2025Q1"), n_cases=n_cases)
    written = time.perf_counter() - start
    db_path = out_dir / "signals_bench.duckdb"
    start = time.perf_counter()
    build(db_path, [zip_path])
    return db_path, written, time.perf_counter() - start


def baseline(db_path: str) -> tuple[float, float, dict]:
    """Seconds and peak MB for a count of model.case_events plus one GROUP BY pt."""
    con = duckdb.connect(db_path, read_only=True)
    start = time.perf_counter()
    n_rows = con.execute("SELECT count(*) FROM model.case_events").fetchone()[0]
    n_pts = len(con.execute("SELECT pt, count(*) FROM model.case_events GROUP BY pt").fetchall())
    seconds = time.perf_counter() - start
    con.close()
    return seconds, _peak_mb(), {"case_events rows": n_rows, "distinct PTs": n_pts}


def signal_tables(db_path: str) -> tuple[float, float, dict]:
    """Seconds and peak MB for write_signal_tables, with the sizes of what it wrote."""
    from etl.signal_tables import write_signal_tables

    con = duckdb.connect(db_path)
    start = time.perf_counter()
    write_signal_tables(con)
    seconds = time.perf_counter() - start
    tables = ("signal_strata", "signal_stratum_totals", "background_drug_events")
    facts = {
        t: con.execute(f"SELECT count(*) FROM model.{t}").fetchone()[0]
        for t in (*tables, "signal_ebgm", "signal_cumulative")
    }
    for level, converged, message, n_pairs, n_squashed in con.execute(
        "SELECT level, converged, message, n_pairs, n_squashed FROM model.signal_prior"
    ).fetchall():
        facts[f"prior {level}"] = (
            f"converged={converged} on {n_pairs:,} pairs ({n_squashed:,} squashed): {message}"
        )
    con.close()
    return seconds, _peak_mb(), facts


def in_fresh_process(func, *args):
    """Run `func(*args)` in a new spawned process (so its peak RSS is its own)."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(func, *args).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=400_000)
    parser.add_argument("--keep", type=Path, default=None, help="write files here and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        db_path, written, built = in_fresh_process(make_database, out_dir, args.cases)
        print(
            f"quarter written in {written:.1f} s; full build (signal tables included) {built:.1f} s"
        )
        base_s, base_mb, base_facts = in_fresh_process(baseline, str(db_path))
        sig_s, sig_mb, sig_facts = in_fresh_process(signal_tables, str(db_path))
    for key, value in {**base_facts, **sig_facts}.items():
        print(f"  {key}: {value:,}" if isinstance(value, int) else f"  {key}: {value}")
    print(f"baseline (count + GROUP BY pt): {base_s:.3f} s, peak RSS {base_mb:.0f} MB")
    print(f"write_signal_tables:            {sig_s:.3f} s, peak RSS {sig_mb:.0f} MB")
    print(f"ratio to baseline: time {sig_s / base_s:.1f}x, peak memory {sig_mb / base_mb:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
