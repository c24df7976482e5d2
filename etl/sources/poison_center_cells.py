"""A summary file's cells: CSV or XLSX rows as text with their line numbers, the header checked.

Lines are numbered as a person finds them: the CSV line a row starts on, the XLSX row number;
the header is line 1.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

from etl.errors import InputError
from etl.sources.poison_center_rows import COLUMNS, REQUIRED, SCHEMA


def read_cells(path: Path) -> list[tuple[int, list[str]]]:
    """(line number, cell texts) for every row of a CSV or the first sheet of an XLSX file."""
    if not path.is_file():
        raise InputError(str(path), "file not found")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_cells(path)
    if suffix == ".xlsx":
        return _xlsx_cells(path)
    raise InputError(str(path), f"unsupported file type {suffix!r}: expected .csv or .xlsx")


def _csv_cells(path: Path) -> list[tuple[int, list[str]]]:
    numbered = []
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f)
            start = 1
            for values in reader:
                numbered.append((start, values))
                start = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text ({exc.reason})") from exc
    except csv.Error as exc:
        raise InputError(str(path), f"not readable as CSV ({exc})", line=start) from exc
    return numbered


def _xlsx_cells(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl  # only for workbooks: a third of a second to import, and builds read CSV

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InputError(str(path), f"not a readable XLSX workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        return [(n, [_cell_text(v) for v in values]) for n, values in enumerate(rows, start=1)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_header(path: Path, values: list[str]) -> list[str]:
    """The header's column names, trailing blanks dropped; unknown, twice or missing refused."""
    header = [v.strip() for v in values]
    while header and not header[-1]:
        header.pop()
    seen: set[str] = set()
    for name in header:
        if name not in SCHEMA:
            raise InputError(str(path), f"unknown column {name!r}", line=1, field=name or "(blank)")
        if name in seen:
            raise InputError(str(path), "column appears twice", line=1, field=name)
        seen.add(name)
    for name in COLUMNS:
        if name in REQUIRED and name not in seen:
            raise InputError(str(path), "required column is missing", line=1, field=name)
    return header


def cells_by_column(
    path: Path, line: int, header: list[str], values: list[str]
) -> dict[str, str] | None:
    """The row as {column: text}; None for a blank row."""
    values = [v.strip() for v in values]
    if not any(values):
        return None
    extra = values[len(header) :]
    if any(extra) or (path.suffix.lower() == ".csv" and len(values) != len(header)):
        message = f"has {len(values)} values but the header has {len(header)} columns"
        raise InputError(str(path), message, line=line)
    values += [""] * (len(header) - len(values))
    return dict(zip(header, values, strict=True))
