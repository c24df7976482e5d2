"""The one filter model of every page and extract: URL query ⇄ Filters ⇄ bound SQL ⇄ English.

URL form (`to_query` writes it, `from_query` reads it):
- list parameters repeat their key, one value each: `sex=F&sex=M` (commas are not separators,
  because preferred terms and substance names may contain them);
- dates are quarters, `from=2016Q1&to=2025Q4`, inclusive, on the received date unless
  `date=event`;
- `population=all` (for trends and signals backgrounds) drops the kratom restriction and the
  kratom-only criteria (role, kratom_only, product); everything else still applies;
- `geo=state:TX` (`<type>:<name>`, or `all`) is the Poison centers page's geography of the
  published figures: not a case filter, so `to_sql` and `describe` leave it out, the other pages
  ignore it and keep it in their links, and case extracts leave it out with a note;
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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_to_bytes, urlencode

from dashboard.tables import ALLOWED as ALLOWED_TABLES
from dashboard.tables import FULL, Tables

MAX_VALUES = 20
MAX_VALUE_CHARS = 100
MAX_QUERY_CHARS = 4000
MAX_NOTES = 25

DATE_FIELDS = {"received": "received_date", "event": "event_date"}
ROLES = {"any": (), "suspect": ("PS", "SS"), "primary": ("PS",)}  # role -> kratom_role codes
POPULATIONS = ("kratom", "all")
PRODUCT_TYPES = ("leaf_powder", "extract", "concentrate_7oh", "mixed_product", "unspecified")
OUTCOMES = {
    "death": "has_death",
    "life_threatening": "has_life_threatening",
    "hospitalisation": "has_hospitalisation",
    "disability": "has_disability",
    "congenital_anomaly": "has_congenital_anomaly",
    "required_intervention": "has_required_intervention",
    "other_serious": "has_other_serious",
}
SEXES = ("F", "M", "U")
AGE_BANDS = ("0-27d", "28d-23m", "2-11", "12-17", "18-64", "65-74", "75-84", "85+", "unknown")
REPORTER_TYPES = (
    "physician",
    "pharmacist",
    "other_health_professional",
    "consumer",
    "lawyer",
    "unknown",
)
EVENT_GROUPS = (
    "death",
    "overdose_toxicity",
    "dependence_withdrawal",
    "seizure",
    "liver_injury",
    "cardiovascular",
    "respiratory_depression",
    "psychiatric_mood",
    "cognitive_neurological",
    "gastrointestinal",
    "product_quality",
    "neonatal",
    "other",
)
SUBSTANCE_CLASSES = (
    "opioids",
    "benzodiazepines",
    "stimulants",
    "alcohol",
    "antidepressants",
    "antipsychotics",
    "gabapentinoids",
    "cannabinoids",
    "other_botanicals",
    "kratom",
    "other",
)
SOURCES = ("faers-quarterly", "openfda-faers", "openfda-caers")
GEOGRAPHY_TYPES = ("country", "state", "region", "county")  # model.poison_center_figures
ALL_GEOGRAPHIES = "all"
# The code of each list that also matches NULL in the database ("not known").
UNKNOWN_CODES = {"sexes": "U", "age_bands": "unknown", "countries": "unknown"}
UNKNOWN_CODES |= {"reporter_types": "unknown", "product_types": "unspecified"}

_QUARTER = re.compile(r"([0-9]{4})Q([1-4])")
_COUNTRY = re.compile(r"[A-Z]{2}")
_ALIAS = re.compile(r"[a-z_][a-z0-9_]*")
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
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


@dataclass(frozen=True)
class _Param:
    key: str  # the URL key
    field: str  # the Filters attribute
    parse: Callable[[str], Any]  # raw text -> canonical value; ValueError says why not
    many: bool = False
    order: tuple[str, ...] | None = None  # list order of codes; other lists sort by text


_PARAMS = (
    _Param("population", "population", _choice(POPULATIONS)),
    _Param("date", "date_field", _choice(tuple(DATE_FIELDS))),
    _Param("from", "date_from", _quarter),
    _Param("to", "date_to", _quarter),
    _Param("role", "role", _choice(tuple(ROLES))),
    _Param("kratom_only", "kratom_only", _flag),
    _Param("product", "product_types", _choice(PRODUCT_TYPES), True, PRODUCT_TYPES),
    _Param("serious", "serious_only", _flag),
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
)
_BY_KEY = {p.key: p for p in _PARAMS}
KEYS = tuple(_BY_KEY)  # every URL key, in link order
FIELDS = {p.key: p.field for p in _PARAMS}  # URL key -> Filters attribute


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

    def __post_init__(self) -> None:
        for param in _PARAMS:
            value = getattr(self, param.field)
            if param.many:
                object.__setattr__(self, param.field, _canonical_list(param, value))
            elif value is not None or _DEFAULTS[param.field] is not None:
                _check_scalar(param, value)
        if not self.sources:
            raise ValueError("sources: choose at least one source")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        if len(self.to_query()) > MAX_QUERY_CHARS:
            raise ValueError(f"too much to share as a link (over {MAX_QUERY_CHARS} characters)")

    @classmethod
    def from_query(cls, query: str | Mapping[str, Any]) -> tuple[Filters, list[str]]:
        """Parse a URL query (string or mapping); ignore bad parts with one note each."""
        notes: list[str] = []
        values: dict[str, Any] = {}
        budget = MAX_QUERY_CHARS
        for key, raw, problem in _pairs(query, notes):
            if problem:
                notes.append(problem)
                continue
            budget -= _accept(key, raw.strip(), values, budget, notes)
        _drop_reversed_dates(values, notes)
        try:
            return cls(**values), _capped(notes)
        except ValueError as exc:  # not expected: every value was checked; never raise anyway
            return cls(), _capped([*notes, f"ignored the whole query: {exc}"])

    def to_query(self) -> str:
        """The canonical query string, without a leading '?'; defaults are omitted."""
        pairs: list[tuple[str, str]] = []
        for param in _PARAMS:
            value = getattr(self, param.field)
            if value == _DEFAULTS[param.field]:
                continue
            for item in value if param.many else (value,):
                pairs.append((param.key, _as_text(item)))
        return _encode(pairs)

    def to_sql(self, case_alias: str = "c", tables: Tables = FULL) -> tuple[str, list[Any]]:
        """A WHERE fragment over `model.cases <case_alias>` with `?` placeholders, and params.

        `tables` names the events and substances tables its EXISTS sub-queries read (the full
        tables by default; `dashboard.queries.tables` chooses the kratom slice when it can).
        """
        if not _ALIAS.fullmatch(case_alias) or case_alias in ("e", "s"):
            raise ValueError(f"bad table alias {case_alias!r}")
        if tables not in ALLOWED_TABLES:
            raise ValueError(f"not an allowed set of tables: {tables!r}")
        return _where_clause(self, case_alias, tables)

    def describe(self) -> str:
        """One plain-English sentence of what is selected."""
        return _describe(self)

    def with_changes(self, **changes: Any) -> Filters:
        return dataclasses.replace(self, **changes)

    def is_default(self) -> bool:
        return self == Filters()

    def quarter_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """First day of `date_from`, and the first day after `date_to` (exclusive end)."""
        start = _quarter_start(self.date_from) if self.date_from else None
        end = _quarter_start(self.date_to, after=True) if self.date_to else None
        return start, end


_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Filters)}


def _quarter_start(quarter: str, *, after: bool = False) -> dt.date:
    year, q = int(quarter[:4]), int(quarter[5]) + (1 if after else 0)
    return dt.date(year + (q - 1) // 4, 3 * ((q - 1) % 4) + 1, 1)


def _encode(pairs: list[tuple[str, str]]) -> str:
    """Form encoding; `:` stays as it is (allowed in a query), so links read `geo=state:TX`."""
    return urlencode(pairs, safe=":")


def _as_text(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _check_scalar(param: _Param, value: Any) -> None:
    flag = param.parse is _flag
    if flag != isinstance(value, bool) or (not flag and not isinstance(value, str)):
        raise ValueError(f"{param.field}: bad value {value!r}")
    _check_parses(param, _as_text(value), value)


def _check_parses(param: _Param, text: str, value: Any) -> None:
    try:
        canonical = param.parse(text)
    except ValueError as exc:
        raise ValueError(f"{param.field}: {value!r} {exc}") from None
    if canonical != value:
        raise ValueError(f"{param.field}: {value!r} is not in canonical form ({canonical!r})")


def _canonical_list(param: _Param, value: Any) -> tuple[str, ...]:
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


def _show(text: str, limit: int = 40) -> str:
    """A value as it may safely appear in a note: shortened, control characters escaped."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in short)


