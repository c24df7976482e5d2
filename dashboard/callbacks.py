"""Shell callbacks: the filter panel and the URL kept in step, the sentence, notes and nav links.

The URL is the state. Changing a control rewrites the query string; opening a link sets the
controls from it. Pages never read the controls: their layout(**query) gets the query string.
"""

from __future__ import annotations

from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

from dashboard import ids
from dashboard.filters import Filters

# control id -> Filters field
CONTROLS = {
    ids.F_DATE_FIELD: "date_field",
    ids.F_DATE_FROM: "date_from",
    ids.F_DATE_TO: "date_to",
    ids.F_ROLE: "role",
    ids.F_KRATOM_ONLY: "kratom_only",
    ids.F_PRODUCT_TYPES: "product_types",
    ids.F_SERIOUS: "serious_only",
    ids.F_OUTCOMES: "outcomes",
    ids.F_SEXES: "sexes",
    ids.F_AGE_BANDS: "age_bands",
    ids.F_REPORTER_TYPES: "reporter_types",
    ids.F_COUNTRIES: "countries",
    ids.F_EVENT_GROUPS: "event_groups",
    ids.F_PTS: "pts",
    ids.F_SUBSTANCES: "substances",
    ids.F_SUBSTANCE_CLASSES: "substance_classes",
    ids.F_SOURCES: "sources",
}
_KRATOM_ONLY = {None: "all", True: "only", False: "others"}
# Dropdowns whose options come from the data: a link may name a value they do not list (a quarter
# with no kratom case, a rare term), so the link's own values are added to their options.
LISTED = {
    ids.F_DATE_FROM: "date_from",
    ids.F_DATE_TO: "date_to",
    ids.F_PTS: "pts",
    ids.F_SUBSTANCES: "substances",
    ids.F_COUNTRIES: "countries",
}


def options_with_values(f: Filters, options: list) -> list:
    """Each listed dropdown's options, plus the values the filters hold that they lack."""
    out = []
    for field, opts in zip(LISTED.values(), options, strict=True):
        opts = list(opts or [])
        value = getattr(f, field)
        wanted = [value] if isinstance(value, str) else list(value or ())
        have = {o["value"] for o in opts}
        extra = [{"label": v, "value": v} for v in wanted if v not in have]
        out.append(opts + extra if extra else no_update)
    return out


def control_values(f: Filters) -> list:
    """The value of every control for a Filters, in CONTROLS order."""
    out = []
    for field in CONTROLS.values():
        value = getattr(f, field)
        if field == "kratom_only":
            value = _KRATOM_ONLY[value]
        elif field == "serious_only":
            value = ["serious"] if value else []
        elif isinstance(value, tuple):
            value = list(value)
        out.append(value)
    return out


def filters_from_controls(values: list, base: Filters) -> Filters:
    """A Filters from control values; fields without a control (population) come from `base`."""
    changes = {}
    for field, value in zip(CONTROLS.values(), values, strict=True):
        if field == "kratom_only":
            value = {v: k for k, v in _KRATOM_ONLY.items()}.get(value)
        elif field == "serious_only":
            value = bool(value)
        elif isinstance(value, list):
            value = tuple(value)
        changes[field] = value
    if not changes["sources"]:
        changes["sources"] = Filters().sources
    if changes["date_from"] and changes["date_to"] and changes["date_from"] > changes["date_to"]:
        changes["date_from"], changes["date_to"] = changes["date_to"], changes["date_from"]
    return base.with_changes(**changes)


def search_of(f: Filters) -> str:
    q = f.to_query()
    return f"?{q}" if q else ""


def search_with_click(
    search: str | None, click: dict | None, fields: tuple[str, ...]
) -> str | None:
    """The URL search with a clicked bar's term added to its filter; None when nothing to do.

    Bars carry `customdata = [filters_field, value]`; only `fields` may be changed by a click.
    """
    points = (click or {}).get("points") or [{}]
    field, value = [*(points[0].get("customdata") or []), None, None][:2]
    if field not in fields or not isinstance(value, str):
        return None
    f, _ = Filters.from_query(search or "")
    if value in getattr(f, field):
        return None
    try:
        return search_of(f.with_changes(**{field: (*getattr(f, field), value)}))
    except ValueError:  # over the caps of a list or of a link: leave the filters as they are
        return None


def page_query(query: dict) -> str:
    """The query string a page's layout(**query) was given, as text for its Store."""
    return urlencode({k: v for k, v in query.items() if not k.endswith("_")}, doseq=True)


def register() -> None:
    """Register the shell's callbacks (idempotent: Dash keeps one global callback list)."""
    if getattr(register, "done", False):
        return
    register.done = True
    ctrl = list(CONTROLS)

    listed = list(LISTED)

    @callback(
        Output(ids.URL, "search"),
        [Output(c, "value") for c in ctrl],
        [Output(c, "options") for c in listed],
        Input(ids.URL, "search"),
        Input(ids.RESET, "n_clicks"),
        [Input(c, "value") for c in ctrl],
        [State(c, "options") for c in listed],
    )
    def sync_filters(search, _reset, *values_and_options):
        values, options = values_and_options[: len(ctrl)], values_and_options[len(ctrl) :]
        trigger = ctx.triggered_id
        keep = [no_update] * len(listed)
        if trigger == ids.RESET:
            return "", *control_values(Filters()), *keep
        current, _ = Filters.from_query(search or "")
        if trigger in (None, ids.URL):
            return no_update, *control_values(current), *options_with_values(current, options)
        wanted = search_of(filters_from_controls(list(values), current))
        same = wanted == (search or "")
        return (no_update if same else wanted), *([no_update] * len(ctrl)), *keep

    nav_ids = [
        f"nav-{p['module'].split('.')[-1]}"
        for p in dash.page_registry.values()
        if p.get("nav", True)
    ]
    paths = [p["path"] for p in dash.page_registry.values() if p.get("nav", True)]

    @callback(
        Output(ids.DESCRIPTION, "children"),
        Output(ids.NOTES, "children"),
        [Output(n, "href") for n in nav_ids],
        Input(ids.URL, "search"),
    )
    def describe(search):
        f, notes = Filters.from_query(search or "")
        alert = (
            dbc.Alert(
                [html.Strong("Some link parameters were ignored: "), "; ".join(notes)],
                color="info",
                className="py-2 small",
            )
            if notes
            else None
        )
        suffix = search_of(f)
        return f.describe(), alert, *[p + suffix for p in paths]
