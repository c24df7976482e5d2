"""Questions behind the Latest quarter page: what a quarter brought of kratom cases.

The page counts kratom cases by the quarter FDA first received them (`model.cases.received_date`,
the init_fda_dt of the case), whatever the link's date range and count-by (`page_filters`): a
quarterly file also carries follow-up versions of cases first received earlier, and those are
counted apart ("earlier cases updated": `model.cases.quarter`, the file of the kept version, is
the quarter while `received_date` is before it). Every other filter of the link applies, the
kratom criteria included, under `population=all` too (`population.KRATOM_PAGES`).

The quarters the page offers are the quarterly files loaded (`loaded_quarters`, once per file,
from `model.quarter_totals`; a file built before that table reads `model.case_versions`).
"""

from __future__ import annotations

import polars as pl

from dashboard import quarter_math as qm
from dashboard.db import Database
from dashboard.filter_codes import EVENT_GROUPS
from dashboard.filters import Filters
from dashboard.queries import has_small_tables, kratom_filters, quarter_expr, tables, where
from dashboard.tables import QUARTER_TOTALS

CONCENTRATE_7OH = "concentrate_7oh"  # model.cases.kratom_product_type of 7-OH concentrates
MAX_SERIOUS_ROWS = 100
# kind -> (table attribute of `Tables`, column, extra condition): the only identifiers the
# first-time question puts into SQL.
TERM_KINDS = {
    "pt": ("case_events", "pt", "TRUE"),
    "substance": ("case_substances", "substance_name", "NOT x.is_kratom"),
}
OUTCOME_COLUMNS = (
    "has_death",
    "has_life_threatening",
    "has_hospitalisation",
    "has_disability",
    "has_congenital_anomaly",
    "has_required_intervention",
    "has_other_serious",
)
LOADED = (
    "SELECT DISTINCT quarter FROM model.quarter_totals "
    "WHERE source = 'faers-quarterly' AND n_versions > 0 ORDER BY quarter DESC",
    "SELECT DISTINCT quarter FROM model.case_versions ORDER BY quarter DESC",
)


def loaded_quarters(db: Database) -> tuple[str, ...]:
    """The quarterly files loaded (at least one report version read), newest first."""

    def read() -> tuple[str, ...]:
        small, full = LOADED
        rows = db.query(small if has_small_tables(db, QUARTER_TOTALS) else full)
        return tuple(q for q in rows["quarter"].to_list() if q)

    return db.cached("latest.loaded_quarters", read)


def page_filters(f: Filters) -> Filters:
    """The link's filters as the page applies them: kratom cases, counted by receipt, any date."""
    return kratom_filters(f).with_changes(date_field="received", date_from=None, date_to=None)


def _selected(db: Database, f: Filters) -> tuple[str, str, list]:
    """The cases table, the WHERE fragment over it (alias c) and its parameters."""
    pf = page_filters(f)
    t = tables(db, pf)
    w, params = where(pf, "c", t)
    return t.cases, w, params


def headline(db: Database, f: Filters, quarter: str) -> dict[str, int]:
    """Cases first received in `quarter`, of them serious, deaths and 7-OH concentrate products,
    and earlier cases updated in it: first received before it, their kept version from its file
    (quarterly files only: an openFDA case's `quarter` is its quarter of receipt)."""
    cases, w, params = _selected(db, f)
    new = "c.received_date >= ? AND c.received_date < ?"
    span = [qm.first_day(quarter), qm.day_after(quarter)]
    return db.query(
        f"SELECT count(*) FILTER (WHERE {new}) AS n_new, "
        f"count(*) FILTER (WHERE {new} AND c.is_serious) AS n_serious, "
        f"count(*) FILTER (WHERE {new} AND c.has_death) AS n_deaths, "
        f"count(*) FILTER (WHERE {new} AND c.kratom_product_type = ?) AS n_7oh, "
        "count(*) FILTER (WHERE c.source = 'faers-quarterly' AND c.quarter = ? "
        "AND c.received_date < ?) AS n_updated "
        f"FROM {cases} c WHERE {w}",
        [*span, *span, *span, *span, CONCENTRATE_7OH, quarter, span[0], *params],
    ).row(0, named=True)


def new_by_quarter(db: Database, f: Filters, first: str, last: str) -> dict[str, int]:
    """Cases first received in each quarter from `first` to `last` (quarters without any left
    out)."""
    cases, w, params = _selected(db, f)
    period = quarter_expr(page_filters(f))
    rows = db.query(
        f"SELECT {period} AS period, count(*) AS n FROM {cases} c WHERE {w} "
        "AND c.received_date >= ? AND c.received_date < ? GROUP BY 1",
        [*params, qm.first_day(first), qm.day_after(last)],
    )
    return dict(rows.iter_rows())


