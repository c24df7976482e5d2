"""openFDA's reports in a build: their raw rows replaced by source, their model rows derived again.

openFDA cases are few and always derived again in full, after the FAERS steps and the signal
tables (which stay FAERS-quarterly only): docs/architecture.md, "openFDA in the model".
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from etl import db
from etl.sources import openfda

# The model steps of openFDA reports, in order (etl/sql/model/openfda_*.sql).
OPENFDA_STEPS = (
    "openfda_drugs",
    "openfda_cutoff",
    "openfda_reports",
    "openfda_funnel",
    "openfda_cases",
    "openfda_case_substances",
    "openfda_case_events",
    "openfda_case_indications",
)
# The model tables other than model.cases that hold openFDA cases' rows.
OPENFDA_CASE_TABLES = ("case_substances", "case_events", "case_indications", "case_therapies")


def write_openfda_raw(
    con: duckdb.DuckDBPyConnection, frames: Mapping[str, Mapping[str, pl.DataFrame]]
) -> dict[str, int]:
    """Replace each given source's raw.openfda_* rows by `frames`; returns reports by source."""
    written = {}
    for source, source_frames in frames.items():
        for table in openfda.RAW_TABLES:
            con.execute(f"DELETE FROM raw.openfda_{table} WHERE source = ?", [source])
        written[source] = openfda.write_raw(con, dict(source_frames), source)["reports"]
    return written


def remove_openfda_cases(con: duckdb.DuckDBPyConnection) -> None:
    """Delete the model rows of openFDA cases (a copied live database holds the last build's)."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'model' AND table_name = 'cases'"
    ).fetchone()[0]
    if not found:
        return
    openfda_ids = "SELECT case_id FROM model.cases WHERE source <> 'faers-quarterly'"
    for table in OPENFDA_CASE_TABLES:
        con.execute(f"DELETE FROM model.{table} WHERE case_id IN ({openfda_ids})")
    con.execute("DELETE FROM model.cases WHERE source <> 'faers-quarterly'")


def transform_openfda(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Map raw.openfda_* into the model (after the FAERS steps); returns cases added by source."""
    con.execute("CREATE SCHEMA IF NOT EXISTS build")
    for step in OPENFDA_STEPS:
        db.run_sql_file(con, f"model/{step}.sql")
    con.execute("DROP SCHEMA build CASCADE")
    added = con.execute("SELECT source, n_added FROM model.openfda_funnel ORDER BY 1").fetchall()
    return dict(added)
