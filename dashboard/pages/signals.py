"""Signals: disproportionality of each event for kratom against every other FAERS case.

The page's own controls are view keys of the link: the table's terms (`level`), the forest
plot's order (`plot`) and the row whose cumulative history is drawn (`term`). Each rewrites the
link; the page is drawn from it. A term no row of the table has draws the first row, with a note.
"""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import polars as pl
from dash import Input, Output, State, callback, dcc, html, no_update

from dashboard import components, ids, population, runtime
from dashboard.callbacks import page_query
from dashboard.figures import signal_subgroups as subgroup_fig
from dashboard.figures import signals as fig
from dashboard.filters import Filters
from dashboard.queries import signal_subgroups as sq
from dashboard.queries import signals as q
from dashboard.queries.quarter_totals import quarter_range
from dashboard.signals_table import COLUMNS, alert, grid_rows, notes
from dashboard.signals_view import chosen_term, search_with_controls, term_note

dash.register_page(
    __name__, path="/signals", name="Signals", title="Kratom harms watch: signals", order=5
)

P = "signals"
COUNTED = (
    "Counted: deduplicated FAERS cases (latest version of each case, deleted cases removed); "
    "kratom cases against all other cases in the database. Source: FDA FAERS quarterly data files."
)
NOT_CAUSATION = (
    "Disproportionality is not incidence and not causation. It says that an event makes up a "
    "larger share of kratom's reports than of other reports. Reporting is voluntary and "
    "selective: publicity, co-used substances (often opioids) and who reports all shape these "
    "shares. A screen that passes is a reason to read the cases, not a finding."
)
EXPLAINED = {
    "The 2×2 table (a, b, c, d)": "a = kratom cases with the event, b = kratom cases without "
    "it, c = other cases with the event, d = other cases without it. Expected = (a+b)(a+c)/N.",
    "ROR [95% CI]": "Reporting odds ratio ad/(bc) with Woolf's interval "
    "exp(ln ROR ± 1.96·√(1/a+1/b+1/c+1/d)); empty when a cell is zero. Screen: lower bound > 1 "
    "with at least 3 cases.",
    "PRR and χ²": "Proportional reporting ratio (a/(a+b)) / (c/(c+d)), with Pearson's χ² "
    "with Yates' correction. Screen (Evans 2001): PRR ≥ 2, χ² ≥ 4 and at least 3 cases.",
    "IC025": "Information component log₂((a+0.5)/(E+0.5)) and its approximate 2.5th "
    "percentile IC − 3.3(a+0.5)^−½ − 2(a+0.5)^−³⁄². Screen: IC025 > 0.",
    "EB05": "Empirical Bayes geometric mean (DuMouchel's gamma-Poisson shrinker), with a prior "
    "fitted on every suspect-drug × event pair of the database. EB05 is the 5th percentile of "
    "its posterior. Screen: EB05 ≥ 2. It is computed once for the unfiltered tables, so it is "
    "not shown when years, sex or age band are filtered.",
    "First year screened": "The first year in which the 2×2 table of all cases received up "
    "to the end of that year passed the ROR, PRR or IC screen (all strata, not the filters).",
    "Why not incidence or causation": NOT_CAUSATION,
}
SUBGROUPS = (
    "The chosen term's ROR within each sex and each ICH E11 age band, from the same strata as "
    "the table: the role, years, sex and age filters apply (a sex filter keeps its sexes' rows "
    "and counts the age rows within them); the filters listed above as not applied do not. "
    "Subgroup RORs compare reporting within each subgroup, not risk; with this many subgroups "
    "some differ by chance alone; FAERS reports do not establish causation."
)
ONLY_KRATOM = (
    "this page always compares kratom cases with every other FAERS case: the link's population "
    "changes neither the table nor the charts."
)


