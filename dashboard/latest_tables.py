"""The Latest quarter page's tables and lists: event groups against their recent level, terms and
substances reported with kratom for the first time (each a link adding it to the filters), and
the serious cases of the quarter (each case number a link to the case, its first three preferred
terms then "+n", the rest on hover)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

from dashboard import components
from dashboard.filters import Filters
from dashboard.latest_view import MAX_LISTED, count_text, mean_text, p_text
from dashboard.link_writers import search_of
from dashboard.queries.latest import MAX_SERIOUS_ROWS
from dashboard.queries.overview import OUTCOMES as OUTCOME_WORDS

PATH = "/latest"
KIND_FIELDS = {"pt": "pts", "substance": "substances"}
EVENTS_SHOWN = 3  # a serious case's preferred terms named in its row, then "+n"


def group_table(rows: list[dict], quarter: str) -> dbc.Table:
    """Event groups: cases in the quarter, the prior mean, a year earlier, P and the flag."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Event group", scope="col"),
                html.Th(f"Cases, {quarter}", scope="col", className="text-end"),
                html.Th("Mean of the 4 quarters before", scope="col", className="text-end"),
                html.Th("Same quarter a year earlier", scope="col", className="text-end"),
                html.Th("P(X ≥ cases)", scope="col", className="text-end"),
                html.Th("Above its recent level?", scope="col"),
            ]
        )
    )
    body = []
    for r in rows:
        flag = "n/a" if r["above"] is None else ("Yes" if r["above"] else "no")
        body.append(
            html.Tr(
                [
                    html.Td(r["label"]),
                    html.Td(f"{r['n']:,}", className="text-end"),
                    html.Td(mean_text(r["prior_mean"]), className="text-end"),
                    html.Td(count_text(r["year_before"]), className="text-end"),
                    html.Td(p_text(r["p"]), className="text-end"),
                    html.Td(html.Strong(flag) if r["above"] else flag),
                ],
                className="table-warning" if r["above"] else None,
            )
        )
    return dbc.Table(
        [head, html.Tbody(body)],
        size="sm",
        bordered=False,
        hover=True,
        responsive=True,
        className="small mb-1",
    )


def _with_value(f: Filters, field: str, value: str) -> str | None:
    """The page's link with `value` added to the `field` filter; None over a cap."""
    if value.upper() in {v.upper() for v in getattr(f, field)}:
        return None
    try:
        return PATH + search_of(f.with_changes(**{field: (*getattr(f, field), value)}))
    except ValueError:  # over the caps of a list or of a link
        return None


def first_time_list(terms: pl.DataFrame, kind: str, f: Filters, id_: str) -> html.Div:
    """The first-time terms (or substances) as links that add each to the filters."""
    if terms.is_empty():
        return html.P("None this quarter.", id=id_, className="small text-muted")
    items = []
    for term, n in terms.head(MAX_LISTED).iter_rows():
        href = _with_value(f, KIND_FIELDS[kind], term)
        name = dcc.Link(term, href=href) if href else html.Span(term)
        items.append(html.Li([name, f" ({n:,})"]))
    more = terms.height - MAX_LISTED
    tail = [html.P(f"… and {more:,} more.", className="small text-muted mb-0")] if more > 0 else []
    return html.Div([html.Ul(items, className="small mb-1"), *tail], id=id_)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.0f}" if value >= 2 else f"{value:.2f}"
    return str(value)


def outcomes_of(row: dict) -> str:
    return ", ".join(word for col, word in OUTCOME_WORDS.items() if row.get(col))


def events_text(pts: list[str] | None) -> str:
    """A case's preferred terms, the first EVENTS_SHOWN then "+n" for the rest ("" for none)."""
    pts = list(pts or [])
    shown = "; ".join(pts[:EVENTS_SHOWN])
    more = len(pts) - EVENTS_SHOWN
    return f"{shown} +{more}" if more > 0 else shown


def events_cell(pts: list[str] | None) -> html.Td:
    """The events cell; when terms are left out, every term on hover (the cell's title)."""
    text = events_text(pts)
    if pts and len(pts) > EVENTS_SHOWN:
        return html.Td(text, title="; ".join(pts))
    return html.Td(text)


def cases_link(f: Filters, quarter: str) -> str:
    """The Cases page with every serious kratom case first received in `quarter`, deaths first."""
    every = f.with_changes(
        population="kratom",
        date_field="received",
        date_from=quarter,
        date_to=quarter,
        serious_only=True,
        cases_sort="has_death:desc",
        cases_page=1,
    )
    return "/cases" + search_of(every)


def serious_table(cases: pl.DataFrame, f: Filters, quarter: str) -> html.Div:
    """The serious cases of the quarter, deaths first; each case number opens the case."""
    query = f.to_query()
    if cases.is_empty():
        return html.P("No serious case was first received in this quarter.", className="small")
    suffix = f"?{query}" if query else ""
    sexes = components.LABELS["sexes"]
    products = components.LABELS["product_types"]
    body = []
    for row in cases.iter_rows(named=True):
        cid = row["case_id"]
        body.append(
            html.Tr(
                [
                    html.Td(dcc.Link(str(cid), href=f"/case/{cid}{suffix}")),
                    html.Td(_cell(row["received_date"]), className="text-nowrap"),
                    html.Td(_cell(row["age_years"]), className="text-end"),
                    html.Td(sexes.get(row["sex"], row["sex"] or "")),
                    html.Td(outcomes_of(row)),
                    events_cell(row.get("events")),
                    html.Td(products.get(row["kratom_product_type"], "")),
                    html.Td(row["co_substances"] or ""),
                ]
            )
        )
    head = [
        *("Case", "Received", "Age (years)", "Sex", "Serious outcomes", "Reported events"),
        *("Kratom product", "Co-exposures"),
    ]
    table = dbc.Table(
        [
            html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
            html.Tbody(body),
        ],
        size="sm",
        hover=True,
        responsive=True,
        className="small mb-1",
    )
    total = int(cases["n_total"][0])
    left = total - cases.height
    if left > 0:
        note = [
            f"Showing the first {MAX_SERIOUS_ROWS} of {total:,} serious cases; {left:,} left out (",
            dcc.Link("all of them on the Cases page", href=cases_link(f, quarter)),
            ").",
        ]
    else:
        note = [f"{total:,} serious case{'s' if total != 1 else ''}."]
    return html.Div([html.P(note, className="small fw-semibold mb-1"), table])
