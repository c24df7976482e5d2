"""The switch that sets probable duplicates aside (`duplicates=hide`), over 2022Q1 of
tests/fixtures/duplicates/ built alone by the real pipeline (counted by hand in its README).

That quarter holds 28 kept cases, 10 of them flagged as probable duplicates (so 18 shown); all 28
were first received in 2021Q4 (init_fda_dt 1 Dec 2021). Kratom cases: 700007, 700008, 700009
(kratom PS, alcohol, Seizure + Vomiting each), of which 700007 is flagged as a probable
duplicate of 700008; 700009 differs by one year of age and stands alone.

A file built before the flags is the same build with `duplicate_of` dropped from model.cases
and the kratom slice (and the two duplicate tables dropped): the switch must then set nothing
aside, break nothing, and say so.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard import callbacks, components, extracts, ids, link_writers, runtime, signals_table
from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import (
    cases,
    coexposures,
    events,
    has_duplicate_flags,
    overview,
    quarter_totals,
    signals,
    tables,
    trends,
)
from dashboard.queries import extracts as xq
from dashboard.tables import FULL, FULL_UNFLAGGED, KRATOM_SLICE, KRATOM_SLICE_UNFLAGGED
from tests.dashboard.helpers import dash_page, text_of

HIDE = Filters(duplicates="hide")
ALL = Filters(population="all")
ALL_HIDE = Filters(population="all", duplicates="hide")
KRATOM = [700007, 700008, 700009]
SHOWN = [700008, 700009]  # 700007 is set aside as a probable duplicate of 700008
NOTE = (
    "ignored 'duplicates=hide': this database was built before probable duplicates were "
    "flagged, so every case is shown"
)


@pytest.fixture(scope="module")
def flagged(duplicates_db: Path) -> Database:
    return Database(duplicates_db)


@pytest.fixture(scope="module")
def unflagged_path(duplicates_db: Path, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("unflagged") / "kratom.duckdb"
    shutil.copyfile(duplicates_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("ALTER TABLE model.cases DROP COLUMN duplicate_of")
        con.execute("ALTER TABLE model.kratom_cases DROP COLUMN duplicate_of")
        con.execute("DROP TABLE model.probable_duplicates")
        con.execute("DROP TABLE model.case_match_keys")
    return path


@pytest.fixture(scope="module")
def unflagged(unflagged_path: Path) -> Database:
    return Database(unflagged_path)


@pytest.fixture
def pages_over():
    """`pages_over(path)`: the page modules as Dash imports them, the app pointed at `path`;
    the app's database is put back afterwards."""
    before = runtime._state.get("db")

    def point(path: Path):
        dash_page(path, "pages.overview")
        return sys.modules

    yield point
    if before is not None:
        runtime._state["db"] = before


# --- a file with the flags ---


def test_the_headline_and_case_table_count_three_kratom_cases_then_two(flagged):
    assert overview.headline(flagged, Filters())["n_cases"] == 3
    assert overview.headline(flagged, HIDE)["n_cases"] == 2
    assert cases.count_cases(flagged, Filters()) == 3
    assert cases.count_cases(flagged, HIDE) == 2
    assert sorted(cases.case_page(flagged, Filters())["case_id"]) == KRATOM
    assert sorted(cases.case_page(flagged, HIDE)["case_id"]) == SHOWN


def test_population_all_counts_28_cases_then_18(flagged):
    assert overview.headline(flagged, ALL)["n_cases"] == 28
    assert overview.headline(flagged, ALL_HIDE)["n_cases"] == 28 - 10
    assert cases.count_cases(flagged, ALL_HIDE) == 18


def test_every_kratom_question_follows_the_switch(flagged):
    assert overview.cases_by_quarter(flagged, HIDE).rows() == [("2021Q4", 2, 0, 0, 0)]
    assert events.n_cases(flagged, HIDE) == 2
    groups = events.top_terms_by_year(flagged, HIDE, "event_group")
    assert sorted(groups["term"]) == ["gastrointestinal", "seizure"]
    assert groups["n_cases"].to_list() == [2, 2]
    assert coexposures.top_coexposures(flagged, HIDE, "substance")["n_cases"].to_list() == [2]
    assert coexposures.top_coexposures(flagged, Filters(), "substance")["n_cases"].to_list() == [3]


