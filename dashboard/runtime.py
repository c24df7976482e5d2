"""The running app's database door and the few facts every page frame shows."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from dashboard.db import Database, DatabaseMissing, DatabaseUnreadable
from dashboard.filter_query import capped, ignored
from dashboard.filters import Filters
from dashboard.queries import has_duplicate_flags, kratom_tables, quarter_totals

log = logging.getLogger(__name__)
_state: dict[str, Database] = {}
# The file is missing or not a readable DuckDB database: the page says so instead of failing.
UNAVAILABLE = (DatabaseMissing, DatabaseUnreadable)
NO_CHOICES: dict[str, list] = {"quarters": [], "pts": [], "substances": [], "countries": []}
# `duplicates=hide` over a file built before the probable-duplicate flags sets nothing aside:
# the shell's notes and an extract's ignored parameters say so.
UNFLAGGED_NOTE = ignored(
    "duplicates",
    "hide",
    "this database was built before probable duplicates were flagged, so every case is shown",
)


def configure(path: Path | str) -> Database:
    """Point the app at a database file (opened lazily, reopened when the file is swapped)."""
    _state["db"] = Database(Path(path))
    return _state["db"]


def database() -> Database:
    return _state["db"]


def db_path() -> Path:
    return database().path


def unavailable_text(exc: Exception) -> str:
    """What the page says when the database cannot be opened (also logged on the server)."""
    log.warning("database unavailable: %s", exc)
    return (
        f"The database is unavailable right now ({exc}). If the scheduled refresh is replacing "
        "it, reload this page in a minute; your link keeps your filters."
    )


def with_database_notes(f: Filters, notes: list[str]) -> list[str]:
    """The link's notes, and one for a part the app's database cannot honour: `duplicates=hide`
    on a file built before the probable-duplicate flags (every case is then shown). Nothing is
    added when the database cannot be opened: the banner says so."""
    if f.duplicates != "hide":
        return notes
    try:
        flagged = has_duplicate_flags(database())
    except UNAVAILABLE:
        return notes
    return notes if flagged else capped([*notes, UNFLAGGED_NOTE])


def is_synthetic(db: Database) -> bool:
    """Whether any case of the file is synthetic (once per file, from the ETL's small totals)."""
    return quarter_totals.is_synthetic(db)


def vintage_text(db: Database) -> str:
    """'FAERS quarterly files 2004Q1–2026Q2, built 2026-11-24 21:30 UTC' for the page footer
    (once per file); openFDA's last quarter of receipt after the files' range when it has cases."""
    return db.cached("vintage_text", lambda: _vintage_text(db))


def _vintage_text(db: Database) -> str:
    return (
        f"Data: {vintage_words(db)}. Cases are deduplicated (latest version of each case; "
        "deleted cases removed)."
    )


def vintage_words(db: Database) -> str:
    """'FAERS quarterly files 2004Q1–2026Q2, database built 2026-11-24 21:30 UTC' (the footer's
    words, also the first line of `kratom-etl latest`)."""
    first, last = quarter_totals.quarter_range(db)
    text = f"FAERS quarterly files {first}–{last}" if first else "no FAERS quarters loaded"
    openfda_last = quarter_totals.openfda_last_quarter(db)
    if openfda_last is not None:
        text += f"; openFDA reports received to {openfda_last}"
    built = built_at(db)
    if built is not None:
        text += f", database built {built:%Y-%m-%d %H:%M} UTC"
    return text


def built_at(db: Database) -> dt.datetime | None:
    """When the file was built (the newest `meta.build` row), None without that table."""
    return db.scalar("SELECT max(built_at) FROM meta.build") if db.has_table("meta.build") else None


def filter_choices(db: Database) -> dict[str, list]:
    """Options for the filter panel that come from the data (quarters, terms, substances).

    Read once per file; fresh lists each call, so callers may change theirs.
    """
    choices = db.cached("filter_choices", lambda: _filter_choices(db))
    return {name: list(values) for name, values in choices.items()}


def _filter_choices(db: Database) -> dict[str, list]:
    t = kratom_tables(db)
    quarters = db.query(
        "SELECT DISTINCT year(received_date)::VARCHAR || 'Q' || quarter(received_date)::VARCHAR "
        "AS q "
        f"FROM {t.cases} WHERE is_kratom AND received_date IS NOT NULL ORDER BY 1"
    )["q"].to_list()
    pts = db.query(
        f"SELECT e.pt FROM {t.case_events} e JOIN {t.cases} c USING (case_id) WHERE c.is_kratom "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 300"
    )["pt"].to_list()
    substances = db.query(
        f"SELECT substance_name FROM {t.case_substances} WHERE NOT is_kratom "
        "AND substance_name IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 300"
    )["substance_name"].to_list()
    countries = db.query(
        f"SELECT country_code FROM {t.cases} WHERE is_kratom AND country_code IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1"
    )["country_code"].to_list()
    return {
        "quarters": quarters,
        "pts": pts,
        "substances": substances,
        "countries": [*countries, "unknown"],
    }
