"""Build cost of full-size FAERS quarters against a floor measured in the same run.

Run: .venv/bin/python bench/build_quarter.py [--quarters 10] [--cases 400000]   (`make bench`)

1. Writes full-size current-layout synthetic quarters (etl.demo.write_full_size_quarter, about
   400k cases and 1.7M drug rows each) into bench/out/, reusing them when present.
2. Floor: decompress every member of the first zip to disk, then one DuckDB read_csv count(*) scan
   of each table file: the least any reader of the quarter must do.
3. `kratom-etl build` of the first quarter in a subprocess: wall time, CPU time (user + system,
   every thread), the child's peak RSS, rows per second. Then `kratom-etl build --add` of each
   further quarter, one at a time: the 2nd and the last add are the ones to compare (an add must
   not grow with the quarters already held); the copy of the live file (O(database bytes)) and
   the transform step are shown apart, and a line each for the first build and the last add
   splits the wall time into the stages the build logs (copy, load, transform) and the rest.
4. For scale, DuckDB's own cheapest stored copy of the first quarter (each table file as it is,
   every column text): what writing the rows once costs, before any typing, checks or model.
The last line reads `ratio to floor: X` (first build / floor, wall). On a busy machine wall times
swing with the other jobs; the CPU ratio printed before it (first build's CPU / the floor's CPU)
moves much less. Never run as a test.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl.demo import write_full_size_quarter
from etl.demo_draw import quarter_range
from etl.demo_zip import zip_name

OUT = Path(__file__).resolve().parent / "out"
KRATOM_ETL = Path(sys.executable).with_name("kratom-etl")
TABLE_FILE = re.compile(r"(DEMO|DRUG|REAC|OUTC|RPSR|THER|INDI)\d\dQ\d\.txt$", re.IGNORECASE)
SCAN = (
    "SELECT count(*) FROM read_csv(?, delim='$', header=true, quote='', escape='', "
    "all_varchar=true)"
)


@dataclass
class Run:
    label: str
    wall_s: float
    cpu_s: float
    peak_mb: float
    rows: int
    copy_s: float | None
    transform_s: float | None
    db_mb: float
    load_s: float | None = None  # the build log's "loaded <quarter> ... in X s"


def quarter_zips(n: int, cases: int) -> list[Path]:
    """n consecutive quarters ending 2025Q2, written once and reused."""
    quarters = quarter_range("2023Q1", "2030Q4")[:n]
    paths = []
    for i, quarter in enumerate(quarters):
        path = OUT / f"{cases}" / zip_name(quarter)
        if not path.exists():
            started = time.perf_counter()
            part = path.with_name(path.name + ".part.zip")
            write_full_size_quarter(part, quarter=quarter, n_cases=cases, seed=1 + i)
            part.replace(path)
            print(f"wrote {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        paths.append(path)
    return paths


def _unzip(zip_path: Path, folder: Path) -> list[Path]:
    files = []
    with zipfile.ZipFile(zip_path) as zf:
        for info in (i for i in zf.infolist() if not i.is_dir()):
            target = folder / f"{len(files)}_{Path(info.filename).name}"
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            files.append(target)
    return [f for f in files if TABLE_FILE.search(f.name)]


def floor_seconds(zip_path: Path) -> tuple[float, float, int]:
    """Wall and CPU seconds to unzip every member and count every table file's rows; the rows."""
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        started, cpu_started = time.perf_counter(), time.process_time()
        files = _unzip(zip_path, Path(tmp))
        con = duckdb.connect()
        rows = sum(con.execute(SCAN, [str(f)]).fetchone()[0] for f in files)
        con.close()
        return time.perf_counter() - started, time.process_time() - cpu_started, rows


