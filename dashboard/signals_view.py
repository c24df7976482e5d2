"""The Signals page's view keys: the table's terms (`level`), the forest plot's order (`plot`)
and the row whose cumulative history and subgroups are drawn (`term`); the link a control
writes, and the note on a term no row of the table has."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc

from dashboard import components
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.link_writers import search_of, search_with_view

NO_SUCH_ROW = "no row of this table has that term; the history below is the first row's"


def is_rows(value: Any) -> bool:
    """Whether a grid value is a non-empty list of rows (a hand-made request may send anything)."""
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def chosen_term(f: Filters, rows: list | None) -> str | None:
    """The link's `term` when the table (its grid rows) has that row, else the first row's."""
    terms = [r.get("term") for r in rows if isinstance(r, dict)] if is_rows(rows) else []
    chosen = f.signals_term if f.signals_term in terms else next(iter(terms), None)
    return chosen if isinstance(chosen, str) else None


def search_with_controls(search: Any, level: Any, plot: Any, selected: Any) -> str | None:
    """The URL with the level, plot or row the reader chose: a new level drops the row (a term
    of the other level); a row is written only when one is selected. None when the controls
    show what the link does (Dash calls the writer after every drawing of the page, and the
    page selects the link's own row) or hold what no control offers."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    if level != f.signals_level:
        return search_with_view(search, signals_level=level, signals_term=None)
    if plot != f.signals_plot:
        return search_with_view(search, signals_plot=plot)
    term = selected[0].get("term") if is_rows(selected) else None
    return search_with_view(search, signals_term=term) if isinstance(term, str) else None


def term_note(f: Filters, terms: list[str], id_: str) -> dbc.Alert | None:
    """The note on a link's `term` that no row of the table has (None when it has one)."""
    if f.signals_term is None or f.signals_term in terms:
        return None
    without = f"/signals{search_of(f.with_changes(signals_term=None))}"
    note = ignored("term", f.signals_term, NO_SUCH_ROW)
    return components.ignored_value_note(note, without, id_)
