"""Incremental builds (`build(..., incremental=True)`, `kratom-etl build --add`) give exactly the
database a full build of the same quarters gives, whatever order the quarters arrive in.

The model fixture's three quarters hold every ordering story (tests/fixtures/model/README.md):
900001 is carried from AERS (2012Q2) into FAERS (2013Q1); 900007's primaryid is re-published in
2021Q4; 2021Q4's deleted list removes 900003 of 2012Q2, so adding 2021Q4 first means the deleted
list arrives before the case's versions, and adding it last means it arrives later.
"""

from __future__ import annotations

import itertools
import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import transform
from etl.errors import InputError
from etl.pipeline import build
from tests.conftest import MODEL_BY_QUARTER, READER_BY_QUARTER
from tests.etl import helpers
from tests.etl.helpers import build_in_steps

MODEL, READER = MODEL_BY_QUARTER, READER_BY_QUARTER
DERIVED_TABLES = (
    *("staging.demo", "staging.drug", "staging.reac", "staging.outc", "staging.indi"),
    *("staging.ther", "staging.rpsr", "model.case_versions", "model.kept_reports"),
    *("model.funnel", "model.drug_names", "model.kratom_drugs", "model.cases"),
    *("model.case_substances", "model.pt_spellings", "model.pt_names", "model.case_events"),
    *("model.case_indications", "model.case_therapies", "model.kratom_spellings"),
    *("model.kratom_cases", "model.kratom_case_events", "model.kratom_funnel"),
    *("model.cases_per_quarter", "model.quarter_totals"),
    *("model.case_match_keys", "model.probable_duplicates"),
)


