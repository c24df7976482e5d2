"""The manifest of an extract: what was selected, from which data, with which caveats.

`make_manifest` builds it (JSON-ready); `sections` and `readme_text` put it in plain English for
README.txt and the workbook's About sheet.
"""

from __future__ import annotations

import textwrap
from typing import Any

from dashboard import extract_dictionary, population, signals_extract
from dashboard.filter_words import coexposure_matches_kratom_only
from dashboard.filters import Filters

SPREADSHEET_MAX_ROWS = 1_048_576  # Excel's (and LibreOffice's) rows per sheet, header included
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
    "loaded, with the cases FDA deleted removed. Counts are of cases, not reports. A case that "
    "looks like another one sent under a different case number (a probable duplicate) is kept "
    "and flagged in the cases table's duplicate_of; it is left out only when the filters set "
    "probable duplicates aside.",
    "Adverse events are under-reported, and reporting rises and falls with publicity, regulation "
    "and changes to FAERS itself, so counts are not incidence, risk or trends in use.",
    "Kratom cases are found with a reviewed list of kratom spellings in the drug name and "
    "active-ingredient fields; a spelling that is not on the list is missed.",
)
# What to know of reported text in each format (a cell starting with = + - or @).
TEXT_CAVEATS = {
    "csv": "Text is exactly as reported to FDA. When opening a CSV file in a spreadsheet, import "
    "the columns as text: a cell starting with = + - or @ could otherwise be read as a formula.",
    "parquet": "Text is exactly as reported to FDA, in typed Parquet columns (text as strings). "
    "If you write a table out as CSV and open it in a spreadsheet, import the columns as text: "
    "a cell starting with = + - or @ could otherwise be read as a formula.",
    "xlsx": "Text is exactly as reported to FDA. Every text cell of this workbook is stored as "
    "text, never as a formula, number or date, so a value starting with = + - or @ shows as "
    "reported; saved from here as CSV and opened again, it could be read as a formula.",
}
COEXPOSURE_CAVEAT = (
    "The link selects every FAERS case, but its co-exposure filter (substance or class) can "
    "match kratom cases only: co-exposures are recorded for kratom cases only, so every case in "
    "this file names kratom, and a case of another drug reporting that substance is not in it."
)
NAMING = (
    "<population>_<ALL|FILTERED>_<yyyymmdd-hhmmss>Z.<csv.zip|parquet.zip|xlsx>: the population "
    "is kratom (kratom cases) or all-drugs (every FAERS case, kratom or not: population=all); "
    "ALL means every case of that population, no filter; FILTERED, the filters above; the time "
    "is when the extract was made, in UTC."
)
RELATIVE_LINK = (
    "The link is relative to the dashboard's address: put the address the dashboard is served "
    "at in front of it (e.g. http://127.0.0.1:8050/cases?sex=F)."
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
        "population": {"code": f.population, "cases": population.cases_label(f)},
        "filters": {
            "description": f.describe(),
            "query": query,
            "link": _link(view, query, facts.get("base_url")),
            "link_is_relative": not facts.get("base_url"),
            "is_default": f.is_default(),
        },
        "ignored_parameters": list(facts["notes"]),
        # why a file may hold no row: a value of the link that no case of its population has
        "unmatched_values": list(facts.get("unmatched", [])),
        "data_vintage": {
            "built_at": built.strftime("%Y-%m-%dT%H:%M:%SZ") if built else None,
            "quarters_loaded": [x for x in str(vintage.get("quarters") or "").split(",") if x],
        },
        "tables": tables,
        "dictionary": {
            "file": facts["dictionary"][0],
            "one_row_per": extract_dictionary.ONE_ROW_PER,
            "rows": facts["dictionary"][1],
            "columns": list(extract_dictionary.SCHEMA),
        },
        "cuts": [t["cut_note"] for t in tables.values() if t["cut_note"]],
        "sources": [{"name": SOURCES[s][0], "url": SOURCES[s][1]} for s in f.sources],
        "caveats": _caveats(f, facts["is_synthetic"], facts["fmt"], view),
        "file_name_convention": NAMING,
    }


def _link(view: str | None, query: str, base_url: str | None = None) -> str:
    """The page path and query ('/signals?role=primary'; just the query when no page), or with
    `base_url` (the dashboard's address) the whole link ('http://host:8050/signals?...'; the
    overview when no page)."""
    if base_url:
        return base_url.rstrip("/") + (view or "/") + (f"?{query}" if query else "")
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


def _caveats(f: Filters, synthetic: bool, fmt: str, view: str | None) -> list[str]:
    out = [SYNTHETIC_WARNING] if synthetic else []
    out += [*CAVEATS, TEXT_CAVEATS[fmt]]
    if view == signals_extract.PATH:
        out.append(signals_extract.CAVEAT)
    if f.population == "all":
        out.append(
            "All cases were selected (kratom or not), but substances are listed for kratom "
            "cases only; the events of every selected case are included."
        )
    if coexposure_matches_kratom_only(f):
        out.append(COEXPOSURE_CAVEAT)
    return out


def sections(m: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """The manifest as (heading, lines): the README's paragraphs and the About sheet's rows."""
    fl, vintage = m["filters"], m["data_vintage"]
    quarters = vintage["quarters_loaded"]
    out = [("WARNING", [m["warning"]])] if m["is_synthetic"] else []
    out.append(("Extract", [m["title"], f"File: {m['file_name']}", f"Made: {m['created_at']}"]))
    out.append(("View", [m["view"] or "command line (kratom-etl export)"]))
    selected = [fl["description"], f"Link: {fl['link']}"]
    selected += [RELATIVE_LINK] if fl["link_is_relative"] else []
    selected += [f"Ignored: {n}" for n in m["ignored_parameters"]]
    out.append(("Selected", selected + [f"Note: {n}" for n in m["unmatched_values"]]))
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
    words = m["dictionary"]
    rows.append(f"{words['file']}: {words['rows']:,} rows, one per {words['one_row_per']}")
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
