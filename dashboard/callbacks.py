"""Shell callbacks: the filter panel and the URL kept in step, the sentence, notes, nav links and
the navbar's name (its link to the Overview).

The URL is the state. Changing a control rewrites the query string; opening a link sets the
controls from it. Pages never read the controls: their layout(**query) gets the query string.
The notes under the sentence list the link parts that were ignored, and `duplicates=hide` when
the database predates the probable-duplicate flags (`runtime.with_database_notes`); a second note
names the link's values that match no case in the database and the kratom criteria a page does
not apply (`dashboard/link_checks.py`). A page's own controls are view keys of the link: their
callbacks write it through `dashboard/link_writers.py`.

Every value a callback receives is untrusted: a hand-made request can put any JSON in any input
(dashboard/guard.py checks only the shape of the request). Values no control offers are ignored
(`choice`, `filters_from_controls`), never an error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html, no_update

from dashboard import ids, population, runtime
from dashboard.filters import Filters
from dashboard.link_checks import link_notes
from dashboard.link_writers import first_page_if_new, search_of
from dashboard.navbar import BRAND
from dashboard.runtime import with_database_notes

# control id -> Filters field
CONTROLS = {
    ids.F_DATE_FIELD: "date_field",
    ids.F_DATE_FROM: "date_from",
    ids.F_DATE_TO: "date_to",
    ids.F_ROLE: "role",
    ids.F_KRATOM_ONLY: "kratom_only",
    ids.F_PRODUCT_TYPES: "product_types",
    ids.F_SERIOUS: "serious_only",
    ids.F_DUPLICATES: "duplicates",
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
# The layout keywords the page router fills with the raw query string and path (app.create_app).
RAW_SEARCH = "search_raw_"
RAW_PATH = "pathname_raw_"
# Dropdowns whose options come from the data: a link may name a value they do not list (a quarter
# with no kratom case, a rare term), so the link's own values are added to their options.
LISTED = {
    ids.F_DATE_FROM: "date_from",
    ids.F_DATE_TO: "date_to",
    ids.F_PTS: "pts",
    ids.F_SUBSTANCES: "substances",
    ids.F_COUNTRIES: "countries",
}


def choice(value: Any, allowed: Any, default: Any) -> Any:
    """`value` when it is one of `allowed` (equal and of the same type), else `default`."""
    return value if any(type(value) is type(a) and value == a for a in allowed) else default


def options_with_values(f: Filters, options: list) -> list:
    """Each listed dropdown's options, plus the values the filters hold that they lack."""
    out = []
    for field, opts in zip(LISTED.values(), options, strict=True):
        opts = [o for o in opts if isinstance(o, dict)] if isinstance(opts, list) else []
        value = getattr(f, field)
        wanted = [value] if isinstance(value, str) else list(value or ())
        have = {o.get("value") for o in opts if isinstance(o.get("value"), str)}
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
        elif field == "duplicates":
            value = ["hide"] if value == "hide" else []
        elif isinstance(value, tuple):
            value = list(value)
        out.append(value)
    return out


def filters_from_controls(values: list, base: Filters) -> Filters:
    """A Filters from control values; fields without a control (population) come from `base`.

    A value no control offers (a hand-made request) leaves that field as `base` has it.
    """
    changes = {}
    for field, value in zip(CONTROLS.values(), values, strict=True):
        if field == "kratom_only":
            value = {v: k for k, v in _KRATOM_ONLY.items()}.get(
                value if isinstance(value, str) else "all"
            )
        elif field == "serious_only":
            value = value == ["serious"]
        elif field == "duplicates":
            value = "hide" if value == ["hide"] else "show"
        elif isinstance(value, list):
            value = tuple(value)
        changes[field] = value
    if not changes["sources"]:
        changes["sources"] = Filters().sources
    start, end = changes["date_from"], changes["date_to"]
    if isinstance(start, str) and isinstance(end, str) and start > end:
        changes["date_from"], changes["date_to"] = end, start
    try:
        return first_page_if_new(base, base.with_changes(**changes))
    except (TypeError, ValueError):
        pass
    f = base
    for field, value in changes.items():
        try:
            f = f.with_changes(**{field: value})
        except (TypeError, ValueError):
            continue
    return first_page_if_new(base, f)


def kratom_criteria_state(search: Any, pathname: Any) -> tuple[bool, str | None]:
    """Whether the kratom criteria controls are disabled on this page, and the note saying why:
    a population=all link makes Overview, Event types and Cases ignore them (`to_sql`), while
    the pages of `population.KRATOM_PAGES` still apply them."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    path = pathname if isinstance(pathname, str) else "/"
    if population.kratom_criteria_apply(f, path):
        return False, None
    return True, population.criteria_note(f)


def page_query(query: dict) -> str:
    """The query string a page's layout(**query) was given, as text for its Store.

    The raw text of the link when the router passed it (RAW_SEARCH): Dash's own parse replaces
    invalid UTF-8 and keeps malformed escapes, which the filters would then read as values.
    """
    raw = query.get(RAW_SEARCH)
    if isinstance(raw, str):
        return raw.removeprefix("?")
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
        search = search if isinstance(search, str) else ""
        current, _ = Filters.from_query(search)
        if trigger in (None, ids.URL):
            return no_update, *control_values(current), *options_with_values(current, options)
        wanted = search_of(filters_from_controls(list(values), current))
        same = wanted == search
        return (no_update if same else wanted), *([no_update] * len(ctrl)), *keep

    @callback(
        Output(ids.F_KRATOM_CRITERIA, "disabled"),
        Output(ids.F_PRODUCT_TYPES, "disabled"),
        Output(ids.F_KRATOM_CRITERIA_NOTE, "children"),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
    )
    def kratom_criteria(search, pathname):
        disabled, note = kratom_criteria_state(search, pathname)
        return disabled, disabled, note

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
        Output(BRAND, "href"),
        Input(ids.URL, "search"),
    )
    def describe(search):
        f, notes = Filters.from_query(search if isinstance(search, str) else "")
        notes = with_database_notes(f, notes)
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
        return f.describe(), alert, *[p + suffix for p in paths], "/" + suffix

    @callback(
        Output(ids.LINK_NOTES, "children"),
        Input(ids.URL, "search"),
        Input(ids.URL, "pathname"),
    )
    def check_link(search, pathname):
        f, _ = Filters.from_query(search if isinstance(search, str) else "")
        path = pathname if isinstance(pathname, str) else "/"
        return link_alert(link_notes(runtime.database(), f, path))


def link_alert(notes: list[str]) -> dbc.Alert | None:
    """The shell's second note: link values matching no case, criteria not applied here."""
    if not notes:
        return None
    return dbc.Alert(
        [html.Strong("Note: "), "; ".join(notes), "."],
        color="warning",
        className="py-2 small",
    )
