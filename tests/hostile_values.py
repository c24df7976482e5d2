"""Hostile input shared by the filter, server, export and browser tests.

Three kinds:
- VALUES: decoded text to put in any URL parameter (SQL fragments, unicode, huge strings, numbers
  out of range). `query_for(key, value)` percent-encodes one as `key=value`.
- QUERIES: whole query strings as they arrive on the wire, including what cannot be written as
  decoded text (malformed percent-encoding, a lone surrogate, overlong UTF-8) and repetition.
- CONTROL_VALUES: what a hand-made POST may put in a page control's value (wrong types,
  off-list choices, huge numbers), for the server tests' callback requests.
"""

from __future__ import annotations

from urllib.parse import quote

SQL_OR = "' OR 1=1 --"
SQL_DROP = "1; DROP TABLE model.cases"
SQL_UNION = "x') UNION SELECT case_id, NULL FROM model.cases --"
HUGE_TEXT = "A" * 100_000

VALUES: dict[str, str] = {
    "sql_or": SQL_OR,
    "sql_drop": SQL_DROP,
    "sql_union": SQL_UNION,
    "sql_comment": "F/**/OR/**/1=1",
    "double_quote": '"; SELECT 1; --',
    "huge_text": HUGE_TEXT,
    "just_over_cap": "B" * 101,
    "rtl_mark": "\u202eENIHPROM",
    "zero_width": "Nau\u200bsea",
    "emoji": "\U0001f48a\U0001f33f",
    "nul": "Nausea\x00",
    "newline": "Nausea\r\nSet-Cookie: x=1",
    "combining": "Z\u0351\u0324a\u0301\u0300l\u0302go",
    "html": "<script>alert(1)</script>",
    "quarter_9999q9": "9999Q9",
    "quarter_0000q0": "0000Q0",
    "arabic_digits": "\u0662\u0660\u0661\u0666Q1",
    "fullwidth_code": "\uff35\uff33",
    "eszett": "\u00df",
    "negative": "-1",
    "huge_number": "9" * 40,
    "float": "1e308",
    "nan": "NaN",
    "empty": "",
    "spaces": "   ",
    "percent": "%",
    "null_word": "NULL",
}

# A parameter with 10,000 values: one repeated, and all different.
REPEATED_LIST = "&".join(["sex=F"] * 10_000)
MANY_LIST = "&".join(f"pt=term{i}" for i in range(10_000))

QUERIES: dict[str, str] = {
    "sql_in_every_key": "role=primary%27%20OR%201%3D1%20--&sex=F%3B%20DROP%20TABLE%20model.cases"
    "&pt=x%27)%20UNION%20SELECT%20case_id%20FROM%20model.cases%20--&from=2012Q1%27--",
    "sql_in_a_key": "%27%20OR%201%3D1%20--=1&sex=F",
    "repeated_list": REPEATED_LIST,
    "many_list": MANY_LIST,
    "huge_value": "sex=F&pt=" + HUGE_TEXT,
    "huge_key": "A" * 100_000 + "=1&sex=F",
    "unknown_params": "bogus=1&Sex=F&utm_source=x&__proto__=1&constructor=1&role=primary",
    "repeated_scalar": "role=primary&role=suspect&role=any&from=2012Q1&from=2020Q1",
    "malformed_percent": "pt=%ZZ%4&substance=%&sex=%G0&role=primary",
    "lone_surrogate": "pt=%ED%A0%80&substance=a%ED%B0%80b&role=primary",
    "overlong_utf8": "pt=%C0%AF&substance=%E0%80%AF&role=primary",
    "nul_and_controls": "pt=a%00b&substance=%1B%5B31m&country=U%00S&role=primary",
    "rtl_and_emoji": "pt=%E2%80%AEesuaN&substance=%F0%9F%92%8A&country=%F0%9F%87%BA%F0%9F%87%B8",
    "out_of_range": "from=9999Q9&to=-1&date=-1&serious=2&kratom_only=-0&role=primary",
    "reversed_dates": "from=2021Q4&to=2012Q1&role=primary",
    "no_values": "sex&pt=&=F&&&role=primary",
    "separators": "sex=F;sex=M&pt=a,b&role=primary#fragment",
    "everything_default": "?",
    # the Poison centers page's geography: SQL in a well-formed name (kept: it never reaches
    # SQL, and the page finds no such geography), an unknown type, a repeat, a wrong case
    "geography_forms": "geo=planet:Mars&geo=state:%27%20OR%201%3D1%20--&geo=state:TX"
    "&role=primary&geo=State:TX",
    # the pages' own controls (view keys): a repeat, values off their lists, SQL in a Signals
    # term (kept: it never reaches SQL, and no row has it)
    "view_forms": "top=50&top=20&page=0&sort=case_id:desc%27--&term=%27%20OR%201%3D1%20--"
    "&marks=2&level=event_group&role=primary",
}

# Control values a crafted callback request may carry instead of what the control offers.
CONTROL_VALUES: dict[str, object] = {
    "none": None,
    "sql": SQL_OR,
    "huge_text": HUGE_TEXT,
    "negative": -1,
    "huge_int": 10**40,
    "float": 1e308,
    "list": ["' OR 1=1 --"] * 1_000,
    "dict": {"colId": SQL_DROP, "sort": "sideways"},
    "bool": True,
}


def query_for(key: str, value: str) -> str:
    """`key=value` percent-encoded as a browser would send it."""
    return f"{quote(key, safe='')}={quote(value, safe='')}"
