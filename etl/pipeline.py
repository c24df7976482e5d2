"""build(): raw → staging → model → checks, into a new file swapped in once all checks pass."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import checks, db, reference_data
from etl.sources import faers, poison_centers

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
STAGING_STEPS = ("00_macros", "demo", "drug", "reac", "outc", "indi", "ther", "rpsr")
MODEL_STEPS = (
    "case_versions",
    "kept_reports",
    "funnel",
    "drug_names",
    "kratom_drugs",
    "cases",
    "case_substances",
    "pt_names",
    "case_events",
    "case_indications",
    "case_therapies",
    "kratom_spellings",
    "reference_tables",
)


@dataclass
class BuildResult:
    db_path: Path
    quarters: list[str] = field(default_factory=list)
    rows_loaded: int = 0
    rows_rejected: int = 0
    kratom_cases: int = 0


def create_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for name in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
    db.run_sql_dir(con, "raw")


def load_reference_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the reviewed CSVs of etl/reference/ (validated) into the `ref` schema."""
    for name in REFERENCE_TABLES:
        frame = reference_data.load_reference(name)  # noqa: F841 - read by DuckDB below
        con.execute(f"CREATE OR REPLACE TABLE ref.{name} AS SELECT * FROM frame")


def transform(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild staging and model from whatever raw holds."""
    for step in STAGING_STEPS:
        db.run_sql_file(con, f"staging/{step}.sql")
    for step in MODEL_STEPS:
        db.run_sql_file(con, f"model/{step}.sql")


def record_build(con: duckdb.DuckDBPyConnection, result: BuildResult, sources: dict) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE meta.build AS SELECT ?::TIMESTAMP AS built_at, ? AS quarters, "
        "? AS sources_json, ? AS is_synthetic",
        [
            dt.datetime.now(dt.UTC).replace(tzinfo=None),
            ",".join(result.quarters),
            json.dumps(sources),
            bool(con.execute("SELECT bool_or(is_synthetic) FROM raw.quarters").fetchone()[0]),
        ],
    )


def build(
    db_path: Path,
    faers_paths: Sequence[Path],
    poison_center_paths: Sequence[Path] | None = None,
    *,
    ignore_unknown_columns: bool = False,
) -> BuildResult:
    """Build a new database from local FAERS quarters and poison-center tables, then swap it in.

    Raises InputError (bad input) or CheckFailed (a check found bad rows); either way the live
    database at `db_path` is left as it was.
    """
    result = BuildResult(db_path=Path(db_path))
    pc_paths = list(poison_center_paths or poison_centers.default_files())
    with db.build_then_swap(db_path) as con:
        create_schemas(con)
        for path in faers_paths:
            summary = faers.load_quarter(
                con, Path(path), ignore_unknown_columns=ignore_unknown_columns
            )
            log.info("loaded %s from %s", summary.quarter, path)
        load_reference_tables(con)
        transform(con)
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
            "SELECT count(*) FROM model.cases WHERE is_kratom"
        ).fetchone()[0]
        record_build(
            con,
            result,
            {"faers": [str(p) for p in faers_paths], "poison_centers": [str(p) for p in pc_paths]},
        )
    return result


def build_demo(db_path: Path, out_dir: Path) -> BuildResult:
    """`kratom-etl demo`: write the synthetic quarters (deterministic) and build them for real."""
    from etl.demo import write_demo_quarters

    zips = write_demo_quarters(Path(out_dir))
    return build(db_path, zips)
