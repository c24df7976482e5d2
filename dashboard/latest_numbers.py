"""Every number the Latest quarter page shows for one quarter, read in one call: the page's
callback and `kratom-etl latest` (`dashboard/latest_digest.py`) both use `read_quarter`, so the
digest a cron job mails says what the page says.

No Dash here: the command line imports this without the web framework.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dashboard.db import Database
from dashboard.filter_codes import EVENT_GROUP_LABELS
from dashboard.filters import Filters
from dashboard.latest_view import Comparison, compare, group_rows, prior_quarters
from dashboard.queries import events as eq
from dashboard.queries import latest as q
from dashboard.queries import run_together


@dataclass(frozen=True)
class QuarterNumbers:
    """What the page shows for `quarter` under the filters it was read with."""

    quarter: str
    headline: dict[str, int]  # n_new, n_serious, n_deaths, n_7oh, n_updated
    comparison: Comparison  # cases first received: a year earlier and the prior mean
    groups: list[dict]  # latest_view.group_rows: one per event group, commonest first
    pts: pl.DataFrame  # first-time preferred terms: term, n
    substances: pl.DataFrame  # first-time co-reported substances: term, n
    serious: pl.DataFrame | None  # the serious cases' rows (None unless asked for)

    def cards(self) -> dict[str, int | float | None]:
        """The cards' values by card id (`latest_view.CARDS`); None where the page says n/a."""
        h, c = self.headline, self.comparison
        return {
            "n-new": h["n_new"],
            "n-year-before": c.year_before,
            "prior-mean": c.prior_mean,
            "n-updated": h["n_updated"],
            "n-serious": h["n_serious"],
            "n-deaths": h["n_deaths"],
            "n-7oh": h["n_7oh"],
        }

    def flagged(self) -> list[dict]:
        """The event groups the screen flags (P(X >= n) under SCREEN_P, at least MIN_CASES
        cases), commonest first."""
        return [r for r in self.groups if r["above"]]


def group_labels(db: Database) -> dict[str, str]:
    """Event group code -> label in display order: the file's reviewed list, else the codes'."""
    return eq.event_group_labels(db) or dict(EVENT_GROUP_LABELS)


def read_quarter(
    db: Database, f: Filters, quarter: str, loaded: tuple[str, ...], *, serious: bool = True
) -> QuarterNumbers:
    """The page's numbers for `quarter` (one of `loaded`, the quarterly files, newest first);
    its questions run at once. `serious=False` leaves out the serious cases' rows (the digest
    gives their number, the headline's n_serious)."""
    first = prior_quarters(quarter)[0]  # a year before: the comparisons' first quarter
    questions = [
        lambda: q.headline(db, f, quarter),
        lambda: q.new_by_quarter(db, f, first, quarter),
        lambda: q.groups_by_quarter(db, f, first, quarter),
        lambda: q.first_time(db, f, quarter, "pt"),
        lambda: q.first_time(db, f, quarter, "substance"),
    ]
    if serious:
        questions.append(lambda: q.serious_cases(db, f, quarter))
    h, by_quarter, groups, pts, substances, *rest = run_together(*questions)
    return QuarterNumbers(
        quarter=quarter,
        headline=h,
        comparison=compare(by_quarter, quarter, set(loaded)),
        groups=group_rows(groups, quarter, loaded, group_labels(db)),
        pts=pts,
        substances=substances,
        serious=rest[0] if rest else None,
    )
