"""The dashboard's tables written last by every build (pipeline.DASHBOARD_STEPS):

- the kratom slice (etl/sql/model/kratom_slice.sql): model.kratom_cases and
  model.kratom_case_events hold exactly the kratom cases' rows of model.cases and
  model.case_events; the check kratom_slice_matches_model fails on any difference;
- model.cases_per_quarter: every kept case per quarter of its received and event date; the check
  cases_per_quarter_matches_cases fails when its totals differ from model.cases.

Model fixture (tests/fixtures/model/README.md, the DEMO files): kratom cases 900001, 900005 and
900006; their events Drug dependence + Withdrawal syndrome, Death + Toxicity to various agents,
Somnolence. Kept cases received (event): 900001 2012Q2 (2012Q1), 900002 2012Q2 (2012Q1),
900004 2013Q1 (2013Q1), 900005 2021Q4 (2021Q3), 900006 2021Q4 (2021Q1), 900007 2013Q1 (2012Q4).
"""

from __future__ import annotations

import duckdb
import pytest

from etl import checks
from etl.db import CHECKS_DIR
from etl.errors import CheckFailed

SLICE_CHECK = CHECKS_DIR / "kratom_slice_matches_model.sql"
PER_QUARTER_CHECK = CHECKS_DIR / "cases_per_quarter_matches_cases.sql"
KRATOM = "SELECT * FROM model.cases WHERE is_kratom"
KRATOM_EVENTS = (
    "SELECT e.* FROM model.case_events e JOIN model.cases c USING (case_id) WHERE c.is_kratom"
)


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_the_slice_holds_the_kratom_cases_and_their_events(con):
    assert rows(con, "SELECT case_id FROM model.kratom_cases ORDER BY 1") == [
        (900001,),
        (900005,),
        (900006,),
    ]
    assert rows(con, "SELECT case_id, pt FROM model.kratom_case_events ORDER BY 1, 2") == [
        (900001, "Drug dependence"),
        (900001, "Withdrawal syndrome"),
        (900005, "Death"),
        (900005, "Toxicity to various agents"),
        (900006, "Somnolence"),
    ]


def test_the_slice_equals_the_filtered_full_tables_both_ways(con):
    for slice_table, full in (
        ("model.kratom_cases", KRATOM),
        ("model.kratom_case_events", KRATOM_EVENTS),
    ):
        copied = rows(con, f"SELECT * FROM {slice_table} ORDER BY ALL")
        assert copied == rows(con, f"{full} ORDER BY ALL")
        assert rows(con, f"FROM {slice_table} EXCEPT ALL {full}") == []
        assert rows(con, f"{full} EXCEPT ALL FROM {slice_table}") == []
    columns = (
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'model' AND table_name = '{}' ORDER BY column_index"
    )
    assert rows(con, columns.format("kratom_cases")) == rows(con, columns.format("cases"))
    assert rows(con, columns.format("kratom_case_events")) == rows(
        con, columns.format("case_events")
    )


def test_the_check_passes_on_a_build(con):
    assert rows(con, SLICE_CHECK.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            "DELETE FROM model.kratom_cases WHERE case_id = 900006",
            [("model.kratom_cases", "missing", 900006)],
        ),
        (
            "UPDATE model.kratom_cases SET sex = 'F' WHERE case_id = 900005",
            [
                ("model.kratom_cases", "missing", 900005),
                ("model.kratom_cases", "not a kratom case of model.cases", 900005),
            ],
        ),
        (
            "INSERT INTO model.kratom_cases SELECT * FROM model.cases WHERE case_id = 900002",
            [("model.kratom_cases", "not a kratom case of model.cases", 900002)],
        ),
        (  # the full table changed after the slice was written (a step run after it)
            "UPDATE model.cases SET is_kratom = false, kratom_role = NULL, "
            "kratom_product_type = NULL, is_kratom_only = NULL WHERE case_id = 900001",
            [
                ("model.kratom_cases", "not a kratom case of model.cases", 900001),
                ("model.kratom_case_events", "not an event of a kratom case", 900001),
                ("model.kratom_case_events", "not an event of a kratom case", 900001),
            ],
        ),
        (
            "DELETE FROM model.kratom_case_events WHERE pt = 'Death'",
            [("model.kratom_case_events", "missing", 900005)],
        ),
        (
            "INSERT INTO model.kratom_case_events SELECT * FROM model.kratom_case_events "
            "WHERE pt = 'Somnolence'",
            [("model.kratom_case_events", "not an event of a kratom case", 900006)],
        ),
        (
            "INSERT INTO model.case_events VALUES (900006, 'Nausea', 'gastrointestinal', 'NAUSEA')",
            [("model.kratom_case_events", "missing", 900006)],
        ),
    ],
    ids=[
        "slice-row-missing",
        "slice-value-changed",
        "background-case-in-slice",
        "full-table-changed",
        "slice-event-missing",
        "slice-event-twice",
        "full-events-gained-one",
    ],
)
def test_the_check_fails_when_the_slice_is_tampered_with(tampered, change, expected):
    tampered.execute(change)
    found = rows(tampered, SLICE_CHECK.read_text(encoding="utf-8"))
    assert sorted(found) == sorted(expected)
    with pytest.raises(CheckFailed, match="kratom_slice_matches_model"):
        checks.run_checks(tampered)


def test_cases_per_quarter_counts_every_kept_case(con):
    assert rows(con, "SELECT * FROM model.cases_per_quarter ORDER BY ALL") == [
        ("event", "2012Q1", "faers-quarterly", 2),  # 900001, 900002
        ("event", "2012Q4", "faers-quarterly", 1),  # 900007
        ("event", "2013Q1", "faers-quarterly", 1),  # 900004
        ("event", "2021Q1", "faers-quarterly", 1),  # 900006
        ("event", "2021Q3", "faers-quarterly", 1),  # 900005
        ("received", "2012Q2", "faers-quarterly", 2),  # 900001, 900002
        ("received", "2013Q1", "faers-quarterly", 2),  # 900004, 900007
        ("received", "2021Q4", "faers-quarterly", 2),  # 900005, 900006
    ]
    assert rows(con, PER_QUARTER_CHECK.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            "DELETE FROM model.cases_per_quarter "
            "WHERE date_field = 'received' AND period = '2013Q1'",
            [("faers-quarterly", 6, 4, 6, 6)],
        ),
        (
            "UPDATE model.cases_per_quarter SET n_cases = 3 WHERE period = '2021Q1'",
            [("faers-quarterly", 6, 6, 6, 8)],
        ),
        (  # a case's event date dropped after the counts were written
            "UPDATE model.cases SET event_date = NULL WHERE case_id = 900007",
            [("faers-quarterly", 6, 6, 5, 6)],
        ),
    ],
    ids=["quarter-missing", "count-changed", "cases-changed"],
)
def test_the_per_quarter_check_fails_when_the_counts_differ(tampered, change, expected):
    tampered.execute(change)
    assert rows(tampered, PER_QUARTER_CHECK.read_text(encoding="utf-8")) == expected
    with pytest.raises(CheckFailed, match="cases_per_quarter_matches_cases"):
        checks.run_checks(tampered)
