"""Hostile requests through the real WSGI app (`dashboard.wsgi`) over a copy of the model fixture.

Every page route and every server callback gets every hostile query (tests/hostile_values.py),
every callback gets hostile control values, `/case/<id>` gets ids that are not case numbers, and
hand-made callback bodies are refused. Each answer must be 200/204 (400 for the hand-made
bodies), carry the security headers and no traceback text. The requests run in a process of
their own (tests/dashboard/hostile_server_probe.py says why); the database file must come out
byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dashboard.db import Database
from tests.conftest import REPO
from tests.dashboard.hostile_server_probe import CASE_IDS, GRID_REQUESTS, PATHS
from tests.hostile_values import CONTROL_VALUES, QUERIES


def fingerprint(path: Path) -> tuple[str, dict[str, int]]:
    """The file's sha256 and the row count of every table in it."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema || '.' || table_name FROM information_schema.tables "
            "WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for (t,) in tables}
    finally:
        con.close()
    return digest, counts


@pytest.fixture(scope="module")
def hostile_db(model_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "kratom.duckdb"
    shutil.copyfile(model_db, path)
    return path


@pytest.fixture(scope="module")
def probed(hostile_db) -> dict:
    before = fingerprint(hostile_db)
    env = {k: v for k, v in os.environ.items() if k not in ("KRATOM_HOST", "KRATOM_PORT")}
    env["KRATOM_DB"] = str(hostile_db)
    done = subprocess.run(
        [sys.executable, "-m", "tests.dashboard.hostile_server_probe"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    doc = json.loads(done.stdout)
    doc["before"], doc["after"] = before, fingerprint(hostile_db)
    return doc


def records(doc: dict, group: str, name: str) -> list[dict]:
    found = [r for r in doc["records"] if r["group"] == group and r["name"] == name]
    assert found, f"no {group} request for {name}"
    return found


def problems(found: list[dict]) -> list[str]:
    return [f"{r['target']}: {r['problem']}" for r in found if r["problem"]]


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_page_renders_a_hostile_link(probed, name):
    found = records(probed, "route", name)
    assert problems(found) == []
    targets = {r["target"] for r in found}
    gets = PATHS if name == "sql_in_every_key" else ["/"]
    assert {f"GET {p}" for p in gets} | {f"router {p}" for p in PATHS} | {"describe"} == targets


@pytest.mark.parametrize("name", list(QUERIES))
def test_every_callback_answers_a_hostile_query(probed, name):
    assert problems(records(probed, "callback", name)) == []


def test_every_callback_was_posted(probed):
    outputs = {r["target"] for r in probed["records"] if r["group"] == "callback"}
    assert len(outputs) >= 17  # the shell's 4, the pages' 12 and the download bar's
    assert any("filters-notes" in o for o in outputs) and "cases-grid.getRowsResponse" in outputs


@pytest.mark.parametrize("name", list(CONTROL_VALUES))
def test_every_callback_answers_hostile_control_values(probed, name):
    found = records(probed, "control", name)
    assert problems(found) == []
    assert len(found) >= 17


@pytest.mark.parametrize("name", list(GRID_REQUESTS))
def test_case_table_pages_ignore_hostile_sorting_and_rows(probed, name):
    assert problems(records(probed, "grid", name)) == []


@pytest.mark.parametrize("name", list(CASE_IDS))
def test_case_page_answers_a_hostile_id(probed, name):
    assert problems(records(probed, "case", name)) == []


def test_hand_made_callback_bodies_are_refused(probed):
    found = [r for r in probed["records"] if r["group"] == "malformed"]
    assert len(found) == 16
    assert problems(found) == []
    refused = [r["status"] for r in found if r["status"] >= 400]
    assert sorted(refused) == [400] * 13 + [413]  # the GET and the good body are answered


def test_an_unexpected_error_shows_no_traceback(probed):
    assert problems(records(probed, "error", "boom")) == []


def test_security_defaults(probed):
    assert probed["debug"] is False
    assert probed["run"] == {"host": "127.0.0.1", "port": 8050, "debug": False}


def test_no_hostile_text_reached_the_sql(probed):
    """Every statement the DB door ran during the probe: hostile text only ever as a value."""
    # the probe really reached the database (several hundred statements: pages cache what only
    # changes with the file, so this counts fresh reads, not requests)
    assert probed["sql_count"] > 500
    assert probed["sql_with_hostile_text"] == []


def test_the_database_is_unchanged(probed):
    assert probed["after"] == probed["before"]
    assert probed["before"][1]["model.cases"] == 6


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM model.cases",
        "UPDATE model.cases SET sex = 'X'",
        "DROP TABLE model.cases",
        "CREATE TABLE model.evil (a INT)",
        "COPY model.cases TO '{tmp}/out.csv'",
        "SELECT * FROM read_csv('{tmp}/in.csv')",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "SET enable_external_access = true",
        "INSTALL httpfs",
    ],
)
def test_the_door_refuses_to_write_or_reach_out(hostile_db, tmp_path, sql):
    """Even SQL the dashboard never sends: the connection is read-only and sealed."""
    (tmp_path / "in.csv").write_text("a\n1\n")
    db = Database(hostile_db)
    with pytest.raises(duckdb.Error):
        db.query(sql.format(tmp=tmp_path))
    assert db.scalar("SELECT count(*) FROM model.cases") == 6
    assert not (tmp_path / "out.csv").exists() and not (tmp_path / "other.duckdb").exists()
