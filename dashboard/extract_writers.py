"""Extract writers: (tables already cut to the format's limit, their dictionary, manifest) -> the
file's bytes.

Both zips hold the dictionary as dictionary.csv, the Parquet one too: it is documentation, read
by people in any editor or spreadsheet, the same file whatever the format, and every .parquet
file of an extract stays a data table carrying the manifest. The workbook has it as the sheet
Dictionary, after the data sheets; each data sheet and the Dictionary have a frozen header row
and an autofilter over their rows.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import xlsxwriter

from dashboard.extract_dictionary import FILE as DICTIONARY_FILE
from dashboard.extract_dictionary import SHEET as DICTIONARY_SHEET
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


def _csv(df: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.write_csv(buf, include_bom=True)
    return buf.getvalue()


def _explained(dictionary: pl.DataFrame, manifest: dict[str, Any]) -> dict[str, bytes]:
    return {
        DICTIONARY_FILE: _csv(dictionary),
        "manifest.json": _manifest_json(manifest).encode(),
        "README.txt": readme_text(manifest).encode(),
    }


def write_csv_zip(
    tables: dict[str, pl.DataFrame], dictionary: pl.DataFrame, manifest: dict[str, Any]
) -> bytes:
    members = {f"{table}.csv": _csv(df) for table, df in tables.items()}
    return _zip(members | _explained(dictionary, manifest))


def write_parquet_zip(
    tables: dict[str, pl.DataFrame], dictionary: pl.DataFrame, manifest: dict[str, Any]
) -> bytes:
    members = {}
    meta = _manifest_json(manifest).encode()
    for table, df in tables.items():
        arrow = df.to_arrow()
        arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), MANIFEST_KEY: meta})
        buf = io.BytesIO()
        pq.write_table(arrow, buf, compression="zstd")
        members[f"{table}.parquet"] = buf.getvalue()
    return _zip(members | _explained(dictionary, manifest))


def write_xlsx(
    tables: dict[str, pl.DataFrame], dictionary: pl.DataFrame, manifest: dict[str, Any]
) -> bytes:
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
        _write_sheet(wb.add_worksheet(DICTIONARY_SHEET), dictionary, bold, {"meaning": 90})
    return buf.getvalue()


def _write_sheet(ws: Any, df: pl.DataFrame, bold: Any, wide: dict[str, int] | None = None) -> None:
    """A table as a sheet: the header row frozen and bold, an autofilter over every row, text
    always as text; columns 16 characters wide, or as `wide` says."""
    ws.freeze_panes(1, 0)
    ws.set_column(0, max(df.width - 1, 0), 16)
    for name, width in (wide or {}).items():
        ws.set_column(df.columns.index(name), df.columns.index(name), width)
    if df.width:
        ws.autofilter(0, 0, df.height, df.width - 1)
    ws.write_row(0, 0, df.columns, bold)
    for r, values in enumerate(df.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)


Writer = Callable[[dict[str, pl.DataFrame], pl.DataFrame, dict[str, Any]], bytes]
WRITERS: dict[str, Writer] = {
    "csv": write_csv_zip,
    "parquet": write_parquet_zip,
    "xlsx": write_xlsx,
}
