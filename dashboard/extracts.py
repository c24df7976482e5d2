"""Downloadable extracts that explain themselves: CSV, Parquet and XLSX with a manifest.

One function, `build_extract`, serves the dashboard's download buttons and `kratom-etl export`:
the same link (URL query) gives the same rows in either place.

What an extract holds: the cases of `model.cases` matching the filters (`Filters.to_sql`), every
column, `is_synthetic` included; the substances (`model.case_substances`) and events
(`model.case_events`) of those cases; and a manifest saying what was selected (in English and as a
link), the data vintage, row counts, sources and caveats, and whether the FAERS data is synthetic.

Formats (the name says which filters and when: `kratom_FILTERED_<yyyymmdd-hhmmss>Z.<suffix>`, or
`kratom_ALL_…` for the default filters; the time is UTC):
- `csv`: a `.csv.zip` of cases.csv, substances.csv, events.csv (UTF-8 with BOM), manifest.json and
  README.txt. Each CSV stays within spreadsheet limits: at most SPREADSHEET_MAX_ROWS lines
  counting the header; the manifest says which tables were cut and by how many rows.
- `parquet`: a `.parquet.zip` of cases.parquet, substances.parquet, events.parquet, manifest.json
  and README.txt. Complete, never cut; each Parquet file also carries the manifest JSON in its
  key-value metadata under MANIFEST_KEY.
- `xlsx`: one workbook with the sheets About (the manifest as rows), Cases, Substances, Events,
  each cut at Excel's row limit with a note in About. Text is always written as text.

Caps: each table may hold at most MAX_ROWS rows (beyond that the extract refuses with
`ExtractTooLarge`: narrow the filters); each query stops after TIMEOUT_S seconds (QueryTimeout
from dashboard/db.py). Link parameters that cannot be read are ignored with the same notes as
the dashboard shows, and the notes are written into the manifest. The Poison centers page's
geography (`geo`) selects published figures, not cases: an extract leaves it out, with a note.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import polars as pl
import pyarrow.parquet as pq
import xlsxwriter

from dashboard import runtime
from dashboard.db import Database, RowCapExceeded
from dashboard.filter_codes import ALL_GEOGRAPHIES
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.queries import extracts as q

SPREADSHEET_MAX_ROWS = 1_048_576  # Excel's (and LibreOffice's) rows per sheet, header included
MAX_ROWS = 2_000_000  # per table of one extract
TIMEOUT_S = 120.0  # per query of one extract
MANIFEST_KEY = b"kratom_manifest"
FORMATS = {"csv": "csv.zip", "parquet": "parquet.zip", "xlsx": "xlsx"}
SHEETS = {"cases": "Cases", "substances": "Substances", "events": "Events"}


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


def file_name(f: Filters, fmt: str, now: dt.datetime) -> str:
    """`kratom_FILTERED_20261124-213000Z.csv.zip` (`kratom_ALL_…` for the default filters)."""
    kind = "ALL" if f.is_default() else "FILTERED"
    return f"kratom_{kind}_{now.astimezone(dt.UTC):%Y%m%d-%H%M%S}Z.{FORMATS[fmt]}"


def build_extract(
    db: Database | Path | str,
    link: str,
    fmt: str,
    *,
    view: str | None = None,
    now: dt.datetime | None = None,
) -> ExtractFile:
    """The extract of the cases selected by `link` (a URL query, or a link) as one file."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    path_of_link, query = split_link(link)
    f, notes = Filters.from_query(query)
    f, notes = without_geography(f, notes)
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    tables, vintage, synthetic = read_extract(db, f)
    name = file_name(f, fmt, now)
    limit = None if fmt == "parquet" else SPREADSHEET_MAX_ROWS - 1
    kept = {t: df if limit is None else df.head(limit) for t, df in tables.items()}
    manifest = make_manifest(
        f,
        notes=notes,
        view=view or path_of_link,
        vintage=vintage,
        is_synthetic=synthetic,
        files={t: f"{t}.{fmt}" if fmt != "xlsx" else SHEETS[t] for t in tables},
        counts={t: (tables[t].height, kept[t].height) for t in tables},
        fmt=fmt,
        name=name,
        created=now,
        columns={t: df.columns for t, df in tables.items()},
    )
    return ExtractFile(name, WRITERS[fmt](kept, manifest), manifest, notes)


def without_geography(f: Filters, notes: list[str]) -> tuple[Filters, list[str]]:
    """The filters without `geo` (it chooses published poison-centre figures, not cases), and
    the notes with one saying so when the link had it."""
    if f.geography == ALL_GEOGRAPHIES:
        return f, notes
    why = "the geography applies to the published poison-centre figures, not to cases"
    return f.with_changes(geography=ALL_GEOGRAPHIES), [*notes, ignored("geo", f.geography, why)]


