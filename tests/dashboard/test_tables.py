"""Which tables the questions read: the kratom slice for kratom cases, the full tables for
`population=all` (and for files built before the slice).

To see which one a question read, the slice of a copy of the model fixture is made to disagree
with the full tables: case 900006 (kratom, received 2021Q4, event Somnolence in the
cognitive_neurological group) is removed from model.kratom_cases and model.kratom_case_events
only. Kept cases (tests/fixtures/model/README.md), received (event): kratom 900001 2012Q2
(2012Q1), 900005 2021Q4 (2021Q3), 900006 2021Q4 (2021Q1); background 900002 2012Q2 (2012Q1),
900004 2013Q1 (2013Q1), 900007 2013Q1 (2012Q4).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import runtime
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import cases, coexposures, events, extracts, indications, overview, trends
from dashboard.queries import tables as tables_for
from dashboard.tables import FULL, KRATOM_SLICE, Tables

ALL = Filters(population="all")
SOMNOLENCE = ("cognitive_neurological",)


def copy_with(model_db: Path, tmp_path: Path, *statements: str) -> Database:
    path = tmp_path / "changed.duckdb"
    shutil.copyfile(model_db, path)
    with duckdb.connect(str(path)) as con:
        for sql in statements:
            con.execute(sql)
    return Database(path)


@pytest.fixture
def slice_without_900006(model_db: Path, tmp_path: Path) -> Database:
    return copy_with(
        model_db,
        tmp_path,
        "DELETE FROM model.kratom_cases WHERE case_id = 900006",
        "DELETE FROM model.kratom_case_events WHERE case_id = 900006",
    )


@pytest.fixture
def built_before_the_slice(model_db: Path, tmp_path: Path) -> Database:
    return copy_with(
        model_db,
        tmp_path,
        "DROP TABLE model.kratom_cases",
        "DROP TABLE model.kratom_case_events",
        "DROP TABLE model.cases_per_quarter",
        "DROP TABLE model.quarter_totals",
    )


def test_kratom_filters_read_the_slice_and_population_all_the_full_tables(db):
    assert tables_for(db, Filters()) == KRATOM_SLICE
    assert tables_for(db, Filters(role="primary", sexes=("F",))) == KRATOM_SLICE
    assert tables_for(db, ALL) == FULL
    assert cases.count_cases(db, Filters()) == 3
    assert cases.count_cases(db, ALL) == 6


def test_population_all_counts_every_case_from_the_full_tables(slice_without_900006):
    db = slice_without_900006
    assert cases.count_cases(db, Filters()) == 2  # 900001, 900005: the slice
    assert cases.count_cases(db, ALL) == 6  # the full model.cases
    assert overview.headline(db, ALL)["n_cases"] == 6
    assert events.n_cases(db, ALL) == 6
    # EXISTS over events: the full model.case_events for population=all, the slice otherwise
    assert cases.count_cases(db, ALL.with_changes(event_groups=SOMNOLENCE)) == 1
    assert cases.count_cases(db, Filters(event_groups=SOMNOLENCE)) == 0
    groups = events.top_terms_by_year(db, ALL, "event_group")
    assert groups.filter(groups["term"] == "cognitive_neurological")["n_cases"].to_list() == [1]
    every = extracts.extract_tables(db, ALL)
    assert every["cases"]["case_id"].to_list() == [900001, 900002, 900004, 900005, 900006, 900007]
    assert extracts.extract_tables(db, Filters())["cases"]["case_id"].to_list() == [900001, 900005]


def test_the_case_view_finds_kratom_cases_in_the_slice_and_others_in_the_full_table(
    slice_without_900006,
):
    db = slice_without_900006
    assert cases.case_record(db, 900005)["sex"] == "M"
    assert cases.case_record(db, 900006)["case_id"] == 900006  # not in the slice: model.cases
    assert cases.case_record(db, 900002)["is_kratom"] is False
    assert cases.case_record(db, 900003) is None  # deleted
    assert cases.case_events(db, 900005, kratom=True)["pt"].to_list() == [
        "Death",
        "Toxicity to various agents",
    ]
    assert cases.case_events(db, 900006, kratom=True).is_empty()  # the slice was cut
    assert cases.case_events(db, 900006)["pt"].to_list() == ["Somnolence"]


def test_the_trends_background_reads_the_full_table(slice_without_900006):
    rate = trends.rate_by_quarter(slice_without_900006, Filters())
    assert [tuple(r) for r in rate.rows()] == [
        ("2012Q2", 1, 2, 50_000.0, 1),  # 900001 of 900001, 900002
        ("2013Q1", 0, 2, 0.0, 0),  # 900004, 900007
        ("2021Q4", 1, 2, 50_000.0, 1),  # kratom 900005 (slice) of 900005, 900006 (full)
    ]


def test_the_trends_background_reads_the_etl_counts_per_quarter(model_db, tmp_path):
    db = copy_with(
        model_db,
        tmp_path,
        "UPDATE model.cases_per_quarter SET n_cases = 4 "
        "WHERE date_field = 'received' AND period = '2013Q1'",
    )
    rate = trends.rate_by_quarter(db, Filters())
    assert [tuple(r) for r in rate.rows()][1] == ("2013Q1", 0, 4, 0.0, 0)


def test_a_file_built_before_the_slice_reads_the_full_tables(built_before_the_slice):
    db = built_before_the_slice
    assert tables_for(db, Filters()) == FULL
    assert cases.count_cases(db, Filters()) == 3
    assert overview.headline(db, Filters())["n_cases"] == 3
    assert events.n_cases(db, Filters(event_groups=SOMNOLENCE)) == 1
    assert coexposures.kratom_only_by_year(db, Filters())["n_cases"].sum() == 3
    assert indications.kratom_indications(db, Filters())[1] == 3
    assert trends.dated_cases(db, Filters()).height == 3
    assert cases.case_page(db, Filters())["case_id"].to_list() == [900006, 900005, 900001]
    assert "Somnolence" in runtime.filter_choices(db)["pts"]
    assert "FAERS quarterly files 2012Q2–2021Q4" in runtime.vintage_text(db)
    assert runtime.is_synthetic(db) is False
    assert [tuple(r) for r in trends.rate_by_quarter(db, Filters(date_field="event")).rows()] == [
        ("2012Q1", 1, 2, 50_000.0, 1),  # 900001, 900002
        ("2012Q4", 0, 1, 0.0, 0),  # 900007
        ("2013Q1", 0, 1, 0.0, 0),  # 900004
        ("2021Q1", 1, 1, 100_000.0, 1),  # 900006
        ("2021Q3", 1, 1, 100_000.0, 1),  # 900005
    ]


def test_only_the_allowed_table_sets_reach_sql():
    rogue = Tables(
        cases="model.cases",
        case_events="model.case_events; DROP TABLE model.cases",
        case_substances="model.case_substances",
        case_indications="model.case_indications",
    )
    with pytest.raises(ValueError, match="not an allowed set of tables"):
        Filters(event_groups=SOMNOLENCE).to_sql("c", rogue)
    sql, _ = Filters(event_groups=SOMNOLENCE).to_sql("c", KRATOM_SLICE)
    assert "FROM model.kratom_case_events e WHERE" in sql
