"""Downloadable extracts that explain themselves: CSV, Parquet and XLSX with a manifest.

One function, `build_extract`, serves the dashboard's download buttons and `kratom-etl export`:
the same link (URL query) gives the same rows in either place.

What an extract holds: the cases of `model.cases` matching the filters (`Filters.to_sql`), every
column, `is_synthetic` included; the substances (`model.case_substances`) and events
(`model.case_events`) of those cases. A `population=all` link downloaded from a page that shows
kratom cases whatever the population (Latest quarter, Co-exposures, Indications, Trends, Signals;
`dashboard/population.py`) gives the kratom cases that page shows, under the link's kratom
criteria, and the manifest's filters, sentence and notes say so (`as_the_page_shows`); the page
is the view the download bar passes, or the path of a full link given to `kratom-etl export`.
From Signals the file holds the cases its table counts (`dashboard/signals_extract.py`): the
filters the table does not apply are left out, each with a note. With them, a data dictionary
of the file's columns and codes (`dashboard/extract_dictionary.py`), and a manifest saying what
was selected (in English and as a link), the data vintage, row counts, sources and caveats, and
whether the FAERS data is synthetic (`dashboard/extract_manifest.py`).

Formats (written by `dashboard/extract_writers.py`; the name says which cases and when:
`<population>_<ALL|FILTERED>_<yyyymmdd-hhmmss>Z.<suffix>`, the population `kratom` (kratom
cases) or `all-drugs` (`population=all`: every FAERS case), `ALL` for every case of it with no
other filter, else `FILTERED`; the time is UTC. The manifest's `population` says the same):
- `csv`: a `.csv.zip` of cases.csv, substances.csv, events.csv (UTF-8 with BOM), dictionary.csv,
  manifest.json and README.txt. Each CSV stays within spreadsheet limits: at most
  SPREADSHEET_MAX_ROWS lines counting the header; the manifest says which tables were cut and
  by how many rows.
- `parquet`: a `.parquet.zip` of cases.parquet, substances.parquet, events.parquet,
  dictionary.csv, manifest.json and README.txt. Complete, never cut; each Parquet file also
  carries the manifest JSON in its key-value metadata under MANIFEST_KEY.
- `xlsx`: one workbook with the sheets About (the manifest as rows), Cases, Substances, Events,
  each cut at Excel's row limit with a note in About, and Dictionary. Text is always written as
  text; each table sheet has a frozen header row and an autofilter.

Caps: each table may hold at most MAX_ROWS rows (beyond that the extract refuses with
`ExtractTooLarge`: narrow the filters); each query stops after TIMEOUT_S seconds (QueryTimeout
from dashboard/db.py). Link parameters that cannot be read are ignored with the same notes as
the dashboard shows, and the notes are written into the manifest. The Poison centers page's
geography (`geo`) selects published figures, not cases, and the pages' own controls (`top`,
`level`, `plot`, `term`, `sort`, `page`, `marks`) only change how a page shows its cases: an
extract leaves each out of its filters and link, with a note (`without_view_keys`).
`duplicates=hide` over a file built before the probable-duplicate flags sets nothing aside: the
extract then holds every case, its filters say so (`duplicates` left out) and a note says why;
its cases table still has `duplicate_of`, empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from dashboard import extract_manifest, link_checks, population, runtime, signals_extract
from dashboard.db import Database, RowCapExceeded
from dashboard.extract_dictionary import FILE as DICTIONARY_FILE
from dashboard.extract_dictionary import SHEET as DICTIONARY_SHEET
from dashboard.extract_dictionary import dictionary_frame
from dashboard.extract_manifest import make_manifest
from dashboard.extract_writers import SHEETS, WRITERS
from dashboard.filter_params import FIELDS, VIEW_KEYS, as_text
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.queries import extracts as q
from dashboard.queries import has_duplicate_flags, kratom_filters

MAX_ROWS = 2_000_000  # per table of one extract
TIMEOUT_S = 120.0  # per query of one extract
FORMATS = {"csv": "csv.zip", "parquet": "parquet.zip", "xlsx": "xlsx"}
# Why an extract leaves out each view key of a link (they select no case).
VIEW_KEY_NOTES = {
    "geo": "the geography applies to the published poison-centre figures, not to cases",
    "top": "how many terms the Event types page charts; it selects no case",
    "split": "what the Event types page compares event groups across; it selects no case",
    "level": "the Signals table's terms; it selects no case",
    "plot": "the order of the Signals forest plot; it selects no case",
    "term": "the Signals row whose history is drawn; it selects no case",
    "sort": "the order of the Cases table; the extract lists the cases by case number",
    "page": "a page of the Cases table; the extract holds every matching case",
    "marks": "whether charts mark dated events; it selects no case",
    "q": "the quarter the Latest quarter page shows; the extract holds the matching cases of "
    "every quarter",
}


class ExtractTooLarge(RuntimeError):
    """A table of the extract would exceed MAX_ROWS rows."""


class BadLink(ValueError):
    """The text given as a link is neither a link nor a URL query (e.g. `http://[::1/`)."""


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class ExtractFile:
    """One downloadable file: its name, its bytes and the manifest written into it."""

    name: str
    content: bytes
    manifest: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def split_link(link: str) -> tuple[str | None, str]:
    """(page path or None, query) of a full link, a path with a query, or a bare query.

    A bare query may hold `://` in a value (`pt=a://b`); only a leading scheme makes a link.
    """
    text = link.strip()
    if _SCHEME.match(text) or text.startswith("/"):
        try:
            parts = urlsplit(text)
        except ValueError as exc:  # e.g. an unclosed IPv6 bracket
            raise BadLink(f"not a link or a URL query: {exc}") from None
        return (parts.path or "/"), parts.query
    return None, text.removeprefix("?")


# The first word of a file's name: which cases it is drawn from (population), so that an
# unfiltered extract of every FAERS case is not read as one of kratom cases, nor the reverse.
NAME_POPULATIONS = {"kratom": "kratom", "all": "all-drugs"}


def file_name(f: Filters, fmt: str, now: dt.datetime) -> str:
    """`kratom_FILTERED_20261124-213000Z.csv.zip`: the population (`kratom`, or `all-drugs` for
    population=all), then `ALL` when nothing else is filtered (every case of the population),
    else `FILTERED`."""
    every = f == Filters(population=f.population)
    kind = "ALL" if every else "FILTERED"
    stamp = f"{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}Z"
    return f"{NAME_POPULATIONS[f.population]}_{kind}_{stamp}.{FORMATS[fmt]}"


def build_extract(
    db: Database | Path | str,
    link: str,
    fmt: str,
    *,
    view: str | None = None,
    now: dt.datetime | None = None,
    base_url: str | None = None,
) -> ExtractFile:
    """The extract of the cases selected by `link` (a URL query, or a link) as one file.

    `base_url` is the dashboard's address ('http://127.0.0.1:8050'): the manifest's link is then
    whole; without it the link is relative, and the manifest says so."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path_of_link, query = split_link(link)
    f, notes = Filters.from_query(query)
    level = f.signals_level  # a view key, but the Signals table's rows depend on it
    f, notes = without_view_keys(f, notes)
    view = view or path_of_link
    f, notes = as_the_page_shows(f, notes, view, level)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    tables, vintage, synthetic, flagged = read_extract(db, f)
    f, notes = without_missing_flags(f, notes, flagged)
    door = db if isinstance(db, Database) else Database(Path(db))
    unmatched = link_checks.unmatched_notes(door, f, kratom=not population.is_all(f))
    name = file_name(f, fmt, now)
    limit = None if fmt == "parquet" else extract_manifest.SPREADSHEET_MAX_ROWS - 1
    kept = {t: df if limit is None else df.head(limit) for t, df in tables.items()}
    dictionary = dictionary_frame(kept)
    manifest = make_manifest(
        f,
        notes=notes,
        unmatched=unmatched,
        view=view,
        vintage=vintage,
        is_synthetic=synthetic,
        files={t: f"{t}.{fmt}" if fmt != "xlsx" else SHEETS[t] for t in tables},
        counts={t: (tables[t].height, kept[t].height) for t in tables},
        fmt=fmt,
        name=name,
        created=now,
        columns={t: df.columns for t, df in tables.items()},
        dictionary=(DICTIONARY_SHEET if fmt == "xlsx" else DICTIONARY_FILE, dictionary.height),
        base_url=base_url,
    )
    return ExtractFile(name, WRITERS[fmt](kept, dictionary, manifest), manifest, notes)


