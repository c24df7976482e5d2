"""Fixtures shared by the dashboard tests."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard import runtime
from dashboard.db import Database
from tests.dashboard.helpers import isolated_page


@pytest.fixture(scope="module")
def db(model_db) -> Database:
    """The read-only door over the hand-counted model fixture database."""
    return Database(model_db)


@pytest.fixture
def model_page(monkeypatch, model_db):
    """`model_page(name)`: a page module as plain functions (`helpers.isolated_page`), the app
    reading the hand-counted model fixture."""
    monkeypatch.setitem(runtime._state, "db", Database(model_db))
    return lambda name: isolated_page(name, monkeypatch)


# A tiny model: kratom cases 1-4, case 5 is not a kratom case (its substances must not count).
TINY = """
CREATE SCHEMA model;
CREATE TABLE model.cases (case_id INTEGER, received_date DATE, event_date DATE,
    is_kratom BOOLEAN, kratom_role VARCHAR, is_kratom_only BOOLEAN, source VARCHAR);
INSERT INTO model.cases VALUES
 (1, '2020-02-01', '2020-01-05', true, 'PS', false, 'faers-quarterly'),
 (2, '2020-05-01', NULL, true, 'PS', false, 'faers-quarterly'),
 (3, '2021-03-01', '2021-02-01', true, 'C', false, 'faers-quarterly'),
 (4, '2021-08-01', '2021-07-01', true, 'PS', true, 'faers-quarterly'),
 (5, '2021-08-01', '2021-07-01', false, NULL, NULL, 'faers-quarterly');
CREATE TABLE model.case_substances (case_id INTEGER, substance_name VARCHAR,
    substance_class VARCHAR, is_kratom BOOLEAN);
INSERT INTO model.case_substances VALUES
 (1, 'kratom', 'kratom', true), (1, 'fentanyl', 'opioids', false),
 (1, 'alcohol', 'alcohol', false), (1, 'heroin', 'opioids', false),
 (2, 'kratom', 'kratom', true), (2, 'fentanyl', 'opioids', false),
 (2, 'alcohol', 'alcohol', false), (2, 'fentanyl', 'opioids', false),
 (3, 'kratom', 'kratom', true), (3, 'gabapentin', 'gabapentinoids', false),
 (4, 'kratom', 'kratom', true),
 (5, 'fentanyl', 'opioids', false), (5, 'alcohol', 'alcohol', false);
CREATE TABLE model.case_events (case_id INTEGER, pt VARCHAR, event_group VARCHAR);
INSERT INTO model.case_events VALUES
 (1, 'Death', 'death'), (2, 'Overdose', 'overdose_toxicity'),
 (2, 'Toxicity to various agents', 'overdose_toxicity'), (4, 'Seizure', 'seizure'),
 (5, 'Death', 'death');
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Database:
    """The tiny co-exposure model above, as a read-only door."""
    path: Path = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute(TINY)
    con.close()
    return Database(path)
