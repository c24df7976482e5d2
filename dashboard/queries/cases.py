"""Questions behind the case table and the single-case view.

The table is paged on the server: one page of at most PAGE_SIZE cases per request, sorted by a
column from SORT_COLUMNS (an allow-list), with LIMIT and OFFSET bound as parameters. The
co-reported substances and the events are aggregated for the cases of that page only.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from dashboard.db import Database
from dashboard.filter_codes import CASE_SORT_COLUMNS
from dashboard.filters import Filters
from dashboard.queries import kratom_tables, tables, where
from dashboard.tables import FULL

PAGE_SIZE = 50
MAX_CASE_ID = 2**63 - 1  # model.cases.case_id is a BIGINT
MIN_CASE_ID = -(2**63)
# openFDA cases without an all-digit id (every CAERS case) have negative ids
# (docs/architecture.md, "Ids"): a leading minus is part of a case number.
_CASE_ID = re.compile(r"-?[0-9]{1,20}")

# grid column id -> column of model.cases it sorts by (the same names; the allow-list is the
# link's too: `sort=<column>:<asc|desc>`, dashboard/filter_codes.py)
SORT_COLUMNS = {column: column for column in CASE_SORT_COLUMNS}
DEFAULT_SORT = ("received_date", True)  # newest first
ROLE_WORDS = {
    "PS": "Primary suspect",
    "SS": "Secondary suspect",
    "I": "Interacting",
    "C": "Concomitant",
}
OUTCOME_COLUMNS = {
    "has_death": "Death",
    "has_life_threatening": "Life-threatening",
    "has_hospitalisation": "Hospitalisation (initial or prolonged)",
    "has_disability": "Disability",
    "has_congenital_anomaly": "Congenital anomaly",
    "has_required_intervention": "Required intervention",
    "has_other_serious": "Other serious (important medical event)",
}


def parse_case_id(text: Any) -> int | None:
    """The case id as an int when `text` is 1–20 digits, after an optional minus, and fits a
    BIGINT, else None."""
    if not isinstance(text, str) or not _CASE_ID.fullmatch(text):
        return None
    value = int(text)
    return value if MIN_CASE_ID <= value <= MAX_CASE_ID else None


def sort_order(column: str | None, descending: bool) -> str:
    """ORDER BY text for a grid column id: the allow-listed column, then case_id to break ties."""
    if column not in SORT_COLUMNS:
        column, descending = DEFAULT_SORT
    direction = "DESC" if descending else "ASC"
    return f"{SORT_COLUMNS[column]} {direction} NULLS LAST, case_id {direction}"


def count_cases(db: Database, f: Filters) -> int:
    """How many cases match the filters."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    return int(db.scalar(f"SELECT count(*) FROM {t.cases} c WHERE {w}", params) or 0)


def case_matches(db: Database, f: Filters, case_id: int) -> bool:
    """Whether the case is among those the filters select (the case table's rule)."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    sql = f"SELECT count(*) FROM {t.cases} c WHERE c.case_id = ? AND {w}"
    return bool(db.scalar(sql, [case_id, *params]))


def case_page(
    db: Database,
    f: Filters,
    *,
    sort_column: str | None = None,
    descending: bool = True,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> pl.DataFrame:
    """One page of matching cases with their co-reported substances and events ('; '-joined)."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    order = sort_order(sort_column, descending)
    limit = max(0, min(int(limit), PAGE_SIZE))
    offset = max(0, int(offset))
    sql = f"""
        WITH page AS (
            SELECT c.case_id, c.received_date, c.quarter, c.age_years, c.sex, c.country_code,
                   c.reporter_type, c.kratom_role, c.kratom_product_type, c.is_kratom_only,
                   c.is_serious, c.has_death
            FROM {t.cases} c WHERE {w}
            ORDER BY {order} LIMIT ? OFFSET ?
        ),
        subs AS (
            SELECT case_id,
                   string_agg(DISTINCT substance_name, '; ' ORDER BY substance_name)
                       AS co_substances
            FROM {t.case_substances}
            WHERE NOT is_kratom AND case_id IN (SELECT case_id FROM page)
            GROUP BY case_id
        ),
        evts AS (
            SELECT case_id, string_agg(DISTINCT pt, '; ' ORDER BY pt) AS events
            FROM {t.case_events}
            WHERE case_id IN (SELECT case_id FROM page)
            GROUP BY case_id
        )
        SELECT page.*, subs.co_substances, evts.events
        FROM page LEFT JOIN subs USING (case_id) LEFT JOIN evts USING (case_id)
        ORDER BY {order}
    """
    return db.query(sql, [*params, limit, offset])


