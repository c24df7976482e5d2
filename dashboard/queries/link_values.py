"""What a link's free values can match in the file: the preferred terms, co-reported substances
and countries of its cases, and the quarters its dates span.

Each answer depends only on the file, so it is read once per file (`Database.cached`) and a
filter change asks no query (`dashboard/link_checks.py` looks the link's values up in these
sets). Values are compared as the filters compare them: terms and substances in upper case.

- Kratom cases: the kratom slice (a few thousand rows at full size) and `model.case_substances`
  (kratom cases only).
- Every case: the preferred terms of `model.pt_names` (one row per term of the quarterly files,
  a few tens of thousands) and those of the kratom slice (openFDA's cases are kratom cases); a
  file built before `model.pt_names` reads `model.case_events` once instead. Countries have no
  small table: `model.cases` is read once per file, and only when a `population=all` link names
  a country no kratom case has.
- Quarters: `trends.background_by_quarter` (the ETL's `model.cases_per_quarter`), every case.
"""

from __future__ import annotations

from dashboard.db import Database
from dashboard.filters import Filters
from dashboard.queries import has_small_tables, kratom_tables
from dashboard.queries.trends import background_by_quarter

PT_NAMES = ("model.pt_names",)


def kratom_pts(db: Database) -> frozenset[str]:
    """Every preferred term (upper case) of a kratom case."""

    def read() -> frozenset[str]:
        t = kratom_tables(db)
        rows = db.query(
            f"SELECT DISTINCT upper(e.pt) AS pt FROM {t.case_events} e "
            f"JOIN {t.cases} c USING (case_id) WHERE c.is_kratom AND e.pt IS NOT NULL"
        )
        return frozenset(rows["pt"].to_list())

    return db.cached("link_values.kratom_pts", read)


def every_pt(db: Database) -> frozenset[str]:
    """Every preferred term (upper case) of any case: the quarterly files' terms and kratom's
    (a term of a deleted case may be among them: its link then gets no note, never a wrong one).
    """

    def read() -> frozenset[str]:
        if has_small_tables(db, PT_NAMES):
            rows = db.query("SELECT DISTINCT upper(pt) AS pt FROM model.pt_names")
        else:
            rows = db.query(
                "SELECT DISTINCT upper(pt) AS pt FROM model.case_events WHERE pt IS NOT NULL"
            )
        return frozenset(rows["pt"].drop_nulls().to_list()) | kratom_pts(db)

    return db.cached("link_values.every_pt", read)


def substances(db: Database) -> frozenset[str]:
    """Every co-reported substance (upper case): the other drugs of kratom cases."""

    def read() -> frozenset[str]:
        rows = db.query(
            "SELECT DISTINCT upper(substance_name) AS s FROM model.case_substances "
            "WHERE NOT is_kratom AND substance_name IS NOT NULL"
        )
        return frozenset(rows["s"].to_list())

    return db.cached("link_values.substances", read)


def kratom_countries(db: Database) -> frozenset[str]:
    """Every country code of a kratom case."""

    def read() -> frozenset[str]:
        t = kratom_tables(db)
        rows = db.query(
            f"SELECT DISTINCT country_code FROM {t.cases} "
            "WHERE is_kratom AND country_code IS NOT NULL"
        )
        return frozenset(rows["country_code"].to_list())

    return db.cached("link_values.kratom_countries", read)


def every_country(db: Database) -> frozenset[str]:
    """Every country code of any case (one read of model.cases per file)."""

    def read() -> frozenset[str]:
        rows = db.query(
            "SELECT DISTINCT country_code FROM model.cases WHERE country_code IS NOT NULL"
        )
        return frozenset(rows["country_code"].to_list())

    return db.cached("link_values.every_country", read)


def quarter_span(db: Database, f: Filters) -> tuple[str, str] | None:
    """The first and last quarter ('2004Q1') of the chosen date among every case of the link's
    sources; None when no case has that date."""
    every = background_by_quarter(db, f.with_changes(date_from=None, date_to=None))
    if every.is_empty():
        return None
    return every["period"].min(), every["period"].max()


def has_quarters(db: Database, f: Filters) -> bool:
    """Whether any case of the link's sources has the chosen date within its date range."""
    return not background_by_quarter(db, f).is_empty()
