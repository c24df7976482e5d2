"""Hostile links through Filters: every URL key × every hostile value, and whole hostile queries.

For each: parsing never raises, the SQL text holds nothing but allow-listed words and `?`
placeholders (the hostile text may travel only as a parameter), what was ignored is named in a
note, and lists and links stay within their caps.
"""

from __future__ import annotations

import re

import pytest

from dashboard import filter_codes as fm
from dashboard import filter_params
from dashboard.db import Database
from dashboard.filters import Filters
from tests.hostile_values import MANY_LIST, QUERIES, REPEATED_LIST, VALUES, query_for

# Every word the WHERE fragment may contain: keywords, and columns and tables, written out by hand.
SQL_WORDS = {
    "AND", "OR", "NOT", "IN", "IS", "NULL", "EXISTS", "SELECT", "FROM", "WHERE", "TRUE", "upper",
    "model.case_events", "model.case_substances", "e", "s",
    "e.case_id", "e.pt", "e.event_group",
    "s.case_id", "s.is_kratom", "s.substance_name", "s.substance_class",
    "c.case_id", "c.is_kratom", "c.kratom_role", "c.is_kratom_only", "c.received_date",
    "c.event_date", "c.is_serious", "c.has_death", "c.has_life_threatening",
    "c.has_hospitalisation", "c.has_disability", "c.has_congenital_anomaly",
    "c.has_required_intervention", "c.has_other_serious", "c.kratom_product_type", "c.sex",
    "c.age_band", "c.reporter_type", "c.country_code", "c.source", "c.duplicate_of",
}  # fmt: skip
SQL_TOKEN = re.compile(r"\s+|[A-Za-z_]\w*(?:\.\w+)?|\?|>=|<|=|[(),]|1")

TEXT_KEYS = ("pt", "substance")  # free text: any printable value up to 100 characters is kept
VIEW_TEXT_KEYS = ("term",)  # free text too (Signals' row), but a view key: never in the SQL
KEPT_AS_TEXT = {
    "sql_or", "sql_drop", "sql_union", "sql_comment", "double_quote", "emoji", "combining",
    "html", "quarter_9999q9", "quarter_0000q0", "arabic_digits", "fullwidth_code", "eszett",
    "negative", "huge_number", "float", "nan", "percent", "null_word",
}  # fmt: skip
BLANK = {"empty", "spaces"}  # "not set": dropped without a note


def assert_bound_only(f: Filters) -> tuple[str, list]:
    """The SQL is made of allow-listed words, operators and `?`; one parameter per `?`."""
    sql, params = f.to_sql()
    tokens = SQL_TOKEN.findall(sql)
    assert "".join(tokens) == sql, f"unexpected characters in {sql!r}"
    words = {t for t in tokens if t[0].isalpha() or t[0] == "_"}
    assert words <= SQL_WORDS, words - SQL_WORDS
    assert sql.count("?") == len(params)
    return sql, params


@pytest.mark.parametrize("name", list(VALUES))
@pytest.mark.parametrize("key", filter_params.KEYS)
def test_every_key_with_every_hostile_value(key, name):
    value = VALUES[name]
    f, notes = Filters.from_query(query_for(key, value))
    sql, params = assert_bound_only(f)
    if key in TEXT_KEYS and name in KEPT_AS_TEXT:
        assert getattr(f, filter_params.FIELDS[key]) == (value,)
        assert notes == []
        assert value.upper() in params
        assert value not in sql and value.upper() not in sql
    elif key in VIEW_TEXT_KEYS and name in KEPT_AS_TEXT:
        assert getattr(f, filter_params.FIELDS[key]) == value
        assert notes == []
        assert (sql, params) == Filters().to_sql()  # selects no case: neither SQL nor parameter
    elif name in BLANK:
        assert (f, notes) == (Filters(), [])
    else:
        assert f == Filters()
        assert len(notes) == 1
        assert notes[0].startswith(f"ignored '{key}="), notes
        assert all(c.isprintable() for c in notes[0])  # control characters are shown escaped
        assert len(notes[0]) < 400  # the value is shown shortened (40 characters)


@pytest.mark.parametrize("name", list(VALUES))
def test_every_hostile_value_as_a_geography_name(name):
    """`geo=state:<value>`: kept exactly when the value would be kept as free text; never SQL."""
    geography = "state:" + VALUES[name]
    f, notes = Filters.from_query(query_for("geo", geography))
    assert f.to_sql() == Filters().to_sql()
    if name in KEPT_AS_TEXT:
        assert (f, notes) == (Filters(geography=geography), [])
        assert Filters.from_query(f.to_query()) == (f, [])
    else:  # blank names, control and invisible characters, over 100 characters
        assert f == Filters()
        assert len(notes) == 1 and notes[0].startswith("ignored 'geo=state"), notes  # or %3A


