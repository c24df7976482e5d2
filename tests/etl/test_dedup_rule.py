"""FDA's deduplication rule, one tie-break per case, through the real build (tests/fixtures/dedup/).

The rule (etl/sql/model/case_versions.sql, docs/architecture.md "Deduplication"): one report per
caseid, the highest caseversion (blank, and every legacy ISR, last), then the latest fda_dt (blank
last), then the latest quarter, then the highest primaryid; a case on any deleted list, of any
quarter, is removed; child rows follow the kept report's primaryid AND quarter. Each case of the
fixture is decided by one step of that order, the others pointing the other way where they can,
so ranking by quarter alone, by fda_dt before caseversion or by the lower primaryid keeps other
reports. The expected values are counted by hand in tests/fixtures/dedup/README.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from etl.pipeline import build
from tests.conftest import FIXTURES
from tests.etl.helpers import build_in_steps
from tests.etl.helpers import query_rows as rows

DEDUP = FIXTURES / "dedup"
QUARTERS = {
    "2012Q3": DEDUP / "aers_ascii_2012q3",
    "2019Q1": DEDUP / "faers_ascii_2019q1",
    "2019Q2": DEDUP / "faers_ascii_2019q2",
    "2019Q3": DEDUP / "faers_ascii_2019q3",
}

# case_id -> (primary_id, quarter, era, the kept report's events)
KEPT = {
    800001: (8000013, "2019Q1", "faers", ["Headache"]),  # v3 (2019Q1) beats v2 of 2019Q2
    800002: (8000022, "2019Q2", "faers", ["Vomiting"]),  # v2 beats v1's later fda_dt
    800003: (8000032, "2019Q1", "faers", ["Tremor"]),  # same version: later fda_dt, earlier quarter
    800004: (8000041, "2019Q3", "faers", ["Palpitations"]),  # same version and date: later quarter
    800005: (8000052, "2019Q2", "faers", ["Agitation"]),  # same quarter too: higher primaryid
    800006: (8000061, "2019Q2", "faers", ["Hallucination"]),  # re-published: 2019Q2's children
    800007: (8000071, "2019Q1", "faers", ["Diarrhoea"]),  # re-published, 2019Q1's copy kept
    # 800008: deleted by 2019Q3's list; 800009: on 2019Q1's list before its versions arrive
    800010: (8000101, "2019Q1", "faers", ["Somnolence"]),  # blank fda_dt (2019Q3) ranks last
    800011: (8000111, "2019Q1", "faers", ["Dyspnoea"]),  # blank caseversion (2019Q3) ranks last
    800012: (8000122, "2019Q1", "faers", ["Chest pain"]),  # legacy ISR's later FDA_DT loses
    800013: (8000131, "2012Q3", "aers", ["Dizziness"]),  # legacy only: later FDA_DT, lower ISR
}

# (case_id, primary_id, quarter, version_rank, is_deleted): every version read, best first
VERSIONS = [
    (800001, 8000013, "2019Q1", 1, False),
    (800001, 8000012, "2019Q2", 2, False),
    (800002, 8000022, "2019Q2", 1, False),
    (800002, 8000021, "2019Q1", 2, False),
    (800003, 8000032, "2019Q1", 1, False),
    (800003, 8000033, "2019Q2", 2, False),
    (800004, 8000041, "2019Q3", 1, False),
    (800004, 8000042, "2019Q1", 2, False),
    (800005, 8000052, "2019Q2", 1, False),
    (800005, 8000051, "2019Q2", 2, False),
    (800006, 8000061, "2019Q2", 1, False),
    (800006, 8000061, "2019Q1", 2, False),
    (800007, 8000071, "2019Q1", 1, False),
    (800007, 8000071, "2019Q3", 2, False),
    (800008, 8000081, "2019Q1", 1, True),
    (800009, 8000092, "2019Q3", 1, True),
    (800009, 8000091, "2019Q2", 2, True),
    (800010, 8000101, "2019Q1", 1, False),
    (800010, 8000102, "2019Q3", 2, False),
    (800011, 8000111, "2019Q1", 1, False),
    (800011, 8000112, "2019Q3", 2, False),
    (800012, 8000122, "2019Q1", 1, False),
    (800012, 8000121, "2012Q3", 2, False),
    (800013, 8000131, "2012Q3", 1, False),
    (800013, 8000132, "2012Q3", 2, False),
]

# (era, report_versions, latest_versions, after_deleted)
FUNNEL = [("aers", 3, 1, 1), ("faers", 22, 12, 10), ("total", 25, 13, 11)]


def kept_cases(db_path: Path) -> dict[int, tuple]:
    """model.cases with each case's events, as KEPT writes them."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        cases = con.execute(
            "SELECT case_id, primary_id, quarter, era FROM model.cases ORDER BY case_id"
        ).fetchall()
        events = con.execute("SELECT case_id, pt FROM model.case_events ORDER BY ALL").fetchall()
    finally:
        con.close()
    return {
        case_id: (primary_id, quarter, era, [pt for c, pt in events if c == case_id])
        for case_id, primary_id, quarter, era in cases
    }


