"""What a database holds: quarters, rows per table and quarter, rejects, input issues, funnel,
kratom cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from etl import db, runlog
from etl.config import load_settings
from etl.errors import InputError

TABLES = ("demo", "drug", "reac", "outc", "rpsr", "ther", "indi")
N_RUNS = 10


_FUNNEL_STEPS = ("report_versions", "latest_versions", "after_deleted")


def _funnel_total(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, int]:
    """The total row of a funnel table (`sql` selects it, `{}` the step columns), 0s if none."""
    row = con.execute(sql.format(", ".join(_FUNNEL_STEPS))).fetchone() or (0, 0, 0)
    return dict(zip(_FUNNEL_STEPS, row, strict=True))


def _has_table(con, schema: str, name: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = ? AND table_name = ?",
            [schema, name],
        ).fetchone()[0]
    )


def last_runs(con, db_path: Path, runs_log: Path | None) -> list[dict[str, Any]]:
    """The last refresh runs, newest first: meta.runs merged with runs.jsonl (failed, no-op)."""
    log_path = runs_log or runlog.runs_log_path(load_settings().data_dir)
    runs = runlog.merge_runs(
        runlog.read_db_runs(con, db_path), runlog.read_run_log(log_path, db_path)
    )
    return [r.summary() for r in reversed(runs[-N_RUNS:])]


def read_status(db_path: Path, runs_log: Path | None = None) -> dict[str, Any]:
    """The stable status document (`kratom-etl status --json`); later keys are only ever added.

    `runs_log`: the refresh log to merge (default `<KRATOM_DATA_DIR>/runs.jsonl`).
    """
    if not Path(db_path).exists():
        raise InputError(str(db_path), "no database here yet (run `kratom-etl build` or `demo`)")
    con = db.connect(db_path, read_only=True)
    try:
        quarters = [
            r[0] for r in con.execute("SELECT quarter FROM raw.quarters ORDER BY 1").fetchall()
        ]
        rows: dict[str, dict[str, int]] = {t: {} for t in TABLES}
        for table, quarter, n in con.execute(
            "SELECT table_name, quarter, sum(n_rows_loaded)::BIGINT FROM raw.manifest "
            "WHERE table_name <> 'deleted' GROUP BY ALL ORDER BY 1, 2"
        ).fetchall():
            rows.setdefault(table, {})[quarter] = n
        rejected = {q: 0 for q in quarters}
        for quarter, n in con.execute(
            "SELECT quarter, count(*) FROM raw.rejects GROUP BY 1 ORDER BY 1"
        ).fetchall():
            rejected[quarter] = n
        doc: dict[str, Any] = {"quarters": quarters, "rows": rows, "rejected": rejected}
        if _has_table(con, "staging", "input_issues"):  # docs/bad-input.md
            doc["input_issues"] = dict(
                con.execute(
                    "SELECT issue, count(*) FROM staging.input_issues GROUP BY 1 ORDER BY 1"
                ).fetchall()
            )
        if _has_table(con, "model", "funnel"):
            doc["funnel"] = _funnel_total(con, "SELECT {} FROM model.funnel WHERE era = 'total'")
            if _has_table(con, "model", "kratom_funnel"):  # docs/architecture.md
                doc["kratom_funnel"] = _funnel_total(
                    con, "SELECT {} FROM model.kratom_funnel WHERE year = 'total'"
                )
            doc["kratom_cases"] = con.execute(
                "SELECT count(*) FROM model.cases WHERE is_kratom"
            ).fetchone()[0]
            if _has_table(con, "model", "probable_duplicates"):  # docs/architecture.md
                n_all, n_kratom = con.execute(
                    "SELECT count(*), count(*) FILTER (WHERE c.is_kratom) "
                    "FROM model.probable_duplicates p JOIN model.cases c USING (case_id)"
                ).fetchone()
                doc["probable_duplicates"] = {"cases": n_all, "kratom_cases": n_kratom}
        if _has_table(con, "meta", "build"):
            built_at, synthetic = con.execute(
                "SELECT built_at, is_synthetic FROM meta.build"
            ).fetchone()
            doc["built_at"] = built_at.isoformat(timespec="seconds")
            doc["is_synthetic"] = bool(synthetic)
        doc["runs"] = last_runs(con, Path(db_path), runs_log)
        return doc
    finally:
        con.close()


def format_status(doc: dict[str, Any]) -> str:
    """A short human-readable summary of the status document."""
    q = doc["quarters"]
    lines = [f"quarters: {len(q)} ({q[0]}–{q[-1]})" if q else "quarters: none"]
    for table, per_quarter in doc["rows"].items():
        lines.append(f"  {table:<5} {sum(per_quarter.values()):>12,} rows")
    n_rej = sum(doc["rejected"].values())
    worst = ", ".join(f"{k}: {v}" for k, v in doc["rejected"].items() if v)
    lines.append(f"rejected rows: {n_rej:,}" + (f" ({worst})" if worst else ""))
    if "input_issues" in doc:
        issues = doc["input_issues"]
        kinds = ", ".join(f"{k}: {v:,}" for k, v in issues.items())
        what = "values nulled, rows left out, drug links missing"
        lines.append(
            f"input issues ({what}): {sum(issues.values()):,}" + (f" ({kinds})" if kinds else "")
        )
    if "funnel" in doc:
        f = doc["funnel"]
        lines.append(
            f"funnel: {f['report_versions']:,} report versions → {f['latest_versions']:,} latest "
            f"→ {f['after_deleted']:,} after deleted lists"
        )
        if "kratom_funnel" in doc:
            k = doc["kratom_funnel"]
            lines.append(
                f"kratom funnel: {k['report_versions']:,} report versions naming kratom → "
                f"{k['latest_versions']:,} latest → {k['after_deleted']:,} after deleted lists"
            )
        lines.append(f"kratom cases: {doc['kratom_cases']:,}")
        if "probable_duplicates" in doc:
            d = doc["probable_duplicates"]
            lines.append(
                f"probable duplicates (counted unless set aside): {d['cases']:,} cases, "
                f"{d['kratom_cases']:,} of them kratom"
            )
    if "built_at" in doc:
        lines.append(
            f"built: {doc['built_at']} UTC"
            + (" (synthetic FAERS data)" if doc["is_synthetic"] else "")
        )
    if doc.get("runs"):
        lines.append("last runs (newest first):")
        lines.extend(f"  {run_line(run)}" for run in doc["runs"])
    return "\n".join(lines)


def run_line(run: dict[str, Any]) -> str:
    """One refresh run as a line: when, outcome, quarters or error."""
    head = f"{run['started_at']} {run['status']:<11}"
    if run["status"] == "failed":
        return f"{head} {run['error']}"
    new = f", new: {', '.join(run['new_quarters'])}" if run["new_quarters"] else ""
    return f"{head} {len(run['quarters'])} quarter(s){new}"
