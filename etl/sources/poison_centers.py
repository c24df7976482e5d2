"""Published poison-center and death-record summary figures: read, validate, write to DuckDB.

Each file is one long-format table, one published figure per row. The columns and every rule
checked (cells and header in poison_center_cells, rows in poison_center_rows) are documented in
docs/poison-centers.md. Any bad cell raises `InputError` naming the file, the line (CSV line or
XLSX row, header = 1) and the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import polars as pl

from etl.errors import InputError
from etl.sources.poison_center_cells import cells_by_column, check_header, read_cells
from etl.sources.poison_center_rows import FRAME_SCHEMA, check_rows, parse_row

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "poison_centers"
MODEL_TABLE = "model.poison_center_figures"


def default_files() -> list[Path]:
    """The committed summary tables: every CSV or XLSX in data/poison_centers/."""
    if not DATA_DIR.is_dir():
        return []
    return sorted(
        p
        for p in DATA_DIR.iterdir()
        if p.suffix.lower() in {".csv", ".xlsx"} and not p.name.startswith(("~$", "."))
    )


def read_summary_file(path: Path | str) -> pl.DataFrame:
    """One summary table (CSV or XLSX), validated and typed, with source_file and line_number."""
    path = Path(path)
    numbered = read_cells(path)
    if not numbered:
        raise InputError(str(path), "no header row")
    header = check_header(path, numbered[0][1])
    rows = []
    for line, values in numbered[1:]:
        cells = cells_by_column(path, line, header, values)
        if cells is not None:
            rows.append(parse_row(str(path), line, cells))
    check_rows(rows)
    return pl.DataFrame(rows, schema=FRAME_SCHEMA)


def load_summary_files(paths: Iterable[Path | str]) -> pl.DataFrame:
    """Every file read and validated, concatenated; rules that span rows also span files."""
    frames = [read_summary_file(p) for p in paths]
    if not frames:
        return pl.DataFrame(schema=FRAME_SCHEMA)
    combined = pl.concat(frames, how="vertical")
    check_rows(combined.to_dicts())
    return combined


def write_model_table(con: duckdb.DuckDBPyConnection, df: pl.DataFrame) -> None:
    """Replace model.poison_center_figures with `df`; source_file keeps only the file name."""
    table = df.select(list(FRAME_SCHEMA)).with_columns(
        pl.col("source_file").str.extract(r"([^/\\]+)$")
    )
    con.execute("CREATE SCHEMA IF NOT EXISTS model")
    con.register("poison_center_figures_frame", table.to_arrow())
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {MODEL_TABLE} AS SELECT * FROM poison_center_figures_frame"
        )
    finally:
        con.unregister("poison_center_figures_frame")