@pytest.fixture(scope="module", autouse=True)
def no_signal_tables():
    """The signal tables derive from the model compared here; skipping them keeps builds fast."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("etl.signal_tables.write_signal_tables", lambda con: None)
        yield


def table_rows(db_path: Path, tables: tuple[str, ...] = DERIVED_TABLES) -> dict[str, list]:
    return helpers.table_rows(db_path, tables)


@pytest.fixture(scope="module")
def full_model(tmp_path_factory) -> dict[str, list]:
    path = tmp_path_factory.mktemp("full") / "kratom.duckdb"
    return table_rows(build_in_steps(path, [list(MODEL.values())]))


@pytest.mark.parametrize(
    "order",
    [
        [["2012Q2"], ["2013Q1"], ["2021Q4"]],  # chronological: the deleted list arrives later
        [["2021Q4"], ["2013Q1"], ["2012Q2"]],  # the deleted list before the case's versions
        [["2013Q1"], ["2021Q4", "2012Q2"]],  # two quarters added in one build
        [["2012Q2", "2021Q4"], ["2013Q1"]],  # a middle quarter arriving last
    ],
    ids=["chronological", "reversed", "two-at-once", "middle-last"],
)
def test_adding_quarters_gives_the_full_build(tmp_path, full_model, order):
    steps = [[MODEL[q] for q in step] for step in order]
    assert table_rows(build_in_steps(tmp_path / "kratom.duckdb", steps)) == full_model


def test_incremental_build_reads_only_new_quarters(tmp_path):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[MODEL["2012Q2"]]])
    result = build(db_path, [MODEL["2012Q2"], MODEL["2013Q1"]], incremental=True)
    assert (result.incremental, result.quarters_added) == (True, ["2013Q1"])
    assert result.quarters == ["2012Q2", "2013Q1"]
    con = duckdb.connect(str(db_path), read_only=True)
    assert con.execute("SELECT quarter FROM meta.transformed_quarters ORDER BY 1").fetchall() == [
        ("2012Q2",),
        ("2013Q1",),
    ]
    assert con.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'build'"
    ).fetchone() == (0,)
    con.close()


def test_a_changed_archive_of_a_loaded_quarter_is_refused(tmp_path):
    zip_path = Path(
        shutil.make_archive(str(tmp_path / "faers_ascii_2013q1"), "zip", MODEL["2013Q1"])
    )
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[zip_path]])
    before = table_rows(db_path, ("model.cases",))
    other = tmp_path / "other" / "faers_ascii_2013q1.zip"
    other.parent.mkdir()
    shutil.copyfile(zip_path, other)
    with open(other, "ab") as f:
        f.write(b"\0")  # still a readable zip, different bytes
    with pytest.raises(InputError, match="already loaded from a different archive"):
        build(db_path, [other], incremental=True)
    assert table_rows(db_path, ("model.cases",)) == before


def test_changed_derivation_rebuilds_staging_and_model_from_raw(tmp_path, full_model):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[MODEL["2012Q2"], MODEL["2013Q1"]]])
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta.build SET reference_sha256 = 'reviewed list edited since'")
    con.execute("DELETE FROM model.cases")  # what a stale derivation would leave behind
    con.close()
    build(db_path, [MODEL["2021Q4"]], incremental=True)
    assert table_rows(db_path) == full_model


def test_quarters_transformed_one_at_a_time_give_the_one_batch_model(
    tmp_path, full_model, monkeypatch, caplog
):
    monkeypatch.setattr(transform, "BATCH_ROWS", 1)  # every quarter is a batch of its own
    with caplog.at_level(logging.INFO, logger="etl.transform"):
        db_path = build_in_steps(tmp_path / "kratom.duckdb", [list(MODEL.values())])
    assert table_rows(db_path) == full_model
    batches = [r.getMessage().split(" (")[0] for r in caplog.records]
    assert batches == ["transformed 2012Q2", "transformed 2013Q1", "transformed 2021Q4"]


def test_a_rebuild_from_raw_goes_batch_by_batch(tmp_path, full_model, monkeypatch, caplog):
    db_path = build_in_steps(tmp_path / "kratom.duckdb", [[MODEL["2013Q1"], MODEL["2012Q2"]]])
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE meta.build SET transform_sha256 = 'model SQL edited since'")
    con.close()
    monkeypatch.setattr(transform, "BATCH_ROWS", 1)
    with caplog.at_level(logging.INFO, logger="etl.transform"):
        build(db_path, [MODEL["2021Q4"]], incremental=True)
    assert table_rows(db_path) == full_model
    batches = [r.getMessage().split(" (")[0] for r in caplog.records]  # raw's quarters in order
    assert batches == ["transformed 2012Q2", "transformed 2013Q1", "transformed 2021Q4"]


def test_small_quarters_share_a_batch():
    pending = [("2012Q2", 5), ("2013Q1", 4), ("2021Q4", 12), ("2022Q1", 3)]
    assert transform.batches(pending, 9) == [["2012Q2", "2013Q1"], ["2021Q4"], ["2022Q1"]]
    assert transform.batches(pending, 100) == [["2012Q2", "2013Q1", "2021Q4", "2022Q1"]]
    assert transform.batches([], 9) == []


ALL_QUARTERS = {**MODEL, **READER}


@pytest.fixture(scope="module")
def all_kept_cases(tmp_path_factory) -> list[tuple]:
    path = tmp_path_factory.mktemp("all") / "kratom.duckdb"
    return kept_cases(build_in_steps(path, [list(ALL_QUARTERS.values())]))


def kept_cases(db_path: Path) -> list[tuple]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute(
            "SELECT case_id, primary_id, quarter FROM model.cases ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    order=st.permutations(sorted(ALL_QUARTERS)),
    cuts=st.sets(st.integers(min_value=1, max_value=len(ALL_QUARTERS) - 1), max_size=3),
)
def test_kept_cases_do_not_depend_on_load_order(tmp_path, all_kept_cases, order, cuts):
    bounds = [0, *sorted(cuts), len(order)]
    steps = [[ALL_QUARTERS[q] for q in order[a:b]] for a, b in itertools.pairwise(bounds)]
    kept = kept_cases(build_in_steps(tmp_path / "kratom.duckdb", steps))
    assert kept == all_kept_cases
    assert len({case_id for case_id, _, _ in kept}) == len(kept)
