"""Cases: every matching case in a paged, sortable table; each case number opens the whole report.

The grid uses AG Grid's infinite row model: it asks for one block of PAGE_SIZE rows at a time
(`getRowsRequest`), the server answers with that page (`getRowsResponse`), sorted by an
allow-listed column. Nothing but the page shown travels to the browser.

The sort and the page are view keys of the link (`sort=age_years:asc`, `page=2`): sorting or
paging rewrites the link (a new sort goes back to page 1), and the layout opens the grid on the
link's sort and page. A page past the last opens page 1, with a note.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import dash
import dash_ag_grid as dag
import polars as pl
from dash import Input, Output, Patch, State, callback, dcc, html, no_update

from dashboard import components, ids, runtime
from dashboard.callbacks import page_query
from dashboard.filter_codes import CASE_SORT_COLUMNS, DEFAULT_CASE_SORT, SORT_DIRECTIONS
from dashboard.filter_query import ignored
from dashboard.filters import Filters
from dashboard.link_writers import search_of
from dashboard.queries import cases as q

dash.register_page(
    __name__, path="/cases", name="Cases", title="Kratom harms watch: cases", order=6
)

P = "cases"
NO_CASES = "No cases match these filters."
MAX_OFFSET = 2**62
LABELS = {
    "sex": components.LABELS["sexes"],
    "reporter_type": components.LABELS["reporter_types"],
    "kratom_product_type": components.LABELS["product_types"],
    "kratom_role": q.ROLE_WORDS,
}
COUNTED = (
    "Counted: deduplicated FAERS cases (latest version of each case, deleted cases removed). "
    "Co-reported substances are the other substances of the kept report, normalised; events are "
    "MedDRA preferred terms. Source: FDA FAERS quarterly data files."
)


def _col(field: str, header: str, width: int, **extra: Any) -> dict[str, Any]:
    return {"field": field, "headerName": header, "width": width, **extra}


# The columns read first (case, dates, who, kratom's role, seriousness) come first and fit a
# 1280 px screen with the start of the events; the rest is scrolled to. Each column is wide
# enough for its longest label ("Secondary suspect", "Other health professional"); headers wrap.
KEY_COLUMNS = 7
COLUMNS = [
    _col("case_link", "Case", 100, colId="case_id", cellRenderer="markdown", pinned="left"),
    _col("received_date", "Received", 115, sort="desc", headerTooltip="First received by FDA"),
    _col("age_years", "Age (years)", 85, type="numericColumn"),
    _col("sex", "Sex", 105),
    _col("kratom_role", "Kratom role", 170),
    _col("is_serious", "Serious", 95),
    _col("has_death", "Death", 85, headerTooltip="Serious outcome 'death' recorded"),
    _col("events", "Events (preferred terms)", 300, sortable=False, tooltipField="events"),
    _col(
        "co_substances", "Co-reported substances", 260, sortable=False, tooltipField="co_substances"
    ),
    _col("kratom_product_type", "Kratom product", 165),
    _col("is_kratom_only", "Kratom only", 120),
    _col("reporter_type", "Reporter", 230),
    _col("country_code", "Country", 105),
    _col("quarter", "File quarter", 120, headerTooltip="Quarterly file of the version kept"),
]


def columns_sorted(sort: str) -> list[dict[str, Any]]:
    """The grid's columns with the link's sort (`<column>:<asc|desc>`) on its column."""
    column, _, direction = sort.partition(":")
    out = []
    for col in COLUMNS:
        col = {k: v for k, v in col.items() if k != "sort"}
        if col.get("colId", col["field"]) == column:
            col["sort"] = direction
        out.append(col)
    return out


def shown_page(db: Any, f: Filters) -> tuple[int, str | None]:
    """The page the grid opens on (from 1) and a note when the link's page is past the last
    (then page 1). Counts the cases only for a link past page 1."""
    if f.cases_page == 1:
        return 1, None
    n = q.count_cases(db, f)
    last = max(1, -(-n // q.PAGE_SIZE))
    if f.cases_page <= last:
        return f.cases_page, None
    pages = "1 page" if last == 1 else f"{last:,} pages"
    return 1, ignored("page", str(f.cases_page), f"these filters give {pages}; showing page 1")


def grid_options(page: int) -> dict[str, Any]:
    """The grid's options, opening on `page` (the infinite model must know that many rows
    before the first answer for its first request to be that page's)."""
    return {
        "pagination": True,
        "paginationPageSize": q.PAGE_SIZE,
        "paginationPageSizeSelector": False,
        "cacheBlockSize": q.PAGE_SIZE,
        "maxBlocksInCache": 10,
        "infiniteInitialRowCount": (page - 1) * q.PAGE_SIZE + 1,
        "initialState": {"pagination": {"page": page - 1}},
        "tooltipShowDelay": 300,
        "localeText": {"noRowsToShow": "No cases match these filters"},
    }


def layout(**query) -> html.Div:
    text = page_query(query)
    f, _ = Filters.from_query(text)
    page, note = shown_page(runtime.database(), f)
    without = f"/cases{search_of(f.with_changes(cases_page=1))}"
    return html.Div(
        [
            dcc.Store(id=f"{P}-query", data=text),
            html.H1("Cases", className="h4"),
            html.P(
                "Every case matching the filters, 50 to a page. Click a case number to read the "
                "whole report; click a column heading to sort (substances and events cannot be "
                "sorted).",
                className="small mb-1",
            ),
            note and components.ignored_value_note(note, without, f"{P}-page-note"),
            html.P(id=f"{P}-count", className="fw-semibold mb-2", **{"aria-live": "polite"}),
            dag.AgGrid(
                id=f"{P}-grid",
                rowModelType="infinite",
                columnDefs=columns_sorted(f.cases_sort),
                defaultColDef={
                    "sortable": True,
                    "sortingOrder": ["asc", "desc"],  # always a sort, so always one in the link
                    "resizable": True,
                    "filter": False,
                    "wrapHeaderText": True,
                    "autoHeaderHeight": True,
                },
                dashGridOptions=grid_options(page),
                # a tall window shows more of the page's 50 rows, the pager in view under it
                style={"height": "max(620px, calc(100vh - 360px))", "width": "100%"},
            ),
            html.P(COUNTED, className="small text-muted mt-2 mb-0"),
        ]
    )


