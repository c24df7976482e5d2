"""One function per question: Filters → small polars DataFrame. Bound parameters only.

Every function takes the read-only `Database` and a `Filters`; SQL identifiers come from the
allow-lists below, values only ever travel as parameters. Table names come from `tables(db, f)`:
the kratom slice for kratom cases (`dashboard/tables.py`), the full tables otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.tables import DUPLICATE_FLAG, FULL, KRATOM_SLICE, SLICE_ONLY, UNFLAGGED, Tables

DATE_COLUMNS = {"received": "received_date", "event": "event_date"}


def date_column(f: Filters, alias: str = "c") -> str:
    """The date column the filters count by (received or event date), from an allow-list."""
    return f"{alias}.{DATE_COLUMNS.get(f.date_field, 'received_date')}"


def quarter_expr(f: Filters, alias: str = "c") -> str:
    """SQL for the calendar quarter ('2019Q3') of the chosen date."""
    col = date_column(f, alias)
    return f"(year({col})::VARCHAR || 'Q' || quarter({col})::VARCHAR)"


def tables(db: Database, f: Filters) -> Tables:
    """The model tables to read for `f`: the kratom slice when `f` selects kratom cases and the
    file has it; the full tables for `population=all` and for files built before the slice
    (slower at full size, same answers). Whether the file has it is looked up once per file.
    Either set comes without the probable-duplicate flags when the file predates them."""
    return kratom_tables(db) if f.population == "kratom" else _flagged(db, FULL)


def kratom_filters(f: Filters) -> Filters:
    """The filters as given, restricted to kratom cases: for the pages that show kratom cases
    whatever the population (co-exposures, indications, trends; `dashboard/population.py`).
    The kratom criteria of the link (role, other substances, product) apply again."""
    return f.with_changes(population="kratom")


def kratom_tables(db: Database) -> Tables:
    """The tables of kratom cases: the kratom slice when the file has it, else the full ones."""
    return _flagged(db, KRATOM_SLICE if has_small_tables(db, SLICE_ONLY) else FULL)


def has_duplicate_flags(db: Database) -> bool:
    """Whether the file's model.cases has `duplicate_of` (looked up once per file). A file built
    before the probable-duplicate flags lacks it: `duplicates=hide` then sets nothing aside."""
    return db.has_column(*DUPLICATE_FLAG)


def _flagged(db: Database, t: Tables) -> Tables:
    """`t`, or its variant without the probable-duplicate flags when the file lacks them."""
    return t if has_duplicate_flags(db) else UNFLAGGED[t]


def has_small_tables(db: Database, names: tuple[str, ...]) -> bool:
    """Whether the file has the ETL's small tables `names` (a set from `dashboard.tables`),
    looked up once per file. Without them a question reads the full tables instead: a file
    built before they existed is slower at full size and gives the same answers."""
    return all(db.has_table(name) for name in names)


def where(f: Filters, alias: str = "c", t: Tables = FULL) -> tuple[str, list]:
    """The WHERE fragment and its parameters for `<t.cases> <alias>` (EXISTS over `t`)."""
    sql, params = f.to_sql(alias, t)
    return (sql or "TRUE"), list(params)


# Threads for run_together: DuckDB works outside the GIL, so independent queries of one page
# overlap on the machine's cores. Shared by every request; callers only wait on their own.
_TOGETHER = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kratom-query")


def run_together(*questions: Callable[[], Any]) -> list[Any]:
    """Ask independent questions at once; their answers in the order asked.

    For a page callback with several queries that do not depend on each other (each still
    runs on its own cursor, with its own time cap). An error in one is raised here.
    """
    futures = [_TOGETHER.submit(question) for question in questions]
    return [future.result() for future in futures]
