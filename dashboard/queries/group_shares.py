"""Event groups compared across a split of the kratom cases: k of n per category and group.

The splits (`Filters.events_split`, the link's `split`) and the only SQL they put into a query:

- `product`: the case's kratom product, `model.cases.kratom_product_type`: the most specific
  product its kratom drugs name (7-OH concentrate, then extract, mixed product, leaf / powder,
  then not stated). A case naming two products counts once, under the more specific, as the
  product filter and Trends' products by year count it; the categories never overlap.
- `alone`: kratom only (no other substance named) or with other substances (`is_kratom_only`).
- `opioid`: an opioid-class substance other than kratom named on the case, in any role
  (`model.case_substances.substance_class = 'opioids'`; opioid antagonists are another class).
- `sex`: F, M, or U (not known, blank included), as the sex filter reads them.
- `age`: the ICH E11 age band (`age_band`), unknown included; no band is merged.
"""

from __future__ import annotations

import polars as pl

from dashboard.db import Database
from dashboard.filter_codes import AGE_BANDS, EVENT_GROUPS, PRODUCT_TYPES, SEXES
from dashboard.filters import Filters
from dashboard.queries import tables, where
from dashboard.tables import Tables

NOT_KNOWN = "unknown"
# split -> its categories in the order they are drawn
CATEGORIES: dict[str, tuple[str, ...]] = {
    "product": PRODUCT_TYPES,
    "alone": ("kratom_only", "with_others", NOT_KNOWN),
    "opioid": ("with_opioid", "without_opioid"),
    "sex": SEXES,
    "age": AGE_BANDS,
}


def split_expr(split: str, t: Tables, a: str = "c") -> str:
    """SQL for the category of the case `<a>` under `split` (the allow-list of this module)."""
    opioid = (
        f"EXISTS (SELECT 1 FROM {t.case_substances} s WHERE s.case_id = {a}.case_id "
        "AND NOT s.is_kratom AND s.substance_class = 'opioids')"
    )
    exprs = {
        "product": f"coalesce({a}.kratom_product_type, 'unspecified')",
        "alone": f"CASE {a}.is_kratom_only WHEN true THEN 'kratom_only' "
        f"WHEN false THEN 'with_others' ELSE '{NOT_KNOWN}' END",
        "opioid": f"CASE WHEN {opioid} THEN 'with_opioid' ELSE 'without_opioid' END",
        "sex": f"coalesce({a}.sex, 'U')",
        "age": f"coalesce({a}.age_band, '{NOT_KNOWN}')",
    }
    if split not in exprs:
        raise ValueError(f"not a split: {split!r}")
    return exprs[split]


def comparison_filters(f: Filters) -> Filters:
    """The filters the comparison counts by: always kratom cases (the splits describe kratom
    cases). Under population=all the page applies no kratom criteria (role, other substances,
    product; its note says so), and neither does this."""
    if f.population == "kratom":
        return f
    return f.with_changes(population="kratom", role="any", kratom_only=None, product_types=())


def group_shares_by_split(
    db: Database, f: Filters, groups: tuple[str, ...] | list[str] = EVENT_GROUPS
) -> pl.DataFrame:
    """For each category of `f.events_split` with a case and each event group of `groups`:
    `category`, `n_cases` (the category's filtered kratom cases), `event_group` and
    `n_group_cases` (those reporting the group, each case once; 0 when none does).

    Categories in CATEGORIES order (any other value the data holds after them), groups in the
    order given; no row for a category without cases. One query.
    """
    split = f.events_split
    f = comparison_filters(f)
    t = tables(db, f)
    w, params = where(f, "c", t)
    rows = db.query(
        f"WITH fc AS (SELECT c.case_id, {split_expr(split, t)} AS category "
        f"FROM {t.cases} c WHERE {w}), "
        "n AS (SELECT category, count(*) AS n_cases FROM fc GROUP BY 1), "
        "k AS (SELECT fc.category, e.event_group, count(DISTINCT fc.case_id) AS n_group_cases "
        f"FROM fc JOIN {t.case_events} e USING (case_id) WHERE e.event_group IS NOT NULL "
        "GROUP BY 1, 2) "
        "SELECT n.category, n.n_cases, k.event_group, k.n_group_cases "
        "FROM n LEFT JOIN k USING (category)",
        params,
    )
    return _grid(rows, CATEGORIES[split], list(groups))


def _grid(rows: pl.DataFrame, order: tuple[str, ...], groups: list[str]) -> pl.DataFrame:
    """Every category with cases × every group, zeros filled in, in the drawing order."""
    counts = rows.group_by("category").agg(pl.col("n_cases").first())
    found = counts["category"].to_list()
    cats = [c for c in order if c in found] + sorted(c for c in found if c not in order)
    grid = pl.DataFrame(
        {"category": [c for c in cats for _ in groups], "event_group": groups * len(cats)},
        schema={"category": pl.Utf8, "event_group": pl.Utf8},
    )
    hits = rows.filter(pl.col("event_group").is_not_null()).select(
        "category", "event_group", pl.col("n_group_cases").cast(pl.Int64)
    )
    return (
        grid.join(
            counts.with_columns(pl.col("n_cases").cast(pl.Int64)),
            on="category",
            maintain_order="left",
        )
        .join(hits, on=["category", "event_group"], how="left", maintain_order="left")
        .with_columns(pl.col("n_group_cases").fill_null(0))
        .select("category", "n_cases", "event_group", "n_group_cases")
    )
