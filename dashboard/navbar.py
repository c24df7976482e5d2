"""The navbar: the product's name and a link to every page, behind a menu button under 768 px.

The links' natural row is about 1,180 px wide: at 768 px they wrap to two rows beside the name,
and under 768 px (Bootstrap's `md`, where the navbar is built to collapse) the name went above
three rows of links, four on a phone (176 px of a 420 px window before any number). There the
links wait behind a "Pages" button that says whether they are shown (`aria-expanded`) and
which box it opens (`aria-controls`); a click, or Enter or Space on it, opens them in a wrapping
row under the name, another closes them, and so does following a link (a new page starts with
the menu closed). From 768 px Bootstrap's own navbar CSS shows the links and hides the button,
whatever the button's state, as the filter panel's toggle does from 600 px
(`dashboard/filter_toggle.py`): a class flipped in the browser (a clientside callback, no
request), the links only hidden, so they keep following the filters in the link. The name
links to the Overview with the link's filters too (`BRAND`, its href set with the links').
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, clientside_callback, html

from dashboard import ids

TITLE = "Kratom harms watch"
BRAND = "nav-brand"  # the name links to the Overview, keeping the link's filters as the links do
TOGGLE = "nav-toggle"
BOX = "nav-box"
# justify-content-end: from 768 px the links sit at the right, as they did beside the name
CLOSED = "navbar-collapse collapse justify-content-end"
OPEN = f"{CLOSED} show"

# (clicks, path, expanded) -> the box's class and the button's aria-expanded: a click flips the
# menu, a new page (the path changed) closes it.
_FLIP = (
    "function (n, path, expanded) {"
    " const ctx = window.dash_clientside.callback_context;"
    " const clicked = ctx.triggered.some(t => t.prop_id.startsWith('" + TOGGLE + ".'));"
    ' const open = clicked && expanded !== "true";'
    f' return [open ? "{OPEN}" : "{CLOSED}", open ? "true" : "false"];'
    " }"
)


def page_links() -> list[dbc.NavItem]:
    """A link to each page shown in the navbar, its id `nav-<module>` (callbacks keep their
    hrefs on the link's filters)."""
    return [
        dbc.NavItem(
            dbc.NavLink(page["name"], href=page["path"], id=f"nav-{page['module'].split('.')[-1]}")
        )
        for page in dash.page_registry.values()
        if page.get("nav", True)
    ]


def navbar() -> dbc.Navbar:
    """The dark bar on top of every page: the name, the menu button, the page links."""
    button = html.Button(
        [html.Span(className="navbar-toggler-icon"), html.Span("Pages", className="ms-2")],
        id=TOGGLE,
        n_clicks=0,
        type="button",
        className="navbar-toggler",
        **{"aria-expanded": "false", "aria-controls": BOX},
    )
    links = dbc.Nav(page_links(), id=ids.NAV, navbar=True, className="flex-wrap")
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand(TITLE, href="/", id=BRAND),
                button,
                html.Div(links, id=BOX, className=CLOSED),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        expand="md",
        className="mb-3",
    )


def register() -> None:
    """The button's clicks open and close the links; a new page closes them."""
    if getattr(register, "done", False):
        return
    register.done = True
    clientside_callback(
        _FLIP,
        Output(BOX, "className"),
        Output(TOGGLE, "aria-expanded"),
        Input(TOGGLE, "n_clicks"),
        Input(ids.URL, "pathname"),
        State(TOGGLE, "aria-expanded"),
    )
