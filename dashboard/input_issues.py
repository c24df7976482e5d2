"""The About page's input issues: what the build nulled, left out or kept unlinked, per file.

The counts are staging.input_issues' (queries.about.input_issues), never computed here; the
catalogue of issues and what the build does with each is docs/bad-input.md.
"""

from __future__ import annotations

import dash_ag_grid as dag
import polars as pl
from dash import html

P = "about"

INPUT_ISSUES = (
    "FDA's files hold some values and rows that cannot be used as given: impossible dates, ages "
    "of thousands of years, rows of no report. The build does not stop for them. Each such value "
    "is nulled, each row that belongs to no report is left out of the counts, and a therapy or "
    "indication naming no drug of its report is kept with its case, unlinked; every one is "
    "recorded with its file, line and field. kratom-etl status lists them by kind, and the "
    "table staging.input_issues of the database holds each one."
)
ISSUE_LABELS = {
    "not_a_date": "Not a date",
    "not_a_number": "Not a number",
    "unknown_unit": "Unit not known",
    "out_of_range": "Age or weight out of range",
    "unknown_country": "Country not known",
    "repeated_primaryid": "Report on several lines of the quarter",
    "no_demo_row": "Row of no report",
    "no_drug_row": "Names no drug of its report",
}
ACTION_LABELS = {  # what was done: in a grid row, and counted in the summary line
    "nulled": ("value nulled", "values nulled"),
    "left out": ("row left out", "rows left out"),
    "kept": ("row kept, unlinked", "rows kept unlinked"),
}
NO_ISSUES = "No input issues recorded: every value and row of the files loaded was used as given."
NOT_RECORDED = (
    "This database was built before input issues were recorded (it has no staging.input_issues "
    "table); a new build records them."
)
_COLUMNS = [
    {"field": "quarter", "headerName": "Quarter", "width": 100},
    {"field": "source_file", "headerName": "File", "flex": 2, "minWidth": 190},
    {"field": "issue", "headerName": "Issue", "flex": 2, "minWidth": 220},
    {"field": "action", "headerName": "Done", "flex": 1, "minWidth": 170},
    {"field": "n_issues", "headerName": "Recorded", "width": 110, "type": "numericColumn"},
]


def input_issues_section() -> html.Section:
    """The section's skeleton: the explanation, a one-line summary and a grid the callback fills."""
    return html.Section(
        [
            html.H2("Input issues", className="h5 mt-4"),
            html.P(INPUT_ISSUES, className="small"),
            html.P(id=f"{P}-input-issues-summary", className="small"),
            dag.AgGrid(
                id=f"{P}-input-issues",
                columnDefs=_COLUMNS,
                rowData=[],
                defaultColDef={"sortable": True, "resizable": True, "filter": True},
                dashGridOptions={"localeText": {"noRowsToShow": "No input issues recorded"}},
                style={"height": "280px", "width": "100%"},
            ),
        ]
    )


def input_issues_outputs(df: pl.DataFrame | None) -> tuple[str, list[dict]]:
    """The summary line and the grid's rows for `df` (queries.about.input_issues)."""
    if df is None:
        return NOT_RECORDED, []
    if df.is_empty():
        return NO_ISSUES, []
    n_by_action = dict(df.group_by("action").agg(pl.col("n_issues").sum()).rows())
    done = ", ".join(
        f"{n_by_action[a]:,} {labels[1]}" for a, labels in ACTION_LABELS.items() if a in n_by_action
    )
    summary = (
        f"{int(df['n_issues'].sum()):,} recorded in {df['source_file'].n_unique():,} file(s) "
        f"of {df['quarter'].n_unique():,} quarter(s): {done}."
    )
    rows = [
        {
            "quarter": r["quarter"],
            "source_file": r["source_file"],
            "issue": ISSUE_LABELS.get(r["issue"], r["issue"]),
            "action": ACTION_LABELS.get(r["action"], (r["action"],))[0],
            "n_issues": r["n_issues"],
        }
        for r in df.iter_rows(named=True)
    ]
    return summary, rows