@pytest.mark.parametrize("name", list(VALUES))
def test_the_duplicates_switch_beside_hostile_text(name):
    """`duplicates=hide` beside a hostile free-text value: the value stays a parameter, and the
    switch adds only an allow-listed condition. (`duplicates=<hostile>` itself is ignored with
    one note in test_every_key_with_every_hostile_value.)"""
    f, _ = Filters.from_query("duplicates=hide&" + query_for("pt", VALUES[name]))
    assert f.duplicates == "hide"
    sql, params = assert_bound_only(f)
    assert sql.count("c.duplicate_of IS NULL") == 1
    if name in KEPT_AS_TEXT:
        assert VALUES[name].upper() in params


@pytest.mark.parametrize("name", [n for n in VALUES if n not in BLANK])
def test_hostile_text_as_a_key_is_an_unknown_parameter(name):
    f, notes = Filters.from_query(query_for(VALUES[name], "F"))
    assert f == Filters()
    assert len(notes) == 1 and notes[0].startswith("ignored '")
    assert notes[0].endswith(("unknown parameter", "over 4,000 characters"))


def test_blank_keys_are_unknown_parameters():
    assert Filters.from_query("=F&%20%20%20=F") == (
        Filters(),
        ["ignored '=F': unknown parameter", "ignored '   =F': unknown parameter"],
    )


def test_kept_hostile_text_matches_nothing_in_the_fixture_database(model_db):
    """Every kept hostile value runs as a bound value against the real model: no case has it."""
    db = Database(model_db)
    for key in TEXT_KEYS:
        for name in sorted(KEPT_AS_TEXT):
            f, _ = Filters.from_query(query_for(key, VALUES[name]))
            sql, params = f.to_sql()
            n = db.scalar(f"SELECT count(*) FROM model.cases c WHERE {sql}", params)
            assert n == 0, (key, name)
    assert db.scalar("SELECT count(*) FROM model.cases") == 6  # the table is still there


CUT = "and the rest of the query: over 4,000 characters"
NOT_A_QUARTER = "not a quarter like 2016Q1"
NOT_A_GEOGRAPHY = "not all or a geography like state:TX (country, state, region, county)"
# What each hostile query keeps, and the notes it gives, worked out by hand.
EXPECTED = {
    "sql_in_every_key": (
        Filters(pts=("x') UNION SELECT case_id FROM model.cases --",)),
        [
            "ignored 'role=primary' OR 1=1 --': not one of any, suspect, primary",
            "ignored 'sex=F; DROP TABLE model.cases': not one of F, M, U",
            f"ignored 'from=2012Q1'--': {NOT_A_QUARTER}",
        ],
    ),
    "sql_in_a_key": (Filters(sexes=("F",)), ["ignored '' OR 1=1 --=1': unknown parameter"]),
    "repeated_list": (Filters(sexes=("F",)), [f"ignored 'sex=F' {CUT}"]),
    "huge_value": (Filters(sexes=("F",)), [f"ignored 'pt={'A' * 37}…' {CUT}"]),
    "huge_key": (Filters(), [f"ignored '{'A' * 40}…' {CUT}"]),
    "unknown_params": (
        Filters(role="primary"),
        [
            f"ignored '{p}': unknown parameter"
            for p in ("bogus=1", "Sex=F", "utm_source=x", "__proto__=1", "constructor=1")
        ],
    ),
    "repeated_scalar": (
        Filters(role="primary", date_from="2012Q1"),
        [
            "ignored 'role=suspect': 'role' was already given",
            "ignored 'role=any': 'role' was already given",
            "ignored 'from=2020Q1': 'from' was already given",
        ],
    ),
    "malformed_percent": (
        Filters(role="primary"),
        [
            "ignored 'pt=%ZZ%4': malformed percent-encoding",
            "ignored 'substance=%': malformed percent-encoding",
            "ignored 'sex=%G0': malformed percent-encoding",
        ],
    ),
    "lone_surrogate": (
        Filters(role="primary"),
        [
            "ignored 'pt=%ED%A0%80': not valid UTF-8",
            "ignored 'substance=a%ED%B0%80b': not valid UTF-8",
        ],
    ),
    "overlong_utf8": (
        Filters(role="primary"),
        [
            "ignored 'pt=%C0%AF': not valid UTF-8",
            "ignored 'substance=%E0%80%AF': not valid UTF-8",
        ],
    ),
    "nul_and_controls": (
        Filters(role="primary"),
        [
            "ignored 'pt=a\\x00b': contains control or invisible characters",
            "ignored 'substance=\\x1b[31m': contains control or invisible characters",
            "ignored 'country=U\\x00S': not a two-letter country code (ISO 3166), EU or unknown",
        ],
    ),
    "rtl_and_emoji": (
        Filters(substances=("\U0001f48a",)),
        [
            "ignored 'pt=\\u202eesuaN': contains control or invisible characters",
            "ignored 'country=\U0001f1fa\U0001f1f8': not a two-letter country code (ISO 3166), "
            "EU or unknown",
        ],
    ),
    "out_of_range": (
        Filters(role="primary"),
        [
            f"ignored 'from=9999Q9': {NOT_A_QUARTER}",
            f"ignored 'to=-1': {NOT_A_QUARTER}",
            "ignored 'date=-1': not one of received, event",
            "ignored 'serious=2': not true or false",
            "ignored 'kratom_only=-0': not true or false",
        ],
    ),
    "reversed_dates": (
        Filters(role="primary"),
        ["ignored 'from=2021Q4' and 'to=2012Q1': the start is after the end"],
    ),
    "no_values": (Filters(role="primary"), ["ignored '=F': unknown parameter"]),
    "separators": (
        Filters(pts=("a,b",)),
        [
            "ignored 'sex=F;sex=M': not one of F, M, U",
            "ignored 'role=primary#fragment': not one of any, suspect, primary",
        ],
    ),
    "everything_default": (Filters(), []),
    "geography_forms": (
        Filters(role="primary", geography="state:' OR 1=1 --"),
        [
            f"ignored 'geo=planet:Mars': {NOT_A_GEOGRAPHY}",
            "ignored 'geo=state:TX': 'geo' was already given",
            f"ignored 'geo=State:TX': {NOT_A_GEOGRAPHY}",
        ],
    ),
    "view_forms": (
        Filters(
            role="primary", events_top=50, signals_level="event_group", signals_term="' OR 1=1 --"
        ),
        [
            "ignored 'top=20': 'top' was already given",
            "ignored 'page=0': not a page number from 1 to 1,000,000",
            "ignored 'sort=case_id:desc'--': not a column and direction like age_years:asc (a "
            "Cases column)",
            "ignored 'marks=2': not true or false",
        ],
    ),
}


