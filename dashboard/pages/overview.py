"""Overview: headline numbers, the quarterly trend with dated events, outcomes, demographics.

Whether the trend marks the dated events is the link's `marks` (`marks=false` hides them).
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components, link_writers, population, runtime
from dashboard.callbacks import page_query
from dashboard.db import Database
from dashboard.figures import overview as fig
from dashboard.figures.filling_in import FillingIn, filling_in
from dashboard.filter_codes import AGE_BANDS
from dashboard.filters import Filters
from dashboard.queries import filling_in as fq
from dashboard.queries import overview as q
from dashboard.queries import run_together

dash.register_page(
    __name__, path="/", name="Overview", title="Kratom harms watch: overview", order=0
)

P = "overview"
COUNTED = (
    "Counted: deduplicated FAERS cases naming kratom (latest version of each case, deleted cases "
    "removed). Source: FDA FAERS quarterly data files."
)
COUNTED_ALL = (
    "Counted: deduplicated FAERS cases of every drug, kratom or not (latest version of each "
    "case, deleted cases removed). Source: FDA FAERS quarterly data files."
)
COUNTED_COEXPOSURE = (
    "Counted: deduplicated FAERS cases naming kratom, in any role, and a co-exposure the filters "
    f"choose (latest version of each case, deleted cases removed). {population.COEXPOSURE_WHY} "
    "Source: FDA FAERS quarterly data files."
)
PRODUCTS_SPLIT = (
    " Bars split by kratom product when a case of the quarter has a 7-OH concentrate (its most "
    "specific kratom product, as on Trends); other and unstated products below."
)
KRATOM_ONLY = "Kratom the only substance"
NAMING_KRATOM = "Cases naming kratom"
# Three "death" numbers answer three questions; each page says which one it shows.
DEATHS_NOTE = (
    "Deaths reported: cases whose reporter recorded the serious outcome 'death' (the Death bar "
    "of the outcomes chart). Event types counts reactions instead: its Death event group holds "
    "the cases reporting a fatal reaction term (Death, Completed suicide, Sudden death and "
    "others), and the preferred term Death is one of those terms, so the three numbers differ."
)


def counted(f: Filters) -> str:
    """The trend's caption: which cases the page counts for these filters."""
    if population.counts_kratom_cases_only(f):
        return COUNTED_COEXPOSURE
    return COUNTED_ALL if population.is_all(f) else COUNTED


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    every = population.is_all(f)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Overview", className="h4"),
            dbc.Row(
                [
                    components.headline(population.cases_label(f), "…", f"{P}-n-cases"),
                    components.headline("Serious cases", "…", f"{P}-n-serious"),
                    components.headline("Deaths reported", "…", f"{P}-n-deaths"),
                    components.headline(
                        NAMING_KRATOM if every else KRATOM_ONLY, "…", f"{P}-kratom-only"
                    ),
                    components.headline("Latest quarter loaded", "…", f"{P}-latest"),
                ],
                className="g-2 mb-1",
            ),
            html.P(DEATHS_NOTE, id=f"{P}-deaths-note", className="small text-muted mb-2"),
            dbc.Switch(
                id=f"{P}-show-events",
                label="Show regulatory and data-format events",
                value=f.show_marks,
                className="small",
            ),
            components.chart_card(
                f"{P}-trend",
                counted(f) + ("" if every else PRODUCTS_SPLIT) + " Triangles mark dated events "
                "(FDA, DEA, CDC, states, FAERS format changes); hover for each one's date as far "
                "as it is known and how it was checked.",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        components.chart_card(
                            f"{P}-outcomes",
                            "Serious outcomes as reported; a case can have several.",
                            height=320,
                        ),
                        lg=6,
                    ),
                    dbc.Col(
                        components.chart_card(f"{P}-sex", "Sex as reported.", height=320), lg=3
                    ),
                    dbc.Col(
                        components.chart_card(
                            f"{P}-age", "Age bands of ICH E11 from the reported age.", height=320
                        ),
                        lg=3,
                    ),
                ]
            ),
        ]
    )


def kratom_share(h: dict, f: Filters) -> str | list:
    """The fourth headline: the share of kratom cases naming no other substance; for every FAERS
    case (population=all), the cases naming kratom and their share of all instead."""
    if not h["n_cases"]:
        return "–"
    if population.is_all(f):
        share = 100 * h["n_kratom"] / h["n_cases"]
        return [f"{h['n_kratom']:,} ", html.Small(f"({share:.1f}%)", className="fs-6 text-muted")]
    return f"{100 * h['n_kratom_only'] / h['n_cases']:.0f}%"


def recent_quarters(db: Database, f: Filters) -> FillingIn | None:
    """Counted by event date, the quarters still filling in (figures/filling_in.py)."""
    if f.date_field != "event":
        return None
    return filling_in(fq.lag_quarters(db), q.latest_quarter(db), date_to=f.date_to)


@callback(
    Output(f"{P}-n-cases", "children"),
    Output(f"{P}-n-serious", "children"),
    Output(f"{P}-n-deaths", "children"),
    Output(f"{P}-kratom-only", "children"),
    Output(f"{P}-latest", "children"),
    Output(f"{P}-trend", "figure"),
    Output(f"{P}-outcomes", "figure"),
    Output(f"{P}-sex", "figure"),
    Output(f"{P}-age", "figure"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    h, by_quarter, outcomes, sexes, ages = run_together(
        lambda: q.headline(db, f),
        lambda: q.cases_by_quarter(db, f),
        lambda: q.outcome_counts(db, f),
        lambda: q.breakdown(db, f, "sex"),
        lambda: q.breakdown(db, f, "age_band"),
    )
    date_label = "event date" if f.date_field == "event" else "receipt by FDA"
    return (
        f"{h['n_cases']:,}",
        f"{h['n_serious']:,}",
        f"{h['n_deaths']:,}",
        kratom_share(h, f),
        q.latest_quarter(db) or "–",
        fig.trend_figure(
            by_quarter,
            q.timeline(db),
            show_events=f.show_marks,
            date_label=date_label,
            counted=population.cases_label(f),
            filling_in=recent_quarters(db, f),
            n_selected=h["n_cases"],
            products=not population.is_all(f),
        ),
        fig.outcome_figure(outcomes, population.cases_label(f)),
        fig.breakdown_figure(sexes, "Sex", components.LABELS["sexes"]),
        fig.breakdown_figure(ages, "Age band", order=AGE_BANDS),
    )


marks_to_url = link_writers.view_control_to_url(f"{P}-show-events", "show_marks")
