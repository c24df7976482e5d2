"""Time to onset (Indications page): how long after starting kratom the event happened.

For each filtered kratom case: the earliest start date of a kratom drug's therapy
(`model.case_therapies` rows whose drug row is kratom in `model.case_substances`, joined by
case_id and drug_seq) that is given to the day and falls on or before the case's event date,
itself given to the day; the days between them, in bins. Every other filtered kratom case is
counted under the first reason that applies, so the bins and the reasons add up to the filtered
kratom cases. FAERS pads partial dates to the 1st since 2021Q3; the `*_precision` columns say
which dates are real days (etl/sql/staging/00_macros.sql). A `population=all` link still shows
kratom cases here: therapy dates are only kept for kratom cases.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import kratom_filters, tables, where

# The bins of days from the kratom start to the event, in order.
ONSET_BINS = ("same_day", "1_7_days", "8_30_days", "31_90_days", "91_365_days", "over_1_year")
# Why a case has no usable pair of dates, in the order the reasons are tried.
NOT_COUNTED = ("no_start_date", "no_event_date", "not_to_the_day", "start_after_event")
# The file's therapy dates say how much of them is known (a file built before lacks it).
PRECISION_COLUMN = ("model.case_therapies", "start_date_precision")
SCHEMA = {"category": pl.String, "counted": pl.Boolean, "n_cases": pl.Int64}


def has_onset_dates(db: Database) -> bool:
    """Whether the file keeps the therapy dates' precision (looked up once per file)."""
    return db.has_column(*PRECISION_COLUMN)


def time_to_onset(db: Database, f: Filters) -> pl.DataFrame:
    """Filtered kratom cases per onset bin and per reason for not being counted.

    Columns `category` (ONSET_BINS, then NOT_COUNTED), `counted` (whether the category is a
    bin) and `n_cases`: all ten rows, zeros included, in that order, adding up to the filtered
    kratom cases. No rows at all when the file predates the dates' precision.
    """
    if not has_onset_dates(db):
        return pl.DataFrame(schema=SCHEMA)
    k = kratom_filters(f)
    t = tables(db, k)
    w, params = where(k, "c", t)
    found = db.query(
        f"WITH k AS (SELECT c.case_id, c.event_date, c.event_date_precision FROM {t.cases} c "
        f"WHERE {w}), "
        "starts AS (SELECT th.case_id, th.start_date, th.start_date_precision "
        "FROM model.case_therapies th JOIN k USING (case_id) "
        "WHERE th.start_date IS NOT NULL AND EXISTS (SELECT 1 FROM "
        f"{t.case_substances} s WHERE s.case_id = th.case_id AND s.drug_seq = th.drug_seq "
        "AND s.is_kratom)), "
        "per_case AS (SELECT k.case_id, any_value(k.event_date) AS event_date, "
        "any_value(k.event_date_precision) AS event_precision, "
        "count(st.start_date) AS n_starts, "
        "count(st.start_date) FILTER (WHERE st.start_date_precision = 'day') AS n_day_starts, "
        "min(st.start_date) FILTER (WHERE st.start_date_precision = 'day' "
        "AND st.start_date <= k.event_date) AS first_start "
        "FROM k LEFT JOIN starts st USING (case_id) GROUP BY k.case_id), "
        "classed AS (SELECT CASE "
        "WHEN n_starts = 0 THEN 'no_start_date' "
        "WHEN event_date IS NULL THEN 'no_event_date' "
        "WHEN event_precision IS DISTINCT FROM 'day' OR n_day_starts = 0 THEN 'not_to_the_day' "
        "WHEN first_start IS NULL THEN 'start_after_event' END AS reason, "
        "date_diff('day', first_start, event_date) AS days FROM per_case) "
        "SELECT coalesce(reason, CASE "
        "WHEN days = 0 THEN 'same_day' "
        "WHEN days <= 7 THEN '1_7_days' "
        "WHEN days <= 30 THEN '8_30_days' "
        "WHEN days <= 90 THEN '31_90_days' "
        "WHEN days <= 365 THEN '91_365_days' "
        "ELSE 'over_1_year' END) AS category, count(*) AS n_cases FROM classed GROUP BY 1",
        params,
    )
    counts = dict(found.iter_rows())
    categories = [*ONSET_BINS, *NOT_COUNTED]
    return pl.DataFrame(
        {
            "category": categories,
            "counted": [c in ONSET_BINS for c in categories],
            "n_cases": [int(counts.get(c, 0)) for c in categories],
        },
        schema=SCHEMA,
    )
