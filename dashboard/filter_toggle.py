"""The filter panel's toggle on a phone: below 600 px the panel is closed behind a button that
says how many filters are set ("Filters (2 set)"), so the numbers come first; a click opens it.

From 600 px the button is hidden and the panel always shown (`assets/layout.css`): the class the
toggle flips only hides the panel below 600 px, so a window widened past it shows the panel
whatever the toggle's state. Not an html.Details: a closed <details> hides its content at every
width, and CSS cannot open it again above 600 px in most browsers. The controls stay in the page
(only hidden), so they keep writing the link as before.
"""

from __future__ import annotations

from typing import Any

from dash import Input, Output, callback, clientside_callback, html

from dashboard import ids
from dashboard.callbacks import CONTROLS
from dashboard.filters import Filters

TOGGLE = "filters-toggle"
BOX = "filters-box"
OPEN, CLOSED = "filters-box", "filters-box filters-closed"

# n_clicks -> the box's class and the button's aria-expanded: odd is open. In the browser only,
# no request: a toggle has nothing to ask the server.
_FLIP = (
    "function (n) {"
    " const open = (n || 0) % 2 === 1;"
    f' return [open ? "{OPEN}" : "{CLOSED}", open ? "true" : "false"];'
    " }"
)


def filters_set(f: Filters) -> int:
    """How many of the panel's controls are not at their default (a list counts once, however
    many values it holds; From and To count one each)."""
    default = Filters()
    return sum(getattr(f, field) != getattr(default, field) for field in CONTROLS.values())


def toggle_text(search: Any) -> str:
    """The button's words for a URL search: 'Filters (none set)', 'Filters (2 set)'."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    n = filters_set(f)
    return f"Filters ({n} set)" if n else "Filters (none set)"


def closable(panel: html.Div) -> html.Div:
    """The panel under its toggle, closed (on a phone) until the toggle is clicked."""
    button = html.Button(
        "Filters",
        id=TOGGLE,
        n_clicks=0,
        type="button",
        className="filters-toggle btn btn-outline-secondary w-100 mb-2",
        **{"aria-expanded": "false", "aria-controls": BOX},
    )
    return html.Div([button, html.Div(panel, id=BOX, className=CLOSED)])


def register() -> None:
    """The button's words follow the link; its clicks open and close the panel."""
    if getattr(register, "done", False):
        return
    register.done = True

    @callback(Output(TOGGLE, "children"), Input(ids.URL, "search"))
    def words(search):
        return toggle_text(search)

    clientside_callback(
        _FLIP,
        Output(BOX, "className"),
        Output(TOGGLE, "aria-expanded"),
        Input(TOGGLE, "n_clicks"),
    )