def persisted_copy_seconds(zip_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds to unzip, then store each table file in a new DuckDB file as it is.

    `CREATE TABLE AS` from read_csv, every column text, one checkpoint: DuckDB's own cheapest
    stored copy of the quarter (no typing, no provenance, no checks, no model). Not a floor of
    the issue; a bound showing what storing the rows once costs against the floor's scan.
    """
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        started, cpu_started = time.perf_counter(), time.process_time()
        files = _unzip(zip_path, Path(tmp))
        con = duckdb.connect(str(Path(tmp) / "copy.duckdb"))
        for i, f in enumerate(files):
            con.execute(f"CREATE TABLE t{i} AS {SCAN.replace('count(*)', '*')}", [str(f)])
        con.execute("CHECKPOINT")
        con.close()
        return time.perf_counter() - started, time.process_time() - cpu_started


def run_build(label: str, db_path: Path, zip_path: Path, *, add: bool) -> Run:
    """One `kratom-etl build` in a child process: wall time and the child's own peak RSS."""
    cmd = [str(KRATOM_ETL), "build", "--db", str(db_path), "--faers", str(zip_path)]
    cmd += ["--add"] if add else []
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if child.returncode != 0:
        raise SystemExit(f"{label}: kratom-etl failed ({child.returncode}):\n{text}")
    rows = int(re.search(r"([\d,]+) rows loaded", text).group(1).replace(",", ""))
    copy = re.search(r"copying the live file took ([\d.]+) s", text)
    transform = re.search(r"transformed \d+ quarter\(s\) in ([\d.]+) s", text)
    loads = [float(s) for s in re.findall(r"^loaded \S+ from .* in ([\d.]+) s", text, re.M)]
    return Run(
        label,
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        rows,
        float(copy.group(1)) if copy else None,
        float(transform.group(1)) if transform else None,
        db_path.stat().st_size / 1e6,
        sum(loads) if loads else None,
    )


def where_time_went(run: Run) -> str:
    """The build's wall seconds in its logged stages; the rest is imports, signals, checks, swap."""
    parts = {"copy": run.copy_s, "load": run.load_s, "transform": run.transform_s}
    known = {k: v for k, v in parts.items() if v is not None}
    rest = run.wall_s - sum(known.values())
    shown = ", ".join(f"{k} {v:.1f} s" for k, v in known.items())
    return (
        f"{run.label}: {run.wall_s:.1f} s wall = {shown}, and {rest:.1f} s for the rest "
        "(imports, reference data, signal tables, openFDA, the kratom slice, checks, swap)"
    )


def print_table(floor_s: float, floor_cpu: float, floor_rows: int, runs: list[Run]) -> None:
    print(
        f"floor (unzip + read_csv count of each table): {floor_s:.1f} s, {floor_cpu:.1f} s CPU, "
        f"{floor_rows:,} rows"
    )
    print(f"{'build':<16}{'wall s':>8}{'cpu s':>8}{'copy s':>8}{'transform s':>12}{'peak MB':>9}"
          f"{'rows/s':>10}{'db MB':>8}")  # fmt: skip
    previous_rows = 0
    for r in runs:
        new_rows = r.rows - previous_rows
        previous_rows = r.rows
        copy = f"{r.copy_s:.1f}" if r.copy_s is not None else "-"
        transform = f"{r.transform_s:.1f}" if r.transform_s is not None else "-"
        print(f"{r.label:<16}{r.wall_s:>8.1f}{r.cpu_s:>8.1f}{copy:>8}{transform:>12}{r.peak_mb:>9.0f}"
              f"{new_rows / r.wall_s:>10,.0f}{r.db_mb:>8.0f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quarters", type=int, default=10, help="quarters to build (at least 2)")
    parser.add_argument("--cases", type=int, default=400_000, help="cases per quarter")
    args = parser.parse_args(argv)
    zips = quarter_zips(max(args.quarters, 2), args.cases)
    floor_s, floor_cpu, floor_rows = floor_seconds(zips[0])
    copy_s, copy_cpu = persisted_copy_seconds(zips[0])
    db_path = OUT / "bench.duckdb"
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        stale.unlink(missing_ok=True)
    runs = [run_build("build 1st", db_path, zips[0], add=False)]
    for i, path in enumerate(zips[1:], start=2):
        runs.append(run_build(f"add quarter {i}", db_path, path, add=True))
        print(f"added quarter {i}: {runs[-1].wall_s:.1f} s", file=sys.stderr)
    print_table(floor_s, floor_cpu, floor_rows, runs)
    print(
        f"DuckDB's own stored copy of the 1st quarter (CTAS from read_csv, all text): "
        f"{copy_s:.1f} s, {copy_cpu:.1f} s CPU = {copy_cpu / floor_cpu:.2f} x the floor's CPU"
    )
    print(where_time_went(runs[0]))
    print(where_time_went(runs[-1]))
    last = runs[-1]
    cpu_growth = last.cpu_s / runs[1].cpu_s
    print(f"last add / 2nd add: {last.wall_s / runs[1].wall_s:.2f} (CPU {cpu_growth:.2f})")
    print(f"CPU ratio to floor: {runs[0].cpu_s / floor_cpu:.2f}")
    print(f"ratio to floor: {runs[0].wall_s / floor_s:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
