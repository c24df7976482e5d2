"""Load and validate the reviewed domain-knowledge CSV files in etl/reference/.

Every file has a header row. Values are plain text; required columns may not be empty; keys are
unique; categories come from a fixed list or from another reference file; regexes must compile
both in Python and in DuckDB (RE2), so the SQL and the Python matchers agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import polars as pl

from etl.errors import InputError
from etl.reference_specs import SPECS, Spec, is_iso_date, regex_error

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def reference_names() -> list[str]:
    """Names of every reference file, without the .csv suffix."""
    return sorted(SPECS)


def load_reference(name: str, directory: Path | None = None) -> pl.DataFrame:
    """Read and validate one reference file; raise InputError on the first problem."""
    if name not in SPECS:
        raise InputError(f"{name}.csv", f"unknown reference file; known: {', '.join(SPECS)}")
    folder = directory or REFERENCE_DIR
    path = folder / f"{name}.csv"
    spec = SPECS[name]
    header, rows = _read_rows(path, spec)
    allowed = dict(spec.choices)
    for col, (other, other_col) in spec.choices_from.items():
        allowed[col] = frozenset(load_reference(other, folder)[other_col].to_list())
    _check_rows(path, spec, rows, allowed)
    return _to_frame(spec, header, [row for _, row in rows])


def validate_all(directory: Path | None = None) -> None:
    """Validate every reference file; raise InputError on the first problem."""
    for name in reference_names():
        load_reference(name, directory)


def _read_rows(path: Path, spec: Spec) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if not path.is_file():
        raise InputError(str(path), "file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            raise InputError(str(path), "empty file: a header row is needed", line=1)
        _check_header(path, spec, header)
        rows = []
        for record in reader:
            if len(record) != len(header):
                raise InputError(
                    str(path),
                    f"expected {len(header)} fields, found {len(record)}",
                    line=reader.line_num,
                )
            rows.append((reader.line_num, dict(zip(header, record, strict=True))))
    return header, rows


def _check_header(path: Path, spec: Spec, header: list[str]) -> None:
    known = spec.required + spec.optional
    for column in header:
        if column not in known:
            raise InputError(str(path), "unknown column", line=1, field=column)
        if header.count(column) > 1:
            raise InputError(str(path), "column appears twice", line=1, field=column)
    for column in known:
        if column not in header:
            raise InputError(str(path), "missing column", line=1, field=column)


def _check_rows(
    path: Path,
    spec: Spec,
    rows: list[tuple[int, dict[str, str]]],
    allowed: dict[str, frozenset[str]],
) -> None:
    seen: dict[tuple[str, ...], int] = {}
    for line, row in rows:
        problem = _row_problem(spec, row, allowed)
        if problem:
            raise InputError(str(path), problem[1], line=line, field=problem[0])
        key = tuple(row[col].casefold() if spec.fold_key_case else row[col] for col in spec.key)
        if key in seen:
            raise InputError(
                str(path),
                f"duplicate key (first on line {seen[key]})",
                line=line,
                field=spec.key[0],
            )
        seen[key] = line
    if "priority" in spec.integers and "product_type" in spec.required:
        _check_priority_bands(path, rows)


def _row_problem(
    spec: Spec, row: dict[str, str], allowed: dict[str, frozenset[str]]
) -> tuple[str, str] | None:
    for column, value in row.items():
        if value != value.strip():
            return column, "leading or trailing spaces"
        if not value and column in spec.required:
            return column, "empty value"
    for column, values in allowed.items():
        if row[column] and row[column] not in values:
            return column, f"unknown value {row[column]!r}"
    for column in spec.integers:
        if not re.fullmatch(r"-?[0-9]+", row[column]):
            return column, f"not a whole number: {row[column]!r}"
    for column in spec.booleans:
        if row[column] not in ("true", "false"):
            return column, f"must be true or false, not {row[column]!r}"
    for column in spec.dates:
        if not is_iso_date(row[column]):
            return column, f"not a yyyy-mm-dd date: {row[column]!r}"
    for column in spec.regexes:
        error = regex_error(row[column])
        if error:
            return column, error
    return spec.row_check(row) if spec.row_check else None


def _check_priority_bands(path: Path, rows: list[tuple[int, dict[str, str]]]) -> None:
    """Equal priorities must mean equal product types, so ties never change the answer."""
    type_by_priority: dict[str, str] = {}
    for line, row in rows:
        first = type_by_priority.setdefault(row["priority"], row["product_type"])
        if first != row["product_type"]:
            message = f"priority {row['priority']} is already used by product_type {first}"
            raise InputError(str(path), message, line=line, field="priority")


def _to_frame(spec: Spec, columns: list[str], rows: list[dict[str, str]]) -> pl.DataFrame:
    data: dict[str, list[object]] = {}
    schema: dict[str, pl.DataType] = {}
    for column in columns:
        values = [row[column] for row in rows]
        if column in spec.integers:
            data[column], schema[column] = [int(v) for v in values], pl.Int64()
        elif column in spec.booleans:
            data[column], schema[column] = [v == "true" for v in values], pl.Boolean()
        elif column in spec.dates:
            data[column] = [dt.date.fromisoformat(v) for v in values]
            schema[column] = pl.Date()
        else:
            data[column], schema[column] = [v or None for v in values], pl.String()
    return pl.DataFrame(data, schema=schema)
