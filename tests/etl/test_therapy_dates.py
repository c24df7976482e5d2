"""How much of each therapy date is known: `start_date_precision` and `end_date_precision` in
staging.ther and model.case_therapies, read as the event date's precision is
(staging.faers_date_precision, etl/sql/staging/00_macros.sql).

Hand counts: tests/fixtures/onset/README.md (2022Q1, after FDA began padding partial dates to the
1st) and tests/fixtures/model/README.md (2012Q2's one THER row, before the padding).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from tests.etl.helpers import query_rows as rows


def test_model_keeps_each_therapy_dates_precision(onset_db: Path) -> None:
    therapies = (
        "SELECT case_id, drug_seq, start_date, start_date_precision, end_date, end_date_precision "
        "FROM model.case_therapies ORDER BY case_id, drug_seq"
    )
    d = dt.date
    assert rows(onset_db, therapies) == [
        (800001, 1, d(2022, 1, 10), "day", d(2022, 1, 12), "day"),
        (800002, 1, d(2022, 1, 14), "day", None, None),
        (800002, 2, d(2022, 1, 12), "day", None, None),
        (800002, 3, d(2021, 10, 5), "day", None, None),  # ALCOHOL: kept, not kratom
        (800003, 1, d(2022, 1, 11), "day", d(2022, 2, 1), "month"),  # 202202
        (800004, 1, d(2021, 12, 1), "month", d(2022, 1, 1), "year"),  # padded 20211201, 20220101
        (800005, 1, d(2022, 1, 20), "day", None, None),
        (800006, 1, d(2021, 1, 1), "year", None, None),  # 2021
        (800007, 1, None, None, d(2022, 1, 11), "day"),  # blank start
        (800008, 1, d(2021, 12, 20), "day", None, None),
        (800009, 1, d(2021, 1, 31), "day", None, None),
        (800010, 1, d(2021, 1, 30), "day", None, None),
        (800012, 1, d(2022, 1, 5), "day", None, None),
    ]  # 800011 is not a kratom case: its THER row stays in staging only
    assert rows(onset_db, "SELECT count(*) FROM staging.ther WHERE primaryid = 8000111") == [(1,)]


def test_existing_columns_keep_their_names_and_places(onset_db: Path) -> None:
    con = duckdb.connect(str(onset_db), read_only=True)
    try:
        columns = [c[0] for c in con.execute("DESCRIBE model.case_therapies").fetchall()]
    finally:
        con.close()
    assert columns == [
        *("case_id", "drug_seq", "start_date", "end_date", "dur", "dur_cod"),
        *("start_date_precision", "end_date_precision"),
    ]


def test_before_2021q3_a_date_on_the_first_is_a_day(con: duckdb.DuckDBPyConnection) -> None:
    # 2012Q2's THER row of ISR 9000011: START_DT 2011 (year), END_DT 20120301 (a real 1st March)
    ther = (
        "SELECT quarter, start_date, start_date_precision, end_date, end_date_precision "
        "FROM staging.ther WHERE primaryid = 9000011"
    )
    assert con.execute(ther).fetchall() == [
        ("2012Q2", dt.date(2011, 1, 1), "year", dt.date(2012, 3, 1), "day")
    ]
