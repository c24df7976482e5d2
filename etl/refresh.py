"""`kratom-etl refresh`: download what is new, rebuild from the raw store, check, swap, record.

What cron or a systemd timer runs every week. One refresh at a time (`<db>.lock`); a run whose
inputs (FAERS zips by sha256, poison-center tables, reference CSVs, ETL code) match what the live
database was built from changes nothing. Every run is recorded (etl/runlog.py). Killed at any
point, it leaves the live database whole: downloads go to `.part` files, builds to `<db>.building`
(removed at the next start), and the swap is one os.replace.
"""

from __future__ import annotations

import hashlib
import logging
import time
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
import requests

from etl import db, runlog
from etl.config import REPO_ROOT, Settings
from etl.download import file_sha256
from etl.errors import InputError
from etl.http import Sleep
from etl.kratom_match import openfda_search_words
from etl.lock import describe_holder, hold_lock
from etl.pipeline import BuildResult, build
from etl.sigterm import as_terminated
from etl.sources import openfda, openfda_rows, poison_centers
from etl.sources.fda_downloads import ASCII_ZIP, DownloadReport, download_quarters, parse_quarter

log = logging.getLogger(__name__)

ETL_DIR = REPO_ROOT / "etl"


def raw_faers_zips(raw_dir: Path) -> list[Path]:
    """Every quarterly ASCII zip in `<raw_dir>/faers/`, in quarter order."""
    folder = Path(raw_dir) / "faers"
    found = [p for p in folder.glob("*.zip") if ASCII_ZIP.match(p.name)] if folder.is_dir() else []
    return sorted(found, key=lambda p: parse_quarter(quarter_of(p)))


def quarter_of(path: Path) -> str:
    return ASCII_ZIP.match(path.name).expand(r"\2Q\3")


def _files_digest(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _file_entries(paths: list[Path], known: list[dict]) -> list[dict]:
    """name, size, mtime and sha256 of each file; a hash is reused when size and mtime match."""
    cache = {(e["file"], e["size"], e["mtime_ns"]): e["sha256"] for e in known}
    entries = []
    for path in paths:
        st = path.stat()
        key = (path.name, st.st_size, st.st_mtime_ns)
        sha256 = cache.get(key) or file_sha256(path)
        entries.append(dict(file=key[0], size=key[1], mtime_ns=key[2], sha256=sha256))
    return entries


def input_fingerprint(zips: list[Path], pc_files: list[Path], previous: dict | None) -> dict:
    """What a build reads: the raw zips and poison-center tables by sha256, reference and code."""
    previous = previous or {}
    return {
        "faers": _file_entries(zips, previous.get("faers", [])),
        "poison_centers": _file_entries(pc_files, previous.get("poison_centers", [])),
        "reference_sha256": _files_digest(list((ETL_DIR / "reference").glob("*.csv")), ETL_DIR),
        "code_sha256": _files_digest(
            [p for p in ETL_DIR.rglob("*") if p.suffix in {".py", ".sql"}], ETL_DIR
        ),
    }


def openfda_digest(frames: dict[str, dict[str, pl.DataFrame]]) -> str:
    """A sha256 of the openFDA reports fetched (every table, sorted): did they change?"""
    h = hashlib.sha256()
    for source in sorted(frames):
        for table in sorted(frames[source]):
            frame = frames[source][table]
            h.update(f"{source}/{table}".encode())
            if frame.width:  # row hashes, order-free (frames hold nested columns)
                h.update(repr(sorted(frame.hash_rows(seed=0).to_list())).encode())
    return h.hexdigest()


def same_inputs(a: dict, b: dict | None) -> bool:
    def key(doc: dict) -> tuple:
        files = tuple(
            tuple(sorted((e["file"], e["sha256"]) for e in doc.get(kind, [])))
            for kind in ("faers", "poison_centers")
        )
        hashes = ("reference_sha256", "code_sha256", "openfda_sha256")
        return (*files, *(doc.get(h) for h in hashes))

    return b is not None and key(a) == key(b)


def read_live_runs(db_path: Path) -> list[runlog.RunRecord]:
    """meta.runs of the live database ([] when there is none or it cannot be read)."""
    if not db_path.exists():
        return []
    try:
        con = db.connect(db_path, read_only=True)
    except duckdb.Error as exc:
        log.warning("cannot read the run log of %s (%s); it will be rebuilt", db_path, exc)
        return []
    try:
        return runlog.read_db_runs(con, db_path)
    finally:
        con.close()


def openfda_since(last_quarter: str) -> str:
    """The day after `last_quarter` ends, as openFDA writes dates (20241001 after 2024Q3)."""
    year, q = parse_quarter(last_quarter)
    return (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)).strftime("%Y%m%d")


def fetch_openfda(
    settings: Settings, last_quarter: str, *, session: requests.Session | None, sleep: Sleep
) -> tuple[dict[str, dict[str, pl.DataFrame]], list[str]]:
    """Kratom reports of both openFDA endpoints, mapped to frames: drug/event's received after
    `last_quarter` (the quarterly files hold the earlier ones), CAERS's of every date (it has no
    quarterly files). A failing endpoint becomes a warning: openFDA never blocks the refresh.
    """
    client = openfda.OpenFdaClient(settings.openfda_api_key, session=session, sleep=sleep)
    since = openfda_since(last_quarter)
    frames, warnings = {}, []
    for source, to_rows in (
        ("openfda-faers", openfda_rows.drug_event_rows),
        ("openfda-caers", openfda_rows.food_event_rows),
    ):
        try:
            results = openfda.fetch_kratom_reports(
                settings,
                source,
                openfda_search_words(),
                received_since=since if source == "openfda-faers" else None,
                client=client,
            )
            frames[source] = to_rows(results)
        except Exception as exc:  # any failure: warn, build without this source
            warnings.append(f"{source} skipped: {one_line(exc)}")
            log.warning("openFDA %s skipped: %s", source, one_line(exc))
    return frames, warnings


