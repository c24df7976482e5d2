"""model.quarter_totals (etl/sql/model/quarter_totals.sql): per source and quarter of the file a
version was read from, the report versions read, cases kept, kratom cases and synthetic cases;
the check quarter_totals_match_model fails on any difference from the model.

Model fixture (tests/fixtures/model/README.md): versions read 2012Q2 9000011, 9000021, 9000031;
2013Q1 9000012, 9000041, 9000071; 2021Q4 9000043, 9000051, 9000061, 9000071 (10 in all). Kept
cases by the quarter of their kept version: 2012Q2 900002; 2013Q1 900001 (kratom); 2021Q4
900004, 900005 (kratom), 900006 (kratom), 900007. 900003 was deleted. Nothing is synthetic.
"""

from __future__ import annotations

import duckdb
import pytest

from etl import checks
from etl.db import CHECKS_DIR
from etl.errors import CheckFailed

CHECK = CHECKS_DIR / "quarter_totals_match_model.sql"
FAERS = "faers-quarterly"


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_every_version_and_kept_case_is_counted_under_its_file_quarter(con):
    assert rows(con, "SELECT * FROM model.quarter_totals ORDER BY ALL") == [
        # source, quarter, versions, cases, kratom cases, synthetic cases
        (FAERS, "2012Q2", 3, 1, 0, 0),  # 900002 (900001's and 900003's versions not kept)
        (FAERS, "2013Q1", 3, 1, 1, 0),  # 900001 (900004's v1 and 900007's first copy not kept)
        (FAERS, "2021Q4", 4, 4, 2, 0),  # 900004, 900005 (kratom), 900006 (kratom), 900007
    ]
    assert rows(con, CHECK.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            "DELETE FROM model.quarter_totals WHERE quarter = '2012Q2'",
            [("missing or changed", FAERS, "2012Q2", 3, 1, 0, 0)],
        ),
        (
            "UPDATE model.quarter_totals SET n_kratom_cases = 3 WHERE quarter = '2021Q4'",
            [
                ("missing or changed", FAERS, "2021Q4", 4, 4, 2, 0),
                ("not in the model", FAERS, "2021Q4", 4, 4, 3, 0),
            ],
        ),
        (  # a case became synthetic after the totals were written (a step run after them)
            "UPDATE model.cases SET is_synthetic = true WHERE case_id = 900002",
            [
                ("missing or changed", FAERS, "2012Q2", 3, 1, 0, 1),
                ("not in the model", FAERS, "2012Q2", 3, 1, 0, 0),
            ],
        ),
        (
            "DELETE FROM model.case_versions WHERE primary_id = 9000031",
            [
                ("missing or changed", FAERS, "2012Q2", 2, 1, 0, 0),
                ("not in the model", FAERS, "2012Q2", 3, 1, 0, 0),
            ],
        ),
        (
            "INSERT INTO model.quarter_totals VALUES ('openfda-caers', '2020Q1', 0, 1, 1, 0)",
            [("not in the model", "openfda-caers", "2020Q1", 0, 1, 1, 0)],
        ),
    ],
    ids=["quarter-missing", "count-changed", "cases-changed", "versions-changed", "row-too-many"],
)
def test_the_check_fails_when_the_totals_differ_from_the_model(tampered, change, expected):
    tampered.execute(change)
    assert sorted(rows(tampered, CHECK.read_text(encoding="utf-8"))) == sorted(expected)
    with pytest.raises(CheckFailed, match="quarter_totals_match_model"):
        checks.run_checks(tampered)
