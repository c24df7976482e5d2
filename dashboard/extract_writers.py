"""Extract writers: (tables already cut to the format's limit, manifest) -> the file's bytes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import xlsxwriter

from dashboard.extract_manifest import readme_text, sections

MANIFEST_KEY = b"kratom_manifest"
SHEETS = {"cases": "Cases", "substances": "Substances", "events": "Events"}


def _manifest_json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return buf.getvalue()


def _explained(manifest: dict[str, Any]) -> dict[str, bytes]:
    return {
        "manifest.json": _manifest_json(manifest).encode(),
        "README.txt": readme_text(manifest).encode(),
    }


def write_csv_zip(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    members = {}
    for table, df in tables.items():
        buf = io.BytesIO()
        df.write_csv(buf, include_bom=True)
        members[f"{table}.csv"] = buf.getvalue()
    return _zip(members | _explained(manifest))


def write_parquet_zip(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    members = {}
    meta = _manifest_json(manifest).encode()
    for table, df in tables.items():
        arrow = df.to_arrow()
        arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), MANIFEST_KEY: meta})
        buf = io.BytesIO()
        pq.write_table(arrow, buf, compression="zstd")
        members[f"{table}.parquet"] = buf.getvalue()
    return _zip(members | _explained(manifest))


def write_xlsx(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    options = {
        "in_memory": True,
        "constant_memory": True,
        "default_date_format": "yyyy-mm-dd",
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    }
    with xlsxwriter.Workbook(buf, options) as wb:
        bold = wb.add_format({"bold": True})
        about = wb.add_worksheet("About")
        about.set_column(0, 0, 22)
        about.set_column(1, 1, 120)
        row = 0
        for heading, lines in sections(manifest):
            for i, line in enumerate(lines):
                if i == 0:
                    about.write_string(row, 0, heading, bold)
                about.write_string(row, 1, line)
                row += 1
        for table, df in tables.items():
            _write_sheet(wb.add_worksheet(SHEETS[table]), df, bold)
    return buf.getvalue()


def _write_sheet(ws: Any, df: pl.DataFrame, bold: Any) -> None:
    ws.freeze_panes(1, 0)
    ws.set_column(0, max(df.width - 1, 0), 16)
    ws.write_row(0, 0, df.columns, bold)
    for r, values in enumerate(df.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)


WRITERS: dict[str, Callable[[dict[str, pl.DataFrame], dict[str, Any]], bytes]] = {
    "csv": write_csv_zip,
    "parquet": write_parquet_zip,
    "xlsx": write_xlsx,
}
