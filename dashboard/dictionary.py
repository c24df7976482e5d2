"""The data dictionary of the extract tables: the one source of truth.

The tables' columns are in `dictionary_cases.py` and `dictionary_substances_events.py`, the
codes of their coded columns in `dictionary_codes.py`; this module gathers them. The About page
shows it, and `docs/data-dictionary.md` is generated from it (`python -m dashboard.dictionary >
docs/data-dictionary.md`; a test keeps the two equal and checks every column against the
database the real pipeline builds). The rules come from the SQL in
`etl/sql/staging/` and `etl/sql/model/`. Every extract carries the rows of its own columns
(`dashboard/extract_dictionary.py`).
"""

from __future__ import annotations

from dashboard.dictionary_cases import CASES
from dashboard.dictionary_model import Table
from dashboard.dictionary_substances_events import EVENTS, SUBSTANCES

TABLES: tuple[Table, ...] = (CASES, SUBSTANCES, EVENTS)


def markdown() -> str:
    """The dictionary as Markdown: the text of docs/data-dictionary.md."""
    lines = [
        "# Data dictionary",
        "",
        "<!-- Generated from dashboard/dictionary*.py: edit those files, then run",
        "     `python -m dashboard.dictionary > docs/data-dictionary.md`. -->",
        "",
        "The extract tables the dashboard downloads and `kratom-etl export` writes, column by "
        "column, and the codes of the coded columns with the labels the dashboard shows. The "
        "About page shows the same text, and every extract carries it for its own columns "
        "(dictionary.csv, or the workbook's Dictionary sheet). Counts are of deduplicated cases.",
    ]
    for table in TABLES:
        lines += ["", f"## {table.key} (`{table.name}`)", "", table.grain, ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {c.meaning} |" for c in table.columns]
        coded = [c for c in table.columns if c.codes]
        if coded:
            lines += ["", f"Codes of the coded columns of {table.key}:", ""]
            lines += ["| column | code | meaning |", "|---|---|---|"]
            lines += [f"| `{c.name}` | `{k.code}` | {k.meaning} |" for c in coded for k in c.codes]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
