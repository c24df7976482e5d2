"""Latest quarter: what one quarter brought of kratom cases, beside the recent past.

The quarter is the link's `q` (a view key), the newest quarterly file loaded by default; the
selector rewrites the link (`link_writers.view_control_to_url`). Every shared filter applies except
the date range and count-by: the page counts by the quarter FDA first received a case
(`queries.latest.page_filters`). Definitions and the screen: `dashboard/latest_view.py`.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components, link_writers, population, runtime
from dashboard import latest_tables as tbl
from dashboard.callbacks import page_query
from dashboard.filter_codes import EVENT_GROUPS
from dashboard.filters import Filters
from dashboard.latest_numbers import read_quarter
from dashboard.latest_view import (
    CARDS,
    MIN_CASES,
    PRIOR,
    SCREEN_P,
    card_labels,
    card_texts,
    chosen_quarter,
    ignored_here,
    prior_quarters,
)
from dashboard.link_writers import search_of
from dashboard.queries import latest as q

dash.register_page(
    __name__,
    path="/latest",
    name="Latest quarter",
    title="Kratom harms watch: latest quarter",
    order=0.5,
)

P = "latest"
ONLY_KRATOM = "this page shows what a quarter brought of kratom cases matching the other filters."
COUNTED = (
    "Counted: deduplicated FAERS cases naming kratom (latest version of each case, deleted cases "
    "removed), by the quarter FDA first received the case (its initial FDA receipt date), under "
    "every filter of the link except the date range and count-by. Source: FDA FAERS quarterly "
    "data files."
)
CARDS_HELP = (
    "Earlier cases updated: cases first received before the quarter whose kept (latest) version "
    "came in its quarterly file. Every count uses each case as known today (its latest version): "
    "for an older quarter, cases since updated show their newest facts, and a case updated again "
    "later counts as updated in the later quarter only. Deaths reported: cases whose reporter "
    "recorded the serious outcome 'death'; the Death row below counts cases reporting a fatal "
    "reaction term, so the two differ."
)
NOT_LOADED_HELP = "n/a: that quarter's file is not loaded."
SCREEN_HELP = (
    f"Above its recent level: P(X ≥ cases) < {SCREEN_P} for X ~ Poisson(mean of the "
    f"{PRIOR} quarters before), an exact one-sided test, and at least {MIN_CASES} cases (as the "
    "signal screens ask: one or two cases against a mean of 0 would flag on their arrival "
    "alone); n/a when none of those quarters' files is loaded. It is a screen over the "
    f"{len(EVENT_GROUPS)} event groups: a group flags by "
    "chance up to one quarter in twenty, so expect a chance flag about every other quarter, and "
    "more, since report counts vary more than a Poisson count does. A flag asks for a look at "
    "the cases; it is not evidence of a real rise (publicity, a manufacturer's batch of reports "
    "or a change in FDA's processing move counts too) nor that kratom caused the events."
)
FIRST_TIME_HELP = (
    "Reported with kratom for the first time: preferred terms and co-reported substances "
    "(normalised names) of the kratom cases first received in the quarter that no kratom case "
    "first received before it reports, under the same filters; in brackets, the quarter's cases. "
    "Click one to add it to the filters."
)
CAVEATS = (
    "One quarter's counts are small and noisy: a rise or fall of a few cases is within chance, "
    "and the newest file's counts move when later files update its cases. FAERS reports do not "
    "establish that kratom caused an event: reports are voluntary, incomplete and often name "
    "several substances."
)


def subtitle(f: Filters, quarter: str | None) -> list:
    if quarter is None:
        return ["No quarterly file is loaded."]
    text = [f"Kratom cases FDA first received in {quarter}, beside the recent past."]
    note = ignored_here(f)
    return [*text, html.Br(), html.Strong(note)] if note else text


def _select(loaded: tuple[str, ...], quarter: str | None) -> html.Div:
    options = [
        {"label": f"{lq} (newest file)" if i == 0 else lq, "value": lq}
        for i, lq in enumerate(loaded)
    ]
    return html.Div(
        [
            html.Label("Quarter", htmlFor=f"{P}-quarter", className="small fw-semibold me-2"),
            dbc.Select(
                id=f"{P}-quarter",
                options=options,
                value=quarter,
                size="sm",
                style={"maxWidth": "14rem"},
            ),
        ],
        className="d-flex align-items-center mb-2",
    )


def cards_help(quarter: str | None, loaded: tuple[str, ...]) -> str:
    """The cards' note; it explains "n/a" only when a card of `quarter` shows it."""
    if quarter is None:
        return CARDS_HELP
    prior = prior_quarters(quarter)
    if prior[0] in loaded and any(p in loaded for p in prior):
        return CARDS_HELP
    return f"{NOT_LOADED_HELP} {CARDS_HELP}"


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    loaded = q.loaded_quarters(runtime.database())
    quarter, note = chosen_quarter(loaded, f)
    without = f"/latest{search_of(f.with_changes(latest_quarter=None))}"
    labels = card_labels(quarter, loaded)
    cards = [components.headline(labels[k], "…", f"{P}-{k}") for k in CARDS]
    for card in cards:  # four to a row from 768 px, the second row's as wide as the first's
        card.md, card.lg = 3, 3
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Latest quarter", className="h4"),
            population.kratom_page_note(f, ONLY_KRATOM),
            _select(loaded, quarter),
            note and components.ignored_value_note(note, without, f"{P}-quarter-note"),
            html.P(subtitle(f, quarter), id=f"{P}-subtitle", className="mb-2"),
            dbc.Row(cards[:4], className="g-2 mb-1"),
            dbc.Row(cards[4:], className="g-2 mb-1"),
            html.P(cards_help(quarter, loaded), className="small text-muted mb-3"),
            html.H2("Event groups", className="h5"),
            html.Div(id=f"{P}-groups"),
            html.P(SCREEN_HELP, className="small text-muted mb-3"),
            html.H2("Reported with kratom for the first time", className="h5"),
            dbc.Row(
                [
                    dbc.Col([html.H3("Preferred terms", className="h6"), html.Div(id=f"{P}-pts")]),
                    dbc.Col(
                        [
                            html.H3("Co-reported substances", className="h6"),
                            html.Div(id=f"{P}-substances"),
                        ]
                    ),
                ]
            ),
            html.P(FIRST_TIME_HELP, className="small text-muted"),
            html.H2("Serious cases first received in the quarter", className="h5"),
            html.Div(id=f"{P}-serious"),
            html.P(COUNTED, className="small text-muted mt-2 mb-1"),
            html.P(CAVEATS, className="small text-muted mb-0"),
        ]
    )


@callback(
    [Output(f"{P}-{k}", "children") for k in CARDS],
    Output(f"{P}-groups", "children"),
    Output(f"{P}-pts", "children"),
    Output(f"{P}-substances", "children"),
    Output(f"{P}-serious", "children"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    loaded = q.loaded_quarters(db)
    quarter, _note = chosen_quarter(loaded, f)
    if quarter is None:
        empty = html.P("No quarterly file is loaded.", className="small")
        return *["–"] * len(CARDS), empty, empty, empty, empty
    n = read_quarter(db, f, quarter, loaded)
    return (
        *card_texts(n.cards()).values(),
        tbl.group_table(n.groups, quarter),
        tbl.first_time_list(n.pts, "pt", f, f"{P}-pts-list"),
        tbl.first_time_list(n.substances, "substance", f, f"{P}-substances-list"),
        tbl.serious_table(n.serious, f, quarter),
    )


quarter_to_url = link_writers.view_control_to_url(
    f"{P}-quarter",
    "latest_quarter",
    shown=lambda f: chosen_quarter(q.loaded_quarters(runtime.database()), f)[0],
)
