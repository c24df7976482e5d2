"""FAERS file names and header rules: which member is which table, and what its columns are.

Header rule: names are split on `$`, trimmed and lower-cased, then renamed to the unified names of
`raw.*` (see RENAMES). `layout` is "aers" when the header has `isr`, else "faers".

Trailing `$`: legacy (aers) data rows end with an extra `$` that has no header field. A file is
read in trailing-`$` mode when its layout is aers or its header itself ends with `$`. The header
may also name that column with a placeholder, as R's fwrite does (`isr$pt$v3`, or `...$$v3`): in an
aers header, a LAST name `v<k>` (optionally after an empty name) where k is the number of real
columns + 1 is taken to be the trailing-`$` column and dropped. Any other unknown name is an error.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from etl.errors import InputError

TABLES = ("demo", "drug", "reac", "outc", "rpsr", "ther", "indi")

RENAMES = {
    "isr": "primaryid",
    "case": "caseid",
    "i_f_cod": "i_f_code",
    "gndr_cod": "sex",
    "lot_nbr": "lot_num",
    "outc_code": "outc_cod",
}
TABLE_RENAMES = {"ther": {"drug_seq": "dsg_drug_seq"}, "indi": {"drug_seq": "indi_drug_seq"}}

TABLE_FILE = re.compile(r"^(demo|drug|reac|outc|rpsr|ther|indi)(\d{2})q([1-4])[^/]*\.txt$", re.I)
DELETED_FILE = re.compile(r"^[^/]*delete[^/]*\.txt$", re.I)
SYNTHETIC_FILE = "synthetic.txt"
ARCHIVE_QUARTER = re.compile(r"(?<!\d)((?:19|20)\d{2})q([1-4])(?!\d)", re.I)
_PLACEHOLDER = re.compile(r"v(\d+)")


@dataclass(frozen=True)
class Header:
    """A table file's header, read."""

    text: str  # names trimmed, lower-cased, '$'-joined, as found
    layout: str  # aers | faers
    columns: tuple[str | None, ...]  # unified name per field position; None = ignored column
    trailing_dollar: bool  # data rows end with an extra '$'
    ignored: tuple[str, ...]  # unknown names dropped on request

    @property
    def width(self) -> int:
        return len(self.columns)


def table_file_quarter(basename: str) -> tuple[str, str] | None:
    """(table, quarter) for a table file name such as DEMO04Q1.TXT -> ("demo", "2004Q1")."""
    match = TABLE_FILE.match(basename)
    if not match:
        return None
    table, yy, q = match.groups()
    return table.lower(), f"20{yy}Q{q}"


def archive_quarter(name: str) -> str | None:
    """The quarter an archive's name gives, e.g. faers_ascii_2012q4.zip -> 2012Q4."""
    match = ARCHIVE_QUARTER.search(name)
    return f"{match.group(1)}Q{match.group(2)}" if match else None


def _drop_trailing_column(names: list[str], layout: str) -> tuple[list[str], bool]:
    """Names without the trailing-`$` column (placeholder or empty), and whether there was one."""
    last = _PLACEHOLDER.fullmatch(names[-1]) if layout == "aers" and len(names) > 1 else None
    if last:
        real = names[:-1]
        if real and real[-1] == "":
            real = real[:-1]
        if int(last.group(1)) == len(real) + 1:
            return real, True
    if len(names) > 1 and names[-1] == "":
        return names[:-1], True
    return names, layout == "aers"


def unified_name(table: str, name: str) -> str:
    """The raw.* column name for a header name of `table`."""
    return TABLE_RENAMES.get(table, {}).get(name) or RENAMES.get(name, name)


def parse_header(
    line: str, table: str, known: Collection[str], *, file: str, ignore_unknown: bool = False
) -> Header:
    """Read a header line of `table`; unknown names raise InputError unless `ignore_unknown`."""
    found = [name.strip().lower() for name in line.split("$")]
    layout = "aers" if "isr" in found else "faers"
    names, trailing = _drop_trailing_column(found, layout)
    columns: list[str | None] = []
    ignored: list[str] = []
    for position, name in enumerate(names, start=1):
        unified = unified_name(table, name)
        if unified in known and unified not in columns:
            columns.append(unified)
            continue
        if unified in columns:
            raise InputError(file, f"column {name!r} appears twice", line=1, field=name)
        if not ignore_unknown:
            what = f"unknown column {name!r}" if name else f"empty column name at {position}"
            raise InputError(file, f"{what} in the {table.upper()} header", line=1, field=name)
        columns.append(None)
        ignored.append(name)
    if "primaryid" not in columns:
        raise InputError(file, "header has no ISR/primaryid column: not a FAERS table", line=1)
    return Header("$".join(found), layout, tuple(columns), trailing, tuple(ignored))
