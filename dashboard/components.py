"""Reusable layout pieces: the filter panel, chart cards, headline numbers, banners."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import filter_codes as fm
from dashboard import ids
from dashboard.code_labels import LABELS  # the pages read components.LABELS

CAUSATION = (
    "FAERS reports do not establish that kratom caused an event: reports are voluntary, "
    "incomplete, can be duplicated, and often name several substances. Counts are not incidence."
)
SYNTHETIC = (
    "Synthetic FAERS data: the FAERS figures on this page come from a generated demonstration "
    "set in FDA's file format, not from real reports. Poison-center figures are the real "
    "published ones."
)
DUPLICATES_HELP = (
    "Cases that look like another case sent under a different case number; FDA's own rule "
    "keeps them."
)


def _options(field: str, values) -> list[dict]:
    labels = LABELS.get(field, {})
    return [{"label": labels.get(v, v), "value": v} for v in values]


def _dropdown(id_: str, field: str, values, placeholder: str) -> dcc.Dropdown:
    return dcc.Dropdown(
        id=id_,
        options=_options(field, values),
        multi=True,
        placeholder=placeholder,
        className="mb-2",
        persistence=False,
    )


# From and To side by side when each can show "2019Q3" beside its clear and open buttons, else
# one above the other (at half the panel's width they showed "201…")
QUARTER_PICKER = {"flex": "1 1 10rem", "minWidth": 0}


def _label(text: str, for_id: str) -> html.Label:
    return html.Label(text, htmlFor=for_id, className="form-label small fw-semibold mb-1")


def _kratom_criteria() -> html.Fieldset:
    """Kratom's role, other substances and product: criteria on kratom cases only. Where a
    population=all link makes the page ignore them, the shell disables the fieldset (the
    dropdown's own `disabled` too, so its state agrees) and shows the note (callbacks.py)."""
    return html.Fieldset(
        [
            html.Small(id=ids.F_KRATOM_CRITERIA_NOTE, className="d-block text-muted mb-1"),
            _label("Kratom's role", ids.F_ROLE),
            dbc.RadioItems(
                id=ids.F_ROLE,
                options=_options("role", fm.ROLES),
                value="any",
                className="mb-2 small",
            ),
            _label("Other substances", ids.F_KRATOM_ONLY),
            dbc.RadioItems(
                id=ids.F_KRATOM_ONLY,
                value="all",
                className="mb-2 small",
                options=[
                    {"label": "All cases", "value": "all"},
                    {"label": "Kratom only", "value": "only"},
                    {"label": "With other substances", "value": "others"},
                ],
            ),
            _label("Kratom product", ids.F_PRODUCT_TYPES),
            _dropdown(ids.F_PRODUCT_TYPES, "product_types", fm.PRODUCT_TYPES, "any product"),
        ],
        id=ids.F_KRATOM_CRITERIA,
    )


def filter_panel(choices: dict[str, list]) -> html.Div:
    """Every filter, in one place; `choices` holds options read from the database."""
    q = choices.get("quarters", [])
    quarter_opts = [{"label": x, "value": x} for x in q]
    return html.Div(
        [
            html.Div(
                [
                    html.H2("Filters", className="h6 mb-0"),
                    dbc.Button(
                        "Reset filters", id=ids.RESET, size="sm", color="secondary", outline=True
                    ),
                ],
                className="d-flex justify-content-between align-items-center mb-2",
            ),
            _label("Count by", ids.F_DATE_FIELD),
            dbc.RadioItems(
                id=ids.F_DATE_FIELD,
                options=_options("date_field", fm.DATE_FIELDS),
                value="received",
                inline=True,
                className="mb-2 small",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            _label("From", ids.F_DATE_FROM),
                            dcc.Dropdown(
                                id=ids.F_DATE_FROM, options=quarter_opts, placeholder="first"
                            ),
                        ],
                        style=QUARTER_PICKER,
                    ),
                    html.Div(
                        [
                            _label("To", ids.F_DATE_TO),
                            dcc.Dropdown(
                                id=ids.F_DATE_TO, options=quarter_opts, placeholder="last"
                            ),
                        ],
                        style=QUARTER_PICKER,
                    ),
                ],
                className="d-flex flex-wrap gap-2 mb-2",
            ),
            _kratom_criteria(),
            dbc.Checklist(
                id=ids.F_SERIOUS,
                options=[{"label": "Serious cases only", "value": "serious"}],
                value=[],
                switch=True,
                className="mb-2 small",
            ),
            dbc.Checklist(
                id=ids.F_DUPLICATES,
                options=[{"label": "Set aside probable duplicates", "value": "hide"}],
                value=[],
                className="mb-0 small",
            ),
            html.P(DUPLICATES_HELP, id=f"{ids.F_DUPLICATES}-help", className="small text-muted"),
            _label("Outcome (any of)", ids.F_OUTCOMES),
            _dropdown(ids.F_OUTCOMES, "outcomes", fm.OUTCOMES, "any outcome"),
            _label("Event group", ids.F_EVENT_GROUPS),
            _dropdown(ids.F_EVENT_GROUPS, "event_groups", fm.EVENT_GROUPS, "any event"),
            _label("Preferred term", ids.F_PTS),
            _dropdown(ids.F_PTS, "pts", choices.get("pts", []), "any term"),
            _label("Co-exposure class", ids.F_SUBSTANCE_CLASSES),
            _dropdown(ids.F_SUBSTANCE_CLASSES, "substance_classes", fm.SUBSTANCE_CLASSES, "any"),
            _label("Co-exposure substance", ids.F_SUBSTANCES),
            _dropdown(ids.F_SUBSTANCES, "substances", choices.get("substances", []), "any"),
            _label("Sex", ids.F_SEXES),
            _dropdown(ids.F_SEXES, "sexes", fm.SEXES, "any"),
            _label("Age band (ICH E11)", ids.F_AGE_BANDS),
            _dropdown(ids.F_AGE_BANDS, "age_bands", fm.AGE_BANDS, "any"),
            _label("Reporter", ids.F_REPORTER_TYPES),
            _dropdown(ids.F_REPORTER_TYPES, "reporter_types", fm.REPORTER_TYPES, "any"),
            _label("Country", ids.F_COUNTRIES),
            _dropdown(ids.F_COUNTRIES, "countries", choices.get("countries", []), "any"),
            _label("Source", ids.F_SOURCES),
            dbc.Checklist(
                id=ids.F_SOURCES,
                options=_options("sources", fm.SOURCES),
                value=["faers-quarterly"],
                className="mb-2 small",
            ),
        ],
        className="filter-panel p-3 bg-light border rounded",
        role="search",
        **{"aria-label": "Filters"},
    )