def groups_by_quarter(db: Database, f: Filters, first: str, last: str) -> pl.DataFrame:
    """Cases first received in each quarter from `first` to `last` reporting each event group
    (a case counts once per group): `event_group`, `period`, `n`."""
    pf = page_filters(f)
    t = tables(db, pf)
    w, params = where(pf, "c", t)
    return db.query(
        f"SELECT e.event_group, {quarter_expr(pf)} AS period, count(DISTINCT c.case_id) AS n "
        f"FROM {t.cases} c JOIN {t.case_events} e USING (case_id) WHERE {w} "
        "AND c.received_date >= ? AND c.received_date < ? AND e.event_group IS NOT NULL "
        "GROUP BY 1, 2 ORDER BY 1, 2",
        [*params, qm.first_day(first), qm.day_after(last)],
    )


def first_time(db: Database, f: Filters, quarter: str, kind: str) -> pl.DataFrame:
    """Preferred terms (`kind` 'pt') or co-reported substances ('substance') of kratom cases
    first received in `quarter` that no selected kratom case received before it reports:
    `term` (one spelling), `n` (cases in the quarter), commonest first. Compared in upper case,
    as the filters compare them; a case without a received date is never "before"."""
    table, column, extra = TERM_KINDS[kind]
    pf = page_filters(f)
    t = tables(db, pf)
    w, params = where(pf, "c", t)
    start = qm.first_day(quarter)
    return db.query(
        "WITH sel AS (SELECT c.case_id, c.received_date >= ? AS in_quarter "
        f"FROM {t.cases} c WHERE {w} AND c.received_date < ?), "
        f"terms AS (SELECT upper(x.{column}) AS term_key, min(x.{column}) AS term, "
        "count(DISTINCT sel.case_id) FILTER (WHERE sel.in_quarter) AS n, "
        "bool_or(NOT sel.in_quarter) AS seen_before "
        f"FROM sel JOIN {getattr(t, table)} x USING (case_id) "
        f"WHERE x.{column} IS NOT NULL AND {extra} GROUP BY 1) "
        "SELECT term, n FROM terms WHERE n > 0 AND NOT seen_before ORDER BY n DESC, term",
        [start, *params, qm.day_after(quarter)],
    )


def serious_cases(db: Database, f: Filters, quarter: str) -> pl.DataFrame:
    """Serious cases first received in `quarter`, deaths first, then newest receipt, at most
    MAX_SERIOUS_ROWS: case, received date, age, sex, kratom product, the outcome flags, the
    co-reported substances ('; '-joined), `events` (the case's preferred terms, a list ordered
    by their event group as the filters list the groups, Death first, a term of no group last,
    then by name) and `n_total`, every such case."""
    pf = page_filters(f)
    t = tables(db, pf)
    w, params = where(pf, "c", t)
    flags = ", ".join(f"c.{name}" for name in OUTCOME_COLUMNS)
    order = "has_death DESC, received_date DESC, case_id"
    return db.query(
        "WITH sel AS (SELECT c.case_id, c.received_date, c.age_years, c.sex, "
        f"c.kratom_product_type, {flags} FROM {t.cases} c WHERE {w} AND c.is_serious "
        "AND c.received_date >= ? AND c.received_date < ?), "
        "shown AS (SELECT *, count(*) OVER () AS n_total FROM sel "
        f"ORDER BY {order} LIMIT ?), "
        "subs AS (SELECT case_id, string_agg(DISTINCT substance_name, '; ' "
        f"ORDER BY substance_name) AS co_substances FROM {t.case_substances} "
        "WHERE NOT is_kratom AND case_id IN (SELECT case_id FROM shown) GROUP BY case_id), "
        "evts AS (SELECT case_id, list(pt ORDER BY coalesce(list_position(?, event_group), "
        "999), pt) AS events FROM (SELECT DISTINCT case_id, pt, event_group "
        f"FROM {t.case_events} WHERE pt IS NOT NULL "
        "AND case_id IN (SELECT case_id FROM shown)) GROUP BY case_id) "
        "SELECT shown.*, subs.co_substances, evts.events FROM shown "
        f"LEFT JOIN subs USING (case_id) LEFT JOIN evts USING (case_id) ORDER BY {order}",
        [
            *params,
            qm.first_day(quarter),
            qm.day_after(quarter),
            MAX_SERIOUS_ROWS,
            list(EVENT_GROUPS),
        ],
    )