def test_the_trends_rate_divides_by_every_case(flagged):
    """The bars follow the switch; the background (per 100,000) still counts all 28 cases."""
    assert trends.rate_by_quarter(flagged, Filters()).rows() == [
        ("2021Q4", 3, 28, pytest.approx(100_000 * 3 / 28), 3)
    ]
    assert trends.rate_by_quarter(flagged, HIDE).rows() == [
        ("2021Q4", 2, 28, pytest.approx(100_000 * 2 / 28), 2)
    ]


def test_extract_tables_carry_duplicate_of(flagged):
    every = xq.extract_tables(flagged, Filters())
    assert every["cases"].select("case_id", "duplicate_of").rows() == [
        (700007, 700008),
        (700008, None),
        (700009, None),
    ]
    hidden = xq.extract_tables(flagged, HIDE)
    assert hidden["cases"]["case_id"].to_list() == SHOWN
    assert hidden["cases"]["duplicate_of"].to_list() == [None, None]
    assert sorted(set(hidden["events"]["case_id"])) == SHOWN
    assert sorted(set(hidden["substances"]["case_id"])) == SHOWN
    assert hidden["cases"].columns == every["cases"].columns
    assert every["cases"].columns[-1] == "duplicate_of"


def csv_extract(db_path, link: str):
    """The CSV extract of `link`, its cases.csv rows and its manifest."""
    x = extracts.build_extract(db_path, link, "csv")
    with zipfile.ZipFile(io.BytesIO(x.content)) as zf:
        return x, pl.read_csv(zf.read("cases.csv")), json.loads(zf.read("manifest.json"))


def test_a_csv_extract_with_the_switch_on(duplicates_db):
    x, rows, manifest = csv_extract(duplicates_db, "/cases?duplicates=hide")
    assert rows["case_id"].to_list() == SHOWN
    assert "duplicate_of" in rows.columns
    assert manifest["filters"]["query"] == "duplicates=hide"
    assert manifest["filters"]["description"] == (
        "Kratom cases (kratom in any role), all dates, probable duplicates set aside, "
        "from FAERS quarterly files."
    )
    assert manifest["ignored_parameters"] == []
    assert manifest["tables"]["cases"]["rows"] == 2
    assert "duplicate_of" in manifest["tables"]["cases"]["columns"]
    assert x.name.startswith("kratom_FILTERED_")


def test_signals_and_trends_say_what_does_not_follow_the_switch(flagged, pages_over, duplicates_db):
    pages = pages_over(duplicates_db)
    signals_page, trends_page = pages["pages.signals"], pages["pages.trends"]
    prior = signals.prior_fit(flagged, "pt")
    assert signals_table.DUPLICATES_KEPT in text_of(signals_table.notes(HIDE, "pt", prior))
    assert signals_table.DUPLICATES_KEPT not in text_of(signals_table.notes(Filters(), "pt", prior))
    _, _, notes, *_ = signals_page.update("duplicates=hide")
    assert "not set aside on this page" in text_of(notes)
    background = trends_page.update("duplicates=hide")[0]
    assert background.endswith(trends_page.DUPLICATES_IN_BACKGROUND)
    assert "probable duplicates" not in trends_page.update("")[0]
    # the signal tables count every case whatever the switch says
    assert (
        signals.counts(flagged, HIDE, "pt").rows()
        == signals.counts(flagged, Filters(), "pt").rows()
    )
    assert runtime.with_database_notes(HIDE, []) == []  # this file has the flags


