"""Run `kratom-etl build` as a child and measure it: wall time, RSS and disk over time, the log.

Used by bench/full_history.py. Per-quarter costs are read from the build's INFO lines, whatever of
these exist: `loaded <Q> ... [in X s]`, `transformed <Q> ... in X s` (or one `transformed N
quarter(s) in X s` per quarter), `copied the live database in X s`. A `loaded` line without its
own seconds costs the time since the previous such line (its arrival time is recorded). The
child's CPU seconds (user + system, /proc) are read as each line arrives, so every quarter also has
a CPU cost: less sensitive than wall time to other jobs on a shared machine.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

KRATOM_ETL = Path(sys.executable).with_name("kratom-etl")
# `kratom-etl` with every DuckDB connection opened at memory_limit=KRATOM_BUILD_MEMORY: a cap for
# builds that do not read that variable themselves (a build that does sets it again: same value).
CAPPED_ETL = """
import os, sys, duckdb
from etl.cli import main
plain = duckdb.connect
def capped(*args, config=None, **kwargs):
    config = {"memory_limit": os.environ["KRATOM_BUILD_MEMORY"], **(config or {})}
    return plain(*args, config=config, **kwargs)
duckdb.connect = capped
sys.argv[0] = "kratom-etl"
sys.exit(main())
"""
LOADED = re.compile(r"\bloaded (\d{4}Q[1-4])\b(?:.*? in ([\d.]+) s\b)?")
TRANSFORMED_ONE = re.compile(r"\btransformed (\d{4}Q[1-4])\b.*? in ([\d.]+) s\b")
TRANSFORMED_N = re.compile(r"\btransformed (\d+) quarter\(s\) in ([\d.]+) s\b")
COPIED = re.compile(r"\bcopied the live database in ([\d.]+) s\b")


@dataclass
class ChildRun:
    """One child process: wall seconds, peak RSS (kernel's count), samples and timed log lines."""

    wall_s: float
    peak_rss_mb: float
    samples: list[tuple[float, float, float]]  # (seconds since start, RSS MB, disk MB)
    lines: list[tuple[float, float, str]]  # (seconds since start, child's CPU seconds, line)
    cpu_s: float  # the child's user + system seconds


@dataclass
class QuarterCost:
    quarter: str
    load_s: float | None
    transform_s: float | None = None
    copy_s: float | None = None
    wall_s: float | None = None  # add mode: the whole `build --add`
    cpu_s: float | None = None  # the child's CPU seconds spent on this quarter

    @property
    def cost_s(self) -> float:
        """The quarter's own cost: load + transform; an add's wall time minus its file copy."""
        if self.wall_s is not None:
            return self.wall_s - (self.copy_s or 0.0)
        return (self.load_s or 0.0) + (self.transform_s or 0.0)


@dataclass
class BuildReport:
    mode: str
    wall_s: float
    peak_rss_mb: float
    peak_disk_mb: float
    db_mb: float
    quarters: list[QuarterCost]
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    transform_all_s: float | None = None  # one transform of every quarter (no per-quarter lines)


def disk_mb(folder: Path) -> float:
    """Allocated bytes of every file under `folder` (the database, its WAL, temp files), in MB."""
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # a temp file removed while we walk
                total += os.stat(os.path.join(root, name)).st_blocks * 512
    return total / 1e6


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(cmd: list[str], env: dict, folder: Path, *, every_s: float = 0.5) -> ChildRun:
    """Run `cmd`, echo its output with times, sample its RSS and `folder`'s disk use."""
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=env)  # fmt: skip
    lines: list[tuple[float, float, str]] = []
    samples: list[tuple[float, float, float]] = []
    done = threading.Event()

    def read() -> None:
        for line in child.stdout:
            if "\u2595" in line or not line.strip():  # DuckDB's progress bar, blank lines
                continue
            t = time.perf_counter() - started
            lines.append((t, cpu_seconds(child.pid), line.rstrip("\n")))
            print(f"  [{t:7.1f} s] {line.rstrip()}", file=sys.stderr)

    def sample() -> None:
        while not done.wait(every_s):
            samples.append((time.perf_counter() - started, rss_mb(child.pid), disk_mb(folder)))

    threads = [threading.Thread(target=read), threading.Thread(target=sample)]
    for thread in threads:
        thread.start()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    for thread in threads:
        thread.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = "\n".join(text for _, _, text in lines[-20:])
        raise SystemExit(f"the build failed ({child.returncode}):\n{tail}")
    samples.append((wall, 0.0, disk_mb(folder)))
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(wall, usage.ru_maxrss / 1024, samples, lines, cpu)


