"""Fixtures shared by the dashboard tests."""

from __future__ import annotations

import pytest

from dashboard.db import Database


@pytest.fixture(scope="module")
def db(model_db) -> Database:
    """The read-only door over the hand-counted model fixture database."""
    return Database(model_db)
