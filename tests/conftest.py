"""Shared fixtures: the real-sample folder, a database built from the hand-made model fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
REAL_DATA = REPO.parent / "shared" / "data" / "real"
MODEL_QUARTERS = [
    FIXTURES / "model" / "aers_ascii_2012q2",
    FIXTURES / "model" / "faers_ascii_2013q1",
    FIXTURES / "model" / "faers_ascii_2021q4",
]


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
