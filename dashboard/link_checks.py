"""The shell's second note: what a well-formed link asks for that this page cannot show.

- Values that match no case in the database: a preferred term, a co-reported substance, a
  country, or a date range entirely outside the quarters the cases span. The filter still applies
  (the page shows no case, truthfully); the note says why, as the Poison centers page does for a
  geography without figures. The universe is the cases the page counts: kratom cases, or every
  case for a `population=all` link on a page that counts every case.
- The kratom criteria (kratom's role, other substances, product) of a `population=all` link on a
  page that counts every case: `to_sql` drops them and the filter panel greys them out; the
  note says so under the sentence too.

The lookups are sets read once per file (`queries.link_values`): no query per filter change.
"""

from __future__ import annotations

from dashboard import population
from dashboard.db import Database
from dashboard.filter_params import as_text
from dashboard.filter_query import shown
from dashboard.filters import Filters
from dashboard.queries import link_values as v

DATE_WORDS = {
    "received": ("was received", "received dates"),
    "event": ("has an event date", "event dates"),
}


def link_notes(db: Database, f: Filters, path: str) -> list[str]:
    """Every note for the link's filters `f` on the page at `path`."""
    notes = unmatched_notes(db, f, kratom=counts_kratom_cases(f, path))
    not_applied = not_applied_note(f, path)
    return notes + ([not_applied] if not_applied else [])


def counts_kratom_cases(f: Filters, path: str) -> bool:
    """Whether the page at `path` counts kratom cases only for these filters."""
    return not population.is_all(f) or population.shows_kratom_cases(f, path)


def unmatched_notes(db: Database, f: Filters, *, kratom: bool) -> list[str]:
    """One note per value that no case of the universe (kratom cases, or every case) has."""
    who = "kratom case" if kratom else "case"
    notes = []
    if f.pts:
        known = v.kratom_pts(db) if kratom else v.every_pt(db)
        notes += [
            f"no {who} in this database has the preferred term '{shown(pt)}'"
            for pt in f.pts
            if pt.upper() not in known
        ]
    if f.substances:
        known = v.substances(db)
        notes += [
            f"no kratom case in this database is co-reported with '{shown(s)}'"
            for s in f.substances
            if s.upper() not in known
        ]
    countries = [c for c in f.countries if c != "unknown"]  # `unknown` matches the blank too
    if countries:
        known = v.kratom_countries(db)
        missing = [c for c in countries if c not in known]
        if missing and not kratom:
            known = v.every_country(db)  # read only when a kratom case cannot answer
            missing = [c for c in missing if c not in known]
        notes += [f"no {who} in this database has the country '{c}'" for c in missing]
    if (f.date_from or f.date_to) and not v.has_quarters(db, f):
        notes.append(_dates_note(db, f))
    return notes


def _dates_note(db: Database, f: Filters) -> str:
    """'no case in this database was received 2030Q1 or later (received dates run …)'."""
    verb, noun = DATE_WORDS[f.date_field]
    if f.date_from and f.date_to:
        dates = f"{f.date_from}–{f.date_to}"
    else:
        dates = f"{f.date_from} or later" if f.date_from else f"{f.date_to} or earlier"
    span = v.quarter_span(db, f)
    within = f" ({noun} run {span[0]}–{span[1]})" if span else " (it holds no such date)"
    return f"no case in this database {verb} {dates}{within}"


def not_applied_note(f: Filters, path: str) -> str | None:
    """The kratom criteria of a population=all link that the page at `path` does not apply."""
    if population.kratom_criteria_apply(f, path):
        return None
    parts = [f"'role={f.role}'"] if f.role != "any" else []
    if f.kratom_only is not None:
        parts.append(f"'kratom_only={as_text(f.kratom_only)}'")
    parts += [f"'product={p}'" for p in f.product_types]
    if not parts:
        return None
    why = "this page counts every FAERS case (population=all)"
    if population.counts_kratom_cases_only(f):
        why += ", and its co-exposure filter keeps kratom cases in any role"
    return f"{', '.join(parts)} not applied: {why}"
