"""Questions behind the About page: data vintage, the deduplication funnel, the kratom terms.

Everything here depends only on the database file: each answer is read once per file
(`Database.cached`) and read again after a swap.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard.db import Database
from dashboard.queries import kratom_tables, quarter_totals

ERA_ORDER = ("aers", "faers", "total")


def vintage(db: Database) -> dict[str, Any]:
    """When the database was built, which quarters it holds, and whether FAERS data is synthetic.

    A fresh dict each call, so callers may change theirs.
    """
    return dict(db.cached("about_vintage", lambda: _vintage(db)))


def _vintage(db: Database) -> dict[str, Any]:
    """From the ETL's small totals (`queries.quarter_totals`), shared with the page frame."""
    first, last = quarter_totals.quarter_range(db)
    row = {"first_quarter": first, "last_quarter": last, **quarter_totals.case_counts(db)}
    row["is_synthetic"] = quarter_totals.is_synthetic(db)
    row["built_at"] = (
        db.scalar("SELECT max(built_at) FROM meta.build") if db.has_table("meta.build") else None
    )
    return row


def funnel(db: Database) -> pl.DataFrame:
    """Report versions read → latest version per case → after the deleted lists, per era + total."""
    rank = {era: i for i, era in enumerate(ERA_ORDER)}
    df = db.cached(
        "about_funnel",
        lambda: db.query(
            "SELECT era, report_versions, latest_versions, after_deleted FROM model.funnel"
        ),
    )
    return df.sort(pl.col("era").replace_strict(rank, default=len(rank), return_dtype=pl.Int64))


OPENFDA_SOURCES = ("openfda-faers", "openfda-caers")
OPENFDA_STEPS = (
    "n_fetched",
    "n_not_kratom",
    "n_in_quarterly_files",
    "n_no_received_date",
    "n_received_before_cutoff",
    "n_added",
)


def openfda_funnel(db: Database) -> pl.DataFrame:
    """What became of the openFDA reports fetched, per source (model.openfda_funnel): each
    report counted once, at the first step that leaves it out; drug/event first, then CAERS.

    Empty (same columns) for a database built before openFDA reports were modelled.
    """
    return db.cached("about_openfda_funnel", lambda: _openfda_funnel(db))


def _openfda_funnel(db: Database) -> pl.DataFrame:
    if not db.has_table("model.openfda_funnel"):
        schema = {"source": pl.String} | dict.fromkeys(OPENFDA_STEPS, pl.Int64)
        return pl.DataFrame(schema=schema | {"received_from": pl.Date})
    rank = {source: i for i, source in enumerate(OPENFDA_SOURCES)}
    df = db.query(
        f"SELECT source, {', '.join(OPENFDA_STEPS)}, received_from FROM model.openfda_funnel"
    )
    return df.sort(pl.col("source").replace_strict(rank, default=len(rank), return_dtype=pl.Int64))


def kratom_terms(db: Database) -> pl.DataFrame:
    """The reviewed patterns that make a drug name kratom, by priority."""
    return db.cached(
        "about_kratom_terms",
        lambda: db.query(
            "SELECT pattern_id, pattern, product_type, priority, source FROM model.kratom_terms "
            "ORDER BY priority, pattern_id"
        ),
    )


def kratom_spellings(db: Database) -> pl.DataFrame:
    """Every spelling that matched a kratom pattern, most kept cases first."""
    return db.cached(
        "about_kratom_spellings",
        lambda: db.query(
            "SELECT s.spelling, s.pattern_id, t.pattern, s.product_type, s.n_cases, "
            "s.n_report_rows FROM model.kratom_spellings s "
            "LEFT JOIN model.kratom_terms t USING (pattern_id) "
            "ORDER BY s.n_cases DESC, s.n_report_rows DESC, s.spelling"
        ),
    )


def input_issues(db: Database) -> pl.DataFrame | None:
    """What the build recorded in staging.input_issues (values nulled, rows left out, drug links
    missing; docs/bad-input.md), counted per quarter, source file, table, issue and action.

    None for a database built before the record existed (it has no such table).
    """
    return db.cached("about_input_issues", lambda: _input_issues(db))


def _input_issues(db: Database) -> pl.DataFrame | None:
    if not db.has_table("staging.input_issues"):
        return None
    return db.query(
        "SELECT quarter, source_file, table_name, issue, action, count(*) AS n_issues "
        "FROM staging.input_issues GROUP BY ALL ORDER BY quarter, source_file, issue, action"
    )


KRATOM_FUNNEL_COLUMNS = (
    "report_versions",
    "latest_versions",
    "after_deleted",
    "kratom_cases",
    "kratom_dropped_in_followup",
)


def kratom_funnel(db: Database) -> pl.DataFrame | None:
    """Report versions naming kratom → latest version → after the deleted lists, with the kept
    kratom cases and the cases whose kept follow-up no longer names kratom, per year of the
    quarterly file and a last 'total' row (model.kratom_funnel).

    None for a database built before the table existed.
    """
    return db.cached("about_kratom_funnel", lambda: _kratom_funnel(db))


def _kratom_funnel(db: Database) -> pl.DataFrame | None:
    if not db.has_table("model.kratom_funnel"):
        return None
    return db.query(
        f"SELECT year, {', '.join(KRATOM_FUNNEL_COLUMNS)} FROM model.kratom_funnel "
        "ORDER BY year = 'total', year"
    )


def probable_duplicates(db: Database) -> pl.DataFrame | None:
    """Cases set aside as probable duplicates (model.probable_duplicates), all and kratom, per
    rule that linked them (`matched_on`), in the rules' order.

    None for a database built before the table existed.
    """
    return db.cached("about_probable_duplicates", lambda: _probable_duplicates(db))


def _probable_duplicates(db: Database) -> pl.DataFrame | None:
    if not db.has_table("model.probable_duplicates"):
        return None
    kratom = kratom_tables(db).cases
    return db.query(
        "SELECT p.matched_on, count(*) AS n_cases, "
        "count(*) FILTER (WHERE p.case_id IN (SELECT case_id FROM "
        f"{kratom} WHERE is_kratom)) AS n_kratom_cases "
        "FROM model.probable_duplicates p GROUP BY p.matched_on "
        "ORDER BY p.matched_on LIKE '%+%', p.matched_on"
    )