# --- the single-case view: every function takes a case id already checked by parse_case_id ---


def case_record(db: Database, case_id: int) -> dict[str, Any] | None:
    """The model.cases row of a case, or None when the case is not in the deduplicated set.

    A kratom case is found in the kratom slice (a few thousand rows) when the file has it; any
    other case in model.cases (a scan of its case_id column: tens of ms at full size).
    """
    kratom = kratom_tables(db).cases
    for table in dict.fromkeys((kratom, FULL.cases)):
        rows = db.query(f"SELECT * FROM {table} WHERE case_id = ?", [case_id])
        if rows.height:
            return rows.row(0, named=True)
    return None


def case_substances(db: Database, case_id: int) -> pl.DataFrame:
    """Every drug row of the case's kept report (stored for kratom cases only)."""
    return db.query(
        "SELECT drug_seq, drugname, prod_ai, substance_name, substance_class, role_code, route, "
        "dose_text, dose_form, is_kratom, kratom_spelling, kratom_product_type "
        "FROM model.case_substances WHERE case_id = ? ORDER BY drug_seq, drugname",
        [case_id],
    )


def case_events(db: Database, case_id: int, *, kratom: bool = False) -> pl.DataFrame:
    """The case's preferred terms and their event groups (from the kratom slice when the case is
    a kratom case and the file has the slice)."""
    table = kratom_tables(db).case_events if kratom else FULL.case_events
    return db.query(f"SELECT pt, event_group FROM {table} WHERE case_id = ? ORDER BY pt", [case_id])


def case_indications(db: Database, case_id: int) -> pl.DataFrame:
    """Why each drug was taken, as reported."""
    return db.query(
        "SELECT drug_seq, indication_pt, indication_group, is_kratom_drug "
        "FROM model.case_indications WHERE case_id = ? ORDER BY drug_seq, indication_pt",
        [case_id],
    )


def case_therapies(db: Database, case_id: int) -> pl.DataFrame:
    """Therapy start and end dates and durations, where reported."""
    return db.query(
        "SELECT drug_seq, start_date, end_date, dur, dur_cod "
        "FROM model.case_therapies WHERE case_id = ? ORDER BY drug_seq, start_date NULLS LAST",
        [case_id],
    )


def case_versions(db: Database, case_id: int) -> pl.DataFrame:
    """Every report version read for the case, best first, with whether and why it was kept.

    The case's versions are read once (one scan of model.case_versions.case_id), then joined
    with their own best version."""
    return db.query(
        """
        WITH v AS (SELECT * FROM model.case_versions WHERE case_id = ?)
        SELECT v.primary_id, v.quarter, v.era, v.caseversion, v.fda_date, v.is_deleted,
               v.version_rank = 1 AND NOT v.is_deleted AS is_kept,
               CASE
                   WHEN v.is_deleted THEN 'removed: the case is on an FDA deleted-case list'
                   WHEN v.version_rank = 1 THEN 'kept: the latest version of the case'
                   WHEN v.primary_id = best.primary_id
                       THEN 'superseded: the same version re-published in ' || best.quarter
                   ELSE 'superseded by ' || best.primary_id::VARCHAR || ' (' || best.quarter || ')'
               END AS status
        FROM v JOIN v AS best ON best.version_rank = 1
        ORDER BY v.version_rank
        """,
        [case_id],
    )


def case_duplicates(db: Database, case_id: int) -> pl.DataFrame:
    """The probable-duplicate links of the case (model.probable_duplicates): the case it is set
    aside for, or the cases set aside for it; `case_id`, `shown_case_id`, `matched_on`. Empty
    for a database built before the table existed."""
    if not db.has_table("model.probable_duplicates"):
        return pl.DataFrame(
            schema={"case_id": pl.Int64, "shown_case_id": pl.Int64, "matched_on": pl.String}
        )
    return db.query(
        "SELECT case_id, shown_case_id, matched_on FROM model.probable_duplicates "
        "WHERE case_id = ? OR shown_case_id = ? ORDER BY case_id",
        [case_id, case_id],
    )
