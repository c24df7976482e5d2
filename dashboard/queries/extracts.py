"""The rows of an extract: the cases matching the filters, and their substances and events.

Every column of the model tables is included (the model's names are the contract: columns are
added, never renamed). Values travel only as bound parameters, from `Filters.to_sql`. A file
built before the probable-duplicate flags has no `duplicate_of`: its cases table gets the column
empty, so every extract has the same columns.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import tables, where

# table name in the extract -> (attribute of dashboard.tables.Tables, ORDER BY); identifiers
# only from this allow-list (the model table itself: the kratom slice for kratom cases)
TABLES = {
    "cases": ("cases", "case_id"),
    "substances": ("case_substances", "case_id, drug_seq, drugname, substance_name"),
    "events": ("case_events", "case_id, pt"),
}


def extract_table(db: Database, f: Filters, table: str) -> pl.DataFrame:
    """All rows of one extract table for the cases matching `f`, in a stable order."""
    name, order = TABLES[table]
    t = tables(db, f)
    source = getattr(t, name)
    w, params = where(f, "c", t)
    if table == "cases":
        flag = "" if t.duplicate_flags else ", NULL::BIGINT AS duplicate_of"
        sql = f"SELECT c.*{flag} FROM {source} c WHERE {w} ORDER BY c.{order}"
    else:
        sql = (
            f"SELECT t.* FROM {source} t "
            f"WHERE t.case_id IN (SELECT c.case_id FROM {t.cases} c WHERE {w}) "
            f"ORDER BY {', '.join('t.' + col.strip() for col in order.split(','))}"
        )
    return db.query(sql, params)


def extract_tables(db: Database, f: Filters) -> dict[str, pl.DataFrame]:
    """The three extract tables, in TABLES order."""
    return {table: extract_table(db, f, table) for table in TABLES}