def ignored(key: str, value: str, why: str) -> str:
    """A note as every ignored parameter gets it: `ignored 'key=value': why` (value shortened)."""
    return f"ignored '{_show(key)}={_show(value)}': {why}"


def _cut_note(rest: str) -> str:
    first = rest.lstrip("&").split("&", 1)[0]
    over = f"over {MAX_QUERY_CHARS:,} characters"
    return f"ignored '{_show(first)}' and the rest of the query: {over}"


def _pairs(query: str | Mapping[str, Any], notes: list[str]) -> list[tuple[str, str, str | None]]:
    """(key, value, problem) of a query string or mapping, cut at MAX_QUERY_CHARS.

    `problem` is a note when the pair cannot be read (then key and value are empty).
    """
    if isinstance(query, Mapping):
        flat = []
        for key, value in query.items():
            items = value if isinstance(value, list | tuple) else [value]
            flat += [(str(key), str(item)) for item in items if item is not None]
        kept: list[tuple[str, str, str | None]] = []
        used = 0
        for key, value in flat:
            used += len(key) + len(value) + 2
            if used > MAX_QUERY_CHARS:
                notes.append(_cut_note(f"{key}={value}"))
                break
            kept.append((key, value, None))
        return kept
    text = str(query).removeprefix("?")
    if len(text) > MAX_QUERY_CHARS:
        head = text[: MAX_QUERY_CHARS + 1]
        cut = head.rfind("&") if "&" in head else 0
        notes.append(_cut_note(text[cut:]))
        text = text[:cut]
    return [_pair(part) for part in text.split("&") if part]


