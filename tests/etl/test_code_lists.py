"""FAERS code lists read into analyst terms (shared/reference/faers-format.md §2.6).

Two levels, each expected value worked out by hand in a comment:
- the staging macros (etl/sql/staging/00_macros.sql) on a bare DuckDB connection: every age unit
  (age_cod), the age bounds and bands, FDA's age group (age_grp) as a fallback, the weight units
  (wt_cod) and bounds;
- one hand-made current-layout quarter through the real build, one case per code, for what
  model/cases.sql maps itself (occp_cod to reporter_type, sex) and for the codes as read from a
  file (upper-cased, blanks as none). tests/fixtures/model/ already covers DEC, LBS, GMS, WK, DY
  and YR.

A weight of a few grams (4 GMS = 0.004 kg) rounded to 0.00 kg and failed the whole build's
ages_in_range check; it is now left out as out of range (test_weight_kg_kept_bounds and 7000008).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.db import run_sql_file
from etl.pipeline import build
from tests.etl.test_kratom_funnel import HEADERS

TWENTY_EIGHT_DAYS = 28 / 365.25  # 0.07666 y: the first age of band 28d-23m (ICH E11)


@pytest.fixture(scope="module")
def macros() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory connection holding the staging macros, run by the ETL's own SQL runner."""
    c = duckdb.connect()
    c.execute("CREATE SCHEMA staging")
    run_sql_file(c, "staging/00_macros.sql")
    yield c
    c.close()


def value(con: duckdb.DuckDBPyConnection, sql: str, *params: object) -> object:
    return con.execute(f"SELECT {sql}", list(params)).fetchone()[0]


@pytest.mark.parametrize(
    "age, unit, years",
    [
        (40.0, None, 40.0),  # no unit: years
        (40.0, "YR", 40.0),
        (40.0, "YRS", 40.0),  # read as YR too
        (4.0, "DEC", 40.0),  # 4 × 10
        (18.0, "MON", 1.5),  # 18 / 12
        (1461.0, "DY", 4.0),  # 1461 / 365.25 = 4 (three years of 365 days and one of 366)
        (4.0, "WK", TWENTY_EIGHT_DAYS),  # 4 × 7 / 365.25 = 28 / 365.25
        (8766.0, "HR", 1.0),  # 365.25 d × 24 h = 8766 h
        (525960.0, "MIN", 1.0),  # 8766 h × 60
        (31557600.0, "SEC", 1.0),  # 525960 min × 60
        (5.0, "QTR", None),  # a unit not listed: no age
        (None, "YR", None),
    ],
)
def test_age_in_years_from_every_unit(macros, age, unit, years):
    assert value(macros, "staging.age_in_years(?::DOUBLE, ?)", age, unit) == years


@pytest.mark.parametrize(
    "days, age, unit",
    [
        (28, 28.0, "DY"),
        (27, 27.0, "DY"),
        (28, 4.0, "WK"),
        (21, 3.0, "WK"),
        (28, 672.0, "HR"),  # 28 × 24
        (27.96, 671.0, "HR"),  # one hour less
        (28, 40320.0, "MIN"),  # 672 × 60
        (27.9993, 40319.0, "MIN"),
        (28, 2419200.0, "SEC"),  # 40320 × 60
        (27.99999, 2419199.0, "SEC"),
    ],
)
def test_day_28_opens_band_28d_23m_in_every_unit(macros, days, age, unit):
    """No rounding slip at the 0-27d / 28d-23m edge, whichever unit the age came in."""
    band = value(macros, "staging.age_band(staging.age_in_years(?::DOUBLE, ?), NULL)", age, unit)
    assert band == ("28d-23m" if days >= 28 else "0-27d")


@pytest.mark.parametrize(
    "age, band",
    [
        (0.0, "0-27d"),
        (1.999, "28d-23m"),
        (2.0, "2-11"),  # e.g. 24 MON = 24 / 12
        (11.999, "2-11"),
        (12.0, "12-17"),
        (17.999, "12-17"),
        (18.0, "18-64"),
        (64.999, "18-64"),
        (65.0, "65-74"),
        (74.999, "65-74"),
        (75.0, "75-84"),
        (84.999, "75-84"),
        (85.0, "85+"),
        (122.0, "85+"),
    ],
)
def test_age_band_edges(macros, age, band):
    assert value(macros, "staging.age_band(?::DOUBLE, NULL)", age) == band


