"""Poison-center summary rows: the columns, each row typed and checked, and the rules across rows.

Rules within a row: required cells, allowed values, types, the period, shares (a percent must
round from count / denominator) and estimates. Across rows (and files): no figure stated twice,
the rows of one source agreeing on citation, url and publisher, and parts that add up to the
total they name (`sums_to`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

import polars as pl

from etl.errors import InputError

SCHEMA: dict[str, type[pl.DataType]] = {
    "source_id": pl.Utf8,
    "citation": pl.Utf8,
    "url": pl.Utf8,
    "publisher": pl.Utf8,
    "geography_type": pl.Utf8,
    "geography": pl.Utf8,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "unit": pl.Utf8,
    "population": pl.Utf8,
    "measure": pl.Utf8,
    "category": pl.Utf8,
    "qualifier": pl.Utf8,
    "count": pl.Int64,
    "percent": pl.Float64,
    "denominator": pl.Int64,
    "statistic": pl.Utf8,
    "estimate": pl.Float64,
    "ci_lower": pl.Float64,
    "ci_upper": pl.Float64,
    "row_id": pl.Utf8,
    "sums_to": pl.Utf8,
    "method_note": pl.Utf8,
    "verification": pl.Utf8,
}
COLUMNS = tuple(SCHEMA)
FRAME_SCHEMA = {**SCHEMA, "source_file": pl.Utf8, "line_number": pl.Int64}


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


REQUIRED = frozenset(
    _words(
        "source_id citation publisher geography_type geography period_start period_end unit"
        " population measure category verification"
    )
)
MEASURES = _words(
    "total by_year by_medical_outcome by_clinical_effect by_co_exposure by_age_group by_sex"
    " by_reason single_vs_multiple_substance by_route by_reporter by_exposure_site"
    " by_level_of_care by_dose by_product by_toxicology by_cause_of_death by_circumstance"
    " by_substance trend"
)
ALLOWED: dict[str, frozenset[str]] = {
    "geography_type": frozenset({"country", "state", "region", "county"}),
    "unit": frozenset({"calls", "exposures", "deaths", "cases"}),
    "measure": frozenset(MEASURES),
    "qualifier": frozenset({"about", "at_least"}),
    "statistic": frozenset({"odds_ratio", "adjusted_odds_ratio", "percent_change"}),
    "verification": frozenset({"V", "V-3p"}),
}
# Two rows with the same values in these columns state the same figure twice.
DUPLICATE_KEY = _words(
    "source_id geography period_start period_end unit population measure category statistic"
)
# Rows of one source must agree on these.
SOURCE_COLUMNS = ("citation", "url", "publisher")

_WHOLE = re.compile(r"\d+")
MAX_WHOLE = 2**63 - 1  # count, denominator: Int64 frames, BIGINT columns
_DECIMAL = re.compile(r"-?\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# One row --------------------------------------------------------------------------------------


def parse_row(file: str, line: int, cells: dict[str, str]) -> dict[str, object]:
    """One row's cells typed and checked, with source_file and line_number."""
    row: dict[str, object] = {}
    for name, dtype in SCHEMA.items():
        text = cells.get(name, "")
        if not text and name in REQUIRED:
            raise InputError(file, "is empty but required", line=line, field=name)
        if text and name in ALLOWED and text not in ALLOWED[name]:
            allowed = ", ".join(sorted(ALLOWED[name]))
            raise InputError(file, f"{text!r} is not one of: {allowed}", line=line, field=name)
        row[name] = _typed(file, line, name, dtype, text)
    _check_period(file, line, row)
    _check_shares(file, line, row, cells.get("percent", ""))
    _check_estimate(file, line, row)
    row["source_file"] = file
    row["line_number"] = line
    return row


def _typed(file: str, line: int, name: str, dtype: type[pl.DataType], text: str) -> object:
    if not text:
        return None
    if dtype == pl.Date:
        if not _ISO_DATE.fullmatch(text):
            raise InputError(file, f"{text!r} is not an ISO date YYYY-MM-DD", line=line, field=name)
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            raise InputError(file, f"{text!r} is not a real date", line=line, field=name) from exc
    if dtype == pl.Int64:
        if not _WHOLE.fullmatch(text):
            message = f"{text!r} is not a whole number >= 0 (digits only, no separators)"
            raise InputError(file, message, line=line, field=name)
        if int(text) > MAX_WHOLE:
            message = f"{text!r} is too large (the most is {MAX_WHOLE}, a BIGINT)"
            raise InputError(file, message, line=line, field=name)
        return int(text)
    if dtype == pl.Float64:
        if not _DECIMAL.fullmatch(text):
            message = f"{text!r} is not a plain decimal number (no %, no separators)"
            raise InputError(file, message, line=line, field=name)
        return float(text)
    return text