def read_extract(
    db: Database | Path | str, f: Filters
) -> tuple[dict[str, pl.DataFrame], dict[str, Any] | None, bool]:
    """The extract's tables, the data vintage and the synthetic flag, all from one build.

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
        if capped.vintage() == before:
            break
    return tables, before, synthetic


# --- the manifest: what was selected, from which data, with which caveats ---

TITLE = "Kratom harms watch: case-level extract"
ONE_ROW_PER = {
    "cases": "deduplicated case (the latest version of each case)",
    "substances": "drug row reported in a case (listed for kratom cases only)",
    "events": "distinct preferred term (MedDRA) reported in a case",
}
SOURCES = {
    "faers-quarterly": (
        "FDA Adverse Event Reporting System (FAERS), quarterly data extract files",
        "https://fis.fda.gov/extensions/FPD-QDE-FAERS/FPD-QDE-FAERS.html",
    ),
    "openfda-faers": ("openFDA drug adverse event API", "https://open.fda.gov/apis/drug/event/"),
    "openfda-caers": (
        "openFDA food adverse event API (CAERS)",
        "https://open.fda.gov/apis/food/event/",
    ),
}
SYNTHETIC_WARNING = (
    "SYNTHETIC DATA: these FAERS rows come from a generated demonstration set in FDA's file "
    "format, not from real reports. Do not use them for any conclusion about kratom."
)
CAVEATS = (
    "FAERS reports do not establish that kratom (or any other substance) caused an event: "
    "reports are voluntary, often incomplete, and usually name several substances.",
    "Cases are deduplicated as FDA advises: the latest version of each case across every quarter "
    "loaded, with the cases FDA deleted removed. Counts are of cases, not reports.",
    "Adverse events are under-reported, and reporting rises and falls with publicity, regulation "
    "and changes to FAERS itself, so counts are not incidence, risk or trends in use.",
    "Kratom cases are found with a reviewed list of kratom spellings in the drug name and "
    "active-ingredient fields; a spelling that is not on the list is missed.",
    "Text is exactly as reported to FDA. When opening a CSV file in a spreadsheet, import the "
    "columns as text: a cell starting with = + - or @ could otherwise be read as a formula.",
)
NAMING = (
    "kratom_FILTERED_<yyyymmdd-hhmmss>Z.<csv.zip|parquet.zip|xlsx>, or kratom_ALL_... when "
    "nothing is filtered; the time is when the extract was made, in UTC."
)


def make_manifest(f: Filters, **facts: Any) -> dict[str, Any]:
    """The manifest of one extract file (JSON-ready; `facts` as build_extract passes them)."""
    view, query = facts["view"], f.to_query()
    vintage = facts["vintage"] or {}
    built = vintage.get("built_at")
    tables = {
        table: _table_entry(table, facts["files"][table], *facts["counts"][table])
        | {"columns": facts["columns"][table]}
        for table in facts["files"]
    }
    return {
        "title": TITLE,
        "is_synthetic": facts["is_synthetic"],
        "warning": SYNTHETIC_WARNING if facts["is_synthetic"] else None,
        "file_name": facts["name"],
        "format": facts["fmt"],
        "created_at": facts["created"].strftime("%Y-%m-%dT%H:%M:%SZ"),
        "view": view,
        "filters": {
            "description": f.describe(),
            "query": query,
            "link": _link(view, query),
            "is_default": f.is_default(),
        },
        "ignored_parameters": list(facts["notes"]),
        "data_vintage": {
            "built_at": built.strftime("%Y-%m-%dT%H:%M:%SZ") if built else None,
            "quarters_loaded": [x for x in str(vintage.get("quarters") or "").split(",") if x],
        },
        "tables": tables,
        "cuts": [t["cut_note"] for t in tables.values() if t["cut_note"]],
        "sources": [{"name": SOURCES[s][0], "url": SOURCES[s][1]} for s in f.sources],
        "caveats": _caveats(f, facts["is_synthetic"]),
        "file_name_convention": NAMING,
    }


def _link(view: str | None, query: str) -> str:
    """The page path and query ('/signals?role=primary'); just the query when no page."""
    return f"{view or ''}?{query}" if query else (view or "(no query: default filters)")


def _table_entry(table: str, file: str, rows: int, rows_in_file: int) -> dict[str, Any]:
    left_out = rows - rows_in_file
    note = None
    if left_out:
        note = (
            f"{file} holds the first {rows_in_file:,} of {rows:,} rows ({left_out:,} left out) to "
            f"stay within the spreadsheet limit of {SPREADSHEET_MAX_ROWS:,} rows including the "
            "header; the Parquet extract is complete."
        )
    return {
        "file": file,
        "one_row_per": ONE_ROW_PER[table],
        "rows": rows,
        "rows_in_file": rows_in_file,
        "rows_left_out": left_out,
        "is_cut": bool(left_out),
        "cut_note": note,
    }


def _caveats(f: Filters, synthetic: bool) -> list[str]:
    out = [SYNTHETIC_WARNING] if synthetic else []
    out += CAVEATS
    if f.population == "all":
        out.append(
            "All cases were selected (kratom or not), but substances are listed for kratom "
            "cases only; the events of every selected case are included."
        )
    return out


def sections(m: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The manifest as (heading, lines): the README's paragraphs and the About sheet's rows."""
    fl, vintage = m["filters"], m["data_vintage"]
    quarters = vintage["quarters_loaded"]
    out = [("WARNING", [m["warning"]])] if m["is_synthetic"] else []
    out.append(("Extract", [m["title"], f"File: {m['file_name']}", f"Made: {m['created_at']}"]))
    out.append(("View", [m["view"] or "command line (kratom-etl export)"]))
    selected = [fl["description"], f"Link: {fl['link']}"]
    out.append(("Selected", selected + [f"Ignored: {n}" for n in m["ignored_parameters"]]))
    out.append(
        (
            "Data vintage",
            [
                f"Database built: {vintage['built_at'] or 'unknown'} (UTC)",
                f"FAERS quarters loaded ({len(quarters)}): {', '.join(quarters) or 'none'}",
            ],
        )
    )
    rows = [
        f"{t['file']}: {t['rows_in_file']:,} rows, one per {t['one_row_per']}"
        for t in m["tables"].values()
    ]
    out.append(("Rows", rows + m["cuts"]))
    out.append(("Sources", [f"{s['name']}: {s['url']}" for s in m["sources"]]))
    out.append(("Caveats", m["caveats"]))
    out.append(("File names", [m["file_name_convention"]]))
    return out


