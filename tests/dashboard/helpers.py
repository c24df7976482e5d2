"""Helpers for the dashboard tests: pages as Dash imports them, figures, the text of a layout."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import dash
import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import runtime

PAGES = Path(__file__).resolve().parents[2] / "dashboard" / "pages"


def isolated_page(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A page module as plain functions: no page registered, no callback left in Dash's lists."""
    monkeypatch.setattr(dash, "register_page", lambda *args, **kwargs: None)
    monkeypatch.setattr(dash, "callback", lambda *args, **kwargs: lambda fn: fn)
    spec = importlib.util.spec_from_file_location(f"_isolated_page_{name}", PAGES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plotly_figure(fig: dict) -> go.Figure:
    """A builder's figure dict as plotly's Figure, validated against plotly's schema.

    The dashboard sends figures as plain dicts (fast); building the Figure here checks every
    property name and value once, in the tests, and gives the tests attribute access.
    """
    return go.Figure(fig)


def rows(df: pl.DataFrame) -> list[tuple]:
    return [tuple(r) for r in df.iter_rows()]


def dash_page(db_path: Path, module: str) -> ModuleType:
    """`pages.<name>` as Dash's page loader imports it, with the app pointed at `db_path`."""
    if module not in sys.modules:
        from dashboard.app import create_app

        create_app(db_path)
    runtime.configure(db_path)
    return sys.modules[module]


def text_of(component) -> str:
    """All the text a Dash component tree shows, space-separated."""
    if component is None:
        return ""
    if isinstance(component, str | int | float):
        return str(component)
    if isinstance(component, list | tuple):
        return " ".join(text_of(c) for c in component)
    return text_of(getattr(component, "children", None))


def annotation_texts(figure: go.Figure) -> list[str]:
    """The figure's annotations as read: each text with its line breaks as spaces (an empty
    chart's sentence is broken into short lines to fit narrow cards)."""
    return [a.text.replace("<br>", " ") for a in figure.layout.annotations]


def find_component(component, component_id: str):
    """The component with `component_id` in a layout tree, else None."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            found = find_component(child, component_id)
            if found is not None:
                return found
    return None
