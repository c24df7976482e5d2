"""Poison-center summary tables: loader rules, XLSX input, committed data, model table."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pytest

from etl.errors import InputError
from etl.sources.poison_center_rows import FRAME_SCHEMA
from etl.sources.poison_centers import (
    DATA_DIR,
    default_files,
    load_summary_files,
    read_summary_file,
    write_model_table,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "poison_centers"
GOOD = FIXTURES / "good.csv"


def _error(path: Path | list[Path]) -> InputError:
    with pytest.raises(InputError) as caught:
        if isinstance(path, list):
            load_summary_files(path)
        else:
            read_summary_file(path)
    return caught.value


def _edited(source: Path, dest: Path, line: int, column: str, value: str) -> Path:
    """`source` with one cell (CSV line `line`, header = 1) replaced, written to `dest`.

    A column the file lacks is added, empty on every other line.
    """
    with source.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    if column not in rows[0]:
        rows[0].append(column)
        for row in rows[1:]:
            row.append("")
    rows[line - 1][rows[0].index(column)] = value
    with dest.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return dest


# The good fixture -----------------------------------------------------------------------------


def test_good_fixture_is_read_typed_and_complete() -> None:
    df = read_summary_file(GOOD)
    assert df.schema == pl.Schema(FRAME_SCHEMA)
    picked = df.select(
        "line_number", "period_start", "period_end", "measure", "category", "count", "percent",
        "denominator", "row_id", "sums_to", "verification",
    )  # fmt: skip
    y0, y1 = date(2020, 1, 1), date(2020, 12, 31)
    assert picked.rows() == [
        (2, y0, y1, "total", "all", 10, None, None, "t", None, "V"),
        (3, y0, y1, "single_vs_multiple_substance", "kratom only", 6, 60.0, 10, None, "t", "V"),
        (4, y0, y1, "single_vs_multiple_substance", "kratom with other substances", 4, 40.0, 10,
         None, "t", "V"),
        (5, y0, y1, "by_sex", "male", None, 70.8, None, None, None, "V-3p"),
    ]  # fmt: skip
    assert set(df["citation"]) == {"Fixture A, Fixture B. A made-up study. 2021."}
    # Columns absent from the file are empty, not invented.
    for name in ("qualifier", "statistic", "estimate", "ci_lower", "ci_upper", "method_note"):
        assert df[name].null_count() == 4, name


# The six errors named in the issue, one fixture each -------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "field", "words"),
    [
        ("bad_unknown_column.csv", 1, "notes", "unknown column 'notes'"),
        ("bad_unit.csv", 3, "unit", "'visits' is not one of"),
        ("bad_period.csv", 2, "period_end", "ends (2019-12-31) before it starts (2020-01-01)"),
        ("bad_percent.csv", 3, "percent", "100.5 is outside 0-100"),
        ("bad_sum.csv", 2, "count", "total 10 but its parts"),
        ("bad_duplicate.csv", 4, None, "duplicate of"),
    ],
)
def test_each_bad_fixture_names_file_line_and_field(
    name: str, line: int, field: str | None, words: str
) -> None:
    err = _error(FIXTURES / name)
    assert (err.file, err.line, err.field) == (str(FIXTURES / name), line, field)
    assert words in err.message


def test_sum_error_lists_the_parts_and_their_total() -> None:
    path = FIXTURES / "bad_sum.csv"
    assert _error(path).message == f"total 10 but its parts ({path}:3, {path}:4) add up to 11"


def test_duplicate_error_points_at_the_first_copy() -> None:
    path = FIXTURES / "bad_duplicate.csv"
    assert _error(path).message.startswith(f"duplicate of {path}:3 (same source_id,")


def test_duplicates_across_files_are_errors(tmp_path: Path) -> None:
    copy = tmp_path / "copy.csv"
    copy.write_bytes(GOOD.read_bytes())
    err = _error([GOOD, copy])
    assert (err.file, err.line) == (str(copy), 2)
    assert err.message.startswith(f"duplicate of {GOOD}:2 ")


# Further rules, each on a one-cell variant of good.csv -----------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "value", "err_line", "field", "words"),
    [
        (2, "period_start", "2020-02-30", 2, "period_start", "not a real date"),
        (2, "period_start", "1/1/2020", 2, "period_start", "not an ISO date"),
        (2, "count", "1,807", 2, "count", "not a whole number"),
        (2, "count", "9223372036854775808", 2, "count", "is too large"),
        (3, "denominator", "99999999999999999999", 3, "denominator", "is too large"),
        (5, "percent", "70.8%", 5, "percent", "not a plain decimal"),
        (3, "percent", "61.0", 3, "percent", "does not round from 6/10"),
        (3, "denominator", "5", 3, "denominator", "smaller than count 6"),
        (5, "percent", "", 5, "count", "states no figure"),
        (2, "geography_type", "province", 2, "geography_type", "not one of"),
        (2, "measure", "by_colour", 2, "measure", "not one of"),
        (2, "verification", "R", 2, "verification", "not one of"),
        (2, "citation", "", 2, "citation", "required"),
        (3, "citation", "Another citation.", 3, "citation", "differs from"),
        (3, "sums_to", "nope", 3, "sums_to", "no row of source 'fx' has row_id 'nope'"),
        (3, "row_id", "t", 3, "sums_to", "cannot sum to itself"),
        (5, "row_id", "t", 5, "row_id", "row_id already used"),
        (2, "row_id", "", 3, "sums_to", "has row_id 't'"),
        (3, "unit", "calls", 3, "unit", "unit differs from the total"),
        (3, "qualifier", "about", 3, "count", "exact count"),
        (5, "statistic", "odds_ratio", 5, "statistic", "statistic and estimate go together"),
        (5, "ci_lower", "1.0", 5, "ci_upper", "both ci_lower and ci_upper"),
    ],
)
def test_each_rule_reports_line_and_field(
    tmp_path: Path, line: int, column: str, value: str, err_line: int, field: str, words: str
) -> None:
    err = _error(_edited(GOOD, tmp_path / "v.csv", line, column, value))
    assert (err.line, err.field) == (err_line, field)
    assert words in err.message


def test_interval_must_contain_the_estimate(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    _edited(GOOD, path, 5, "statistic", "odds_ratio")
    for column, value in [("estimate", "2.8"), ("ci_lower", "3.0"), ("ci_upper", "3.5")]:
        _edited(path, path, 5, column, value)
    err = _error(path)
    assert (err.line, err.field) == (5, "ci_lower")
    assert err.message == "the interval 3.0-3.5 does not contain the estimate 2.8"


def test_missing_required_column_and_ragged_row(tmp_path: Path) -> None:
    text = GOOD.read_text(encoding="utf-8")
    no_unit = tmp_path / "no_unit.csv"
    no_unit.write_text(text.replace(",unit,", ",", 1), encoding="utf-8")
    assert (_error(no_unit).line, _error(no_unit).field) == (1, "unit")
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(text.rstrip("\n") + ",extra\n", encoding="utf-8")
    err = _error(ragged)
    assert (err.line, err.message) == (5, "has 19 values but the header has 18 columns")


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    tsv = tmp_path / "t.tsv"
    tsv.write_text("x", encoding="utf-8")
    assert "expected .csv or .xlsx" in _error(tsv).message
    assert _error(tmp_path / "absent.csv").message == "file not found"
    not_xlsx = tmp_path / "not.xlsx"
    not_xlsx.write_text("x", encoding="utf-8")
    assert _error(not_xlsx).message.startswith("not a readable XLSX workbook")


# XLSX -----------------------------------------------------------------------------------------


def _xlsx_from_good(tmp_path: Path, percent_row5: float = 70.8) -> Path:
    with GOOD.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(rows[0])
    for row in rows[1:]:
        sheet.append([_as_excel_value(rows[0][i], v) for i, v in enumerate(row)])
    sheet.cell(row=5, column=rows[0].index("percent") + 1, value=percent_row5)
    path = tmp_path / "good.xlsx"
    workbook.save(path)
    return path


def _as_excel_value(column: str, text: str) -> object:
    if not text:
        return None
    if column in ("period_start", "period_end"):
        return date.fromisoformat(text)
    if column in ("count", "denominator"):
        return int(text)
    if column == "percent":
        return float(text)
    return text


def test_xlsx_reads_the_same_as_csv(tmp_path: Path) -> None:
    from_xlsx = read_summary_file(_xlsx_from_good(tmp_path))
    from_csv = read_summary_file(GOOD)
    assert from_xlsx.drop("source_file").equals(from_csv.drop("source_file"))


def test_xlsx_errors_name_the_sheet_row(tmp_path: Path) -> None:
    path = _xlsx_from_good(tmp_path, percent_row5=101.0)
    err = _error(path)
    assert (err.file, err.line, err.field) == (str(path), 5, "percent")


# The committed data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> pl.DataFrame:
    return load_summary_files(default_files())


def test_default_files_are_the_committed_tables() -> None:
    files = default_files()
    assert files == sorted(DATA_DIR.glob("*.csv"))
    assert len(files) >= 10


def test_every_committed_row_is_cited_and_marked(committed: pl.DataFrame) -> None:
    assert committed.height > 0
    for name in ("source_id", "citation", "publisher", "verification"):
        assert committed[name].null_count() == 0, name
        assert (committed[name].str.strip_chars() != "").all(), name
    third_party = set(committed.filter(pl.col("verification") == "V-3p")["source_id"])
    # WAPC is V-3p in the reference; Eggleston's period is, and a row's mark covers all of it
    assert third_party == {"eggleston_2019_pharmacotherapy", "wapc_2025_statement"}
    eggleston = committed.filter(pl.col("source_id") == "eggleston_2019_pharmacotherapy")
    assert eggleston.height == 13 and set(eggleston["verification"]) == {"V-3p"}


# (source_id, unit, measure, category, period_start, period_end, count) as the reference gives them
PUBLISHED_COUNTS = [
    ("anwar_2016_mmwr", "calls", "total", "all", "2010-01-01", "2015-12-31", 660),
    ("anwar_2016_mmwr", "calls", "by_year", "2010", "2010-01-01", "2010-12-31", 26),
    ("anwar_2016_mmwr", "calls", "by_year", "2015", "2015-01-01", "2015-12-31", 263),
    ("post_2019_clintox", "exposures", "total", "all", "2011-01-01", "2017-12-31", 1807),
    ("post_2019_clintox", "exposures", "single_vs_multiple_substance", "kratom only",
     "2011-01-01", "2017-12-31", 1174),
    ("post_2019_clintox", "exposures", "single_vs_multiple_substance",
     "kratom with other substances", "2011-01-01", "2017-12-31", 633),
    ("post_2019_clintox", "deaths", "total", "all", "2011-01-01", "2017-12-31", 11),
    ("eggleston_2019_pharmacotherapy", "exposures", "total", "all", "2011-01-01", "2018-07-31",
     2312),
    ("natural_psychoactive_2019_clintox", "exposures", "total", "all", "2000-01-01",
     "2017-12-31", 67369),
    ("olsen_2019_mmwr", "deaths", "total", "all", "2016-07-01", "2017-12-31", 27338),
    ("olsen_2019_mmwr", "deaths", "by_toxicology", "kratom positive on post-mortem toxicology",
     "2016-07-01", "2017-12-31", 152),
    ("texas_dshs_2025_alert", "exposures", "by_year", "2023", "2023-01-01", "2023-12-31", 122),
    ("texas_dshs_2025_alert", "exposures", "by_year", "2024", "2024-01-01", "2024-12-31", 107),
    ("texas_dshs_2025_alert", "exposures", "by_year", "2025 to date", "2025-01-01", "2025-09-02",
     192),
    ("missouri_dhss_2025_advisory", "exposures", "total", "all", "2025-01-01", "2025-09-30", 47),
    ("palungwachira_2022_jdar", "exposures", "total", "all", "2016-01-01", "2020-06-30", 153),
    ("reich_2022_cmajopen", "cases", "total", "all", "2012-01-01", "2019-12-31", 32),
    ("florida_me_2020_2021", "deaths", "by_toxicology", "mitragynine positive", "2020-01-01",
     "2021-12-31", 551),
]  # fmt: skip


@pytest.mark.parametrize("expected", PUBLISHED_COUNTS, ids=lambda e: f"{e[0]}-{e[3]}-{e[6]}")
def test_published_totals_are_the_ones_loaded(committed: pl.DataFrame, expected: tuple) -> None:
    source_id, unit, measure, category, start, end, count = expected
    found = committed.filter(
        (pl.col("source_id") == source_id)
        & (pl.col("unit") == unit)
        & (pl.col("measure") == measure)
        & (pl.col("category") == category)
        & (pl.col("period_start") == date.fromisoformat(start))
        & (pl.col("period_end") == date.fromisoformat(end))
    )
    assert found["count"].to_list() == [count]


def test_olsen_shares_are_typed_as_published(committed: pl.DataFrame) -> None:
    olsen = committed.filter(
        pl.col("source_id") == "olsen_2019_mmwr", pl.col("count").is_not_null()
    )
    assert sorted(olsen.select("count", "percent", "denominator").rows()) == [
        (7, None, 91),
        (91, 59.9, 152),
        (152, 0.56, 27338),
        (27338, None, None),
    ]


def test_figures_whose_group_is_not_stated_claim_none(committed: pl.DataFrame) -> None:
    """Olsen's circumstance shares once, of no named group; Texas's 11 and Missouri's >= 1
    without the "of 19" / "of 3" the reference does not give."""
    not_stated = "(group not stated in the checked notes)"
    olsen = committed.filter(pl.col("measure") == "by_circumstance")
    assert sorted(olsen.select("source_id", "population", "qualifier", "percent").rows()) == [
        ("olsen_2019_mmwr", f"kratom decedents {not_stated}", "about", 80.0),
        ("olsen_2019_mmwr", f"kratom decedents {not_stated}", "about", 90.0),
    ]
    care = committed.filter(pl.col("measure") == "by_level_of_care", pl.col("count").is_not_null())
    assert sorted(care.select("source_id", "population", "qualifier", "count", "denominator")
                  .rows()) == [
        ("missouri_dhss_2025_advisory", f"kratom/7-OH reports {not_stated}", "at_least", 1, None),
        ("texas_dshs_2025_alert", f"kratom/7-OH reports {not_stated}", None, 11, None),
    ]  # fmt: skip


# The model table ------------------------------------------------------------------------------


def test_write_model_table_creates_then_replaces() -> None:
    con = duckdb.connect()
    write_model_table(con, read_summary_file(GOOD))
    rows = con.execute(
        "SELECT source_file, line_number, count, percent, period_start "
        "FROM model.poison_center_figures ORDER BY line_number"
    ).fetchall()
    y0 = date(2020, 1, 1)
    assert rows == [
        ("good.csv", 2, 10, None, y0),
        ("good.csv", 3, 6, 60.0, y0),
        ("good.csv", 4, 4, 40.0, y0),
        ("good.csv", 5, None, 70.8, y0),
    ]
    write_model_table(con, pl.DataFrame(schema=FRAME_SCHEMA))
    assert con.execute("SELECT count(*) FROM model.poison_center_figures").fetchone() == (0,)