def test_every_hostile_query_has_an_expectation():
    assert set(EXPECTED) == set(QUERIES) - {"many_list"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_queries_keep_what_is_valid_and_name_the_rest(name):
    f, notes = Filters.from_query(QUERIES[name])
    assert (f, notes) == EXPECTED[name]
    assert_bound_only(f)
    assert Filters.from_query(f.to_query()) == (f, [])  # what is kept is a clean link


def test_a_huge_list_is_capped_and_the_notes_are_counted():
    f, notes = Filters.from_query(MANY_LIST)
    assert f.pts == tuple(sorted(f"term{i}" for i in range(fm.MAX_VALUES)))
    # 4,000 characters hold term0–term372; 20 are kept, 353 refused, plus the cut note
    assert notes[0] == f"ignored 'pt=term373' {CUT}"
    assert notes[1] == "ignored 'pt=term20': at most 20 'pt' values"
    assert notes[-1] == "… and 329 more ignored parameters"
    assert len(notes) == fm.MAX_NOTES + 1
    _sql, params = assert_bound_only(f)
    assert params[1:] == [t.upper() for t in f.pts]  # after the source, the 20 terms


def test_the_same_list_as_a_mapping_is_capped_too():
    f, notes = Filters.from_query({"sex": ["F"] * 10_000, "pt": ["x"] * 10})
    assert (f, notes) == (Filters(sexes=("F",)), [f"ignored 'sex=F' {CUT}"])
    assert len(REPEATED_LIST) > 10 * fm.MAX_QUERY_CHARS


def test_a_lone_surrogate_in_decoded_text_is_refused():
    """Text that is already decoded (a mapping, or a command line in a broken locale)."""
    f, notes = Filters.from_query({"pt": "a\udc80b", "substance": "\ud800"})
    assert f == Filters()
    assert notes == [
        "ignored 'pt=a\\udc80b': contains control or invisible characters",
        "ignored 'substance=\\ud800': contains control or invisible characters",
    ]
    f, notes = Filters.from_query("pt=a\udc80b&sex=F")
    assert f == Filters(sexes=("F",))
    assert notes == ["ignored 'pt=a\\udc80b': not valid UTF-8"]


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("country=%C3%9F", Filters()),  # ß upper-cases to SS: not a code
        ("country=%EF%BC%B5%EF%BC%B3", Filters()),  # fullwidth ＵＳ
        ("from=%D9%A2%D9%A0%D9%A1%D9%A6Q1", Filters()),  # Arabic-Indic digits
        ("country=us&from=2016q1", Filters(countries=("US",), date_from="2016Q1")),
    ],
)
def test_codes_and_quarters_are_ascii(query, kept):
    assert Filters.from_query(query)[0] == kept
