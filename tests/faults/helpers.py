"""Helpers for the fault tests: what a database holds, the ETL as a separate process."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
# Tables whose rows say which build a file is; meta.* (times, run ids) differs between builds.
CONTENT_TABLES = ("raw.quarters", "model.cases", "model.case_substances", "model.case_events")


def content(path: Path) -> dict[str, tuple]:
    """Row count and an order-free digest of each content table (opened read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table in CONTENT_TABLES:
            # raw.quarters names the archive's folder; only the quarter says what was built
            column = "quarter" if table == "raw.quarters" else "t"
            out[table] = con.execute(
                f"SELECT count(*), coalesce(sum(hash({column}::VARCHAR)), 0) FROM {table} t"
            ).fetchone()
        return out
    finally:
        con.close()


def quarters(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT quarter FROM raw.quarters ORDER BY 1").fetchall()]
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def leftovers(folder: Path) -> list[str]:
    """Files a build or a swap may leave beside the database (`*.building*`, `*.tmp`)."""
    return sorted(p.name for p in folder.iterdir() if ".building" in p.name or p.suffix == ".tmp")


def etl_env(**values: str) -> dict[str, str]:
    """The environment of a `kratom-etl` child process: this one's, plus `values`."""
    return {**os.environ, "PYTHONPATH": str(REPO), "KRATOM_OPENFDA_URL": "off", **values}


def etl_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", *args]


def run_etl(
    *args: str,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess:
    """Run `kratom-etl ARGS` in a child process; its stdout and stderr as text."""
    return subprocess.run(
        etl_command(*args),
        cwd=REPO,
        env=env or etl_env(),
        preexec_fn=preexec_fn,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def error_lines(stderr: str) -> list[str]:
    """The lines of a child's stderr that report a failure (progress logs are left out)."""
    return [line for line in stderr.splitlines() if line.startswith("kratom-etl:")]