@pytest.mark.parametrize(
    "age, group, band",
    [
        (None, "N", "0-27d"),  # neonate
        (None, "I", "28d-23m"),  # infant
        (None, "C", "2-11"),  # child
        (None, "T", "12-17"),  # adolescent
        (None, "A", "unknown"),  # adult: spans 18-64 to 85+, no one band
        (None, "E", "unknown"),  # elderly: spans 65-74 to 85+
        (None, "X", "unknown"),  # not a code
        (None, None, "unknown"),
        (123.0, "T", "12-17"),  # above 122: no usable age, the group decides
        (-1.0, "C", "2-11"),  # below 0: likewise
        (math.inf, "I", "28d-23m"),
        (math.nan, "N", "0-27d"),  # TRY_CAST('nan' AS DOUBLE) is NaN, not NULL
        (40.0, "N", "18-64"),  # a usable age wins over the group
    ],
)
def test_age_group_only_when_no_usable_age(macros, age, group, band):
    assert value(macros, "staging.age_band(?::DOUBLE, ?)", age, group) == band


@pytest.mark.parametrize(
    "age, kept",
    [
        (0.0, 0.0),
        (122.0, 122.0),
        (122.0004, None),  # over 122 before rounding
        (-0.0001, None),
        (1 / 3, 0.333),  # rounded to 3 decimals
        (36 / 8766, 0.004),  # 36 HR = 0.0041 y
        (math.nan, None),
        (math.inf, None),
        (None, None),
    ],
)
def test_age_years_kept_bounds(macros, age, kept):
    assert value(macros, "staging.age_years_kept(?::DOUBLE)", age) == kept


@pytest.mark.parametrize(
    "weight, unit, kg",
    [
        (70.0, "KG", 70.0),
        (1.0, "LBS", 0.45359237),  # the international pound
        (3500.0, "GMS", 3.5),  # 3500 / 1000
        (70.0, None, None),  # no unit: no weight
        (150.0, "OZ", None),  # a unit not listed
    ],
)
def test_weight_in_kg_from_every_unit(macros, weight, unit, kg):
    assert value(macros, "staging.weight_in_kg(?::DOUBLE, ?)", weight, unit) == kg


@pytest.mark.parametrize(
    "kg, kept",
    [
        (635.0, 635.0),
        (635.001, None),
        (0.0, None),
        (-1.0, None),
        (0.01, 0.01),  # e.g. 10 GMS
        (0.004, None),  # 4 GMS: 0.00 kg once rounded to 2 decimals, not a weight above 0
        (68.0388555, 68.04),  # 150 LBS
        (math.nan, None),
        (math.inf, None),
    ],
)
def test_weight_kg_kept_bounds(macros, kg, kept):
    assert value(macros, "staging.weight_kg_kept(?::DOUBLE)", kg) == kept