def readme_text(m: dict[str, Any]) -> str:
    """README.txt: the manifest in plain English (manifest.json holds the same, for programs)."""
    parts = []
    if m["is_synthetic"]:
        parts.append("*" * 78 + "\n*** SYNTHETIC DATA: NOT REAL FAERS REPORTS ***\n" + "*" * 78)
    for heading, lines in sections(m):
        body = "\n".join(
            textwrap.fill(line, 78, initial_indent="  ", subsequent_indent="    ") for line in lines
        )
        parts.append(f"{heading}\n{body}")
    parts.append("manifest.json holds the same information for programs.")
    return "\n\n".join(parts) + "\n"


# --- writers: (tables already cut to the format's limit, manifest) -> bytes ---


def _manifest_json(manifest: dict[str, Any]) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)
    return buf.getvalue()


def _explained(manifest: dict[str, Any]) -> dict[str, bytes]:
    return {
        "manifest.json": _manifest_json(manifest).encode(),
        "README.txt": readme_text(manifest).encode(),
    }


def write_csv_zip(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    members = {}
    for table, df in tables.items():
        buf = io.BytesIO()
        df.write_csv(buf, include_bom=True)
        members[f"{table}.csv"] = buf.getvalue()
    return _zip(members | _explained(manifest))


def write_parquet_zip(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    members = {}
    meta = _manifest_json(manifest).encode()
    for table, df in tables.items():
        arrow = df.to_arrow()
        arrow = arrow.replace_schema_metadata({**(arrow.schema.metadata or {}), MANIFEST_KEY: meta})
        buf = io.BytesIO()
        pq.write_table(arrow, buf, compression="zstd")
        members[f"{table}.parquet"] = buf.getvalue()
    return _zip(members | _explained(manifest))


def write_xlsx(tables: dict[str, pl.DataFrame], manifest: dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    options = {
        "in_memory": True,
        "constant_memory": True,
        "default_date_format": "yyyy-mm-dd",
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
    }
    with xlsxwriter.Workbook(buf, options) as wb:
        bold = wb.add_format({"bold": True})
        about = wb.add_worksheet("About")
        about.set_column(0, 0, 22)
        about.set_column(1, 1, 120)
        row = 0
        for heading, lines in sections(manifest):
            for i, line in enumerate(lines):
                if i == 0:
                    about.write_string(row, 0, heading, bold)
                about.write_string(row, 1, line)
                row += 1
        for table, df in tables.items():
            _write_sheet(wb.add_worksheet(SHEETS[table]), df, bold)
    return buf.getvalue()


def _write_sheet(ws: Any, df: pl.DataFrame, bold: Any) -> None:
    ws.freeze_panes(1, 0)
    ws.set_column(0, max(df.width - 1, 0), 16)
    ws.write_row(0, 0, df.columns, bold)
    for r, values in enumerate(df.iter_rows(), start=1):
        for c, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write(r, c, value)


WRITERS: dict[str, Callable[[dict[str, pl.DataFrame], dict[str, Any]], bytes]] = {
    "csv": write_csv_zip,
    "parquet": write_parquet_zip,
    "xlsx": write_xlsx,
}
