"""An extract's own data dictionary: dictionary.csv in the zips, the Dictionary sheet of a
workbook.

One row per column of each table in the file (`table`, `column`, `type`, `meaning`), then, for a
coded column, one row per code (`code`, `meaning`, and `rows_with_code`: how many rows of that
table in this file hold it). Every code of the column's list is given, held or not (0), in the
dashboard's order; a value the list lacks (a code FDA added later, say) follows with
UNLISTED_CODE, so every code in the file is explained. The text is the data dictionary's
(`dashboard/dictionary.py`: docs/data-dictionary.md and the About page show the same), the codes'
labels the app's (`dashboard/dictionary_codes.py`). A column the dictionary does not describe
(a file built by a newer ETL) gets UNDESCRIBED and its type as the file holds it.
"""

from __future__ import annotations

import polars as pl

from dashboard.dictionary import TABLES
from dashboard.dictionary_model import Column

FILE = "dictionary.csv"
SHEET = "Dictionary"
SCHEMA = {
    "table": pl.String,
    "column": pl.String,
    "code": pl.String,
    "type": pl.String,
    "meaning": pl.String,
    "rows_with_code": pl.Int64,
}
ONE_ROW_PER = (
    "column of each table in this file (its type and meaning), and per code of a coded column "
    "(its meaning, and rows_with_code: how many of the table's rows in this file hold it)"
)
UNLISTED_CODE = "Not on the dashboard's list of codes: shown as the data holds it."
UNDESCRIBED = "Not described in this dashboard's data dictionary."
_COLUMNS = {table.key: {c.name: c for c in table.columns} for table in TABLES}


def dictionary_frame(tables: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """The dictionary rows of the tables as written to the file (cut or not), in file order."""
    rows: list[tuple] = []
    for table, df in tables.items():
        described = _COLUMNS.get(table, {})
        for name in df.columns:
            column = described.get(name)
            if column is None:
                rows.append((table, name, None, str(df.schema[name]), UNDESCRIBED, None))
                continue
            rows.append((table, name, None, column.type, column.meaning, None))
            if column.codes:
                rows += _code_rows(table, column, df[name])
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def _code_rows(table: str, column: Column, values: pl.Series) -> list[tuple]:
    held = {
        str(value): n
        for value, n in values.drop_nulls().value_counts().iter_rows()
        if value is not None
    }
    listed = [(c.code, c.meaning) for c in column.codes]
    unlisted = sorted(set(held) - {c.code for c in column.codes})
    listed += [(code, UNLISTED_CODE) for code in unlisted]
    return [(table, column.name, code, None, words, held.get(code, 0)) for code, words in listed]