def openfda_enabled(settings: Settings, use_openfda: bool) -> bool:
    return use_openfda and settings.openfda_url.strip().lower() != "off"


def one_line(exc: BaseException) -> str:
    text = exc.one_line() if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
    return text.replace("\n", " ")


def remove_stale_build(db_path: Path) -> None:
    building = db.building_path(db_path)
    for path in (building, building.with_name(building.name + ".wal")):
        if path.exists():
            log.warning("removing %s left by an interrupted build", path)
            path.unlink(missing_ok=True)


def _finish_in_db(
    con: duckdb.DuckDBPyConnection,
    result: BuildResult,
    run: runlog.RunRecord,
    earlier: list[runlog.RunRecord],
) -> None:
    """Before the swap: the run's numbers and every run so far into meta.runs."""
    run.sources["openfda"] = dict(result.openfda_reports)
    run.quarters = result.quarters
    run.rows_in, run.rows_rejected = int(result.rows_loaded), int(result.rows_rejected)
    run.kratom_cases = int(result.kratom_cases)
    run.rows_out = con.execute("SELECT count(*) FROM model.cases").fetchone()[0]
    funnel = con.execute("SELECT * FROM model.funnel WHERE era = 'total'").fetchone()
    names = [d[0] for d in con.description]
    run.funnel = {k: v for k, v in zip(names, funnel or (), strict=False) if k != "era"}
    run.status, run.ended_at = "updated", datetime.now(UTC)
    runlog.write_db_runs(con, runlog.merge_runs(earlier, [run]))


def refresh(
    settings: Settings,
    *,
    since: str = "2004Q1",
    use_openfda: bool = True,
    force: bool = False,
    session: requests.Session | None = None,
    sleep: Sleep = time.sleep,
) -> runlog.RunRecord:
    """Download, then rebuild and swap unless nothing changed; the run's record (also logged).

    Raises LockHeld when another refresh runs, DownloadError when a quarter could not be
    fetched, InputError or CheckFailed from the build; the live database is then untouched.
    """
    db_path = Path(settings.db_path)
    log_path = runlog.runs_log_path(settings.data_dir)
    with hold_lock(db_path) as stale:
        run = runlog.new_run(db_path)
        if stale:
            run.warnings.append(f"cleared a stale lock ({describe_holder(stale)})")
        try:
            _refresh_locked(settings, run, since, use_openfda, force, session, sleep)
        except BaseException as exc:
            remove_stale_build(db_path)  # a signal can land between the file's creation and `try`
            stopped = as_terminated(exc)  # a SIGTERM that DuckDB reported as "Query interrupted"
            run.status, run.error = "failed", one_line(stopped)
            run.ended_at = datetime.now(UTC)
            runlog.append_run(log_path, run)
            if stopped is not exc:
                raise stopped from exc
            raise
        runlog.append_run(log_path, run)
        return run


def _refresh_locked(
    settings: Settings,
    run: runlog.RunRecord,
    since: str,
    use_openfda: bool,
    force: bool,
    session: requests.Session | None,
    sleep: Sleep,
) -> None:
    db_path = Path(settings.db_path)
    remove_stale_build(db_path)
    run.new_quarters = download_quarters(settings, since, session=session, sleep=sleep).downloaded
    zips = raw_faers_zips(settings.raw_dir)
    if not zips:
        raise InputError(str(settings.raw_dir / "faers"), "no FAERS quarterly zips to build from")
    live_runs = read_live_runs(db_path)
    built_from = next((r.sources for r in reversed(live_runs) if r.status == "updated"), None)
    pc_files = poison_centers.default_files()
    run.sources = input_fingerprint(zips, pc_files, built_from)
    run.quarters = [quarter_of(p) for p in zips]
    # openFDA is fetched on every run, before deciding: it is what changes between quarterly
    # files (the weeks after the latest quarter). A source that failed keeps the previous digest,
    # so a failure alone never counts as news.
    frames: dict[str, dict[str, pl.DataFrame]] = {}
    if openfda_enabled(settings, use_openfda):
        frames, warnings = fetch_openfda(settings, run.quarters[-1], session=session, sleep=sleep)
        run.warnings.extend(warnings)
        ok = not warnings
        previous = (built_from or {}).get("openfda_sha256")
        digest = openfda_digest(frames) if ok or previous is None else previous
        run.sources["openfda_sha256"] = digest
    if not force and db_path.exists() and same_inputs(run.sources, built_from):
        run.status, run.ended_at = "nothing_new", datetime.now(UTC)
        return
    earlier = runlog.merge_runs(
        live_runs, runlog.read_run_log(runlog.runs_log_path(settings.data_dir), db_path)
    )
    build(
        db_path,
        zips,
        pc_files,
        before_swap=lambda con, result: _finish_in_db(con, result, run, earlier),
        openfda_frames=frames,
    )


def download(settings: Settings, since: str, until: str | None) -> DownloadReport:
    """`kratom-etl download`: fetch missing quarters under the refresh lock."""
    with hold_lock(settings.db_path):
        return download_quarters(settings, since, until)
