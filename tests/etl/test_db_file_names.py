"""A database file may be called anything, even after one of its own schemas.

DuckDB names a file's catalog after its stem: opened plainly, `model.duckdb` makes `model.cases`
mean catalog `model` (and DuckDB refuses the ambiguous name). The ETL attaches every file under
one fixed name (etl/db.py), the dashboard under `kdb` (dashboard/db.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.db import Database
from etl import cli
from tests.conftest import MODEL_BY_QUARTER, MODEL_QUARTERS


def run_cli(capsys, *argv: str) -> str:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert code == cli.EXIT_OK, err
    return out


def test_model_duckdb_builds_adds_reports_exports_and_serves(tmp_path: Path, capsys) -> None:
    path = tmp_path / "model.duckdb"
    db = str(path)
    faers = [str(p) for p in MODEL_QUARTERS]
    out = run_cli(capsys, "build", "--db", db, "--faers", *faers[:2])
    assert out.startswith(f"built {path}: 2 quarter(s), 30 rows loaded, 0 rejected, 2 kratom")
    out = run_cli(capsys, "build", "--add", "--db", db, "--faers", *faers)
    assert out.startswith(f"built {path}: 3 quarter(s), 50 rows loaded, 0 rejected, 3 kratom")
    assert "added 1 quarter(s) to the live database (2021Q4;" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.duckdb"]  # no WAL, no spill

    doc = json.loads(run_cli(capsys, "status", "--db", db, "--json"))
    assert doc["quarters"] == ["2012Q2", "2013Q1", "2021Q4"]
    assert doc["funnel"] == {"report_versions": 10, "latest_versions": 7, "after_deleted": 6}
    assert doc["kratom_cases"] == 3  # 900001, 900005, 900006 (tests/fixtures/model/README.md)

    extract = tmp_path / "x.csv.zip"  # the dashboard's extract, through its own door
    out = run_cli(capsys, "export", "--query", "role=primary", "-o", str(extract), "--db", db)
    assert out.startswith(f"wrote {extract}: 2 cases, 4 substances, 4 events")

    door = Database(path)
    assert door.has_table("model.cases")
    assert door.scalar("SELECT count(*) FROM model.cases WHERE is_kratom") == 3
    assert door.scalar("SELECT count(*) FROM model.cases") == 6  # 3 kratom + 3 background


@pytest.mark.parametrize("stem", ["raw", "ref", "staging", "meta", "build"])
def test_files_named_after_the_other_schemas_build_and_report(
    tmp_path: Path, capsys, stem: str
) -> None:
    path = tmp_path / f"{stem}.duckdb"
    out = run_cli(capsys, "build", "--db", str(path), "--faers", str(MODEL_BY_QUARTER["2012Q2"]))
    assert out.startswith(f"built {path}: 1 quarter(s), 16 rows loaded, 0 rejected, 2 kratom")
    doc = json.loads(run_cli(capsys, "status", "--db", str(path), "--json"))
    assert doc["quarters"] == ["2012Q2"]
    assert doc["funnel"] == {"report_versions": 3, "latest_versions": 3, "after_deleted": 3}
    assert Database(path).scalar("SELECT count(*) FROM raw.demo") == 3
