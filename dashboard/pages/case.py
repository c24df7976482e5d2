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
import polars as pl
from dash import dcc, html

from dashboard import components, runtime
from dashboard.callbacks import RAW_PATH, page_query
from dashboard.case_duplicates import duplicates_section
from dashboard.figures.indications import INDICATION_LABELS
from dashboard.queries import cases as q
from dashboard.queries import run_together


def _title(case_id: str | None = None, **_: Any) -> str:
    cid = q.parse_case_id(case_id)
    return f"Kratom harms watch: case {cid}" if cid is not None else "Kratom harms watch: case"


dash.register_page(
    __name__, path_template="/case/<case_id>", name="Case", title=_title, order=99, nav=False
)

P = "case"
PRECISION = {"year": "%Y (year only)", "month": "%Y-%m (month only)", "day": "%Y-%m-%d"}
ERAS = {"aers": "legacy AERS", "faers": "FAERS"}
REPORT_TYPES = {
    "EXP": "expedited (15-day) manufacturer report",
    "PER": "periodic manufacturer report",
    "DIR": "direct report to FDA",
    "5DAY": "5-day report",
    "30DAY": "30-day report",
}


def _value(value: Any, labels: dict[str, str] | None = None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return (labels or {}).get(value, str(value))


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


def _table(df: pl.DataFrame, headers: dict[str, str], empty: str, **labels) -> html.Div:
    """A small table of `df`'s columns named in `headers`; `empty` says why it has no rows."""
    if df.is_empty():
        return html.P(empty, className="small text-muted")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers.values()]))
    body = html.Tbody(
        [
            html.Tr([html.Td(_value(row[c], labels.get(c))) for c in headers])
            for row in df.iter_rows(named=True)
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, responsive=True, className="small")


def _section(title: str, *children) -> html.Section:
    return html.Section([html.H2(title, className="h6 mt-3"), *children])


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
        ("Report type", _value(c["report_type"], REPORT_TYPES)),
        ("Reporter", _value(c["reporter_type"], labels["reporter_types"])),
        ("First received by FDA", _value(c["received_date"])),
        ("Latest version received", _value(c["latest_received_date"])),
        ("Event date", _event_date(c["event_date"], c["event_date_precision"])),
    ]
    patient = [
        ("Age", _age(c["age_years"], c["age_band"])),
        ("Sex", _value(c["sex"], labels["sexes"])),
        ("Weight", "–" if c["weight_kg"] is None else f"{c['weight_kg']:g} kg"),
        ("Country", _value(c["country_code"])),
        ("Kratom role", _value(c["kratom_role"], q.ROLE_WORDS)),
        ("Kratom product", _value(c["kratom_product_type"], labels["product_types"])),
        ("Kratom the only substance", _value(c["is_kratom_only"])),
    ]
    return dbc.Row(
        [
            dbc.Col(_section("Report", _facts(report)), md=6),
            dbc.Col(_section("Patient and kratom", _facts(patient)), md=6),
        ]
    )


def _outcomes(c: dict[str, Any]) -> html.Section:
    named = [label for col, label in q.OUTCOME_COLUMNS.items() if c[col]]
    body = (
        html.Ul([html.Li(n) for n in named], className="small mb-0", id=f"{P}-outcomes")
        if named
        else html.P("No serious outcome reported.", className="small", id=f"{P}-outcomes")
    )
    return _section("Serious outcomes", body)


def _badges(c: dict[str, Any]) -> list:
    flags = [
        (c["is_kratom"], "Kratom case", "primary"),
        (c["is_serious"], "Serious", "warning"),
        (c["has_death"], "Death reported", "danger"),
        (c["is_synthetic"], "Synthetic data", "secondary"),
        (c.get("duplicate_of") is not None, "Probable duplicate", "info"),
    ]
    return [dbc.Badge(text, color=colour, className="me-1") for on, text, colour in flags if on]


SUBSTANCE_HEADERS = {
    "drug_seq": "#",
    "drugname": "Name reported",
    "prod_ai": "Active ingredient",
    "substance_name": "Substance",
    "substance_class": "Class",
    "role_code": "Role",
    "route": "Route",
    "dose_text": "Dose",
    "dose_form": "Form",
    "kratom_spelling": "Kratom spelling",
    "kratom_product_type": "Kratom product",
}
INDICATION_HEADERS = {
    "drug_seq": "Drug #",
    "indication_pt": "Indication",
    "indication_group": "Group",
    "is_kratom_drug": "For kratom",
}
THERAPY_HEADERS = {
    "drug_seq": "Drug #",
    "start_date": "Start",
    "end_date": "End",
    "dur": "Duration",
    "dur_cod": "Unit",
}


def _details(db, cid: int, kratom: bool) -> list:
    """Substances, events, indications, therapies and versions: five queries run at once."""
    not_stored = None if kratom else "Drug rows are stored for kratom cases only."
    substance_rows, event_rows, indications, therapies, versions, links = run_together(
        lambda: q.case_substances(db, cid),
        lambda: q.case_events(db, cid, kratom=kratom),
        lambda: q.case_indications(db, cid),
        lambda: q.case_therapies(db, cid),
        lambda: q.case_versions(db, cid),
        lambda: q.case_duplicates(db, cid),
    )
    substances = _table(
        substance_rows,
        SUBSTANCE_HEADERS,
        not_stored or "No drug rows.",
        role_code=q.ROLE_WORDS,
        kratom_product_type=components.LABELS["product_types"],
    )
    events = _table(
        event_rows,
        {"pt": "Preferred term", "event_group": "Event group"},
        "No reactions reported.",
        event_group=components.LABELS["event_groups"],
    )
    return [
        _section("Substances", substances),
        _section("Events (MedDRA preferred terms)", events),
        _section(
            "Indications",
            _table(
                indications,
                INDICATION_HEADERS,
                not_stored or "No indication reported.",
                indication_group=INDICATION_LABELS,
            ),
        ),
        _section(
            "Therapies",
            _table(
                therapies,
                THERAPY_HEADERS,
                not_stored or "No therapy dates reported.",
            ),
        ),
        _versions(versions),
        *duplicates_section(cid, links),
    ]


def _versions(versions: pl.DataFrame) -> html.Section:
    return _section(
        "Report versions read",
        _table(
            versions,
            {
                "primary_id": "Primary id",
                "quarter": "File quarter",
                "era": "Era",
                "caseversion": "Version",
                "fda_date": "FDA received",
                "is_kept": "Kept",
                "is_deleted": "Deleted",
                "status": "Why",
            },
            "No versions found.",
            era=ERAS,
        ),
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
                _versions(versions),
            ]
        )
    return html.Div(
        [
            _back(query),
            html.H1([f"Case {cid} ", *_badges(record)], className="h4 mt-2", id=f"{P}-title"),
            html.P(components.CAUSATION, className="small text-muted"),
            _summary(record),
            _outcomes(record),
            *_details(db, cid, bool(record["is_kratom"])),
        ]
    )