def _pair(part: str) -> tuple[str, str, str | None]:
    """One `key=value` of a query string, decoded strictly (percent-escapes, then UTF-8)."""
    key, _, value = part.partition("=")
    try:
        return _decode(key), _decode(value), None
    except ValueError as exc:
        return "", "", f"ignored '{_show(part)}': {exc}"


def _decode(text: str) -> str:
    """Form decoding ('+' is a space) that refuses what a replacement character would hide."""
    text = text.replace("+", " ")
    if _BAD_ESCAPE.search(text):
        raise ValueError("malformed percent-encoding")
    try:
        return unquote_to_bytes(text).decode("utf-8")
    except UnicodeError:  # UnicodeEncodeError (lone surrogates) or UnicodeDecodeError
        raise ValueError("not valid UTF-8") from None


def _accept(key: str, value: str, values: dict[str, Any], budget: int, notes: list[str]) -> int:
    """Store one parameter in `values` when valid; returns the link characters it used."""
    param = _BY_KEY.get(key)
    shown = f"'{_show(key)}={_show(value)}'"
    if param is None:
        notes.append(f"ignored {shown}: unknown parameter")
        return 0
    if not value:
        return 0
    if len(value) > MAX_VALUE_CHARS:
        notes.append(f"ignored {shown}: longer than {MAX_VALUE_CHARS} characters")
        return 0
    try:
        parsed = param.parse(value)
    except ValueError as exc:
        notes.append(f"ignored {shown}: {exc}")
        return 0
    current = values.get(param.field, [])
    if (param.many and parsed in current) or (not param.many and param.field in values):
        if not param.many:
            notes.append(f"ignored {shown}: '{key}' was already given")
        return 0
    if param.many and len(current) >= MAX_VALUES:
        notes.append(f"ignored {shown}: at most {MAX_VALUES} '{key}' values")
        return 0
    cost = len(_encode([(key, _as_text(parsed))])) + 1
    if cost > budget:
        notes.append(f"ignored {shown}: the link would be over {MAX_QUERY_CHARS:,} characters")
        return 0
    values[param.field] = [*current, parsed] if param.many else parsed
    return cost


