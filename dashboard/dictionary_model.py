"""The shape of the data dictionary: a table of the extracts, its columns and their codes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    """One value of a coded column: the code as the data holds it, the app's label for it, and
    where it comes from or what it spans (may be empty)."""

    code: str
    label: str
    detail: str = ""

    @property
    def meaning(self) -> str:
        return f"{self.label}: {self.detail}" if self.detail else self.label


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    meaning: str
    codes: tuple[Code, ...] = ()  # every value of a coded column; () for a free or numeric one


@dataclass(frozen=True)
class Table:
    key: str  # the extract's name: cases, substances, events
    name: str  # the model table
    grain: str  # what one row is
    columns: tuple[Column, ...]
