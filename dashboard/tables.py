"""Which model tables a question reads: the kratom slice for kratom cases, else the full ones.

`model.cases` and `model.case_events` hold every kept case (17.5 million cases and 55 million
events over the whole history); the ETL copies their kratom cases' rows into the kratom slice,
`model.kratom_cases` and `model.kratom_case_events` (same columns, sorted by case_id, checked
against the full tables by every build). A question about kratom cases only reads the slice:
a few thousand rows instead of a scan of the full tables. `model.case_substances` and
`model.case_indications` hold kratom cases only already, so both sets name them.

These names are the only table identifiers the filter SQL and the page questions put into SQL
from here (`Filters.to_sql` refuses any other `Tables`).

`duplicate_flags` says whether the cases table has `duplicate_of`, the probable-duplicate flag
`duplicates=hide` reads. A file built before the flags lacks the column; `queries.tables` then
gives the `_UNFLAGGED` variant of the same tables, on which `duplicates=hide` adds no condition
(every case is shown, and the shell and extracts say so).

The ETL also writes small tables of counts for what the dashboard reads once per file (the
trends background, the file's quarters and totals). Each set below is what a question needs to
skip the full tables; a file built before it lacks it, and `queries.has_small_tables` (the one
rule, looked up once per file) then sends the question to the full tables: slower at full size,
same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Tables:
    cases: str
    case_events: str
    case_substances: str
    case_indications: str
    duplicate_flags: bool = True


FULL = Tables(
    cases="model.cases",
    case_events="model.case_events",
    case_substances="model.case_substances",
    case_indications="model.case_indications",
)
KRATOM_SLICE = Tables(
    cases="model.kratom_cases",
    case_events="model.kratom_case_events",
    case_substances="model.case_substances",
    case_indications="model.case_indications",
)
FULL_UNFLAGGED = replace(FULL, duplicate_flags=False)
KRATOM_SLICE_UNFLAGGED = replace(KRATOM_SLICE, duplicate_flags=False)
ALLOWED = (FULL, KRATOM_SLICE, FULL_UNFLAGGED, KRATOM_SLICE_UNFLAGGED)
UNFLAGGED = {FULL: FULL_UNFLAGGED, KRATOM_SLICE: KRATOM_SLICE_UNFLAGGED}
# The probable-duplicate flag (table, column): a file built before the flags lacks it.
DUPLICATE_FLAG = ("model.cases", "duplicate_of")
# The tables only the slice has: a file built before the slice existed lacks them.
SLICE_ONLY = ("model.kratom_cases", "model.kratom_case_events")
# Every case counted per quarter of its received and event date (the trends background).
CASES_PER_QUARTER = ("model.cases_per_quarter",)
# Versions read and cases kept, kratom and synthetic, per source and quarter of their file.
QUARTER_TOTALS = ("model.quarter_totals",)
