"""The one filter model of every page and extract: URL query ⇄ Filters ⇄ bound SQL ⇄ English.

URL form (`to_query` writes it, `from_query` reads it):
- list parameters repeat their key, one value each: `sex=F&sex=M` (commas are not separators,
  because preferred terms and substance names may contain them);
- dates are quarters, `from=2016Q1&to=2025Q4`, inclusive, on the received date unless
  `date=event`;
- `population=all` selects every kept FAERS case, kratom or not: `to_sql` drops the kratom
  restriction and the kratom criteria (role, kratom_only, product) and keeps every other filter.
  Overview, Event types, Cases and their extracts count those cases; Co-exposures, Indications,
  Trends and Signals still show kratom cases, the kratom criteria applied, and so do extracts
  downloaded there (`dashboard/population.py`). A co-exposure filter (`substance`, `class`)
  can match kratom cases only, whose drugs alone are stored, and `describe` says so;
- `duplicates=hide` sets aside the cases the build flagged as probable duplicates of another
  case (`model.cases.duplicate_of`); `show`, the default, counts every case FDA's caseid rule
  keeps. A file built before the flags has no such column: `dashboard.queries.tables` then picks
  tables whose `duplicate_flags` is false and `to_sql` leaves the condition out (every case);
- `geo=state:TX` (`<type>:<name>`, or `all`) is the Poison centers page's geography of the
  published figures: not a case filter, so `to_sql` and `describe` leave it out, the other pages
  ignore it and keep it in their links, and case extracts leave it out with a note;
- the view keys are the pages' own controls, kept in the link the same way (`filter_params.
  VIEW_KEYS`): Event types' `top` and `split`, Signals' `level`, `plot` and `term`, Cases'
  `sort` and `page`, Overview's and Trends' `marks`, Latest quarter's `q`. They select no case:
  `to_sql` and `describe` leave them out, other pages keep them in their links, extracts leave
  them out with a note;
- defaults are omitted, parameters come in a fixed order and list values in a fixed order.

Bad input never raises: each ignored parameter gives one human-readable note (at most 25, then
a count). Caps: 20 values per list parameter, 100 characters per value, 4,000 characters per
query. A Filters always fits in a 4,000-character link, so `from_query(f.to_query())[0] == f`
for every Filters. A pair with malformed percent-encoding or bytes that are not UTF-8 (a lone
surrogate, overlong forms) is ignored whole rather than decoded with replacement characters;
text values must be printable (no control, format or invisible characters); codes and quarters
are ASCII. An empty value (`pt=`, `sex`) means "not set" and is dropped without a note.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dashboard import filter_words
from dashboard.filter_codes import (
    ALL_GEOGRAPHIES,
    DEFAULT_CASE_SORT,
    DEFAULT_EVENT_SPLIT,
    DEFAULT_EVENT_TOP,
    MAX_QUERY_CHARS,
)
from dashboard.filter_params import (
    PARAMS,
    VIEW_FIELDS,
    as_text,
    canonical_list,
    check_scalar,
    encode,
)
from dashboard.filter_query import capped, read_query
from dashboard.filter_sql import where_clause
from dashboard.tables import ALLOWED as ALLOWED_TABLES
from dashboard.tables import FULL, Tables

_ALIAS = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class Filters:
    """What is selected. Lists are OR within a field; fields are AND together."""

    population: str = "kratom"
    date_field: str = "received"
    date_from: str | None = None
    date_to: str | None = None
    role: str = "any"
    kratom_only: bool | None = None
    product_types: tuple[str, ...] = ()
    serious_only: bool = False
    duplicates: str = "show"  # "hide" sets aside probable duplicates (model.cases.duplicate_of)
    outcomes: tuple[str, ...] = ()
    sexes: tuple[str, ...] = ()
    age_bands: tuple[str, ...] = ()
    reporter_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    event_groups: tuple[str, ...] = ()
    pts: tuple[str, ...] = ()
    substances: tuple[str, ...] = ()
    substance_classes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ("faers-quarterly",)
    geography: str = ALL_GEOGRAPHIES  # the Poison centers page's; no case is filtered by it
    # The pages' own controls (view keys): no case is filtered by them either.
    events_top: int = DEFAULT_EVENT_TOP  # Event types: preferred terms charted
    events_split: str = DEFAULT_EVENT_SPLIT  # Event types: what event groups are compared across
    signals_level: str = "pt"  # Signals: preferred terms or event groups
    signals_plot: str = "a"  # Signals: the forest plot's top by cases or by the lower bound
    signals_term: str | None = None  # Signals: the row whose cumulative history is drawn
    cases_sort: str = DEFAULT_CASE_SORT  # Cases: `<column>:<asc|desc>`
    cases_page: int = 1  # Cases: the table's page, from 1
    show_marks: bool = True  # Overview and Trends: the dated events' triangles
    latest_quarter: str | None = None  # Latest quarter: the quarter shown (None: the newest file)

    def __post_init__(self) -> None:
        for param in PARAMS:
            value = getattr(self, param.field)
            if param.many:
                object.__setattr__(self, param.field, canonical_list(param, value))
            elif value is not None or _DEFAULTS[param.field] is not None:
                check_scalar(param, value)
        if not self.sources:
            raise ValueError("sources: choose at least one source")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if len(self.to_query()) > MAX_QUERY_CHARS:
            raise ValueError(f"too much to share as a link (over {MAX_QUERY_CHARS} characters)")

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any]) -> tuple[Filters, list[str]]:
        """Parse a URL query (string or mapping); ignore bad parts with one note each."""
        values, notes = read_query(query)
        try:
            return cls(**values), capped(notes)
        except ValueError as exc:  # not expected: every value was checked; never raise anyway
            return cls(), capped([*notes, f"ignored the whole query: {exc}"])

    def to_query(self) -> str:
        """The canonical query string, without a leading '?'; defaults are omitted."""
        pairs: list[tuple[str, str]] = []
        for param in PARAMS:
            value = getattr(self, param.field)
            if value == _DEFAULTS[param.field]:
                continue
            for item in value if param.many else (value,):
                pairs.append((param.key, as_text(item)))
        return encode(pairs)

    def to_sql(self, case_alias: str = "c", tables: Tables = FULL) -> tuple[str, list[Any]]:
        """A WHERE fragment over `model.cases <case_alias>` with `?` placeholders, and params.

        `tables` names the events and substances tables its EXISTS sub-queries read (the full
        tables by default; `dashboard.queries.tables` chooses the kratom slice when it can), and
        whether its cases table has the probable-duplicate flags `duplicates=hide` reads.
        """
        if not _ALIAS.fullmatch(case_alias) or case_alias in ("e", "s"):
            raise ValueError(f"bad table alias {case_alias!r}")
        if tables not in ALLOWED_TABLES:
            raise ValueError(f"not an allowed set of tables: {tables!r}")
        return where_clause(self, case_alias, tables)

    def describe(self) -> str:
        """One plain-English sentence of what is selected."""
        return filter_words.describe(self)

    def with_changes(self, **changes: Any) -> Filters:
        return dataclasses.replace(self, **changes)

    def is_default(self) -> bool:
        return self == Filters()

    def selection(self) -> Filters:
        """These filters with every view key at its default: what selects the cases."""
        return dataclasses.replace(self, **{field: _DEFAULTS[field] for field in VIEW_FIELDS})

    def quarter_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """First day of `date_from`, and the first day after `date_to` (exclusive end)."""
        start = _quarter_start(self.date_from) if self.date_from else None
        end = _quarter_start(self.date_to, after=True) if self.date_to else None
        return start, end


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Filters)}


def _quarter_start(quarter: str, *, after: bool = False) -> dt.date:
    year, q = int(quarter[:4]), int(quarter[5]) + (1 if after else 0)
    return dt.date(year + (q - 1) // 4, 3 * ((q - 1) % 4) + 1, 1)
