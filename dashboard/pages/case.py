"""One case in full: demographics, dates, substances, events, outcomes, indications, therapies and
every report version read. Reached from the case table; not in the navigation bar.

The case id comes from the path: it is checked (at most 20 digits after an optional minus, as
openFDA cases without an all-digit id have negative ids) before any query and always bound. A
malformed or unknown id gives a plain "no such case" message, never an error.
A `case_id` query parameter does not override the path (Dash's router would let it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import components, runtime
from dashboard.callbacks import RAW_PATH, page_query
from dashboard.case_tables import ERAS, as_text, details, section, versions_section
from dashboard.filters import Filters
from dashboard.queries import cases as q


def _title(case_id: str | None = None, **_: Any) -> str:
    cid = q.parse_case_id(case_id)
    return f"Kratom harms watch: case {cid}" if cid is not None else "Kratom harms watch: case"


dash.register_page(
    __name__, path_template="/case/<case_id>", name="Case", title=_title, order=99, nav=False
)

P = "case"
PRECISION = {"year": "%Y (year only)", "month": "%Y-%m (month only)", "day": "%Y-%m-%d"}
REPORT_TYPES = {
    "EXP": "expedited (15-day) manufacturer report",
    "PER": "periodic manufacturer report",
    "DIR": "direct report to FDA",
    "5DAY": "5-day report",
    "30DAY": "30-day report",
}


def _age(years: float | None, band: str | None) -> str:
    if years is None:
        return f"not reported (band: {band or 'unknown'})"
    if years < 28 / 365.25:
        text = f"{years * 365.25:.0f} days"
    elif years < 2:
        text = f"{years * 12:.0f} months"
    else:
        text = f"{years:g} years"
    return f"{text} (band {band})"


def _event_date(date: dt.date | None, precision: str | None) -> str:
    if date is None:
        return "not reported"
    return date.strftime(PRECISION.get(precision or "day", "%Y-%m-%d"))


def _facts(pairs: list[tuple[str, Any]]) -> html.Dl:
    items: list = []
    for term, value in pairs:
        items += [
            html.Dt(term, className="col-sm-4 fw-normal text-muted"),
            html.Dd(value, className="col-sm-8 mb-1"),
        ]
    return html.Dl(items, className="row small mb-0")


def _back(query: dict) -> dcc.Link:
    text = page_query(query)
    return dcc.Link("← Back to the case table", href="/cases" + (f"?{text}" if text else ""))


def _no_such_case(query: dict, reason: str, heading: str = "No such case") -> html.Div:
    return html.Div(
        [
            html.H1(heading, className="h4"),
            dbc.Alert(reason, color="info", className="small", id=f"{P}-missing"),
            _back(query),
        ]
    )


def _summary(c: dict[str, Any]) -> dbc.Row:
    labels = components.LABELS
    report = [
        (
            "Kept version",
            f"{c['primary_id']} (file {c['quarter']}, {ERAS.get(c['era'], c['era'])})",
        ),
        ("Report type", as_text(c["report_type"], REPORT_TYPES)),
        ("Reporter", as_text(c["reporter_type"], labels["reporter_types"])),
        ("First received by FDA", as_text(c["received_date"])),
        ("Latest version received", as_text(c["latest_received_date"])),
        ("Event date", _event_date(c["event_date"], c["event_date_precision"])),
    ]
    patient = [
        ("Age", _age(c["age_years"], c["age_band"])),
        ("Sex", as_text(c["sex"], labels["sexes"])),
        ("Weight", "–" if c["weight_kg"] is None else f"{c['weight_kg']:g} kg"),
        ("Country", as_text(c["country_code"])),
        ("Kratom role", as_text(c["kratom_role"], q.ROLE_WORDS)),
        ("Kratom product", as_text(c["kratom_product_type"], labels["product_types"])),
        ("Kratom the only substance", as_text(c["is_kratom_only"])),
    ]
    return dbc.Row(
        [
            dbc.Col(section("Report", _facts(report)), md=6),
            dbc.Col(section("Patient and kratom", _facts(patient)), md=6),
        ]
    )


def _outcomes(c: dict[str, Any]) -> html.Section:
    named = [label for col, label in q.OUTCOME_COLUMNS.items() if c[col]]
    body = (
        html.Ul([html.Li(n) for n in named], className="small mb-0", id=f"{P}-outcomes")
        if named
        else html.P("No serious outcome reported.", className="small", id=f"{P}-outcomes")
    )
    return section("Serious outcomes", body)


def _badges(c: dict[str, Any]) -> list:
    flags = [
        (c["is_kratom"], "Kratom case", "primary"),
        (c["is_serious"], "Serious", "warning"),
        (c["has_death"], "Death reported", "danger"),
        (c["is_synthetic"], "Synthetic data", "secondary"),
        (c.get("duplicate_of") is not None, "Probable duplicate", "info"),
    ]
    return [dbc.Badge(text, color=colour, className="me-1") for on, text, colour in flags if on]


def _filters_note(db: Any, cid: int, query: dict) -> html.P | dbc.Alert | None:
    """Whether the case is among those the link's filters select: a case opens by its number
    whatever the filters, while the charts, the case table and the downloads count only those.
    Said when it is not, and, when the link sets filters, when it is; nothing for a case of the
    default selection opened with none."""
    f, _ = Filters.from_query(page_query(query))
    sentence = f.describe().removesuffix(".")
    if not q.case_matches(db, f, cid):
        return dbc.Alert(
            [
                html.Strong("Not among the cases the link's filters select "),
                f"({sentence}): a case opens by its number whatever the filters. The charts, "
                "the case table and the downloads count only the cases the filters select.",
            ],
            color="warning",
            className="py-2 small",
            id=f"{P}-filters",
        )
    if f.selection() == Filters().selection():
        return None
    return html.P(
        f"Among the cases the link's filters select ({sentence}).",
        className="small text-muted mb-2",
        id=f"{P}-filters",
    )


def layout(case_id: str | None = None, **query) -> html.Div:
    path = query.get(RAW_PATH)
    if isinstance(path, str) and path.startswith("/case/"):
        case_id = path.removeprefix("/case/")
    cid = q.parse_case_id(case_id)
    shown = str(case_id or "")[:40]
    if cid is None:
        return _no_such_case(
            query,
            f"No such case: '{shown}' is not a case number (at most 20 digits, after an "
            "optional minus).",
        )
    db = runtime.database()
    record = q.case_record(db, cid)
    if record is None:
        versions = q.case_versions(db, cid)
        if versions.is_empty():
            return _no_such_case(query, f"No such case: {cid} is not in the database.")
        return html.Div(
            [
                _no_such_case(
                    query,
                    f"Case {cid} was read but is not counted: FDA lists it as deleted.",
                    f"Case {cid} is not counted",
                ),
                versions_section(versions),
            ]
        )
    return html.Div(
        [
            _back(query),
            html.H1([f"Case {cid} ", *_badges(record)], className="h4 mt-2", id=f"{P}-title"),
            html.P(components.CAUSATION, className="small text-muted"),
            _filters_note(db, cid, query),
            _summary(record),
            _outcomes(record),
            *details(db, cid, bool(record["is_kratom"])),
        ]
    )
