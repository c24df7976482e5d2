"""queries.run_together: independent questions at once, answers in the order asked."""

from __future__ import annotations

import threading

import duckdb
import pytest

from dashboard.queries import run_together


def test_answers_in_the_order_asked(db):
    # the first waits until the last has run: they really are asked at once
    last_done = threading.Event()

    def first() -> int:
        assert last_done.wait(10)
        return db.scalar("SELECT count(*) FROM model.cases WHERE is_kratom")

    def last() -> list[int]:
        rows = db.query("SELECT case_id FROM model.cases WHERE is_kratom ORDER BY 1")
        last_done.set()
        return rows["case_id"].to_list()

    assert run_together(first, last) == [3, [900001, 900005, 900006]]


def test_an_error_is_raised_to_the_caller(db):
    with pytest.raises(duckdb.Error):
        run_together(lambda: 1, lambda: db.query("SELECT no_such_column FROM model.cases"))
    assert run_together(lambda: db.scalar("SELECT 1")) == [1]