def _text(value: Any, labels: dict[str, str] | None = None) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 1 if value >= 2 else 2)
    return labels.get(value, value) if labels else value


def grid_rows(page: pl.DataFrame, query: str) -> list[dict[str, Any]]:
    """Rows for the grid: readable values and a link from each case number to its report."""
    suffix = f"?{query}" if query else ""
    rows = []
    for row in page.iter_rows(named=True):
        out = {k: _text(v, LABELS.get(k)) for k, v in row.items()}
        out["case_link"] = f"[{row['case_id']}](/case/{row['case_id']}{suffix})"
        rows.append(out)
    return rows


@callback(Output(f"{P}-count", "children"), Input(f"{P}-query", "data"))
def update_count(query: str):
    n = q.count_cases(runtime.database(), Filters.from_query(query or "")[0])
    return NO_CASES if n == 0 else "1 case matches." if n == 1 else f"{n:,} cases match."


@callback(Output(f"{P}-grid", "dashGridOptions"), Input(f"{P}-count", "children"))
def show_pager(count: Any) -> Patch:
    """No pager under an empty grid (it read "0 to 0 of 0", "Page 0 of 0"); read from the
    count above the grid, so no second query."""
    pager = Patch()
    pager["suppressPaginationPanel"] = count == NO_CASES
    return pager


def _offset(value: Any) -> int:
    """The first row the grid asks for, 0 when it is not a number, within a BIGINT."""
    try:
        return min(max(0, int(value or 0)), MAX_OFFSET)
    except (TypeError, ValueError, OverflowError):
        return 0


@callback(
    Output(f"{P}-grid", "getRowsResponse"),
    Input(f"{P}-grid", "getRowsRequest"),
    State(f"{P}-query", "data"),
    prevent_initial_call=True,
)
def update_rows(request: dict | None, query: str):
    db, (f, _) = runtime.database(), Filters.from_query(query or "")
    request = request if isinstance(request, dict) else {}
    model = request.get("sortModel")
    sort = model[0] if isinstance(model, list) and model and isinstance(model[0], dict) else {}
    column = sort.get("colId")
    page = q.case_page(
        db,
        f,
        sort_column=column if isinstance(column, str) else None,
        descending=sort.get("sort", "desc") == "desc",
        offset=_offset(request.get("startRow")),
    )
    return {"rowData": grid_rows(page, f.to_query()), "rowCount": q.count_cases(db, f)}


def grid_sort(state: Any) -> str | None:
    """The sort the grid shows (`<column>:<asc|desc>`) from its column state; the default when
    no column is sorted; None when the state is not a list of columns (none yet) or sorts what
    no column of the grid can (a hand-made request)."""
    if not isinstance(state, list):
        return None
    sorted_columns = [c for c in state if isinstance(c, dict) and c.get("sort") is not None]
    if any(
        c.get("colId") not in CASE_SORT_COLUMNS or c.get("sort") not in SORT_DIRECTIONS
        for c in sorted_columns
    ):
        return None
    if not sorted_columns:
        return DEFAULT_CASE_SORT
    first = min(
        sorted_columns, key=lambda c: c["sortIndex"] if type(c.get("sortIndex")) is int else 0
    )
    return f"{first['colId']}:{first['sort']}"


def grid_page(info: Any) -> int | None:
    """The page the grid shows (from 1), None when it has not said."""
    page = info.get("currentPage") if isinstance(info, dict) else None
    if type(page) is not int or page < 0:
        return None
    return page + 1


def search_with_grid(search: Any, state: Any, info: Any, options: Any) -> str | None:
    """The URL with the grid's sort and page: a new sort on page 1, else a new page. None when
    the grid shows what the link (and the layout, for a page past the last) asked for."""
    f, _ = Filters.from_query(search if isinstance(search, str) else "")
    sort = grid_sort(state)
    if sort is not None and sort != f.cases_sort:
        return search_of(f.with_changes(cases_sort=sort, cases_page=1))
    page = grid_page(info)
    opened = (options or {}).get("initialState", {}) if isinstance(options, dict) else {}
    first = (opened.get("pagination") or {}).get("page") if isinstance(opened, dict) else None
    if page is None or type(first) is not int or page == first + 1:
        return None
    try:
        wanted = f.with_changes(cases_page=page)
    except ValueError:  # past the pages a link can hold
        return None
    return None if wanted == f else search_of(wanted)


@callback(
    Output(ids.URL, "search", allow_duplicate=True),
    Input(f"{P}-grid", "columnState"),
    Input(f"{P}-grid", "paginationInfo"),
    State(ids.URL, "search"),
    State(f"{P}-grid", "dashGridOptions"),
    prevent_initial_call=True,
)
def grid_to_url(state: Any, info: Any, search: str | None, options: Any):
    """The URL with the sort or page the reader chose; the router then draws the page."""
    wanted = search_with_grid(search, state, info, options)
    return no_update if wanted is None else wanted  # "" clears the query: not a no-op