def headline(label: str, value: str, id_: str) -> dbc.Col:
    return dbc.Col(
        html.Div(
            [
                html.Div(value, id=id_, className="h3 mb-0"),
                html.Div(label, className="small text-muted"),
            ],
            className="p-3 border rounded h-100",
        ),
        xs=6,
        md=4,
        lg=True,
        className="mb-2",
    )


def chart_card(graph_id: str, what: str, *, height: int = 380) -> html.Div:
    """A chart with a line under it saying what is counted and where it comes from."""
    return html.Div(
        [
            dcc.Loading(
                dcc.Graph(
                    id=graph_id,
                    config={"displaylogo": False, "responsive": True},
                    # the custom property lets a phone's stylesheet add to it (layout.css)
                    style={"height": f"{height}px", "--chart-height": f"{height}px"},
                ),
                type="default",
            ),
            html.P(what, className="small text-muted mb-0 mt-1"),
        ],
        className="chart-card border rounded p-2 mb-3 bg-white",
        role="figure",
    )


def ignored_value_note(note: str, without: str, id_: str) -> dbc.Alert:
    """A page's note on a well-formed link value it cannot show (a Signals term no row has, a
    Cases page past the last, a geography without figures), with a link to the same view
    without it."""
    return dbc.Alert(
        [
            html.Strong("A link parameter was ignored: "),
            note,
            " (",
            dcc.Link("open the link without it", href=without),
            ").",
        ],
        id=id_,
        color="info",
        className="py-2 small",
    )
