"""Questions behind the overview page."""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import quarter_expr, quarter_totals, tables, where

OUTCOMES = {
    "has_death": "Death",
    "has_life_threatening": "Life-threatening",
    "has_hospitalisation": "Hospitalisation",
    "has_disability": "Disability",
    "has_congenital_anomaly": "Congenital anomaly",
    "has_required_intervention": "Required intervention",
    "has_other_serious": "Other serious",
}


def headline(db: Database, f: Filters) -> dict:
    """Cases, serious cases, deaths, kratom cases and kratom-only cases for the filters."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    row = db.query(
        "SELECT count(*) AS n_cases, count(*) FILTER (WHERE c.is_serious) AS n_serious, "
        "count(*) FILTER (WHERE c.has_death) AS n_deaths, "
        "count(*) FILTER (WHERE c.is_kratom) AS n_kratom, "
        "count(*) FILTER (WHERE c.is_kratom_only) AS n_kratom_only "
        f"FROM {t.cases} c WHERE {w}",
        params,
    ).row(0, named=True)
    return row


def latest_quarter(db: Database) -> str | None:
    """The newest quarterly file holding a kept case, whatever the filters (once per file)."""
    return quarter_totals.quarter_range(db)[1]


def cases_by_quarter(db: Database, f: Filters) -> pl.DataFrame:
    """Cases per calendar quarter of the chosen date, with serious cases, deaths and the cases
    whose most specific kratom product is a 7-OH concentrate (`n_7oh`; 0 for other drugs)."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    q = quarter_expr(f)
    return db.query(
        f"SELECT {q} AS period, count(*) AS n_cases, "
        "count(*) FILTER (WHERE c.is_serious) AS n_serious, "
        "count(*) FILTER (WHERE c.has_death) AS n_deaths, "
        "count(*) FILTER (WHERE c.kratom_product_type = 'concentrate_7oh') AS n_7oh "
        f"FROM {t.cases} c WHERE {w} AND {q} IS NOT NULL GROUP BY 1 ORDER BY 1",
        params,
    )


def outcome_counts(db: Database, f: Filters) -> pl.DataFrame:
    """Cases with each serious outcome (a case can have several), and the total."""
    t = tables(db, f)
    w, params = where(f, "c", t)
    cols = ", ".join(f"count(*) FILTER (WHERE c.{c}) AS {c}" for c in OUTCOMES)
    wide = db.query(f"SELECT count(*) AS n_total, {cols} FROM {t.cases} c WHERE {w}", params)
    total = wide["n_total"][0]
    return pl.DataFrame(
        {
            "outcome": list(OUTCOMES.values()),
            "n_cases": [wide[c][0] for c in OUTCOMES],
            "n_total": [total] * len(OUTCOMES),
        }
    )


def breakdown(db: Database, f: Filters, column: str) -> pl.DataFrame:
    """Cases by sex, age band or reporter type (column from an allow-list), with the total."""
    allowed = {"sex", "age_band", "reporter_type", "kratom_role", "kratom_product_type"}
    if column not in allowed:
        raise ValueError(f"not a breakdown column: {column}")
    t = tables(db, f)
    w, params = where(f, "c", t)
    return db.query(
        f"SELECT c.{column} AS category, count(*) AS n_cases, sum(count(*)) OVER () AS n_total "
        f"FROM {t.cases} c WHERE {w} GROUP BY 1 ORDER BY 2 DESC, 1",
        params,
    )


def timeline(db: Database) -> pl.DataFrame:
    """Regulatory and data-format events for annotating trend charts (read once per file): the
    date, its precision (day, month, year) and how far it was checked (status `V`, `V-3p`)."""
    return db.cached("timeline", lambda: _timeline(db))


TIMELINE_SCHEMA = {
    "event_date": pl.Date,
    "date_precision": pl.String,
    "label": pl.String,
    "kind": pl.String,
    "status": pl.String,
}


def _timeline(db: Database) -> pl.DataFrame:
    if not db.has_table("model.timeline"):
        return pl.DataFrame(schema=TIMELINE_SCHEMA)
    return db.query(
        "SELECT event_date, date_precision, label, kind, status FROM model.timeline "
        "ORDER BY event_date, label"
    )
