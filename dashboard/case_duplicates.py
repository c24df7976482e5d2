"""The single-case page's probable-duplicate links (model.probable_duplicates; the rules in
docs/architecture.md "Probable duplicates"): the case it is set aside for, or those set aside
for it, each a link to its own page."""

from __future__ import annotations

import polars as pl
from dash import dcc, html

MATCHED_ON = {
    "manufacturer_number": "the same manufacturer case number",
    "same_content": "the same event date, age, sex, country, drugs and reactions",
    "manufacturer_number+same_content": "the same manufacturer case number and the same content",
}


def _case_link(case_id: int) -> dcc.Link:
    return dcc.Link(str(case_id), href=f"/case/{case_id}")


def duplicates_section(cid: int, links: pl.DataFrame) -> list:
    """Where the case stands among probable duplicates (docs/architecture.md): nothing when it
    is linked to no other case."""
    if links.is_empty():
        return []
    own = links.filter(pl.col("case_id") == cid)
    if own.height:
        row = own.row(0, named=True)
        body = [
            "Set aside as a probable duplicate of case ",
            _case_link(row["shown_case_id"]),
            f", the copy FDA received last, shown in its place; linked by "
            f"{MATCHED_ON.get(row['matched_on'], '?')}. "
            "It is counted unless probable duplicates are set aside in the filters.",
        ]
    else:
        body = [f"Shown in place of probable duplicate case{'s' if links.height > 1 else ''} "]
        for i, row in enumerate(links.iter_rows(named=True)):
            body += [", " if i else "", _case_link(row["case_id"])]
            body.append(f" ({MATCHED_ON.get(row['matched_on'], '?')})")
        they = "Those cases are" if links.height > 1 else "That case is"
        body.append(f". {they} counted unless probable duplicates are set aside in the filters.")
    return [
        html.Section(
            [
                html.H2("Probable duplicates", className="h6 mt-3"),
                html.P(body, className="small", id="case-duplicates"),
            ]
        )
    ]
