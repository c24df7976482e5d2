"""Decide whether a FAERS drug name is kratom, and which kind of product, from kratom_terms.csv.

The SQL build uses the same patterns on the same normalised text (see NORMALISED_NAME_SQL), so
Python and DuckDB agree; tests prove it on every example.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from etl.reference_data import load_reference

# The whitespace RE2 and Python both know; \s differs between them (\v), so it is spelled out.
_SPACES = "[ \t\n\r\f\v]+"

# DuckDB expression producing the text the patterns are matched against; format with a column.
NORMALISED_NAME_SQL = "trim(regexp_replace(upper({column}), '[ \\t\\n\\r\\f\\v]+', ' ', 'g'))"


@dataclass(frozen=True)
class KratomTerm:
    """One reviewed pattern: when it matches, the name is kratom of this product type."""

    pattern_id: str
    pattern: str
    product_type: str
    priority: int
    source: str
    regex: re.Pattern[str] = field(compare=False, repr=False)


def normalise_name(name: str) -> str:
    """Upper-case and collapse runs of whitespace to one space, as the SQL does."""
    return re.sub(_SPACES, " ", name.upper()).strip(" ")


@cache
def load_terms(directory: Path | None = None) -> list[KratomTerm]:
    """The validated terms, best (lowest priority, then pattern_id) first."""
    frame = load_reference("kratom_terms", directory).sort(["priority", "pattern_id"])
    return [
        KratomTerm(
            pattern_id=row["pattern_id"],
            pattern=row["pattern"],
            product_type=row["product_type"],
            priority=row["priority"],
            source=row["source"],
            regex=re.compile(row["pattern"], re.ASCII),
        )
        for row in frame.iter_rows(named=True)
    ]


def openfda_search_words(directory: Path | None = None) -> list[str]:
    """The words the openFDA search asks for: every term's `openfda_words` ('|'-separated), in
    file order, each once. A term without words says why in `openfda_note` (another term's
    words find its names); the reviewed patterns then decide which reports are kratom.
    """
    words: dict[str, None] = {}
    for cell in load_reference("kratom_terms", directory)["openfda_words"].drop_nulls():
        words.update(dict.fromkeys(cell.split("|")))
    return list(words)


def matching_terms(name: str | None, terms: list[KratomTerm] | None = None) -> list[KratomTerm]:
    """Every term matching the name, best first; empty for None or blank names."""
    if not name:
        return []
    text = normalise_name(name)
    return [term for term in terms or load_terms() if term.regex.search(text)]


def match_kratom(name: str | None, terms: list[KratomTerm] | None = None) -> KratomTerm | None:
    """The winning term for a drug name (lowest priority number), or None if it is not kratom."""
    found = matching_terms(name, terms)
    return found[0] if found else None
