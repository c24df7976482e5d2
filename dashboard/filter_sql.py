"""Filters as SQL: a WHERE fragment over `model.cases` and its bound parameters.

Column names come only from the allow-lists in `dashboard.filter_codes`; every value is a bound
parameter. `duplicates=hide` adds `duplicate_of IS NULL` only when the tables have the column
(`Tables.duplicate_flags`: a file built before the flags has none, and every case is shown).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dashboard.filter_codes import DATE_FIELDS, OUTCOMES, ROLES, UNKNOWN_CODES
from dashboard.tables import Tables

if TYPE_CHECKING:
    from dashboard.filters import Filters

_CASE_COLUMNS = {
    "product_types": "kratom_product_type",
    "sexes": "sex",
    "age_bands": "age_band",
    "reporter_types": "reporter_type",
    "countries": "country_code",
    "sources": "source",
}


def _marks(values: tuple[Any, ...] | list[Any]) -> str:
    return ", ".join("?" * len(values))


def _in_list(column: str, field: str, values: tuple[str, ...]) -> str:
    """`column IN (?, …)`; the field's "unknown" code also matches NULL."""
    sql = f"{column} IN ({_marks(values)})"
    return f"({sql} OR {column} IS NULL)" if UNKNOWN_CODES.get(field) in values else sql


def where_clause(f: Filters, a: str, t: Tables) -> tuple[str, list[Any]]:
    parts: list[str] = []
    params: list[Any] = []
    if f.population == "kratom":
        parts.append(f"{a}.is_kratom")
        if ROLES[f.role]:
            parts.append(f"{a}.kratom_role IN ({_marks(ROLES[f.role])})")
            params += ROLES[f.role]
        if f.kratom_only is not None:
            parts.append(f"{a}.is_kratom_only = ?")
            params.append(f.kratom_only)
    column = f"{a}.{DATE_FIELDS[f.date_field]}"
    for bound, op in zip(f.quarter_bounds(), (">=", "<"), strict=True):
        if bound is not None:
            parts.append(f"{column} {op} ?")
            params.append(bound)
    if f.serious_only:
        parts.append(f"{a}.is_serious")
    if f.duplicates == "hide" and t.duplicate_flags:
        parts.append(f"{a}.duplicate_of IS NULL")
    if f.outcomes:
        parts.append("(" + " OR ".join(f"{a}.{OUTCOMES[o]}" for o in f.outcomes) + ")")
    for field, name in _CASE_COLUMNS.items():
        values = getattr(f, field)
        if values and (field != "product_types" or f.population == "kratom"):
            parts.append(_in_list(f"{a}.{name}", field, values))
            params += values
    _add_exists(parts, params, f, a, t)
    return " AND ".join(parts) or "TRUE", params


def _add_exists(parts: list[str], params: list[Any], f: Filters, a: str, t: Tables) -> None:
    """EXISTS sub-queries over the case's events and its non-kratom substances."""
    events = f"SELECT 1 FROM {t.case_events} e WHERE e.case_id = {a}.case_id AND "
    others = (
        f"SELECT 1 FROM {t.case_substances} s WHERE s.case_id = {a}.case_id AND NOT s.is_kratom"
    )
    wanted = (
        (f.event_groups, f"{events}e.event_group IN ", False),
        (f.pts, f"{events}upper(e.pt) IN ", True),
        (f.substances, f"{others} AND upper(s.substance_name) IN ", True),
        (f.substance_classes, f"{others} AND s.substance_class IN ", False),
    )
    for values, sql, upper in wanted:
        if values:
            parts.append(f"EXISTS ({sql}({_marks(values)}))")
            params += [v.upper() for v in values] if upper else values
