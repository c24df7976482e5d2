"""Probable duplicates under different caseids (etl/probable_duplicates.py, the rules in
docs/architecture.md "Probable duplicates"), through the real build of
tests/fixtures/duplicates/ (two current-layout quarters, counted by hand in its README).

Each group of the fixture proves one rule: a shared manufacturer number with and without the
"US-" prefix; the number shared by F and M, or by ages 5 years apart (no link); the same content
(a kratom pair) and one year of age off it (no link); eight padded-date reports of one sender (no
link) against seven (linked); a chain through both rules; then 2022Q2 adds a third copy, corrects
a sex that blocked a group and deletes the case a pair was shown as. A full build, a build of
2022Q1 then `--add` 2022Q2, and the reverse order must all give the same flags.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import checks
from etl.db import CHECKS_DIR
from etl.errors import CheckFailed
from etl.pipeline import build
from etl.status import format_status, read_status
from tests.conftest import FIXTURES
from tests.etl.helpers import build_in_steps, query_rows

Q1 = FIXTURES / "duplicates" / "faers_ascii_2022q1"
Q2 = FIXTURES / "duplicates" / "faers_ascii_2022q2"
FLAGS = "SELECT case_id, shown_case_id, matched_on FROM model.probable_duplicates ORDER BY 1"
M, C, MC = "manufacturer_number", "same_content", "manufacturer_number+same_content"
SEVENCO = [(700030 + i, 700036, C) for i in range(6)]  # 7 padded reports, received 4-10 Feb

AFTER_Q1 = [
    (700002, 700001, M),  # PFIZER-1001 = US-PFIZER-1001; the lower id received later (20 Feb)
    (700007, 700008, C),  # kratom + alcohol, seizure + vomiting, in another order; 1 Mar last
    (700020, 700022, MC),  # number shared with 700021, content with 700022
    (700021, 700022, M),  # linked to 700022 through 700020 only
    *SEVENCO,
]
FINAL = [
    (700001, 700023, M),  # 2022Q2's third copy was received last (15 Apr)
    (700002, 700023, M),
    (700003, 700004, MC),  # 700004's version 2 corrects M to F: number and content now agree
    # 700007: its pair 700008 is on 2022Q2's deleted list, so it stands alone
    (700020, 700022, MC),
    (700021, 700022, M),
    *SEVENCO,
]


def flags(db_path: Path) -> list[tuple]:
    return query_rows(db_path, FLAGS)


@pytest.fixture(scope="module")
def full_db(tmp_path_factory) -> Path:
    db_path = tmp_path_factory.mktemp("duplicates") / "full.duckdb"
    build(db_path, [Q1, Q2])
    return db_path


def test_first_quarter_alone(tmp_path):
    db_path = tmp_path / "q1.duckdb"
    build(db_path, [Q1])
    assert flags(db_path) == AFTER_Q1
    doc = read_status(db_path)  # `kratom-etl status --json`: 700007 is the kratom one
    assert doc["probable_duplicates"] == {"cases": 10, "kratom_cases": 1}
    assert "probable duplicates (counted unless set aside): 10 cases, 1 of them kratom" in (
        format_status(doc)
    )


def test_full_build(full_db):
    assert flags(full_db) == FINAL
    assert read_status(full_db)["probable_duplicates"] == {"cases": 11, "kratom_cases": 0}


@pytest.mark.parametrize("order", [[Q1, Q2], [Q2, Q1]], ids=["q1-then-q2", "q2-then-q1"])
def test_added_quarter_relinks_only_what_it_touches(tmp_path, order):
    db_path = build_in_steps(tmp_path / "steps.duckdb", [[order[0]], [order[1]]])
    assert flags(db_path) == FINAL


def test_cases_carry_the_flag(full_db):
    flagged = query_rows(
        full_db,
        "SELECT case_id, duplicate_of FROM model.cases WHERE duplicate_of IS NOT NULL ORDER BY 1",
    )
    assert flagged == [(case_id, shown) for case_id, shown, _ in FINAL]
    # every other kept case, 700007 (kratom) included, is shown
    shown_sql = "SELECT count(*) FROM model.cases WHERE duplicate_of IS NULL"
    (n_shown,) = query_rows(full_db, shown_sql)[0]
    assert n_shown == 29 - 1 - len(FINAL)  # 28 caseids in 2022Q1 + 700023; 700008 deleted


def test_no_link_without_rule(full_db):
    keys = dict(
        query_rows(full_db, "SELECT case_id, content_key IS NULL FROM model.case_match_keys")
    )
    assert keys[700007] is False and keys[700009] is False  # both have content; ages 35 and 36
    (n,) = query_rows(
        full_db,
        "SELECT count(*) FROM model.case_match_keys WHERE content_key = "
        "(SELECT content_key FROM model.case_match_keys WHERE case_id = 700010)",
    )[0]
    assert n == 9  # ACME's eight and OTHERCO's one share content, and still link nothing


def test_check_catches_a_flag_out_of_step(full_db, tmp_path):
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(full_db.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        check = (CHECKS_DIR / "probable_duplicates_match_cases.sql").read_text()
        assert con.execute(check).fetchall() == []
        con.execute("UPDATE model.cases SET duplicate_of = 700001 WHERE case_id = 700005")
        assert con.execute(check).fetchall() == [
            ("flag differs from model.probable_duplicates", 700005)
        ]
        with pytest.raises(CheckFailed, match="probable_duplicates_match_cases"):
            checks.run_checks(con)
    finally:
        con.close()
