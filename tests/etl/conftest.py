"""Fixtures shared by the ETL tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(model_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the hand-counted model fixture build (tests/conftest.py)."""
    c = duckdb.connect(str(model_db), read_only=True)
    yield c
    c.close()
