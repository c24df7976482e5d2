"""build(): raw → staging → model → checks, into a new file swapped in once all checks pass."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import checks, db, reference_data
from etl.download import file_sha256
from etl.errors import InputError
from etl.openfda_model import remove_openfda_cases, transform_openfda, write_openfda_raw
from etl.sources import faers, poison_centers
from etl.transform import transform, transform_pending

log = logging.getLogger(__name__)

SCHEMAS = ("raw", "ref", "staging", "model", "meta")
REFERENCE_TABLES = (
    "kratom_terms",
    "event_groups",
    "event_group_list",
    "substance_synonyms",
    "substance_classes",
    "drug_name_noise",
    "indication_groups",
    "countries",
    "timeline",
)
# Last of the model, for the dashboard (docs/architecture.md, "The kratom slice"): the kratom
# cases' rows of model.cases and model.case_events, the kratom report versions' funnel per year
# (after the slice, which it reads), every case counted per quarter of its dates, and the cases
# and versions counted per quarter of their file (model.quarter_totals); each is written again
# in full by every build and checked against the model (etl/checks/).
DASHBOARD_STEPS = ("kratom_slice", "kratom_funnel", "cases_per_quarter", "quarter_totals")


@dataclass
class BuildResult:
    db_path: Path
    quarters: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    rows_rejected: int = 0
    kratom_cases: int = 0  # from the quarterly files; openfda_cases counts openFDA's
    quarters_added: list[str] = field(default_factory=list)  # loaded and transformed by this build
    incremental: bool = False  # started from a copy of the live database
    copy_seconds: float = 0.0  # time spent copying the live file (O(database size) bytes)
    openfda_reports: dict[str, int] = field(default_factory=dict)  # raw reports written by source
    openfda_cases: dict[str, int] = field(default_factory=dict)  # model cases added by source


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for name in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
    db.run_sql_dir(con, "raw")


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the reviewed CSVs of etl/reference/ (validated) into the `ref` schema."""
    for name in REFERENCE_TABLES:
        frame = reference_data.load_reference(name)  # noqa: F841 - read by DuckDB below
        con.execute(f"CREATE OR REPLACE TABLE ref.{name} AS SELECT * FROM frame")


