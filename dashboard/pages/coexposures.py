"""Co-exposures: other substances on kratom cases, kratom-only share, classes by year and by
event group, pairs."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import components, ids, link_writers, population, runtime
from dashboard.callbacks import page_query
from dashboard.figures import coexposure_years
from dashboard.figures import coexposures as fig
from dashboard.filter_codes import SUBSTANCE_CLASSES
from dashboard.filters import Filters
from dashboard.queries import coexposures as q
from dashboard.queries import events as qe
from dashboard.queries import run_together

dash.register_page(
    __name__,
    path="/coexposures",
    name="Co-exposures",
    title="Kratom harms watch: co-exposures",
    order=2,
)

P = "coexposures"
TOP = 20
CLICK_FIELDS = ("substances", "substance_classes")
SOURCE = " Source: FDA FAERS quarterly data files."
CO = (
    "Counted: deduplicated FAERS cases naming kratom that also name the substance, in any role "
    "(suspect or concomitant); a case counts once per substance. Share: of the kratom cases "
    "selected. Click a bar to filter on it. Naloxone and nalmefene (class: opioid antagonists) "
    "are mostly given to reverse an overdose, and naltrexone to treat dependence: a report naming "
    "them tells of a rescue or a treatment, not of a drug taken with kratom." + SOURCE
)
KRATOM_ONLY = (
    "Kratom only: every drug named on the report is a kratom product (no other medicine, drug "
    "or alcohol listed). Share of the kratom cases selected in each year." + SOURCE
)
CLASS_YEARS = (
    "Share of the kratom cases selected in each year that also name a substance of the class, "
    "in any role; a case can count in several panels. Light bars: fewer than 10 cases that "
    "year, so one case moves the share a lot. No bar: no case that year, or none naming the "
    "class (hover tells which)." + SOURCE
)
HEAT = (
    "Cells: cases reporting both a co-exposure of the class and an event of the group; hover "
    "for the share of the class's cases. A case can fall in several cells." + SOURCE
)
ONLY_KRATOM = (
    "co-exposures are recorded for kratom cases only (the drugs of other cases are not kept), "
    "so this page shows the kratom cases matching the other filters (kratom's role, other "
    "substances and product included), and its shares are of those cases."
)
PAIRS = (
    "Pairs of two different substances, other than kratom, named on the same case; top 15." + SOURCE
)


def layout(**query) -> html.Div:
    card = components.chart_card
    text = page_query(query)
    f, _ = Filters.from_query(text)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Co-exposures", className="h4"),
            population.kratom_page_note(f, ONLY_KRATOM),
            card(f"{P}-substances", CO, height=560),
            card(f"{P}-classes", CO, height=400),
            card(f"{P}-kratom-only", KRATOM_ONLY, height=340),
            card(f"{P}-class-years", CLASS_YEARS, height=620),
            card(f"{P}-heatmap", HEAT, height=460),
            card(f"{P}-pairs", PAIRS, height=440),
        ]
    )


@callback(
    Output(f"{P}-substances", "figure"),
    Output(f"{P}-classes", "figure"),
    Output(f"{P}-kratom-only", "figure"),
    Output(f"{P}-class-years", "figure"),
    Output(f"{P}-heatmap", "figure"),
    Output(f"{P}-pairs", "figure"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    classes = components.LABELS["substance_classes"]
    date_label = "event date" if f.date_field == "event" else "receipt by FDA"
    by_year, by_class, tops, heat, pairs = run_together(
        lambda: q.kratom_only_by_year(db, f),
        lambda: q.class_by_year(db, f),
        lambda: q.top_coexposures_by_level(
            db, f, {"substance": TOP, "class": len(SUBSTANCE_CLASSES)}
        ),
        lambda: q.class_by_event_group(db, f),
        lambda: q.substance_pairs(db, f, 15),
    )
    n_total = int(by_year["n_cases"].sum())  # every filtered case has a year or 'unknown'
    return (
        fig.coexposure_figure(
            tops["substance"],
            f"Top {TOP} co-reported substances",
            field="substances",
            y_title="Substance (normalised name)",
            n_total=n_total,
        ),
        fig.coexposure_figure(
            tops["class"],
            "Co-reported substance classes",
            field="substance_classes",
            y_title="Substance class",
            n_total=n_total,
            labels=classes,
        ),
        fig.kratom_only_figure(by_year, date_label=date_label),
        coexposure_years.class_share_figure(
            by_class, by_year, labels=classes, date_label=date_label
        ),
        fig.class_group_heatmap(
            heat,
            n_total=n_total,
            class_labels=classes,
            group_labels=qe.event_group_labels(db),
        ),
        fig.pairs_figure(pairs, n_total=n_total),
    )


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(f"{P}-substances", "clickData"),
    Input(f"{P}-classes", "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def filter_on_click(substance_click: dict | None, class_click: dict | None, search: str | None):
    click = substance_click if ctx.triggered_id == f"{P}-substances" else class_click
    return search_with_click(search, click) or no_update


def search_with_click(search: str | None, click: dict | None) -> str | None:
    """The URL search with the clicked bar's term added (see link_writers.search_with_click)."""
    return link_writers.search_with_click(search, click, CLICK_FIELDS)