def without_view_keys(f: Filters, notes: list[str]) -> tuple[Filters, list[str]]:
    """The filters without their view keys (`geo` and the pages' own controls: they select no
    case), and the notes with one for each the link had."""
    kept = f.selection()
    added = [
        ignored(key, as_text(getattr(f, FIELDS[key])), VIEW_KEY_NOTES[key])
        for key in VIEW_KEYS
        if getattr(f, FIELDS[key]) != getattr(kept, FIELDS[key])
    ]
    return kept, [*notes, *added]


def as_the_page_shows(
    f: Filters, notes: list[str], view: str | None, level: str = "pt"
) -> tuple[Filters, list[str]]:
    """The filters of the cases the page `view` shows: on a page that shows kratom cases under a
    population=all link (`population.shows_kratom_cases`), those kratom cases, the kratom
    criteria applied (`queries.kratom_filters`), with a note saying why population=all is left
    out; on Signals, the cases its table counts at `level` (`signals_extract`: the filters it
    does not apply left out, each with a note); otherwise the filters as given."""
    if population.shows_kratom_cases(f, view):
        why = population.extract_note(str(view))
        f, notes = kratom_filters(f), [*notes, ignored("population", "all", why)]
    if view == signals_extract.PATH:
        f, notes = signals_extract.as_the_table_counts(f, notes, level)
    return f, notes


def without_missing_flags(f: Filters, notes: list[str], flagged: bool) -> tuple[Filters, list[str]]:
    """The filters without `duplicates=hide` when the file has no probable-duplicate flags (it
    then set nothing aside), and the notes with one saying so."""
    if f.duplicates == "show" or flagged:
        return f, notes
    return f.with_changes(duplicates="show"), [*notes, runtime.UNFLAGGED_NOTE]


def read_extract(
    db: Database | Path | str, f: Filters
) -> tuple[dict[str, pl.DataFrame], dict[str, Any] | None, bool, bool]:
    """The extract's tables, the data vintage, the synthetic flag and whether the file has the
    probable-duplicate flags, all from one build.

    Reads through a Database with the extract caps; when the ETL swapped the file while the
    tables were read (the vintage changed), it reads once more.
    """
    path = db.path if isinstance(db, Database) else Path(db)
    capped = Database(path, max_rows=MAX_ROWS, timeout_s=TIMEOUT_S)
    for _attempt in range(2):
        before = capped.vintage()
        try:
            tables = q.extract_tables(capped, f)
        except RowCapExceeded:
            raise ExtractTooLarge(
                f"the extract would hold more than {MAX_ROWS:,} rows in one table; "
                "narrow the filters (for example a shorter date range)"
            ) from None
        synthetic = runtime.is_synthetic(capped)
        flagged = has_duplicate_flags(capped)
        if capped.vintage() == before:
            break
    return tables, before, synthetic, flagged
