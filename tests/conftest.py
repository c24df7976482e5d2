"""Shared fixtures: the real-sample folder, a database built from the hand-made model fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
REAL_DATA = REPO.parent / "shared" / "data" / "real"
# The hand-made fixture quarters by quarter: the model story and the reader's quirks.
MODEL_BY_QUARTER = {
    "2012Q2": FIXTURES / "model" / "aers_ascii_2012q2",
    "2013Q1": FIXTURES / "model" / "faers_ascii_2013q1",
    "2021Q4": FIXTURES / "model" / "faers_ascii_2021q4",
}
READER_BY_QUARTER = {
    "2005Q3": FIXTURES / "faers" / "aers_ascii_2005q3",
    "2011Q2": FIXTURES / "faers" / "aers_ascii_2011q2",
    "2012Q4": FIXTURES / "faers" / "faers_ascii_2012q4",
    "2018Q1": FIXTURES / "faers" / "faers_ascii_2018q1",
}
MODEL_QUARTERS = list(MODEL_BY_QUARTER.values())


@pytest.fixture(scope="session")
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real public samples not found at {REAL_DATA}")
    return REAL_DATA


@pytest.fixture(scope="session")
def model_db(tmp_path_factory) -> Path:
    """The hand-counted model fixture quarters through the real build (built once per session)."""
    from etl.pipeline import build

    path = tmp_path_factory.mktemp("model") / "kratom.duckdb"
    build(path, MODEL_QUARTERS)
    return path


@pytest.fixture(scope="session")
def openfda_model_db(tmp_path_factory) -> Path:
    """The model fixture quarters with the two recorded openFDA pages through the real build
    (once per session): openFDA adds kratom case 900009 (drug/event, received 2022-02-14, 2022Q1)
    and the CAERS case 2022-CFS-000111 (negative case_id, received 2020-03-05, 2020Q1); hand
    counts in tests/etl/test_openfda_model.py."""
    from etl.pipeline import build
    from tests.etl.test_openfda_model import fixture_frames

    path = tmp_path_factory.mktemp("openfda_model") / "kratom.duckdb"
    build(path, MODEL_QUARTERS, openfda_frames=fixture_frames())
    return path


@pytest.fixture(scope="session")
def duplicates_db(tmp_path_factory) -> Path:
    """2022Q1 of the probable-duplicate fixture alone through the real build (once per session):
    28 cases, 10 flagged; kratom 700007, 700008, 700009, of which 700007 is flagged as a
    probable duplicate of 700008 (tests/fixtures/duplicates/README.md)."""
    from etl.pipeline import build

    path = tmp_path_factory.mktemp("duplicates_q1") / "kratom.duckdb"
    build(path, [FIXTURES / "duplicates" / "faers_ascii_2022q1"])
    return path


@pytest.fixture(scope="session")
def onset_db(tmp_path_factory) -> Path:
    """The time-to-onset fixture quarter through the real build (once per session; hand counts
    in tests/fixtures/onset/README.md)."""
    from etl.pipeline import build

    path = tmp_path_factory.mktemp("onset") / "kratom.duckdb"
    build(path, [FIXTURES / "onset" / "faers_ascii_2022q1"])
    return path


@pytest.fixture
def tampered(model_db: Path, tmp_path: Path):
    """A writable copy of the model fixture build: change it, then run the checks on it."""
    path = tmp_path / "tampered.duckdb"
    shutil.copyfile(model_db, path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


@pytest.fixture(scope="session")
def paged_db(tmp_path_factory) -> Path:
    """tests/paged_quarter.py's 60 kratom cases (two pages of the Cases table) through the real
    build (once per session)."""
    from etl.pipeline import build
    from tests.paged_quarter import write_paged_quarter

    folder = tmp_path_factory.mktemp("paged")
    path = folder / "kratom.duckdb"
    build(path, [write_paged_quarter(folder)])
    return path
