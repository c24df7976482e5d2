"""Indications: what kratom was reported as taken for, which events followed, and how long after
starting kratom (time to onset)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components, population, runtime
from dashboard.callbacks import page_query
from dashboard.figures import indications as fig
from dashboard.figures import onset as onset_fig
from dashboard.filters import Filters
from dashboard.queries import indications as q
from dashboard.queries import onset as onset_q

dash.register_page(
    __name__,
    path="/indications",
    name="Indications",
    title="Kratom harms watch: indications",
    order=4,
)

P = "indications"
SOURCE = "Source: FDA FAERS quarterly data files (INDI table); deduplicated cases."
INTRO = (
    "FAERS reports can say why each drug was taken (the indication, coded as a MedDRA term). "
    "Only indications given for the kratom product count here. Most reports give none, or give "
    "“Product used for unknown indication”, so these charts describe the minority of cases "
    "that say why, not all kratom use."
)
GROUPS_NOTE = (
    "Kratom cases giving each reason (reviewed groupings of the reported terms); a case giving "
    "two reasons counts in both. Shares are of all kratom cases matching the filters. "
    "Grey: no usable reason. " + SOURCE
)
TERMS_NOTE = "Indication terms as reported for kratom, by number of cases. " + SOURCE
MATRIX_NOTE = (
    "Each cell: kratom cases giving that reason and reporting an event in that group (hover "
    "for the share of the reason's cases). Co-occurrence in a report, not cause. " + SOURCE
)
ONSET_NOTE = (
    "Kratom cases by days from the earliest start of a kratom product's therapy (THER table) "
    "to the event date, counted only where both dates are given to the day and the start is "
    "on or before the event. Grey: the cases that could not be counted, each under the first "
    "reason that applies; the bars add up to the kratom cases matching the filters. FAERS dates "
    "are given by the reporter, are often partial or missing (since 2021Q3 FDA pads a month or "
    "year to the 1st, read here as not to the day), and an event after the start does not "
    "show that kratom caused it. openFDA reports carry no therapy dates here. Source: FDA FAERS "
    "quarterly data files (THER and DEMO tables); deduplicated cases."
)
ONLY_KRATOM = (
    "indications are recorded for kratom cases only, so this page shows the kratom cases "
    "matching the other filters (kratom's role, other substances and product included)."
)


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Indications", className="h4"),
            population.kratom_page_note(f, ONLY_KRATOM),
            html.P(INTRO, className="small"),
            html.P(id=f"{P}-summary", className="small fw-semibold"),
            dbc.Row(
                [
                    dbc.Col(components.chart_card(f"{P}-groups", GROUPS_NOTE, height=420), lg=6),
                    dbc.Col(components.chart_card(f"{P}-terms", TERMS_NOTE, height=420), lg=6),
                ]
            ),
            components.chart_card(f"{P}-matrix", MATRIX_NOTE, height=480),
            html.H2("Time to onset", className="h5 mt-2"),
            components.chart_card(f"{P}-onset", ONSET_NOTE, height=560),
        ]
    )


def summary_text(s: dict) -> str:
    """How many of the filtered kratom cases say why kratom was taken."""
    n, given, unknown = s["n_cases"], s["n_with_indication"], s["n_only_unknown"]
    if not n:
        return ""
    usable, cases = given - unknown, "case" if n == 1 else "cases"
    return (
        f"Of {n:,} kratom {cases}, {n - given:,} ({100 * (n - given) / n:.0f}%) give no "
        f"indication for kratom, {unknown:,} ({100 * unknown / n:.0f}%) give only an unknown "
        f"indication, and {usable:,} ({100 * usable / n:.0f}%) say why it was taken."
    )


@callback(
    Output(f"{P}-summary", "children"),
    Output(f"{P}-groups", "figure"),
    Output(f"{P}-terms", "figure"),
    Output(f"{P}-matrix", "figure"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    ind, n_cases = q.kratom_indications(db, f)  # one read for the summary, groups and terms
    s = q.summary_of(ind, n_cases)
    not_given = s["n_cases"] - s["n_with_indication"]
    return (
        summary_text(s),
        fig.groups_figure(q.groups_of(ind, n_cases), not_given, s["n_cases"]),
        fig.top_terms_figure(q.top_of(ind, n_cases)),
        fig.matrix_figure(q.indication_event_matrix(db, f), components.LABELS["event_groups"]),
    )


@callback(Output(f"{P}-onset", "figure"), Input(f"{P}-query", "data"))
def update_onset(query: str):
    """The time-to-onset chart: its own query, so it is drawn beside the others, not after."""
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    return onset_fig.onset_figure(onset_q.time_to_onset(db, f))