def test_the_checkbox_writes_the_link_and_the_link_sets_the_checkbox():
    at = list(callbacks.CONTROLS).index(ids.F_DUPLICATES)
    assert callbacks.control_values(HIDE)[at] == ["hide"]
    assert callbacks.control_values(Filters())[at] == []
    values = callbacks.control_values(Filters())
    values[at] = ["hide"]
    f = callbacks.filters_from_controls(values, Filters())
    assert f == HIDE and link_writers.search_of(f) == "?duplicates=hide"
    for hostile in (["show"], "hide", ["hide", "x"], None, 1, {"hide": 1}):
        values[at] = hostile
        assert callbacks.filters_from_controls(values, HIDE).duplicates == "show"
    panel = components.filter_panel({})
    assert "Set aside probable duplicates" in str(panel)  # a Checklist's label is an option
    assert components.DUPLICATES_HELP in text_of(panel)


# --- a file built before the flags ---


def test_an_unflagged_file_reads_the_unflagged_tables(flagged, unflagged):
    assert has_duplicate_flags(flagged) and not has_duplicate_flags(unflagged)
    assert tables(flagged, HIDE) == KRATOM_SLICE and tables(flagged, ALL_HIDE) == FULL
    assert tables(unflagged, HIDE) == KRATOM_SLICE_UNFLAGGED
    assert tables(unflagged, ALL_HIDE) == FULL_UNFLAGGED
    sql, params = HIDE.to_sql("c", KRATOM_SLICE_UNFLAGGED)
    assert (sql, params) == Filters().to_sql("c", KRATOM_SLICE_UNFLAGGED)
    assert "c.duplicate_of IS NULL" in HIDE.to_sql("c", KRATOM_SLICE)[0]


def test_an_unflagged_file_shows_every_case_with_the_switch_on(unflagged):
    assert overview.headline(unflagged, HIDE)["n_cases"] == 3
    assert overview.headline(unflagged, ALL_HIDE)["n_cases"] == 28
    assert sorted(cases.case_page(unflagged, HIDE)["case_id"]) == KRATOM
    assert trends.rate_by_quarter(unflagged, HIDE)["n_cases"].to_list() == [3]
    got = xq.extract_tables(unflagged, HIDE)["cases"]
    assert got["case_id"].to_list() == KRATOM
    assert got["duplicate_of"].to_list() == [None, None, None]
    assert got.columns == xq.extract_tables(Database(unflagged.path), Filters())["cases"].columns


def test_other_reads_of_model_cases_work_on_an_unflagged_file(unflagged):
    record = cases.case_record(unflagged, 700007)
    assert record["case_id"] == 700007 and "duplicate_of" not in record
    assert cases.case_record(unflagged, 700001)["is_kratom"] is False
    assert quarter_totals.quarter_range(unflagged) == ("2022Q1", "2022Q1")
    assert runtime.is_synthetic(unflagged) is False
    assert "Seizure" in runtime.filter_choices(unflagged)["pts"]


def test_every_page_answers_the_switch_on_an_unflagged_file(unflagged_path, pages_over):
    pages = pages_over(unflagged_path)
    query = "duplicates=hide"
    overview_out = pages["pages.overview"].update(query)
    assert overview_out[0] == "3"
    pages["pages.events"].update(query)
    pages["pages.coexposures"].update(query)
    pages["pages.trends"].update(query)
    pages["pages.indications"].update(query)
    pages["pages.signals"].update(query)
    pages["pages.poison_centers"].update(query)
    pages["pages.about"].update(query)
    assert pages["pages.cases"].update_count(query) == "3 cases match."
    grid = pages["pages.cases"].update_rows({}, query)
    assert grid["rowCount"] == 3 and len(grid["rowData"]) == 3
    assert runtime.with_database_notes(HIDE, ["x"]) == ["x", NOTE]
    assert runtime.with_database_notes(Filters(), []) == []


def test_an_extract_of_an_unflagged_file_says_nothing_was_set_aside(unflagged_path):
    x, rows, manifest = csv_extract(unflagged_path, "duplicates=hide&sex=M")
    assert rows["case_id"].to_list() == KRATOM
    assert rows["duplicate_of"].null_count() == 3
    assert manifest["filters"]["query"] == "sex=M"
    assert "probable duplicates" not in manifest["filters"]["description"]
    assert manifest["ignored_parameters"] == [NOTE]
    assert x.notes == [NOTE]
