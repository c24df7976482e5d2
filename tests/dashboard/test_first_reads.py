"""What the page frame, the overview and About say about the whole file, read from the ETL's
`model.quarter_totals` (dashboard/queries/quarter_totals.py), gives the same answers as the
full-table SQL the dashboard ran before (written out below as the oracle), on real builds:

- the model fixture (tests/fixtures/model/README.md): cases of 2012Q2-2021Q4, 6 kept, 3 kratom,
  10 versions from 3 quarterly files, nothing synthetic;
- the same with the openFDA fixture pages (tests/etl/test_openfda_model.py): a CAERS case of
  2020Q1 and a drug/event case of 2022Q1, after the last quarterly file;
- two synthetic demo quarters (2004Q1-2004Q2, every case synthetic);
- the model fixture with one background case marked synthetic and the totals written again by
  the ETL's own SQL: one synthetic case outside the kratom slice makes the file synthetic.

A file without the table (built before it) reads the full tables, with the same answers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard import runtime
from dashboard.db import Database
from dashboard.queries import about, has_small_tables, overview, quarter_totals
from dashboard.tables import QUARTER_TOTALS
from tests.conftest import MODEL_QUARTERS

BUILDS = ("model", "openfda", "demo", "one_synthetic_case")


QUARTERLY = "source = 'faers-quarterly'"


def old_answers(db: Database) -> dict:
    """What the dashboard's full-table SQL said before model.quarter_totals (the quarters of
    quarterly files only: openFDA's cases used to stretch the files' range, fixed with it)."""
    about_row = db.query(
        f"SELECT min(quarter) FILTER (WHERE {QUARTERLY}) AS first_quarter, "
        f"max(quarter) FILTER (WHERE {QUARTERLY}) AS last_quarter, "
        "count(*) AS n_cases, count(*) FILTER (WHERE is_kratom) AS n_kratom_cases, "
        "coalesce(bool_or(is_synthetic), false) AS is_synthetic FROM model.cases"
    ).row(0, named=True)
    about_row["n_quarters"] = int(
        db.scalar("SELECT count(DISTINCT quarter) FROM model.case_versions") or 0
    )
    return {
        "is_synthetic": bool(db.scalar("SELECT bool_or(is_synthetic) FROM model.cases")),
        "quarter_range": db.query(
            f"SELECT min(quarter) AS a, max(quarter) AS b FROM model.cases WHERE {QUARTERLY}"
        ).row(0),
        "latest_quarter": db.scalar(f"SELECT max(quarter) FROM model.cases WHERE {QUARTERLY}"),
        "openfda_last": db.scalar(f"SELECT max(quarter) FROM model.cases WHERE NOT {QUARTERLY}"),
        "about": about_row,
    }


def new_answers(db: Database) -> dict:
    about_row = about.vintage(db)
    about_row.pop("built_at")
    return {
        "is_synthetic": runtime.is_synthetic(db),
        "quarter_range": quarter_totals.quarter_range(db),
        "latest_quarter": overview.latest_quarter(db),
        "openfda_last": quarter_totals.openfda_last_quarter(db),
        "about": about_row,
    }


def copy_with(source: Path, path: Path, *statements: str) -> Path:
    shutil.copyfile(source, path)
    with duckdb.connect(str(path)) as con:
        for sql in statements:
            con.execute(sql)
    return path


@pytest.fixture(scope="module")
def built(model_db: Path, tmp_path_factory) -> dict[str, Path]:
    """The four files, built through the real pipeline (the last one changed, then its totals
    written again by the ETL's SQL)."""
    from etl.db import run_sql_file
    from etl.demo import write_demo_quarters
    from etl.pipeline import build
    from tests.etl.test_openfda_model import fixture_frames

    folder = tmp_path_factory.mktemp("quarter_totals")
    openfda = build(folder / "openfda.duckdb", MODEL_QUARTERS, openfda_frames=fixture_frames())
    demo_zips = write_demo_quarters(folder / "demo", first="2004Q1", last="2004Q2")
    demo = build(folder / "demo.duckdb", demo_zips)
    one = copy_with(
        model_db,
        folder / "one.duckdb",
        "UPDATE model.cases SET is_synthetic = true WHERE case_id = 900002",
    )
    with duckdb.connect(str(one)) as con:
        run_sql_file(con, "model/quarter_totals.sql")
    return {
        "model": model_db,
        "openfda": openfda.db_path,
        "demo": demo.db_path,
        "one_synthetic_case": one,
    }


@pytest.mark.parametrize("name", BUILDS)
def test_the_small_table_answers_as_the_full_tables_did(built, name):
    db = Database(built[name])
    assert has_small_tables(db, QUARTER_TOTALS)
    assert new_answers(db) == old_answers(db)


def test_the_answers_of_each_build(built):
    answers = {name: new_answers(Database(built[name])) for name in BUILDS}
    assert {n: a["quarter_range"] for n, a in answers.items()} == {
        "model": ("2012Q2", "2021Q4"),
        "openfda": ("2012Q2", "2021Q4"),  # the quarterly files only, not openFDA's 2022Q1
        "demo": ("2004Q1", "2004Q2"),
        "one_synthetic_case": ("2012Q2", "2021Q4"),
    }
    assert {n: a["is_synthetic"] for n, a in answers.items()} == {
        "model": False,
        "openfda": False,
        "demo": True,
        "one_synthetic_case": True,  # 900002 alone, a background case
    }
    assert {n: a["openfda_last"] for n, a in answers.items()} == {
        "model": None,
        "openfda": "2022Q1",  # the drug/event case received after the last quarterly file
        "demo": None,
        "one_synthetic_case": None,
    }
    assert answers["openfda"]["about"] | {"is_synthetic": None} == {
        "first_quarter": "2012Q2",
        "last_quarter": "2021Q4",
        "n_quarters": 3,  # openFDA reports are not quarterly files
        "n_cases": 8,  # the model fixture's 6, a CAERS case and a drug/event case
        "n_kratom_cases": 5,
        "is_synthetic": None,
    }


def test_the_answers_come_from_the_small_table(model_db, tmp_path):
    db = Database(
        copy_with(
            model_db,
            tmp_path / "changed.duckdb",
            "UPDATE model.quarter_totals SET n_synthetic_cases = 1, n_cases = 11 "
            "WHERE quarter = '2012Q2'",
            "INSERT INTO model.quarter_totals VALUES ('faers-quarterly', '2030Q1', 2, 0, 0, 0)",
        )
    )
    assert runtime.is_synthetic(db) is True  # model.cases has no synthetic case
    assert overview.latest_quarter(db) == "2021Q4"  # 2030Q1 has versions but no case kept
    vintage = about.vintage(db)
    assert (vintage["n_cases"], vintage["n_quarters"]) == (16, 4)
    assert "2012Q2–2021Q4" in runtime.vintage_text(db)


def test_the_footer_names_the_files_range_and_openfdas_last_quarter_apart(built):
    footer = runtime.vintage_text(Database(built["openfda"]))
    assert footer.startswith(
        "Data: FAERS quarterly files 2012Q2–2021Q4; openFDA reports received to 2022Q1, "
        "database built "
    )
    assert runtime.vintage_text(Database(built["model"])).startswith(
        "Data: FAERS quarterly files 2012Q2–2021Q4, database built "
    )


@pytest.mark.parametrize("name", BUILDS)
def test_a_file_built_before_the_table_reads_the_full_tables(built, name, tmp_path):
    with_table = Database(built[name])
    path = copy_with(built[name], tmp_path / "old.duckdb", "DROP TABLE model.quarter_totals")
    db = Database(path)
    assert not has_small_tables(db, QUARTER_TOTALS)
    assert new_answers(db) == old_answers(db) == new_answers(with_table)
    assert runtime.vintage_text(db) == runtime.vintage_text(with_table)
