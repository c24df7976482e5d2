"""What the page frame, the overview and About say about the whole file: the first and last
quarterly file holding its cases (and the last quarter of its openFDA cases), how many cases
and kratom cases it keeps, how many quarterly files were read, and whether any case is synthetic.

Each answer is read once per file (`Database.cached`) from `model.quarter_totals`, the ETL's
counts per source and quarter of the file a version was read from (about a hundred rows). A
file built before that table answers from `model.cases` and `model.case_versions` instead, by
the same rule as the kratom slice (`has_small_tables`): full scans, 0.2-0.7 s each at full
size, same answers. Each question below is one pair of SQL: the small table's and the full
tables' (which is also what the tests compare them with).
"""

from __future__ import annotations

from typing import Any

from dashboard.db import Database
from dashboard.queries import has_small_tables
from dashboard.tables import QUARTER_TOTALS

# Any synthetic case: the demonstration generator's quarters (a banner on every page).
SYNTHETIC = (
    "SELECT coalesce(sum(n_synthetic_cases), 0) > 0 FROM model.quarter_totals",
    "SELECT coalesce(bool_or(is_synthetic), false) FROM model.cases",
)
# The first and last quarterly file holding a kept case (a quarter with versions read but no
# case kept has a row with n_cases = 0 in the totals). openFDA's cases are not from quarterly
# files: their `quarter` is the quarter FDA received them, asked for apart (OPENFDA_LAST).
QUARTERS = (
    "SELECT min(quarter) FILTER (WHERE n_cases > 0) AS first_quarter, "
    "max(quarter) FILTER (WHERE n_cases > 0) AS last_quarter FROM model.quarter_totals "
    "WHERE source = 'faers-quarterly'",
    "SELECT min(quarter) AS first_quarter, max(quarter) AS last_quarter FROM model.cases "
    "WHERE source = 'faers-quarterly'",
)
# The last quarter of receipt of a case from openFDA (drug/event or CAERS); NULL without any.
OPENFDA_LAST = (
    "SELECT max(quarter) FILTER (WHERE n_cases > 0) FROM model.quarter_totals "
    "WHERE source <> 'faers-quarterly'",
    "SELECT max(quarter) FROM model.cases WHERE source <> 'faers-quarterly'",
)
CASES = (
    "SELECT coalesce(sum(n_cases), 0)::BIGINT AS n_cases, "
    "coalesce(sum(n_kratom_cases), 0)::BIGINT AS n_kratom_cases FROM model.quarter_totals",
    "SELECT count(*) AS n_cases, count(*) FILTER (WHERE is_kratom) AS n_kratom_cases "
    "FROM model.cases",
)
# Quarterly files with at least one report version read.
FILES = (
    "SELECT count(DISTINCT quarter) FILTER (WHERE n_versions > 0) FROM model.quarter_totals",
    "SELECT count(DISTINCT quarter) FROM model.case_versions",
)


def _sql(db: Database, pair: tuple[str, str]) -> str:
    small, full = pair
    return small if has_small_tables(db, QUARTER_TOTALS) else full


def is_synthetic(db: Database) -> bool:
    """Whether any case of the file is synthetic."""
    return db.cached("is_synthetic", lambda: bool(db.scalar(_sql(db, SYNTHETIC))))


def quarter_range(db: Database) -> tuple[str | None, str | None]:
    """The first and last quarterly file holding a kept case; (None, None) when none does."""
    return db.cached("quarter_range", lambda: db.query(_sql(db, QUARTERS)).row(0))


def openfda_last_quarter(db: Database) -> str | None:
    """The last quarter in which FDA received a case of the file that came from openFDA."""
    return db.cached("openfda_last_quarter", lambda: db.scalar(_sql(db, OPENFDA_LAST)))


def case_counts(db: Database) -> dict[str, Any]:
    """Cases kept, kratom cases among them, and quarterly files read (`n_quarters`).

    A fresh dict each call, so callers may change theirs.
    """
    return dict(db.cached("case_counts", lambda: _case_counts(db)))


def _case_counts(db: Database) -> dict[str, Any]:
    row = db.query(_sql(db, CASES)).row(0, named=True)
    row["n_quarters"] = int(db.scalar(_sql(db, FILES)) or 0)
    return row