def quarter_costs(
    lines: list[tuple[float, float, str]],
) -> tuple[list[QuarterCost], float | None]:
    """Per-quarter costs from a one-process build's log, and the one transform's seconds if any."""
    costs: dict[str, QuarterCost] = {}
    order: list[str] = []
    transform_n: list[tuple[float, float]] = []
    previous, previous_cpu = 0.0, 0.0
    for t, cpu, text in lines:
        spent = cpu - previous_cpu
        if m := LOADED.search(text):
            seconds = float(m.group(2)) if m.group(2) else t - previous
            costs[m.group(1)] = QuarterCost(m.group(1), seconds, cpu_s=spent)
            order.append(m.group(1))
        elif m := TRANSFORMED_ONE.search(text):
            costs[m.group(1)].transform_s = float(m.group(2))
            costs[m.group(1)].cpu_s += spent
        elif m := TRANSFORMED_N.search(text):
            transform_n.append((float(m.group(2)), spent))
        else:
            continue
        previous, previous_cpu = t, cpu
    if len(transform_n) == len(order) > 1:  # one transform line per quarter, in load order
        for quarter, (seconds, spent) in zip(order, transform_n, strict=True):
            costs[quarter].transform_s = seconds
            costs[quarter].cpu_s += spent
        return [costs[q] for q in order], None
    return [costs[q] for q in order], sum(s for s, _ in transform_n) if transform_n else None


def etl_command(env: dict) -> list[str]:
    """`kratom-etl`, capped at KRATOM_BUILD_MEMORY when that is set (see CAPPED_ETL)."""
    if env.get("KRATOM_BUILD_MEMORY"):
        return [sys.executable, "-c", CAPPED_ETL]
    return [str(KRATOM_ETL)]


def build_one_process(db: Path, zips: list[Path], env: dict) -> BuildReport:
    """`kratom-etl build` of every zip in one process."""
    _fresh(db)
    cmd = [*etl_command(env), "build", "--db", str(db), "--faers", *map(str, zips)]
    run = run_child(cmd, env, db.parent)
    costs, transform_all = quarter_costs(run.lines)
    return BuildReport("one process", run.wall_s, run.peak_rss_mb, _peak_disk(run.samples),
                       db.stat().st_size / 1e6, costs, run.samples, transform_all)  # fmt: skip


def build_by_adds(db: Path, zips: list[Path], env: dict) -> BuildReport:
    """A build of the first zip, then one `kratom-etl build --add` per further zip."""
    _fresh(db)
    costs, samples, wall, peak = [], [], 0.0, 0.0
    for i, path in enumerate(zips):
        cmd = [*etl_command(env), "build", "--db", str(db), "--faers", str(path)]
        run = run_child(cmd + (["--add"] if i else []), env, db.parent)
        copied = [float(m.group(1)) for *_, text in run.lines if (m := COPIED.search(text))]
        loaded, _ = quarter_costs(run.lines)
        quarter = loaded[0].quarter if loaded else path.name
        costs.append(
            QuarterCost(quarter, None, copy_s=sum(copied), wall_s=run.wall_s, cpu_s=run.cpu_s)
        )
        samples += [(wall + t, r, d) for t, r, d in run.samples]
        wall += run.wall_s
        peak = max(peak, run.peak_rss_mb)
    return BuildReport("build --add per quarter", wall, peak, _peak_disk(samples),
                       db.stat().st_size / 1e6, costs, samples)  # fmt: skip


def _fresh(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in db.parent.glob(db.name + "*"):
        if stale.is_file():
            stale.unlink()


def _peak_disk(samples: list[tuple[float, float, float]]) -> float:
    return max((d for _, _, d in samples), default=0.0)


def growth(costs: list[float], n: int = 10) -> tuple[float, float]:
    """(mean of the last n / mean of the first n, least-squares slope in s per quarter loaded)."""
    n = max(1, min(n, len(costs) // 2))
    ratio = statistics.fmean(costs[-n:]) / statistics.fmean(costs[:n])
    slope = statistics.linear_regression(range(len(costs)), costs).slope if len(costs) > 1 else 0.0
    return ratio, slope