def write_dashboard_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The kratom slice (model.kratom_cases, model.kratom_case_events), model.kratom_funnel,
    model.cases_per_quarter and model.quarter_totals, written again in full after every other
    model step (openFDA's cases included); each step's seconds are logged."""
    for step in DASHBOARD_STEPS:
        started = time.perf_counter()
        db.run_sql_file(con, f"model/{step}.sql")
        log.info("wrote %s in %.1f s", step, time.perf_counter() - started)


def files_sha256(root: Path, *patterns: str) -> str:
    """One sha256 over the paths (relative to `root`) and bytes of the files matching `patterns`."""
    digest = hashlib.sha256()
    for path in sorted(p for pattern in patterns for p in root.glob(pattern)):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build_digests() -> dict[str, str]:
    """What staging and model derive from besides raw: the reference CSVs and the SQL."""
    return {
        "reference_sha256": files_sha256(reference_data.REFERENCE_DIR, "*.csv"),
        "transform_sha256": files_sha256(db.SQL_DIR, "staging/*.sql", "model/*.sql"),
    }


def record_build(con: duckdb.DuckDBPyConnection, result: BuildResult, sources: dict) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE meta.build AS SELECT ?::TIMESTAMP AS built_at, ? AS quarters, "
        "? AS sources_json, ? AS is_synthetic, ? AS reference_sha256, ? AS transform_sha256",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            ",".join(result.quarters),
            json.dumps(sources),
            bool(con.execute("SELECT bool_or(is_synthetic) FROM raw.quarters").fetchone()[0]),
            *build_digests().values(),
        ],
    )


def build(
    db_path: Path,
    faers_paths: Sequence[Path],
    poison_center_paths: Sequence[Path] | None = None,
    *,
    ignore_unknown_columns: bool = False,
    before_swap: Callable[[duckdb.DuckDBPyConnection, BuildResult], None] | None = None,
    incremental: bool = False,
    openfda_frames: Mapping[str, Mapping[str, pl.DataFrame]] | None = None,
) -> BuildResult:
    """Build a new database from local FAERS quarters and poison-center tables, then swap it in.

    Raises InputError (bad input) or CheckFailed (a check found bad rows); either way the live
    database at `db_path` is left as it was. `before_swap(con, result)` runs last, on the new file
    (`kratom-etl refresh` adds openFDA rows and the run log there).

    `incremental` (`kratom-etl build --add`): start from a copy of the live database, if there is
    one, and load and transform only the quarters it does not hold yet; staging and model are
    derived again in full from its raw tables when the reference data or the SQL changed since.

    `openfda_frames` ({source: openfda_rows.drug_event_rows(...) or food_event_rows(...)}, what
    `kratom-etl refresh` fetched) replace those sources' raw.openfda_* rows before the model is
    derived; openFDA cases are always derived again from raw.openfda_* in full.
    """
    result = BuildResult(db_path=Path(db_path))
    pc_paths = list(poison_center_paths or poison_centers.default_files())
    result.incremental = incremental and result.db_path.exists()
    if result.incremental:
        result.copy_seconds = db.copy_live_to_building(db_path)
        log.info("copied the live database in %.1f s", result.copy_seconds)
    swap = db.build_then_swap(db_path, from_copy=result.incremental)
    with swap as con:
        create_schemas(con)
        if result.incremental:
            _drop_stale_derived_tables(con)
        result.openfda_reports = write_openfda_raw(con, openfda_frames or {})
        load_reference_tables(con)
        remove_openfda_cases(con)
        batches = _Batches(con)
        batches.run(flush=False)  # raw quarters kept by an add whose model was dropped
        for path in faers_paths:
            if result.incremental and _is_loaded(con, Path(path)):
                continue
            started = time.perf_counter()
            summary = faers.load_quarter(
                con, Path(path), ignore_unknown_columns=ignore_unknown_columns
            )
            log.info(
                "loaded %s from %s in %.1f s (%s rows)",
                summary.quarter,
                path,
                time.perf_counter() - started,
                f"{sum(summary.rows_loaded.values()):,}",
            )
            result.quarters_added.append(summary.quarter)
            batches.run(flush=False)
        batches.run(flush=True)
        log.info("transformed %d quarter(s) in %.1f s", len(batches.done), batches.seconds)
        from etl.signal_tables import write_signal_tables

        write_signal_tables(con)
        result.openfda_cases = transform_openfda(con)
        write_dashboard_tables(con)
        poison_centers.write_model_table(con, poison_centers.load_summary_files(pc_paths))
        checks.run_checks(con)
        result.quarters = [
            r[0] for r in con.execute("SELECT quarter FROM raw.quarters ORDER BY 1").fetchall()
        ]
        result.rows_loaded, result.rows_rejected = con.execute(
            "SELECT coalesce(sum(n_rows_loaded), 0), coalesce(sum(n_rows_rejected), 0) "
            "FROM raw.manifest"
        ).fetchone()
        result.kratom_cases = con.execute(
            "SELECT count(*) FROM model.cases WHERE is_kratom AND source = 'faers-quarterly'"
        ).fetchone()[0]
        archives = con.execute("SELECT archive FROM raw.quarters ORDER BY quarter").fetchall()
        record_build(
            con,
            result,
            {"faers": [a for (a,) in archives], "poison_centers": [str(p) for p in pc_paths]},
        )
        if before_swap is not None:
            before_swap(con, result)
    return result


class _Batches:
    """transform_pending over one build: the quarters it transformed and the seconds it took."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.done: list[str] = []
        self.seconds = 0.0

    def run(self, *, flush: bool) -> None:
        started = time.perf_counter()
        self.done += transform_pending(self.con, flush=flush)
        if flush and not self.done:  # nothing new: the model's tables and aggregates all the same
            transform(self.con, [])
        self.seconds += time.perf_counter() - started


def _is_loaded(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    """Whether the quarter of `path` is in raw already; from another zip it is an InputError."""
    quarter = faers.find_quarter_files(path).quarter
    row = con.execute(
        "SELECT archive, archive_sha256 FROM raw.quarters WHERE quarter = ?", [quarter]
    ).fetchone()
    if row is None:
        return False
    archive, loaded_sha256 = row
    if loaded_sha256 and path.is_file() and file_sha256(path) != loaded_sha256:
        raise InputError(
            str(path),
            f"quarter {quarter} is already loaded from a different archive ({archive}); "
            "rebuild without --add to replace it",
        )
    log.info("skipped %s: quarter %s is already loaded", path, quarter)
    return True


def _drop_stale_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop staging and model when they were derived with other reference data or SQL."""
    try:
        live = con.execute("SELECT reference_sha256, transform_sha256 FROM meta.build").fetchone()
    except duckdb.Error:  # built before incremental builds existed
        live = None
    wanted = build_digests()
    if live is None:
        reason = "the live database predates incremental builds"
    elif live[0] != wanted["reference_sha256"]:
        reason = "the reference data (etl/reference/*.csv) changed since the live build"
    elif live[1] != wanted["transform_sha256"]:
        reason = "the staging or model SQL changed since the live build"
    else:
        return
    log.info("deriving staging and model again from every raw quarter: %s", reason)
    con.execute("DROP SCHEMA staging CASCADE")
    con.execute("DROP SCHEMA model CASCADE")
    con.execute("DROP TABLE IF EXISTS meta.transformed_quarters")
    create_schemas(con)


def build_demo(db_path: Path, out_dir: Path) -> BuildResult:
    """`kratom-etl demo`: write the synthetic quarters (deterministic) and build them for real."""
    from etl.demo import write_demo_quarters

    zips = write_demo_quarters(Path(out_dir))
    return build(db_path, zips)
