"""The Poison centers page's table of published rows and its source lists."""

from __future__ import annotations

import polars as pl
from dash import html

from dashboard.figures import poison_center_text as words

_WRAPPED = {"wrapText": True, "autoHeight": True, "cellStyle": {"lineHeight": "1.3"}}
TABLE_COLUMNS = [
    {"field": "source", "headerName": "Source", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "where", "headerName": "Where", "flex": 1, "minWidth": 110, **_WRAPPED},
    {"field": "period", "headerName": "Period", "flex": 1, "minWidth": 120, **_WRAPPED},
    {"field": "counted", "headerName": "Counted", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "breakdown", "headerName": "Breakdown", "flex": 2, "minWidth": 150, **_WRAPPED},
    {"field": "published", "headerName": "As published", "flex": 1, "minWidth": 130, **_WRAPPED},
    {"field": "checked", "headerName": "Checked", "width": 110},
]


def source_list(*frames: pl.DataFrame) -> html.Div | None:
    """Each source shown in the frames once: its citation in plain words and a link (when one
    is recorded; else it says none is available)."""
    seen: dict[str, tuple[str, str | None]] = {}
    for frame in frames:
        for source_id, citation, url in frame.select("source_id", "citation", "url").rows():
            seen.setdefault(source_id, (citation, url))
    if not seen:
        return None
    items = [
        html.Li(
            [
                words.citation_text(citation),
                " ",
                html.A(url, href=url, target="_blank", rel="noopener"),
            ]
        )
        if url
        else html.Li([words.citation_text(citation), f" — {words.NO_LINK}"])
        for citation, url in seen.values()
    ]
    return html.Div([html.Span("Sources shown:", className="fw-semibold"), html.Ul(items)])


def table_rows(rows: pl.DataFrame) -> list[dict[str, str]]:
    """Every published row of the selection, with its figure as published, for the grid."""
    return [
        {
            "source": words.source_label(r["source_id"], r["citation"], r["publisher"]),
            "where": r["geography"],
            "period": words.period_text(r["period_start"], r["period_end"]),
            "counted": f"{r['unit']} ({words.population_text(r['population'])})",
            "breakdown": f"{r['measure'].replace('_', ' ')}: {r['category']}",
            "published": words.published_text(r),
            "checked": "third-party" if r["verification"] == "V-3p" else "source",
        }
        for r in rows.to_dicts()
    ]