VERSIONS_SQL = (
    "SELECT case_id, primary_id, quarter, version_rank, is_deleted FROM model.case_versions "
    "ORDER BY case_id, version_rank"
)
FUNNEL_SQL = (
    "SELECT era, report_versions, latest_versions, after_deleted FROM model.funnel ORDER BY 1"
)


@pytest.fixture(scope="module")
def dedup_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("dedup") / "kratom.duckdb"
    build(path, list(QUARTERS.values()))
    return path


def test_each_case_keeps_the_report_its_rule_picks(dedup_db):
    assert kept_cases(dedup_db) == KEPT


def test_every_version_is_ranked_and_deletions_hold(dedup_db):
    assert rows(dedup_db, VERSIONS_SQL) == VERSIONS


def test_funnel_counts_the_carried_case_once(dedup_db):
    assert rows(dedup_db, FUNNEL_SQL) == FUNNEL


def test_drugs_follow_the_kept_primaryid_and_quarter(dedup_db):
    """800006's primaryid names KRATOM + XANAX in 2019Q1 and KRATOM + ALCOHOL in 2019Q2."""
    assert rows(
        dedup_db, "SELECT case_id, drugname, role_code FROM model.case_substances ORDER BY ALL"
    ) == [(800006, "ALCOHOL", "C"), (800006, "KRATOM", "PS")]


@pytest.mark.parametrize(
    "order",
    [
        ["2012Q3", "2019Q1", "2019Q2", "2019Q3"],  # 800009's listing before its versions
        ["2019Q3", "2019Q2", "2019Q1", "2012Q3"],  # 800008's listing before its version
    ],
    ids=["chronological", "reversed"],
)
def test_adding_quarters_one_at_a_time_keeps_the_same_cases(tmp_path, order):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[QUARTERS[q]] for q in order])
    assert kept_cases(db_path) == KEPT
    assert rows(db_path, VERSIONS_SQL) == VERSIONS
    assert rows(db_path, FUNNEL_SQL) == FUNNEL


def test_a_caseid_too_long_for_any_case_on_a_deleted_list_deletes_no_other_case(tmp_path):
    """A digits-only listing past BIGINT names no case: it used to make every case's is_deleted
    NULL (x IN (..., NULL) is NULL, not false), so every case silently left the model."""
    q3 = shutil.copytree(QUARTERS["2019Q3"], tmp_path / "faers_ascii_2019q3")
    (q3 / "Deleted" / "DELETE19Q3.txt").write_text("800008\n123456789012345678901234\n")
    db_path = tmp_path / "kratom.duckdb"
    build(db_path, [QUARTERS["2012Q3"], QUARTERS["2019Q1"], QUARTERS["2019Q2"], q3])
    assert rows(db_path, "SELECT caseid FROM raw.deleted_cases ORDER BY ALL") == [
        ("123456789012345678901234",),
        ("800008",),
        ("800009",),
    ]
    assert kept_cases(db_path) == KEPT
    assert rows(db_path, VERSIONS_SQL) == VERSIONS