# One case per code, in a 2022Q1 quarter of the current layout. DEMO line n + 1 is the n-th case.
# case_id: (occp_cod, sex, age, age_cod, age_grp, wt, wt_cod)
CASES = {
    7000001: ("MD", "F", "18", "MON", "", "70", "KG"),
    7000002: ("PH", "M", "36", "HR", "", "3500", "GMS"),
    7000003: ("OT", "UNK", "40320", "MIN", "", "", ""),
    7000004: ("HP", "NS", "31557600", "SEC", "", "3", ""),
    7000005: ("RN", "P", "40", "", "", "150", "OZ"),
    7000006: ("CN", "I", "5", "QTR", "C", "0", "KG"),
    7000007: ("LW", "T", "", "", "N", "636", "KG"),
    7000008: ("", "YR", "", "", "I", "4", "GMS"),
    7000009: ("XX", "", "999", "DEC", "T", "10", "GMS"),
    7000010: ("md", "f", "24", "mon", "a", "1", "lbs"),
    7000011: ("", "M", "", "", "A", "", ""),
    7000012: ("", "F", "-1", "YR", "E", "", ""),
    7000013: ("", "M", "122", "YRS", "", "635", "KG"),
}
EXPECTED = [  # (case_id, reporter_type, sex, age_years, age_band, weight_kg)
    (7000001, "physician", "F", 1.5, "28d-23m", 70.0),  # 18 MON = 18/12 = 1.5 y
    (7000002, "pharmacist", "M", 0.004, "0-27d", 3.5),  # 36/8766 = 0.0041 y; 3500/1000 kg
    # 40320 MIN = 672 h = 28 d = 0.07666 y: the first day of 28d-23m; no weight given
    (7000003, "other_health_professional", "U", 0.077, "28d-23m", None),
    # 31557600 SEC = 1 y; a weight of 3 with no unit is no weight
    (7000004, "other_health_professional", "U", 1.0, "28d-23m", None),
    (7000005, "other_health_professional", "U", 40.0, "18-64", None),  # no unit: years; OZ
    (7000006, "consumer", "U", None, "2-11", None),  # QTR not a unit: group C; 0 kg dropped
    (7000007, "lawyer", "U", None, "0-27d", None),  # no age: group N; 636 kg > 635
    (7000008, "unknown", "U", None, "28d-23m", None),  # group I; 4 GMS = 0.004 kg -> 0.00
    (7000009, "unknown", "U", None, "12-17", 0.01),  # 999 DEC = 9990 y: group T; 10/1000 kg
    (7000010, "physician", "F", 2.0, "2-11", 0.45),  # lower case read: 24/12 = 2 y; 0.4536 kg
    (7000011, "unknown", "M", None, "unknown", None),  # group A spans several bands
    (7000012, "unknown", "F", None, "unknown", None),  # -1 YR < 0; group E spans several bands
    (7000013, "unknown", "M", 122.0, "85+", 635.0),  # both upper bounds kept
]
ISSUES = [  # (line_number, field, value, issue): every age and weight nulled above, and why
    (5, "wt", "3", "unknown_unit"),  # 7000004: no wt_cod
    (6, "wt", "150", "unknown_unit"),  # 7000005: OZ
    (7, "age", "5", "unknown_unit"),  # 7000006: QTR
    (7, "wt", "0", "out_of_range"),
    (8, "wt", "636", "out_of_range"),  # 7000007
    (9, "wt", "4", "out_of_range"),  # 7000008: 0.004 kg, 0.00 once rounded
    (10, "age", "999", "out_of_range"),  # 7000009: 9990 y
    (13, "age", "-1", "out_of_range"),  # 7000012
]


def fields_line(table: str, values: dict[str, str]) -> str:
    """One line of `table` in the current layout: the named fields, the others blank."""
    return "$".join(values.get(name, "") for name in HEADERS[table].split("$"))


def code_list_quarter(root: Path) -> Path:
    """The 2022Q1 quarter of CASES: DEMO, one ASPIRIN drug and one Nausea reaction per case."""
    lines: dict[str, list[str]] = {table: [header] for table, header in HEADERS.items()}
    for case_id, (occp, sex, age, age_cod, age_grp, wt, wt_cod) in CASES.items():
        keys = {"primaryid": f"{case_id}1", "caseid": str(case_id)}
        lines["DEMO"].append(
            fields_line(
                "DEMO",
                keys
                | {"caseversion": "1", "i_f_code": "I", "init_fda_dt": "20220110"}
                | {"fda_dt": "20220110", "rept_cod": "EXP", "rept_dt": "20220110"}
                | {"age": age, "age_cod": age_cod, "age_grp": age_grp, "sex": sex}
                | {"wt": wt, "wt_cod": wt_cod, "occp_cod": occp, "reporter_country": "US"},
            )
        )
        drug = {"drug_seq": "1", "role_cod": "PS", "drugname": "ASPIRIN", "prod_ai": "ASPIRIN"}
        lines["DRUG"].append(fields_line("DRUG", keys | drug))
        lines["REAC"].append(fields_line("REAC", keys | {"pt": "Nausea"}))
    folder = root / "faers_ascii_2022q1"
    (folder / "ASCII").mkdir(parents=True)
    for table, table_lines in lines.items():
        (folder / "ASCII" / f"{table}22Q1.txt").write_text("\n".join(table_lines) + "\n")
    return folder


@pytest.fixture(scope="module")
def code_list_db(tmp_path_factory) -> Iterator[duckdb.DuckDBPyConnection]:
    root = tmp_path_factory.mktemp("code_lists")
    path = root / "kratom.duckdb"
    build(path, [code_list_quarter(root)])
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def test_every_code_in_analyst_terms(code_list_db):
    got = code_list_db.execute(
        "SELECT case_id, reporter_type, sex, age_years, age_band, weight_kg "
        "FROM model.cases ORDER BY case_id"
    ).fetchall()
    assert got == EXPECTED


def test_every_age_and_weight_left_out_is_an_input_issue(code_list_db):
    got = code_list_db.execute(
        "SELECT line_number, field, value, issue FROM staging.input_issues "
        "WHERE table_name = 'demo' ORDER BY line_number, field"
    ).fetchall()
    assert got == ISSUES
