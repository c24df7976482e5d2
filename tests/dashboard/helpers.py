"""Helpers for the dashboard tests: pages as Dash imports them, and the text of a layout."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

from dashboard import runtime


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