def layout(**query) -> html.Div:
    radios = {"inline": True, "className": "small mb-2"}
    text = page_query(query)
    f, _ = Filters.from_query(text)
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Signals: disproportionality", className="h4"),
            population.kratom_page_note(f, ONLY_KRATOM),
            html.P(
                "Which events are reported more often with kratom than with other drugs? "
                + NOT_CAUSATION,
                className="small",
            ),
            html.Div(id=f"{P}-notes", **{"aria-live": "polite"}),
            html.Div(
                [
                    html.Label("Terms", htmlFor=f"{P}-level", className="small fw-semibold me-2"),
                    dbc.RadioItems(
                        id=f"{P}-level",
                        options=[{"label": v, "value": k} for k, v in q.LEVELS.items()],
                        value=f.signals_level,
                        **radios,
                    ),
                ],
                className="d-flex flex-wrap align-items-baseline",
            ),
            dag.AgGrid(
                id=f"{P}-grid",
                columnDefs=COLUMNS,
                rowData=[],
                getRowId="params.data.term",  # the link's `term` selects its row
                defaultColDef={
                    "sortable": True,
                    "resizable": True,
                    "minWidth": 80,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                dashGridOptions={
                    "rowSelection": {
                        "mode": "singleRow",
                        "checkboxes": False,
                        "enableClickSelection": True,  # a click picks the history's row
                    },
                    "tooltipShowDelay": 300,
                    "localeText": {
                        "noRowsToShow": "No kratom case reports an event for these filters"
                    },
                },
                style={"height": "420px", "width": "100%"},
            ),
            html.P(
                COUNTED + " Click a row to see its history below; click a heading to sort.",
                className="small text-muted mt-1 mb-3",
            ),
            html.Div(
                [
                    html.Label("Plot", htmlFor=f"{P}-order", className="small fw-semibold me-2"),
                    dbc.RadioItems(
                        id=f"{P}-order",
                        options=[
                            {"label": f"Top by {v}", "value": k} for k, v in fig.ORDERS.items()
                        ],
                        value=f.signals_plot,
                        **radios,
                    ),
                ],
                className="d-flex flex-wrap align-items-baseline",
            ),
            components.chart_card(
                f"{P}-forest",
                COUNTED + " Terms with a zero cell have no finite ROR and are not plotted.",
                height=760,
            ),
            components.chart_card(
                f"{P}-history",
                "Cumulative: all cases received up to the end of each year (the newest year: up to "
                "its newest quarterly file), in every stratum "
                "(the year, sex and age filters do not apply). " + COUNTED,
            ),
            components.chart_card(f"{P}-subgroups", SUBGROUPS + " " + COUNTED, height=520),
            dbc.Accordion(
                [
                    dbc.AccordionItem(html.P(text, className="small mb-0"), title=title)
                    for title, text in EXPLAINED.items()
                ],
                start_collapsed=True,
                className="mb-3",
            ),
        ]
    )


def term_labels(level: str) -> dict[str, str]:
    """What the charts call a term: event groups by their labels, preferred terms as they are."""
    return components.LABELS["event_groups"] if level == "event_group" else {}


@callback(
    Output(f"{P}-grid", "rowData"),
    Output(f"{P}-forest", "figure"),
    Output(f"{P}-notes", "children"),
    Output(f"{P}-grid", "selectedRows"),
    Output(f"{P}-grid", "scrollTo"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    level, order = f.signals_level, f.signals_plot
    if not q.has_signal_tables(db):
        return (
            [],
            fig.forest_figure(pl.DataFrame(), order, q.LEVELS[level]),
            alert("This database has no signal tables: rebuild it with kratom-etl.", "warning"),
            [],
            no_update,
        )
    table = q.signal_table(db, f, level)
    terms = table["term"].to_list() if "term" in table.columns else []
    chosen = f.signals_term if f.signals_term in terms else None
    return (
        grid_rows(table),
        fig.forest_figure(table, order, q.LEVELS[level], term_labels(level)),
        [*notes(f, level, q.prior_fit(db, level)), term_note(f, terms, f"{P}-term-note")],
        [{"term": chosen}] if chosen else [],
        {"rowId": chosen, "rowPosition": "middle"} if chosen else no_update,
    )


@callback(
    Output(f"{P}-history", "figure"),
    Input(f"{P}-query", "data"),
    Input(f"{P}-grid", "rowData"),
)
def history(query: str, rows: list | None):
    """The cumulative chart of the link's `term` when the table has that row, else of the
    table's first row (the rows come from `update`, which read the table for this link)."""
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    chosen = chosen_term(f, rows)
    if chosen is None or not q.has_signal_tables(db):
        return fig.cumulative_figure(pl.DataFrame(), None)
    variant = q.Strata.of(f).variant
    history = q.cumulative(db, variant, f.signals_level, chosen)
    return fig.cumulative_figure(
        history,
        chosen,
        latest_quarter=quarter_range(db)[1],
        labels=term_labels(f.signals_level),
    )


@callback(
    Output(f"{P}-subgroups", "figure"),
    Input(f"{P}-query", "data"),
    Input(f"{P}-grid", "rowData"),
)
def subgroups(query: str, rows: list | None):
    """The chosen term's ROR by sex and by age band, under the filters the strata answer."""
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    chosen = chosen_term(f, rows)
    if chosen is None or not q.has_signal_tables(db):
        return subgroup_fig.subgroup_figure(pl.DataFrame(), None, None)
    table = sq.subgroup_table(db, f, f.signals_level, chosen)
    name = term_labels(f.signals_level).get(chosen, chosen)
    return subgroup_fig.subgroup_figure(table, sq.overall(table).row(0, named=True), name)


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(f"{P}-level", "value"),
    Input(f"{P}-order", "value"),
    Input(f"{P}-grid", "selectedRows"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def controls_to_url(level: str, order: str, selected: list | None, search: str | None):
    """The URL with the chosen level, plot or row; the router then draws the page from it."""
    wanted = search_with_controls(search, level, order, selected)
    return no_update if wanted is None else wanted  # "" clears the query: not a no-op
