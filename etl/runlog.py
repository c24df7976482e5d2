"""The run log: every `kratom-etl refresh`, in `<KRATOM_DATA_DIR>/runs.jsonl` and in meta.runs.

runs.jsonl is append-only and durable even when the live database must not be touched (a failed
or a no-op run). meta.runs is carried from database to database: each successful build copies the
live file's runs, merges runs.jsonl and adds its own run before the swap.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from etl import db

log = logging.getLogger(__name__)

RUNS_LOG_NAME = "runs.jsonl"
STATUSES = ("running", "updated", "nothing_new", "failed")
COLUMNS = (
    "run_id", "started_at", "ended_at", "status", "quarters", "new_quarters", "sources_json",
    "rows_in", "rows_out", "rows_rejected", "kratom_cases", "funnel_json", "warnings", "error",
)  # fmt: skip


@dataclass
class RunRecord:
    run_id: str
    started_at: datetime  # UTC, aware
    db: str = ""
    ended_at: datetime | None = None
    status: str = "running"
    quarters: list[str] = field(default_factory=list)
    new_quarters: list[str] = field(default_factory=list)
    sources: dict = field(default_factory=dict)
    rows_in: int | None = None
    rows_out: int | None = None
    rows_rejected: int | None = None
    kratom_cases: int | None = None
    funnel: dict | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self, timespec: str = "microseconds") -> dict:
        doc = asdict(self)
        for key in ("started_at", "ended_at"):
            value = doc[key]
            doc[key] = value.isoformat(timespec=timespec) if value else None
        return doc

    @classmethod
    def from_json(cls, doc: dict) -> RunRecord:
        known = {k: v for k, v in doc.items() if k in cls.__dataclass_fields__}
        for key in ("started_at", "ended_at"):
            if known.get(key):
                known[key] = _aware(datetime.fromisoformat(known[key]))
        return cls(**known)

    def summary(self) -> dict:
        """The short form shown by `kratom-etl status --json` under "runs"."""
        doc = self.to_json(timespec="seconds")
        for key in ("db", "sources"):
            doc.pop(key)
        return doc


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def new_run(db_path: Path | str) -> RunRecord:
    started = datetime.now(UTC)
    run_id = f"{started:%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:6]}"
    return RunRecord(run_id=run_id, started_at=started, db=str(Path(db_path).resolve()))


def runs_log_path(data_dir: Path) -> Path:
    return Path(data_dir) / RUNS_LOG_NAME


def append_run(log_path: Path, record: RunRecord) -> None:
    """Append one JSON line and flush it to disk."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as f:
        f.write(json.dumps(record.to_json(), sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_run_log(log_path: Path, db_path: Path | str) -> list[RunRecord]:
    """The runs of `log_path` made against `db_path`; a line cut short by a crash is skipped."""
    if not log_path.exists():
        return []
    wanted = str(Path(db_path).resolve())
    records = []
    for number, line in enumerate(log_path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            record = RunRecord.from_json(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("%s:%d: skipped an unreadable run record (%s)", log_path, number, exc)
            continue
        if record.db == wanted:
            records.append(record)
    return records


def merge_runs(*groups: list[RunRecord]) -> list[RunRecord]:
    """One record per run_id (a later group wins), oldest first."""
    by_id: dict[str, RunRecord] = {}
    for group in groups:
        by_id.update((r.run_id, r) for r in group)
    return sorted(by_id.values(), key=lambda r: (r.started_at, r.run_id))


def _row(record: RunRecord) -> list:
    def naive(value: datetime | None) -> datetime | None:
        return value.astimezone(UTC).replace(tzinfo=None) if value else None

    return [
        record.run_id, naive(record.started_at), naive(record.ended_at), record.status,
        record.quarters, record.new_quarters, json.dumps(record.sources, sort_keys=True),
        record.rows_in, record.rows_out, record.rows_rejected, record.kratom_cases,
        json.dumps(record.funnel) if record.funnel is not None else None,
        record.warnings, record.error,
    ]  # fmt: skip


def write_db_runs(con: duckdb.DuckDBPyConnection, records: list[RunRecord]) -> None:
    """Replace meta.runs with `records`."""
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    db.run_sql_file(con, "meta/runs.sql")
    con.execute("DELETE FROM meta.runs")
    if records:
        marks = ", ".join("?" for _ in COLUMNS)
        con.executemany(
            f"INSERT INTO meta.runs ({', '.join(COLUMNS)}) VALUES ({marks})",
            [_row(r) for r in records],
        )


def read_db_runs(con: duckdb.DuckDBPyConnection, db_path: Path | str) -> list[RunRecord]:
    """meta.runs of an open database, oldest first ([] when it has none)."""
    has_table = con.execute(
        "SELECT count(*) FROM information_schema.tables "
        "WHERE table_schema = 'meta' AND table_name = 'runs'"
    ).fetchone()[0]
    if not has_table:
        return []
    rows = con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM meta.runs ORDER BY started_at, run_id"
    ).fetchall()
    return [_record(dict(zip(COLUMNS, row, strict=True)), db_path) for row in rows]


def _record(row: dict, db_path: Path | str) -> RunRecord:
    sources, funnel = row.pop("sources_json"), row.pop("funnel_json")
    for key in ("started_at", "ended_at"):
        if row[key] is not None:
            row[key] = row[key].replace(tzinfo=UTC)
    for key in ("quarters", "new_quarters", "warnings"):
        row[key] = list(row[key] or [])
    return RunRecord(
        **row,
        db=str(Path(db_path).resolve()),
        sources=json.loads(sources) if sources else {},
        funnel=json.loads(funnel) if funnel else None,
    )
