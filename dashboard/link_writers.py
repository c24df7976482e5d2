"""What pages write into the link: the URL search for a Filters, a page's own control written as
a view key of the link (`view_control_to_url`, `search_with_view`), a clicked bar's term added
to its filter (`search_with_click`). The URL is the state (`dashboard/callbacks.py`): a writer
returns the new search, and the router draws the page from it.

Every value a writer receives is untrusted (a hand-made request can put any JSON in any input):
a value a link cannot hold writes nothing, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import Input, Output, State, no_update

from dashboard import ids
from dashboard.filters import Filters


def first_page_if_new(base: Filters, f: Filters) -> Filters:
    """`f`, on the Cases table's first page when it selects other cases than `base` (page 3 of
    another selection is no place to land)."""
    if f.cases_page != 1 and f.selection() != base.selection():
        return f.with_changes(cases_page=1)
    return f


def search_of(f: Filters) -> str:
    q = f.to_query()
    return f"?{q}" if q else ""


def search_with_view(search: Any, **changes: Any) -> str | None:
    """The URL search with the view keys `changes` set ("" when nothing is left): what a page's
    own control writes. None when the link already shows them (Dash calls a control's writer
    after every drawing of its page, with the value the layout gave it) or when a value is not
    one a link can hold (a hand-made request)."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    try:
        wanted = f.with_changes(**changes)
    except (TypeError, ValueError):
        return None
    return None if wanted == f else search_of(wanted)


def view_control_to_url(control_id: str, field: str, shown: Callable[[Filters], Any] | None = None):
    """Register and return the writer of a page's own control (`control_id`, its `value`) into
    the link: the URL with the view key of Filters field `field` set; the router then draws the
    page from it (the dated-events switch writes `show_marks`, Events' number of terms
    `events_top`). `shown(filters)`, when given, is the value the page shows for a link (Latest
    quarter's `q`: the newest file when the link has none, or names one not loaded): the control
    holds that value, and choosing it again writes nothing. Registered through `dash.callback`
    as looked up at the call, as a page's own `@callback` is (a test that imports a page with
    `dash.callback` replaced registers none)."""

    @dash.callback(
        Output(ids.URL, "search", allow_duplicate=True),
        Input(control_id, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def control_to_url(value: Any, search: str | None):
        if shown is not None:
            f, _ = Filters.from_query(search if isinstance(search, str) else "")
            if value == shown(f):
                return no_update
        wanted = search_with_view(search, **{field: value})
        return no_update if wanted is None else wanted  # "" clears the query: not a no-op

    return control_to_url


def search_with_click(
    search: str | None, click: dict | None, fields: tuple[str, ...]
) -> str | None:
    """The URL search with a clicked bar's term added to its filter; None when nothing to do.

    Bars carry `customdata = [filters_field, value]`; only `fields` may be changed by a click.
    """
    points = click.get("points") if isinstance(click, dict) else None
    point = points[0] if isinstance(points, list) and points else None
    data = point.get("customdata") if isinstance(point, dict) else None
    field, value = [*(data if isinstance(data, list) else []), None, None][:2]
    if not isinstance(field, str) or field not in fields or not isinstance(value, str):
        return None
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    if value in getattr(f, field):
        return None
    try:
        wanted = f.with_changes(**{field: (*getattr(f, field), value)})
    except ValueError:  # over the caps of a list or of a link: leave the filters as they are
        return None
    return search_of(first_page_if_new(f, wanted))
