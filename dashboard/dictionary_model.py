"""The shape of the data dictionary: a table of the extracts and its columns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    meaning: str


@dataclass(frozen=True)
class Table:
    key: str  # the extract's name: cases, substances, events
    name: str  # the model table
    grain: str  # what one row is
    columns: tuple[Column, ...]
