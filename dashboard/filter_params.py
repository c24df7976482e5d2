"""The URL keys of `Filters`: each key's field, its value parser and its list order.

A parser takes the raw text of one value and returns its canonical form, or raises ValueError
saying why not; `check_scalar` and `canonical_list` hold a Filters' own values to the same parsers.
The view keys (VIEW_KEYS) are a page's own controls: they change what one page shows, select no
case, and `to_sql` and `describe` never read them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from dashboard.filter_codes import (
    AGE_BANDS,
    ALL_GEOGRAPHIES,
    CASE_SORT_COLUMNS,
    DATE_FIELDS,
    DUPLICATES,
    EVENT_GROUPS,
    EVENT_SPLITS,
    EVENT_TOPS,
    GEOGRAPHY_TYPES,
    MAX_PAGE,
    MAX_VALUE_CHARS,
    MAX_VALUES,
    OUTCOMES,
    POPULATIONS,
    PRODUCT_TYPES,
    REPORTER_TYPES,
    ROLES,
    SEXES,
    SIGNAL_LEVELS,
    SIGNAL_PLOTS,
    SORT_DIRECTIONS,
    SOURCES,
    SUBSTANCE_CLASSES,
)

_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")
_COUNTRY = re.compile(r"[A-Z]{2}")
_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


def _choice(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"not one of {', '.join(allowed)}")
        return value

    return parse


def _quarter(value: str) -> str:
    match = _QUARTER.fullmatch(value.upper())
    if not match or not 1900 <= int(match[1]) <= 2099:
        raise ValueError("not a quarter like 2016Q1")
    return value.upper()


def _flag(value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ValueError("not true or false")


def _country(value: str) -> str:
    if value.lower() == "unknown":
        return "unknown"
    if not value.isascii() or not _COUNTRY.fullmatch(value.upper()):
        raise ValueError("not a two-letter country code (ISO 3166), EU or unknown")
    return value.upper()


def _age_band(value: str) -> str:
    return _choice(AGE_BANDS)("85+" if value == "85" else value)  # `85+` unescaped reads `85 `


def _text(value: str) -> str:
    if not value.isprintable() or value != value.strip():
        raise ValueError("contains control or invisible characters")
    return value


def _geography(value: str) -> str:
    """`all`, or `<type>:<name>` as the published figures name it (`state:TX`).

    Whether the database holds figures for it is the page's question, not the link's.
    """
    if value == ALL_GEOGRAPHIES:
        return value
    kind, sep, name = value.partition(":")
    if not sep or kind not in GEOGRAPHY_TYPES or not name or len(value) > MAX_VALUE_CHARS:
        raise ValueError(f"not all or a geography like state:TX ({', '.join(GEOGRAPHY_TYPES)})")
    return f"{kind}:{_text(name)}"


def _number(allowed: tuple[int, ...]) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if value not in {str(n) for n in allowed}:
            raise ValueError(f"not one of {', '.join(str(n) for n in allowed)}")
        return int(value)

    return parse


def _case_sort(value: str) -> str:
    """`<grid column>:<asc|desc>` (`age_years:asc`), the column from CASE_SORT_COLUMNS."""
    column, sep, direction = value.partition(":")
    if not sep or column not in CASE_SORT_COLUMNS or direction not in SORT_DIRECTIONS:
        raise ValueError("not a column and direction like age_years:asc (a Cases column)")
    return value


def _page(value: str) -> int:
    if not (value.isascii() and value.isdigit() and len(value) <= 7) or not (
        1 <= int(value) <= MAX_PAGE
    ):
        raise ValueError(f"not a page number from 1 to {MAX_PAGE:,}")
    return int(value)


@dataclass(frozen=True)
class _Param:
    key: str  # the URL key
    field: str  # the Filters attribute
    parse: Callable[[str], Any]  # raw text -> canonical value; ValueError says why not
    many: bool = False
    order: tuple[str, ...] | None = None  # list order of codes; other lists sort by text
    kind: type = str  # the type of a scalar's value


PARAMS = (
    _Param("population", "population", _choice(POPULATIONS)),
    _Param("date", "date_field", _choice(tuple(DATE_FIELDS))),
    _Param("from", "date_from", _quarter),
    _Param("to", "date_to", _quarter),
    _Param("role", "role", _choice(tuple(ROLES))),
    _Param("kratom_only", "kratom_only", _flag, kind=bool),
    _Param("product", "product_types", _choice(PRODUCT_TYPES), True, PRODUCT_TYPES),
    _Param("serious", "serious_only", _flag, kind=bool),
    _Param("duplicates", "duplicates", _choice(DUPLICATES)),
    _Param("outcome", "outcomes", _choice(tuple(OUTCOMES)), True, tuple(OUTCOMES)),
    _Param("sex", "sexes", _choice(SEXES), True, SEXES),
    _Param("age", "age_bands", _age_band, True, AGE_BANDS),
    _Param("reporter", "reporter_types", _choice(REPORTER_TYPES), True, REPORTER_TYPES),
    _Param("country", "countries", _country, True),
    _Param("event_group", "event_groups", _choice(EVENT_GROUPS), True, EVENT_GROUPS),
    _Param("pt", "pts", _text, True),
    _Param("substance", "substances", _text, True),
    _Param("class", "substance_classes", _choice(SUBSTANCE_CLASSES), True, SUBSTANCE_CLASSES),
    _Param("source", "sources", _choice(SOURCES), True, SOURCES),
    _Param("geo", "geography", _geography),
    _Param("top", "events_top", _number(EVENT_TOPS), kind=int),
    _Param("split", "events_split", _choice(EVENT_SPLITS)),
    _Param("level", "signals_level", _choice(SIGNAL_LEVELS)),
    _Param("plot", "signals_plot", _choice(SIGNAL_PLOTS)),
    _Param("term", "signals_term", _text),
    _Param("sort", "cases_sort", _case_sort),
    _Param("page", "cases_page", _page, kind=int),
    _Param("marks", "show_marks", _flag, kind=bool),
    _Param("q", "latest_quarter", _quarter),
)
# Keys that select no case: the Poison centers geography and the pages' own controls.
VIEW_KEYS = ("geo", "top", "split", "level", "plot", "term", "sort", "page", "marks", "q")
BY_KEY = {p.key: p for p in PARAMS}
KEYS = tuple(BY_KEY)  # every URL key, in link order
FIELDS = {p.key: p.field for p in PARAMS}  # URL key -> Filters attribute
VIEW_FIELDS = tuple(FIELDS[key] for key in VIEW_KEYS)


def encode(pairs: list[tuple[str, str]]) -> str:
    """Form encoding; `:` stays as it is (allowed in a query), so links read `geo=state:TX`."""
    return urlencode(pairs, safe=":")


def as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def check_scalar(param: _Param, value: Any) -> None:
    if type(value) is not param.kind:  # exactly: a bool is not a page number
        raise ValueError(f"{param.field}: bad value {value!r}")
    _check_parses(param, as_text(value), value)


def _check_parses(param: _Param, text: str, value: Any) -> None:
    try:
        canonical = param.parse(text)
    except ValueError as exc:
        raise ValueError(f"{param.field}: {value!r} {exc}") from None
    if canonical != value:
        raise ValueError(f"{param.field}: {value!r} is not in canonical form ({canonical!r})")


def canonical_list(param: _Param, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, tuple | list | frozenset | set):
        raise ValueError(f"{param.field}: expected a tuple of strings, got {value!r}")
    items = set(value)
    if len(items) > MAX_VALUES:
        raise ValueError(f"{param.field}: more than {MAX_VALUES} values")
    for item in items:
        if not isinstance(item, str) or not item or len(item) > MAX_VALUE_CHARS:
            raise ValueError(f"{param.field}: bad value {item!r}")
        _check_parses(param, item, item)
    if param.order:
        return tuple(sorted(items, key=param.order.index))
    return tuple(sorted(items, key=lambda text: (text == "unknown", text.upper(), text)))
