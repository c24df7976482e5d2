"""Event types: the commonest preferred terms and event groups, stacked by year; click to filter.
Then the event groups compared across a split of the kratom cases (product, kratom alone or not,
an opioid co-reported or not, sex, age band): each category's share reporting each group.

How many terms to chart is the link's `top` (10, 20 or 50), what to compare across its `split`:
choosing one rewrites the link.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html, no_update

from dashboard import components, ids, link_writers, population, runtime
from dashboard.callbacks import page_query
from dashboard.figures import events as fig
from dashboard.figures import group_shares as gfig
from dashboard.filter_codes import EVENT_GROUPS, EVENT_SPLITS, EVENT_TOPS
from dashboard.filters import Filters
from dashboard.queries import events as q
from dashboard.queries import group_shares as gq

dash.register_page(
    __name__, path="/events", name="Event types", title="Kratom harms watch: event types", order=1
)

P = "events"
CLICK_FIELDS = ("pts", "event_groups")
COUNTED = (
    "Counted: deduplicated FAERS cases naming kratom that report the term; a case counts once per "
    "term and can report several terms. Share: of all cases selected by the filters. Click a bar "
    "to filter on it. Source: FDA FAERS quarterly data files."
)
COUNTED_ALL = (
    "Counted: deduplicated FAERS cases of every drug (kratom or not, population=all) that report "
    "the term; a case counts once per term and can report several terms. Share: of all cases "
    "selected by the filters. Click a bar to filter on it. Source: FDA FAERS quarterly data files."
)
COUNTED_COEXPOSURE = (
    "Counted: deduplicated FAERS cases naming kratom, in any role, and a co-exposure the filters "
    "choose, that report the term; a case counts once per term and can report several terms. "
    f"Share: of all cases selected by the filters. {population.COEXPOSURE_WHY} Click a bar to "
    "filter on it. Source: FDA FAERS quarterly data files."
)
# Three "death" numbers answer three questions; each chart says which one it shows.
DEATH_TERM_NOTE = (
    " The term Death counts the cases reporting that reaction term only; the Death event group "
    "below adds the other fatal terms, and the Overview's 'Deaths reported' is another field, "
    "the serious outcome 'death' the reporter recorded."
)
DEATH_GROUP_NOTE = (
    " Death here: cases reporting a fatal reaction term (Death, Completed suicide, Sudden death "
    "and others). The Overview's 'Deaths reported' counts the serious outcome 'death' the "
    "reporter recorded, another field, so the two numbers differ."
)
GROUPS = (
    "Event groups are reviewed groupings of MedDRA preferred terms (terms not listed fall in "
    "'Other'); a case counts once per group. "
)
SPLIT_CHOICES = {
    "product": "Kratom product",
    "alone": "Kratom alone or not",
    "opioid": "Opioid co-exposure",
    "sex": "Sex",
    "age": "Age band",
}
COMPARED = (
    "Each point: the share of a category's kratom cases (under the filters) that report the "
    "event group, with its Wilson 95% confidence interval as bars; a case counts once per group "
    "and can report several. These are shares of each category's reported cases, not risks: "
    "what gets reported differs by product and by year. FAERS reports do not establish "
    f"causation. Hollow, light points: fewer than {gfig.SMALL_N} cases in the category, share "
    "unstable. Product: a case counts once, under the most specific kratom product its drugs "
    "name, as the product filter counts it. Source: FDA FAERS quarterly data files."
)
COMPARED_ALL = (
    " The link selects every FAERS case (population=all), but the splits describe kratom "
    "cases: this chart counts kratom cases only, without kratom's role, other substances and "
    "product, which this page does not apply."
)
ONE_CATEGORY = (
    "Compared across {name}: the filters leave one category only ({label}), so there is "
    "nothing to compare it with. Widen the filters to compare."
)


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    counted = COUNTED_ALL if population.is_all(f) else COUNTED
    if population.counts_kratom_cases_only(f):
        counted = COUNTED_COEXPOSURE
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Event types", className="h4"),
            html.Div(
                [
                    html.Label("Show the top", htmlFor=f"{P}-top", className="small me-2"),
                    dbc.RadioItems(
                        id=f"{P}-top",
                        options=[{"label": str(n), "value": n} for n in EVENT_TOPS],
                        value=f.events_top,
                        inline=True,
                        className="small",
                    ),
                    html.Span("preferred terms", className="small"),
                ],
                className="d-flex align-items-center flex-wrap mb-2",
            ),
            components.chart_card(f"{P}-pts", counted + DEATH_TERM_NOTE),
            components.chart_card(f"{P}-groups", GROUPS + counted + DEATH_GROUP_NOTE),
            html.Div(
                [
                    html.Label("Compare across", htmlFor=f"{P}-split", className="small me-2"),
                    dbc.RadioItems(
                        id=f"{P}-split",
                        options=[{"label": SPLIT_CHOICES[s], "value": s} for s in EVENT_SPLITS],
                        value=f.events_split,
                        inline=True,
                        className="small",
                    ),
                ],
                className="d-flex align-items-center flex-wrap mb-2",
            ),
            html.Div(id=f"{P}-split-note"),
            components.chart_card(
                f"{P}-compare", COMPARED + (COMPARED_ALL if population.is_all(f) else "")
            ),
        ]
    )


@callback(
    Output(f"{P}-pts", "figure"),
    Output(f"{P}-pts", "style"),
    Output(f"{P}-groups", "figure"),
    Output(f"{P}-groups", "style"),
    Input(f"{P}-query", "data"),
)
def update(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    top = f.events_top
    date_label = "event date" if f.date_field == "event" else "receipt by FDA"
    subtitle = f"Cases reporting each, stacked by year of {date_label}"
    tops = q.top_terms_by_level(db, f, {"pt": top, "event_group": len(EVENT_GROUPS)})
    pts, groups = tops["pt"], tops["event_group"]
    pts_figure = fig.terms_by_year_figure(
        pts,
        f"Top {top} preferred terms",
        field="pts",
        y_title="Preferred term (MedDRA)",
        subtitle=subtitle,
    )
    groups_figure = fig.terms_by_year_figure(
        groups,
        "Event groups",
        field="event_groups",
        y_title="Event group",
        subtitle=subtitle,
        labels=q.event_group_labels(db),
    )
    return (
        pts_figure,
        {"height": f"{fig.figure_height(pts_figure, pts['term'].n_unique())}px"},
        groups_figure,
        {"height": f"{fig.figure_height(groups_figure, groups['term'].n_unique())}px"},
    )


@callback(
    Output(f"{P}-compare", "figure"),
    Output(f"{P}-compare", "style"),
    Output(f"{P}-split-note", "children"),
    Input(f"{P}-query", "data"),
)
def update_comparison(query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    group_labels = q.event_group_labels(db)
    df = gq.group_shares_by_split(db, f, tuple(group_labels) or EVENT_GROUPS)
    labels = components.LABELS.get({"product": "product_types", "sex": "sexes"}.get(f.events_split))
    figure = gfig.group_shares_figure(
        df, split=f.events_split, labels=labels, group_labels=group_labels
    )
    height = figure["layout"].get("height", 380)
    return figure, {"height": f"{height}px"}, one_category_note(df, f.events_split, labels)


def one_category_note(df, split: str, labels: dict[str, str] | None) -> html.P | None:
    """A note when the filters leave the split a single category (nothing to compare)."""
    cats = df["category"].unique().to_list()
    if len(cats) != 1:
        return None
    label = ((labels or {}) | gfig.LABELS.get(split, {})).get(cats[0], cats[0])
    text = ONE_CATEGORY.format(name=gfig.SPLIT_NAMES[split], label=label)
    return html.P(text, className="small text-muted mb-2")


top_to_url = link_writers.view_control_to_url(f"{P}-top", "events_top")
split_to_url = link_writers.view_control_to_url(f"{P}-split", "events_split")


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(f"{P}-pts", "clickData"),
    Input(f"{P}-groups", "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def filter_on_click(pt_click: dict | None, group_click: dict | None, search: str | None):
    click = pt_click if ctx.triggered_id == f"{P}-pts" else group_click
    return search_with_click(search, click) or no_update


def search_with_click(search: str | None, click: dict | None) -> str | None:
    """The URL search with the clicked bar's term added (see link_writers.search_with_click)."""
    return link_writers.search_with_click(search, click, CLICK_FIELDS)
