"""The single-case page's tables: substances, events, indications, therapies and the report
versions read, each saying why when it has no rows; and what the page's summary shares with them
(a value as text, a titled section)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
import polars as pl
from dash import html

from dashboard import components
from dashboard.case_duplicates import duplicates_section
from dashboard.figures.indications import INDICATION_LABELS
from dashboard.queries import cases as q
from dashboard.queries import run_together

ERAS = {"aers": "legacy AERS", "faers": "FAERS"}


def as_text(value: Any, labels: dict[str, str] | None = None) -> str:
    """`value` as the page writes it: "–" when missing, yes/no, ISO dates, else its label."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return (labels or {}).get(value, str(value))


def table(df: pl.DataFrame, headers: dict[str, str], empty: str, **labels) -> html.Div:
    """A small table of `df`'s columns named in `headers`; `empty` says why it has no rows."""
    if df.is_empty():
        return html.P(empty, className="small text-muted")
    head = html.Thead(html.Tr([html.Th(h, scope="col") for h in headers.values()]))
    body = html.Tbody(
        [
            html.Tr([html.Td(as_text(row[c], labels.get(c))) for c in headers])
            for row in df.iter_rows(named=True)
        ]
    )
    return dbc.Table([head, body], size="sm", striped=True, responsive=True, className="small")


def section(title: str, *children) -> html.Section:
    """`children` under a small heading."""
    return html.Section([html.H2(title, className="h6 mt-3"), *children])


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


def details(db, cid: int, kratom: bool) -> list:
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
    substances = table(
        substance_rows,
        SUBSTANCE_HEADERS,
        not_stored or "No drug rows.",
        role_code=q.ROLE_WORDS,
        kratom_product_type=components.LABELS["product_types"],
    )
    events = table(
        event_rows,
        {"pt": "Preferred term", "event_group": "Event group"},
        "No reactions reported.",
        event_group=components.LABELS["event_groups"],
    )
    return [
        section("Substances", substances),
        section("Events (MedDRA preferred terms)", events),
        section(
            "Indications",
            table(
                indications,
                INDICATION_HEADERS,
                not_stored or "No indication reported.",
                indication_group=INDICATION_LABELS,
            ),
        ),
        section(
            "Therapies",
            table(
                therapies,
                THERAPY_HEADERS,
                not_stored or "No therapy dates reported.",
            ),
        ),
        versions_section(versions),
        *duplicates_section(cid, links),
    ]


def versions_section(versions: pl.DataFrame) -> html.Section:
    """Every report version read for the case (`queries.cases.case_versions`), kept or not."""
    return section(
        "Report versions read",
        table(
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