def _check_period(file: str, line: int, row: dict) -> None:
    if row["period_end"] < row["period_start"]:
        message = f"period ends ({row['period_end']}) before it starts ({row['period_start']})"
        raise InputError(file, message, line=line, field="period_end")


def _check_shares(file: str, line: int, row: dict, percent_text: str) -> None:
    count, percent, denominator = row["count"], row["percent"], row["denominator"]
    if count is None and percent is None and row["estimate"] is None:
        message = "the row states no figure (count, percent or estimate)"
        raise InputError(file, message, line=line, field="count")
    if percent is not None and not 0 <= percent <= 100:
        raise InputError(file, f"{percent_text} is outside 0-100", line=line, field="percent")
    if count is not None and denominator is not None and count > denominator:
        message = f"denominator {denominator} is smaller than count {count}"
        raise InputError(file, message, line=line, field="denominator")
    if None in (count, percent, denominator) or row["qualifier"] or denominator == 0:
        return
    decimals = len(percent_text.partition(".")[2])
    computed = 100 * count / denominator
    if abs(computed - percent) > 0.5 * 10**-decimals + 1e-9:
        message = f"{percent_text} does not round from {count}/{denominator} = {computed:.3f}%"
        raise InputError(file, message, line=line, field="percent")


def _check_estimate(file: str, line: int, row: dict) -> None:
    estimate, low, high = row["estimate"], row["ci_lower"], row["ci_upper"]
    if (row["statistic"] is None) != (estimate is None):
        raise InputError(file, "statistic and estimate go together", line=line, field="statistic")
    if (low is None) != (high is None):
        message = "give both ci_lower and ci_upper or neither"
        raise InputError(file, message, line=line, field="ci_upper")
    if low is not None and (estimate is None or not low <= estimate <= high):
        message = f"the interval {low}-{high} does not contain the estimate {estimate}"
        raise InputError(file, message, line=line, field="ci_lower")
    if row["sums_to"] is not None and row["sums_to"] == row["row_id"]:
        raise InputError(file, "a row cannot sum to itself", line=line, field="sums_to")


# Rules across rows ----------------------------------------------------------------------------


def _where(row: dict) -> str:
    return f"{row['source_file']}:{row['line_number']}"


def _fail(row: dict, message: str, field: str | None = None) -> InputError:
    return InputError(row["source_file"], message, line=row["line_number"], field=field)


def check_rows(rows: list[dict]) -> None:
    """The rules across rows: no duplicate figure, one source's rows agree, sums add up."""
    _check_duplicates(rows)
    _check_sources(rows)
    _check_sums(rows)


def _check_duplicates(rows: list[dict]) -> None:
    first: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in DUPLICATE_KEY)
        if key in first:
            message = f"duplicate of {_where(first[key])} (same {', '.join(DUPLICATE_KEY)})"
            raise _fail(row, message)
        first[key] = row


def _check_sources(rows: list[dict]) -> None:
    first: dict[str, dict] = {}
    for row in rows:
        seen = first.setdefault(row["source_id"], row)
        for name in SOURCE_COLUMNS:
            if row[name] != seen[name]:
                message = f"differs from {_where(seen)} for source {row['source_id']!r}"
                raise _fail(row, message, name)


def _check_sums(rows: list[dict]) -> None:
    totals: dict[tuple, dict] = {}
    for row in rows:
        if row["row_id"] is not None:
            key = (row["source_id"], row["row_id"])
            if key in totals:
                raise _fail(row, f"row_id already used at {_where(totals[key])}", "row_id")
            totals[key] = row
    parts: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        if row["sums_to"] is not None:
            key = (row["source_id"], row["sums_to"])
            if key not in totals:
                message = f"no row of source {row['source_id']!r} has row_id {row['sums_to']!r}"
                raise _fail(row, message, "sums_to")
            parts[key].append(row)
    for key, members in parts.items():
        _check_one_sum(totals[key], members)


def _check_one_sum(total: dict, parts: list[dict]) -> None:
    for row in (total, *parts):
        if row["count"] is None or row["qualifier"] is not None:
            raise _fail(row, "rows in a sum need an exact count (no qualifier)", "count")
        if row["unit"] != total["unit"]:
            raise _fail(row, f"unit differs from the total at {_where(total)}", "unit")
    added = sum(row["count"] for row in parts)
    if added != total["count"]:
        where = ", ".join(_where(row) for row in parts)
        message = f"total {total['count']} but its parts ({where}) add up to {added}"
        raise _fail(total, message, "count")
