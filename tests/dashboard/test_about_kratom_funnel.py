"""The About page's kratom funnel (dashboard/kratom_funnel.py, queries.about.kratom_funnel).

Hand counts in tests/etl/test_kratom_funnel.py (the model fixture, and the same with a 2022Q1
follow-up of case 900006 that no longer names kratom).
"""

from __future__ import annotations

import duckdb

from dashboard import kratom_funnel
from dashboard.db import Database
from dashboard.queries import about as q
from etl.pipeline import build
from tests.conftest import MODEL_QUARTERS
from tests.dashboard.helpers import text_of
from tests.etl.test_kratom_funnel import follow_up_quarter


def test_kratom_funnel_per_year(db):
    """Hand counts in tests/etl/test_kratom_funnel.py: versions naming kratom 9000011 and
    9000031 (2012Q2; superseded, deleted), 9000012 (2013Q1), 9000051 and 9000061 (2021Q4)."""
    df = q.kratom_funnel(db)
    assert df.rows() == [
        ("2012", 2, 1, 0, 0, 0),
        ("2013", 1, 1, 1, 1, 0),
        ("2021", 2, 2, 2, 2, 0),
        ("total", 5, 4, 3, 3, 0),
    ]
    block = kratom_funnel.kratom_funnel_block(df)
    assert kratom_funnel.KRATOM_FUNNEL in text_of(block)
    assert kratom_funnel.totals_line(df.row(-1, named=True)) == (
        "All years: 5 report versions naming kratom → 4 latest versions → 3 after the deleted "
        "lists = 3 kratom cases. Cases that named kratom only in an earlier version: 0."
    )
    table = next(c for c in block.children if getattr(c, "id", None) == "about-kratom-funnel-table")
    assert [text_of(tr) for tr in table.children[1].children] == [
        "2012 2 1 0 0 0",
        "2013 1 1 1 1 0",
        "2021 2 2 2 2 0",
        "All years 5 4 3 3 0",
    ]


def test_kratom_funnel_of_a_database_without_the_table(tmp_path):
    """A database built before model.kratom_funnel: a sentence, no table, nothing fails."""
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA model; CREATE TABLE model.funnel AS SELECT 'total' AS era")
    con.close()
    old = Database(path)
    assert q.kratom_funnel(old) is None
    block = kratom_funnel.kratom_funnel_block(None)
    assert kratom_funnel.NOT_BUILT in text_of(block)
    assert "All years" not in text_of(block)


def test_kratom_funnel_with_a_follow_up_that_drops_kratom(tmp_path):
    """The model quarters plus 2022Q1's version 2 of case 900006 without kratom (hand counts in
    tests/etl/test_kratom_funnel.py): 9000061 no longer latest; 900006 dropped in 2022."""
    path = tmp_path / "kratom.duckdb"
    build(path, [*MODEL_QUARTERS, follow_up_quarter(tmp_path)])
    df = q.kratom_funnel(Database(path))
    block = kratom_funnel.kratom_funnel_block(df)
    table = next(c for c in block.children if getattr(c, "id", None) == "about-kratom-funnel-table")
    assert [text_of(tr) for tr in table.children[1].children] == [
        "2012 2 1 0 0 0",
        "2013 1 1 1 1 0",
        "2021 2 1 1 1 0",
        "2022 0 0 0 0 1",
        "All years 5 3 2 2 1",
    ]
    assert "All years: 5 report versions naming kratom → 3 latest versions → 2 after the " in (
        text_of(block)
    )
    assert "= 2 kratom cases. Cases that named kratom only in an earlier version: 1." in (
        text_of(block)
    )