def _drop_reversed_dates(values: dict[str, Any], notes: list[str]) -> None:
    start, end = values.get("date_from"), values.get("date_to")
    if start and end and start > end:
        notes.append(f"ignored 'from={start}' and 'to={end}': the start is after the end")
        del values["date_from"], values["date_to"]


def _capped(notes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(notes))
    if len(unique) <= MAX_NOTES:
        return unique
    return [*unique[:MAX_NOTES], f"… and {len(unique) - MAX_NOTES} more ignored parameters"]


# --- SQL: column names only from the allow-lists above; every value is a bound parameter ---

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


def _where_clause(f: Filters, a: str, t: Tables) -> tuple[str, list[Any]]:
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


# --- English ---

ROLE_WORDS = {
    "any": "kratom in any role",
    "suspect": "kratom as a suspect",
    "primary": "kratom as the primary suspect",
}
SOURCE_WORDS = {
    "faers-quarterly": "FAERS quarterly files",
    "openfda-faers": "openFDA FAERS",
    "openfda-caers": "openFDA CAERS",
}
SEX_WORDS = {"F": "female", "M": "male", "U": "sex unknown"}
REPORTER_WORDS = {
    "physician": "a physician",
    "pharmacist": "a pharmacist",
    "other_health_professional": "another health professional",
    "consumer": "a consumer",
    "lawyer": "a lawyer",
    "unknown": "an unknown reporter",
}


_SLASHED = {
    "leaf_powder": "leaf/powder",
    "concentrate_7oh": "7-OH concentrate",
    "overdose_toxicity": "overdose/toxicity",
    "dependence_withdrawal": "dependence/withdrawal",
    "psychiatric_mood": "psychiatric/mood",
    "cognitive_neurological": "cognitive/neurological",
}


def _words(code: str) -> str:
    return _SLASHED.get(code, code.replace("_", " "))


def _either(items: list[str] | tuple[str, ...], word: str = "or") -> str:
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


def _quoted(items: tuple[str, ...]) -> str:
    return _either([f"'{item}'" for item in items])


def _describe_dates(f: Filters) -> str:
    verb = "received" if f.date_field == "received" else "with the event"
    if f.date_from and f.date_to:
        return f" {verb} {f.date_from}–{f.date_to}"
    if f.date_from:
        return f" {verb} {f.date_from} or later"
    if f.date_to:
        return f" {verb} {f.date_to} or earlier"
    return ", all dates"


def _clauses(f: Filters) -> list[str]:
    """The sentence's comma-separated parts after the head and dates."""
    out = []
    if f.population == "kratom" and f.kratom_only is not None:
        out.append("no substance but kratom" if f.kratom_only else "with other substances too")
    if f.population == "kratom" and f.product_types:
        out.append("product " + _either([_words(p) for p in f.product_types]))
    if f.serious_only:
        out.append("serious only")
    if f.outcomes:
        out.append("outcome " + _either([_words(o) for o in f.outcomes]))
    if f.sexes:
        out.append(_either([SEX_WORDS[s] for s in f.sexes]))
    if f.age_bands:
        out.append("age band " + _either(f.age_bands))
    if f.reporter_types:
        out.append("reported by " + _either([REPORTER_WORDS[r] for r in f.reporter_types]))
    if f.countries:
        out.append("country " + _either(f.countries))
    if f.event_groups:
        out.append("event group " + _either([_words(g) for g in f.event_groups]))
    if f.pts:
        out.append("preferred term " + _quoted(f.pts))
    if f.substances:
        out.append("co-reported with " + _quoted(f.substances))
    if f.substance_classes:
        out.append("with a co-exposure to " + _either([_words(c) for c in f.substance_classes]))
    return out


def _describe(f: Filters) -> str:
    head = "All cases (kratom or not)"
    if f.population == "kratom":
        head = f"Kratom cases ({ROLE_WORDS[f.role]})"
    clauses = "".join(f", {clause}" for clause in _clauses(f))
    sources = _either([SOURCE_WORDS[s] for s in f.sources], "and")
    return f"{head}{_describe_dates(f)}{clauses}, from {sources}."
