"""Start dates of the synthetic demo's kratom therapies (THER start_dt of kratom drug rows).

Kratom reports come in three rough kinds, so a kratom start is drawn from a mix
(P.KRATOM_START_SHAPES): acute toxicity or overdose, started the same day as the event or within
the week before (half of the starts); dependence, withdrawal or liver injury, started 8-365 days
before (30%); and years of daily use, 1-10 years before (20%). Within a component the days before
the event are log-uniform in days + 1 (about as many starts 8-30 days before as 91-365). Each
component also sets how much of the date is given: to the day, the month (yyyymm), the year
(yyyy) or not at all (a blank start_dt), long-term use least often to the day. The shares are
our synthetic choice, not a published figure: the point is a plausible picture on the
Indications page's time-to-onset chart, with every bin and the partial and missing dates FAERS
has. Other drugs' starts stay as they were (0-399 days before the event, 80% to the day).

Drawn from a spawned generator: every other value of the demo is the same with or without it.
"""

from __future__ import annotations

import numpy as np

from etl import demo_profile as P
from etl.demo_draw import _dates, _pick

PRECISIONS = ("day", "month", "year", "none")


def draw_kratom_starts(
    rng: np.random.Generator, event_days: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One start per event day: the start day and its THER text (blank when not given)."""
    n = event_days.size
    shapes = P.KRATOM_START_SHAPES
    component = _pick(rng, [s[1] for s in shapes], n)
    low = np.array([s[2] for s in shapes])[component]
    high = np.array([s[3] for s in shapes])[component]
    # log-uniform on [low, high] (whole days); a component of (0, 0) is the same day
    u = rng.random(n)
    spread = np.exp(np.log(low + 1) + u * (np.log(high + 2) - np.log(low + 1))) - 1
    days = np.clip(np.floor(spread).astype(np.int64), low, high)
    start = event_days - days
    precision = np.empty(n, dtype=np.int64)
    for i, shape in enumerate(shapes):
        rows = component == i
        precision[rows] = _pick(rng, shape[4], int(rows.sum()))
    text = np.select(
        [precision == 0, precision == 1, precision == 2],
        [_dates(start), _dates(start, "%Y%m"), _dates(start, "%Y")],
        "",
    )
    return start, text.astype(object)
