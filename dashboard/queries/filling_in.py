"""How many quarters after its event a kratom case reaches FDA: the lag distribution behind the
"still filling in" bands of the charts counted by event date (`figures/filling_in.py`).

Read once per file (`Database.cached`) over every kratom case, whatever the filters: the
selected cases would make the band jump with each filter (a handful of cases cannot say how
late reports come), and the lag is a property of reporting, not of the selection.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.queries import kratom_tables

# Quarters from the event's calendar quarter to the receipt's (0: received in the same quarter).
# Only event dates to the day (a month- or year-precise date's day is a placeholder), and not
# the cases received before their event (a date error says nothing about the lag).
LAG_QUARTERS = (
    "SELECT lag_quarters, count(*)::BIGINT AS n_cases FROM ("
    "SELECT (year(c.received_date) * 4 + quarter(c.received_date)) "
    "- (year(c.event_date) * 4 + quarter(c.event_date)) AS lag_quarters "
    "FROM {cases} c WHERE c.is_kratom AND c.event_date_precision = 'day' "
    "AND c.received_date >= c.event_date) GROUP BY 1 ORDER BY 1"
)


def lag_quarters(db: Database) -> pl.DataFrame:
    """Kratom cases with a day-precise event date per quarters from event to receipt.

    Columns `lag_quarters` (0, 1, ...), `n_cases`; only lags that occur."""
    return db.cached("lag_quarters", lambda: _lag_quarters(db))


def _lag_quarters(db: Database) -> pl.DataFrame:
    cases = kratom_tables(db).cases  # an allow-listed table name
    return db.query(LAG_QUARTERS.format(cases=cases))
